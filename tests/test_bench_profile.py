"""The profile summary of bench/profile_server.py: samples are given to the right process and the
right category (the profile itself needs py-spy and a running server: `make bench-profile`)."""
from __future__ import annotations

from bench.profile_server import categorise, parse_raw

SERVER = 'process 100:"python -m torkg.api.server --store s --port 1"'
WORKER = 'process 101:"python -c from multiprocessing.spawn import spawn_main"'
RAW = "\n".join([
    f"{SERVER};{WORKER};_worker_main (api/workers.py:55);execute (api/tasks.py:84);run_query (api/tasks.py:116) 40",
    f"{SERVER};{WORKER};run_query (api/tasks.py:130);solutions (api/tasks.py:157);term_json (api/tasks.py:180) 7",
    f"{SERVER};{WORKER};solutions (api/tasks.py:160);dumps (json/__init__.py:238) 3",
    f"{SERVER};{WORKER};_ConnectionBase.send (multiprocessing/connection.py:206) 2",
    f"{SERVER};BaseEventLoop._run_once (asyncio/base_events.py:1884);EpollSelector.select (selectors.py:468) 30",
    f"{SERVER};H11Protocol.data_received (uvicorn/protocols/http/h11_impl.py:1) 5",
    f"{SERVER};solve_dependencies (fastapi/dependencies/utils.py:1) 4",
    f"{SERVER};_ConnectionBase.recv (multiprocessing/connection.py:250) 1",
    "not a stack line",
])


def test_samples_go_to_the_process_that_was_sampled():
    samples = parse_raw(RAW, 100)
    assert sum(samples["workers"].values()) == 52
    assert sum(samples["server"].values()) == 40
    assert samples["workers"]["SPARQL evaluation (pyoxigraph, incl. lazy iteration)"] == 40
    assert samples["workers"]["results: JSON terms and encoding"] == 10
    assert samples["workers"]["pipe to and from the worker (pickle, send, recv)"] == 2
    assert samples["server"]["waiting (select, queue, condition)"] == 30
    assert samples["server"]["HTTP server (uvicorn, h11)"] == 5
    assert samples["server"]["FastAPI and Starlette"] == 4


def test_the_innermost_matching_frame_decides():
    frames = ["run (uvicorn/main.py:1)", "app (fastapi/routing.py:1)", "run_query (api/tasks.py:116)"]
    assert categorise(frames) == "SPARQL evaluation (pyoxigraph, incl. lazy iteration)"
    assert categorise(["f (somewhere.py:1)"]) == "other"
