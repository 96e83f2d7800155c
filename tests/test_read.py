"""Tests for torkg.ingest.read: every format read from a file generated here, every bad input
refused with a ReadError naming the file."""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from pypdf import PdfReader, PdfWriter

from torkg.ingest.read import SUPPORTED_SUFFIXES, ReadError, read_bytes, read_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def scorer_read(path: Path) -> str:
    """How the scorer (and SCHEMA.md) reads a document."""
    with open(path, encoding="utf-8", newline=None) as f:
        return f.read()


def make_pdf(pages: list[list[str] | None]) -> bytes:
    """A minimal PDF: one page per entry, each line a Helvetica text line; None = no content."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        contents = f" /Contents {5 + 2 * i} 0 R" if lines is not None else ""
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
                       f"<< /Font << /F1 3 0 R >> >>{contents} >>".encode())
        shows = " ".join(f"({line}) Tj T*" for line in lines or [])
        stream = f"BT /F1 12 Tf 72 720 Td 14 TL {shows} ET".encode("latin-1") if lines else b""
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    positions = []
    for number, body in enumerate(objects, 1):
        positions.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % p for p in positions)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypted(pdf: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read_error(path: Path | str, **kwargs) -> str:
    with pytest.raises(ReadError) as caught:
        read_document(path, **kwargs)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    return message


# --- Markdown and plain text ------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.md")), ids=lambda p: p.name)
def test_corpus_documents_read_exactly_as_the_scorer_reads_them(path):
    source = read_document(path)
    assert source.text == scorer_read(path)
    assert source.media_type == "text/markdown"
    assert source.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.path == str(path) and source.offsets == ()


def test_crlf_and_cr_line_endings_give_the_universal_newline_offsets(tmp_path):
    path = tmp_path / "read-crlf.md"
    path.write_bytes("# ToR\r\n\r\n1. The Network meets.\r2. Caf\u00e9 \u2014 IOM.\r\n".encode())
    source = read_document(path)
    expected = scorer_read(path)
    assert source.text == expected == "# ToR\n\n1. The Network meets.\n2. Caf\u00e9 \u2014 IOM.\n"
    start = expected.index("IOM")
    assert source.text[start:start + 3] == "IOM"


def test_utf8_bom_is_kept_so_offsets_match_any_reader(tmp_path):
    path = tmp_path / "read-bom.txt"
    path.write_bytes(b"\xef\xbb\xbfThe Network\r\nmeets.\n")
    source = read_document(path)
    assert source.text == "\ufeffThe Network\nmeets.\n" == scorer_read(path)
    assert source.media_type == "text/plain"
    assert source.offsets == ()
def test_read_bytes_matches_read_document(tmp_path):
    path = tmp_path / "read-same.markdown"
    path.write_bytes(b"Members\r\n- IOM\r\n- UNHCR\r\n")
    from_file, from_bytes = read_document(path), read_bytes(path.read_bytes(), str(path))
    assert from_file == from_bytes
    assert from_file.media_type == "text/markdown"


def test_unknown_suffix_is_read_as_plain_text_when_it_is_utf8(tmp_path):
    path = tmp_path / "read-notes.rst"
    path.write_text("Terms of Reference\n==================\n", encoding="utf-8")
    source = read_document(path)
    assert source.media_type == "text/plain" and source.text.startswith("Terms of Reference\n")


@pytest.mark.parametrize("content, problem", [
    (b"", "file is empty"),
    (b"  \n\t\r\n", "contains only whitespace"),
    (b"# ToR\n\x00\x01\x02", "looks binary (NUL byte at offset 6)"),
    (b"# ToR\nThe Network\n\xe9t\xe9\n", "not valid UTF-8 at byte 18 (line 3); save it as UTF-8"),
    (b"\xef\xbb\xbfab\n\xff", "not valid UTF-8 at byte 6 (line 2); save it as UTF-8"),
    ("# ToR\n".encode("utf-16"), "is UTF-16, not UTF-8"),
])
def test_bad_text_files_are_refused(tmp_path, content, problem):
    path = tmp_path / "read-bad.md"
    path.write_bytes(content)
    assert problem in read_error(path)


def test_binary_file_with_unknown_suffix_names_the_supported_formats(tmp_path):
    path = tmp_path / "read-blob.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    message = read_error(path)
    assert "unsupported format" in message
    assert all(suffix in message for suffix in SUPPORTED_SUFFIXES)


def test_oversized_file_is_refused_before_it_is_read(tmp_path):
    # A sparse 50 MB file of NUL bytes: reading it would fail as "binary", so the size message
    # proves the size was checked first.
    path = tmp_path / "read-huge.md"
    with open(path, "wb") as f:
        f.truncate(52_400_000)
    message = read_error(path)
    assert message == (f"{path}: 52.4 MB exceeds the 20 MB limit "
                       "(set TORKG_MAX_BYTES to raise it)")


def test_size_limit_comes_from_the_argument_or_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "read-limit.md"
    path.write_bytes(b"x" * 2_000)
    assert "exceeds the 0.001 MB limit" in read_error(path, max_bytes=1_000)
    monkeypatch.setenv("TORKG_MAX_BYTES", "1000")
    assert "exceeds the 0.001 MB limit" in read_error(path)
    monkeypatch.setenv("TORKG_MAX_BYTES", "5000")
    assert read_document(path).text == "x" * 2_000
    with pytest.raises(ReadError, match="exceeds"):
        read_bytes(b"x" * 2_000, "upload.md", max_bytes=1_000)


def test_missing_file_and_directory_are_refused(tmp_path):
    assert "no such file" in read_error(tmp_path / "read-missing.md")
    assert "is a directory" in read_error(tmp_path)


# --- PDF --------------------------------------------------------------------------------------

def test_pdf_text_layer_pages_joined_with_page_offsets(tmp_path):
    path = tmp_path / "read-tor.pdf"
    path.write_bytes(make_pdf([["1. The Network shall meet once a year.",
                                "2. IOM will serve as Coordinator."], None, ["Annex I"]]))
    source = read_document(path)
    assert source.media_type == "application/pdf"
    assert source.text == ("1. The Network shall meet once a year.\n"
                           "2. IOM will serve as Coordinator.\n\nAnnex I\n")
    assert [label for _, label in source.offsets] == ["page 1", "page 3"]
    assert source.offsets[0][0] == 0
    assert source.text[source.offsets[1][0]:].startswith("Annex I")
    assert source.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_without_text_layer_is_refused(tmp_path):
    path = tmp_path / "read-scan.pdf"
    path.write_bytes(make_pdf([None, None]))
    assert read_error(path).endswith("the PDF has no text layer (scanned?); run OCR first")


def test_password_protected_pdf_is_refused_but_owner_only_encryption_is_read(tmp_path):
    pdf = make_pdf([["The Secretariat shall report."]])
    locked, restricted = tmp_path / "read-locked.pdf", tmp_path / "read-restricted.pdf"
    locked.write_bytes(encrypted(pdf, user_password="secret"))
    restricted.write_bytes(encrypted(pdf, user_password=""))
    assert "password-protected" in read_error(locked)
    assert read_document(restricted).text == "The Secretariat shall report.\n"


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_truncated_pdf_is_refused(tmp_path, cut):
    pdf = make_pdf([["The Network shall meet."]])
    path = tmp_path / "read-cut.pdf"
    path.write_bytes(pdf[: int(len(pdf) * cut)])
    assert "truncated or corrupt PDF" in read_error(path)


# --- DOCX -------------------------------------------------------------------------------------

@pytest.fixture
def tor_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Terms of Reference", 0)
    document.add_heading("Functions", 1)
    document.add_paragraph("The Network shall:")
    document.add_paragraph("meet annually;", style="List Number")
    document.add_paragraph("report to the Secretary-General.", style="List Number")
    document.add_paragraph("IOM", style="List Bullet")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Body", (0, 1): "Meets | when",
                             (1, 0): "Network", (1, 1): "once a year"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("Reviewed every two years.")
    return docx_bytes(document)


def test_docx_headings_lists_and_tables(tmp_path, tor_docx):
    path = tmp_path / "read-tor.docx"
    path.write_bytes(tor_docx)
    source = read_document(path)
    assert source.media_type == DOCX_TYPE
    assert source.text == (
        "# Terms of Reference\n\n# Functions\n\nThe Network shall:\n\n"
        "1. meet annually;\n\n2. report to the Secretary-General.\n\n- IOM\n\n"
        "| Body | Meets \\| when |\n| --- | --- |\n| Network | once a year |\n\n"
        "Reviewed every two years.\n")
    labels = dict((label, offset) for offset, label in source.offsets)
    assert "paragraph 7" not in labels                      # the empty paragraph
    assert source.text[labels["paragraph 4"]:].startswith("1. meet annually;")
    assert source.text[labels["table 1"]:].startswith("| Body |")
    assert source.text[labels["paragraph 8"]:].startswith("Reviewed")


def test_docx_multilevel_numbering_follows_the_numbering_definitions(tmp_path):
    document = docx.Document()
    numbering = document.part.numbering_part.element
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for k, (fmt, text) in enumerate([("decimal", "%1."), ("lowerLetter", "(%2)"),
                                         ("lowerRoman", "%3.")]))
    numbering.append(parse_xml(f'<w:abstractNum {w} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in [(0, "Membership"), (1, "IOM"), (1, "UNHCR"), (2, "ex officio"),
                        (2, "observer"), (1, "ILO"), (0, "Meetings"), (1, "annual")]:
        num_pr = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = 90
        num_pr.get_or_add_ilvl().val = level
    path = tmp_path / "read-levels.docx"
    path.write_bytes(docx_bytes(document))
    assert read_document(path).text.split("\n\n") == [
        "1. Membership", "  (a) IOM", "  (b) UNHCR", "    i. ex officio", "    ii. observer",
        "  (c) ILO", "2. Meetings", "  (a) annual\n"]


@pytest.mark.parametrize("mangle, problem", [
    (lambda data: data[: len(data) // 2], "truncated or corrupt DOCX (bad zip)"),
    (lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old binary Word file"),
    (lambda data: b"just text", "truncated or corrupt DOCX (bad zip)"),
])
def test_bad_docx_is_refused(tmp_path, tor_docx, mangle, problem):
    path = tmp_path / "read-bad.docx"
    path.write_bytes(mangle(tor_docx))
    assert problem in read_error(path)


@pytest.mark.parametrize("member, content, problem", [
    ("notes.txt", "hello", "a zip archive but not a Word document"),
    ("[Content_Types].xml", "<Types", "corrupt DOCX"),
])
def test_zip_that_is_not_a_word_document_is_refused(tmp_path, member, content, problem):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, content)
    path = tmp_path / "read-zip.docx"
    path.write_bytes(buffer.getvalue())
    assert problem in read_error(path)


# --- HTML -------------------------------------------------------------------------------------

TOR_HTML = """<!DOCTYPE html>
<html><head><title>Page title</title><meta charset="windows-1252">
<style>p { color: red }</style><script>var leak = "SCRIPT-LEAK";</script></head>
<body><script>document.write("BODY-LEAK")</script><noscript>NOSCRIPT-LEAK</noscript>
<h1>Terms  of
 Reference</h1>
<p>The Network   shall meet<br>once a year in Gen\u00e8ve.</p>
<div>Members <b>include</b>:<div>nested block</div></div>
<ul><li>IOM<ul><li>as Coordinator</li></ul></li><li><p>UNHCR</p></li></ul>
<h3>Decisions</h3>
<ol start="3"><li>by consensus;</li><li>by vote.</li></ol>
<table><tr><th>Body</th><th>Meets</th></tr><tr><td>Network</td><td>yearly</td></tr></table>
<!-- COMMENT-LEAK -->
</body></html>"""


def test_html_blocks_and_no_script_leak(tmp_path):
    path = tmp_path / "read-tor.html"
    path.write_bytes(TOR_HTML.encode("cp1252"))
    source = read_document(path)
    assert source.media_type == "text/html"
    assert "LEAK" not in source.text and "Page title" not in source.text
    assert source.text == (
        "# Terms of Reference\n\nThe Network shall meet\nonce a year in Gen\u00e8ve.\n\n"
        "Members include:\n\nnested block\n\n- IOM\n\n  - as Coordinator\n\n- UNHCR\n\n"
        "### Decisions\n\n3. by consensus;\n\n4. by vote.\n\n"
        "| Body | Meets |\n| --- | --- |\n| Network | yearly |\n")


def test_html_without_declared_charset_must_be_utf8(tmp_path):
    good, bad = tmp_path / "read-utf8.htm", tmp_path / "read-latin1.htm"
    good.write_bytes("<p>Gen\u00e8ve</p>".encode("utf-8"))
    bad.write_bytes("<p>Gen\u00e8ve</p>".encode("latin-1"))
    assert read_document(good).text == "Gen\u00e8ve\n"
    assert "not valid utf-8 at byte 6" in read_error(bad)


def test_html_with_only_script_is_refused(tmp_path):
    path = tmp_path / "read-empty.html"
    path.write_bytes(b"<html><script>var x = 1;</script></html>")
    assert "no text" in read_error(path)
