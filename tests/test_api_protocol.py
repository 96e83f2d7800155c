"""The SPARQL 1.1 Protocol at /sparql, exercised by real clients against a real uvicorn server:
SPARQLWrapper and rdflib's SPARQLStore in every result format, httpx and curl for negotiation,
the service description parsed back as RDF, and the errors clients get for bad requests."""
from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from torkg import iris
from torkg.api.testing import build_store, start_server

pytestmark = pytest.mark.slow
FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"
TOTAL_TRIPLES = 675
SELECT_ENTITIES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX tor: <https://w3id.org/torkg/def#>
SELECT ?entity ?acronym WHERE { ?entity a tor:UNEntity ; skos:notation ?acronym } ORDER BY ?acronym"""
ACRONYMS = ["ESCAP", "IOM", "OHCHR", "RCO", "UNDP", "UNHCR", "UNICEF"]
CONSTRUCT_NETWORKS = """PREFIX tor: <https://w3id.org/torkg/def#>
CONSTRUCT { ?network tor:coordinatedBy ?entity } WHERE { ?network tor:coordinatedBy ?entity }"""
EXPECTED_GRAPH = Graph()
for _net, _ent in (("global", "IOM"), ("asia-pacific", "IOM"), ("kyrgyzstan", "RCO")):
    EXPECTED_GRAPH.add((iris.network_iri(_net), iris.TOR.coordinatedBy, iris.un_entity_iri(_ent)))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("store") / "s", FIXTURE)
    log = tmp_path_factory.mktemp("log") / "server.log"
    with start_server(store, env={"TORKG_WORKERS": "2"}, log_path=log) as srv:
        yield srv


@pytest.fixture(scope="module")
def endpoint(server) -> str:
    return server.url + "/sparql"


# --- SPARQLWrapper ---------------------------------------------------------------------------
def wrapper(endpoint: str, query: str, fmt: str, method: str = "GET", request: str | None = None):
    w = SPARQLWrapper(endpoint)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    if request:
        w.setRequestMethod(request)
    return w.query()


@pytest.mark.parametrize("method,request_method", [("GET", None), (POST, None), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_select_json_and_xml(endpoint, method, request_method):
    rows = wrapper(endpoint, SELECT_ENTITIES, JSON, method, request_method).convert()
    assert [b["acronym"]["value"] for b in rows["results"]["bindings"]] == ACRONYMS
    doc = wrapper(endpoint, SELECT_ENTITIES, XML, method, request_method).convert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ACRONYMS


@pytest.mark.parametrize("fmt,delimiter", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_and_tsv(endpoint, fmt, delimiter):
    result = wrapper(endpoint, SELECT_ENTITIES, fmt)
    assert result.response.headers["Content-Type"].startswith("text/csv" if fmt == CSV else "text/tab-separated-values")
    rows = list(csv.reader(io.StringIO(result.convert().decode("utf-8")), delimiter=delimiter))
    assert rows[0] == (["entity", "acronym"] if fmt == CSV else ["?entity", "?acronym"])
    acronyms = [r[1].strip('"') for r in rows[1:]]
    assert acronyms == ACRONYMS


def test_sparqlwrapper_ask(endpoint):
    assert wrapper(endpoint, "ASK { ?s a <https://w3id.org/torkg/def#UNEntity> }", JSON).convert()["boolean"] is True
    doc = wrapper(endpoint, "ASK { ?s a <http://example.org/Nothing> }", XML).convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])
def test_sparqlwrapper_construct_in_every_graph_format(endpoint, fmt):
    graph = wrapper(endpoint, CONSTRUCT_NETWORKS, fmt).convert()
    if not isinstance(graph, Graph):           # SPARQLWrapper hands Turtle/N3 over as bytes
        graph = Graph().parse(data=graph, format="turtle")
    assert isomorphic(graph, EXPECTED_GRAPH)


# --- rdflib SPARQLStore -------------------------------------------------------------------------
@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore_select_in_every_results_format(endpoint, return_format):
    graph = Graph(store=SPARQLStore(endpoint, returnFormat=return_format))
    rows = list(graph.query(SELECT_ENTITIES))
    assert [str(r.acronym) for r in rows] == ACRONYMS
    assert all(isinstance(r.entity, URIRef) for r in rows)


def test_rdflib_sparqlstore_construct_ask_and_dataset(endpoint):
    graph = Graph(store=SPARQLStore(endpoint))
    assert isomorphic(graph.query(CONSTRUCT_NETWORKS).graph, EXPECTED_GRAPH)
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    assert len(graph) == TOTAL_TRIPLES                     # COUNT over the union default graph
    names = {str(c.identifier) if hasattr(c, "identifier") else str(c) for c in SPARQLStore(endpoint).contexts()}
    assert str(iris.doc_graph("global-tor")) in names and len(names) == 8


# --- negotiation with httpx and curl ----------------------------------------------------------------
@pytest.mark.parametrize("accept,content_type", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
])
def test_select_negotiation(endpoint, accept, content_type):
    r = httpx.get(endpoint, params={"query": SELECT_ENTITIES}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(content_type)
    assert "accept" in r.headers["vary"].lower()


@pytest.mark.parametrize("accept,fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/n-quads", "nquads"),
    ("application/trig", "trig"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
    (None, "turtle")])
def test_construct_negotiation_parses_back_to_the_same_graph(endpoint, accept, fmt):
    r = httpx.get(endpoint, params={"query": CONSTRUCT_NETWORKS}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    if fmt in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(data=r.content, format=fmt)
        graph = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph = Graph().parse(data=r.content, format=fmt)
    assert isomorphic(graph, EXPECTED_GRAPH)


def test_format_parameter_overrides_accept(endpoint):
    r = httpx.get(endpoint, params={"query": SELECT_ENTITIES, "format": "csv"},
                  headers={"Accept": "application/sparql-results+json"})
    assert r.headers["content-type"].startswith("text/csv")
    r = httpx.get(endpoint, params={"query": CONSTRUCT_NETWORKS, "output": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")


@pytest.mark.parametrize("query,accept,fmt", [
    (SELECT_ENTITIES, "text/turtle", None), (CONSTRUCT_NETWORKS, "text/csv", None),
    (SELECT_ENTITIES, "image/png", None), (CONSTRUCT_NETWORKS, None, "tsv")])
def test_not_acceptable_is_406(endpoint, query, accept, fmt):
    r = httpx.get(endpoint, params={"query": query, **({"format": fmt} if fmt else {})},
                  headers={"Accept": accept} if accept else {})
    assert r.status_code == 406
    assert r.json()["error"] == "not-acceptable"


def test_curl_negotiates_csv_and_turtle(endpoint):
    out = subprocess.run(["curl", "-sS", "-G", endpoint, "-H", "Accept: text/csv",
                          "--data-urlencode", f"query={SELECT_ENTITIES}"], capture_output=True, check=True)
    assert out.stdout.decode().splitlines()[0] == "entity,acronym"
    out = subprocess.run(["curl", "-sS", "-X", "POST", endpoint, "-H", "Content-Type: application/sparql-query",
                          "-H", "Accept: text/turtle", "--data-binary", CONSTRUCT_NETWORKS],
                         capture_output=True, check=True)
    assert isomorphic(Graph().parse(data=out.stdout, format="turtle"), EXPECTED_GRAPH)


# --- the dataset: union default graph, FROM, default-graph-uri, named-graph-uri ----------------
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(endpoint, query=COUNT, **params) -> int:
    r = httpx.get(endpoint, params={"query": query, **params})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_the_union_and_protocol_graphs_are_honoured(endpoint):
    assert count(endpoint) == TOTAL_TRIPLES
    assert count(endpoint, **{"default-graph-uri": str(iris.ONTOLOGY_GRAPH)}) == 49
    assert count(endpoint, query=f"SELECT (COUNT(*) AS ?n) FROM <{iris.REFERENCE_GRAPH}> WHERE {{ ?s ?p ?o }}") == 56
    r = httpx.get(endpoint, params=[("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
                                    ("named-graph-uri", str(iris.ONTOLOGY_GRAPH)),
                                    ("named-graph-uri", str(iris.REFERENCE_GRAPH))])
    assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == {str(iris.ONTOLOGY_GRAPH),
                                                                         str(iris.REFERENCE_GRAPH)}


# --- errors: clear 4xx, never a 500 -------------------------------------------------------------
def test_malformed_query_gets_400_with_the_parser_position(endpoint):
    r = httpx.get(endpoint, params={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "malformed-query" and body["line"] == 3 and body["column"] >= 1
    assert "3:" in body["message"]


@pytest.mark.parametrize("request_kwargs,status,error", [
    ({"params": {"query": "ASK {}", "qurey": "x"}}, 400, "unknown-parameter"),
    ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "repeated-parameter"),
    ({"params": {"update": "CLEAR ALL"}}, 400, "update-by-get"),
    ({"params": {"query": "  "}}, 400, "empty-query"),
    ({"params": {"query": "ASK {}", "format": "pdf"}}, 400, "unknown-format"),
    ({"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400, "bad-graph-uri"),
    ({"method": "POST", "content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "unsupported-media-type"),
    ({"method": "POST", "content": b"ASK {}"}, 415, "unsupported-media-type"),
    ({"method": "POST", "content": b"\xff\xfe", "headers": {"Content-Type": "application/sparql-query"}}, 400, "bad-encoding"),
    ({"method": "POST", "data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, "query-and-update"),
    ({"method": "POST", "data": {"format": "json"}}, 400, "missing-query"),
    ({"method": "PUT", "content": b"x"}, 405, "method-not-allowed"),
])
def test_bad_requests_get_a_clear_4xx(endpoint, request_kwargs, status, error):
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method", "GET")
    r = httpx.request(method, endpoint, **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["error"] == error
    assert r.json()["message"]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1", "SELECT (1/0 AS ?x) WHERE {}", "DESCRIBE",
    "SELECT * WHERE { BIND(<not a valid iri> AS ?x) }", "\x00", "PREFIX : <x> SELECT * { :a :b :c }",
    "SELECT ?x WHERE { ?x ?y ?z } ORDER BY", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:none> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?x { 1 } } GROUP BY ?y", "LOAD <http://example.org/>"])
def test_odd_queries_never_give_a_server_error(endpoint, query):
    r = httpx.get(endpoint, params={"query": query})
    assert r.status_code < 500, r.text
    assert r.headers["content-type"].split(";")[0] in ("application/json", "application/sparql-results+json",
                                                       "text/turtle")


# --- service description ------------------------------------------------------------------------
def test_service_description_parses_and_describes_the_endpoint(endpoint):
    r = httpx.get(endpoint, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    SD, VOID = iris.SD, iris.VOID
    service = g.value(predicate=RDF.type, object=SD.Service)
    assert g.value(service, SD.endpoint) == URIRef(endpoint)
    assert set(g.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}      # read-only
    formats = {str(f) for f in g.objects(service, SD.resultFormat)}
    assert {"http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
            "http://www.w3.org/ns/formats/Turtle"} <= formats
    assert SD.UnionDefaultGraph in set(g.objects(service, SD.feature))
    assert SD.BasicFederatedQuery not in set(g.objects(service, SD.feature))        # nothing allow-listed
    dataset = g.value(service, SD.defaultDataset)
    sizes = {g.value(n, SD.name): g.value(g.value(n, SD.graph), VOID.triples).toPython()
             for n in g.objects(dataset, SD.namedGraph)}
    assert sizes[iris.doc_graph("global-tor")] == 220 and len(sizes) == 8
    assert g.value(g.value(dataset, SD.defaultGraph), VOID.triples) == Literal(TOTAL_TRIPLES, datatype=XSD.integer)


@pytest.mark.parametrize("accept,fmt", [("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                                        ("application/n-triples", "nt")])
def test_service_description_in_other_formats_is_the_same_graph(endpoint, accept, fmt):
    turtle = Graph().parse(data=httpx.get(endpoint, headers={"Accept": "text/turtle"}).text, format="turtle")
    other = Graph().parse(data=httpx.get(endpoint, headers={"Accept": accept}).content, format=fmt)
    assert isomorphic(turtle, other)


def test_a_browser_gets_a_query_form(endpoint):
    r = httpx.get(endpoint, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<form method="post"' in r.text and "<textarea" in r.text


def test_openapi_documents_every_route_parameter_and_media_type(server):
    spec = httpx.get(server.url + "/openapi.json").json()
    paths = spec["paths"]
    for path in ("/sparql", "/rdf-graphs", "/queries", "/queries/provisions-by-bearer", "/alignment",
                 "/alignment/{doc_id}", "/id/{path}", "/def", "/describe", "/.well-known/void", "/dump.nq",
                 "/dump.trig", "/context.jsonld", "/health"):
        assert path in paths, path
    get = paths["/sparql"]["get"]
    assert {p["name"] for p in get["parameters"]} >= {"query", "default-graph-uri", "named-graph-uri", "format"}
    assert {"application/sparql-results+json", "text/csv", "text/turtle", "application/ld+json"} <= \
        set(get["responses"]["200"]["content"])
    post = paths["/sparql"]["post"]["requestBody"]["content"]
    assert {"application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"} <= set(post)
    named = paths["/queries/provisions-by-bearer"]["get"]["parameters"]
    assert {p["name"] for p in named} == {"bearer", "modality", "document", "format"}
    assert "multipart/form-data" in paths["/alignment"]["post"]["requestBody"]["content"]
    for path, item in paths.items():
        for method, op in item.items():
            assert op.get("summary"), (path, method)
            assert op.get("responses"), (path, method)
    assert json.dumps(spec)      # serialisable
