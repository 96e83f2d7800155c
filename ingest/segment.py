"""Document structure before any NLP: parts (title, headings, sections, paragraphs, numbered
paragraphs, list items, lead-ins, footnotes, tables, annexes, member lists) and units (the
sentences and list items that may be provisions).

>>> seg = segment("Roles\\n\\nThe Secretariat will:\\n\\n- Prepare agendas;\\n- Keep records.\\n")
>>> [(p.kind, seg.text[p.start:p.end]) for p in seg.parts if p.kind != "section"]
[('title', 'Roles'), ('paragraph', 'The Secretariat will:'), ('lead-in', 'The Secretariat will:'), ('list-item', '- Prepare agendas;'), ('list-item', '- Keep records.')]
>>> [(seg.text[u.start:u.end], seg.text[slice(*u.lead_in)]) for u in seg.units]
[('Prepare agendas;', 'The Secretariat will:'), ('Keep records.', 'The Secretariat will:')]

``Segmentation.clean`` is the text with markup blanked out (emphasis, list markers, footnote
markers and bodies, rules, table pipes): the same length, so every offset is shared. Parse it
with spaCy instead of the raw text for a cleaner parse; provisions work with either.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from torkg.ingest.model import Part, Unit

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_BULLET = r"[-•✓✔*+▪◦●‣–➢→]"
_NUMBER = (r"\(?\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+\.?|\(?[a-zA-Z][.)]"
           r"|\(?(?:[ivxlc]{1,6}|[IVXLC]{1,6})[.)]|\((?:\d{1,3}|[a-zA-Z]|[ivxlc]{1,6})\)")
ITEM = re.compile(rf"^([ \t]*)((?:{_BULLET}|{_NUMBER})(?:[ \t]+(?:{_BULLET}|{_NUMBER}|\d{{1,2}}-)(?=[ \t]))*)[ \t]+(?=\S)")
RULE = re.compile(r"^[ \t]*(?:(?:\\?[-*_])[ \t]*){3,}$")
PAGE_NUMBER = re.compile(r"^[ \t]*(?:page[ \t]+)?\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?[ \t]*$", re.I)
TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
TABLE_SEPARATOR = re.compile(r"[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|?)+[ \t]*$")
FOOTNOTE = re.compile(rf"^[ \t]*(?:[{SUPERSCRIPTS}]+|<sup>\s*\w{{1,4}}\s*</sup>|\[\^[^\]]+\]:)[ \t]*\S")
MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+\S")
ANNEX = re.compile(r"^\W{0,4}(?:annex|appendix)(?:es)?\b", re.I)
INLINE_MASKS = re.compile(
    rf"<sup>[^<]{{0,12}}</sup>|\[\^[^\]]+\]|[{SUPERSCRIPTS}]+|!\[[^\]]*\]\([^)]*\)|\]\([^)\s]*\)|\[(?=[^\]]*\]\()"
    r"|\\(?=[*_#\-\\.\[\]()])|\*+|(?<![\w])__?(?=\S)|(?<=\S)__?(?![\w])|</?(?:u|b|i|em|strong|br|span)\b[^>]*>")
LABEL = re.compile(r"(?:\*\*|__|\*|_)([^*_\n]{1,80}?)(?:[:.]\s*(?:\*\*|__|\*|_)|(?:\*\*|__|\*|_)\s*[:.])\s+(?=\S)")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“'‘(\[]?[A-Z0-9])")
ABBREVIATIONS = frozenset(
    "e.g i.e para paras no nos art arts vol p pp mr mrs ms dr st vs cf inc ltd co jr sr approx fig "
    "ch sec rev op u.n u.s a.m p.m viz al ibid res doc".split())
OPEN_ENDINGS = frozenset("a an the to of and or for with by in on at from as that which who is are".split())
MODAL_WORD = re.compile(r"\b(?:will|shall|must|should|may|can|could|would)\b", re.I)
ORG_WORD = re.compile(
    r"\([A-Z][\w&\-]{1,12}\)|^(?:UN|United Nations)\b|\b[A-Z]{2,}[a-z]?\b|\b(?:Organi[sz]ation|Programme|Program|"
    r"Fund|Office|Commission|Agency|Bank|Union|Secretariat|Department|Institute|University|Conference|"
    r"Alliance|Entity|Council|Group|Centre|Center|Committee)\b")


@dataclass(frozen=True)
class Segmentation:
    """The structure of one text: ``parts`` (parents point into the same list), ``units`` (the
    candidate provisions, in order) and ``clean`` (the text with markup blanked, same length)."""

    text: str
    parts: list[Part]
    units: list[Unit]
    clean: str
    outer: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    """For a lead-in inside a list item that continues another lead-in: that outer lead-in."""


@dataclass
class _Block:
    kind: str                      # para | item | heading | table | footnote | rule
    start: int
    end: int
    content: int                   # where the text starts (after a list marker)
    indent: int = 0
    marker: str = ""
    level: int = 6
    lines: list[tuple[int, int]] = field(default_factory=list)


def segment(text: str) -> Segmentation:
    """Split ``text`` (Markdown or plain text) into parts and candidate units."""
    clean = list(text)
    blocks = _blocks(text)
    _mask(text, clean, blocks)
    blocks = _merge_continuations(text, blocks, clean)
    builder = _Builder(text, "".join(clean))
    builder.run(blocks)
    return Segmentation(text, builder.frozen_parts(), builder.units, builder.clean, builder.outer)


# --- lines to blocks ---------------------------------------------------------------------------

def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    offset = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        start, end = offset, offset + len(line)
        offset += len(raw)
        if not line.strip():
            current = None
            continue
        if RULE.match(line) and not re.search(r"[A-Za-z0-9]", line) or PAGE_NUMBER.match(line):
            blocks.append(_Block("rule", start, end, start, lines=[(start, end)]))
            current = None
            continue
        if TABLE_ROW.match(line):
            if current is None or current.kind != "table":
                current = _Block("table", start, end, start)
                blocks.append(current)
            current.end = end
            current.lines.append((start, end))
            continue
        item = ITEM.match(line)
        kind = ("footnote" if FOOTNOTE.match(line) else "heading" if MD_HEADING.match(line)
                else "item" if item else "text")
        if kind == "text" and current is not None and current.kind in ("para", "item", "footnote"):
            current.end = end
            current.lines.append((start, end))
            continue
        if kind == "item":
            current = _Block("item", start, end, start + item.end(), indent=len(item.group(1).expandtabs(4)),
                             marker=item.group(2).split()[-1], lines=[(start, end)])
        elif kind == "heading":
            hashes = MD_HEADING.match(line).group(1)
            current = _Block("heading", start, end, start, level=len(hashes), lines=[(start, end)])
        else:
            current = _Block("para" if kind == "text" else kind, start, end, start, lines=[(start, end)])
        blocks.append(current)
        if kind == "heading":
            current = None
    return blocks


def _mask(text: str, clean: list[str], blocks: list[_Block]) -> None:
    """Blank markup in ``clean`` (in place), keeping every offset."""
    def blank(a: int, b: int, newlines: bool = False) -> None:
        for i in range(a, b):
            if newlines or clean[i] != "\n":
                clean[i] = " "

    for block in blocks:
        if block.kind in ("rule", "footnote"):
            blank(block.start, block.end)
            continue
        if block.kind == "item":
            blank(block.start, block.content)
        for a, b in block.lines:
            for m in INLINE_MASKS.finditer(text, a, b):
                blank(m.start(), m.end())
            if block.kind == "heading":
                blank(a, a + len(re.match(r"\s*#*", text[a:b]).group(0)))
            if block.kind == "table":
                for i in range(a, b):
                    if text[i] == "|":
                        clean[i] = "\n"
                if TABLE_SEPARATOR.match(text, a, b):
                    blank(a, b)
        if block.kind in ("para", "item", "heading"):
            for a, _ in block.lines[1:]:
                blank(a - 1, a, newlines=True)          # soft line breaks inside a block


def _visible(clean: str, block: _Block) -> str:
    return clean[block.content:block.end].strip()


def _ends_open(words: str) -> bool:
    return bool(words) and words[-1] not in ".!?:;"


def _merge_continuations(text: str, blocks: list[_Block], clean: list[str]) -> list[_Block]:
    """Join a paragraph or list item cut by a page break (footnotes, rules) to its continuation:
    the cut part ends without punctuation and the next paragraph starts in lower case (or the cut
    part is long prose)."""
    flat = "".join(clean)
    merged: list[_Block] = []
    last: _Block | None = None
    for block in blocks:
        if block.kind in ("footnote", "rule"):
            merged.append(block)
            continue
        if last is not None and block.kind == "para" and last.kind in ("para", "item"):
            before, after = _visible(flat, last), _visible(flat, block)
            lower = bool(after) and (after[0].islower() or after[0].isdigit())
            prose = last.kind == "para" and len(before.split()) >= 8 and not _looks_like_heading(text, last, flat)
            if _ends_open(before) and after and not _looks_like_heading(text, block, flat) and (lower or prose):
                for i in range(last.end, block.start):
                    clean[i] = " "
                last.lines.extend(block.lines)
                last.end = block.end
                continue
        merged.append(block)
        last = block if block.kind in ("para", "item") else None
    return merged


def _words(s: str) -> list[str]:
    return re.findall(r"[A-Za-z][\w'’\-/]*", s)


def _looks_like_heading(text: str, block: _Block, clean: str, following: _Block | None = None,
                        previous: _Block | None = None) -> bool:
    """A Markdown heading, a bold-only or all-capitals block, "Annex ...", a numbered question,
    or a short title-like line without final punctuation or modal verb."""
    if block.kind == "heading":
        return True
    raw = text[block.content:block.end].strip()
    visible = clean[block.content:block.end].strip()
    if not visible:
        return False
    if raw.startswith(("**", "__")) and raw.endswith(("**", "__")) and len(raw) <= 300 and raw.count("**") <= 2:
        return True
    if len(block.lines) > 1 and block.kind != "para":
        return False
    words = _words(visible)
    if block.kind == "para" and len(block.lines) <= 3 and 0 < len(words) <= 24 and visible.upper() == visible \
            and not MODAL_WORD.search(visible) and visible[-1] not in ".;,":
        return True                         # "TERMS OF REFERENCE\nUN MIGRATION NETWORK FOR ..."
    if ANNEX.match(visible) and len(words) <= 15 and not visible.endswith("."):
        return True
    if block.kind == "item" and visible.endswith("?") and len(words) <= 20:
        return True
    if len(block.lines) > 1 or not words or visible[-1] in ".;,:!" or MODAL_WORD.search(visible) \
            or words[-1].lower() in OPEN_ENDINGS:
        return False
    content = [w for w in words if len(w) > 3 or w.isupper()]
    titled = sum(w[0].isupper() for w in content) / max(1, len(content))
    if block.kind == "item":
        if re.fullmatch(_BULLET, block.marker):
            return False
        if len(words) <= 6 and titled >= 0.6:
            return True
        value = _value(block.marker) or 0

        def sibling(other: _Block | None, step: int) -> bool:
            return (other is not None and other.kind == "item" and _compatible(_key(other.marker), _key(block.marker))
                    and _value(other.marker) in (None, value + step))
        return (len(words) <= 8 and visible[0].isupper() and following is not None
                and not sibling(following, 1) and not sibling(previous, -1))
    short_title = len(words) <= 14 and (len(words) <= 6 or titled >= 0.5) and visible[0].isupper()
    return short_title or (visible[0].isdigit() and len(words) <= 4)


# --- blocks to parts and units -----------------------------------------------------------------

class _Builder:
    def __init__(self, text: str, clean: str) -> None:
        self.text, self.clean = text, clean
        self.parts: list[dict] = []
        self.units: list[Unit] = []
        self.sections: list[tuple[int, int]] = []      # (level, part index) of open sections
        self.leads: list[dict] = []                    # open lead-ins, innermost last
        self.seen_content = False
        self.last_end = 0
        self.outer: dict[tuple[int, int], tuple[int, int]] = {}

    def add(self, kind: str, start: int, end: int, parent: int | None, **extra) -> int:
        self.parts.append(dict(kind=kind, start=start, end=end, parent=parent, **extra))
        self.last_end = max(self.last_end, end)
        return len(self.parts) - 1

    def section(self) -> int | None:
        return self.sections[-1][1] if self.sections else None

    def heading_text(self) -> str | None:
        index = self.section()
        return self.parts[index].get("heading") if index is not None else None

    def frozen_parts(self) -> list[Part]:
        return [Part(**p) for p in self.parts]

    def run(self, blocks: list[_Block]) -> None:
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.kind == "para" and self._member_lines(block):
                self.seen_content = True
                index = self.add("member-list", block.start, block.end, self.section())
                for a, b in block.lines:
                    raw = self.text[a:b]
                    marker = "*" if re.search(r"(?:^|\s)\*+\s*$|^\s*\*+\s", raw) else None
                    self.add("list-item", a, b, index, marker=marker)
                i += 1
                continue
            run = self._member_run(blocks, i)
            if run:
                self._member_list(blocks[i:i + run])
                i += run
                continue
            if block.kind == "footnote":
                self.add("footnote", block.start, block.end, self.section())
            elif block.kind == "table":
                self._table(block)
            elif block.kind != "rule" and _looks_like_heading(self.text, block, self.clean,
                                                              blocks[i + 1] if i + 1 < len(blocks) else None,
                                                              blocks[i - 1] if i else None):
                self._heading(block)
            elif block.kind in ("para", "item"):
                self._content(block, blocks[i + 1] if i + 1 < len(blocks) else None)
            i += 1
        for level, index in self.sections:
            self._close(index)
        self.sections = []

    # headings and sections
    def _heading(self, block: _Block) -> None:
        self.leads = []
        title = " ".join(self.clean[block.content:block.end].split())
        if not self.seen_content and not any(p["kind"] == "title" for p in self.parts):
            self.add("title", block.start, block.end, None)
            return
        annex = bool(ANNEX.match(title))
        level = 1 if annex else block.level
        while self.sections and self.sections[-1][0] >= level:
            self._close(self.sections.pop()[1])
        number = block.marker.rstrip(".") if block.kind == "item" else None
        index = self.add("annex" if annex else "section", block.start, block.end, self.section(), heading=title,
                         number=number)
        self.sections.append((level, index))
        self.add("heading", block.start, block.end, index)

    def _close(self, index: int) -> None:
        self.parts[index]["end"] = max(self.parts[index]["end"], self.last_end)

    # member lists: runs of short lines naming organisations
    def _member_run(self, blocks: list[_Block], i: int) -> int:
        n = 0
        while i + n < len(blocks):
            b = blocks[i + n]
            visible = self.clean[b.content:b.end].strip()
            raw = self.text[b.content:b.end].strip()
            if (b.kind not in ("para", "item") or len(b.lines) > 1 or not visible or len(_words(visible)) > 16
                    or ANNEX.match(visible) or (raw.startswith("**") and raw.endswith("**"))
                    or visible[-1] in ".;:" or MODAL_WORD.search(visible) or not _org_like(visible)):
                break
            n += 1
        return n if n >= 3 else 0

    def _member_lines(self, block: _Block) -> bool:
        """A paragraph of three or more short lines, each naming an organisation."""
        if len(block.lines) < 3:
            return False
        for a, b in block.lines:
            visible = self.clean[a:b].strip()
            if not visible or len(_words(visible)) > 16 or visible[-1] in ".;:" or MODAL_WORD.search(visible) \
                    or not _org_like(visible):
                return False
        return True

    def _member_list(self, run: list[_Block]) -> None:
        self.seen_content = True
        index = self.add("member-list", run[0].start, run[-1].end, self.section())
        for b in run:
            raw = self.text[b.content:b.end]
            marker = "*" if re.search(r"(?:^|\s)\*+\s*$|^\s*\*+\s", raw) else None
            self.add("list-item", b.start, b.end, index, marker=marker)

    # tables: a row's sentence-like cells are units; the first cell (a role or body) leads them in
    def _table(self, block: _Block) -> None:
        self.seen_content = True
        table = self.add("table", block.start, block.end, self.section())
        rows = [(a, b) for a, b in block.lines if not TABLE_SEPARATOR.match(self.text, a, b)]
        for r, (a, b) in enumerate(rows):
            row = self.add("table-row", a, b, table)
            if r == 0 and len(block.lines) > 1 and TABLE_SEPARATOR.match(self.text, *block.lines[1]):
                continue                                   # the header row
            cells = [(m.start(), m.end()) for m in re.finditer(r"[^|]+", self.text[a:b])]
            cells = [(a + s + len(c) - len(c.lstrip()), a + e - (len(c) - len(c.rstrip())))
                     for s, e in cells for c in [self.text[a + s:a + e]] if c.strip()]
            sizes = [len(_words(self.clean[s:e])) for s, e in cells]
            label = None                                   # the cell naming who: first, else a short last one
            if len(cells) > 1 and sizes[0] <= 8 and max(sizes[1:]) > sizes[0]:
                label = cells[0]
            elif len(cells) > 1 and sizes[-1] <= 4 and sizes[0] > sizes[-1]:
                label = cells[-1]
            for (s, e), size in zip(cells, sizes):
                if (s, e) == label or size < 3:
                    continue
                for u_start, u_end in self._sentences(s, e):
                    self.units.append(Unit(u_start, u_end, row, label, self.heading_text()))

    # paragraphs, numbered paragraphs and list items
    def _content(self, block: _Block, following: _Block | None) -> None:
        self.seen_content = True
        lead = self._lead_for(block)
        parent = self.section()
        if block.kind == "item":
            if lead is not None:
                parent = lead["owner"]
            numbered = not re.fullmatch(_BULLET, block.marker)
            kind = "numbered-paragraph" if numbered and lead is None and block.indent == 0 else "list-item"
            number = block.marker.rstrip(".") if re.fullmatch(r"\d{1,3}\.", block.marker) else (
                block.marker if numbered else None)
            index = self.add(kind, block.start, block.end, parent, number=number)
        else:
            index = self.add("paragraph", block.start, block.end, parent)
        start = block.content
        label = LABEL.match(self.text, start, block.end)
        if label:
            start = label.end()
        sentences = self._sentences(start, block.end)
        tail = self.clean[block.content:block.end].strip()
        is_lead = following is not None and following.kind == "item" and bool(sentences) and (
            tail.endswith(":") or (_ends_open(tail) and tail[-1:].isalpha() and (
                block.kind == "para" or following.indent > block.indent + 1
                or not _compatible(_key(following.marker), _key(block.marker)))))
        for n, (s, e) in enumerate(sentences):
            last = n == len(sentences) - 1
            if last and is_lead:
                lead_index = self.add("lead-in", s, e, index)
                if lead is not None:
                    self.outer[(s, e)] = lead["span"]
                if not tail.endswith(":"):
                    self.units.append(Unit(s, e, lead_index, lead["span"] if lead else None, self.heading_text()))
                self._open_lead(block, (s, e), index)
            else:
                self.units.append(Unit(s, e, index, lead["span"] if lead else None, self.heading_text()))
        if block.kind == "para" and not is_lead:
            for entry in self.leads:
                entry["suspended"] = True

    def _open_lead(self, block: _Block, span: tuple[int, int], owner: int) -> None:
        if block.kind == "para":
            self.leads = []
        self.leads.append(dict(span=span, owner=owner, key=None, indent=None, number=None, suspended=False,
                               self_key=_key(block.marker) if block.kind == "item" else None,
                               self_indent=block.indent))

    def _lead_for(self, block: _Block) -> dict | None:
        if block.kind != "item":
            return None
        key, value = _key(block.marker), _value(block.marker)
        while self.leads:
            top = self.leads[-1]
            same = top["key"] is not None and _compatible(top["key"], key) and abs(top["indent"] - block.indent) < 2
            if top["suspended"]:
                if same and key != "bullet" and top["number"] is not None and value == top["number"] + 1:
                    top["suspended"] = False
                else:
                    self.leads.pop()
                    continue
            if top["key"] is None:
                if top["self_key"] is not None and _compatible(top["self_key"], key) and block.indent <= top["self_indent"] + 1:
                    self.leads.pop()                          # a sibling of the item that led in
                    continue
                top.update(key=key, indent=block.indent)
            elif not same:
                if block.indent > top["indent"] + 1:
                    return top                                # a deeper item without its own lead-in
                self.leads.pop()
                continue
            top["number"] = value
            return top
        return None

    def _sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        """Rule-based sentence spans in ``[start, end)``, trimmed of whitespace and markup."""
        spans, s = [], start
        for m in SENTENCE_END.finditer(self.clean, start, end):
            if self.clean[m.start()] == "." and _abbreviation(self.clean, start, m.start()):
                continue
            spans.append((s, m.end()))
            s = m.end()
        spans.append((s, end))
        out = []
        for a, b in spans:
            b = _past_markers(self.text, b, end)
            while a < b and (self.clean[a].isspace()):
                a += 1
            while b > a and self.clean[b - 1].isspace() and (self.text[b - 1].isspace() or self.text[b - 1] in "*_#|\\"):
                b -= 1
            if a < b and re.search(r"[A-Za-z]", self.clean[a:b]):
                out.append((a, b))
        return out


def _past_markers(text: str, b: int, end: int) -> int:
    """``b`` moved past footnote markers that follow a sentence's last character ("States.¹")."""
    while b < end:
        if text[b] in SUPERSCRIPTS:
            b += 1
        elif text.startswith("<sup>", b) and "</sup>" in text[b:b + 20]:
            b = text.index("</sup>", b) + 6
        elif text.startswith("[^", b) and "]" in text[b:b + 12]:
            b = text.index("]", b) + 1
        else:
            break
    return min(b, end)


def _org_like(visible: str) -> bool:
    """A line that names an organisation: "Food and Agriculture Organization (FAO)", "World Bank"."""
    if re.search(r"\([A-Z][\w&\- ]{1,14}\)", visible):
        return True
    content = [w for w in _words(visible) if len(w) > 3 or w.isupper()]
    titled = sum(w[0].isupper() for w in content) / max(1, len(content))
    return titled >= 0.75 and bool(ORG_WORD.search(visible))


def _abbreviation(clean: str, floor: int, dot: int) -> bool:
    m = re.search(r"([A-Za-z](?:\.[A-Za-z])*|[A-Za-z]+)$", clean[max(floor, dot - 12):dot])
    if not m:
        return False
    word = m.group(1)
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()) or "." in word


def _key(marker: str) -> str:
    if re.fullmatch(_BULLET, marker):
        return "bullet"
    core = marker.strip("().")
    shape = ("(" if marker.startswith("(") else "") + (")" if marker.endswith(")") else "." if marker.endswith(".") else "")
    if re.fullmatch(r"\d+(?:\.\d+)+\.?", marker.strip("()")):
        return "dotted" + str(marker.strip("().").count("."))
    if core.isdigit():
        return "arabic" + shape
    if re.fullmatch(r"[ivxlc]+", core) and (len(core) > 1 or core in "ivx"):
        return "roman" + shape
    if re.fullmatch(r"[IVXLC]+", core) and (len(core) > 1 or core in "IVX"):
        return "ROMAN" + shape
    return ("alpha" if core.islower() else "ALPHA") + shape


def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    loose = {a.replace("roman", "alpha").replace("ROMAN", "ALPHA"), b.replace("roman", "alpha").replace("ROMAN", "ALPHA")}
    return len(loose) == 1


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _value(marker: str) -> int | None:
    core = marker.strip("().").split(".")[-1] or marker.strip("().")
    if core.isdigit():
        return int(core)
    low = core.lower()
    if re.fullmatch(r"[ivxlc]+", low) and len(low) > 1:
        total = 0
        for i, ch in enumerate(low):
            v = _ROMAN[ch]
            total += -v if i + 1 < len(low) and _ROMAN[low[i + 1]] > v else v
        return total
    if len(low) == 1 and low.isalpha():
        return ord(low) - ord("a") + 1
    return None
