"""Renderers of alignment reports (shapes/report.py)."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from torkg import iris
from torkg.iris import NIF
from torkg.shapes.check import AlignmentReport, Verdict, check_document
from torkg.shapes.report import to_html, to_json, to_table, to_turtle
from torkg.shapes.spans import Span

DATA = Path(__file__).parent / "data" / "alignment"
STATUSES = {"aligned", "missing", "conflict"}


def load(name: str) -> Graph:
    return Graph().parse(DATA / name, format="turtle")


@pytest.fixture(scope="module")
def reports():
    global_graph = load("global.ttl")
    return [check_document(load(f"{name}.ttl"), global_graph) for name in ("conflict", "aligned")]


def test_json_is_the_eval_alignment_export(reports):
    out = json.loads(json.dumps(to_json(reports)))
    assert set(out) == {"conflict-tor", "aligned-tor"}
    texts = {"conflict-tor": str(load("conflict.ttl").value(iris.doc_iri("conflict-tor"), NIF.isString)),
             "aligned-tor": str(load("aligned.ttl").value(iris.doc_iri("aligned-tor"), NIF.isString))}
    global_text = str(load("global.ttl").value(iris.doc_iri("global-tor"), NIF.isString))
    for doc, verdicts in out.items():
        assert len(verdicts) == 19
        for req, v in verdicts.items():
            assert v["status"] in STATUSES
            assert v["shape"].startswith(str(iris.SHAPES))
            for s in v["evidence"]["checked"]:
                assert texts[doc][s["start"]:s["end"]] == s["text"]
            g = v["evidence"]["global"]
            assert global_text[g["start"]:g["end"]] == g["text"] and g["iri"].startswith(str(iris.doc_iri("global-tor")))
    assert out["conflict-tor"]["consensus"]["status"] == "conflict"
    coverage = out["aligned-tor"]["objectives-coverage"]
    assert coverage["count"] == len(coverage["pairs"]) >= 5 and coverage["of"] == 9
    assert "count" not in out["aligned-tor"]["consensus"]


def test_table_fits_the_width_and_names_every_verdict(reports):
    table = to_table(reports, width=72)
    lines = table.splitlines()
    assert all(len(line) <= 72 for line in lines)
    conflict_rows = [line for line in lines if line.startswith("consensus")]
    assert conflict_rows[0].split()[2] == "conflict" and "\u201cDecisions shall be taken by a si\u2026" in conflict_rows[0]
    assert sum(line.startswith("coordinator-iom") for line in lines) == 2
    assert "0 aligned, 14 missing, 5 conflict" in table


def _report_with(text: str, doc_id: str = "evil<b>-tor") -> AlignmentReport:
    s = Span(iris.span_iri("evil", 0, len(text)), 0, len(text), text)
    verdicts = {"consensus": Verdict("consensus", "conflict", f"The ToR says {text}", (s,), s,
                                     iris.shape_iri("ConsensusShape"), "Decisions by consensus", "decision-making")}
    return AlignmentReport(doc_id, iris.doc_iri("evil"), iris.network_iri("evil"), iris.doc_iri("global-tor"),
                           verdicts, [], 9, Graph(), False, 0.0)


def test_html_escapes_document_text():
    html = to_html([_report_with("<script>alert('x')</script> & <img src=x onerror=alert(1)>")])
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html and "&amp; &lt;img" in html
    assert "evil&lt;b&gt;-tor" in html

    class Tags(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.found.append(tag)

    parser = Tags()
    parser.feed(html)
    assert "script" not in parser.found and "img" not in parser.found


def test_html_puts_both_clauses_side_by_side_with_text_labels(reports):
    html = to_html(reports)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and "http" not in html.split("<body>")[0].replace(
        "charset", "")
    row = html[html.index('id="conflict-tor-coordinator-iom"'):]
    row = row[:row.index("</tr>")]
    assert "\u2717 conflict" in row
    assert "UNDP shall coordinate the Platform" in row and "IOM will serve as the Coordinator" in row
    assert "\u2713 aligned" in html and "? missing" in html
    assert "@media print" in html


def test_turtle_is_the_shacl_report(reports):
    text = to_turtle(reports[0])
    assert isomorphic(Graph().parse(data=text, format="turtle"), reports[0].results)
    assert "sh:ValidationReport" in text
