"""Processes the query benchmark talks to: torkg's HTTP server, rdflib-endpoint, the rdflib worker.

Every server listens on 127.0.0.1 only, on a free port, and is stopped (by its pid) when done.
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.common import REPO

JSON_RESULTS = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """A child process; ``stop`` ends it and its own children (it leads its process group)."""

    def __init__(self, cmd: list[str], env: dict | None = None, talk: bool = True):
        # A server's stdout (uvicorn's access log) must not go to a pipe nobody reads: a full pipe
        # blocks the server. Only processes that talk to us (``talk``) get pipes.
        pipe = subprocess.PIPE if talk else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **(env or {})}, stdin=pipe,
                                     stdout=pipe, stderr=subprocess.DEVNULL, text=True,
                                     start_new_session=True)

    def read_json(self, timeout: float) -> dict | None:
        """The next JSON line on stdout, or None after ``timeout`` seconds."""
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.proc.args[:4]} exited (code {self.proc.poll()})")
        return json.loads(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(5)


class HttpEndpoint:
    """A SPARQL endpoint under test: ``query(text)`` returns (seconds, body)."""

    def __init__(self, name: str, service: Service, url: str, info: dict | None = None):
        self.name, self.service, self.url, self.info = name, service, url, info or {}

    def query(self, text: str, client: httpx.Client, timeout: float) -> tuple[float, bytes]:
        t0 = time.perf_counter()
        r = client.get(self.url, params={"query": text}, headers={"Accept": JSON_RESULTS}, timeout=timeout)
        body = r.content
        seconds = time.perf_counter() - t0
        if r.status_code != 200:
            raise RuntimeError(f"{self.name}: HTTP {r.status_code}: {body[:300]!r}")
        return seconds, body

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client() as c:
            while time.monotonic() < deadline:
                if self.service.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited before it answered")
                try:
                    self.query("ASK { }", c, 10)
                    return
                except (httpx.HTTPError, RuntimeError):
                    time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        self.service.stop()


def torkg_server(store: Path, timeout: float, workers: int = 2) -> HttpEndpoint:
    """``torkg serve`` on the store (results limit lifted: the bench compares full answers)."""
    port = free_port()
    env = {"TORKG_MAX_RESULTS": "100000000", "TORKG_QUERY_TIMEOUT": str(timeout), "TORKG_WORKERS": str(workers)}
    svc = Service([sys.executable, "-m", "torkg.api.server", "--store", str(store), "--port", str(port)], env,
                  talk=False)
    ep = HttpEndpoint("torkg-http", svc, f"http://127.0.0.1:{port}/sparql")
    ep.wait_ready(180)
    return ep


def rdflib_endpoint(dump: Path, load_timeout: float) -> HttpEndpoint:
    port = free_port()
    svc = Service([sys.executable, "-m", "bench.rdflib_side", "endpoint", str(dump), str(port)])
    info = svc.read_json(load_timeout)
    if info is None:
        svc.stop()
        raise RuntimeError(f"rdflib-endpoint did not load {dump} within {load_timeout:.0f} s")
    ep = HttpEndpoint("rdflib-endpoint", svc, f"http://127.0.0.1:{port}/sparql", info)
    ep.wait_ready(60)
    return ep


class RdflibWorker:
    """rdflib's in-memory Dataset in a child process: ``run`` returns (seconds, rows) or raises
    ``TimeoutError`` (the worker is then killed: rdflib cannot stop a query)."""

    def __init__(self, dump: Path, load_timeout: float):
        self.dump = dump
        self.service = Service([sys.executable, "-m", "bench.rdflib_side", "direct", str(dump)])
        info = self.service.read_json(load_timeout)
        if info is None:
            self.service.stop()
            raise RuntimeError(f"rdflib did not load {dump} within {load_timeout:.0f} s")
        self.info = info

    def run(self, query: str, bindings: dict[str, str], timeout: float) -> tuple[float, int]:
        self.service.proc.stdin.write(json.dumps({"query": query, "bindings": bindings}) + "\n")
        self.service.proc.stdin.flush()
        out = self.service.read_json(timeout)
        if out is None:
            self.service.stop()
            raise TimeoutError(f"rdflib took over {timeout:.0f} s")
        if "error" in out:
            raise RuntimeError(out["error"])
        return out["seconds"], out["rows"]

    @property
    def alive(self) -> bool:
        return self.service.proc.poll() is None

    def stop(self) -> None:
        self.service.stop()
