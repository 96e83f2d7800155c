"""Where a request's time goes: py-spy samples torkg's server and its query workers under load.

``python -m bench.profile_server [--size 5] [--query statement-evidence] [--seconds 20]``

One client sends the named query (its required parameters bound as in the query benchmark) over
HTTP for ``--seconds``, while ``py-spy record --subprocesses`` samples the server process and its
worker processes. Each sample is put in the first category (below) whose pattern one of its
frames matches, scanning from the innermost frame; the result gives, per request, the CPU
milliseconds of each category in each process (samples a thread spent waiting are a category of
their own, left out of the busy total), next to the client's latency and the direct pyoxigraph
time of the same query (bench/results/profile.json; py-spy's raw samples stay in bench/work/).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import httpx

from bench import services
from bench.common import WORK, percentile, save

# (category, pattern of a frame's "function (file:line)"), tried on the innermost frame first and
# then outwards; pyoxigraph is native code, so its time shows as the Python frame that called it.
CATEGORIES = [
    ("waiting (select, queue, condition)", re.compile(r"^(EpollSelector\.select|_PollLikeSelector\.select|"
                                                      r"Condition\.wait|Queue\.get|wait) \(")),
    ("results: JSON terms and encoding", re.compile(r"^term_json |\(json/")),
    ("pipe to and from the worker (pickle, send, recv)", re.compile(r"\(multiprocessing/connection\.py")),
    ("SPARQL evaluation (pyoxigraph, incl. lazy iteration)", re.compile(r"^(run_query|solutions) \(api/tasks\.py")),
    ("query checks (torkg)", re.compile(r"\(api/(sparqltext|protocol|limits|negotiation)\.py")),
    ("HTTP server (uvicorn, h11)", re.compile(r"\((uvicorn|h11|httptools)/|^_SelectorSocketTransport\.write ")),
    ("thread hand-off (anyio, asyncio)", re.compile(r"\((anyio|asyncio)/|\(threading\.py|\(queue\.py")),
    ("FastAPI and Starlette", re.compile(r"\((fastapi|starlette|pydantic)/")),
    ("torkg endpoint code", re.compile(r"\(api/")),
]


def categorise(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, pattern in CATEGORIES:
            if pattern.search(frame):
                return name
    return "other"


def parse_raw(text: str, server_pid: int) -> dict[str, Counter]:
    """py-spy's raw (collapsed) output, one ``frame;frame;... COUNT`` per line; with
    ``--subprocesses`` the stack starts with ``process PID:"cmd"`` frames, the innermost being the
    process sampled."""
    out: dict[str, Counter] = {"server": Counter(), "workers": Counter()}
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        pids = [int(m.group(1)) for f in frames if (m := re.match(r"process (\d+):", f))]
        who = "server" if not pids or pids[-1] == server_pid else "workers"
        out[who][categorise([f for f in frames if not f.startswith("process ")])] += int(count)
    return out


def send(ep: services.HttpEndpoint, text: str, seconds: float, latencies: list[float]) -> None:
    deadline = time.monotonic() + seconds
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            t, _ = ep.query(text, client, 60)
            latencies.append(t)


def direct_times(store: Path, text: str, runs: int = 50) -> list[float]:
    """The query timed directly on the store, as the query benchmark times it."""
    from bench.measure_queries import direct_fn
    from torkg.store import OxigraphStore
    with OxigraphStore(store, read_only=True) as s:
        run = direct_fn(s.db, text)
        return [run()[0] for _ in range(runs)]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=5, help="stored documents (5 = the seed corpus)")
    ap.add_argument("--query", default="statement-evidence", help="named query to send")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--rate", type=int, default=500, help="py-spy samples per second")
    args = ap.parse_args(argv)

    from bench.measure_queries import sample_ids, store_for, workload
    store, _ = store_for(args.size, SimpleNamespace(seed=0, ingest_max=1000, quick=False))
    docs, networks = sample_ids(store)
    text = next(w["text"] for w in workload(docs, networks) if w["name"] == args.query)
    direct = direct_times(store, text)
    ep = services.torkg_server(store, 60)
    try:
        warm: list[float] = []
        send(ep, text, 3, warm)                      # both workers warm before sampling
        WORK.mkdir(parents=True, exist_ok=True)
        raw = WORK / f"profile-{args.size}-{args.query}.txt"
        spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid",
                                str(ep.service.proc.pid), "--subprocesses", "--format", "raw",
                                "--rate", str(args.rate), "--duration", str(int(args.seconds) + 2),
                                "--output", str(raw), "--nonblocking"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        latencies: list[float] = []
        send(ep, text, args.seconds, latencies)
        _, err = spy.communicate(timeout=args.seconds + 60)
        if spy.returncode != 0 or not raw.exists():
            raise SystemExit(f"py-spy failed: {err.strip()[-500:]}")
        samples = parse_raw(raw.read_text(), ep.service.proc.pid)
    finally:
        ep.stop()
    n = len(latencies)
    per_request = {who: {k: round(v / args.rate / n * 1000, 3) for k, v in c.most_common()}
                   for who, c in samples.items()}
    busy = {who: round(sum(v for k, v in cats.items() if not k.startswith("waiting")), 3)
            for who, cats in per_request.items()}
    result = {
        "plan": {"documents": args.size, "query": args.query, "seconds": args.seconds, "rate": args.rate},
        "requests": n,
        "client_ms": {"p50": round(percentile(latencies, 50) * 1000, 2),
                      "p95": round(percentile(latencies, 95) * 1000, 2)},
        "direct_ms": {"p50": round(percentile(direct, 50) * 1000, 2)},
        "cpu_ms_per_request": per_request,
        "cpu_ms_per_request_busy": busy,
    }
    save("profile", result)
    return result


if __name__ == "__main__":
    r = main()
    print(f"{r['requests']} requests; client p50 {r['client_ms']['p50']} ms, direct p50 {r['direct_ms']['p50']} ms")
    for who, cats in r["cpu_ms_per_request"].items():
        print(f"{who}: {r['cpu_ms_per_request_busy'][who]} ms busy per request (waiting excluded)")
        for k, v in cats.items():
            print(f"  {v:8.3f} ms  {k}")
