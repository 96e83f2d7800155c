"""Alignment for policy officers over HTTP: the list of regional and country ToRs, stored reports
(JSON in the evaluation format, with evidence; HTML for a browser) and draft checks."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from torkg import iris
from torkg.api.testing import build_store, start_server

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("store") / "s", DATA / "api-fixture.trig")
    env = {"TORKG_MAX_UPLOAD_BYTES": str(2 * 1024 * 1024)}
    with start_server(store, env=env, log_path=tmp_path_factory.mktemp("log") / "server.log") as srv:
        yield srv


def test_the_list_has_every_regional_and_country_tor(server):
    items = httpx.get(server.url + "/alignment").json()
    assert [(i["doc"], i["level"], i["aligned"], i["missing"], i["conflict"]) for i in items] == [
        ("kyrgyzstan-tor", "country", 2, 1, 1), ("asia-pacific-tor", "regional", 2, 1, 1)]
    assert items[0]["report"] == str(iris.report_iri("kyrgyzstan-tor"))
    assert items[0]["url"] == "/alignment/kyrgyzstan-tor"


def test_a_stored_report_in_the_evaluation_format_with_evidence(server):
    r = httpx.get(server.url + "/alignment/kyrgyzstan-tor")
    assert r.status_code == 200
    assert r.headers["link"] == f'<{iris.report_iri("kyrgyzstan-tor")}>; rel="describedby"'
    report = r.json()
    assert list(report) == ["kyrgyzstan-tor"]
    verdicts = report["kyrgyzstan-tor"]
    assert {k: v["status"] for k, v in verdicts.items()} == {
        "consensus": "missing", "coordinator-iom": "conflict", "secretariat-iom": "aligned",
        "stakeholder-engagement": "aligned"}
    conflict = verdicts["coordinator-iom"]
    assert conflict == {
        "status": "conflict", "message": "The Resident Coordinator Office coordinates, not IOM.",
        "shape": str(iris.shape_iri("CoordinatorIomShape")),
        "evidence": {
            "checked": [{"start": 45, "end": 112,
                         "text": "The Network will be coordinated by the Resident Coordinator Office."}],
            "global": {"start": 136, "end": 201, "text": "IOM will serve as the Coordinator and Secretariat of the Network.",
                       "iri": str(iris.span_iri("global-tor", 136, 201))}}}
    # a span no document graph describes: offsets from its IRI, words from the document text
    assert verdicts["consensus"]["evidence"]["checked"] == []
    assert verdicts["consensus"]["evidence"]["global"]["text"] == "The Network will promote decisions by consensus"


def test_stored_and_fresh_reports_have_the_same_shape(server):
    """The JSON of a stored report has the keys the checker's own JSON (shapes.report) gives."""
    verdict = httpx.get(server.url + "/alignment/kyrgyzstan-tor").json()["kyrgyzstan-tor"]["secretariat-iom"]
    assert set(verdict) == {"status", "evidence", "shape", "message"}
    assert set(verdict["evidence"]) == {"checked", "global"}


def test_objectives_coverage_carries_the_count_and_the_pairs(server):
    verdict = httpx.get(server.url + "/alignment/asia-pacific-tor").json()["asia-pacific-tor"]["objectives-coverage"]
    assert verdict["status"] == "missing" and verdict["count"] == 1
    pair = verdict["pairs"][0]
    assert pair["objective"] == 1 and pair["score"] == pytest.approx(0.8)
    assert pair["shared"] == ["member states", "global compact"]
    assert pair["checked"]["text"].startswith("The Regional Network will support Member States")
    assert pair["global"]["text"] == "The Network will support Member States in implementing the Global Compact."


def test_a_browser_gets_the_report_as_html(server):
    r = httpx.get(server.url + "/alignment/kyrgyzstan-tor", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<span class="conflict">conflict</span>' in r.text
    assert "The Network will be coordinated by the Resident Coordinator Office." in r.text
    listing = httpx.get(server.url + "/alignment", headers={"Accept": "text/html"}).text
    assert 'href="/alignment/asia-pacific-tor"' in listing and 'enctype="multipart/form-data"' in listing


@pytest.mark.parametrize("doc,status", [("global-tor", 404), ("atlantis-tor", 404), ("Bad%20Id!", 400)])
def test_no_report(server, doc, status):
    r = httpx.get(f"{server.url}/alignment/{doc}")
    assert r.status_code == status and r.json()["message"]


@pytest.mark.parametrize("kwargs,status", [
    ({"content": b"%PDF", "headers": {"Content-Type": "image/png"}}, 415),
    ({"files": {"file": ("d.md", b"# Draft")}, "data": {"colour": "red"}}, 400),
    ({"files": {"other": ("d.md", b"# Draft")}}, 400),
    ({"files": {"file": ("d.md", b"# Draft")}, "data": {"level": "planet"}}, 400),
])
def test_bad_draft_uploads(server, kwargs, status):
    r = httpx.post(server.url + "/alignment", **kwargs)
    assert r.status_code == status, r.text


DRAFT = b"""# Terms of Reference of the Example Country Network on Migration

1. The Network will support the Government in implementing the Global Compact for Migration.
2. IOM will serve as the Coordinator and Secretariat of the Network.
3. Decisions will be taken by a majority vote of the members.
"""


def test_a_draft_is_checked_and_not_stored(server):
    before = httpx.get(server.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    r = httpx.post(server.url + "/alignment", files={"file": ("draft.md", DRAFT)}, data={"level": "country"},
                   timeout=300)
    assert r.status_code == 200, r.text
    report = r.json()
    assert isinstance(report, dict) and report
    verdicts = next(iter(report.values()))
    assert {"consensus", "coordinator-iom", "secretariat-iom"} <= set(verdicts)
    assert all(v["status"] in ("aligned", "missing", "conflict") for v in verdicts.values())
    assert set(verdicts["consensus"]) >= {"status", "evidence", "shape", "message"}
    quoted = [s["text"] for v in verdicts.values() for s in v["evidence"]["checked"]]
    assert quoted and all(q in DRAFT.decode() for q in quoted)   # the draft itself was read
    r = httpx.post(server.url + "/alignment", content=DRAFT, params={"level": "country", "filename": "draft.md"},
                   headers={"Content-Type": "text/markdown", "Accept": "text/html"}, timeout=300)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    after = httpx.get(server.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    assert before == after
