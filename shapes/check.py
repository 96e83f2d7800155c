"""Check a regional or country ToR against the global ToR: SHACL validation -> verdicts.

    report = check_document(doc_graph, global_graph)
    report.verdicts["consensus"].status          # "aligned" | "missing" | "conflict"
    report_graph(report)                         # triples for the graph torg:alignment/{id}

The data graph validated is the checked document's graph + the global ToR's graph + the ontology +
the reference data, never the whole store. Before validation, objective coverage
(shapes/coverage.py) adds its correspondences. The SHACL results map to verdicts by severity:
a sh:Violation of any shape of a requirement = conflict, else a sh:Warning = missing, else aligned.
Every verdict carries evidence: the checked clauses (the shape's evidence query), and the global
clause the shape derives from (resolved on the global graph, not hard-coded).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

import pyshacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, XSD

from torkg.iris import NIF, TOR, report_iri, requirement_iri, verdict_iri

from . import Requirement, alignment_shapes, quality_shapes, requirements
from .coverage import Correspondence, CoverageError, candidates, correspondence_graph, global_objectives, match
from .evidence import EvidenceFinder
from .spans import Span, documents, network_document
from .sparql import QueryCachingGraph

STATUSES = {"aligned": TOR.Aligned, "missing": TOR.Missing, "conflict": TOR.Conflict}
NETWORK_CLASSES = {TOR.RegionalLevel: TOR.RegionalNetwork, TOR.CountryLevel: TOR.CountryNetwork}


class AlignmentError(Exception):
    """The graphs given cannot be checked; the message says what is missing and what to do."""


@dataclass(frozen=True)
class Verdict:
    """The finding on one requirement."""

    requirement: str                   # id, e.g. "coordinator-iom"
    status: str                        # aligned | missing | conflict
    message: str
    checked: tuple[Span, ...]          # clauses of the checked ToR
    global_evidence: Span | None       # the global clause it was checked against
    shape: URIRef                      # the requirement's node shape
    label: str = ""
    faq_point: str = ""
    source_shapes: tuple[URIRef, ...] = ()   # the shapes that reported results
    count: int | None = None           # objectives-coverage: objectives covered


@dataclass
class AlignmentReport:
    """All verdicts for one checked document, plus the coverage and the raw SHACL report."""

    doc_id: str
    doc: URIRef
    network: URIRef
    global_doc: URIRef
    verdicts: dict[str, Verdict]
    correspondences: list[Correspondence]
    objectives: int                    # how many objectives the global ToR has
    results: Graph                     # the pyshacl validation report graph
    conforms: bool
    seconds: float                     # validation time
    generated: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0))

    def statuses(self) -> dict[str, str]:
        return {req: v.status for req, v in self.verdicts.items()}


# --- the data graph ----------------------------------------------------------------------------

def _triples(graph):
    if isinstance(graph, (Dataset, ConjunctiveGraph)):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph.triples((None, None, None))


@lru_cache(maxsize=1)
def _static_graphs() -> tuple[Graph, Graph]:
    """The ontology's class and property hierarchy (what validation can use of it) and the
    reference data."""
    from torkg.ontology import load_ontology_graph, load_reference_graph
    ontology = Graph()
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf):
        for triple in load_ontology_graph().triples((None, predicate, None)):
            ontology.add(triple)
    return ontology, load_reference_graph()


def _union(*graphs) -> Graph:
    out = QueryCachingGraph()
    for graph in graphs:
        if graph is not None:
            for triple in _triples(graph):
                out.add(triple)
    return out


def _checked(data: Graph, doc_graph, global_doc: URIRef) -> tuple[URIRef, URIRef]:
    """The checked document and its network, typed regional/country from the document's level if
    the extraction did not type it."""
    docs = [d for d in documents(_union(doc_graph)) if d != global_doc]
    if not docs:
        raise AlignmentError("the document graph holds no document (nothing with nif:isString) besides "
                             "the global ToR: pass the graph of the regional or country ToR to check")
    doc = docs[0]
    network = data.value(doc, TOR.constitutes) or data.value(doc, TOR.describes)
    if network is None:
        raise AlignmentError(f"{doc} constitutes no network (no tor:constitutes): ingest it with a network "
                             "id (catalog field 'network' or --network)")
    if not ({TOR.RegionalNetwork, TOR.CountryNetwork} & set(data.objects(network, RDF.type))):
        level = data.value(doc, TOR.level) or data.value(network, TOR.level)
        if level not in NETWORK_CLASSES:
            raise AlignmentError(f"{doc}: its network {network} is neither regional nor country "
                                 "(tor:level); only regional and country ToRs are checked")
        data.add((network, RDF.type, NETWORK_CLASSES[level]))
    return doc, network


def _global(global_graph) -> tuple[URIRef, URIRef]:
    g = _union(global_graph)
    for network in g.subjects(RDF.type, TOR.GlobalNetwork):
        doc = network_document(g, network)
        if doc is not None:
            return doc, network
    raise AlignmentError("the global graph has no document that constitutes a tor:GlobalNetwork: "
                         "ingest the global ToR (level 'global') and pass its graph")


# --- validation --------------------------------------------------------------------------------

def validate(data: Graph, shapes: Graph | None = None) -> tuple[bool, Graph, float]:
    """pyshacl on a prepared data graph (no inference: the graph carries the types it needs)."""
    started = time.perf_counter()
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes if shapes is not None else alignment_shapes(),
                                            advanced=True, inference="none", inplace=True,
                                            allow_warnings=False)
    return bool(conforms), results, time.perf_counter() - started


@dataclass(frozen=True)
class Result:
    """One sh:ValidationResult, as plain data."""

    focus: URIRef
    shape: URIRef
    severity: URIRef
    message: str
    value: object | None
    path: object | None


def results_of(report: Graph) -> list[Result]:
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        out.append(Result(report.value(r, SH.focusNode), report.value(r, SH.sourceShape),
                          report.value(r, SH.resultSeverity), messages[0] if messages else "",
                          report.value(r, SH.value), report.value(r, SH.resultPath)))
    return out


def _requirement_of(shapes: Graph, shape) -> URIRef | None:
    found = shapes.value(shape, TOR.requirement)
    if found is None:
        for parent in shapes.subjects(SH.property, shape):
            found = shapes.value(parent, TOR.requirement)
    return found


# --- the checker -------------------------------------------------------------------------------

def check_document(doc_graph, global_graph, *, ontology: Graph | None = None,
                   reference: Graph | None = None) -> AlignmentReport:
    """Check one regional or country ToR's graph against the global ToR's graph.

    ``doc_graph`` and ``global_graph`` are rdflib Graphs (or Datasets: all their quads are used);
    ``ontology`` and ``reference`` default to the project's ontology and reference data.
    """
    if ontology is None or reference is None:
        static_ontology, static_reference = _static_graphs()
        ontology = static_ontology if ontology is None else ontology
        reference = static_reference if reference is None else reference
    global_doc, global_network = _global(global_graph)
    data = _union(doc_graph, global_graph, ontology, reference)
    doc, network = _checked(data, doc_graph, global_doc)
    doc_id = str(data.value(doc, DCTERMS.identifier) or str(doc).rsplit("/", 1)[-1])

    try:
        objectives = global_objectives(data if global_graph is None else _union(global_graph))
    except CoverageError:
        objectives = []
    correspondences = match(objectives, candidates(data, doc))
    for triple in correspondence_graph(doc_id, correspondences):
        data.add(triple)

    shapes = alignment_shapes()
    conforms, results_graph, seconds = validate(data, shapes)
    by_requirement: dict[URIRef, list[Result]] = {}
    for result in results_of(results_graph):
        if result.focus == network:
            by_requirement.setdefault(_requirement_of(shapes, result.shape), []).append(result)

    finder = EvidenceFinder(data)
    verdicts = {}
    for req in requirements():
        verdicts[req.id] = _verdict(req, by_requirement.get(req.iri, []), finder, network, doc,
                                    global_network, global_doc, correspondences, len(objectives))
    return AlignmentReport(doc_id, doc, network, global_doc, verdicts, correspondences, len(objectives),
                           results_graph, conforms, seconds)


def _verdict(req: Requirement, results: list[Result], finder: EvidenceFinder, network: URIRef, doc: URIRef,
             global_network: URIRef, global_doc: URIRef, correspondences: list[Correspondence],
             objectives: int) -> Verdict:
    severities = {r.severity for r in results}
    status = "conflict" if SH.Violation in severities else "missing" if SH.Warning in severities else "aligned"
    reporting = [r for r in results if r.severity == (SH.Violation if status == "conflict" else SH.Warning)]
    messages = list(dict.fromkeys(r.message for r in reporting if r.message))
    count = None
    if req.id == "objectives-coverage":
        count = len({c.number for c in correspondences})
        pairs = "; ".join(f"{c.number} ({c.score:.2f}: {', '.join(c.shared[:4])})" for c in correspondences)
        messages = [f"{count} of the global ToR's {objectives} objectives have a counterpart"
                    + (f": {pairs}" if pairs else "") + "."]
    if status == "aligned" and not messages:
        messages = [f"Aligned: {req.text}"]
    checked = tuple(finder.spans(req.evidence_query, network, doc)) if status != "missing" else ()
    if req.id == "objectives-coverage":
        checked = tuple(sorted({c.counterpart for c in correspondences}, key=lambda s: s.start))
    global_evidence = finder.global_evidence(req.evidence_query, global_network, global_doc, req.clause)
    return Verdict(req.id, status, " ".join(messages), checked, global_evidence, req.shape, req.label,
                   req.faq_point, tuple(dict.fromkeys(r.shape for r in reporting if isinstance(r.shape, URIRef))),
                   count)


# --- the verdicts as RDF -----------------------------------------------------------------------

def _span_triples(g: Graph, s: Span) -> None:
    g.add((s.iri, RDF.type, NIF.OffsetBasedString))
    if s.doc is not None:
        g.add((s.iri, NIF.referenceContext, s.doc))
    if s.start >= 0:
        g.add((s.iri, NIF.beginIndex, Literal(s.start, datatype=XSD.nonNegativeInteger)))
        g.add((s.iri, NIF.endIndex, Literal(s.end, datatype=XSD.nonNegativeInteger)))
    g.add((s.iri, NIF.anchorOf, Literal(s.text)))


def report_graph(report: AlignmentReport, doc_id: str | None = None) -> Graph:
    """The verdict triples of docs/graph-model.md ("Alignment reports"), for torg:alignment/{id}."""
    doc_id = doc_id or report.doc_id
    g = Graph()
    r = report_iri(doc_id)
    g.add((r, RDF.type, TOR.AlignmentReport))
    g.add((r, TOR.checks, report.doc))
    g.add((r, TOR.against, report.global_doc))
    g.add((r, PROV.generatedAtTime, Literal(report.generated.isoformat(), datatype=XSD.dateTime)))
    for req_id, v in report.verdicts.items():
        vi = verdict_iri(doc_id, req_id)
        g.add((r, TOR.hasVerdict, vi))
        g.add((vi, RDF.type, TOR.Verdict))
        g.add((vi, TOR.requirement, requirement_iri(req_id)))
        g.add((vi, TOR.status, STATUSES[v.status]))
        g.add((vi, TOR.sourceShape, v.shape))
        g.add((vi, RDFS.comment, Literal(v.message, lang="en")))
        if v.count is not None:
            g.add((vi, TOR.count, Literal(v.count, datatype=XSD.nonNegativeInteger)))
        for s in v.checked:
            g.add((vi, TOR.checkedEvidence, s.iri))
            _span_triples(g, s)
        if v.global_evidence is not None:
            g.add((vi, TOR.globalEvidence, v.global_evidence.iri))
            _span_triples(g, v.global_evidence)
    for triple in correspondence_graph(doc_id, report.correspondences):
        g.add(triple)
        if triple[1] == RDF.type and triple[2] == TOR.ObjectiveCorrespondence:
            g.add((r, TOR.hasCorrespondence, triple[0]))
    return g


# --- structural quality ------------------------------------------------------------------------

def check_quality(graph, *, ontology: Graph | None = None) -> tuple[bool, Graph, list[Result]]:
    """Validate a document graph against shapes/quality.ttl: (conforms, report graph, results)."""
    data = _union(graph, ontology)
    conforms, report, _ = validate(data, quality_shapes())
    return conforms, report, results_of(report)
