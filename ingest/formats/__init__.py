"""Converters from non-plain-text formats (PDF, DOCX, HTML) to Markdown-like plain text.

Each converter takes the source bytes and returns ``(text, offsets)``: paragraphs separated by a
blank line, headings as ``#`` lines, list items as ``- text`` / ``1. text`` lines, tables as
Markdown pipe tables, so the segmenter sees the same structure it sees in a Markdown file.
``offsets`` is a tuple of ``(text_offset, label)`` pairs ("page 3", "paragraph 12") marking where
a source unit starts in the text.

Converters do not know the file's name: they raise ``FormatError`` with the problem and the
remedy, and ``torkg.ingest.read`` prefixes the name to make a ``ReadError``.
"""
from __future__ import annotations

from collections.abc import Iterable


class FormatError(Exception):
    """The bytes cannot be converted; the message says what is wrong and what to do."""


def join_blocks(blocks: Iterable[tuple[str, str]]) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Join ``(label, text)`` blocks with blank lines; return the text (ending in a newline) and
    the offset at which each labelled block starts. Blocks with no text are left out.

    >>> join_blocks([("page 1", "One."), ("page 2", ""), ("page 3", "Three.")])
    ('One.\\n\\nThree.\\n', ((0, 'page 1'), (6, 'page 3')))
    """
    pieces: list[str] = []
    offsets: list[tuple[int, str]] = []
    position = 0
    for label, text in blocks:
        text = text.strip("\n")
        if not text.strip():
            continue
        if pieces:
            pieces.append("\n\n")
            position += 2
        offsets.append((position, label))
        pieces.append(text)
        position += len(text)
    return ("".join(pieces) + "\n" if pieces else ""), tuple(offsets)


def pipe_table(rows: list[list[str]]) -> str:
    """Render rows of cell texts as a Markdown pipe table, the first row as the header.

    >>> print(pipe_table([["Body", "Meets"], ["Network", "once a year"]]))
    | Body | Meets |
    | --- | --- |
    | Network | once a year |
    """
    rows = [[" ".join(cell.split()).replace("|", "\\|") for cell in row] for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join(["---"] * width) + " |")
    return "\n".join(lines)
