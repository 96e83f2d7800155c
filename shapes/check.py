"""Check a regional or country ToR against the global ToR: SHACL validation -> verdicts.

    report = check_document(doc_graph, global_graph)
    report.verdicts["consensus"].status          # "aligned" | "missing" | "conflict"
    report_graph(report)                         # triples for the graph torg:alignment/{id}

The data graph validated is the checked document's graph + what the shapes need of the global ToR's
graph, the ontology and the reference data (shapes/context.py), never the whole store. Before validation, objective coverage
(shapes/coverage.py) adds its correspondences. The SHACL results map to verdicts by severity:
a sh:Violation of any shape of a requirement = conflict, else a sh:Warning = missing, else aligned.
Every verdict carries evidence: the checked clauses (the shape's evidence query), and the global
clause the shape derives from (resolved on the global graph, not hard-coded).
"""
from __future__ import annotations

import importlib
import os
import re
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, SKOS, XSD

from torkg.iris import NIF, SHAPES, TOR, is_un_entity_iri, report_iri, requirement_iri, verdict_iri

from . import Requirement, alignment_shapes, quality_shapes, requirements
from .context import AlignmentError, checked_document, data_graph, global_context, static_graphs, triples
from .coverage import Correspondence, candidates, correspondence_graph, match
from .evidence import EvidenceFinder
from .spans import Span
from .sparql import QueryCachingGraph

STATUSES = {"aligned": TOR.Aligned, "missing": TOR.Missing, "conflict": TOR.Conflict}

__all__ = ["AlignmentError", "AlignmentReport", "Result", "Verdict", "check_document", "check_quality",
           "report_graph", "results_of", "validate", "validator"]

# The SHACL engines ``validate`` can run, by the name users give them (TORKG_SHACL_ENGINE): pyshacl,
# the reference Python implementation and the default, and pyshacl-turbo, a Rust engine with
# pyshacl's API (``pip install 'torkg[fast]'``), which gives the same results on torkg's shapes
# (tests/test_shacl_engines.py) in about a tenth of the time (bench/README.md, Checks).
ENGINES = {"pyshacl": "pyshacl", "pyshacl-turbo": "pyshacl_turbo"}
ENGINE_VARIABLE = "TORKG_SHACL_ENGINE"


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


# --- validation --------------------------------------------------------------------------------

class ShapesError(Exception):
    """A shape the validator refuses (e.g. a SHACL-SPARQL query against the rules of pre-binding)."""


def validator(name: str | None = None):
    """The module of the SHACL engine ``name`` (else $TORKG_SHACL_ENGINE, else pyshacl)."""
    name = name or os.environ.get(ENGINE_VARIABLE) or "pyshacl"
    if name not in ENGINES:
        raise ShapesError(f"unknown SHACL engine {name!r}; choose one of {', '.join(ENGINES)} "
                          f"({ENGINE_VARIABLE})")
    try:
        return importlib.import_module(ENGINES[name])
    except ImportError:
        raise ShapesError(f"the SHACL engine {name} is not installed: pip install 'torkg[fast]', "
                          f"or unset {ENGINE_VARIABLE} to use pyshacl") from None


def validate(data: Graph, shapes: Graph | None = None, engine: str | None = None) -> tuple[bool, Graph, float]:
    """SHACL validation of a prepared data graph (no inference: the graph carries the types it
    needs) by ``engine`` (see ``validator``): (conforms, report graph, seconds)."""
    module = validator(engine)
    started = time.perf_counter()
    conforms, results, _ = module.validate(data, shacl_graph=shapes if shapes is not None else alignment_shapes(),
                                           advanced=True, inference="none", inplace=True,
                                           allow_warnings=False)
    if not isinstance(results, Graph):      # pyshacl's ValidationFailure: a shape it cannot run
        raise ShapesError(f"the shapes graph cannot be evaluated: {results}")
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


_IRI = re.compile(r"https?://[^\s,;)\]\"']+")


def label(node, *graphs: Graph) -> str:
    """A short human name of a resource: a UN entity's skos:notation (its acronym), else the English
    label, else the last segment of its IRI."""
    entity = is_un_entity_iri(node)
    order = (SKOS.notation, SKOS.prefLabel, RDFS.label) if entity else (SKOS.prefLabel, RDFS.label, SKOS.notation)
    for predicate in order:
        for graph in graphs:
            values = sorted(str(v) for v in graph.objects(node, predicate)
                            if getattr(v, "language", None) in (None, "en"))
            if values:
                return values[0]
    return re.split(r"[/#]", str(node).rstrip("/"))[-1]


def humanise(message: str, *graphs: Graph) -> str:
    """A result message with the IRIs pyshacl put in it replaced by their names."""
    return _IRI.sub(lambda m: label(URIRef(m.group(0).rstrip(".")), *graphs)
                    + ("." if m.group(0).endswith(".") else ""), message)


# --- the checker -------------------------------------------------------------------------------

def check_document(doc_graph, global_graph, *, ontology: Graph | None = None,
                   reference: Graph | None = None) -> AlignmentReport:
    """Check one regional or country ToR's graph against the global ToR's graph.

    ``doc_graph`` and ``global_graph`` are rdflib Graphs (or Datasets: all their quads are used);
    ``ontology`` and ``reference`` default to the project's ontology and reference data.
    Raises :class:`AlignmentError` when a graph lacks what a check needs.
    """
    context = global_context(global_graph)
    data = data_graph(doc_graph, context, ontology, reference)
    doc, network, doc_id = checked_document(data, doc_graph, context.doc)

    correspondences = match(context.objectives, candidates(data, doc))
    for triple in correspondence_graph(doc_id, correspondences):
        data.add(triple)

    shapes = alignment_shapes()
    conforms, results_graph, seconds = validate(data, shapes)
    names = (data, *static_graphs(ontology, reference))
    by_requirement: dict[URIRef, list[Result]] = {}
    for result in results_of(results_graph):
        if result.focus == network:
            own = shapes.value(result.shape, SH.message)     # the shape's own wording, when it has one
            message = humanise(str(own) if own is not None else result.message, *names)
            if shapes.value(result.shape, SHAPES.asGlobal) is not None and isinstance(result.path, URIRef):
                theirs = sorted(label(v, *names) for v in data.objects(context.network, result.path))
                message = message.rstrip(".") + f" ({', '.join(theirs)})."
            by_requirement.setdefault(_requirement_of(shapes, result.shape), []).append(
                replace(result, message=message))

    finder = EvidenceFinder(data)
    verdicts = {}
    for req in requirements():
        verdicts[req.id] = _verdict(req, by_requirement.get(req.iri, []), finder, network, doc,
                                    context.clause(req), correspondences, len(context.objectives))
    return AlignmentReport(doc_id, doc, network, context.doc, verdicts, correspondences, len(context.objectives),
                           results_graph, conforms, seconds)


def _verdict(req: Requirement, results: list[Result], finder: EvidenceFinder, network: URIRef, doc: URIRef,
             global_evidence: Span | None, correspondences: list[Correspondence], objectives: int) -> Verdict:
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
            g.add((vi, TOR["count"], Literal(v.count, datatype=XSD.nonNegativeInteger)))
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

def check_quality(graph) -> tuple[bool, Graph, list[Result]]:
    """Validate a document graph against shapes/quality.ttl: (conforms, report graph, results)."""
    data = QueryCachingGraph()
    for triple in triples(graph):
        data.add(triple)
    conforms, report, _ = validate(data, quality_shapes())
    return conforms, report, results_of(report)
