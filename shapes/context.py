"""The data graph a check validates: the checked ToR's graph + what the shapes need of the global
ToR's graph, the ontology and the reference data.

Copying triples into an rdflib graph is the costliest step of a check, so only what the shapes
read is copied: of the global ToR, its network's facts and bodies, its provisions' themes, and the
lead-in and list items its objectives are counted from; of the ontology, the class and property
hierarchy; of the reference data, the resources the two graphs point at (labels, notations,
skos relations) and the resources those are related to. Everything derived from the global ToR
alone (the slice, its objectives, the global clause of each requirement) is kept in a
:class:`GlobalContext`, cached by the global document's content hash, so that checking many
documents against one global ToR prepares it once.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS
from rdflib.term import Node

from torkg.iris import NIF, TOR

from . import Requirement
from .coverage import CoverageError, global_objectives
from .evidence import EvidenceFinder
from .spans import Span, network_document
from .sparql import QueryCachingGraph

Triple = tuple[Node, Node, Node]

PROVISION_PREDICATES = (RDF.type, TOR.inDocument, TOR.addresses, TOR.mentions, TOR.negated, TOR.actionLemma,
                        TOR.frequency, TOR.continues, TOR.inPart)
PART_CLASSES = (TOR.LeadIn, TOR.ListItem)
RELATED = (SKOS.related, SKOS.exactMatch, SKOS.broader, SKOS.narrower)


class AlignmentError(Exception):
    """The graphs given cannot be checked; the message says what is missing and what to do."""


def triples(graph) -> Iterator[Triple]:
    """The triples of a Graph, or of every graph of a Dataset."""
    if isinstance(graph, (Dataset, ConjunctiveGraph)):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph.triples((None, None, None))


def as_graph(graph) -> Graph:
    """A Graph as is; a Dataset merged into one Graph."""
    if isinstance(graph, Graph) and not isinstance(graph, (Dataset, ConjunctiveGraph)):
        return graph
    out = Graph()
    for triple in triples(graph):
        out.add(triple)
    return out


@dataclass
class GlobalContext:
    """What a check needs of the global ToR, prepared once per global document version."""

    graph: Graph
    doc: URIRef
    network: URIRef
    slice: list[Triple]
    objectives: list[Span]
    clauses: dict[str, Span | None] = field(default_factory=dict)   # requirement id -> global clause
    finder: EvidenceFinder | None = None

    def clause(self, req: Requirement) -> Span | None:
        """The global clause a requirement is checked against (resolved once, then cached)."""
        if req.id not in self.clauses:
            if self.finder is None:
                self.finder = EvidenceFinder(self.graph)
            self.clauses[req.id] = self.finder.global_evidence(req.evidence_query, self.network, self.doc,
                                                               req.clause)
        return self.clauses[req.id]


def _global_slice(g: Graph, doc: URIRef, network: URIRef) -> list[Triple]:
    out: list[Triple] = list(g.triples((network, None, None)))
    out += [t for t in g.triples((doc, None, None)) if t[1] != NIF.isString]
    bodies = set(g.subjects(ORG.unitOf, network)) | set(g.objects(network, ORG.hasUnit)) \
        | set(g.subjects(ORG.postIn, network))
    for body in bodies:
        out += g.triples((body, None, None))
    for provision in g.subjects(TOR.inDocument, doc):
        for predicate in PROVISION_PREDICATES:
            out += g.triples((provision, predicate, None))
    for cls in PART_CLASSES:
        for part in g.subjects(RDF.type, cls):
            if (part, NIF.referenceContext, doc) in g:
                out += g.triples((part, None, None))
    return out


_LOCK = threading.Lock()
_GLOBALS: dict[tuple, GlobalContext] = {}


def global_context(global_graph) -> GlobalContext:
    """The global ToR's context, cached by (document, content hash, number of triples)."""
    g = as_graph(global_graph)
    for network in g.subjects(RDF.type, TOR.GlobalNetwork):
        doc = network_document(g, network)
        if doc is not None:
            break
    else:
        raise AlignmentError("the global graph has no document that constitutes a tor:GlobalNetwork: "
                             "ingest the global ToR (level 'global') and pass its graph")
    key = (doc, g.value(doc, TOR.contentHash), g.value(doc, TOR.extractorVersion), len(g))
    with _LOCK:
        found = _GLOBALS.get(key)
        if found is not None:
            return found
    try:
        objectives = global_objectives(g)
    except CoverageError:
        objectives = []
    context = GlobalContext(g, doc, network, _global_slice(g, doc, network), objectives)
    with _LOCK:
        if len(_GLOBALS) >= 4:
            _GLOBALS.pop(next(iter(_GLOBALS)))
        _GLOBALS[key] = context
    return context


@lru_cache(maxsize=1)
def _project_static() -> tuple[Graph, Graph]:
    from torkg.ontology import load_ontology_graph, load_reference_graph
    return load_ontology_graph(), load_reference_graph()


def static_graphs(ontology: Graph | None = None, reference: Graph | None = None) -> tuple[Graph, Graph]:
    """The ontology and reference graphs given, else the project's."""
    if ontology is None or reference is None:
        project_ontology, project_reference = _project_static()
        ontology = project_ontology if ontology is None else ontology
        reference = project_reference if reference is None else reference
    return ontology, reference


def _reference_slice(reference: Graph, pointed: set[Node]) -> list[Triple]:
    """The reference resources pointed at, and those they are skos-related to, with their triples."""
    todo, seen, out = [p for p in pointed if isinstance(p, URIRef)], set(), []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in reference.triples((node, None, None)):
            out.append(triple)
            if triple[1] in RELATED and len(seen) < 5000:
                todo.append(triple[2])
    return out


def data_graph(doc_graph, context: GlobalContext, ontology: Graph | None = None,
               reference: Graph | None = None) -> QueryCachingGraph:
    """The graph to validate: the checked document's graph + the global slice + the ontology's
    hierarchy + the reference data the two point at."""
    ontology, reference = static_graphs(ontology, reference)
    data = QueryCachingGraph()
    for triple in triples(doc_graph):
        data.add(triple)
    for triple in context.slice:
        data.add(triple)
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf):
        for triple in ontology.triples((None, predicate, None)):
            data.add(triple)
    pointed = set(data.objects()) | {context.network}
    for triple in _reference_slice(reference, pointed):
        data.add(triple)
    return data


def checked_document(data: Graph, doc_graph, global_doc: URIRef) -> tuple[URIRef, URIRef, str]:
    """The checked document, its network and id. A network the extraction did not type regional or
    country is typed from the document's tor:level (in the data graph only)."""
    docs = sorted({s for s in as_graph(doc_graph).subjects(NIF.isString, None)
                   if isinstance(s, URIRef) and s != global_doc}, key=str)
    if not docs:
        raise AlignmentError("the document graph holds no document (nothing with nif:isString) besides "
                             "the global ToR: pass the graph of the regional or country ToR to check")
    doc = docs[0]
    network = data.value(doc, TOR.constitutes) or data.value(doc, TOR.describes)
    if network is None:
        raise AlignmentError(f"{doc} constitutes no network (no tor:constitutes): ingest it with a network "
                             "id (catalog field 'network' or --network)")
    classes = {TOR.RegionalLevel: TOR.RegionalNetwork, TOR.CountryLevel: TOR.CountryNetwork}
    if not ({TOR.RegionalNetwork, TOR.CountryNetwork} & set(data.objects(network, RDF.type))):
        level = data.value(doc, TOR.level) or data.value(network, TOR.level)
        if level not in classes:
            raise AlignmentError(f"{doc}: its network {network} is neither regional nor country "
                                 "(tor:level); only regional and country ToRs are checked")
        data.add((network, RDF.type, classes[level]))
    doc_id = str(data.value(doc, DCTERMS.identifier) or str(doc).rsplit("/", 1)[-1])
    return doc, network, doc_id
