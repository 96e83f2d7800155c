"""Plots and the README table from ``bench/results/*.json``.

``python -m bench.plots [--prefix quick-]`` draws ``bench/results/{prefix}ingest.png``,
``{prefix}queries.png`` and ``{prefix}checks.png`` (what exists), writes the Markdown tables to
``bench/results/{prefix}tables.md`` and, for a full run, between the result markers of
``bench/README.md``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from bench.common import RESULTS, load, median

README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
SYSTEMS = ("pyoxigraph", "torkg-http", "rdflib", "rdflib-endpoint")
TARGETS = {"ingest_vs_floor": 0.8, "jobs2_gain": 1.7, "http_vs_direct": 1.5, "throughput_vs_peer": 10.0,
           "draft_check_s": 3.0}


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _ok(value, target, higher=True) -> str:
    if value is None:
        return "not measured"
    return "met" if (value >= target if higher else value <= target) else "**missed**"


# --- ingestion ----------------------------------------------------------------------------------
def ingest_plot(data: dict, out: Path) -> None:
    plt = _plt()
    scale = data.get("scale", [])
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    xs = [s["documents"] for s in scale]
    a.plot(xs, [s["ingest"]["wall_s"] for s in scale], "o-", label=f"torkg ingest --jobs {scale[0]['jobs'] if scale else 2}")
    floors = [(s["documents"], s["floor"]["wall_s"]) for s in scale if "floor" in s]
    if floors:
        a.plot(*zip(*floors), "s", label="spaCy nlp.pipe floor (measured)")
        per_doc = floors[-1][1] / floors[-1][0]
        a.plot(xs, [per_doc * x for x in xs], ":", color="C1", label="floor, same rate")
    a.plot(xs, [s["reingest_unchanged"]["wall_s"] for s in scale], "^-", label="re-ingest unchanged")
    ext = data.get("extrapolated")
    if ext and scale:
        a.plot([xs[-1], ext["documents"]], [scale[-1]["ingest"]["wall_s"], ext["wall_s"]], "--", color="C0",
               label=f"extrapolated ({ext['hours']} h)")
    a.set(xscale="log", yscale="log", xlabel="documents", ylabel="seconds (wall)", title="Ingestion time")
    a.legend(fontsize=8)
    b.plot(xs, [s["ingest"]["peak_rss_mib"] for s in scale], "o-", label="peak memory (process tree)")
    b.plot(xs, [s["store_bytes"] / 2**20 for s in scale], "s-", label="store on disk")
    b.set(xscale="log", yscale="log", xlabel="documents", ylabel="MiB", title="Memory and store size")
    b.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def ingest_table(data: dict) -> list[str]:
    lines = ["| documents | words | torkg wall s | words/s | CPU s | peak memory MiB | store MiB | re-ingest unchanged s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in data.get("scale", []):
        i = s["ingest"]
        lines.append(f"| {s['documents']:,} | {s['words']:,} | {i['wall_s']:.0f} | {i['words_per_s']:.0f} | {i['cpu_s']:.0f} | "
                     f"{i['peak_rss_mib']:.0f} | {s['store_bytes'] / 2**20:.0f} | {s['reingest_unchanged']['wall_s']:.1f} |")
    ext = data.get("extrapolated")
    if ext:
        lines.append(f"| {ext['documents']:,} (extrapolated) | | {ext['wall_s']:.0f} ({ext['hours']} h) | | | | | |")
    return lines


# --- queries ------------------------------------------------------------------------------------
def _p50s(size: dict, system: str) -> dict[str, float]:
    return {q: v["p50_ms"] for q, v in size["systems"].get(system, {}).items()
            if isinstance(v, dict) and v.get("p50_ms") is not None}


def queries_plot(data: dict, out: Path) -> None:
    plt = _plt()
    sizes = data["sizes"]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    for k, system in enumerate(SYSTEMS):
        pts = [(s["documents"], median(list(_p50s(s, system).values()))) for s in sizes if _p50s(s, system)]
        if pts:
            a.plot(*zip(*pts), "o-", color=f"C{k}", label=system)
    a.set(xscale="log", yscale="log", xlabel="documents", ylabel="ms",
          title="Median p50 latency of the named queries")
    a.legend(fontsize=8)
    for k, system in enumerate(("torkg-http", "rdflib-endpoint")):
        for j, clients in enumerate((1, 4, 16)):
            pts = [(s["documents"], t["requests_per_s"]) for s in sizes for t in s["throughput"].get(system, [])
                   if t["clients"] == clients and t["requests_per_s"] is not None]
            if pts:
                b.plot(*zip(*pts), ["o-", "s--", "^:"][j], color=f"C{1 + 2 * k}", label=f"{system}, {clients} clients")
    b.set(xscale="log", yscale="log", xlabel="documents", ylabel="requests/s", title="Throughput (scoped queries)")
    b.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def queries_tables(data: dict) -> tuple[list[str], dict]:
    sizes = data["sizes"]
    lines = ["| documents | quads | " + " | ".join(f"{s} median p50 ms" for s in SYSTEMS) + " |",
             "|---:|---:|" + "---:|" * len(SYSTEMS)]
    for s in sizes:
        cells = []
        for system in SYSTEMS:
            p = _p50s(s, system)
            cells.append(f"{median(list(p.values())):.1f} ({len(p)} q)" if p else "—")
        lines.append(f"| {s['documents']:,} | {s['quads']:,} | " + " | ".join(cells) + " |")
    full = [s for s in sizes if _p50s(s, "rdflib")] or sizes
    big = full[-1]
    lines += ["", f"Per query at {big['documents']:,} documents (p50 / p95 ms; HTTP/direct = torkg-http p50 ÷ pyoxigraph p50):", "",
              "| query | " + " | ".join(SYSTEMS) + " | HTTP/direct |", "|---|" + "---:|" * (len(SYSTEMS) + 1)]
    worst = []
    for s in sizes:
        a, b = _p50s(s, "pyoxigraph"), _p50s(s, "torkg-http")
        worst += [b[q] / a[q] for q in a if q in b and a[q] > 5]
    for q in sorted(big["systems"]["torkg-http"]):
        cells = []
        for system in SYSTEMS:
            v = big["systems"].get(system, {}).get(q, {})
            cells.append(f"{v['p50_ms']:.1f} / {v['p95_ms']:.1f}" if isinstance(v, dict) and v.get("p50_ms") is not None
                         else (v.get("note", "—")[:24] if isinstance(v, dict) else "—"))
        a, b = _p50s(big, "pyoxigraph").get(q), _p50s(big, "torkg-http").get(q)
        lines.append(f"| {q} | " + " | ".join(cells) + f" | {b / a:.2f} |" if a and b else f"| {q} | " + " | ".join(cells) + " | — |")
    lines += ["", "| documents | clients | torkg-http req/s | rdflib-endpoint req/s | ratio |", "|---:|---:|---:|---:|---:|"]
    ratios = []
    for s in sizes:
        peer = {t["clients"]: t["requests_per_s"] for t in s["throughput"].get("rdflib-endpoint", [])}
        for t in s["throughput"].get("torkg-http", []):
            p = peer.get(t["clients"])
            mine = t["requests_per_s"]
            r = mine / p if p and mine is not None else None
            if r:
                ratios.append(r)
            lines.append(f"| {s['documents']:,} | {t['clients']} | {f'{mine:.1f}' if mine is not None else '—'} | "
                         f"{p if p is not None else '—'} | "
                         f"{f'{r:.1f}×' if r else '—'} |")
    return lines, {"http_vs_direct_median": median(worst), "http_vs_direct_max": max(worst) if worst else None,
                   "http_vs_direct_over": sum(r > TARGETS["http_vs_direct"] for r in worst), "http_vs_direct_n": len(worst),
                   "throughput_ratio_min": min(ratios) if ratios else None}


# --- checks -------------------------------------------------------------------------------------
def checks_plot(data: dict, out: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.5, 4))
    keys = ("read_s", "nlp_s", "fetch_s", "validation_s", "report_s")
    labels = [f"{s['documents']:,}" for s in data["sizes"]]
    bottom = [0.0] * len(labels)
    for k in keys:
        vals = [s["median"][k] for s in data["sizes"]]
        ax.bar(labels, vals, bottom=bottom, label=k[:-2])
        bottom = [x + y for x, y in zip(bottom, vals)]
    ax.axhline(TARGETS["draft_check_s"], color="red", ls="--", lw=1, label="target 3 s")
    ax.set(xlabel="documents in the store", ylabel="seconds (median)", title="Checking one draft")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def checks_table(data: dict) -> list[str]:
    lines = ["| documents in store | read | NLP | fetch global ToR | validation (pyshacl part) | report | total | check_draft end to end |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in data["sizes"]:
        m = s["median"]
        lines.append(f"| {s['documents']:,} | {m['read_s']:.3f} | {m['nlp_s']:.2f} | {m['fetch_s']:.3f} | "
                     f"{m['validation_s']:.2f} ({m['pyshacl_s']:.2f}) | {m['report_s']:.3f} | {m['total_s']:.2f} | "
                     f"{s['end_to_end_check_draft_s']:.2f} |")
    v = (data["sizes"][0].get("validators") or {}) if data["sizes"] else {}
    if v:
        lines += ["", "| validator | median s | same results as pyshacl | note |", "|---|---:|---|---|"]
        for name, e in v.items():
            lines.append(f"| {name} | {e.get('median_s') if e.get('median_s') is not None else '—'} | "
                         f"{e.get('identical_to_pyshacl', '—')} | {e.get('error', e.get('note', ''))} |")
    return lines


# --- targets ------------------------------------------------------------------------------------
def targets_table(ing: dict | None, qs: dict | None, ch: dict | None, qstats: dict) -> list[str]:
    r = (ing or {}).get("ratio", {}).get("median", {})
    big_check = ch["sizes"][-1] if ch and ch["sizes"] else None
    rows = [("ingestion ≥ 0.8× bare spaCy (wall; CPU in brackets)", r.get("ratio_jobs1_vs_floor"), TARGETS["ingest_vs_floor"], True,
             f" ({r.get('ratio_jobs1_vs_floor_cpu')})"),
            ("`--jobs 2` ≥ 1.7× `--jobs 1`", r.get("gain_jobs2"), TARGETS["jobs2_gain"], True, ""),
            ("HTTP ≤ 1.5× direct pyoxigraph (every query > 5 ms, all sizes; worst)", qstats.get("http_vs_direct_max"),
             TARGETS["http_vs_direct"], False, f" (median {qstats.get('http_vs_direct_median') or 0:.2f}; "
             f"{qstats.get('http_vs_direct_over', 0)} of {qstats.get('http_vs_direct_n', 0)} over 1.5)"),
            ("≥ 10× rdflib-endpoint throughput (smallest ratio)", qstats.get("throughput_ratio_min"),
             TARGETS["throughput_vs_peer"], True, ""),
            (f"draft check < 3 s at {big_check['documents']:,} documents" if big_check else "draft check < 3 s",
             big_check["median"]["total_s"] if big_check else None, TARGETS["draft_check_s"], False, "")]
    lines = ["| target | measured | verdict |", "|---|---:|---|"]
    for name, value, target, higher, extra in rows:
        shown = f"{value:.2f}{extra}" if isinstance(value, (int, float)) else "—"
        lines.append(f"| {name} | {shown} | {_ok(value, target, higher)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.plots")
    p.add_argument("--prefix", default="")
    args = p.parse_args(argv)
    ing, qs, ch = (load(args.prefix + n) for n in ("ingest", "queries", "checks"))
    md = []
    qstats: dict = {}
    if ing and ing.get("scale"):
        ingest_plot(ing, RESULTS / f"{args.prefix}ingest.png")
        md += ["### Ingestion", "", *ingest_table(ing), ""]
    if qs and qs.get("sizes"):
        queries_plot(qs, RESULTS / f"{args.prefix}queries.png")
        lines, qstats = queries_tables(qs)
        md += ["### Queries", "", *lines, ""]
    if ch and ch.get("sizes"):
        checks_plot(ch, RESULTS / f"{args.prefix}checks.png")
        md += ["### Checks", "", *checks_table(ch), ""]
    md = ["### Targets", "", *targets_table(ing, qs, ch, qstats), "", *md]
    text = "\n".join(md)
    (RESULTS / f"{args.prefix}tables.md").write_text(text + "\n", encoding="utf-8")
    if not args.prefix and README.exists():
        readme = README.read_text(encoding="utf-8")
        if START in readme and END in readme:
            head, rest = readme.split(START, 1)
            README.write_text(head + START + "\n" + text + "\n" + END + rest.split(END, 1)[1], encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
