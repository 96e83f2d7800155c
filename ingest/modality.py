"""Deontic modality of a clause: modal verbs, deontic phrases, negation, conditions.

The vocabulary is data (``patterns/modality.json``). A clause is read from its main verb (the
``root`` of a unit's span in the spaCy parse): a modal auxiliary of the root ("will", "shall",
"may", "should"), or a deontic phrase that involves the root ("is responsible for", "commits to",
"are encouraged to", "will be open to"); the phrase wins over the modal ("will be able to" is a
permission). Negation of an obligation or permission makes a prohibition.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

PATTERNS = Path(__file__).parent / "patterns" / "modality.json"
NEGATIONS = frozenset({"not", "n't", "never", "no"})


@dataclass(frozen=True)
class Deontic:
    """What makes a clause deontic: its modality and the words that say so."""

    modality: str
    negated: bool
    modal: str | None = None            # the modal verb lemma ("will"), if any
    phrase: tuple[Token, ...] = ()      # the deontic phrase's tokens, if any
    bearer_hint: str | None = None      # "object-of-to" or a bearer kind from the phrase data
    needs_agent: bool = False           # a forecast unless the subject is an agent


@dataclass(frozen=True)
class _Vocabulary:
    modals: dict
    weak: frozenset
    negated: dict
    phrases: tuple
    conditions: tuple
    elaborations: tuple
    connectors: tuple


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    data = json.loads(PATTERNS.read_text(encoding="utf-8"))
    phrases = sorted(data["phrases"], key=lambda p: -len(p["lemmas"]))
    return _Vocabulary(data["modals"], frozenset(data["weak_modals"]), data["negated"], tuple(phrases),
                       tuple(re.compile(c, re.I) for c in data["conditions"]),
                       tuple(data["elaborations"]), tuple(sorted(data["connectors"], key=len, reverse=True)))


def modal_of(root: Token) -> Token | None:
    """The modal auxiliary of ``root`` ("will" in "will be established"; "will" in the lead-in
    "the Network will:"), if any."""
    if root.tag_ == "MD":
        return root
    for child in root.children:
        if child.dep_ == "aux" and (child.tag_ == "MD" or child.lower_ in vocabulary().modals):
            return child
    if root.dep_ == "conj" and root.head.pos_ in ("VERB", "AUX"):
        return modal_of(root.head)
    doc = root.doc
    for i in range(root.i - 1, max(-1, root.i - 9), -1):   # a modal the parser attached elsewhere
        t = doc[i]
        if t.text in (".", ";", ":") or t.is_space and "\n" in t.text:
            break
        if t.tag_ == "MD":
            attached = t.head == root or t.head.dep_ in ("aux", "auxpass") or t.head.pos_ not in ("VERB", "AUX")
            return t if attached else None
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass", "punct") and not t.is_punct:
            break
    return None


def _phrase(tokens: list[Token], root: Token) -> tuple[dict, tuple[Token, ...]] | None:
    lemmas = [t.lemma_.lower() for t in tokens]
    texts = [t.lower_ for t in tokens]
    present = set(lemmas) | set(texts)
    for pattern in vocabulary().phrases:
        want = pattern["lemmas"]
        if not all(w in present for w in want):
            continue
        for i in range(len(tokens)):
            if lemmas[i] != want[0] and texts[i] != want[0]:
                continue
            matched, j, k = [tokens[i]], i + 1, 1
            while k < len(want) and j < len(tokens):
                if lemmas[j] == want[k] or texts[j] == want[k]:
                    matched.append(tokens[j])
                    k += 1
                elif tokens[j].pos_ in ("ADV", "PART") and tokens[j].lower_ not in ("to",) or tokens[j].lower_ in ("jointly", "also", "fully", "therefore"):
                    pass
                else:
                    break
                j += 1
            if k < len(want):
                continue
            if any(t == root or t.head == root and t.dep_ in ("aux", "auxpass", "acomp", "xcomp", "prep", "dobj", "attr")
                   for t in matched):
                return pattern, tuple(matched)
            own_modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in root.children)
            if not own_modal and any(t.head == root and t.dep_ == "conj" for t in matched):
                return pattern, tuple(matched)      # "information exchanged ... is meant for internal use"
    return None


def negated(root: Token, extra: tuple[Token, ...] = ()) -> bool:
    """Whether the clause of ``root`` is negated ("shall not", "cannot", "No member may")."""
    for head in (root, *extra):
        for child in head.children:
            if child.dep_ == "neg" and child.lower_ in NEGATIONS:
                nxt = child.nbor(1) if child.i + 1 < len(child.doc) else None
                if nxt is None or nxt.lower_ != "only":
                    return True
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and any(d.dep_ == "det" and d.lower_ == "no" for d in child.children):
                return True
    return False


def deontic(span: Span, root: Token) -> Deontic | None:
    """The deontic reading of the clause whose main verb is ``root`` within ``span``, or None."""
    vocab = vocabulary()
    tokens = [t for t in span if not t.is_space and not (t.is_punct and t.text not in "-")]
    found = _phrase(tokens, root)
    modal = modal_of(root)
    modality = None
    if found:
        pattern, matched = found
        modality = pattern["modality"]
        if modal is not None and modal.lower_ in ("should", "ought"):
            modality = "recommendation" if modality == "obligation" else modality
        neg = negated(root, matched)
        if neg:
            modality = vocab.negated.get(modality, modality)
        return Deontic(modality, neg, modal.lemma_.lower() if modal is not None else None, matched,
                       pattern.get("bearer"), bool(pattern.get("needs_agent")))
    if modal is None:
        return None
    modality = vocab.modals.get(modal.lower_) or vocab.modals.get(modal.lemma_.lower())
    if modality is None:
        return None
    neg = negated(root)
    if neg:
        modality = vocab.negated.get(modality, modality)
    return Deontic(modality, neg, modal.lower_)


def is_weak(d: Deontic) -> bool:
    """A possibility modal ("may", "could"): epistemic unless an agent holds it."""
    return d.modal in vocabulary().weak and not d.phrase


def find_condition(text: str) -> str | None:
    """The first condition phrase in ``text`` ("where such action would add value", "as needed")."""
    best = None
    for pattern in vocabulary().conditions:
        m = pattern.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best.group(0).strip() if best else None


def _ending(text: str) -> str:
    return re.sub(r"[\s*_:]+$", "", text).lower()


def is_elaboration(lead_in: str) -> bool:
    """A lead-in whose items restate what it says ("..., namely:"): the items are not provisions."""
    end = _ending(lead_in)
    return any(end.endswith(" " + e) or end == e for e in vocabulary().elaborations)


def is_complete_lead_in(lead_in: str) -> bool:
    """A colon lead-in whose own clause is complete before a connector ("..., including:",
    "convened by IOM who will:"): it is a provision besides leading its items in."""
    end = _ending(lead_in)
    return any(end.endswith(" " + c) for c in vocabulary().connectors)
