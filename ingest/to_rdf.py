"""Extraction -> RDF triples for the document's named graph (docs/graph-model.md).

Plain data in, plain triples out: no store access, so the same function serves stored documents
and in-memory drafts.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD
from rdflib.term import Node

from torkg import __version__, iris
from torkg.iris import NIF, ORG, TOR
from torkg.ingest.model import Extraction, Fact, Mention, Provision

Triple = tuple[Node, Node, Node]

DOC_CLASSES = {"terms-of-reference": TOR.TermsOfReference, "guidance": TOR.GuidanceNote,
               "briefing": TOR.Briefing}
LEVELS = {"global": TOR.GlobalLevel, "regional": TOR.RegionalLevel, "country": TOR.CountryLevel}
NETWORK_CLASSES = {"global": TOR.GlobalNetwork, "regional": TOR.RegionalNetwork,
                   "country": TOR.CountryNetwork}
MODALITY_CLASSES = {"obligation": TOR.Obligation, "permission": TOR.Permission,
                    "prohibition": TOR.Prohibition, "recommendation": TOR.Recommendation}
PART_CLASSES = {
    "title": TOR.Title, "heading": TOR.Heading, "section": TOR.Section, "paragraph": TOR.Paragraph,
    "numbered-paragraph": TOR.NumberedParagraph, "list-item": TOR.ListItem, "lead-in": TOR.LeadIn,
    "footnote": TOR.Footnote, "table": TOR.Table, "table-row": TOR.TableRow, "annex": TOR.Annex,
    "member-list": TOR.MemberList,
}
BODY_CLASSES = {
    "coordinator": TOR.Coordinator, "secretariat": TOR.Secretariat,
    "executive-committee": TOR.ExecutiveCommittee, "working-group": TOR.WorkingGroup,
    "task-team": TOR.TaskTeam, "co-chairs": TOR.CoChairs, "annual-meeting": TOR.AnnualMeeting,
    "capacity-building-mechanism": TOR.CapacityBuildingMechanism,
    "decision-making-body": TOR.DecisionMakingBody,
}
POSTS = {"coordinator", "co-chairs"}
DECISION_RULES = {"consensus": TOR.Consensus, "majority": TOR.MajorityVote,
                  "unanimity": TOR.Unanimity}
MENTION_TARGETS = {
    "un-entity": iris.un_entity_iri, "instrument": iris.instrument_iri,
    "working-principle": iris.working_principle_iri, "gcm-principle": iris.gcm_principle_iri,
    "gcm-objective": lambda k: iris.gcm_objective_iri(int(k)), "stakeholder": iris.stakeholder_iri,
    "theme": iris.theme_iri, "country": iris.country_iri,
}
ADDRESSED_KINDS = {"gcm-objective", "theme"}


@dataclass(frozen=True)
class Run:
    """The extraction run a document graph was produced by."""

    id: str
    started: datetime
    ended: datetime
    model_name: str
    model_version: str

    @staticmethod
    def now(model_name: str, model_version: str, started: datetime | None = None) -> "Run":
        ended = datetime.now(timezone.utc).replace(microsecond=0)
        started = started or ended
        return Run(f"{started:%Y%m%dT%H%M%S}-{model_name}", started, ended, model_name, model_version)


def mention_target(m: Mention) -> URIRef | None:
    make = MENTION_TARGETS.get(m.kind)
    try:
        return make(m.key) if make else None
    except ValueError:
        return None


def document_triples(ex: Extraction, run: Run, known_entities: frozenset[str] = frozenset()) -> list[Triple]:
    """All triples of one document's named graph."""
    return list(_Writer(ex, run, known_entities).triples())


class _Writer:
    def __init__(self, ex: Extraction, run: Run, known_entities: frozenset[str]):
        self.ex, self.run, self.known = ex, run, known_entities
        self.meta = ex.meta
        self.doc = iris.doc_iri(self.meta.id)
        self.net = iris.network_iri(self.meta.network) if self.meta.network else None
        self.run_iri = iris.run_iri(run.id)
        self.out: list[Triple] = []

    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.out.append((s, p, o))

    def span(self, start: int, end: int, cls: URIRef = TOR.TextSpan) -> URIRef:
        s = iris.span_iri(self.meta.id, start, end)
        self.add(s, RDF.type, cls)
        self.add(s, RDF.type, NIF.OffsetBasedString)
        self.add(s, NIF.referenceContext, self.doc)
        self.add(s, NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger))
        self.add(s, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger))
        self.add(s, NIF.anchorOf, Literal(self.ex.text[start:end]))
        return s

    def triples(self) -> Iterator[Triple]:
        self.document()
        part_iris = self.parts()
        self.mentions()
        for p in self.ex.provisions:
            self.provision(p, part_iris)
        self.network()
        for f in self.ex.facts:
            self.fact(f)
        self.run_description()
        return iter(self.out)

    # -- document -------------------------------------------------------------------------
    def document(self) -> None:
        m, d, src = self.meta, self.doc, self.ex.source
        self.add(d, RDF.type, DOC_CLASSES.get(m.doc_type or "", TOR.GovernanceDocument))
        self.add(d, RDF.type, NIF.Context)
        self.add(d, DCTERMS.identifier, Literal(m.id))
        self.add(d, DCTERMS.title, Literal(m.title) if m.title else None)
        self.add(d, DCTERMS.language, Literal(m.language))
        self.add(d, DCTERMS.date, Literal(m.date) if m.date else None)
        self.add(d, DCTERMS.source, Literal(m.source) if m.source else None)
        self.add(d, TOR.level, LEVELS.get(m.level or ""))
        if m.country:
            self.add(d, DCTERMS.spatial, iris.country_iri(m.country))
        if m.region:
            self.add(d, DCTERMS.spatial, iris.region_iri(m.region))
        if m.parent and m.parent != m.id:
            self.add(d, TOR.parentDocument, iris.doc_iri(m.parent))
        if self.net is not None:
            rel = TOR.constitutes if m.doc_type == "terms-of-reference" else TOR.describes
            self.add(d, rel, self.net)
        self.add(d, TOR.contentHash, Literal(src.content_hash))
        self.add(d, TOR.mediaType, Literal(src.media_type))
        self.add(d, TOR.extractorVersion, Literal(__version__))
        self.add(d, NIF.isString, Literal(src.text))
        self.add(d, PROV.wasGeneratedBy, self.run_iri)
        for field in m.inferred:
            self.add(d, TOR.inferredField, Literal(field))

    def parts(self) -> list[URIRef]:
        out = []
        for part in self.ex.parts:
            s = self.span(part.start, part.end, PART_CLASSES.get(part.kind, TOR.DocumentPart))
            out.append(s)
            self.add(s, TOR.number, Literal(part.number) if part.number else None)
            self.add(s, TOR.marker, Literal(part.marker) if part.marker else None)
            self.add(s, TOR.headingText, Literal(part.heading) if part.heading else None)
        for part, s in zip(self.ex.parts, out):
            self.add(s, DCTERMS.isPartOf, self.parent_of(part, s, out))
        return out

    def parent_of(self, part, own: URIRef, out: list[URIRef]) -> URIRef:
        """The nearest enclosing part with a span of its own (parts with equal spans share an
        IRI, so a part is never its own parent), else the document."""
        seen = set()
        while part.parent is not None and part.parent < len(out) and part.parent not in seen:
            seen.add(part.parent)
            if out[part.parent] != own:
                return out[part.parent]
            part = self.ex.parts[part.parent]
        return self.doc

    def mentions(self) -> None:
        for m in self.ex.mentions:
            target = mention_target(m)
            if target is None:
                continue
            s = iris.mention_iri(self.meta.id, m.start, m.end)
            self.add(s, RDF.type, TOR.Mention)
            self.add(s, RDF.type, NIF.OffsetBasedString)
            self.add(s, NIF.referenceContext, self.doc)
            self.add(s, NIF.beginIndex, Literal(m.start, datatype=XSD.nonNegativeInteger))
            self.add(s, NIF.endIndex, Literal(m.end, datatype=XSD.nonNegativeInteger))
            self.add(s, NIF.anchorOf, Literal(self.ex.text[m.start:m.end]))
            self.add(s, TOR.denotes, target)
            if m.kind == "un-entity":
                self.entity(m.key)

    def entity(self, notation: str) -> URIRef:
        """An entity IRI; entities unknown to the reference data are described in place."""
        e = iris.un_entity_iri(notation)
        if notation not in self.known:
            self.add(e, RDF.type, TOR.UNEntity)
            self.add(e, SKOS.notation, Literal(notation))
            self.add(e, SKOS.prefLabel, Literal(notation, lang="en"))
        return e

    # -- provisions -----------------------------------------------------------------------
    def bearer(self, p: Provision) -> URIRef | None:
        if p.bearer_kind == "un-entity" and p.bearer_key:
            return self.entity(p.bearer_key)
        if self.net is None:
            return None
        if p.bearer_kind == "network":
            return self.net
        if p.bearer_kind in BODY_CLASSES:
            return iris.body_iri(self.meta.network, p.bearer_kind)
        return None

    def provision(self, p: Provision, part_iris: list[URIRef]) -> None:
        s = iris.provision_iri(self.meta.id, p.start, p.end)
        self.add(s, RDF.type, MODALITY_CLASSES[p.modality])
        self.add(s, TOR.inDocument, self.doc)
        self.add(s, TOR.evidence, self.span(p.start, p.end))
        if p.part is not None and p.part < len(part_iris):
            self.add(s, TOR.inPart, part_iris[p.part])
        if p.lead_in:
            self.add(s, TOR.continues, self.span(*p.lead_in, TOR.LeadIn))
        self.add(s, TOR.bearerKind, iris.bearer_kind_iri(p.bearer_kind))
        self.add(s, TOR.bearer, self.bearer(p))
        for prop, value in ((TOR.bearerText, p.bearer_text), (TOR.actionLemma, p.action_lemma),
                            (TOR.action, p.action), (TOR.object, p.object),
                            (TOR.condition, p.condition), (TOR.frequencyText, p.frequency_text)):
            self.add(s, prop, Literal(value) if value else None)
        if p.frequency:
            self.add(s, TOR.frequency, Literal(p.frequency, datatype=XSD.duration))
        self.add(s, TOR.negated, Literal(bool(p.negated)))
        self.add(s, PROV.wasGeneratedBy, self.run_iri)
        for m in p.mentions:
            target = mention_target(m)
            if target is not None:
                self.add(s, TOR.addresses if m.kind in ADDRESSED_KINDS else TOR.mentions, target)

    # -- network structure ----------------------------------------------------------------
    def network(self) -> None:
        m, net = self.meta, self.net
        if net is None:
            return
        self.add(net, RDF.type, NETWORK_CLASSES.get(m.level or "", TOR.MigrationNetwork))
        self.add(net, RDF.type, ORG.OrganizationalCollaboration)
        self.add(net, SKOS.prefLabel, Literal(m.network_name, lang="en") if m.network_name else None)
        self.add(net, TOR.level, LEVELS.get(m.level or ""))
        if m.level in ("regional", "country"):
            self.add(net, TOR.parentNetwork, iris.network_iri("global"))
        if m.country:
            self.add(net, DCTERMS.spatial, iris.country_iri(m.country))

    def body(self, kind: str) -> URIRef:
        assert self.net is not None and self.meta.network
        b = iris.body_iri(self.meta.network, kind)
        self.add(b, RDF.type, BODY_CLASSES[kind])
        if kind in POSTS:
            self.add(b, RDF.type, ORG.Post)
            self.add(b, ORG.postIn, self.net)
        else:
            self.add(b, RDF.type, ORG.OrganizationalUnit)
            self.add(b, ORG.unitOf, self.net)
            self.add(self.net, ORG.hasUnit, b)
        return b

    def fact(self, f: Fact) -> None:
        if self.net is None:
            return
        for s, p, o in self.fact_triples(f):
            self.add(s, p, o)
            st = iris.statement_iri(self.meta.id, s, p, o)
            self.add(st, RDF.type, RDF.Statement)
            self.add(st, RDF.subject, s)
            self.add(st, RDF.predicate, p)
            self.add(st, RDF.object, o)
            self.add(st, TOR.statedIn, self.doc)
            self.add(st, TOR.evidence, self.span(f.start, f.end))

    def fact_triples(self, f: Fact) -> list[Triple]:
        net, v = self.net, f.value
        assert net is not None
        if f.key == "coordinator":
            post = self.body("coordinator")
            return [(net, TOR.coordinatedBy, self.entity(v)), (post, ORG.heldBy, self.entity(v))]
        if f.key == "secretariat":
            self.body("secretariat")
            return [(net, TOR.secretariatProvidedBy, self.entity(v))]
        if f.key == "co_chairs":
            post = self.body("co-chairs")
            return [(net, TOR.coChairedBy, self.entity(v)), (post, ORG.heldBy, self.entity(v))]
        if f.key == "members":
            return [(net, ORG.hasMember, self.entity(v))]
        if f.key == "executive_committee":
            return [(self.body("executive-committee"), ORG.hasMember, self.entity(v))]
        if f.key == "decision_rule" and v in DECISION_RULES:
            return [(net, TOR.decisionRule, DECISION_RULES[v])]
        if f.key == "guided_by":
            return [(net, TOR.guidedBy, iris.instrument_iri(v))]
        if f.key == "working_principles":
            return [(net, TOR.namesPrinciple, iris.working_principle_iri(v))]
        if f.key == "stakeholders":
            return [(net, TOR.engages, iris.stakeholder_iri(v))]
        if f.key == "bodies" and v in BODY_CLASSES:
            b = self.body(v)
            return [(b, ORG.postIn if v in POSTS else ORG.unitOf, net)]
        if f.key == "open_membership" and v == "true":
            return [(net, TOR.openMembership, Literal(True))]
        if f.key == "adopts_global_principles" and v == "true":
            return [(net, TOR.adoptsPrinciplesOf, iris.network_iri("global"))]
        if f.key == "meeting_frequency":
            target = self.body(f.body) if f.body in BODY_CLASSES else net
            return [(target, TOR.meetingFrequency, Literal(v, datatype=XSD.duration))]
        return []

    def run_description(self) -> None:
        r, s = self.run, self.run_iri
        self.add(s, RDF.type, TOR.ExtractionRun)
        self.add(s, RDF.type, PROV.Activity)
        self.add(s, PROV.startedAtTime, Literal(r.started.isoformat(), datatype=XSD.dateTime))
        self.add(s, PROV.endedAtTime, Literal(r.ended.isoformat(), datatype=XSD.dateTime))
        self.add(s, TOR.softwareVersion, Literal(__version__))
        self.add(s, TOR.modelName, Literal(r.model_name))
        self.add(s, TOR.modelVersion, Literal(r.model_version))
