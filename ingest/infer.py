"""Infer a document's metadata (title, type, level, network, place, date) from its text.

Used when neither the catalog nor command-line flags say what a document is. Places are resolved
against the reference data (``places.ttl``), so any country or region there is recognised; the
vocabulary (document-type words, network-name phrases) is data in ``patterns/documents.json``.

>>> m = infer_meta("gh", "# UN Network on Migration in Ghana\\n\\nTerms of Reference\\n\\nBackground\\n")
>>> (m.doc_type, m.level, m.network, m.country, m.parent)
('terms-of-reference', 'country', 'ghana', 'GH', 'global-tor')
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from torkg.ingest.model import DocumentMeta
from torkg.ingest.reference import Entry, Reference, load_reference

VOCABULARY = Path(__file__).parent / "patterns" / "documents.json"
GLOBAL_PARENT = "global-tor"
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


@dataclass(frozen=True)
class NetworkName:
    """A network's name found in the text, and what it says about the network."""

    text: str
    level: str                     # global | regional | country
    place: Entry | None            # the country or region it names
    place_text: str | None = None  # the words after "for/in/of"
    start: int = 0

    @property
    def network_id(self) -> str | None:
        """"global", a place's slug, or the slug of unresolved place words."""
        if self.level == "global":
            return "global"
        if self.place is not None:
            return place_slug(self.place)
        if self.place_text:             # "the Republic of Zembla" -> "zembla"
            words = re.sub(r"^the\s+", "", self.place_text.lower())
            words = re.sub(load_vocabulary()["state_prefix_re"], "", words, flags=re.I) or words
            return re.sub(r"[^a-z0-9]+", "-", words).strip("-")
        return None


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY) -> dict:
    """The inference vocabulary (``patterns/documents.json``), read once per process."""
    return json.loads(path.read_text(encoding="utf-8"))


def strip_markup(line: str) -> str:
    """Plain text of one Markdown line: no heading hashes, emphasis, links or HTML tags.

    >>> strip_markup("## **Briefing on the *Regional Review***")
    'Briefing on the Regional Review'
    """
    text = re.sub(r"<[^>]+>", "", line)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*#{1,6}\s*", "", text)
    text = re.sub(r"\\([*_#\[\]()])", r"\1", text)
    text = re.sub(r"(\*{1,3}|_{2,3})", "", text)
    text = re.sub(r"(?<!\w)_(\S[^_]*)_(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def paragraphs(text: str) -> list[str]:
    """The text's blank-line separated paragraphs, each with its lines kept."""
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def place_slug(entry: Entry) -> str:
    """A network id for a place: a region's non-numeric notation ("asia-pacific"), else the
    ASCII slug of the country's common name: its short name if that has at most two words
    (parenthetical qualifiers dropped), else its alias of fewest words ("Moldova").

    >>> place_slug(Entry(key="KG", kind="country", iri="", label="Kyrgyzstan"))
    'kyrgyzstan'
    >>> place_slug(Entry(key="BO", kind="country", iri="", label="Bolivia (Plurinational State of)"))
    'bolivia'
    >>> place_slug(Entry(key="MD", kind="country", iri="", label="Republic of Moldova",
    ...                  aliases=("Moldova", "Moldova, Republic of")))
    'moldova'
    """
    if entry.kind == "region" and not entry.key.isdigit():
        return entry.key
    label = re.sub(r"\s*\([^)]*\)", "", entry.label or entry.key).strip()
    names = [a for a in entry.aliases if "," not in a and "(" not in a and not re.fullmatch(r"[A-Z.\s]+", a)]
    if entry.kind == "country" and len(label.split()) > 2 and names:
        label = min(names, key=lambda a: (len(a.split()), -len(a)))
    name = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class PlaceFinder:
    """Finds the longest country or region name in a short text."""

    def __init__(self, reference: Reference) -> None:
        names: list[tuple[str, Entry]] = []
        for kind in ("country", "region"):
            for entry in reference.of_kind(kind):
                for name in entry.names:
                    if name != entry.key and len(name) >= 3:
                        names.append((name, entry))
                        short = re.sub(r"\s*\([^)]*\)", "", name).strip()   # "Sint Maarten (Dutch part)"
                        if short != name and len(short) >= 3:
                            names.append((short, entry))
        names.sort(key=lambda item: -len(item[0]))
        self._names = [(re.compile(r"(?<![\w-])" + re.escape(n).replace("\\ ", r"\s+") + r"(?![\w-])",
                                   0 if len(n.split()) == 1 else re.IGNORECASE), e) for n, e in names]

    def find(self, text: str) -> Entry | None:
        """The place named in ``text`` (an all-capitals text is read in title case too)."""
        for candidate in (text, text.title()) if text.isupper() else (text,):
            for pattern, entry in self._names:
                if pattern.search(candidate):
                    return entry
        return None

    def find_at_end(self, text: str) -> tuple[Entry, int] | None:
        """The longest place name that ends ``text`` (trailing spaces aside), with where it starts:
        "Saint Helena, Ascension and Tristan da Cunha " before "UN Network on Migration"."""
        text = text.rstrip()
        for pattern, entry in self._names:
            for match in pattern.finditer(text):
                if match.end() == len(text):
                    return entry, match.start()
        return None


# A place name as a masthead writes it: capitalised words, joined by "and", "da", "of the", ...
UNKNOWN_PLACE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'\u2019.-]*(?:,?\s+(?:(?:and|da|de|of|of\s+the|the)\s+)?[A-ZÀ-ÖØ-Þ][\w'\u2019.-]*){0,5}")


def find_network_names(text: str, vocabulary: dict, places: PlaceFinder) -> list[NetworkName]:
    """Every network name in ``text`` ("Regional UN Network on Migration for Asia and the
    Pacific", "UN Migration Network in the Kyrgyz Republic", "the UN Network on Migration")."""
    found = []
    for match in re.finditer(vocabulary["network_name"], text):
        qualifier = (match.group("qualifier") or match.group("qualifier2") or "").lower()
        where = match.group("place") or ""
        place = places.find(where) if where else None
        if qualifier in vocabulary["global_words"]:
            level = "global"
        elif place is not None:
            level = "country" if place.kind == "country" else "regional"
        elif qualifier in vocabulary["regional_words"] or re.search(r"\bregional\b", match.group(0), re.I):
            level = "regional"
        elif qualifier in vocabulary["country_words"]:
            level = "country"
        elif where:                                    # a place the reference data does not know
            level = "regional" if re.search(vocabulary["unknown_region_re"], where, re.I) else "country"
        else:
            level = "global"
        name, start = match.group(0), match.start()
        rest = text[match.end():].split("\n")[0]
        dash = re.match(r"\s*[\u2013\u2014:,(-]\s*", rest)
        if level == "global" and not qualifier and dash:
            after = places.find(rest[:60])                   # "UN Network on Migration \u2013 Morocco"
            unknown = UNKNOWN_PLACE.fullmatch(strip_markup(rest[dash.end():]).rstrip(" )"))
            if after is not None:
                place, level = after, "country" if after.kind == "country" else "regional"
                name += rest if len(rest) <= 40 else ""
            elif unknown and not re.fullmatch(vocabulary["type_line"], unknown.group(0), re.I):
                where = unknown.group(0)                     # "... \u2013 Zembla": a place not in the data
                level = "regional" if re.search(vocabulary["unknown_region_re"], where, re.I) else "country"
                name += rest
        if level == "global" and not qualifier:        # "Philippines UN Network on Migration"
            line = text[max(0, start - 80):start].split("\n")[-1]
            before = places.find_at_end(line)
            if before is not None:
                place, level = before[0], "country" if before[0].kind == "country" else "regional"
                prefix = line[before[1]:]
                name, start = prefix + name, start - len(prefix)
        found.append(NetworkName(re.sub(r"\s+", " ", name).strip(), level, place, where or None, start))
    return found


def _title(paras: list[str], vocabulary: dict) -> tuple[str | None, list[str]]:
    """The title (masthead lines, markup stripped) and the masthead pieces it was made from."""
    type_line = re.compile(vocabulary["type_line"], re.IGNORECASE)
    pieces: list[str] = []
    for para in paras[:3]:
        lines = [strip_markup(line) for line in para.splitlines() if strip_markup(line)]
        if not lines:
            continue
        short = all(len(line) <= 160 and not line.endswith(".") for line in lines)
        if not pieces:
            if not short:
                return None, []
            pieces.extend(lines)
            if not all(type_line.fullmatch(p) for p in pieces):
                # a second masthead paragraph is taken only if it names the document type
                continue
        elif short and len(lines) == 1 and type_line.fullmatch(lines[0]):
            pieces.append(lines[0])
            break
        elif short and all(type_line.fullmatch(p) for p in pieces):
            pieces.extend(lines)
            break
        else:
            break
    if not pieces:
        return None, []
    types = [p for p in pieces if type_line.fullmatch(p)]
    rest = [p for p in pieces if not type_line.fullmatch(p)]
    title = " ".join(rest)
    if types and rest:
        title = f"{types[0]}: {title}"
    return (title or types[0]), pieces


def _doc_type(title: str, vocabulary: dict) -> str:
    for doc_type, pattern in vocabulary["doc_types"]:
        if re.search(pattern, title, flags=re.IGNORECASE):
            return doc_type
    return "other"


def _date(paras: list[str]) -> str | None:
    """An ISO date from a date line near the start or the end ("26 August 2020", "March 2020")."""
    months = "|".join(_MONTHS)
    pattern = re.compile(rf"^(?:(\d{{1,2}})\s+)?({months})\s+(\d{{4}})\b", re.IGNORECASE)
    for para in paras[:4] + paras[-2:]:
        match = pattern.match(strip_markup(para.splitlines()[0]))
        if match:
            day, month, year = match.groups()
            iso = f"{year}-{_MONTHS.index(month.lower()) + 1:02d}"
            return f"{iso}-{int(day):02d}" if day else iso
    return None


@lru_cache(maxsize=1)
def _places() -> PlaceFinder:
    return PlaceFinder(load_reference())


def infer_meta(doc_id: str, text: str, reference: Reference | None = None) -> DocumentMeta:
    """What the text says about itself; ``inferred`` lists the fields found."""
    vocabulary = load_vocabulary()
    places = PlaceFinder(reference) if reference is not None else _places()
    paras = paragraphs(text)
    title, masthead = _title(paras, vocabulary)
    head = " ".join(masthead) or (title or "")
    fields: dict[str, object] = {}
    if title:
        fields["title"] = title
    doc_type = _doc_type(head, vocabulary) if head else "other"
    fields["doc_type"] = doc_type

    names = [n for piece in masthead for n in find_network_names(piece, vocabulary, places)]
    if not names and head:             # "Terms of Reference: Migration Working Group, Ghana"
        # the masthead's place comes before any network the body mentions ("input to the regional
        # UN Network on Migration for Africa" in a Ghanaian ToR)
        place = places.find(head)
        if place is not None and doc_type == "terms-of-reference":
            names = [NetworkName(head, "country" if place.kind == "country" else "regional", place, head)]
    if not names:                      # a briefing or note naming its network in the body
        names = [n for n in find_network_names(text, vocabulary, places) if n.level != "global"][:1]
    if names:
        name = names[0]
        fields["level"] = name.level
        fields["network_name"] = name.text
        if name.network_id:
            fields["network"] = name.network_id
        if name.place is not None and name.level == "country":
            fields["country"] = name.place.key
        elif name.place is not None:
            fields["region"] = name.place.key
        if name.level in ("regional", "country") and doc_type == "terms-of-reference":
            fields["parent"] = GLOBAL_PARENT
    date = _date(paras)
    if date:
        fields["date"] = date
    return DocumentMeta(id=doc_id, inferred=tuple(fields), **fields)  # type: ignore[arg-type]
