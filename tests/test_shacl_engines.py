"""The SHACL engines the checker can run (shapes/check.py ``validator``): pyshacl, the default,
and pyshacl-turbo, opted into with TORKG_SHACL_ENGINE. A differential test: both engines must give
the same validation results, hence the same verdicts, on the alignment fixtures, the seed ToRs and
generated ToRs with planted omissions and conflicts."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from bench.generate import document_spec, render
from torkg import iris
from torkg.shapes.check import ENGINE_VARIABLE, ShapesError, check_document, check_quality, results_of, validator
from torkg.shapes.workflow import draft_graph

pytest.importorskip("pyshacl_turbo")

DATA = Path(__file__).parent / "data" / "alignment"
CORPUS = Path(iris.__file__).parent.parent / "corpus"


@pytest.fixture(scope="module")
def documents(seed_graphs) -> dict[str, tuple[Graph, Graph]]:
    """(checked graph, global graph) by name: fixtures, seed ToRs, generated ToRs (read as drafts)."""
    fixture_global = Graph().parse(DATA / "global.ttl")
    out = {f"fixture:{n}": (Graph().parse(DATA / f"{n}.ttl"), fixture_global)
           for n in ("aligned", "alternative", "missing", "conflict")}
    for doc_id in ("asia-pacific-tor", "kyrgyzstan-tor"):
        out[f"seed:{doc_id}"] = (seed_graphs[doc_id], seed_graphs["global-tor"])
    specs = [document_spec(i) for i in range(200)]
    tors = [s for s in specs if s.doc_type == "terms-of-reference"]
    picked = [s for s in tors if s.conflicts][:3] + [s for s in tors if len(s.omissions) >= 2][:3]
    assert len(picked) == 6, "the generator no longer plants conflicts and omissions in 200 documents"
    for spec in picked:
        out[f"generated:{spec.doc_id}"] = (draft_graph(render(spec).encode(), f"{spec.doc_id}.md"),
                                           seed_graphs["global-tor"])
    return out


def _rows(report_graph: Graph) -> set[tuple]:
    """(focus, source shape, severity, path) of every result. Not the message: where a SHACL-SPARQL
    shape's query has several solutions for one focus node, the engines may fill the message
    template from a different one (e.g. the frequency "P2Y" or the clause that states it)."""
    return {(r.focus, r.shape, r.severity, r.path if isinstance(r.path, URIRef) else None)
            for r in results_of(report_graph)}


def _check(monkeypatch, engine: str, checked: Graph, global_graph: Graph):
    monkeypatch.setenv(ENGINE_VARIABLE, engine)
    return check_document(checked, global_graph)


def test_both_engines_give_the_same_results_and_verdicts(documents, monkeypatch):
    statuses_seen = set()
    for name, (checked, global_graph) in documents.items():
        a = _check(monkeypatch, "pyshacl", checked, global_graph)
        b = _check(monkeypatch, "pyshacl-turbo", checked, global_graph)
        assert _rows(a.results) == _rows(b.results), name
        assert a.conforms == b.conforms, name
        assert a.statuses() == b.statuses(), name
        assert {r: v.checked for r, v in a.verdicts.items()} == {r: v.checked for r, v in b.verdicts.items()}, name
        statuses_seen |= set(a.statuses().values())
    assert statuses_seen == {"aligned", "missing", "conflict"}   # the comparison covered every verdict


def test_both_engines_give_the_same_quality_findings(documents, monkeypatch):
    for name in ("seed:asia-pacific-tor", "fixture:missing"):
        checked, _ = documents[name]
        monkeypatch.setenv(ENGINE_VARIABLE, "pyshacl")
        a_conforms, a_report, _ = check_quality(checked)
        monkeypatch.setenv(ENGINE_VARIABLE, "pyshacl-turbo")
        b_conforms, b_report, _ = check_quality(checked)
        assert a_conforms == b_conforms and _rows(a_report) == _rows(b_report), name


def test_the_engine_comes_from_the_environment_with_pyshacl_by_default(monkeypatch):
    import pyshacl
    import pyshacl_turbo
    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    assert validator() is pyshacl
    monkeypatch.setenv(ENGINE_VARIABLE, "pyshacl-turbo")
    assert validator() is pyshacl_turbo
    assert validator("pyshacl") is pyshacl


def test_an_unknown_engine_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(ENGINE_VARIABLE, "jena")
    with pytest.raises(ShapesError, match="unknown SHACL engine 'jena'.*pyshacl, pyshacl-turbo"):
        validator()


def test_the_cli_checks_a_draft_with_the_engine_named(tmp_path):
    """`torkg check FILE` in a fresh process, as a user runs it, with each engine: same verdicts."""
    store = tmp_path / "store"
    env = {**os.environ, "TORKG_STORE": str(store)}
    cli = [sys.executable, "-m", "torkg.cli"]
    subprocess.run(cli + ["ingest", str(CORPUS / "global-tor.md")], env=env, check=True, capture_output=True)
    draft = tmp_path / "draft-tor.md"
    draft.write_text(render(next(s for s in map(document_spec, range(100)) if s.conflicts)))
    outputs = {}
    for engine in ("pyshacl", "pyshacl-turbo"):
        run = subprocess.run(cli + ["check", str(draft), "--format", "json"], env={**env, ENGINE_VARIABLE: engine},
                             capture_output=True, text=True)
        assert run.returncode in (0, 1), run.stderr      # 1: conflicts found
        outputs[engine] = run.stdout
    a, b = (json.loads(outputs[e]) for e in ("pyshacl", "pyshacl-turbo"))
    assert _statuses(a) == _statuses(b)
    assert {"aligned", "missing"} <= set(_statuses(a).values())
    bad = subprocess.run(cli + ["check", str(draft)], env={**env, ENGINE_VARIABLE: "nope"}, capture_output=True, text=True)
    assert bad.returncode != 0 and "unknown SHACL engine 'nope'" in bad.stderr


def _statuses(report_json: dict) -> dict:
    """{(document, requirement): status} from `torkg check --format json`."""
    return {(doc, req): v["status"] for doc, verdicts in report_json.items() for req, v in verdicts.items()}
