"""Self-descriptions: the SPARQL 1.1 Service Description and the VoID description of the dataset.

Both are built from the same statistics (named graphs and their sizes, classes, linksets), computed
by named queries through the store and cached per published snapshot.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, XSD

from torkg import iris, queries
from torkg.iris import NIF, SD, TOR, VOID
from torkg.store import Store

ENDPOINT_PATH = "/sparql"
VOID_PATH = "/.well-known/void"
DUMP_PATHS = {"nquads": "/dump.nq", "trig": "/dump.trig"}
GRAPH_STORE_PATH = "/rdf-graphs"
RESULT_FORMATS = [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                  ox.QueryResultsFormat.TSV]
RDF_FORMATS = [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG,
               ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML]
VOCABULARIES = [TOR, ORG, NIF, PROV, DCTERMS, SKOS]


@dataclass(frozen=True)
class Stats:
    graphs: dict[str, int]
    classes: dict[str, int]
    linksets: list[tuple[str, str, int]]

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def dataset_stats(store: Store) -> Stats:
    def rows(name: str):
        return store.select(queries.load(name).text)[1]
    graphs = {str(r["graph"]): int(r["triples"]) for r in rows("dataset-graphs")}
    classes = {str(r["class"]): int(r["entities"]) for r in rows("dataset-classes")}
    links = [(str(r["predicate"]), str(r["target"]), int(r["links"])) for r in rows("dataset-linksets")]
    return Stats(graphs, classes, links)


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def void_graph(stats: Stats, base: str) -> Graph:
    """The VoID description of the whole dataset: size, endpoint, dumps, graphs, classes, linksets."""
    g = Graph()
    ds = URIRef(base + VOID_PATH + "#dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("torkg: migration-governance Terms of Reference", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "UN Network on Migration Terms of Reference as a knowledge graph: documents, provisions, "
        "networks, bodies and alignment reports, each statement traced to a character span.", lang="en")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + ENDPOINT_PATH)))
    for key, path in DUMP_PATHS.items():
        g.add((ds, VOID.dataDump, URIRef(base + path)))
    g.add((ds, VOID.feature, URIRef(ox.RdfFormat.N_QUADS.iri)))
    g.add((ds, VOID.feature, URIRef(ox.RdfFormat.TRIG.iri)))
    g.add((ds, VOID.uriSpace, Literal(str(iris.ID))))
    g.add((ds, VOID.rootResource, iris.ONTOLOGY_IRI))
    for vocab in VOCABULARIES:
        g.add((ds, VOID.vocabulary, URIRef(str(vocab))))
    g.add((ds, VOID.triples, _count(stats.triples)))
    g.add((ds, VOID.classes, _count(len(stats.classes))))
    for cls, n in stats.classes.items():
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, _count(n)))
    for graph, n in stats.graphs.items():
        sub = URIRef(graph)
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, SD.name, sub))
        g.add((sub, VOID.triples, _count(n)))
        g.add((sub, VOID.dataDump, URIRef(f"{base}{GRAPH_STORE_PATH}?graph={_q(graph)}")))
    for predicate, target, n in stats.linksets:
        ls, other = BNode(), BNode()
        g.add((ds, VOID.subset, ls))
        g.add((ls, RDF.type, VOID.Linkset))
        g.add((ls, VOID.linkPredicate, URIRef(predicate)))
        g.add((ls, VOID.subjectsTarget, ds))
        g.add((ls, VOID.objectsTarget, other))
        g.add((ls, VOID.triples, _count(n)))
        g.add((other, RDF.type, VOID.Dataset))
        g.add((other, VOID.uriSpace, Literal(target)))
    return g


def service_graph(stats: Stats, base: str, *, writable: bool, union_default: bool,
                  federation: bool) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint at ``base + /sparql``."""
    g = Graph()
    endpoint = URIRef(base + ENDPOINT_PATH)
    svc = URIRef(base + ENDPOINT_PATH + "#service")
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, endpoint))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    if writable:
        g.add((svc, SD.supportedLanguage, SD.SPARQL11Update))
    for fmt in RESULT_FORMATS + RDF_FORMATS:
        g.add((svc, SD.resultFormat, URIRef(fmt.iri)))
    for fmt in RDF_FORMATS:
        if writable:
            g.add((svc, SD.inputFormat, URIRef(fmt.iri)))
    if union_default:
        g.add((svc, SD.feature, SD.UnionDefaultGraph))
    if federation:
        g.add((svc, SD.feature, SD.BasicFederatedQuery))
    dataset = URIRef(base + ENDPOINT_PATH + "#dataset")
    g.add((svc, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.isPartOf, URIRef(base + VOID_PATH + "#dataset")))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, _count(stats.triples if union_default else 0)))
    for graph, n in stats.graphs.items():
        named, desc = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(graph)))
        g.add((named, SD.graph, desc))
        g.add((desc, RDF.type, SD.Graph))
        g.add((desc, VOID.triples, _count(n)))
    return g


def _q(value: str) -> str:
    return quote(value, safe="")


class DescriptionCache:
    """The statistics of the newest snapshot, computed once per snapshot."""

    def __init__(self):
        self._lock = threading.Lock()
        self._key: str | None = None
        self._stats: Stats | None = None

    def stats(self, store) -> Stats:
        key = store.snapshot() if hasattr(store, "snapshot") else None
        with self._lock:
            if key is not None and key == self._key and self._stats is not None:
                return self._stats
        stats = dataset_stats(store)
        with self._lock:
            self._key, self._stats = key, stats
        return stats


CACHE = DescriptionCache()
