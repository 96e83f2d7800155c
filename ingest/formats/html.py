"""HTML -> Markdown-like text (BeautifulSoup with the standard-library "html.parser").

script/style/head and other non-content elements are dropped; h1-h6 become ``#`` lines, li
becomes ``- text`` (``N. text`` inside ol), tables become pipe tables, p/div and other block
elements become paragraphs separated by blank lines, br becomes a line break.
"""
from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from . import FormatError, pipe_table

_DROP = {"script", "style", "head", "noscript", "template", "svg", "math", "iframe", "object",
         "canvas", "button", "select", "textarea", "input"}
_BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside",
          "blockquote", "address", "figure", "figcaption", "dl", "dt", "dd", "form", "fieldset",
          "ul", "ol", "body", "html", "hr", "caption", "center", "details", "summary"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def decode_html(data: bytes) -> str:
    """Decode by BOM, else the charset declared in a <meta> tag, else UTF-8 (strictly)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            data, declared = data[len(bom):], encoding
            break
    else:
        match = _CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii").lower() if match else "utf-8"
    try:
        codecs.lookup(declared)
    except LookupError:
        raise FormatError(f"the page declares an unknown charset {declared!r}; "
                          "save it as UTF-8") from None
    try:
        return data.decode(declared)
    except UnicodeDecodeError as exc:
        raise FormatError(f"not valid {declared} at byte {exc.start} (the declared or assumed "
                          "charset); save it as UTF-8 or fix the <meta charset>") from None


def html_to_text(data: bytes) -> str:
    """Return the page's text, one block per paragraph, heading, list item or table."""
    soup = BeautifulSoup(decode_html(data), "html.parser")
    for tag in soup.find_all(sorted(_DROP)):
        tag.decompose()
    writer = _Writer()
    writer.walk(soup)
    writer.flush()
    text = "\n\n".join(writer.blocks)
    if not text.strip():
        raise FormatError("the HTML page has no text outside scripts and markup; "
                          "check that it is the right file")
    return text + "\n"


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._inline: list[str] = []
        self._prefix = ""
        self._lists: list[list[int] | None] = []   # open lists: [next number] for ol, None for ul

    def flush(self) -> None:
        """End the current block: collapse whitespace per line, emit it with its prefix."""
        lines = [" ".join(line.split()) for line in "".join(self._inline).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(self._prefix + text)
            self._prefix = ""
        self._inline = []

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIP_STRINGS):
                    self._inline.append(re.sub(r"\s+", " ", str(child)))
            elif isinstance(child, Tag):
                self._element(child)

    def _element(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name == "br":
            self._inline.append("\n")
        elif name in _HEADINGS:
            self.flush()
            self.walk(tag)
            self._prefix = "#" * _HEADINGS[name] + " "
            self.flush()
            self._prefix = ""
        elif name == "li":
            self.flush()
            current = self._lists[-1] if self._lists else None
            if current is None:
                marker = "-"
            else:
                marker, current[0] = f"{current[0]}.", current[0] + 1
            self._prefix = "  " * max(len(self._lists) - 1, 0) + marker + " "
            self.walk(tag)
            self.flush()
            self._prefix = ""
        elif name in ("ul", "ol"):
            self.flush()
            start = str(tag.get("start", "1"))
            self._lists.append([int(start) if start.isdigit() else 1] if name == "ol" else None)
            self.walk(tag)
            self.flush()
            self._lists.pop()
        elif name == "table":
            self.flush()
            table = pipe_table(_table_rows(tag))
            if table:
                self.blocks.append(table)
        elif name == "pre":
            self.flush()
            text = tag.get_text().strip("\n")
            if text.strip():
                self.blocks.append(text)
        elif name in _BLOCK:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)


def _table_rows(table: Tag) -> list[list[str]]:
    rows = []
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:      # a nested table's row
            continue
        cells = [cell.get_text(" ") for cell in row.find_all(["td", "th"], recursive=False)]
        if any(cell.strip() for cell in cells):
            rows.append(cells)
    return rows
