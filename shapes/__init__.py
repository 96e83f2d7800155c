"""torkg.shapes: SHACL shapes that turn a ToR's graph into alignment verdicts and quality checks.

The Turtle files beside this module are the data; this module only finds and loads them:

- ``alignment.ttl``  one node shape per requirement of ALIGNMENT.md (``torsh:...Shape``)
- ``requirements.ttl``  the requirements themselves (``torid:requirement/{id}``)
- ``quality.ttl``  structural-quality shapes for any document graph

The stages: ``context`` (the data graph a check validates) -> ``coverage`` (objective
correspondences) -> ``check`` (pyshacl, results -> verdicts; ``evidence`` finds the clauses)
-> ``report`` (JSON, table, HTML, Turtle). ``spans`` reads text spans and parts back from a graph,
``sparql`` caches parsed queries, ``lint`` checks the shapes files themselves.

>>> [r.id for r in requirements()][:3]
['mission-gcm', 'rights-wellbeing', 'guided-un-charter']
>>> len(requirements())
19
>>> requirements()[9].faq_point
'membership and structure'
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SH, SKOS

from torkg.iris import SHAPES, TOR

SHAPES_DIR = Path(__file__).resolve().parent
ALIGNMENT_TTL = SHAPES_DIR / "alignment.ttl"
REQUIREMENTS_TTL = SHAPES_DIR / "requirements.ttl"
QUALITY_TTL = SHAPES_DIR / "quality.ttl"


class ShapesError(Exception):
    """A shapes file is missing or does not parse; the message names the file."""


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        if not path.is_file():
            raise ShapesError(f"{path} is missing: reinstall torkg (pip install -e .) or restore the file")
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise ShapesError(f"{path} does not parse as Turtle: {exc}") from exc
    return graph


@functools.lru_cache(maxsize=1)
def alignment_shapes() -> Graph:
    """The alignment shapes graph: ``alignment.ttl`` + ``requirements.ttl`` (cached; do not modify)."""
    return _parse(ALIGNMENT_TTL, REQUIREMENTS_TTL)


@functools.lru_cache(maxsize=1)
def quality_shapes() -> Graph:
    """The structural-quality shapes graph ``quality.ttl`` (cached; do not modify)."""
    return _parse(QUALITY_TTL)


def shapes_paths() -> list[Path]:
    """Every Turtle file of the shapes package (for loading into the store's shapes graph)."""
    return sorted(SHAPES_DIR.glob("*.ttl"))


@dataclass(frozen=True)
class ClauseRef:
    """A stable description of the global ToR clause a requirement derives from."""

    section: str | None = None         # heading text, e.g. "Mission Statement"
    paragraphs: tuple[str, ...] = ()   # paragraph numbers, e.g. ("5", "8")
    item: int | None = None            # 1-based list item of the (first) paragraph, e.g. 8


@dataclass(frozen=True)
class Requirement:
    """One requirement of ALIGNMENT.md and the node shape that checks it."""

    id: str
    iri: URIRef
    shape: URIRef
    label: str
    text: str
    faq_point: str
    source: str
    order: int
    clause: ClauseRef
    evidence_query: str | None


def _text(graph: Graph, subject, predicate) -> str | None:
    values = sorted(str(v) for v in graph.objects(subject, predicate))
    return values[0] if values else None


@functools.lru_cache(maxsize=1)
def _requirements() -> tuple[Requirement, ...]:
    graph = alignment_shapes()
    found = []
    for shape in graph.subjects(SH.targetClass, TOR.RegionalNetwork):
        req_iri = graph.value(shape, TOR.requirement)
        if req_iri is None:
            raise ShapesError(f"{ALIGNMENT_TTL}: {shape} targets networks but names no tor:requirement")
        req_id = _text(graph, req_iri, SKOS.notation)
        if req_id is None:
            raise ShapesError(f"{REQUIREMENTS_TTL}: {req_iri} has no skos:notation (is it declared there?)")
        order = graph.value(shape, SH.order)
        item = graph.value(shape, TOR.derivedFromItem)
        paragraphs = sorted((str(p) for p in graph.objects(shape, TOR.derivedFromParagraph)),
                            key=lambda p: (len(p), p))
        found.append(Requirement(
            id=req_id, iri=req_iri, shape=shape,
            label=_text(graph, req_iri, RDFS.label) or req_id,
            text=_text(graph, req_iri, SKOS.definition) or "",
            faq_point=_text(graph, shape, TOR.faqPoint) or _text(graph, req_iri, TOR.faqPoint) or "",
            source=_text(graph, req_iri, DCTERMS.source) or "",
            order=int(order) if isinstance(order, Literal) else 999,
            clause=ClauseRef(section=_text(graph, shape, TOR.derivedFromSection),
                             paragraphs=tuple(paragraphs),
                             item=int(item) if item is not None else None),
            evidence_query=_text(graph, shape, TOR.evidenceQuery),
        ))
    return tuple(sorted(found, key=lambda r: (r.order, r.id)))


def requirements() -> list[Requirement]:
    """The requirements in ALIGNMENT.md order (``sh:order`` of their shapes)."""
    return list(_requirements())


def requirement(req_id: str) -> Requirement:
    """One requirement by id; ``KeyError`` names the known ids."""
    for found in _requirements():
        if found.id == req_id:
            return found
    raise KeyError(f"unknown requirement {req_id!r}; known: {', '.join(r.id for r in _requirements())}")


def sparql_prefixes(graph: Graph | None = None) -> str:
    """The ``PREFIX`` lines declared by ``torsh:`` (``sh:declare``), for the evidence queries."""
    graph = graph or alignment_shapes()
    lines = []
    for decl in graph.objects(URIRef(SHAPES), SH.declare):
        lines.append(f"PREFIX {graph.value(decl, SH.prefix)}: <{graph.value(decl, SH.namespace)}>")
    return "\n".join(sorted(lines)) + "\n"
