"""Linked data on a real server: every torkg IRI dereferences (HTML for a browser, RDF by Accept)
with its description and provenance; the ontology; named graphs; VoID; dumps; the JSON-LD context."""
from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS, XSD

from torkg import iris
from torkg.api.testing import build_store, start_server

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent / "data"
TOTAL = 675 + 4
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("store") / "s", DATA / "api-fixture.trig", DATA / "api-extra.trig")
    with start_server(store, log_path=tmp_path_factory.mktemp("log") / "server.log") as srv:
        yield srv


def get(server, path, accept=None, **params):
    return httpx.get(server.url + path, params=params, headers={"Accept": accept} if accept else {})


def local(iri) -> str:
    return "/" + str(iri)[len(iris.BASE):]


def test_a_network_iri_dereferences_to_its_description(server):
    net = iris.network_iri("kyrgyzstan")
    r = get(server, local(net), "text/turtle")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "accept" in r.headers["vary"].lower()
    assert r.headers["link"] == f'<{net}>; rel="canonical"'
    g = Graph().parse(data=r.text, format="turtle")
    assert (net, iris.TOR.coordinatedBy, iris.un_entity_iri("RCO")) in g
    assert (iris.un_entity_iri("RCO"), SKOS.prefLabel, Literal("Resident Coordinator Office", lang="en")) in g
    # provenance: the reified statement says which document states it, and where
    statement = next(s for s in g.subjects(RDF.object, iris.un_entity_iri("RCO")))
    assert g.value(statement, iris.TOR.statedIn) == iris.doc_iri("kyrgyzstan-tor")
    span = g.value(statement, iris.TOR.evidence)
    assert str(g.value(span, iris.NIF.anchorOf)) == "The Network will be coordinated by the Resident Coordinator Office."
    assert g.value(span, iris.NIF.beginIndex).toPython() == 45
    run = g.value(iris.doc_iri("kyrgyzstan-tor"), PROV.wasGeneratedBy)
    assert run == iris.run_iri("20260101T000000-test")


def test_json_ld_and_turtle_are_the_same_description(server):
    path = local(iris.network_iri("global"))
    turtle = Graph().parse(data=get(server, path, "text/turtle").text, format="turtle")
    r = get(server, path, "application/ld+json")
    assert r.headers["content-type"].startswith("application/ld+json")
    assert "@context" in r.json()
    assert isomorphic(turtle, Graph().parse(data=r.text, format="json-ld"))
    for fmt, parse in (("nt", "nt"), ("rdfxml", "xml")):
        assert isomorphic(turtle, Graph().parse(data=get(server, path, format=fmt).text, format=parse))


def test_trig_keeps_the_graph_each_statement_comes_from(server):
    r = get(server, local(iris.body_iri("global", "executive-committee")), "application/trig")
    ds = Dataset()
    ds.parse(data=r.text, format="trig")
    members = {(o, g) for _, _, o, g in ds.quads((iris.body_iri("global", "executive-committee"), iris.ORG.hasMember, None, None))}
    by_graph = {}
    for entity, graph in members:
        by_graph.setdefault(str(graph.identifier if hasattr(graph, "identifier") else graph), set()).add(entity)
    assert by_graph[str(iris.doc_graph("global-tor"))] == {iris.un_entity_iri(e) for e in ("IOM", "UNHCR", "OHCHR")}
    assert by_graph[str(iris.doc_graph("faq-networks"))] == {iris.un_entity_iri(e) for e in ("IOM", "UNHCR", "UNDP")}


def test_documents_and_provisions_dereference(server):
    doc = Graph().parse(data=get(server, local(iris.doc_iri("global-tor")), "text/turtle").text, format="turtle")
    assert doc.value(iris.doc_iri("global-tor"), DCTERMS.identifier) == Literal("global-tor")
    prov = iris.provision_iri("kyrgyzstan-tor", 116, 149)
    g = Graph().parse(data=get(server, local(prov), "text/turtle").text, format="turtle")
    assert (prov, RDF.type, iris.TOR.Obligation) in g
    span = g.value(prov, iris.TOR.evidence)
    assert str(g.value(span, iris.NIF.anchorOf)) == "IOM will provide the Secretariat."


def test_a_browser_gets_escaped_html(server):
    r = get(server, local(iris.network_iri("kyrgyzstan")), BROWSER["Accept"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Country Network on Migration" in r.text
    assert 'href="/id/un-entity/RCO"' in r.text
    assert 'type="text/turtle"' in r.text            # alternates advertised
    r = get(server, local(iris.un_entity_iri("EVIL")), BROWSER["Accept"])
    assert r.status_code == 200
    assert "<script>" not in r.text and "<img" not in r.text
    assert "&lt;script&gt;alert(&#x27;label&#x27;)&lt;/script&gt;" in r.text


def test_the_ontology_iri_returns_the_ontology(server):
    r = get(server, "/def", "text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert (iris.ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert len(g) == 49                                  # the whole ontology graph
    html = get(server, "/def", BROWSER["Accept"]).text
    assert 'id="Obligation"' in html                     # def#Obligation lands on its block


def test_named_graph_iris_and_any_iri(server):
    g = Graph().parse(data=get(server, local(iris.doc_graph("faq-networks")), format="ttl").text, format="turtle")
    assert len(g) == 39
    r = get(server, "/describe", "text/turtle", iri=str(iris.WD.Q740308))
    assert (iris.un_entity_iri("UNICEF"), OWL.sameAs, iris.WD.Q740308) in Graph().parse(data=r.text, format="turtle")


@pytest.mark.parametrize("path,params", [("/id/network/atlantis", {}), ("/describe", {"iri": "http://example.org/x"}),
                                         ("/shapes", {})])
def test_unknown_iris_are_404(server, path, params):
    r = httpx.get(server.url + path, params=params, headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and r.json()["error"] in ("unknown-iri", "no-such-graph")


def test_description_negotiation_errors(server):
    path = local(iris.network_iri("global"))
    assert get(server, path, "text/csv").status_code == 406
    assert get(server, path, format="pdf").status_code == 400
    assert httpx.get(server.url + path, params={"colour": "red"}).status_code == 400


def test_void_describes_the_dataset(server):
    r = get(server, "/.well-known/void", "text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    VOID = iris.VOID
    ds = URIRef(server.url + "/.well-known/void#dataset")
    assert (ds, RDF.type, VOID.Dataset) in g
    assert g.value(ds, VOID.triples).toPython() == TOTAL
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef(server.url + "/sparql")
    assert set(g.objects(ds, VOID.dataDump)) == {URIRef(server.url + "/dump.nq"), URIRef(server.url + "/dump.trig")}
    assert str(g.value(ds, VOID.uriSpace)) == str(iris.ID)
    subsets = {s: g.value(s, VOID.triples).toPython() for s in g.objects(ds, VOID.subset)
               if (s, RDF.type, VOID.Dataset) in g}
    assert subsets[iris.doc_graph("global-tor")] == 220 and len(subsets) == 9
    partitions = {g.value(p, VOID["class"]): g.value(p, VOID.entities).toPython() for p in g.objects(ds, VOID.classPartition)}
    assert partitions[iris.TOR.Obligation] == 11
    assert g.value(ds, VOID.classes) == Literal(len(partitions), datatype=XSD.integer)
    linkset = next(s for s in g.objects(ds, VOID.subset) if (s, RDF.type, VOID.Linkset) in g)
    assert g.value(linkset, VOID.linkPredicate) == OWL.sameAs and g.value(linkset, VOID.triples).toPython() == 1
    assert str(g.value(g.value(linkset, VOID.objectsTarget), VOID.uriSpace)) == "http://www.wikidata.org/"
    jsonld = Graph().parse(data=get(server, "/.well-known/void", "application/ld+json").text, format="json-ld")
    assert isomorphic(g, jsonld)


@pytest.mark.parametrize("path,fmt,media", [("/dump.nq", "nquads", "application/n-quads"),
                                            ("/dump.trig", "trig", "application/trig")])
def test_dumps_hold_the_whole_dataset(server, path, fmt, media):
    r = httpx.get(server.url + path)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    ds = Dataset()
    ds.parse(data=r.content, format=fmt)
    assert len(list(ds.quads((None, None, None, None)))) == TOTAL
    assert {str(g.identifier) for g in ds.graphs() if len(g)} >= {str(iris.doc_graph("global-tor")),
                                                                    str(iris.ONTOLOGY_GRAPH)}


def test_jsonld_context(server):
    r = httpx.get(server.url + "/context.jsonld")
    assert r.headers["content-type"].startswith("application/ld+json")
    ctx = r.json()["@context"]
    assert ctx["tor"] == str(iris.TOR) and ctx["torid"] == str(iris.ID)
    doc = {"@context": ctx, "@id": "torid:network/global", "tor:coordinatedBy": {"@id": "torid:un-entity/IOM"}}
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert (iris.network_iri("global"), iris.TOR.coordinatedBy, iris.un_entity_iri("IOM")) in g


def test_home_and_health(server):
    assert httpx.get(server.url + "/").status_code == 200
    health = httpx.get(server.url + "/health").json()
    assert health["status"] == "ok" and len(health["workers"]) == 2 and health["snapshot"]
    assert "update_token" not in json.dumps(health)
