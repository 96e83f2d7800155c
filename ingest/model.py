"""Plain data passed between the ingestion stages.

text -> ``Part`` list (segment) -> ``Unit`` list (candidate provisions) -> spaCy ``Doc`` ->
``Mention`` / ``Provision`` / ``Fact`` lists -> ``Extraction`` -> RDF (to_rdf).

Offsets are half-open Python ``str`` indices into ``Extraction.text``: the document's text exactly
as read (UTF-8, universal newlines) for Markdown and plain text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MODALITIES = ("obligation", "permission", "prohibition", "recommendation")
LEVELS = ("global", "regional", "country")
BEARER_KINDS = (
    "network", "executive-committee", "coordinator", "secretariat", "working-group", "task-team",
    "members", "co-chairs", "secretary-general", "decision-making-body",
    "capacity-building-mechanism", "member-states", "stakeholders", "un-entity", "unspecified",
)
BODY_KINDS = (
    "coordinator", "secretariat", "executive-committee", "working-group", "task-team", "co-chairs",
    "annual-meeting", "capacity-building-mechanism", "decision-making-body",
)
PART_KINDS = (
    "title", "heading", "section", "paragraph", "numbered-paragraph", "list-item", "lead-in",
    "footnote", "table", "table-row", "annex", "member-list",
)


@dataclass(frozen=True)
class DocumentMeta:
    """What the catalog (or inference from the text, or flags) says about a document."""

    id: str
    title: str | None = None
    doc_type: str | None = None        # terms-of-reference | guidance | briefing | other
    level: str | None = None           # global | regional | country | None (not a network document)
    network: str | None = None         # network id, e.g. "global", "asia-pacific", "kyrgyzstan"
    network_name: str | None = None
    country: str | None = None         # ISO 3166-1 alpha-2
    region: str | None = None          # UN M49 code
    date: str | None = None            # ISO 8601 date or year-month
    language: str = "en"
    parent: str | None = None          # parent ToR's document id
    source: str | None = None          # where the document comes from (URL or citation)
    inferred: tuple[str, ...] = ()     # which fields were inferred from the text


@dataclass(frozen=True)
class SourceText:
    """A document read into plain text. ``offsets`` maps text positions back to the source bytes
    or page/paragraph positions where the format is not plain text (empty for .md/.txt)."""

    path: str
    text: str
    media_type: str
    content_hash: str                  # sha256 of the source bytes
    offsets: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Part:
    """A structural part of the document: heading, numbered paragraph, list item, footnote..."""

    kind: str                          # one of PART_KINDS
    start: int
    end: int
    parent: int | None = None          # index into the part list, None = the document itself
    number: str | None = None          # "7", "1.1", "(a)", "i."
    marker: str | None = None          # a trailing/leading marker, e.g. "*" for executive committee
    heading: str | None = None         # for sections: the heading text (markup stripped)


@dataclass(frozen=True)
class Unit:
    """One candidate provision: a sentence or a list item (the smallest of the two)."""

    start: int
    end: int
    part: int | None = None            # index of the part that holds it
    lead_in: tuple[int, int] | None = None   # span of the lead-in sentence this item continues
    section: str | None = None         # heading of the enclosing section


@dataclass(frozen=True)
class Mention:
    """A mention of a reference resource (UN entity, instrument, principle, objective...)."""

    start: int
    end: int
    kind: str                          # un-entity | instrument | working-principle | gcm-principle |
                                       # gcm-objective | stakeholder | theme | body | network
    key: str                           # the reference key, e.g. "IOM", "un-charter", "7"
    text: str


@dataclass(frozen=True)
class Provision:
    start: int
    end: int
    modality: str                      # one of MODALITIES
    bearer_kind: str                   # one of BEARER_KINDS
    bearer_key: str | None = None      # for un-entity bearers: the entity's notation ("IOM")
    bearer_text: str | None = None     # the words that name the bearer
    action_lemma: str | None = None    # head verb lemma, e.g. "provide"
    action: str | None = None          # short verb phrase, e.g. "provide overall guidance"
    object: str | None = None
    condition: str | None = None       # "where such action would add value"
    frequency: str | None = None       # xsd:duration, e.g. "P1Y", "P3M"
    frequency_text: str | None = None
    negated: bool = False
    part: int | None = None
    lead_in: tuple[int, int] | None = None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A structural fact about the network a document sets up or describes.

    ``key`` follows the structure export (SCHEMA.md section 2): coordinator, secretariat,
    co_chairs, members, executive_committee, decision_rule, guided_by, working_principles,
    bodies; plus meeting_frequency, adopts_global_principles, parent_network, stakeholders.
    """

    key: str
    value: str
    start: int
    end: int
    body: str | None = None            # for meeting_frequency: which body meets


@dataclass
class Extraction:
    """Everything ingestion learnt from one document."""

    meta: DocumentMeta
    source: SourceText
    parts: list[Part] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.source.text
