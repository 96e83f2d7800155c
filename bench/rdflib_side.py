"""The rdflib side of the query comparison, each in its own process (memory and time limits).

``python -m bench.rdflib_side direct DUMP.nq`` loads the N-Quads dump into an rdflib ``Dataset``
(``default_union=True``, as torkg's store unions named graphs for the default graph), prints
``{"ready": ..., "load_s", "rss_mib", "triples"}`` and then answers JSON tasks read line by line on
stdin (``{"query", "bindings"}`` with bindings as N-Triples terms, passed as ``initBindings``) with
``{"seconds", "rows"}``. ``python -m bench.rdflib_side endpoint DUMP.nq PORT`` serves the same
Dataset with ``rdflib-endpoint`` (FastAPI) under uvicorn on 127.0.0.1:PORT.
"""
from __future__ import annotations

import json
import sys
import time


def load(dump: str):
    import psutil
    from rdflib import Dataset
    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(dump, format="nquads")
    info = {"load_s": round(time.perf_counter() - t0, 2),
            "rss_mib": round(psutil.Process().memory_info().rss / 2**20, 1), "triples": len(ds)}
    return ds, info


def _term(text: str):
    from rdflib.util import from_n3
    return from_n3(text)


def direct(dump: str) -> int:
    ds, info = load(dump)
    print(json.dumps({"ready": True, **info}), flush=True)
    for line in sys.stdin:
        task = json.loads(line)
        bindings = {k: _term(v) for k, v in (task.get("bindings") or {}).items()}
        t0 = time.perf_counter()
        try:
            rows = sum(1 for _ in ds.query(task["query"], initBindings=bindings))
            out = {"seconds": time.perf_counter() - t0, "rows": rows}
        except Exception as e:  # report, keep serving
            out = {"error": f"{type(e).__name__}: {e}"[:500]}
        print(json.dumps(out), flush=True)
    return 0


def endpoint(dump: str, port: int) -> int:
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint
    ds, info = load(dump)
    print(json.dumps({"ready": True, **info}), flush=True)
    app = SparqlEndpoint(graph=ds, path="/sparql", title="rdflib-endpoint (bench)", cors_enabled=False)
    sys.stdout.flush()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    return 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "direct":
        return direct(argv[1])
    if len(argv) >= 3 and argv[0] == "endpoint":
        return endpoint(argv[1], int(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
