"""PDF -> text, from the PDF's text layer (pypdf). No OCR: a scanned PDF is refused."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from . import FormatError, join_blocks


def pdf_to_text(data: bytes) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Return the text of every page, pages joined by a blank line, and ``(offset, "page N")``
    at the start of each page that has text (N counts from 1 over all pages).

    A PDF that opens with an empty user password (owner restrictions only) is read; one that
    needs a password is refused, as are corrupt PDFs and PDFs with no extractable text.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise FormatError("the PDF is password-protected; "
                              "save an unencrypted copy and read that")
        pages = list(reader.pages)
    except FormatError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FormatError(f"truncated or corrupt PDF ({exc}); re-export or re-download it") from exc
    blocks = []
    for number, page in enumerate(pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # pypdf raises many types on broken content streams
            raise FormatError(f"page {number} of the PDF cannot be read ({exc}); "
                              "re-export the PDF") from exc
        blocks.append((f"page {number}", _tidy(text)))
    text, offsets = join_blocks(blocks)
    if not text:
        raise FormatError("the PDF has no text layer (scanned?); run OCR first")
    return text, offsets


def _decrypts_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # unsupported algorithm (e.g. AES without `cryptography`), broken dictionary
        return False


def _tidy(text: str) -> str:
    """Universal newlines, no NULs, no trailing spaces on lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return re.sub(r"[ \t]+\n", "\n", text).strip()
