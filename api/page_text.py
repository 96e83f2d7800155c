"""A document's text cut into pieces for highlighting: plain data the templates turn into HTML.

The pages never build HTML from document text in Python: this module only decides where the
marks go; the Jinja2 templates (autoescape on) write every piece of text as escaped text.

Two layers of spans are supported: *outer* marks (provisions, or the clauses of a verdict) and
*inner* marks inside them or between them (mentions of reference resources). Spans that overlap
a span already kept on the same layer are dropped, and an inner span that crosses the edge of an
outer one is dropped too, so the result always nests.

>>> blocks = layout("IOM will serve. UNDP may help.", [(0, 15, "p1")], [(0, 3, "iom"), (16, 20, "undp")])
>>> [(b.mark, [(p.text, p.mark) for p in b.pieces]) for b in blocks]
[('p1', [('IOM', 'iom'), (' will serve.', None)]), (None, [(' ', None), ('UNDP', 'undp'), (' may help.', None)])]
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int, Any]


@dataclass
class Piece:
    """A run of text, marked (e.g. a mention: ``mark`` is its payload) or not."""

    text: str
    mark: Any = None


@dataclass
class Block:
    """A run of text under one outer mark (``None`` for unmarked text), cut into pieces."""

    mark: Any
    pieces: list[Piece] = field(default_factory=list)
    begin: int = 0
    end: int = 0


def non_overlapping(spans: Iterable[Span], length: int) -> list[Span]:
    """The spans, clipped to the text, sorted, keeping the first (longest at a tie) of overlaps."""
    clipped = []
    for begin, end, payload in spans:
        b, e = max(0, int(begin)), min(length, int(end))
        if e > b:
            clipped.append((b, e, payload))
    clipped.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[Span] = []
    for span in clipped:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def layout(text: str, outer: Iterable[Span], inner: Iterable[Span] = ()) -> list[Block]:
    """The text as blocks (outer marks and the gaps between them), each cut into pieces."""
    outers = non_overlapping(outer, len(text))
    inners = [s for s in non_overlapping(inner, len(text))
              if not any(o[0] < s[1] and s[0] < o[1] and not (o[0] <= s[0] and s[1] <= o[1])
                         for o in outers)]
    blocks: list[Block] = []
    cursor = 0
    for begin, end, payload in outers:
        if begin > cursor:
            blocks.append(_block(text, cursor, begin, None, inners))
        blocks.append(_block(text, begin, end, payload, inners))
        cursor = end
    if cursor < len(text):
        blocks.append(_block(text, cursor, len(text), None, inners))
    return blocks


def _block(text: str, begin: int, end: int, mark: Any, inners: Sequence[Span]) -> Block:
    block = Block(mark, [], begin, end)
    cursor = begin
    for b, e, payload in inners:
        if e <= begin or b >= end:
            continue
        if b > cursor:
            block.pieces.append(Piece(text[cursor:b]))
        block.pieces.append(Piece(text[b:e], payload))
        cursor = e
    if cursor < end:
        block.pieces.append(Piece(text[cursor:end]))
    return block


def trim_leading_lines(blocks: list[Block]) -> list[Block]:
    """Drop the blank lines a text starts with, so a page does not open on white space (the
    blocks keep their offsets; only the displayed text of an unmarked first piece changes).

    >>> [p.text for p in trim_leading_lines(layout("\\n\\n Title\\nText", []))[0].pieces]
    [' Title\\nText']
    """
    if blocks and blocks[0].pieces and blocks[0].pieces[0].mark is None:
        first = blocks[0].pieces[0]
        first.text = first.text.lstrip("\r\n")
    return blocks
