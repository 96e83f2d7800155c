"""Provisions: which units are normative statements, their modality, bearer, action and more.

A unit (sentence or list item, :mod:`torkg.ingest.segment`) is read from its main verb in the
spaCy parse of the whole text (``doc``):

- a modal or deontic phrase of the main verb gives the modality (:mod:`torkg.ingest.modality`);
  in a Terms of Reference, a present-tense verb that assigns a function to a named agent outside
  narrative sections ("IOM ... assists the Co-chair") is an obligation;
- an item without its own subject (imperative, gerund, noun phrase) continues its lead-in and
  takes the lead-in's modality and bearer ("The Coordinator will have responsibility for:");
- the bearer is the subject, the passive agent ("by the Executive Committee", "upon approval of
  ..."), the antecedent of a pronoun, or the lead-in's bearer (:mod:`torkg.ingest.bearer`); an
  agentless passive binds the document's network, unless its subject is a named body acted upon
  ("Working Groups can be established") -- then the bearer is ``unspecified``.

Excluded: questions, headings and colon lead-ins (except those whose clause is complete before
"including:" or "who will:"), footnotes (not units), past-tense narrative, present-tense states,
forecasts and possibilities whose subject is no agent, clauses reported from other instruments.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from torkg.ingest.bearer import PRONOUNS, Bearer, Resolver, hyphen_head, kind_of_words, lemma
from torkg.ingest.bearer import vocabulary as bearer_vocabulary
from torkg.ingest.frequency import find_frequency
from torkg.ingest.modality import (Deontic, deontic, find_condition, is_complete_lead_in, is_elaboration,
                                   is_passive, is_weak, main_verb, negated, stray_subject, subject_of)
from torkg.ingest.modality import vocabulary as modality_vocabulary
from torkg.ingest.model import DocumentMeta, Mention, Provision
from torkg.ingest.nlp import known_verbs
from torkg.ingest.segment import Segmentation

TOR_TITLE = re.compile(r"terms\s+of\s+reference|\bToRs?\b", re.I)
ITEM_KINDS = ("list-item", "numbered-paragraph", "table-row")
LIGHT_VERBS = frozenset({"endeavour", "endeavor", "seek", "aim", "strive", "continue", "commit", "undertake", "serve", "try"})
NETWORK = Bearer("network", weak=True)
UNSPECIFIED = Bearer("unspecified")


@dataclass(frozen=True)
class Reading:
    """What a clause says: modality (None for a verbless lead-in) and bearer (None if unknown)."""

    modality: str | None
    bearer: Bearer | None
    root: Token | None
    negated: bool = False
    deontic: Deontic | None = None


def extract_provisions(doc: Doc, seg: Segmentation, mentions: list[Mention], meta: DocumentMeta) -> list[Provision]:
    """The provisions among ``seg``'s units, in document order. ``doc`` is the whole text
    (``seg.text`` or ``seg.clean``, same length) parsed once by spaCy."""
    return _Extractor(doc, seg, mentions, meta).run()


class _Extractor:
    def __init__(self, doc: Doc, seg: Segmentation, mentions: list[Mention], meta: DocumentMeta) -> None:
        parsed = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
        if parsed != len(seg.text):
            raise ValueError(f"document {meta.id!r}: the parsed text ({parsed} characters) is not the "
                             f"segmented text ({len(seg.text)}); parse seg.text or seg.clean")
        self.doc, self.seg, self.text, self.meta = doc, seg, seg.text, meta
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]
        self.resolver = Resolver(doc, mentions)
        self.vocab = bearer_vocabulary()
        self.verbs = known_verbs(doc.vocab)
        kind = meta.doc_type
        self.is_tor = kind == "terms-of-reference" or (kind is None and bool(TOR_TITLE.search(seg.text[:1500])))
        self.leads: dict[tuple[int, int], Reading | None] = {}
        self.lead_parts = {(p.start, p.end): i for i, p in enumerate(seg.parts) if p.kind == "lead-in"}
        self.first_in_part: set[int] = set()
        seen: set[int | None] = set()
        for u in seg.units:
            if u.part not in seen:
                seen.add(u.part)
                self.first_in_part.add(u.start)
        self.previous: tuple[Span, Bearer | None] | None = None

    # --- driver -----------------------------------------------------------------------------
    def run(self) -> list[Provision]:
        candidates = [(u.start, u.end, u.part, u.lead_in, u.section) for u in self.seg.units]
        for index, part in enumerate(self.seg.parts):
            if part.kind == "lead-in" and self.text[part.start:part.end].rstrip("*_ ").endswith(":") \
                    and is_complete_lead_in(self.text[part.start:part.end]):
                candidates.append((part.start, part.end, index, self.seg.outer.get((part.start, part.end)), None))
        candidates.sort()
        found = []
        background = self.vocab["background_sections"]
        for start, end, part, lead_in, _section in candidates:
            section = self._section(part)
            if section and background.search(section):
                continue                        # narrative: quotes and history, not provisions
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            reading = self.read(span, part, lead_in)
            if reading is not None and reading.modality and reading.bearer is not None:
                found.append(self.provision(span, start, end, part, lead_in, reading))
        return found

    def provision(self, span: Span, start: int, end: int, part: int | None, lead_in, reading: Reading) -> Provision:
        root, bearer = reading.root, reading.bearer
        head = root
        if root is not None and root.pos_ not in ("VERB", "AUX") and self._verb_initial(span):
            head = next(t for t in span if t.is_alpha)          # "Organizing meetings" tagged as a name
        phrase = reading.deontic.phrase if reading.deontic is not None else ()
        action, verb, obj = _action(head, self.seg.clean, start, end, phrase) if head is not None else (None, None, None)
        if head is not root:
            base = self._base_form(head.lower_)
            action, verb = base + action[len(verb):], base
        text = self.text[start:end]
        frequency = find_frequency(text)
        first = bisect.bisect_left(self.starts, start)
        inside = []
        for m in self.mentions[first:]:
            if m.start >= end:
                break
            if m.end <= end:
                inside.append(m)
        return Provision(start, end, reading.modality, bearer.kind, bearer.key if bearer.kind == "un-entity" else None,
                         bearer.text, verb, action, obj, find_condition(text),
                         frequency[0] if frequency else None, frequency[1] if frequency else None,
                         reading.negated, part, lead_in, tuple(inside))

    # --- reading a clause -------------------------------------------------------------------
    def read(self, span: Span, part: int | None, lead_in: tuple[int, int] | None) -> Reading | None:
        """The reading of ``span`` as a provision, or None; remembers it for the next pronoun."""
        reading, subject_bearer = self._read(span, part, lead_in)
        self.previous = (span, reading.bearer if reading and reading.bearer else subject_bearer)
        return reading

    def _read(self, span: Span, part: int | None, lead_in) -> tuple[Reading | None, Bearer | None]:
        if self.text[span.start_char:span.end_char].rstrip("*_ )\"”").endswith("?"):
            return None, None
        root = main_verb(span, self.vocab["reporting_verbs"])
        if root is None or self._reported(span, root):
            return None, None
        subject = subject_of(root, span)
        d = deontic(span, root)
        if subject is None:
            reading = self._continuation(span, root, d, part, lead_in)
            if reading is None and d is not None and lead_in is None:
                subject = stray_subject(root, span)
                if subject is None:             # a clause whose subject the parser lost
                    bearer = self.passive_bearer(span, root, None) if is_passive(root) else (
                        NETWORK if self.is_tor and not is_weak(d) and not d.needs_agent else None)
                    if bearer is not None:
                        bearer = self.resolver.entity_in_role(bearer, lemma(root))
                        return Reading(d.modality, bearer, root, d.negated, d), None
                    return None, None
            else:
                return reading, None
        if root.pos_ not in ("VERB", "AUX") and d is None:
            return None, None
        passive = is_passive(root)
        subject_bearer = self.subject_bearer(subject, span, root)
        if d is not None and d.needs_agent and (subject_bearer is None or subject_bearer.weak):
            return None, subject_bearer         # a forecast: "Support is expected to intensify"
        if d is None:
            reading = self._present(root, subject_bearer, part, subject, span)
            if reading is None and lead_in is not None and span.start_char in self.first_in_part \
                    and (subject_bearer is None or subject_bearer.weak):
                # an item the parser read as a clause ("Monitor progress ...; organize meetings")
                reading = self._continuation(span, root, None, part, lead_in, forced=True)
            return reading, subject_bearer
        if d.bearer_hint:
            bearer = self.hinted(d, span) or subject_bearer
        elif passive:
            bearer = self.passive_bearer(span, root, subject_bearer, bool(d.phrase) and root in d.phrase)
        else:
            bearer = subject_bearer
            if bearer is None:
                if d.needs_agent or is_weak(d) or not self.is_tor:
                    return None, None
                bearer = NETWORK
            elif bearer.weak and d.needs_agent:
                return None, None
        if bearer is None:
            return None, subject_bearer
        bearer = self.resolver.entity_in_role(bearer, lemma(root))
        return Reading(d.modality, bearer, root, d.negated, d), subject_bearer

    def _present(self, root: Token, bearer: Bearer | None, part: int | None, subject: Token, span: Span) -> Reading | None:
        """A present-tense function assignment in a ToR: "IOM ... assists the Co-chair", "Minutes
        are prepared by the Secretariat", "The functions of the Secretariat are:"."""
        section = self._section(part)
        verb = lemma(root)
        if not self.is_tor or (section and self.vocab["narrative_sections"].search(section)):
            return None
        finite = root.tag_ in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP")
                                                      for c in root.children)
        if not finite:
            return None
        if verb in ("be", "include", "comprise") and subject.lemma_.lower() in self.vocab["function_nouns"] \
                and bearer is not None and not any(c.dep_ == "neg" for c in root.children):
            return Reading("obligation", bearer, root)
        if is_passive(root):
            agent = self._agent(root)
            if agent is None or verb in self.vocab["role_passives"] or verb in self.vocab["stative_verbs"]:
                return None
            return Reading("obligation", self.resolver.entity_in_role(agent, verb), root)
        if (root.tag_ not in ("VBZ", "VBP") or bearer is None or bearer.weak
                or verb in self.vocab["stative_verbs"] or verb in self.vocab["reporting_verbs"]
                or any(c.dep_ == "aux" for c in root.children)):
            return None
        neg = negated(root)
        bearer = self.resolver.entity_in_role(bearer, lemma(root))
        return Reading("prohibition" if neg else "obligation", bearer, root, neg)

    def _continuation(self, span: Span, root: Token, d: Deontic | None, part: int | None, lead_in,
                      forced: bool = False) -> Reading | None:
        """An item without its own subject: it continues its lead-in, or is an imperative duty."""
        verbal = root.tag_ in ("VB", "VBG", "VBZ", "VBP") and root.i - span.start <= 3 or self._verb_initial(span)
        nominal = root.pos_ in ("NOUN", "PROPN") or root.tag_ in ("NN", "NNS")
        if lead_in is not None:
            lead = self.lead(lead_in)
            if lead is None or lead.bearer is None or is_elaboration(self.text[lead_in[0]:lead_in[1]]):
                return None
            modality = d.modality if d is not None else lead.modality
            if modality is None:
                if not verbal:
                    return None
                modality = "obligation"
            elif not (verbal or nominal or forced or d is not None or root.tag_ != "VBD"):
                return None
            if nominal and not verbal and d is None and self._names_actor(root):
                return None                     # a list of partners, not of duties
            return Reading(modality, lead.bearer, root, bool(d and d.negated) or lead.negated)
        kind = self._part_kind(part)
        if kind in ITEM_KINDS and (root.tag_ == "VB" and root.i - span.start <= 2 or self._imperative(span)
                                   or self.is_tor and root.tag_ == "VBG" and root.i == span.start):
            neg = negated(root)
            return Reading("prohibition" if neg else "obligation", self.context_bearer(part), root, neg)
        return None

    def _names_actor(self, head: Token) -> bool:
        """Whether a noun phrase names an organisation or actor ("the Ministry of Foreign Affairs")."""
        if head.pos_ == "PROPN" or head.i in self.resolver.entity_at:
            return True
        bearer = self.resolver.noun_phrase(head, depth=2)
        return bearer is not None and not bearer.weak

    def _imperative(self, span: Span) -> bool:
        """Whether ``span`` opens with a verb in its base form ("Enhance collaboration ...")."""
        first = next((t for t in span if t.is_alpha), None)
        if first is None or first.tag_ in ("VBD", "VBN", "DT", "PRP", "IN"):
            return False
        return first.tag_ == "VB" or (first.is_title and first.lower_ in self.verbs and first.dep_ in ("compound", "ROOT", "nmod", "amod"))

    def _base_form(self, word: str) -> str:
        """The base form of a verb form the tagger missed ("organizing" -> "organize")."""
        candidates = [word]
        if word.endswith("ing"):
            candidates += [word[:-3], word[:-3] + "e", word[:-4]]
        if word.endswith("s"):
            candidates += [word[:-1], word[:-2]]
        return next((c for c in candidates if c in self.verbs), word)

    def _verb_initial(self, span: Span) -> bool:
        """Whether ``span`` opens with a verb the tagger may have taken for a name ("Convening",
        "Facilitates access ...")."""
        first = next((t for t in span if t.is_alpha), None)
        if first is None:
            return False
        if first.tag_ in ("VB", "VBG", "VBZ", "VBP"):
            return True
        return first.is_title and self._base_form(first.lower_) in self.verbs and first.tag_ not in ("DT", "IN", "PRP")

    def lead(self, span: tuple[int, int]) -> Reading | None:
        """The reading of a lead-in (cached): its items inherit modality and bearer from it."""
        if span not in self.leads:
            self.leads[span] = None
            lead_span = self.doc.char_span(span[0], span[1], alignment_mode="expand")
            reading = None
            if lead_span is not None and len(lead_span):
                saved = self.previous
                reading = self._elliptical(lead_span)
                if reading is None:
                    reading, _ = self._read(lead_span, self.lead_parts.get(span), self.seg.outer.get(span))
                if reading is None and not any(t.pos_ in ("VERB", "AUX") for t in lead_span):
                    last = next((t for t in reversed(lead_span) if t.is_alpha), None)
                    b = self.resolver.noun_phrase(last) if last is not None else None
                    reading = Reading(None, b, last) if b is not None and not b.weak else None
                self.previous = saved
            self.leads[span] = reading
        return self.leads[span]

    def _elliptical(self, span: Span) -> Reading | None:
        """A lead-in that ends on its modal ("..., the Regional Network will:")."""
        words = [t for t in span if not t.is_space and not t.is_punct]
        if len(words) < 2:
            return None
        modal, before = words[-1], words[-2]
        modality = modality_vocabulary().modals.get(modal.lower_)
        if modal.tag_ != "MD" or modality is None:
            return None
        if before.lower_ in PRONOUNS:
            bearer = self.antecedent(before, span)
        else:
            bearer = self.resolver.noun_phrase(before)
        if bearer is None:
            return None
        return Reading(modality, self.resolver.entity_in_role(bearer, None), modal)

    def _reported(self, span: Span, root: Token) -> bool:
        """Whether ``root`` is reported from elsewhere ("The GCM notes that a) IOM will serve")."""
        reporting = self.vocab["reporting_verbs"]
        for t in span:
            if t.i >= root.i:
                return False
            if t.lemma_.lower() in reporting and t.pos_ == "VERB" and t.i + 1 < span.end and \
                    self.doc[t.i + 1].lower_ == "that":
                return True
        return False

    # --- bearers ----------------------------------------------------------------------------
    def subject_bearer(self, subject: Token, span: Span, root: Token) -> Bearer | None:
        if subject.dep_ == "expl":
            attr = next((c for c in root.children if c.dep_ in ("attr", "dobj", "nsubj")), None)
            return self.resolver.noun_phrase(attr) if attr is not None else None
        if subject.lower_ == "it":              # "It is recommended that members nominate ..."
            clause = next((c for c in root.children if c.dep_ == "ccomp"), None)
            inner = subject_of(clause, span) if clause is not None else None
            if inner is not None:
                return self.subject_bearer(inner, span, clause)
        if subject.lower_ in PRONOUNS and subject.pos_ in ("PRON", "DET"):
            return self.antecedent(subject, span)
        bearer = self.resolver.noun_phrase(subject)
        if bearer is None:
            owner = self.resolver.possessor(subject)
            if owner is not None:
                return self.antecedent(owner, span)
            if subject.i in self.resolver.place_at:
                return Bearer("member-states", None, subject.text)  # "Ghana will host the meeting"
            if (subject.pos_ == "PROPN" or subject.is_upper and len(subject) > 1) and not _temporal_or_number(subject):
                return Bearer("stakeholders", None, subject.text)   # a named outside actor ("ECOWAS")
        return bearer

    def antecedent(self, pronoun: Token, span: Span) -> Bearer | None:
        """What ``pronoun`` refers to: the previous unit's bearer, else the most recent bearer named
        in it, agreeing in number and preferably not named again in this sentence."""
        if self.previous is None:
            self.previous = (span[:0], None)
        plural = PRONOUNS.get(pronoun.lower_)
        previous_span, previous_bearer = self.previous
        in_span = self.resolver.bearers_in(span)
        before = [b for t, b in reversed(in_span) if t.i < pronoun.i]        # "If a member ..., it should"
        here = {b.kind for t, b in in_span if t.i > pronoun.i}
        candidates = before + ([previous_bearer] if previous_bearer is not None else []) + \
            [b for _, b in reversed(self.resolver.bearers_in(previous_span))]
        agreeing = [b for b in candidates if plural is None or b.plural == plural or b.kind == "un-entity"]
        for b in agreeing:
            if b.kind not in here:
                return b
        return agreeing[0] if agreeing else None

    def passive_bearer(self, span: Span, root: Token, subject_bearer: Bearer | None,
                       deontic_phrase: bool = False) -> Bearer:
        """The bearer of a passive clause: its agent; else its named subject when the verb
        describes the subject ("will be guided by") or is a deontic phrase ("are encouraged to");
        else a later agent in the sentence; else unspecified (a body set up) or the network."""
        verb = lemma(root)
        agent = self._agent(root) or self._agent_phrase(span, root)
        if agent is not None:
            return agent
        if verb in self.vocab["chair_verbs"]:
            return Bearer("co-chairs", plural=True)
        if subject_bearer is not None and not subject_bearer.weak:
            return subject_bearer if verb in self.vocab["self_passives"] or deontic_phrase else UNSPECIFIED
        for t in span:
            if t.i > root.i and t.dep_ == "agent":
                late = self._agent(t.head)
                if late is not None:
                    return late
        return UNSPECIFIED if verb in self.vocab["establishment_verbs"] else NETWORK

    def _agent(self, root: Token) -> Bearer | None:
        for child in root.children:
            if child.dep_ == "agent":
                target = next((g for g in child.children if g.dep_ == "pobj"), None)
                if target is not None:
                    b = self.resolver.noun_phrase(target)
                    if b is not None and not b.weak:
                        return b
        return None

    def _agent_phrase(self, span: Span, root: Token) -> Bearer | None:
        m = self.vocab["agent_phrase"].search(self.text, root.idx, span.end_char)
        if not m:
            return None
        token = self.doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if token is None:
            return None
        head = token[0]
        while head.dep_ in ("det", "compound", "amod") and head.head.i > head.i:
            head = head.head
        b = self.resolver.noun_phrase(head)
        return b if b is not None and not b.weak else None

    def hinted(self, d: Deontic, span: Span) -> Bearer | None:
        if d.bearer_hint in ("object-of-to", "object-of-of"):
            to = next((t for t in d.phrase if t.lower_ == d.bearer_hint[10:]), None)
            target = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            return self.resolver.noun_phrase(target) if target is not None else None
        return Bearer(d.bearer_hint, plural=d.bearer_hint in self.vocab["plural_kinds"])

    def context_bearer(self, part: int | None) -> Bearer:
        """Who does what an item without subject or lead-in says: the body its section is about
        ("Secretariat", "Role of the Co-Chairs"), else the network."""
        heading = self._section(part) or ""
        words = re.findall(r"[a-z][\w\-]*", heading.lower())
        kind = kind_of_words(words) if words else None
        return Bearer(kind, None, heading) if kind and kind != "un-entity" else NETWORK

    # --- structure helpers ------------------------------------------------------------------
    def _part_kind(self, part: int | None) -> str | None:
        while part is not None:
            kind = self.seg.parts[part].kind
            if kind != "lead-in":
                return kind
            part = self.seg.parts[part].parent
        return None

    def _section(self, part: int | None) -> str | None:
        while part is not None:
            p = self.seg.parts[part]
            if p.kind in ("section", "annex"):
                return p.heading
            part = p.parent
        return None


ACTION_CUT = re.compile(r"[,;:(\n]|\s(?:to ensure|in order to|including|as well as|so as to|which|who)\s")


def _action(root: Token, clean: str, start: int, end: int, phrase: tuple[Token, ...] = ()) -> tuple[str, str, str | None]:
    """``(action, head lemma, object)``: a short verb phrase led by the lemma of its head
    ("provide overall guidance to the work"); after a deontic phrase, the verb it governs ("is
    responsible for servicing ..." -> "service ..."); for a passive, the lemma and its subject
    ("establish an Executive Committee")."""
    head = root
    if phrase:
        after = [t for t in root.doc[phrase[-1].i + 1:phrase[-1].i + 3] if t.idx < end]
        head = next((t for t in after if t.pos_ == "VERB"), root)
    xcomp = next((c for c in head.children if c.dep_ in ("xcomp", "pcomp") and c.pos_ == "VERB"), None)
    if xcomp is not None and head.lemma_.lower() in LIGHT_VERBS | {"be"}:
        head = xcomp
    verb, last = lemma(head), hyphen_head(head)
    obj = next((c for c in last.rights if c.dep_ in ("dobj", "attr")), None)
    subject = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
    if subject is not None and verb in bearer_vocabulary()["self_passives"]:
        rest = clean[last.idx + len(last):end]      # "be guided by the UN Charter": its subject bears it
        words = ["be", last.text.lower(), *ACTION_CUT.split(rest, maxsplit=1)[0].split()[:7]]
    elif obj is None and subject is not None and subject.pos_ in ("NOUN", "PROPN") and start <= subject.idx < end:
        obj = subject                       # the passive's subject is what is acted on
        words = _phrase_words(subject, clean, start, min(end, head.idx))
    else:
        rest = clean[last.idx + len(last):end]
        words = ACTION_CUT.split(rest, maxsplit=1)[0].split()[:8]
    described = " ".join(_phrase_words(obj, clean, start, end)) if obj is not None else None
    action = " ".join(words if words[:1] == ["be"] else [verb, *words]).strip().rstrip(".;")
    return action, verb, described


def _phrase_words(head: Token, clean: str, start: int, end: int, limit: int = 8) -> list[str]:
    """The words of the noun phrase headed by ``head`` (up to ``limit``), from the cleaned text."""
    left = max(start, head.left_edge.idx)
    right = min(end, head.right_edge.idx + len(head.right_edge))
    words = ACTION_CUT.split(clean[left:right], maxsplit=1)[0].split()[:limit]
    if words and words[0] in ("The", "A", "An", "All", "Each", "Any", "These", "This", "Such"):
        words[0] = words[0].lower()
    if words:
        words[-1] = words[-1].rstrip(".;")
    return words


CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split())


def _temporal_or_number(token: Token) -> bool:
    """A date, day or number word taken for a proper noun ("In March ...", "2021 will see ..."):
    never a named outside actor. Read from the tagger and the word, not the statistical NER."""
    return token.like_num or token.tag_ == "CD" or token.lower_ in CALENDAR_WORDS
