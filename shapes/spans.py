"""Read text spans and document structure back out of a document graph.

The alignment checker and the objective coverage both need the same few things from a document
graph (docs/graph-model.md): the document that constitutes a network, its text, the offsets and
text of a span IRI, and its parts (headings, numbered paragraphs, list items...) in text order.
They are plain data here so that the other modules never walk RDF by hand.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix tor: <https://w3id.org/torkg/def#> .
... @prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
... <https://w3id.org/torkg/id/doc/d> nif:isString "Hello world." ;
...     tor:constitutes <https://w3id.org/torkg/id/network/n> .
... ''', format="turtle")
>>> span(g, span_iri_of("d", 6, 11)).text
'world'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from torkg.iris import NIF, TOR, span_iri

_CHAR = re.compile(r"/char=(\d+),(\d+)$")
ASIDE_HEADINGS = re.compile(r"background|introduction|context|preamble|history", re.IGNORECASE)
"""Headings of sections that recount rather than constitute (the shapes' StatesTheme component uses
the same words)."""
_MARKUP = re.compile(r"[*_#`>\[\]]+")

PART_CLASSES = {
    TOR.Title: "title", TOR.Heading: "heading", TOR.Section: "section", TOR.Paragraph: "paragraph",
    TOR.NumberedParagraph: "numbered-paragraph", TOR.ListItem: "list-item", TOR.LeadIn: "lead-in",
    TOR.Footnote: "footnote", TOR.Table: "table", TOR.TableRow: "table-row", TOR.Annex: "annex",
    TOR.MemberList: "member-list",
}


def span_iri_of(doc_id: str, start: int, end: int) -> URIRef:
    """The IRI of a span (re-exported from torkg.iris for doctests and callers)."""
    return span_iri(doc_id, start, end)


@dataclass(frozen=True)
class Span:
    """A character span of a document: its IRI, half-open offsets and text."""

    iri: URIRef
    start: int
    end: int
    text: str
    doc: URIRef | None = None          # the document (nif:referenceContext)

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class PartInfo:
    """One structural part of a document (see docs/graph-model.md, "Document, text and parts")."""

    span: Span
    kind: str                          # Part.kind: heading, list-item, numbered-paragraph...
    number: str | None = None
    continues: URIRef | None = None    # the lead-in a list item continues
    parent: URIRef | None = None       # dct:isPartOf: the enclosing part (or the document)


def normalise(text: str) -> str:
    """Text without Markdown markup, collapsed spaces, case-folded: for comparing headings."""
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", text)).strip(" .:").casefold()


def document_text(graph: Graph, doc: URIRef) -> str:
    value = graph.value(doc, NIF.isString)
    return str(value) if value is not None else ""


def _int(value) -> int | None:
    return int(value) if isinstance(value, Literal) else None


def span(graph: Graph, iri: URIRef, text: str | None = None) -> Span:
    """The span an IRI names: offsets from nif:beginIndex/endIndex (or the ``char=`` IRI itself),
    text from nif:anchorOf (or the document's nif:isString). ``text`` saves looking the document up."""
    start, end = _int(graph.value(iri, NIF.beginIndex)), _int(graph.value(iri, NIF.endIndex))
    if start is None or end is None:
        found = _CHAR.search(str(iri))
        if found:
            start, end = int(found.group(1)), int(found.group(2))
    context = graph.value(iri, NIF.referenceContext) or _doc_of_span(iri)
    anchor = graph.value(iri, NIF.anchorOf)
    if anchor is not None:
        return Span(iri, start if start is not None else -1, end if end is not None else -1, str(anchor), context)
    if start is None or end is None:
        return Span(iri, -1, -1, "", context)
    if text is None:
        text = document_text(graph, context) if context is not None else ""
    return Span(iri, start, end, text[start:end], context)


def _doc_of_span(iri: URIRef) -> URIRef | None:
    """``torid:doc/x/char=1,2`` -> ``torid:doc/x``."""
    text = str(iri)
    found = _CHAR.search(text)
    return URIRef(text[: found.start()]) if found else None


def network_document(graph: Graph, network: URIRef) -> URIRef | None:
    """The document that constitutes (or else describes) a network."""
    for predicate in (TOR.constitutes, TOR.describes):
        for doc in graph.subjects(predicate, network):
            return doc
    return None


def documents(graph: Graph) -> list[URIRef]:
    """The documents of a graph: subjects with nif:isString (the whole text)."""
    return sorted({s for s in graph.subjects(NIF.isString, None) if isinstance(s, URIRef)}, key=str)


def parts(graph: Graph, doc: URIRef) -> list[PartInfo]:
    """The structural parts of a document, in text order (outer parts first at equal starts)."""
    text = document_text(graph, doc)
    found = []
    for iri in set(graph.subjects(NIF.referenceContext, doc)):
        kinds = [PART_CLASSES[c] for c in graph.objects(iri, RDF.type) if c in PART_CLASSES]
        if not kinds:
            continue
        number = graph.value(iri, TOR.number)
        found.append(PartInfo(span(graph, iri, text), kinds[0],
                              str(number).strip().rstrip(".") if number is not None else None,
                              graph.value(iri, TOR.continues), graph.value(iri, DCTERMS.isPartOf)))
    found.sort(key=lambda p: (p.span.start, -p.span.end))
    return found


def lead_in_items(graph: Graph, part_list: list[PartInfo]) -> dict[URIRef, list[PartInfo]]:
    """The list items that continue each lead-in, in text order: items whose tor:continues names it,
    items of provisions whose tor:continues names it, and the list items after it in the same
    enclosing part (or inside it)."""
    by_iri = {p.span.iri: p for p in part_list}
    items = [p for p in part_list if p.kind == "list-item"]
    out: dict[URIRef, list[PartInfo]] = {}
    for lead in (p for p in part_list if p.kind == "lead-in"):
        found = {p.span.iri: p for p in items if p.continues == lead.span.iri}
        for provision in graph.subjects(TOR.continues, lead.span.iri):
            part = by_iri.get(graph.value(provision, TOR.inPart))
            if part is not None and part.kind == "list-item":
                found[part.span.iri] = part
        for p in items:
            if p.parent == lead.span.iri or (
                    lead.parent is not None and p.parent == lead.parent and p.span.start >= lead.span.end):
                found[p.span.iri] = p
        if found:
            out[lead.span.iri] = sorted(found.values(), key=lambda p: p.span.start)
    return out


def sections(part_list: list[PartInfo], text_length: int) -> list[tuple[str, int, int]]:
    """(heading text, start, end) for every heading: a section runs from its heading to the next
    heading (or to the end of the enclosing tor:Section part when there is one)."""
    headings = [p for p in part_list if p.kind in ("heading", "title")]
    section_parts = [p for p in part_list if p.kind == "section"]
    out = []
    for i, head in enumerate(headings):
        end = headings[i + 1].span.start if i + 1 < len(headings) else text_length
        for sec in section_parts:
            if sec.span.start <= head.span.start < sec.span.end:
                end = sec.span.end
                break
        out.append((head.span.text, head.span.start, end))
    return out


def asides(part_list: list[PartInfo], text_length: int) -> list[tuple[int, int]]:
    """Extents of footnotes, annexes and background sections (see ASIDE_HEADINGS)."""
    out = [(p.span.start, p.span.end) for p in part_list if p.kind in ("footnote", "annex")]
    out += [(start, end) for heading, start, end in sections(part_list, text_length) if ASIDE_HEADINGS.search(heading)]
    return out


def section_of(section_list: list[tuple[str, int, int]], offset: int) -> str | None:
    """The heading of the innermost section holding an offset."""
    best = None
    for heading, start, end in section_list:
        if start <= offset < end and (best is None or start >= best[1]):
            best = (heading, start, end)
    return best[0] if best else None
