"""Embedded store vs Virtuoso: ingest time and named-query latency at growing corpus sizes.

``python -m bench.remote_vs_embedded [--sizes 5,50] [--repeats 5] [--limit 120]`` writes
``bench/results/remote-vs-embedded.json``. Needs Virtuoso (``bash .ci/install-virtuoso.sh``); a
private instance is started on loopback for the run (``tests/virtuoso.py``) and stopped after.

- ``ingest``: ``torkg ingest`` of the seed corpus (NLP included, the same work for both stores),
  into an on-disk embedded store and into Virtuoso.
- ``write``: per size, the time to store every graph (documents in batches of 32, as ``ingest``
  does) into an empty store: the part of ingestion that depends on the store. Sizes above the
  seed corpus are made of re-identified copies of its documents (``bench/clone.py``).
- ``queries``: every named query with its example parameters, ``repeats`` runs each: median and
  slowest latency in milliseconds, row count, and whether both stores gave the same answer.
"""
from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import pyoxigraph as ox  # noqa: E402

from bench.clone import _chunks  # noqa: E402
from bench.common import machine  # noqa: E402
from torkg import queries  # noqa: E402
from torkg.remote import RemoteStore  # noqa: E402
from torkg.store import OxigraphStore, Store, to_rdflib  # noqa: E402
from virtuoso import PASSWORD, USER, VirtuosoServer  # noqa: E402

RESULTS = REPO / "bench" / "results" / "remote-vs-embedded.json"
BATCH = 32


def example_values(q: queries.QueryDef) -> dict[str, str]:
    return {p.name: m.group(1) for p in q.params
            if (m := re.search(r'e\.g\.\s*"([^"]+)"', p.description))}


def ingest_corpus(store: Store) -> tuple[float, ox.Store]:
    """``torkg ingest corpus/`` into ``store``; the seconds, and the stored quads (pyoxigraph)."""
    from torkg.ingest.run import discover, ingest
    t0 = time.perf_counter()
    summary = ingest(store, discover([REPO / "corpus"]))
    seconds = time.perf_counter() - t0
    if not summary.ok:
        raise SystemExit("ingestion failed: " + "; ".join(summary.lines()))
    buffer = io.BytesIO()
    store.dump(buffer, "nquads")
    db = ox.Store()
    db.load(buffer.getvalue(), ox.RdfFormat.N_QUADS)
    return seconds, db


def graphs_of_size(seed: ox.Store, n: int) -> dict[str, list]:
    """The seed corpus grown to ``n`` documents with re-identified copies."""
    graphs: dict[str, list] = {}
    for chunk in _chunks(seed, n, {"global-tor"}):
        for q in ox.parse(chunk, ox.RdfFormat.N_QUADS):
            graphs.setdefault(q.graph_name.value, []).append(
                (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graphs


def write_all(store: Store, graphs: dict[str, list]) -> float:
    names = sorted(graphs)
    t0 = time.perf_counter()
    for i in range(0, len(names), BATCH):
        store.replace_graphs({g: graphs[g] for g in names[i:i + BATCH]})
    return time.perf_counter() - t0


def latency(store: Store, text: str, bindings: dict, repeats: int) -> tuple[list[float], list]:
    times, rows = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        rows = store.select(text, bindings)[1]
        times.append((time.perf_counter() - t0) * 1000)
    return times, rows


def _embedded_child(path: str, text: str, bindings: dict, repeats: int, conn) -> None:
    with OxigraphStore(path, read_only=True) as store:
        conn.send(latency(store, text, bindings, repeats))


def embedded_latency(path: Path, text: str, bindings: dict, repeats: int,
                     limit: float) -> tuple[list[float], list] | None:
    """``latency`` on the on-disk embedded store, in a child process stopped after ``limit``
    seconds (a pyoxigraph query cannot be interrupted otherwise). None if it ran out of time."""
    ctx = mp.get_context("fork")
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=_embedded_child, args=(str(path), text, bindings, repeats, theirs))
    child.start()
    answer = ours.recv() if ours.poll(limit) else None
    child.join(5)
    if child.is_alive():
        child.kill()
    return answer


def same(a: list, b: list, query: str) -> bool:
    """The comparison of tests/test_remote_store.py: rows as multisets, GROUP_CONCAT unordered."""
    from test_remote_store import rows_multiset
    return rows_multiset(a, query) == rows_multiset(b, query)


def _ms(times: list[float]) -> dict:
    return {"median": round(statistics.median(times), 2), "max": round(max(times), 2)}


def measure_queries(embedded: Path, remote: Store, repeats: int, limit: float) -> list[dict]:
    out = []
    for q in queries.all_queries():
        values = example_values(q)
        try:
            bindings = queries.bind_params(q, {k: v for k, v in values.items()
                                               if any(p.name == k and not p.optional for p in q.params)})
        except queries.QueryError:
            continue
        print(f"  {q.name}", end="", flush=True)
        local = embedded_latency(embedded, q.text, bindings, repeats, limit)
        try:
            r_times, r_rows = latency(remote, q.text, bindings, repeats)
            error = None
        except Exception as e:  # a server failure or time-out is a result, not a crash of the run
            r_times, r_rows, error = [], [], str(e)[:300]
        out.append({"query": q.name, "params": {k: str(v) for k, v in bindings.items()},
                    "rows": len(local[1]) if local else (len(r_rows) if r_times else None),
                    "embedded_ms": _ms(local[0]) if local else f"over {limit:g} s",
                    "virtuoso_ms": _ms(r_times) if r_times else None,
                    "same_answer": same(local[1], r_rows, q.text) if local and r_times else None,
                    "error": error})
        print(f" {out[-1]['embedded_ms']} / {out[-1]['virtuoso_ms']}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="5,50", help="numbers of documents (default 5,50)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--limit", type=float, default=120.0,
                    help="seconds a query may take (all repeats) before it counts as too slow")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="torkg-bench-remote-"))
    result = {"benchmark": "remote-vs-embedded", "machine": machine(), "repeats": args.repeats,
              "virtuoso": "Debian virtuoso-opensource-7, private instance on loopback (tests/virtuoso.py)",
              "remote_store": "RemoteStore defaults: union=list, Graph Store upload", "sizes": []}
    try:
        with VirtuosoServer() as server:
            def remote(timeout: float = 600) -> RemoteStore:
                return RemoteStore(server.query_url, server.update_url, user=USER, password=PASSWORD,
                                   timeout=timeout, retries=0, cache=2.0)
            ingest_embedded, seed = ingest_corpus(OxigraphStore(work / "ingest"))
            r = remote()
            ingest_remote, _ = ingest_corpus(r)
            r.remove_graphs(r.named_graphs())
            result["ingest_seed_corpus_s"] = {"embedded": round(ingest_embedded, 2),
                                              "virtuoso": round(ingest_remote, 2)}
            for n in sizes:
                graphs = graphs_of_size(seed, n)
                embedded, r = OxigraphStore(work / f"store-{n}"), remote()
                point = {"documents": n, "graphs": len(graphs), "triples": sum(map(len, graphs.values())),
                         "write_s": {"embedded": round(write_all(embedded, graphs), 2),
                                     "virtuoso": round(write_all(r, graphs), 2)}}
                embedded.close()
                print(json.dumps(point), flush=True)
                point["queries"] = measure_queries(work / f"store-{n}", remote(args.limit / args.repeats),
                                                   args.repeats, args.limit)
                result["sizes"].append(point)
                r.remove_graphs(r.named_graphs())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
