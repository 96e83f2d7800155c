"""Checks: the time to check one draft against stores of growing size, split into its stages,
and SHACL validation by pyshacl against faster validators on the very same data graph.

Stages of ``workflow.check_draft``: reading (``read_bytes``), NLP (the rest of ``draft_graph``:
metadata, spaCy, extraction, triples), fetching the global ToR's graph from the store,
validation (``check_document``: coverage, pyshacl, verdicts and evidence; pyshacl alone is
reported beside it), and reporting (the report graph, and the JSON rendering when
``torkg.shapes.report`` is installed). The spaCy model is loaded before timing (reported apart).
Drafts are generated documents that are not in the store.
"""
from __future__ import annotations

import importlib
import time
from pathlib import Path

from bench.common import log, median
from bench.generate import document_spec, render
from torkg import iris
from torkg.store import OxigraphStore

DRAFT_BASE = 100_000
VALIDATORS = ("pyshacl", "pyshacl_turbo", "shifty")


def drafts(count: int, seed: int) -> list[tuple[str, bytes]]:
    out, i = [], DRAFT_BASE
    while len(out) < count:
        spec = document_spec(i, seed)
        if spec.doc_type == "terms-of-reference":
            out.append((f"draft-{spec.doc_id}.md", render(spec).encode()))
        i += 1
    return out


class _Capture:
    """Keeps a copy of the data graph ``check_document`` hands to ``validate`` (to give other
    validators exactly the same input); calls through to the real function. Used in an untimed
    run only: the copy costs as much as building the graph."""

    def __init__(self, module):
        self.module, self.real, self.data = module, module.validate, None

    def __enter__(self):
        def validate(data, shapes=None):
            copy = type(data)()                        # the same graph class (torkg caches queries)
            for t in data:
                copy.add(t)
            self.data = copy
            return self.real(data, shapes)
        self.module.validate = validate
        return self

    def __exit__(self, *exc):
        self.module.validate = self.real


def stages(store, name: str, data: bytes) -> dict:
    from torkg.ingest.read import read_bytes
    from torkg.shapes import check, workflow
    t0 = time.perf_counter()
    read_bytes(data, name)
    t1 = time.perf_counter()
    graph = workflow.draft_graph(data, name)
    t2 = time.perf_counter()
    parent = store.graph(str(iris.doc_graph(workflow.DEFAULT_PARENT)))
    t3 = time.perf_counter()
    report = check.check_document(graph, parent)
    t4 = time.perf_counter()
    check.report_graph(report)
    try:
        render = importlib.import_module("torkg.shapes.report")
        render.to_json([report])
    except ImportError:
        pass
    t5 = time.perf_counter()
    return {"read_s": t1 - t0, "nlp_s": (t2 - t1) - (t1 - t0), "fetch_s": t3 - t2, "validation_s": t4 - t3,
            "pyshacl_s": report.seconds, "report_s": t5 - t4, "total_s": t5 - t0,
            "statuses": report.statuses()}


def end_to_end(store, name: str, data: bytes) -> float:
    from torkg.shapes import workflow
    t0 = time.perf_counter()
    workflow.check_draft(store, data, name)
    return time.perf_counter() - t0


def _results(report_graph) -> set:
    from rdflib.namespace import RDF, SH
    return {(report_graph.value(r, SH.focusNode), report_graph.value(r, SH.sourceShape),
             report_graph.value(r, SH.resultSeverity), report_graph.value(r, SH.resultPath))
            for r in report_graph.subjects(RDF.type, SH.ValidationResult)}


def compare_validators(data, repeats: int) -> dict:
    """Each validator on copies of ``data`` with torkg's alignment shapes: time and same verdicts?"""
    from torkg.shapes import alignment_shapes
    shapes = alignment_shapes()
    out, reference = {}, None
    for name in VALIDATORS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            out[name] = {"note": "not installed"}
            continue
        times, found, error = [], None, None
        for _ in range(repeats):
            g = type(data)()
            for t in data:
                g.add(t)
            t0 = time.perf_counter()
            try:
                conforms, report, _ = module.validate(g, shacl_graph=shapes, advanced=True, inference="none",
                                                      inplace=True, allow_warnings=False) if name != "shifty" else \
                    module.validate(g, shapes, infer=False)
            except Exception as e:  # an unsupported feature: recorded, not fatal
                error = f"{type(e).__name__}: {e}"[:300]
                break
            times.append(time.perf_counter() - t0)
            if not hasattr(report, "subjects"):            # a failure object instead of a report
                error = f"no report: {report}"[:300]
                break
            found = (bool(conforms), _results(report))
        entry = {"median_s": round(median(times), 3) if times else None, "runs": len(times)}
        if error:
            entry["error"] = error
        if found is not None:
            entry["results"] = len(found[1])
            entry["conforms"] = found[0]
            if reference is None:
                reference = found
            entry["identical_to_pyshacl"] = found == reference
        out[name] = entry
    return out


def measure_size(n: int, plan, drafts_: list[tuple[str, bytes]]) -> dict:
    from bench.measure_queries import store_for
    from torkg.shapes import check
    path, origin = store_for(n, plan)
    log(f"checks n={n} ({origin})")
    with OxigraphStore(path, read_only=True) as store:
        runs, e2e = [], []
        with _Capture(check) as cap:                       # warm-up (shapes, reference data, caches),
            stages(store, *drafts_[0])                     # untimed: copying the data graph takes time
        validators = compare_validators(cap.data, plan.check_repeats) if cap.data is not None else None
        for name, data in drafts_:
            for r in range(plan.check_repeats):
                runs.append(stages(store, name, data))
                e2e.append(end_to_end(store, name, data))
    keys = ("read_s", "nlp_s", "fetch_s", "validation_s", "pyshacl_s", "report_s", "total_s")
    return {"documents": n, "store": origin, "drafts": len(drafts_), "repeats": plan.check_repeats,
            "median": {k: round(median([r[k] for r in runs]), 3) for k in keys},
            "end_to_end_check_draft_s": round(median(e2e), 3), "validators": validators,
            "runs": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()} for r in runs]}


def run_checks(plan) -> dict:
    from torkg.ingest.pipeline import load_pipeline
    t0 = time.perf_counter()
    load_pipeline()
    model_s = time.perf_counter() - t0
    ds = drafts(plan.check_drafts, plan.seed)
    words = [len(d.split()) for _, d in ds]
    out = {"plan": {"sizes": plan.check_sizes, "drafts": plan.check_drafts, "repeats": plan.check_repeats},
           "model_load_s": round(model_s, 2), "draft_words": words, "sizes": []}
    for n in plan.check_sizes:
        out["sizes"].append(measure_size(n, plan, ds))
    return out
