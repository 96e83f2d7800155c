"""The benchmark runner: ``python -m bench.run [--quick] [--sizes 100,1000] [--only ingest,queries,checks]``.

Full mode (``make bench``): ingestion at 100 and 1,000 documents (10,000 extrapolated unless
``--ingest-max 10000``), ingestion ratios on a 100-document corpus (3 interleaved repeats;
``--only ratio`` runs them alone), queries at 5 (the seed corpus), 100 and 1,000 documents
(rdflib only up to 2 million quads), checks at 5 and 1,000 (at every size ``--sizes`` names).
``--sizes 5,100,1000,10000`` adds a 10,000-document store cloned from the 1,000 one
(``bench/clone.py``; 52 M quads, about 17 min of bulk loading on 2 cores). Quick mode
(``make bench-quick``, CI): a 2-document corpus, one repeat, short throughput windows: it shows
that every part runs, not how fast. ``--add`` merges the sizes a run measures into the saved
query and check results (e.g. ``--only queries,checks --sizes 10000 --add`` after a full run).

Results go to ``bench/results/{ingest,queries,checks}.json`` (``quick-*.json`` in quick mode), then
``bench/plots.py`` draws the PNGs and prints the README table.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field

from bench.common import REPO, WORK, load, log, save


@dataclass
class Plan:
    quick: bool
    ratio_size: int = 100        # big enough that start-up does not decide the --jobs gain
    ratio_repeats: int = 3
    ingest_sizes: list[int] = field(default_factory=lambda: [100, 1000])
    ingest_max: int = 1000
    extrapolate_to: int = 10_000
    query_sizes: list[int] = field(default_factory=lambda: [5, 100, 1000])
    rdflib_max_triples: int = 2_000_000
    query_repeats: int = 5
    query_timeout: float = 20.0
    throughput_seconds: float = 10.0
    check_sizes: list[int] = field(default_factory=lambda: [5, 1000])
    check_drafts: int = 3
    check_repeats: int = 2
    query_names: list[str] | None = None          # None: every named query
    scale_floor: bool = True
    seed: int = 0

    @property
    def prefix(self) -> str:
        return "quick-" if self.quick else ""


def plan_from(args) -> Plan:
    if args.quick:
        sizes = args.sizes or [2]
        plan = Plan(True, ratio_size=sizes[0], ratio_repeats=1, ingest_sizes=sizes, ingest_max=max(sizes),
                    extrapolate_to=10_000, query_sizes=sizes, query_repeats=1, query_timeout=20.0,
                    throughput_seconds=0.5, check_sizes=sizes, check_drafts=1, check_repeats=1,
                    query_names=["documents", "networks", "provisions", "structure"], scale_floor=False)
    else:
        plan = Plan(False)
        if args.sizes:
            plan.ingest_sizes = [n for n in args.sizes if n <= args.ingest_max]
            plan.query_sizes = args.sizes
            plan.check_sizes = sorted(set(args.sizes))
        plan.ingest_max = args.ingest_max
    plan.seed = args.seed
    if args.repeats:
        plan.ratio_repeats = plan.query_repeats = plan.check_repeats = args.repeats
    return plan


def run_ingest(plan: Plan) -> dict:
    """Scale runs first (their stores serve the query benchmarks), then the interleaved ratio
    repeats; the JSON is rewritten after each stage so a long run can be read while it goes."""
    from bench import measure_ingest as mi
    started = time.perf_counter()
    out: dict = {"plan": {"ratio_size": plan.ratio_size, "ratio_repeats": plan.ratio_repeats,
                          "sizes": plan.ingest_sizes, "seed": plan.seed}, "scale": []}
    if plan.quick:            # one ratio round; its last store serves as the scale run
        keep = WORK / f"store-{plan.ratio_size}-s{plan.seed}"
        out["ratio"] = mi.measure_ratio(plan.ratio_size, 1, plan.seed, keep_store=keep)
        out["scale"] = [mi.scale_from_kept(plan.ratio_size, plan.seed, keep, out["ratio"])]
        out["seconds"] = round(time.perf_counter() - started, 1)
        return out
    for i, n in enumerate(plan.ingest_sizes):
        if n > plan.ingest_max:
            continue
        jobs = 1 if plan.quick else 2
        out["scale"].append(mi.measure_scale(n, jobs, plan.seed, with_floor=(i == 0 and plan.scale_floor),
                                             keep_store=WORK / f"store-{n}-s{plan.seed}"))
        points = [(s["documents"], s["ingest"]["wall_s"]) for s in out["scale"]]
        if plan.extrapolate_to > max(p[0] for p in points):
            seconds = mi.extrapolate(points, plan.extrapolate_to) or 0
            out["extrapolated"] = {"documents": plan.extrapolate_to, "wall_s": round(seconds, 1),
                                   "hours": round(seconds / 3600, 2), "method": "linear fit of the measured sizes"}
        save(plan.prefix + "ingest", out)
    out["ratio"] = mi.measure_ratio(plan.ratio_size, plan.ratio_repeats, plan.seed)
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def run_ratio(plan: Plan) -> dict:
    """Only the interleaved ratio repeats, replacing those of the saved ingest results (the scale
    runs there are kept)."""
    from bench import measure_ingest as mi
    out = load(plan.prefix + "ingest") or {"plan": {}, "scale": []}
    for key in ("benchmark", "generated", "machine"):
        out.pop(key, None)
    out["plan"].update({"ratio_size": plan.ratio_size, "ratio_repeats": plan.ratio_repeats, "seed": plan.seed})
    out["ratio"] = mi.measure_ratio(plan.ratio_size, plan.ratio_repeats, plan.seed)
    return out


def merge_sizes(name: str, new: dict) -> dict:
    """``new`` with the sizes of the saved ``{name}.json`` it did not measure kept (``--add``).
    Each kept size carries the date and machine of the run that measured it."""
    old = load(name)
    if old is None:
        return new
    measured = {s["documents"] for s in new["sizes"]}
    kept = [s | {"measured": s.get("measured") or {"generated": old.get("generated"), "machine": old.get("machine")}}
            for s in old.get("sizes", []) if s["documents"] not in measured]
    out = dict(new)
    out["sizes"] = sorted(kept + new["sizes"], key=lambda s: s["documents"])
    out["plan"] = dict(new.get("plan", {}), sizes=[s["documents"] for s in out["sizes"]])
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="CI-sized run: seconds, not minutes")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                   help="corpus sizes (documents), e.g. 100,1000")
    p.add_argument("--only", type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                   default=["ingest", "queries", "checks"],
                   help="ingest,queries,checks (ingest = scale runs and ratio repeats; "
                        "ratio = only the ratio repeats, merged into the saved ingest results)")
    p.add_argument("--ratio-size", type=int, help="documents in the ratio repeats (default 100)")
    p.add_argument("--repeats", type=int, help="override the number of repeats")
    p.add_argument("--ingest-max", type=int, default=1000,
                   help="largest corpus to ingest for real (larger ones are extrapolated / cloned)")
    p.add_argument("--add", action="store_true",
                   help="keep the saved query and check results of sizes this run does not measure")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-plots", action="store_true")
    args = p.parse_args(argv)
    unknown = set(args.only) - {"ingest", "ratio", "queries", "checks"}
    if unknown:
        p.error(f"--only takes ingest, ratio, queries, checks (not {', '.join(sorted(unknown))})")
    plan = plan_from(args)
    if args.ratio_size:
        plan.ratio_size = args.ratio_size
    WORK.mkdir(parents=True, exist_ok=True)
    log(f"plan: {plan}")
    written = []
    if "ingest" in args.only:
        written.append(save(plan.prefix + "ingest", run_ingest(plan)))
    elif "ratio" in args.only:
        written.append(save(plan.prefix + "ingest", run_ratio(plan)))
    if "queries" in args.only:
        from bench.measure_queries import run_queries
        result = run_queries(plan)
        written.append(save(plan.prefix + "queries", merge_sizes(plan.prefix + "queries", result) if args.add else result))
    if "checks" in args.only:
        from bench.measure_checks import run_checks
        result = run_checks(plan)
        written.append(save(plan.prefix + "checks", merge_sizes(plan.prefix + "checks", result) if args.add else result))
    for path in written:
        print(path)
    if not args.no_plots:
        from bench import plots
        plots.main(["--prefix", plan.prefix])
    return 0


if __name__ == "__main__":
    sys.exit(main())
