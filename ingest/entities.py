"""Entity linking: mentions of reference resources, as a spaCy pipeline component.

The ``torkg_mentions`` component finds the names of UN entities, guiding instruments, working
principles, GCM guiding principles and objectives, stakeholder categories, countries, regions and
themes, and links each to its reference key. It puts the mentions in
``doc.spans["torkg_mentions"]`` (``label_`` = kind, ``kb_id_`` = key).

Patterns come from two places: every name of every reference entry (:mod:`torkg.ingest.reference`)
and every ``ingest/patterns/*.jsonl`` file, whose lines are
``{"label": kind, "id": key, "pattern": "a phrase" | [spaCy token pattern]}``. The matching
vocabulary (spelling variants, case rules, office wrappers) is data in ``patterns/mentions.json``.

Rules: acronyms and one-word proper names match case-sensitively ("WHO" the agency, not "who");
other names match in any case; the longest match wins and matches do not overlap (the same words
may denote resources of two kinds; themes, broad topical spans, may overlap other mentions); a
mention never spans a line break or includes markup;
"Head of IOM Office" or "Regional Office of IOM" denote IOM.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("torkg_mentions")
>>> [(m.text, m.kind, m.key) for m in mentions_of(nlp("Co-chaired by the Head of IOM Office and UNW."))]
[('Head of IOM Office', 'un-entity', 'IOM'), ('UNW', 'un-entity', 'UN-WOMEN')]
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from torkg.ingest.model import Mention
from torkg.ingest.reference import Reference, load_reference

SPANS_KEY = "torkg_mentions"
PATTERNS_DIR = Path(__file__).parent / "patterns"
# Kinds that come from the reference data, in order of preference when the same words match two
# entries of one kind.
REFERENCE_KINDS = ("un-entity", "instrument", "working-principle", "gcm-principle",
                   "gcm-objective", "stakeholder", "country", "region", "theme")
_SEP = "\x1f"
_MARKUP = {"*", "**", "***", "_", "__", "#", "##", "###", "`", "~", ">", "|"}


class PatternError(Exception):
    """A pattern file line cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Candidate:
    """One match before filtering: a token span and what it denotes."""

    start: int
    end: int
    kind: str
    key: str
    wrapped: bool = False               # extended over office words ("Head of IOM Office")


def load_vocabulary(path: Path = PATTERNS_DIR / "mentions.json") -> dict:
    """The matcher's vocabulary (spelling variants, case rules, wrappers)."""
    return json.loads(path.read_text(encoding="utf-8"))


def read_pattern_files(directory: Path = PATTERNS_DIR) -> list[dict]:
    """Every line of every ``*.jsonl`` file in ``directory``, checked."""
    found = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PatternError(f"{path}:{number}: not JSON ({exc}); one object a line") from exc
            if not {"label", "id", "pattern"} <= set(item) or not isinstance(item["pattern"], (str, list)):
                raise PatternError(f"{path}:{number}: a pattern line needs \"label\", \"id\" and "
                                   "\"pattern\" (a string or a spaCy token pattern list)")
            found.append(item)
    return found


def is_acronym(name: str) -> bool:
    """True for names without a plain word, e.g. "IOM", "UN DRR", "UNAoC", "SDGs".

    >>> [is_acronym(n) for n in ("IOM", "UN DRR", "UNAoC", "UN Women", "Agenda 2030")]
    [True, True, True, False, False]
    """
    words = re.findall(r"[A-Za-z]+", name)
    return bool(words) and not any(sum(c.islower() for c in w) >= 2 for w in words)


def name_variants(name: str, kind: str, vocabulary: dict) -> set[str]:
    """The name and its spelling variants (and plural, for concept kinds).

    >>> sorted(name_variants("World Food Programme", "un-entity", load_vocabulary()))
    ['World Food Program', 'World Food Programme']
    """
    variants = {name}
    for a, b in vocabulary.get("spelling", []):
        for variant in list(variants):
            for x, y in ((a, b), (b, a)):          # ("programme", "program"): one holds the other
                if x in variant.lower() and (y not in variant.lower() or len(x) > len(y)):
                    variants.add(re.sub(re.escape(x), lambda m, y=y: _same_case(m.group(), y), variant,
                                        flags=re.IGNORECASE))
    if kind in vocabulary.get("plural_kinds", []):
        variants |= {v + "s" for v in variants if re.search(r"[a-z]$", v) and not v.endswith("s")}
    return variants


def _same_case(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def is_case_sensitive(name: str, kind: str, vocabulary: dict) -> bool:
    """Acronyms always; one-word names of proper-noun kinds (countries, entities) too."""
    if is_acronym(name):
        return True
    return kind not in vocabulary.get("concept_kinds", []) and len(name.split()) == 1


class MentionRuler:
    """Finds mentions of reference resources; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "torkg_mentions", *, spans_key: str = SPANS_KEY,
                 patterns_dir: str | None = None, reference: Reference | None = None) -> None:
        self.name = name
        self.spans_key = spans_key
        directory = Path(patterns_dir) if patterns_dir else PATTERNS_DIR
        self.vocabulary = load_vocabulary(directory / "mentions.json") \
            if (directory / "mentions.json").exists() else load_vocabulary()
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.caseless = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = _LineMatcher(nlp)
        self._add_reference(nlp, reference or load_reference())
        self._add_pattern_files(nlp, directory)
        wrappers = self.vocabulary.get("wrappers", {})
        self._before = sorted((tuple(w) for w in wrappers.get("before", [])), key=len, reverse=True)
        self._after = sorted((tuple(w) for w in wrappers.get("after", [])), key=len, reverse=True)
        numbers = self.vocabulary.get("gcm_objective_numbers")
        self._objectives = _objective_regex(numbers) if numbers else None
        self._max_objective = int(numbers.get("max", 23)) if numbers else 0

    # -- building -------------------------------------------------------------------------
    def _add_phrase(self, nlp: Language, kind: str, key: str, name: str) -> None:
        for variant in name_variants(name, kind, self.vocabulary):
            matcher = self.exact if is_case_sensitive(name, kind, self.vocabulary) else self.caseless
            matcher.add(kind + _SEP + key, [nlp.make_doc(variant)])

    def _add_reference(self, nlp: Language, reference: Reference) -> None:
        for kind in REFERENCE_KINDS:
            for entry in reference.of_kind(kind):
                for name in entry.names:
                    if name == entry.key and kind in self.vocabulary.get("codes_not_names", []):
                        continue            # "KG", "002", "7": codes, not names in running text
                    self._add_phrase(nlp, kind, entry.key, name)

    def _add_pattern_files(self, nlp: Language, directory: Path) -> None:
        for item in read_pattern_files(directory):
            label = item["label"] + _SEP + str(item["id"])
            if isinstance(item["pattern"], str):
                self._add_phrase(nlp, item["label"], str(item["id"]), item["pattern"])
            else:
                self.tokens.add(label, [item["pattern"]])

    # -- the component --------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Candidate]:
        """All acceptable matches, longest first, without overlaps between different spans."""
        found: list[Candidate] = []
        lower = [t.lower_ for t in doc]
        for matcher in (self.exact, self.caseless, self.tokens):
            for match_id, start, end in matcher(doc):
                kind, _, key = doc.vocab.strings[match_id].partition(_SEP)
                span = self._clean(doc, start, end)
                if span is not None:
                    start, end = span
                    wrapped = self._wrap(doc, lower, start, end) if kind == "un-entity" else (start, end)
                    found.append(Candidate(*wrapped, kind, key, wrapped != (start, end)))
        found.extend(self._objective_numbers(doc))
        overlay = set(self.vocabulary.get("overlay_kinds", []))
        return sorted(_longest_first([c for c in found if c.kind not in overlay])
                      + _longest_first([c for c in found if c.kind in overlay]),
                      key=lambda c: (c.start, c.end, c.kind, c.key))

    def set_annotations(self, doc: Doc, candidates: list[Candidate]) -> None:
        spans = [Span(doc, c.start, c.end, label=c.kind, kb_id=c.key) for c in candidates]
        doc.spans[self.spans_key] = sorted(spans, key=lambda s: (s.start, s.end, s.label_))

    # -- steps ----------------------------------------------------------------------------
    @staticmethod
    def _clean(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
        """Trim markup tokens from the edges; reject spans that cross a line or hold markup."""
        while start < end and doc[start].text in _MARKUP:
            start += 1
        while end > start and doc[end - 1].text in _MARKUP:
            end -= 1
        if start >= end:
            return None
        if any("\n" in t.text or "\n" in t.whitespace_ or "*" in t.text for t in doc[start:end - 1]):
            return None
        if "\n" in doc[end - 1].text or "*" in doc[end - 1].text:
            return None
        return start, end

    def _wrap(self, doc: Doc, lower: list[str], start: int, end: int) -> tuple[int, int]:
        """Extend an entity's span over words that still denote it ("Head of IOM Office")."""
        for words in self._before:
            n = len(words)
            if start - n >= 0 and tuple(lower[start - n:start]) == words \
                    and not any("\n" in t.whitespace_ for t in doc[start - n:start]):
                start -= n
                break
        for words in self._after:
            n = len(words)
            if tuple(lower[end:end + n]) == words and "\n" not in doc[end - 1].whitespace_:
                end += n
                break
        return start, end

    def _objective_numbers(self, doc: Doc) -> list[Candidate]:
        """"GCM objectives 2, 5, 6" or "objectives 1-3" -> one gcm-objective mention a number."""
        if self._objectives is None:
            return []
        found = []
        for lead in self._objectives.finditer(doc.text):
            offset = lead.start("numbers")
            for item in re.finditer(r"(\d{1,2})(?:\s*(?:-|\u2013|to)\s*(\d{1,2}))?", lead.group("numbers")):
                low = int(item.group(1))
                high = int(item.group(2)) if item.group(2) else low
                span = doc.char_span(offset + item.start(), offset + item.end(), alignment_mode="expand")
                if span is None:
                    continue
                for value in range(low, max(low, high) + 1):
                    if 1 <= value <= self._max_objective:
                        found.append(Candidate(span.start, span.end, "gcm-objective", str(value)))
        return found


class _LineMatcher:
    """Token patterns, matched line by line and only where they can match.

    A mention never crosses a line (``MentionRuler._clean``), so each line is matched on its own;
    and a pattern is tried on a line only if the line holds, for every token the pattern requires
    (one without ``OP`` or with ``+``), a word that token accepts (its ``LOWER``/``ORTH`` value or
    ``IN`` list). That is a necessary condition, so the matches are those of one spaCy ``Matcher``
    over the whole text, minus the ones that cross a line; the cost drops from every pattern at
    every token to the few patterns whose words a line has.
    """

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self.patterns: list[tuple[Matcher, tuple[tuple[str, frozenset[str]], ...]]] = []

    def add(self, label: str, patterns: list[list[dict]]) -> None:
        for pattern in patterns:
            matcher = Matcher(self.vocab)
            matcher.add(label, [pattern])
            self.patterns.append((matcher, _required_words(pattern)))

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = []
        for start, end in _lines(doc):
            words = {"LOWER": {t.lower_ for t in doc[start:end]}, "ORTH": {t.text for t in doc[start:end]}}
            line = None
            for matcher, required in self.patterns:
                if all(not words[attr].isdisjoint(values) for attr, values in required):
                    line = line if line is not None else doc[start:end]
                    found.extend((m, start + a, start + b) for m, a, b in matcher(line))
        return found


def _required_words(pattern: list[dict]) -> tuple[tuple[str, frozenset[str]], ...]:
    """For each token a pattern cannot do without, the words it accepts, where the spec says."""
    required = []
    for spec in pattern:
        if spec.get("OP") not in (None, "+", "!") and not re.fullmatch(r"\{[1-9]\d*(?:,\d*)?\}", str(spec.get("OP"))):
            continue
        if spec.get("OP") == "!":
            continue
        for key, attr in (("LOWER", "LOWER"), ("ORTH", "ORTH"), ("TEXT", "ORTH")):
            value = spec.get(key)
            if isinstance(value, str):
                required.append((attr, frozenset([value])))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                required.append((attr, frozenset(value["IN"])))
    return tuple(required)


def _lines(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the text's lines (tokens holding a line break belong to none)."""
    lines, start = [], 0
    for t in doc:
        if "\n" in t.text:
            if start < t.i:
                lines.append((start, t.i))
            start = t.i + 1
        elif "\n" in t.whitespace_:
            lines.append((start, t.i + 1))
            start = t.i + 1
    if start < len(doc):
        lines.append((start, len(doc)))
    return lines


def _objective_regex(numbers: dict) -> re.Pattern:
    joiners = "|".join(re.escape(j) if not j.isalpha() else rf"\b{j}\b" for j in numbers["joiners"])
    return re.compile(rf"\b{numbers['lead']}[ \t]+(?:nos?\.?[ \t]*)?"
                      rf"(?P<numbers>\d{{1,2}}\b(?:[ \t]*(?:{joiners})[ \t]*\d{{1,2}}\b)*)")


def _longest_first(found: list[Candidate]) -> list[Candidate]:
    """Keep the longest matches; a shorter one survives only if it overlaps none kept. The same
    words may denote several resources ("objectives 1-3", a principle that is also a theme)."""
    direct = {(c.start, c.end) for c in found if not c.wrapped}
    found = [c for c in found if not (c.wrapped and (c.start, c.end) in direct)]
    kept: list[Candidate] = []
    taken: set[tuple[int, int]] = set()
    for c in sorted(set(found), key=lambda c: (-(c.end - c.start), c.start, _rank(c.kind), c.key)):
        extent = (c.start, c.end)
        if extent not in taken and any(s < c.end and c.start < e for s, e in taken):
            continue
        taken.add(extent)
        kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end, c.kind, c.key))


def _rank(kind: str) -> int:
    return REFERENCE_KINDS.index(kind) if kind in REFERENCE_KINDS else len(REFERENCE_KINDS)


@Language.factory("torkg_mentions", default_config={"spans_key": SPANS_KEY, "patterns_dir": None})
def make_mention_ruler(nlp: Language, name: str, spans_key: str, patterns_dir: str | None) -> MentionRuler:
    """Build the component from the project's reference data and pattern files."""
    return MentionRuler(nlp, name, spans_key=spans_key, patterns_dir=patterns_dir)


def mentions_of(doc: Doc, spans_key: str = SPANS_KEY) -> list[Mention]:
    """The mentions the component put on ``doc``, as plain :class:`Mention` records."""
    if spans_key not in doc.spans:
        raise KeyError(f"doc has no spans under {spans_key!r}: add the component first "
                       "(nlp.add_pipe(\"torkg_mentions\"))")
    return [Mention(s.start_char, s.end_char, s.label_, s.kb_id_, s.text) for s in doc.spans[spans_key]]


def add_mentions(nlp: Language) -> Language:
    """Add the component to ``nlp`` (last) unless it is there already; return ``nlp``."""
    if "torkg_mentions" not in nlp.pipe_names:
        nlp.add_pipe("torkg_mentions", last=True)
    return nlp
