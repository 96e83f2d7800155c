"""Queries: latency (p50, p95) of every named query at each corpus size through (a) pyoxigraph
directly, (b) torkg's HTTP endpoint, (c) rdflib's in-memory Dataset, (d) rdflib-endpoint; and the
throughput of (b) and (d) with 1, 4 and 16 concurrent clients.

Each query runs as an analyst would run it over the whole corpus: required parameters bound to a
stored document or network, optional ones left free. (a), (b) and (d) get the same text (the
parameters written in as ``VALUES`` blocks by ``torkg.store.bind_values``, as ``torkg query`` and
``/queries/{name}`` send it); (c) gets the query with ``initBindings``. (a) and (b) run query by
query, each (b) right before its (a), so both see the same machine state. One untimed run warms
each system up. A query that runs past the time limit is recorded as a timeout and not sent to
the slower systems again.
Throughput uses the scoped queries a browsing analyst sends (one document or network each).
"""
from __future__ import annotations

import json
import random
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from bench import services
from bench.clone import clone_store, snapshot_db
from bench.common import WORK, disk_usage, log, percentile
from torkg import iris, queries
from torkg.store import OxigraphStore, bind_values

SYSTEMS = ("pyoxigraph", "torkg-http", "rdflib", "rdflib-endpoint")
# ("networks" is left out: rdflib cannot evaluate it, "Variable coordinatorName is not bound".)
SCOPED = {"documents": "document", "provisions": "document", "structure": "document",
          "guiding-instruments": "network", "meeting-frequencies": "network",
          "executive-committees": "network", "stakeholder-engagement": "network"}
CLIENTS = (1, 4, 16)


# --- stores -------------------------------------------------------------------------------------
def store_for(n: int, plan) -> tuple[Path, str]:
    """The store holding ``n`` documents: the seed corpus (n=5), an ingested store, or a clone."""
    from bench.measure_ingest import corpus_dir, ingest
    if n == 5:
        path = WORK / "store-seed"
        if not (path / "CURRENT").exists():
            ingest(Path("corpus"), path, 2)
        return path, "seed corpus, ingested"
    path = WORK / f"store-{n}-s{plan.seed}"
    if (path / "CURRENT").exists():
        return path, "ingested"
    bases = sorted((int(p.name.split("-")[1]), p) for p in WORK.glob(f"store-*-s{plan.seed}")
                   if p.name.split("-")[1].isdigit() and (p / "CURRENT").exists() and int(p.name.split("-")[1]) < n)
    if n <= plan.ingest_max or not bases:
        ingest(corpus_dir(n, plan.seed), path, 1 if plan.quick else 2)
        return path, "ingested"
    base_n, base = bases[-1]
    clone = WORK / f"store-{n}-s{plan.seed}-clone"
    if not (clone / "CURRENT").exists():
        clone_store(base, clone, n + 1)
    return clone, f"cloned from the ingested store of {base_n} documents (bench/clone.py)"


def dump_nquads(store: Path) -> Path:
    out = store.parent / f"{store.name}.nq"
    if not out.exists():
        with OxigraphStore(store, read_only=True) as s, open(out, "wb") as f:
            s.dump(f, "nquads")
    return out


# --- the queries --------------------------------------------------------------------------------
def sample_ids(store: Path) -> tuple[list[str], list[str]]:
    """Stored document ids (not the global ToR) and their network ids, in a fixed order."""
    with OxigraphStore(store, read_only=True) as s:
        _, rows = s.select(queries.load("documents").text)
    pairs = [(str(r["doc"]), str(r["network"]).rsplit("/", 1)[-1]) for r in rows
             if "network" in r and str(r["doc"]) != "global-tor" and str(r.get("type")) == "TermsOfReference"]
    pairs = pairs or [(str(r["doc"]), str(r.get("network", "")).rsplit("/", 1)[-1]) for r in rows]
    return [d for d, _ in pairs], [n for _, n in pairs if n]


def workload(docs: list[str], networks: list[str]) -> list[dict]:
    """Every named query with its required parameters bound (free optional ones)."""
    examples = {"doc": docs[0], "network": networks[0] if networks else "global", "un-entity": "IOM",
                "body-kind": "secretariat", "gcm-objective": "2", "string": "secretariat",
                "iri": str(iris.network_iri("global")), "integer": "1"}
    out = []
    for q in queries.all_queries():
        values = {p.name: examples[p.type] for p in q.params if not p.optional}
        bindings = queries.bind_params(q, values)
        out.append({"name": q.name, "params": values, "text": bind_values(q.text, bindings), "raw": q.text,
                    "bindings": {k: v.n3() for k, v in bindings.items()}})
    return out


def scoped_mix(docs: list[str], networks: list[str], count: int = 32) -> list[str]:
    rng = random.Random(7)
    out = []
    for i in range(count):
        name = list(SCOPED)[i % len(SCOPED)]
        q = queries.load(name)
        kind = SCOPED[name]
        value = rng.choice(docs) if kind == "document" else rng.choice(networks or ["global"])
        key = next(p.name for p in q.params if p.type == ("doc" if kind == "document" else "network"))
        out.append(bind_values(q.text, queries.bind_params(q, {key: value})))
    return out


def _stats(times: list[float], rows: int | None, note: str | None = None) -> dict:
    d = {"p50_ms": round(percentile(times, 50) * 1000, 2) if times else None,
         "p95_ms": round(percentile(times, 95) * 1000, 2) if times else None, "runs": len(times), "rows": rows}
    if note:
        d["note"] = note
    return d


def _repeat(fn, repeats: int, timeout: float) -> tuple[list[float], int | None, str | None]:
    """Warm up once, then time up to ``repeats`` runs (fewer if one run is slow)."""
    try:
        first, rows = fn()
    except TimeoutError:
        return [], None, f"timeout (> {timeout:.0f} s)"
    except Exception as e:
        return [], None, f"error: {e}"[:300]
    times = []
    budget = max(timeout, 10.0)
    spent = first
    for _ in range(repeats):
        if spent > budget and times:
            break
        try:
            t, _ = fn()
        except TimeoutError:
            return times, rows, f"timeout (> {timeout:.0f} s)"
        times.append(t)
        spent += t
    return times, rows, None


def direct_fn(db: ox.Store, text: str):
    def run():
        t0 = time.perf_counter()
        rows = 0
        for solution in db.query(text, use_default_graph_as_union=True):
            rows += 1
            for _ in solution:
                pass
        return time.perf_counter() - t0, rows
    return run


def _http_fn(ep: services.HttpEndpoint, client: httpx.Client, text: str, timeout: float):
    def run():
        try:
            seconds, body = ep.query(text, client, timeout)
        except httpx.TimeoutException:
            raise TimeoutError from None
        return seconds, len(json.loads(body)["results"]["bindings"])
    return run


# --- throughput ---------------------------------------------------------------------------------
def throughput(ep: services.HttpEndpoint, mix: list[str], clients: int, seconds: float, timeout: float) -> dict:
    """Requests per second with ``clients`` concurrent clients for ``seconds``: every client is
    connected before the clock starts, sends at least one request, and in-flight requests finish."""
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    conns = [httpx.Client() for _ in range(clients)]
    try:
        for c in conns:                               # open the connections outside the window
            ep.query("ASK { }", c, timeout)
    except (httpx.HTTPError, RuntimeError) as e:
        for c in conns:
            c.close()
        return {"clients": clients, "requests": 0, "errors": 1, "error_sample": [str(e)[:200]],
                "seconds": 0.0, "requests_per_s": None, "p50_ms": None, "p95_ms": None,
                "note": f"not measured: {ep.name} did not answer ASK {{ }} within {timeout:.0f} s"}
    barrier = threading.Barrier(clients + 1)
    window = {}

    def client(k: int) -> None:
        c, i = conns[k], k
        barrier.wait()
        while True:
            try:
                t, _ = ep.query(mix[i % len(mix)], c, timeout)
                with lock:
                    lat.append(t)
            except Exception as e:
                with lock:
                    errors.append(str(e)[:200])
            i += clients
            if time.perf_counter() >= window["stop"]:
                return
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    window["start"] = time.perf_counter()
    window["stop"] = window["start"] + seconds
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - window["start"]
    for c in conns:
        c.close()
    return {"clients": clients, "requests": len(lat), "errors": len(errors), "error_sample": errors[:3],
            "seconds": round(elapsed, 2), "requests_per_s": round(len(lat) / elapsed, 2),
            "p50_ms": round((percentile(lat, 50) or 0) * 1000, 2), "p95_ms": round((percentile(lat, 95) or 0) * 1000, 2)}


# --- one size -----------------------------------------------------------------------------------
def measure_size(n: int, plan, previous: dict | None = None) -> dict:
    store, origin = store_for(n, plan)
    db = snapshot_db(store)
    triples = len(db)
    docs, networks = sample_ids(store)
    work = [w for w in workload(docs, networks) if plan.query_names is None or w["name"] in plan.query_names]
    mix = scoped_mix(docs, networks)
    result = {"documents": n + (0 if n == 5 else 1), "store": origin, "quads": triples,
              "store_bytes": disk_usage(store), "systems": {s: {} for s in SYSTEMS}, "throughput": {}}
    log(f"queries n={n}: torkg HTTP and pyoxigraph directly, query by query ({triples} quads)")
    ep = services.torkg_server(store, plan.query_timeout)
    try:
        with httpx.Client() as c:
            for w in work:           # each query over HTTP, then directly: the same machine state
                times, rows, note = _repeat(_http_fn(ep, c, w["text"], plan.query_timeout), plan.query_repeats,
                                            plan.query_timeout)
                result["systems"]["torkg-http"][w["name"]] = _stats(times, rows, note)
                if note:
                    result["systems"]["pyoxigraph"][w["name"]] = _stats([], None, "skipped: failed over HTTP")
                    continue
                times, rows, note = _repeat(direct_fn(db, w["text"]), plan.query_repeats, plan.query_timeout)
                result["systems"]["pyoxigraph"][w["name"]] = _stats(times, rows, note)
        result["throughput"]["torkg-http"] = [throughput(ep, mix, k, plan.throughput_seconds, plan.query_timeout)
                                              for k in CLIENTS]
    finally:
        ep.stop()
    del db
    if triples > plan.rdflib_max_triples:
        why = f"not run: {triples:,} quads is over the {plan.rdflib_max_triples:,} the bench loads into rdflib"
        if previous and previous.get("rdflib"):
            per = triples / max(1, previous["rdflib"]["triples"])
            why += (f"; at the rate measured on {previous['documents']:,} documents, loading would take about "
                    f"{previous['rdflib']['load_s'] * per / 60:.0f} min and {previous['rdflib']['rss_mib'] * per / 1024:.1f} GiB "
                    "per process, twice (rdflib, rdflib-endpoint), and each query timeout would force a reload")
        result["systems"]["rdflib"] = result["systems"]["rdflib-endpoint"] = {"note": why}
        return result
    dump = dump_nquads(store)
    result["rdflib"] = _rdflib_latency(result, work, dump, plan)
    result["rdflib_endpoint"] = _endpoint(result, work, mix, dump, plan)
    return result


def _rdflib_latency(result: dict, work: list[dict], dump: Path, plan) -> dict:
    log(f"queries: rdflib Dataset over {dump.name}")
    load_timeout = 3600
    worker = services.RdflibWorker(dump, load_timeout)
    info = dict(worker.info)
    try:
        for w in work:
            if not worker.alive:
                worker = services.RdflibWorker(dump, load_timeout)
            fn = lambda w=w: worker.run(w["raw"], w["bindings"], plan.query_timeout)  # noqa: E731
            times, rows, note = _repeat(fn, plan.query_repeats, plan.query_timeout)
            result["systems"]["rdflib"][w["name"]] = _stats(times, rows, note)
    finally:
        worker.stop()
    return info


def _endpoint(result: dict, work: list[dict], mix: list[str], dump: Path, plan) -> dict:
    log(f"queries: rdflib-endpoint over {dump.name}")
    ep = services.rdflib_endpoint(dump, 3600)
    info = dict(ep.info)
    try:
        with httpx.Client() as c:
            for w in work:
                direct = result["systems"]["rdflib"].get(w["name"], {})
                if direct.get("note", "").startswith("timeout"):
                    result["systems"]["rdflib-endpoint"][w["name"]] = _stats([], None, "skipped: rdflib timed out")
                    continue
                times, rows, note = _repeat(_http_fn(ep, c, w["text"], plan.query_timeout), plan.query_repeats,
                                            plan.query_timeout)
                result["systems"]["rdflib-endpoint"][w["name"]] = _stats(times, rows, note)
                if note and note.startswith("timeout"):          # it is still busy: start afresh
                    ep.stop()
                    ep = services.rdflib_endpoint(dump, 3600)
        levels = result["throughput"]["rdflib-endpoint"] = []
        for k in CLIENTS:
            levels.append(throughput(ep, mix, k, plan.throughput_seconds, plan.query_timeout))
            if levels[-1]["errors"]:      # timed-out requests keep running in the server: start afresh
                ep.stop()
                ep = services.rdflib_endpoint(dump, 3600)
    finally:
        ep.stop()
    return info


def run_queries(plan) -> dict:
    started = time.perf_counter()
    out = {"plan": {"sizes": plan.query_sizes, "repeats": plan.query_repeats, "timeout_s": plan.query_timeout,
                    "throughput_seconds": plan.throughput_seconds, "clients": list(CLIENTS),
                    "rdflib_max_quads": plan.rdflib_max_triples}, "sizes": []}
    for n in plan.query_sizes:
        out["sizes"].append(measure_size(n, plan, out["sizes"][-1] if out["sizes"] else None))
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out
