"""Safe by default, proven on real servers: time limits that kill the work, a result-size cap that
is signalled, SERVICE only to allow-listed endpoints (refused before anything is contacted), writes
only with configuration and a bearer token, bounded bodies, CORS, and readers that keep answering,
never seeing half a document, while an ingest writes."""
from __future__ import annotations

import multiprocessing as mp
import re
import socket
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest
from rdflib import Graph, Literal, URIRef

from torkg import iris
from torkg.api.settings import Settings, SettingsError
from torkg.api.testing import build_store, start_server
from torkg.store import OxigraphStore

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "api-fixture.trig"
TOKEN = "test-token-0123456789abcdef"
EX = "http://example.org/"
PATHOLOGICAL = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?a ?p ?b } GRAPH ?g2 { ?c ?q ?d } "
                "GRAPH ?g3 { ?e ?r ?f } GRAPH ?g4 { ?h ?s ?i } }")


def _big_store(path: Path, n: int = 3000) -> Path:
    store = OxigraphStore(path)
    g, p = URIRef(EX + "big"), URIRef(EX + "p")
    store.replace_graphs({str(g): [(URIRef(f"{EX}s{i}"), p, Literal(i)) for i in range(n)]})
    store.close()
    return path


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """Read-only, 2 s time limit, 100 results at most."""
    store = _big_store(tmp_path_factory.mktemp("big") / "s")
    env = {"TORKG_QUERY_TIMEOUT": "2", "TORKG_MAX_RESULTS": "100", "TORKG_WORKERS": "2",
           "TORKG_WORKER_MEMORY_MB": "900"}
    with start_server(store, env=env, log_path=tmp_path_factory.mktemp("log") / "limited.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    """A second, independent endpoint to federate with."""
    store = build_store(tmp_path_factory.mktemp("second") / "s", DATA / "api-second.trig")
    with start_server(store, log_path=tmp_path_factory.mktemp("log") / "other.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def writable(tmp_path_factory, other):
    """Writes enabled with a token, small body limits, CORS for one origin, one allowed SERVICE."""
    store = build_store(tmp_path_factory.mktemp("writable") / "s", FIXTURE)
    env = {"TORKG_WRITABLE": "true", "TORKG_UPDATE_TOKEN": TOKEN, "TORKG_MAX_UPLOAD_BYTES": "4000",
           "TORKG_MAX_QUERY_BYTES": "4000", "TORKG_SERVICE_ALLOW": other.url + "/sparql",
           "TORKG_CORS_ORIGINS": "https://app.example.org"}
    with start_server(store, env=env, log_path=tmp_path_factory.mktemp("log") / "writable.log") as srv:
        srv.store_path = store
        yield srv


def auth(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


# --- time limits ---------------------------------------------------------------------------------
def test_a_pathological_query_is_stopped_and_its_cpu_released(limited):
    workers = httpx.get(limited.url + "/health").json()["workers"]
    assert len(workers) == 2
    outcome = {}

    def slow():
        started = time.monotonic()
        r = httpx.get(limited.url + "/sparql", params={"query": PATHOLOGICAL}, timeout=30)
        outcome.update(response=r, seconds=time.monotonic() - started, at=time.monotonic())

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    # another query is answered while the pathological one runs
    started = time.monotonic()
    r = httpx.get(limited.url + "/sparql", params={"query": "ASK { ?s ?p 42 }"}, timeout=10)
    assert r.status_code == 200 and r.json()["boolean"] is True
    assert time.monotonic() - started < 1.5
    before = {p: sum(psutil.Process(p).cpu_times()[:2]) for p in workers}
    time.sleep(0.4)
    spent = {p: sum(psutil.Process(p).cpu_times()[:2]) - before[p] for p in workers}
    busy = [p for p in workers if spent[p] > 0.1]
    assert len(busy) == 1, spent                 # the pathological query is really running
    thread.join(15)
    response = outcome["response"]
    assert response.status_code == 504
    assert response.json()["error"] == "query-timeout" and response.json()["limit_seconds"] == 2
    assert 2 <= outcome["seconds"] < 2 + 3
    time.sleep(max(0.0, outcome["at"] + 1.0 - time.monotonic()))
    gone = busy[0]
    assert not psutil.pid_exists(gone) or psutil.Process(gone).status() == psutil.STATUS_ZOMBIE
    # the server keeps answering, and the pool is back to full strength
    r = httpx.get(limited.url + "/sparql", params={"query": "ASK { ?s ?p 7 }"})
    assert r.status_code == 200
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = httpx.get(limited.url + "/health").json()["workers"]
        if len(now) == 2 and gone not in now:
            break
        time.sleep(0.2)
    assert len(now) == 2 and gone not in now


def test_a_query_that_needs_too_much_memory_kills_only_its_worker(limited):
    hungry = ("SELECT ?a ?b ?c WHERE { GRAPH ?g1 { ?a ?p ?x } GRAPH ?g2 { ?b ?q ?y } GRAPH ?g3 { ?c ?r ?z } } "
              "ORDER BY ?x ?y ?z LIMIT 5")
    before = httpx.get(limited.url + "/health").json()["workers"]
    r = httpx.get(limited.url + "/sparql", params={"query": hungry}, timeout=30)
    assert r.status_code in (504, 507), r.text     # out of memory, or out of time under a loaded machine
    assert r.json()["error"] in ("out-of-memory", "query-timeout")
    assert httpx.get(limited.url + "/sparql", params={"query": "ASK { ?s ?p 1 }"}).json()["boolean"] is True
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = httpx.get(limited.url + "/health").json()["workers"]
        if len(now) == 2 and now != before:
            break
        time.sleep(0.2)
    assert len(now) == 2 and set(now) != set(before)


# --- result-size cap ----------------------------------------------------------------------------
def test_results_over_the_cap_are_refused_never_truncated(limited):
    r = httpx.get(limited.url + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    assert r.status_code == 413
    assert r.json()["error"] == "result-too-large" and r.json()["limit"] == 100
    r = httpx.get(limited.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert r.status_code == 413
    r = httpx.get(limited.url + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 100"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 100


# --- federation -----------------------------------------------------------------------------------
def test_service_to_an_unlisted_endpoint_is_refused_before_any_connection(limited):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    queries = [f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
               f"PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE SILENT x:sparql {{ ?s ?p ?o }} }}",
               "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:%d/> } SERVICE ?e { ?s ?p ?o } }" % port,
               f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"]
    try:
        for q in queries:
            r = httpx.get(limited.url + "/sparql", params={"query": q})
            assert r.status_code == 403, (q, r.text)
            assert r.json()["error"] == "refused"
            assert "SERVICE" in r.json()["message"]
        with pytest.raises(socket.timeout):
            listener.accept()                # nobody ever called
    finally:
        listener.close()


def federation_example() -> str:
    readme = (Path(__file__).parents[1] / "api" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```sparql\n(# federation.*?)```", readme, re.S)
    assert match, "api/README.md lost its federation example"
    return match.group(1)


def test_readme_federation_example_runs_against_an_allow_listed_endpoint(writable, other):
    query = federation_example()
    endpoint = re.search(r"SERVICE <([^>]+)>", query).group(1)
    query = query.replace(endpoint, other.url + "/sparql")
    r = httpx.get(writable.url + "/sparql", params={"query": query}, timeout=30)
    assert r.status_code == 200, r.text
    rows = [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]
    assert rows == [{"acronym": "UNICEF", "wikidata": str(iris.WD.Q740308), "name": "United Nations Children's Fund"}]
    # the same query to the real endpoint is not on this server's allow-list
    r = httpx.get(writable.url + "/sparql", params={"query": federation_example()})
    assert r.status_code == 403
    sd = Graph().parse(data=httpx.get(writable.url + "/sparql", headers={"Accept": "text/turtle"}).text,
                       format="turtle")
    assert (None, iris.SD.feature, iris.SD.BasicFederatedQuery) in sd


# --- writes ----------------------------------------------------------------------------------------
INSERT = 'INSERT DATA { GRAPH <http://example.org/new> { <http://example.org/a> <http://example.org/p> "v" } }'
ASK_NEW = "ASK { GRAPH <http://example.org/new> { ?s ?p \"v\" } }"


def ask(server, query: str) -> bool:
    return httpx.get(server.url + "/sparql", params={"query": query}).json()["boolean"]


def test_updates_are_refused_on_a_read_only_server(limited):
    r = httpx.post(limited.url + "/sparql", content=INSERT, headers={"Content-Type": "application/sparql-update",
                                                                     **auth()})
    assert r.status_code == 403 and r.json()["error"] == "read-only"
    r = httpx.put(limited.url + "/rdf-graphs", params={"graph": EX + "g"}, content=b"<a:b> <a:c> <a:d> .",
                  headers={"Content-Type": "text/turtle", **auth()})
    assert r.status_code == 403


def test_update_needs_the_token_and_then_applies(writable):
    url = writable.url + "/sparql"
    r = httpx.post(url, content=INSERT, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = httpx.post(url, content=INSERT, headers={"Content-Type": "application/sparql-update", **auth("wrong-token")})
    assert r.status_code == 401
    assert not ask(writable, ASK_NEW)
    r = httpx.post(url, content=INSERT, headers={"Content-Type": "application/sparql-update", **auth()})
    assert r.status_code == 204, r.text
    assert ask(writable, ASK_NEW)
    r = httpx.post(url, data={"update": "DROP GRAPH <http://example.org/new>"}, headers=auth())
    assert r.status_code == 204 and not ask(writable, ASK_NEW)
    sd = Graph().parse(data=httpx.get(url, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (None, iris.SD.supportedLanguage, iris.SD.SPARQL11Update) in sd


@pytest.mark.parametrize("update", ["LOAD <http://127.0.0.1:9/data.ttl>",
                                    "LOAD SILENT <http://example.org/x> INTO GRAPH <http://example.org/g>",
                                    "INSERT { ?s ?p ?o } WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }"])
def test_load_and_unlisted_service_are_refused_even_with_the_token(writable, update):
    r = httpx.post(writable.url + "/sparql", content=update,
                   headers={"Content-Type": "application/sparql-update", **auth()})
    assert r.status_code == 403 and r.json()["error"] == "refused"


def test_graph_store_protocol(writable):
    url, graph = writable.url + "/rdf-graphs", EX + "gsp"
    r = httpx.get(url, params={"graph": str(iris.REFERENCE_GRAPH)}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) == 56   # reads are open
    assert httpx.get(url, params={"graph": graph}).status_code == 404
    assert httpx.get(url, params={"default": ""}).status_code == 200
    assert httpx.get(url).status_code == 400
    assert httpx.get(url, params={"graph": graph, "colour": "red"}).status_code == 400
    body = f"<{EX}a> <{EX}p> 1, 2 ."
    assert httpx.put(url, params={"graph": graph}, content=body, headers={"Content-Type": "text/turtle"}).status_code == 401
    assert httpx.put(url, params={"graph": graph}, content=body,
                     headers={"Content-Type": "application/pdf", **auth()}).status_code == 415
    assert httpx.put(url, params={"graph": graph}, content="<a> <b",
                     headers={"Content-Type": "text/turtle", **auth()}).status_code == 400
    r = httpx.put(url, params={"graph": graph}, content=body, headers={"Content-Type": "text/turtle", **auth()})
    assert r.status_code == 201, r.text
    r = httpx.post(url, params={"graph": graph}, content=f'<{EX}a> <{EX}p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                   headers={"Content-Type": "application/n-triples", **auth()})
    assert r.status_code == 204
    g = Graph().parse(data=httpx.get(url, params={"graph": graph, "format": "nt"}).text, format="nt")
    assert sorted(int(o) for o in g.objects()) == [1, 2, 3]
    r = httpx.put(url, params={"graph": graph}, content=f'<{EX}a> <{EX}p> 9 .',
                  headers={"Content-Type": "text/turtle", **auth()})
    assert r.status_code == 204
    g = Graph().parse(data=httpx.get(url, params={"graph": graph}).text, format="turtle")
    assert [int(o) for o in g.objects()] == [9]
    assert httpx.delete(url, params={"graph": graph}, headers=auth()).status_code == 204
    assert httpx.get(url, params={"graph": graph}).status_code == 404
    assert httpx.delete(url, params={"graph": graph}, headers=auth()).status_code == 404


# --- bounded bodies --------------------------------------------------------------------------------
def test_bodies_over_the_limit_are_refused(writable):
    big = b"<http://example.org/a> <http://example.org/p> \"" + b"x" * 5000 + b"\" ."
    r = httpx.put(writable.url + "/rdf-graphs", params={"graph": EX + "big"}, content=big,
                  headers={"Content-Type": "application/n-triples", **auth()})
    assert r.status_code == 413 and r.json()["limit"] == 4000

    def chunks():                            # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b"#" * 1000 + b"\n"
    r = httpx.put(writable.url + "/rdf-graphs", params={"graph": EX + "big"}, content=chunks(),
                  headers={"Content-Type": "text/turtle", **auth()})
    assert r.status_code == 413
    r = httpx.post(writable.url + "/alignment", files={"file": ("draft.md", b"# Draft\n" + b"word " * 2000)})
    assert r.status_code == 413
    r = httpx.post(writable.url + "/sparql", content="ASK {} #" + "x" * 5000,
                   headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert httpx.get(writable.url + "/health").status_code == 200
    assert httpx.get(writable.url + "/rdf-graphs", params={"graph": EX + "big"}).status_code == 404


# --- CORS --------------------------------------------------------------------------------------------
def test_cors_allows_the_configured_origin_only(writable, limited):
    preflight = {"Origin": "https://app.example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    r = httpx.options(writable.url + "/sparql", headers=preflight)
    assert r.headers["access-control-allow-origin"] == "https://app.example.org"
    assert "access-control-allow-credentials" not in r.headers
    r = httpx.get(writable.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    r = httpx.get(limited.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://app.example.org"})
    assert "access-control-allow-origin" not in r.headers        # no CORS unless configured


def test_settings_refuse_unsafe_combinations():
    with pytest.raises(SettingsError, match="credentials"):
        Settings(cors_origins=("*",), cors_credentials=True)
    with pytest.raises(SettingsError, match="TORKG_UPDATE_TOKEN"):
        Settings(writable=True)
    with pytest.raises(SettingsError, match="TORKG_UPDATE_TOKEN"):
        Settings(writable=True, update_token="short")
    assert Settings().writable is False and Settings().service_allow == ()


# --- readers during an ingest ------------------------------------------------------------------------
def _ingest_repeatedly(path: str, seconds: float, ready) -> None:
    store = OxigraphStore(path)                 # holds the writer lock throughout
    g, p = URIRef(EX + "doc"), URIRef(EX + "p")
    ready.set()
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        n = 50 if i % 2 else 400                # a "document" of 50 or 400 triples, replaced whole
        store.replace_graphs({str(g): [(URIRef(f"{EX}s{k}"), p, Literal(k)) for k in range(n)]})
        i += 1
    store.close()


def test_queries_continue_during_an_ingest_and_never_see_half_a_document(writable):
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    writer = ctx.Process(target=_ingest_repeatedly, args=(str(writable.store_path), 4.0, ready))
    writer.start()
    try:
        assert ready.wait(20)
        counts, statuses = [], []
        # while the ingest holds the writer lock, a write through the server is a clear 503
        r = httpx.post(writable.url + "/sparql", content=INSERT,
                       headers={"Content-Type": "application/sparql-update", **auth()}, timeout=30)
        assert r.status_code == 503 and r.json()["error"] == "store-busy"
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            r = httpx.get(writable.url + "/sparql", timeout=10, params={
                "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}doc> {{ ?s ?p ?o }} }}"})
            statuses.append(r.status_code)
            if r.status_code == 200:
                counts.append(int(r.json()["results"]["bindings"][0]["n"]["value"]))
        assert set(statuses) == {200}
        assert len(counts) > 10
        assert set(counts) <= {0, 50, 400}
        assert {50, 400} & set(counts)          # the readers did see the ingest's snapshots
    finally:
        writer.join(20)
        if writer.is_alive():
            writer.kill()
