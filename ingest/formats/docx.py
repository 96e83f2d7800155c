"""DOCX -> Markdown-like text (python-docx).

Body paragraphs and tables in document order, one block each, blank line between blocks:
headings (styles "Title", "Heading N") become ``#`` lines, numbered or bulleted paragraphs get
their list marker rendered from the numbering definitions ("1.", "(a)", "1.1", bullets as "-"),
tables become pipe tables. Headers, footers, footnotes, comments and text boxes are not read.
"""
from __future__ import annotations

import io
import re
import zipfile

import docx
from lxml import etree
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from . import FormatError, join_blocks, pipe_table

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # old binary .doc (and encrypted .docx)
_HEADING = re.compile(r"Heading ([1-9])$")
_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _xpath(element, expression: str, **variables) -> list:
    """Evaluate ``expression`` with the ``w:`` prefix bound and ``$variables`` substituted."""
    return etree.XPath(expression, namespaces=_W)(element, **variables)


def docx_to_text(data: bytes) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Return the document's text and ``(offset, "paragraph N" | "table N")`` for each block
    (N counts body paragraphs / tables from 1, empty ones included)."""
    if data.startswith(_OLE_MAGIC):
        raise FormatError("this is an old binary Word file or an encrypted DOCX, not a DOCX; "
                          "open it in Word and save it as an unprotected .docx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FormatError("truncated or corrupt DOCX (bad zip); re-export or re-download it")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError, etree.LxmlError) as exc:
        raise FormatError(f"corrupt DOCX ({exc}); re-export or re-download it") from exc
    except (PackageNotFoundError, KeyError, ValueError) as exc:   # e.g. a renamed .xlsx or .zip
        raise FormatError("a zip archive but not a Word document; "
                          "open it in Word and save it as .docx") from exc
    numbering = _Numbering(document)
    blocks: list[tuple[str, str]] = []
    n_paragraphs = n_tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            n_paragraphs += 1
            blocks.append((f"paragraph {n_paragraphs}", _paragraph_text(item, numbering)))
        elif isinstance(item, Table):
            n_tables += 1
            blocks.append((f"table {n_tables}", pipe_table(_table_rows(item))))
    text, offsets = join_blocks(blocks)
    if not text:
        raise FormatError("the DOCX has no text in its body; check that it is the right file")
    return text, offsets


def _paragraph_text(paragraph: Paragraph, numbering: _Numbering) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    marker, level = numbering.marker(paragraph)
    heading = _heading_level(paragraph)
    if heading:
        return "#" * heading + " " + (marker + " " if marker else "") + text
    if marker:
        return "  " * level + marker + " " + text
    return text


def _heading_level(paragraph: Paragraph) -> int:
    style = paragraph.style
    while style is not None:
        if style.name == "Title":
            return 1
        match = _HEADING.match(style.name or "")
        if match:
            return int(match.group(1))
        style = style.base_style
    return 0


def _table_rows(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:          # a merged cell is repeated: keep it once
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        rows.append(cells)
    return rows


class _Numbering:
    """Renders list markers from word/numbering.xml, counting per list instance (numId)."""

    def __init__(self, document: docx.document.Document):
        try:
            self._root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self._root = None
        self._counts: dict[int, list[int]] = {}
        self._levels_of: dict[int, dict[int, dict]] = {}

    def marker(self, paragraph: Paragraph) -> tuple[str, int]:
        """The paragraph's list marker ("" if none) and its list level (0 = top)."""
        num_id, level = _num_pr(paragraph)
        if not num_id or self._root is None:
            return "", 0
        if num_id not in self._levels_of:
            self._levels_of[num_id] = self._levels(num_id)
        levels = self._levels_of[num_id]
        if level not in levels:
            return "", 0
        counts = self._counts.setdefault(num_id, [0] * 9)
        counts[level] = counts[level] + 1 if counts[level] else levels[level]["start"]
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        fmt, pattern = levels[level]["fmt"], levels[level]["text"]
        if fmt in ("bullet", "none") or not pattern:
            return "-", level

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            spec = levels.get(k, {"fmt": "decimal", "start": 1})
            return _format_number(counts[k] or spec["start"], spec["fmt"])

        return re.sub(r"%([1-9])", number, pattern).strip() or "-", level

    def _levels(self, num_id: int) -> dict[int, dict]:
        nums = _xpath(self._root, "./w:num[@w:numId = $id]", id=str(num_id))
        if not nums:
            return {}
        abstract_id = _first(_xpath(nums[0], "./w:abstractNumId/@w:val"), "")
        levels = {}
        definitions = "./w:abstractNum[@w:abstractNumId = $id]/w:lvl"
        for lvl in _xpath(self._root, definitions, id=abstract_id):
            levels[_int(_xpath(lvl, "./@w:ilvl"), 0)] = {
                "fmt": _first(_xpath(lvl, "./w:numFmt/@w:val"), "decimal"),
                "text": _first(_xpath(lvl, "./w:lvlText/@w:val"), ""),
                "start": _int(_xpath(lvl, "./w:start/@w:val"), 1),
            }
        for override in _xpath(nums[0], "./w:lvlOverride"):
            k = _int(_xpath(override, "./@w:ilvl"), 0)
            if k in levels:
                levels[k]["start"] = _int(_xpath(override, "./w:startOverride/@w:val"),
                                          levels[k]["start"])
        return levels


def _num_pr(paragraph: Paragraph) -> tuple[int | None, int]:
    """numId and ilvl from the paragraph's own properties, else from its style chain."""
    num_id = level = None
    sources = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        sources.append(style.element.pPr)
        style = style.base_style
    for ppr in sources:
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is None:
            continue
        if num_id is None and num_pr.numId is not None:
            num_id = num_pr.numId.val
        if level is None and num_pr.ilvl is not None:
            level = num_pr.ilvl.val
    return num_id, level or 0


def _first(values: list, default: str) -> str:
    return str(values[0]) if values else default


def _int(values: list, default: int) -> int:
    value = _first(values, "")
    return int(value) if value.isdigit() else default


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                          (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                          (4, "iv"), (1, "i")):
        count, n = divmod(n, value)
        out += digits * count
    return out
