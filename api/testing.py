"""Start a real torkg server in a subprocess on a free loopback port: for tests and benchmarks.

>>> with start_server("var/store") as server:     # doctest: +SKIP
...     httpx.get(server.url + "/health").json()["status"]
'ok'
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A running ``python -m torkg.api.server``; ``url`` is its base URL."""

    def __init__(self, store_path: str | os.PathLike, env: dict[str, str] | None = None,
                 log_path: str | os.PathLike | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **(env or {})}
        self.log_path = Path(log_path) if log_path else None
        self._log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "torkg.api.server", "--store", str(store_path),
             "--host", "127.0.0.1", "--port", str(self.port)],
            env=full_env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60.0) -> "ServerProcess":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}; log: {self.log()}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout} s; log: {self.log()}")

    def log(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-4000:]
        return "(not captured)"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self._log is not subprocess.DEVNULL:
            self._log.close()

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_server(store_path: str | os.PathLike, env: dict[str, str] | None = None,
                 log_path: str | os.PathLike | None = None, timeout: float = 60.0) -> ServerProcess:
    """Start a server over ``store_path`` (settings from ``env``) and wait until it answers."""
    return ServerProcess(store_path, env, log_path).wait_ready(timeout)


def build_store(path: str | os.PathLike, *data_files: str | os.PathLike) -> Path:
    """A store at ``path`` holding the named graphs of the given TriG / N-Quads files."""
    from rdflib import Dataset

    from torkg.store import OxigraphStore

    graphs: dict[str, list] = {}
    for f in data_files:
        ds = Dataset()
        ds.parse(str(f), format="trig" if str(f).endswith(".trig") else "nquads")
        for s, p, o, g in ds.quads((None, None, None, None)):
            graphs.setdefault(str(g), []).append((s, p, o))
    store = OxigraphStore(path)
    try:
        store.replace_graphs(graphs)
    finally:
        store.close()
    return Path(path)
