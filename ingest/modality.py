"""Deontic modality of a clause: modal verbs, deontic phrases, negation, conditions.

The vocabulary is data (``patterns/modality.json``). A clause is read from its main verb
(:func:`main_verb` of a unit's span in the spaCy parse): a modal auxiliary of the root ("will", "shall",
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


# --- the clause: main verb, subject, voice ----------------------------------------------------

SUBORDINATE = frozenset({"relcl", "acl", "advcl", "amod", "pcomp", "csubj", "csubjpass", "prep", "pobj", "xcomp", "npadvmod"})


def main_verb(span: Span, reporting: frozenset[str] = frozenset()) -> Token | None:
    """The main verb of ``span``: the first verb with a modal that heads no subordinate clause
    (and is not reported by one of the ``reporting`` verbs, "notes that ..."), else a token whose
    head lies outside the span."""
    for t in span:
        if t.pos_ not in ("VERB", "AUX") or not any(c.dep_ == "aux" and c.tag_ == "MD" for c in t.children):
            continue
        while t.dep_ in ("aux", "auxpass") and t.head != t:
            t = t.head                      # "will be co-chaired": the modal hangs on an auxiliary
        top = t
        while top.dep_ == "conj" and top.head != top:
            top = top.head
        if top.dep_ in SUBORDINATE or (top.dep_ == "ccomp" and (top.head.lemma_.lower() in reporting
                                                                 or top.head.tag_ == "VBD")):
            continue
        return t
    best = _structural_root(span)
    if best is not None and best.tag_ in ("VBG", "VBN") and not any(c.dep_.startswith("aux") for c in best.children):
        finite = next((c for c in best.children if c.tag_ in ("VBZ", "VBP") and c.dep_ in ("advcl", "ccomp", "conj")), None)
        if finite is not None:             # "IOM, acting as Coordinator and Secretariat assists ..."
            return finite
    return best


def _structural_root(span: Span) -> Token | None:
    """A token of ``span`` whose head lies outside it: a verb with a subject or auxiliary first."""
    best, score = None, None
    for t in span:
        if t.is_space or t.is_punct:
            continue
        if t.head == t or t.head.i < span.start or t.head.i >= span.end:
            s = (t.pos_ in ("VERB", "AUX"), any(c.dep_ in ("nsubj", "nsubjpass", "aux", "expl") for c in t.children),
                 len(list(t.subtree)) if t.pos_ in ("VERB", "AUX") else 0, -t.i)
            if score is None or s > score:
                best, score = t, s
    return best


def subject_of(root: Token, span: Span) -> Token | None:
    """The subject of ``root``'s clause (shared with a verb it is conjoined to); a role named after
    "as" ("IOM, acting as Coordinator, assists") is not a subject."""
    head = root
    for _ in range(3):
        auxiliaries = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
        for aux in list(auxiliaries):
            auxiliaries.extend(c for c in aux.children if c.dep_ in ("aux", "auxpass"))
        participles = [c for c in head.lefts if c.dep_ == "advcl" and c.tag_ in ("VBG", "VBN")]
        for child in [c for h in (head, *auxiliaries, *participles) for c in h.children]:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl") and span.start <= child.i < span.end \
                    and not (child.i > 0 and child.nbor(-1).lower_ == "as"):
                return child            # (a participle's subject: "IOM, acting as Coordinator, assists")
        if head.dep_ in ("conj", "advcl") and span.start <= head.head.i < span.end:
            head = head.head
        else:
            break
    return None


def stray_subject(root: Token, span: Span) -> Token | None:
    """A subject the parser attached elsewhere ("The mechanism (CBM) called for in ... will serve")."""
    for t in span:
        if t.i >= root.i:
            break
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ not in ("relcl", "acl", "advcl"):
            return t
    fragment = root.doc[root.i - 2] if root.i - 2 >= span.start else None     # "IOM | will serve as ..."
    if fragment is not None and fragment.dep_ == "ROOT" and fragment.pos_ in ("PROPN", "NOUN") \
            and root.doc[root.i - 1].tag_ == "MD":
        return fragment
    return None


def is_passive(root: Token) -> bool:
    """Whether the clause of ``root`` is in the passive voice ("will be established")."""
    return any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in root.children)


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
