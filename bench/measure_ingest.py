"""Ingestion: torkg's words per second against spaCy's bare ``nlp.pipe`` floor, ``--jobs 2`` against
``--jobs 1``, peak memory, store size on disk, and the time to re-ingest an unchanged corpus.

Every figure comes from a fresh process, as a user runs it (``torkg --store S ingest DIR``); the
floor is a fresh process too (``python -m bench.floor DIR``: load the same model, read the same
files, ``nlp.pipe`` them). Both include start-up and model loading, so the ratio compares what a
user waits for; the floor's pipe-only time is recorded beside it. The floor and torkg runs are
interleaved, and their order rotates between repeats, so a burst of load from other work on the
machine hits both alike; CPU seconds are recorded beside wall seconds for the same reason.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from bench.common import WORK, Run, disk_usage, log, median, run_measured
from bench.generate import generate_corpus

TORKG = [sys.executable, "-m", "torkg.cli"]


def corpus_dir(n: int, seed: int = 0) -> Path:
    """The synthetic corpus of ``n`` documents (+ the global ToR), generated once and reused."""
    out = WORK / f"corpus-{n}-s{seed}"
    done = out / ".complete"
    if not done.exists():
        if out.exists():
            shutil.rmtree(out)
        log(f"generating {n} documents in {out}")
        stats = generate_corpus(n, out, seed)
        done.write_text(json.dumps(stats))
    return out


def corpus_words(folder: Path) -> int:
    """Words as torkg counts them (``len(text.split())``) in every document of ``folder``."""
    return sum(len(p.read_text(encoding="utf-8").split()) for p in sorted(folder.glob("*.md")))


def floor(folder: Path) -> tuple[Run, dict]:
    run = run_measured([sys.executable, "-m", "bench.floor", str(folder)])
    if run.returncode:
        raise RuntimeError(f"the spaCy floor failed: {run.stderr[-2000:]}")
    return run, json.loads(run.stdout)


def ingest(folder: Path, store: Path, jobs: int, fresh: bool = True) -> Run:
    if fresh and store.exists():
        shutil.rmtree(store)
    run = run_measured([*TORKG, "--store", str(store), "ingest", str(folder), "--jobs", str(jobs), "--quiet"])
    if run.returncode:
        raise RuntimeError(f"torkg ingest --jobs {jobs} failed: {run.stderr[-2000:]}")
    return run


def _rate(words: int, run: Run) -> dict:
    return {**run.as_dict(), "words_per_s": round(words / run.wall, 1), "words_per_cpu_s": round(words / run.cpu, 1)}


def measure_ratio(n: int, repeats: int, seed: int = 0, keep_store: Path | None = None) -> dict:
    """Interleaved repeats of floor, ``--jobs 1`` and ``--jobs 2`` on the corpus of ``n``. With
    ``keep_store``, the last store written is kept there (quick mode reuses it)."""
    folder = corpus_dir(n, seed)
    words = corpus_words(folder)
    store = keep_store or WORK / f"store-ratio-{n}"
    rounds = []
    order = ["floor", "jobs1", "jobs2"]
    for r in range(repeats):
        this = {}
        for kind in order[r % 3:] + order[:r % 3]:
            log(f"ingest ratio n={n} repeat {r + 1}/{repeats}: {kind}")
            if kind == "floor":
                run, inner = floor(folder)
                this["floor"] = {**_rate(words, run), "pipe_only_s": inner["pipe_s"], "load_s": inner["load_s"],
                                 "pipe_only_words_per_s": round(words / inner["pipe_s"], 1)}
            else:
                this[kind] = _rate(words, ingest(folder, store, int(kind[-1])))
        this["ratio_jobs1_vs_floor"] = round(this["floor"]["wall_s"] / this["jobs1"]["wall_s"], 3)
        this["ratio_jobs1_vs_floor_cpu"] = round(this["floor"]["cpu_s"] / this["jobs1"]["cpu_s"], 3)
        this["gain_jobs2"] = round(this["jobs1"]["wall_s"] / this["jobs2"]["wall_s"], 3)
        rounds.append(this)
    if keep_store is None:
        shutil.rmtree(store, ignore_errors=True)
    summary = {k: median([r[k] for r in rounds]) for k in ("ratio_jobs1_vs_floor", "ratio_jobs1_vs_floor_cpu", "gain_jobs2")}
    for kind in order:
        for field in ("wall_s", "cpu_s", "words_per_s", "peak_rss_mib", "load_average"):
            summary[f"{kind}_{field}"] = median([r[kind][field] for r in rounds])
    return {"documents": n + 1, "words": words, "repeats": repeats, "median": summary, "rounds": rounds}


def measure_scale(n: int, jobs: int, seed: int = 0, with_floor: bool = False, keep_store: Path | None = None) -> dict:
    """One fresh ingestion of the corpus of ``n`` (time, memory, store size), then a re-ingestion
    of the unchanged corpus. The store is kept at ``keep_store`` for the query benchmarks."""
    folder = corpus_dir(n, seed)
    words = corpus_words(folder)
    store = keep_store or WORK / f"store-scale-{n}"
    log(f"ingest scale n={n} --jobs {jobs} ({words} words)")
    first = ingest(folder, store, jobs)
    log(f"re-ingest unchanged n={n}")
    again = ingest(folder, store, jobs, fresh=False)
    out = {"documents": n + 1, "words": words, "jobs": jobs, "ingest": _rate(words, first),
           "reingest_unchanged": again.as_dict(), "summary": first.stdout.strip().splitlines(),
           "store_bytes": disk_usage(store), "store_primary_bytes": disk_usage(store / "primary")}
    if with_floor:
        log(f"spaCy floor n={n}")
        run, inner = floor(folder)
        out["floor"] = {**_rate(words, run), "pipe_only_s": inner["pipe_s"]}
    if keep_store is None:
        shutil.rmtree(store, ignore_errors=True)
    return out


def scale_from_kept(n: int, seed: int, store: Path, ratio: dict) -> dict:
    """A scale entry from the last ratio run's store (quick mode: no second ingestion)."""
    folder = corpus_dir(n, seed)
    last = ratio["rounds"][-1]
    kind = [k for k in ("floor", "jobs1", "jobs2") if k in last][-1]
    again = ingest(folder, store, 1, fresh=False)
    return {"documents": n + 1, "words": ratio["words"], "jobs": int(kind[-1]), "ingest": last[kind],
            "reingest_unchanged": again.as_dict(), "store_bytes": disk_usage(store),
            "store_primary_bytes": disk_usage(store / "primary")}


def extrapolate(points: list[tuple[int, float]], n: int) -> float | None:
    """Linear least squares through (documents, seconds) points, evaluated at ``n``."""
    if len(points) < 2:
        return points[0][1] * n / points[0][0] if points else None
    xs, ys = zip(*points)
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    return my + slope * (n - mx)
