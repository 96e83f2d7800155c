"""Named queries over HTTP (GET /queries, GET /queries/{name}) and from the terminal (torkg query),
on a real server over the API fixture."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from torkg import queries
from torkg.api.pooled_store import rdflib_term
from torkg.api.testing import build_store, start_server
from torkg.store import OxigraphStore

pytestmark = pytest.mark.slow
FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("store") / "s", FIXTURE)


@pytest.fixture(scope="module")
def server(store_path, tmp_path_factory):
    with start_server(store_path, log_path=tmp_path_factory.mktemp("log") / "server.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def memory(store_path):
    """The server's own store, read through the library."""
    return OxigraphStore(store_path, read_only=True)


def test_listing_names_every_query_with_typed_parameters(server):
    items = httpx.get(server.url + "/queries").json()
    assert [i["name"] for i in items] == queries.names()
    by_name = {i["name"]: i for i in items}
    assert by_name["provisions-by-objective"]["parameters"] == [
        {"name": "objective", "type": "gcm-objective", "optional": False,
         "description": "the objective's number, 1 to 23, e.g. \"23\""}]
    assert by_name["provisions-by-bearer"]["url"] == "/queries/provisions-by-bearer"
    assert all(i["title"] and i["description"] for i in items)


def test_a_named_query_runs_with_bound_parameters(server):
    r = httpx.get(server.url + "/queries/provisions-by-bearer", params={"bearer": "secretariat"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    rows = r.json()["results"]["bindings"]
    assert [(b["doc"]["value"], b["modality"]["value"]) for b in rows] == [("global-tor", "recommendation"),
                                                                          ("kyrgyzstan-tor", "obligation")]
    r = httpx.get(server.url + "/queries/coordinator-and-secretariat", params={"entity": "iom", "format": "csv"})
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert [(t["doc"], t["coordinator"], t["secretariat"]) for t in table] == [
        ("asia-pacific-tor", "true", "true"), ("global-tor", "true", "true"), ("kyrgyzstan-tor", "false", "true")]


@pytest.mark.parametrize("name", [q.name for q in queries.all_queries() if all(p.optional for p in q.params)])
def test_http_and_library_give_the_same_rows(server, memory, name):
    q = queries.load(name)
    _, expected = memory.select(q.text)
    r = httpx.get(f"{server.url}/queries/{name}")
    assert r.status_code == 200, r.text
    got = r.json()["results"]["bindings"]
    assert [{k: str(rdflib_term(v)) for k, v in b.items()} for b in got] == \
        [{k: str(v) for k, v in row.items()} for row in expected]


@pytest.mark.parametrize("path,params,status,needle", [
    ("/queries/provisions-by-objective", {}, 400, "needs parameter objective"),
    ("/queries/provisions-by-objective", {"objective": "99"}, 400, "1-23"),
    ("/queries/provisions-by-objective", {"objective": "1", "colour": "red"}, 400, "no parameter colour"),
    ("/queries/documents", [("document", "a"), ("document", "b")], 400, "once"),
    ("/queries/statement-evidence", {"subject": "not an iri"}, 400, "absolute IRI"),
    ("/queries/documents", {"document": "x> } ; DROP ALL ; #"}, 400, "identifier"),
    ("/queries/no-such-query", {}, 404, "known queries"),
    ("/queries/documents", {"format": "turtle"}, 406, "none of the requested formats"),
])
def test_parameter_errors_are_clear(server, path, params, status, needle):
    r = httpx.get(server.url + path, params=params)
    assert r.status_code == status, r.text
    assert needle in r.json()["message"]


def test_a_browser_gets_an_escaped_table(server):
    r = httpx.get(server.url + "/queries/provisions-by-bearer", params={"bearer": "un-entity"},
                  headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<table>" in r.text and "IOM will serve as the Coordinator and Secretariat." in r.text
    assert 'href="/queries/provisions-by-bearer?bearer=un-entity&amp;format=csv"' in r.text
    listing = httpx.get(server.url + "/queries", headers={"Accept": "text/html"}).text
    assert 'href="/queries/member-disagreements"' in listing


@pytest.mark.skipif(shutil.which("torkg") is None and not Path(sys.executable).with_name("torkg").exists(),
                    reason="the torkg command is not installed")
def test_torkg_query_runs_the_same_query_in_the_terminal(store_path):
    exe = shutil.which("torkg") or str(Path(sys.executable).with_name("torkg"))
    out = subprocess.run([exe, "--store", str(store_path), "query", "provisions-by-bearer", "-p", "bearer=secretariat",
                          "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["doc"], r["modality"]) for r in rows] == [("global-tor", "recommendation"), ("kyrgyzstan-tor", "obligation")]
