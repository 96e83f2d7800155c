"""Killable query workers: a small pool of processes, each with its own read-only store.

pyoxigraph cannot cancel a running query, so queries never run in the server process. Each worker
(a ``spawn``ed process) opens the newest store snapshot read-only, takes one task at a time from a
pipe, and sends back the serialised answer. When a task outlives its time limit the server sends
the worker ``SIGKILL`` (its CPU is released at once), answers the client with a timeout, and starts
a replacement in the background, so the other workers keep answering meanwhile.

>>> pool = WorkerPool("/nonexistent/store", size=1)   # doctest: +SKIP
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import resource
import signal
import threading
import time

log = logging.getLogger("torkg.api.workers")
_CTX = mp.get_context("spawn")


class PoolBusy(Exception):
    """Every worker stayed busy for as long as a query may run."""


class QueryTimeout(Exception):
    """The task ran past its limit; its worker was killed."""


class WorkerCrashed(Exception):
    """The worker died while running the task (e.g. out of memory)."""


def _worker_main(conn, store_path: str, parent_pid: int, memory_mb: int | None = None) -> None:
    """The loop of one worker process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C goes to the server, which stops us
    if memory_mb:                                   # a query that needs more dies, not the machine
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    from torkg.api import tasks                     # heavy imports happen in the child
    ctx = tasks.Context(store_path)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = tasks.execute(ctx, task)
        try:
            conn.send(result)
        except OSError:
            return


def _exit_with_parent(parent_pid: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            os._exit(0)


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, store_path: str, memory_mb: int | None = None):
        self.conn, child = _CTX.Pipe()
        self.proc = _CTX.Process(target=_worker_main, args=(child, store_path, os.getpid(), memory_mb),
                                 daemon=True, name="torkg-query-worker")
        self.proc.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.proc.pid

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def kill(self) -> None:
        try:
            if self.proc.pid and self.proc.is_alive():
                os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.join(2)
        except (OSError, ValueError):
            pass
        finally:
            self.conn.close()

    def stop(self) -> None:
        """Ask politely, then kill."""
        try:
            self.conn.send(None)
            self.proc.join(1)
        except (OSError, ValueError):
            pass
        self.kill()


class WorkerPool:
    """``size`` workers over the store at ``store_path``; ``run`` is thread-safe and blocking."""

    def __init__(self, store_path: str, size: int = 2, start_timeout: float = 60.0,
                 memory_mb: int | None = None):
        self.store_path = str(store_path)
        self.size = size
        self.memory_mb = memory_mb
        self.start_timeout = start_timeout
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> "WorkerPool":
        workers = [Worker(self.store_path, self.memory_mb) for _ in range(self.size)]
        for w in workers:
            self._adopt(w)
        return self

    def _adopt(self, w: Worker) -> None:
        if not w.wait_ready(self.start_timeout):
            w.kill()
            raise RuntimeError("a query worker did not start; see the server log for its error")
        with self._lock:
            if self._closed:
                w.kill()
                return
            self._all.add(w)
        self._idle.put(w)

    def _replace(self, dead: Worker) -> None:
        with self._lock:
            self._all.discard(dead)
            if self._closed:
                return

        def spawn() -> None:
            try:
                self._adopt(Worker(self.store_path, self.memory_mb))
            except Exception:  # pragma: no cover - logged, the pool shrinks by one
                log.exception("could not start a replacement query worker")
        threading.Thread(target=spawn, name="torkg-worker-respawn", daemon=True).start()

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.pid for w in self._all if w.pid)

    def run(self, task: dict, timeout: float, wait: float | None = None) -> dict:
        """Run ``task`` on a free worker: its outcome dict, or ``QueryTimeout`` after ``timeout``
        seconds (the worker is killed), or ``PoolBusy`` if no worker frees up within ``wait``."""
        if self._closed:
            raise PoolBusy("the server is shutting down")
        try:
            w = self._idle.get(timeout=timeout if wait is None else wait)
        except queue.Empty:
            raise PoolBusy("all query workers are busy") from None
        if not w.proc.is_alive():
            w.kill()
            self._replace(w)
            return self.run(task, timeout, wait)
        try:
            w.conn.send(task)
            if w.conn.poll(timeout):
                result = w.conn.recv()
                self._idle.put(w)
                return result
        except (EOFError, OSError):
            w.kill()
            self._replace(w)
            raise WorkerCrashed("the query worker died while running the request") from None
        log.warning("killing query worker %s after %.1f s", w.pid, timeout)
        w.kill()
        self._replace(w)
        raise QueryTimeout(f"the request ran longer than {timeout:g} s and was stopped")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()
