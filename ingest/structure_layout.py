"""How ``torkg.ingest.structure`` reads a document: clauses, lines and sections.

Clauses are the Segmentation's units (a list item keeps its label, "**Members:** ..."), its
lead-ins and table rows, and the sentences of footnotes; lines are the raw text lines (annex
member lists are read line by line); sections come from the headings of the Segmentation and
from annex lines, leaving out lines that only name a UN entity (a member list is no heading).

>>> layout = build_layout("Background\\n\\nOld text.\\n\\nStructure\\n\\nNew text.\\n", None, [], ["background"])
>>> [(layout.section_at(c.start), layout.is_background(c.start)) for c in layout.clauses]
[('Background', True), ('Structure', False)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from torkg.ingest.model import Mention


@dataclass(frozen=True)
class Clause:
    """A sentence, list item (with its label), lead-in or footnote sentence."""

    start: int
    end: int
    section: str | None = None
    footnote: bool = False
    lead_in: tuple[int, int] | None = None


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


@dataclass
class Layout:
    """The text read as clauses (for prose rules), lines (for lists) and headings (for sections)."""

    text: str
    clauses: list[Clause]
    lines: list[Line]
    headings: list[tuple[int, str]]
    background: re.Pattern
    footnotes: list[tuple[int, int]]
    prose: str = ""                 # the text with footnotes blanked (same length)

    def clause_text(self, clause: Clause) -> str:
        """A clause's words; footnotes that interrupt a sentence are blanked out."""
        return (self.text if clause.footnote else self.prose)[clause.start:clause.end]

    def in_footnote(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.footnotes)

    def section_at(self, offset: int) -> str | None:
        found = None
        for start, heading in self.headings:
            if start > offset:
                break
            found = heading
        return found

    def is_background(self, offset: int) -> bool:
        section = self.section_at(offset)
        return bool(section and self.background.search(section))


_SENTENCE = re.compile(r"(?<=[.!?;])[\"'”’)]*\s+(?=[\"“'(\[]?[A-Z0-9])")
_ANNEX_LINE = re.compile(r"^\W{0,4}(?:annex|appendix)\b.{0,80}$", re.I)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_FOOTNOTE_LINE = re.compile(r"^\s*(?:[¹²³⁰⁴-⁹]+|<sup>\s*\w{1,4}\s*</sup>|\[\^[^\]]+\]:)")


def _strip(text: str) -> str:
    text = re.sub(r"<[^>]+>|^\s*#{1,6}\s*|[*_`]+", "", text)
    return re.sub(r"\s+", " ", text).strip(" -–:")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, at = [], start
    for match in _SENTENCE.finditer(text, start, end):
        spans.append((at, match.start()))
        at = match.end()
    spans.append((at, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def entity_only(text: str, start: int, end: int, mentions: list[Mention]) -> Mention | None:
    """The one UN entity a short line names ("International Labour Organization (ILO) *"), or None."""
    ents = [m for m in mentions if start <= m.start and m.end <= end and m.kind == "un-entity"]
    if len({m.key for m in ents}) != 1:
        return None
    if text[start:end].lstrip().startswith("|"):      # a table row: judge the entity's own cell
        at = start
        for cell in text[start:end].split("|"):
            if at <= ents[0].start < at + len(cell):
                start, end = at, at + len(cell)
                break
            at += len(cell) + 1
    rest = text[start:end]
    for m in sorted(ents, key=lambda m: -m.start):
        rest = rest[:m.start - start] + " " + rest[m.end - start:]
    words = [w for w in re.findall(r"[A-Za-z]{2,}", rest)
             if w.lower() not in {"the", "and", "of", "secretariat", "office", "un", "united", "nations"}]
    return ents[0] if len(words) <= 1 else None


def build_layout(text: str, seg, mentions: list[Mention], background_words: list[str]) -> Layout:
    """Clauses, lines and headings from a Segmentation (``seg``), or from the text alone."""
    lines, at = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append(Line(at, at + len(raw), raw))
        at += len(raw) + 1
    headings = [(ln.start, _strip(ln.text)) for ln in lines
                if _MD_HEADING.match(ln.text) or _ANNEX_LINE.match(_strip(ln.text))]
    clauses: list[Clause] = []
    footnotes = [(ln.start, ln.end) for ln in lines if _FOOTNOTE_LINE.match(ln.text)]
    if seg is not None:
        parts = seg.parts
        for part in parts:
            if part.kind in ("title", "heading"):
                headings.append((part.start, _strip(text[part.start:part.end])))
                clauses.append(Clause(part.start, part.end))    # "3.2 Secretariat: IOM Philippines"
            elif part.kind in ("section", "annex") and part.heading:
                headings.append((part.start, part.heading))
            elif part.kind == "footnote":
                footnotes.append((part.start, part.end))
            elif part.kind in ("lead-in", "table-row"):
                clauses.append(Clause(part.start, part.end))
        for unit in seg.units:
            start = unit.start
            if unit.part is not None:
                part = parts[unit.part]
                if part.start < start and not re.search(r"[.;!?]\s", text[part.start:start]):
                    start = part.start          # keep a list item's label ("**Members:** ...")
            clauses.append(Clause(start, unit.end, lead_in=unit.lead_in))
    else:
        for ln in lines:
            single = len(ln.text) <= 90 and not re.search(r"[.;,:]\W*$", ln.text)
            if single and not re.match(r"^\s*(?:[-*•]|\d+[.)])\s", ln.text):
                headings.append((ln.start, _strip(ln.text)))
            else:
                clauses.extend(Clause(a, b) for a, b in _sentences(text, ln.start, ln.end))
    for start, end in footnotes:
        clauses.extend(Clause(a, b, footnote=True) for a, b in _sentences(text, start, end))
    def line_end(at: int) -> int:
        end = text.find("\n", at)
        return len(text) if end < 0 else end

    ordered = sorted({(s, h) for s, h in headings if h and entity_only(text, s, line_end(s), mentions) is None})
    background = re.compile(r"\b(?:" + "|".join(map(re.escape, background_words)) + r")\b", re.I)
    prose = list(text)
    for a, b in footnotes:
        prose[a:b] = " " * (b - a)
    layout = Layout(text, [], lines, ordered, background, sorted(footnotes), "".join(prose))
    seen: dict[tuple[int, int], Clause] = {}
    for c in sorted(clauses, key=lambda c: (c.start, c.end)):
        if (c.start, c.end) not in seen:
            seen[(c.start, c.end)] = Clause(c.start, c.end, layout.section_at(c.start), c.footnote, c.lead_in)
    layout.clauses = list(seen.values())
    return layout
