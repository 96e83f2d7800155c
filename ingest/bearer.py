"""Who bears a provision: bearer kinds of noun phrases, UN entities in their roles, antecedents.

The vocabulary is data (``patterns/bearers.json``): role and body nouns -> bearer kinds. A noun
phrase is read from its head token in the spaCy parse: its last words ("the Network Coordinator"
-> coordinator), then a UN entity mention (from entity linking) inside it, then its possessor or
"of" complement ("the composition of Working Groups" -> working-group). "members of X" and "X
members" belong to body X ("Executive Committee members" -> executive-committee), except when X
is the network. A UN entity acting in a role it holds in the document ("IOM, acting as
Coordinator and Secretariat, assists ...") bears it in that role; giving it the role ("IOM will
serve as the Coordinator") is the entity's own provision.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from torkg.ingest.model import Mention

PATTERNS = Path(__file__).parent / "patterns" / "bearers.json"
PRONOUNS = {"it": False, "they": True, "its": False, "their": True, "them": True, "this": None, "these": True,
            "that": None, "those": True, "he": False, "she": False, "his": False, "her": False}
_ROLE_AFTER = re.compile(
    r"^[\s,(*_]*(?:(?:acting|serving|in (?:its|their) (?:capacity|role))\s+)?as\s+(?:the\s+)?(?:(?:un\s+)?network\s+|global\s+|regional\s+)?"
    r"(co-?chairs?|coordinator|co-ordinator|secretariat|chair)(?:\s+and\s+(?:the\s+)?(secretariat|coordinator|co-?chair))?", re.I)
_ROLE_WILL = re.compile(r"^\s+(?:will|shall|is to)\s+(?:serve|act|be)\s+as\s+(?:the\s+)?(?:network\s+)?"
                        r"(co-?chairs?|coordinator|secretariat|chair)(?:\s+and\s+(?:the\s+)?(secretariat|coordinator))?", re.I)
_ROLE_BEFORE = re.compile(r"(co-?chairs?|coordinator|secretariat)(?:\s+and\s+(secretariat|coordinator|co-?chairs?))?"
                          r"(?:[\s*_]*:[\s*_]*|\s+(?:is|will be|shall be)\s+(?:the\s+)?)$", re.I)
MASTHEAD_CHARS = 200                   # a document's title: its first paragraph, up to this many characters
SELF_NAMING_KINDS = ("working-group", "task-team", "executive-committee")
_ROLES = {"coordinator": "coordinator", "co-ordinator": "coordinator", "secretariat": "secretariat"}


@dataclass(frozen=True)
class Bearer:
    """A resolved bearer: kind, UN entity key (for kind un-entity), the words that name it."""

    kind: str
    key: str | None = None
    text: str | None = None
    plural: bool = False
    weak: bool = False                 # not named: an event's holder or the document's network by default


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    data = json.loads(PATTERNS.read_text(encoding="utf-8"))
    data["events"] = frozenset(data["events"])
    data["plural_kinds"] = frozenset(data["plural_kinds"])
    for key in ("assignment_verbs", "chair_verbs", "self_passives", "establishment_verbs", "stative_verbs",
                "reporting_verbs", "role_passives", "function_nouns"):
        data[key] = frozenset(data[key])
    data["role_verbs"] = {role: frozenset(verbs) for role, verbs in data["role_verbs"].items()}
    data["narrative_sections"] = re.compile(data["narrative_sections"], re.I)
    data["background_sections"] = re.compile(data["background_sections"], re.I)
    data["agent_phrase"] = re.compile(data["agent_phrase"], re.I)
    data["network_alias"] = re.compile(data["network_alias"], re.I)
    data["max_words"] = max(len(k.split()) for k in data["nouns"])
    return data


def singular(word: str) -> str:
    """A rough singular of an English noun ("entities" -> "entity", "co-chairs" -> "co-chair")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def kind_of_words(words: list[str]) -> str | None:
    """The bearer kind named by the last words of ``words`` (lower case), longest match first."""
    vocab = vocabulary()
    if not words:
        return None
    words = words[:-1] + [singular(words[-1])]
    phrase = " ".join(words)
    if any(phrase.endswith(n) for n in vocab["not_roles"]):
        return None
    for n in range(min(len(words), vocab["max_words"]), 0, -1):
        kind = vocab["nouns"].get(" ".join(words[-n:]))
        if kind:
            return kind
    return None


class Resolver:
    """Bearer resolution over one parsed document and its entity mentions."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.text = doc.text                # Doc.text rebuilds the string on every access
        self.vocab = vocabulary()
        self.entity_at: dict[int, Mention] = {}
        self.place_at: dict[int, Mention] = {}      # countries and regions of the reference data
        for m in mentions:
            index = self.entity_at if m.kind == "un-entity" else \
                self.place_at if m.kind in ("country", "region") else None
            if index is None:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for t in span or ():
                index.setdefault(t.i, m)
        self.roles = role_map(self.text, [m for m in mentions if m.kind == "un-entity"])
        self.aliases = network_aliases(self.text)

    # noun phrases
    def core_words(self, head: Token) -> tuple[list[str], int]:
        left = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod", "npadvmod", "nummod", "punct")]
        start = min([t.left_edge.i for t in left], default=head.i)
        doc = self.doc
        while start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_:
            start -= 2                      # "Co-Chairs" parsed as three words
            left = [c for c in doc[start].lefts if c.dep_ in ("compound", "amod", "nmod", "npadvmod", "nummod")]
            start = min([t.left_edge.i for t in left], default=start)
        while start > 0 and _fragment(doc[start - 1]):
            start -= 1                      # "Executive | Committee | members": a name the parser cut up
        text = self.text[self.doc[start].idx:head.idx + len(head)]
        text = re.sub(r"\([^)]*\)?", " ", text)
        text = re.sub(r"[*_\[\]“”\"]", " ", text).lower().replace("–", "-")
        return text.split(), start

    def noun_phrase(self, head: Token, depth: int = 0) -> Bearer | None:
        """The bearer named by the noun phrase headed by ``head`` (not a pronoun), or None."""
        if head.lower_ in PRONOUNS or head.pos_ == "PRON":
            return None
        head = hyphen_head(head)
        words, start = self.core_words(head)
        tokens = self.doc[start:head.i + 1]
        text = tokens.text
        plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
        kind = "network" if " ".join(words) in self.aliases else kind_of_words(words)
        if kind == "members":
            specific = kind_of_words(words[:-1])
            if specific is None:
                inner = self._complement(head, depth)
                specific = inner.kind if inner is not None and not inner.weak else None
            if specific not in (None, "network", "members", "un-entity"):
                return Bearer(specific, None, text, True)
            return Bearer("members", None, text, plural or head.lower_ in ("membership",))
        if kind is not None:
            return Bearer(kind, None, text, plural or kind in self.vocab["plural_kinds"])
        entity = next((self.entity_at[t.i] for t in reversed(tokens) if t.i in self.entity_at), None)
        if entity is not None:
            return Bearer("un-entity", entity.key, entity.text, plural)
        specific = kind_of_words(words[:-1])
        if specific is not None:
            return Bearer(specific, None, text, plural or specific in self.vocab["plural_kinds"])
        inner = self._complement(head, depth)
        if inner is not None:
            return replace(inner, text=text)
        if head.lemma_.lower() in self.vocab["events"] or " ".join(words[-2:]) in self.vocab["events"]:
            return Bearer("network", None, text, plural, weak=True)
        return None

    def _complement(self, head: Token, depth: int) -> Bearer | None:
        """The bearer in the possessor or "of" complement of ``head`` ("the composition of WGs")."""
        if depth >= 2:
            return None
        for child in head.children:
            if child.dep_ == "poss" and child.lower_ not in PRONOUNS:
                return self.noun_phrase(child, depth + 1)
            if child.dep_ == "prep" and child.lower_ == "of":
                target = next((g for g in child.children if g.dep_ == "pobj"), None)
                return self.noun_phrase(target, depth + 1) if target is not None else None
        return None

    def possessor(self, head: Token) -> Token | None:
        """The possessive pronoun of ``head`` ("Their" in "Their work"), if any."""
        return next((c for c in head.children if c.dep_ == "poss" and c.lower_ in PRONOUNS), None)

    def bearers_in(self, tokens) -> list[tuple[Token, Bearer]]:
        """Every noun phrase in ``tokens`` that names a bearer, in order (for antecedents)."""
        found = []
        for t in tokens:
            if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod", "poss"):
                b = self.noun_phrase(t, depth=2)
                if b is not None and not b.weak:
                    found.append((t, b))
        return found

    # UN entities in roles
    def entity_in_role(self, bearer: Bearer, verb: str | None, passive_agent: bool = False) -> Bearer:
        """A UN entity's bearer kind for ``verb``: itself when the verb gives it a role, else the
        role it holds in the document (coordinator/secretariat by the verb when it holds both)."""
        if bearer.kind != "un-entity":
            return bearer
        verb = (verb or "").lower()
        if verb in self.vocab["chair_verbs"]:
            return replace(bearer, kind="co-chairs", key=None)
        if verb in self.vocab["assignment_verbs"]:
            return bearer
        held = self.roles.get(bearer.key or "", [])
        if not held:
            return bearer
        if len(held) > 1:
            for role in held:
                if verb in self.vocab["role_verbs"].get(role, ()):
                    return replace(bearer, kind=role, key=None)
        return replace(bearer, kind=held[0], key=None)


def _fragment(token: Token) -> bool:
    """A capitalised word the parser left as a sentence of its own, right before a noun."""
    return (token.dep_ == "ROOT" and token.pos_ in ("PROPN", "NOUN", "ADJ") and token.is_title
            and not list(token.children) and "\n" not in token.whitespace_)


def hyphen_head(token: Token) -> Token:
    """The last piece of a hyphenated word the tokenizer split ("Chairs" of "Co-Chairs")."""
    doc = token.doc
    while token.i + 2 < len(doc) and doc[token.i + 1].text == "-" and not token.whitespace_ \
            and not doc[token.i + 1].whitespace_:
        token = doc[token.i + 2]
    return token


def lemma(token: Token) -> str:
    """The lower-case lemma of ``token``, hyphenated pieces joined ("co-chair" for "co-chaired")."""
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_ \
            and not doc[token.i - 2].whitespace_ and doc[token.i - 2].lower_ in ("co", "vice"):
        token = doc[token.i - 2]            # "co-led" parsed as "co", "-", "led"
    last = hyphen_head(token)
    if last is token:
        return token.lemma_.lower()
    return doc[token.i:last.i].text.lower() + last.lemma_.lower()


def network_aliases(text: str) -> frozenset[str]:
    """Names a document gives its network in brackets: "UN Migration Network for the Pacific
    (UNMN-P)" -> {"unmn-p"}; '(hereinafter "the Network")' -> {"network"}."""
    found = set()
    for m in vocabulary()["network_alias"].finditer(text):
        alias = " ".join(m.group(1).lower().split())
        if len(alias) >= 3 and kind_of_words(alias.split()) in (None, "network"):
            found.add(alias)
    # A network whose title names it as a body ("United Nations Migration Working Group, Ghana")
    # calls itself "the Working Group": that body noun, singular, is the network.
    masthead = re.sub(r"[*_#]", " ", re.split(r"\n[ \t]*\n", text.lstrip(), maxsplit=1)[0][:MASTHEAD_CHARS]).lower()
    for noun, kind in vocabulary()["nouns"].items():
        if kind in SELF_NAMING_KINDS and " " in noun and re.search(rf"\b{re.escape(noun)}\b(?!s)", masthead):
            found.add(noun)
    return frozenset(found)


def role_map(text: str, mentions: list[Mention]) -> dict[str, list[str]]:
    """The roles UN entities hold in a document: ``{"IOM": ["coordinator", "secretariat"]}``, read
    from "IOM (as the Coordinator and Secretariat ...)", "IOM, acting as Coordinator",
    "IOM will serve as the Secretariat", "Coordinator and Secretariat: IOM", "The Coordinator is IOM"."""
    found: dict[str, list[str]] = {}
    for m in mentions:
        after, before = text[m.end:m.end + 120], text[max(0, m.start - 60):m.start]
        hit = _ROLE_AFTER.match(after) or _ROLE_WILL.match(after) or _ROLE_BEFORE.search(before)
        if not hit:
            continue
        for word in hit.groups():
            if word:
                word = word.lower()
                role = _ROLES.get(word, "co-chairs" if "chair" in word else None)
                if role and role not in found.setdefault(m.key, []):
                    found[m.key].append(role)
    return found
