"""Read a document (Markdown, plain text, PDF, DOCX, HTML) into a ``SourceText``.

For ``.md``/``.markdown``/``.txt`` the text is exactly what
``open(path, encoding="utf-8", newline=None).read()`` returns (universal newlines: ``\\r\\n`` and
``\\r`` become ``\\n``), a leading UTF-8 byte-order mark included (kept as U+FEFF at offset 0,
as Python reads it), so character offsets agree with any reader of the file.

PDF, DOCX and HTML are converted to Markdown-like text by ``torkg.ingest.formats``: blocks
separated by blank lines, ``#`` headings, ``- ``/``1. `` list items, pipe tables.

Every failure is a ``ReadError`` whose message names the file, says what is wrong and what to do:

>>> try:
...     read_bytes(b"# ToR\\n\\xff\\n", "corpus/x.md")
... except ReadError as error:
...     print(error)
corpus/x.md: not valid UTF-8 at byte 6 (line 2); save it as UTF-8
"""
from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

from .formats import FormatError
from .model import SourceText

MEDIA_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html",
    ".htm": "text/html",
}
SUPPORTED_SUFFIXES = tuple(MEDIA_TYPES)
DEFAULT_MAX_BYTES = 20_000_000
MAX_BYTES_VARIABLE = "TORKG_MAX_BYTES"


class ReadError(Exception):
    """A document cannot be read; the message names the file, the problem and the remedy."""


def max_bytes_default() -> int:
    """The size limit: ``$TORKG_MAX_BYTES`` if set, else 20 MB."""
    value = os.environ.get(MAX_BYTES_VARIABLE, "").strip().replace("_", "")
    if not value:
        return DEFAULT_MAX_BYTES
    if not value.isdigit():
        raise ReadError(f"{MAX_BYTES_VARIABLE}={value!r} is not a whole number of bytes; "
                        "set it to e.g. 50000000")
    return int(value)


def read_document(path: str | Path, *, max_bytes: int | None = None) -> SourceText:
    """Read the file at ``path``; the format is chosen by its suffix (see ``SUPPORTED_SUFFIXES``).

    The size is checked before the file is read: files over ``max_bytes`` (default
    ``max_bytes_default()``) are refused without reading them.
    """
    name = str(path)
    limit = max_bytes_default() if max_bytes is None else max_bytes
    try:
        size = os.stat(path).st_size
        if Path(path).is_dir():
            raise ReadError(f"{name}: is a directory, not a document; give a file path")
        _check_size(name, size, limit)
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise ReadError(f"{name}: no such file; check the path") from None
    except PermissionError:
        raise ReadError(f"{name}: permission denied; make the file readable") from None
    except IsADirectoryError:
        raise ReadError(f"{name}: is a directory, not a document; give a file path") from None
    return read_bytes(data, name, max_bytes=limit)


def read_bytes(data: bytes, name: str, *, max_bytes: int | None = None) -> SourceText:
    """Read an uploaded document's bytes; ``name`` (a file name or path) chooses the format by
    its suffix and appears in error messages and in ``SourceText.path``.

    >>> read_bytes(b"# ToR\\r\\n\\r\\n1. The Network meets.\\r\\n", "tor.md").text
    '# ToR\\n\\n1. The Network meets.\\n'
    """
    limit = max_bytes_default() if max_bytes is None else max_bytes
    _check_size(name, len(data), limit)
    if not data:
        raise ReadError(f"{name}: file is empty")
    suffix = Path(name).suffix.lower()
    offsets: tuple[tuple[int, str], ...] = ()
    try:
        # Converters are imported when a file needs one: their libraries (pypdf, python-docx,
        # BeautifulSoup) cost every process that imports this module otherwise.
        if suffix == ".pdf":
            from .formats.pdf import pdf_to_text
            text, offsets = pdf_to_text(data)
        elif suffix == ".docx":
            from .formats.docx import docx_to_text
            text, offsets = docx_to_text(data)
        elif suffix in (".html", ".htm"):
            from .formats.html import html_to_text
            text = html_to_text(data)
        elif suffix in MEDIA_TYPES:
            text, offsets = _decode_text(data)
        else:
            text, offsets = _decode_unknown(data)
    except FormatError as exc:
        raise ReadError(f"{name}: {exc}") from exc.__cause__
    if not text.strip():
        raise ReadError(f"{name}: contains only whitespace; check that it is the right file")
    return SourceText(path=name, text=text, media_type=MEDIA_TYPES.get(suffix, "text/plain"),
                      content_hash=hashlib.sha256(data).hexdigest(), offsets=offsets)


def _check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise ReadError(f"{name}: {size / 1e6:.1f} MB exceeds the {limit / 1e6:g} MB limit "
                        f"(set {MAX_BYTES_VARIABLE} to raise it)")


def _decode_text(data: bytes) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Strict UTF-8 with universal newlines, as ``open(encoding="utf-8", newline=None)``."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FormatError("is UTF-16, not UTF-8; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise FormatError(f"looks binary (NUL byte at offset {nul}), not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start
        line = data.count(b"\n", 0, at) + 1
        raise FormatError(f"not valid UTF-8 at byte {at} (line {line}); save it as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, ()


def _decode_unknown(data: bytes) -> tuple[str, tuple[tuple[int, str], ...]]:
    """An unknown suffix: accept the bytes as plain text if they are UTF-8 without NUL bytes."""
    try:
        return _decode_text(data)
    except FormatError:
        raise FormatError("unsupported format (not UTF-8 text); convert it to one of "
                          + ", ".join(SUPPORTED_SUFFIXES)) from None


def doc_id_for(path: Path) -> str:
    """A document's id: its file stem, lower-cased, with spaces as dashes."""
    return path.stem.strip().lower().replace(" ", "-")
