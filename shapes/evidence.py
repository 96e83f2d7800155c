"""Evidence for verdicts: the clauses of the checked ToR and of the global ToR a verdict rests on.

- Checked evidence: a requirement shape's ``tor:evidenceQuery`` (SPARQL, ``$this`` = the network)
  returns spans (provision evidence, fact evidence, theme mentions); a mention is widened to the
  clause that holds it (the provision, else the smallest list item or paragraph).
- Global evidence: the shape names the global clause by a stable description (section heading,
  paragraph number, list item position); :meth:`EvidenceFinder.global_clause` resolves it to the
  global document's parts, and the same evidence query run on the global network picks the exact
  clause inside them (e.g. the sentence of the Mission Statement that names the UN Charter).
"""
from __future__ import annotations

from functools import cached_property

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from torkg.iris import TOR

from . import ClauseRef, sparql_prefixes
from .spans import PartInfo, Span, asides, document_text, lead_in_items, normalise, parts, sections
from .spans import span as span_of
from .sparql import prepared

CLAUSE_KINDS = ("list-item", "numbered-paragraph", "paragraph", "lead-in", "table-row", "heading", "title")


class DocumentIndex:
    """The parts and provision spans of one document, for widening mentions to clauses."""

    def __init__(self, graph: Graph, doc: URIRef):
        self.graph, self.doc = graph, doc
        self.text = document_text(graph, doc)

    @cached_property
    def parts(self) -> list[PartInfo]:
        return parts(self.graph, self.doc)

    @cached_property
    def provisions(self) -> list[Span]:
        found = []
        for provision in self.graph.subjects(TOR.inDocument, self.doc):
            for evidence in self.graph.objects(provision, TOR.evidence):
                s = span_of(self.graph, evidence, self.text)
                if s.start >= 0:
                    found.append(s)
        return found

    @cached_property
    def extents(self) -> dict[URIRef, tuple[int, int]]:
        """Each part's extent including the parts inside it (a numbered paragraph and its items)."""
        out = {p.span.iri: (p.span.start, p.span.end) for p in self.parts}
        parent_of = {p.span.iri: p.parent for p in self.parts}
        for p in self.parts:
            seen = {p.span.iri}
            parent = p.parent
            while parent in out and parent not in seen:   # a malformed graph may loop
                seen.add(parent)
                start, end = out[parent]
                out[parent] = (min(start, p.span.start), max(end, p.span.end))
                parent = parent_of.get(parent)
        return out

    def widen(self, s: Span) -> Span:
        """The clause that holds a span: the smallest provision holding it, else the smallest
        clause-like part, else the span itself."""
        holders = [p for p in self.provisions if p.contains(s)]
        if not holders:
            holders = [p.span for p in self.parts if p.kind in CLAUSE_KINDS and p.span.contains(s)]
        return min(holders, key=lambda h: h.end - h.start) if holders else s


class EvidenceFinder:
    """Runs evidence queries on the validation's data graph and resolves global clauses."""

    def __init__(self, data: Graph):
        self.data = data
        self._indexes: dict[URIRef, DocumentIndex] = {}
        self._prefixes = sparql_prefixes()

    def index(self, doc: URIRef) -> DocumentIndex:
        if doc not in self._indexes:
            self._indexes[doc] = DocumentIndex(self.data, doc)
        return self._indexes[doc]

    def spans(self, query: str | None, network: URIRef, doc: URIRef) -> list[Span]:
        """The clauses an evidence query finds for a network, widened, deduplicated, in text order."""
        if not query:
            return []
        index = self.index(doc)
        direct: list[Span] = []
        mentions: list[Span] = []
        text = self._prefixes + query
        for row in self.data.query(prepared(text) or text, initBindings={"this": network}):
            iri = row[0]
            if not isinstance(iri, URIRef):
                continue
            s = span_of(self.data, iri, index.text)
            if s.start >= 0:
                (mentions if (iri, RDF.type, TOR.Mention) in self.data else direct).append(s)
        found: dict[tuple[int, int], Span] = {(s.start, s.end): s for s in direct}
        # mentions in footnotes, annexes and background sections are quoted only when nothing else is
        aside = asides(index.parts, len(index.text))
        outside = [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in aside)]
        if found or outside:
            mentions = outside
        for m in mentions:
            holders = [d for d in direct if d.contains(m)]
            s = min(holders, key=lambda h: h.end - h.start) if holders else index.widen(m)
            found.setdefault((s.start, s.end), s)
        spans = sorted(found.values(), key=lambda s: (s.start, s.end))
        # drop spans inside another found span: the clause already quotes them
        return [s for s in spans if not any(o is not s and o.contains(s) and o != s for o in spans)]

    def global_clause(self, doc: URIRef, clause: ClauseRef) -> list[tuple[Span, tuple[int, int]]]:
        """The global parts a clause description names, each with its extent (part + sub-parts)."""
        index = self.index(doc)
        part_list = index.parts
        region = None
        if clause.section:
            wanted = normalise(clause.section)
            for heading, start, end in sections(part_list, len(index.text)):
                if normalise(heading) == wanted:
                    region = (start, end)
                    break
        annexes = [p.span for p in part_list if p.kind == "annex"]
        out: list[tuple[Span, tuple[int, int]]] = []
        for number in clause.paragraphs:
            candidates = [p for p in part_list if p.kind == "numbered-paragraph" and p.number == number
                          and not any(a.contains(p.span) for a in annexes)]
            inside = [p for p in candidates if region and region[0] <= p.span.start < region[1]]
            chosen = (inside or candidates)[:1]
            for p in chosen:
                out.append((p.span, index.extents.get(p.span.iri, (p.span.start, p.span.end))))
        if clause.item and out:
            paragraph, (start, end) = out[0]
            items = self._items(part_list, paragraph.iri, start, end)
            if len(items) >= clause.item:
                item = items[clause.item - 1]
                return [(item, (item.start, item.end))]
        if not out and region:
            heads = [p for p in part_list if p.kind in ("section", "heading") and p.span.start == region[0]]
            if heads:
                out.append((heads[0].span, region))
        return out

    def _items(self, part_list: list[PartInfo], paragraph: URIRef, start: int, end: int) -> list[Span]:
        leads = lead_in_items(self.data, part_list)
        for lead, items in leads.items():
            lead_part = next(p for p in part_list if p.span.iri == lead)
            if lead_part.parent == paragraph or start <= lead_part.span.start < end:
                return [i.span for i in items]
        return [p.span for p in part_list if p.kind == "list-item" and start <= p.span.start < end]

    def global_evidence(self, query: str | None, global_network: URIRef, global_doc: URIRef,
                        clause: ClauseRef) -> Span | None:
        """The global clause a requirement was checked against: the first clause the evidence query
        finds on the global network inside the described part(s), else the described part itself."""
        regions = self.global_clause(global_doc, clause)
        found = self.spans(query, global_network, global_doc)
        for part, (start, end) in regions:
            for s in found:
                if start <= s.start and s.end <= end:
                    return s
        if regions:
            return regions[0][0]
        return found[0] if found else None
