"""Write the alignment test fixtures (``tests/data/alignment/*.ttl``) from short texts.

Run ``python tests/data/alignment/make_fixtures.py`` after changing a text below; the fixtures
are checked in, so tests never depend on this script or on the ingestion pipeline. Each fixture
is a document graph as docs/graph-model.md lays it out (parts, provisions with themes, mentions,
network facts reified with evidence), its offsets computed from the text, so that the
structural-quality shapes validate every fixture.

- ``global.ttl``       a condensed global ToR: mission, nine objectives, eight working principles,
                       membership, decision-making, review
- ``aligned.ttl``      a country ToR meeting every requirement, mostly in other words
- ``alternative.ttl``  a country ToR meeting them by the other routes the shapes accept
- ``missing.ttl``      a country ToR that says nothing the requirements ask for
- ``conflict.ttl``     a regional ToR contradicting the global one (coordinator, secretariat,
                       majority voting, restricted membership, biennial review)
"""
from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS, XSD

from torkg import iris
from torkg.iris import NIF, TOR

HERE = Path(__file__).resolve().parent
BODY_CLASSES = {"executive-committee": TOR.ExecutiveCommittee, "working-group": TOR.WorkingGroup,
                "task-team": TOR.TaskTeam, "annual-meeting": TOR.AnnualMeeting}
PART_CLASSES = {"title": TOR.Title, "heading": TOR.Heading, "section": TOR.Section,
                "paragraph": TOR.Paragraph, "numbered-paragraph": TOR.NumberedParagraph,
                "list-item": TOR.ListItem, "lead-in": TOR.LeadIn}
LEVELS = {"global": (TOR.GlobalLevel, TOR.GlobalNetwork), "regional": (TOR.RegionalLevel, TOR.RegionalNetwork),
          "country": (TOR.CountryLevel, TOR.CountryNetwork)}


class Doc:
    """A document graph under construction; every span is given by a unique quote of the text."""

    def __init__(self, doc_id: str, network: str, level: str, title: str, text: str):
        self.id, self.text, self.g = doc_id, text, Graph()
        for prefix, ns in iris.PREFIXES.items():
            self.g.bind(prefix, ns)
        self.doc, self.net = iris.doc_iri(doc_id), iris.network_iri(network)
        self.network_id = network
        level_iri, network_class = LEVELS[level]
        g = self.g
        g.add((self.doc, RDF.type, TOR.TermsOfReference))
        g.add((self.doc, RDF.type, NIF.Context))
        g.add((self.doc, DCTERMS.identifier, Literal(doc_id)))
        g.add((self.doc, DCTERMS.title, Literal(title)))
        g.add((self.doc, TOR.level, level_iri))
        g.add((self.doc, TOR.constitutes, self.net))
        g.add((self.doc, NIF.isString, Literal(text)))
        g.add((self.net, RDF.type, network_class))
        g.add((self.net, TOR.level, level_iri))
        g.add((self.net, SKOS.prefLabel, Literal(title, lang="en")))

    def find(self, quote: str, after: int | None = None) -> tuple[int, int]:
        """The offsets of ``quote``: the only occurrence, or the first at or after ``after``."""
        start = self.text.find(quote, after or 0)
        if start < 0 or (after is None and self.text.find(quote, start + 1) >= 0):
            raise ValueError(f"{self.id}: quote not found once: {quote!r}")
        return start, start + len(quote)

    def span(self, quote: str, cls=TOR.TextSpan, after: int | None = None) -> URIRef:
        start, end = self.find(quote, after)
        s = iris.span_iri(self.id, start, end)
        self.g.add((s, RDF.type, cls))
        self.g.add((s, RDF.type, NIF.OffsetBasedString))
        self.g.add((s, NIF.referenceContext, self.doc))
        self.g.add((s, NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)))
        self.g.add((s, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))
        self.g.add((s, NIF.anchorOf, Literal(self.text[start:end])))
        return s

    def part(self, kind: str, quote: str, parent: URIRef | None = None, number: str | None = None) -> URIRef:
        s = self.span(quote, PART_CLASSES[kind])
        self.g.add((s, SKOS.notation, Literal(kind)))
        self.g.add((s, DCTERMS.isPartOf, parent or self.doc))
        if number:
            self.g.add((s, TOR.number, Literal(number)))
        return s

    def section(self, heading: str, body_quote: str) -> URIRef:
        """A section from its heading (a line of its own) to the end of ``body_quote``, and its heading."""
        found = [m.start() for m in re.finditer(rf"^{re.escape(heading)}$", self.text, re.MULTILINE)]
        if len(found) != 1:
            raise ValueError(f"{self.id}: heading line not found once: {heading!r}")
        start = found[0]
        _, end = self.find(body_quote)
        sec = self.span(self.text[start:end], TOR.Section)
        self.g.add((sec, SKOS.notation, Literal("section")))
        self.g.add((sec, DCTERMS.isPartOf, self.doc))
        self.g.add((sec, TOR.headingText, Literal(heading)))
        head = self.span(heading, TOR.Heading, after=start)
        self.g.add((head, SKOS.notation, Literal("heading")))
        self.g.add((head, DCTERMS.isPartOf, sec))
        return sec

    def mention(self, quote: str, target: URIRef) -> URIRef:
        start, end = self.find(quote)
        m = iris.mention_iri(self.id, start, end)
        for p, o in ((RDF.type, TOR.Mention), (RDF.type, NIF.OffsetBasedString), (NIF.referenceContext, self.doc),
                     (NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)),
                     (NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)),
                     (NIF.anchorOf, Literal(quote)), (TOR.denotes, target)):
            self.g.add((m, p, o))
        return m

    def provision(self, quote: str, modality=TOR.Obligation, bearer: str = "network", themes=(), mentions=(),
                  lemma: str | None = None, frequency: str | None = None, negated: bool = False,
                  part: URIRef | None = None, lead_in: URIRef | None = None) -> URIRef:
        start, end = self.find(quote)
        p = iris.provision_iri(self.id, start, end)
        g = self.g
        g.add((p, RDF.type, modality))
        g.add((p, TOR.inDocument, self.doc))
        g.add((p, TOR.evidence, self.span(quote)))
        g.add((p, TOR.bearerKind, iris.bearer_kind_iri(bearer)))
        if bearer == "network":
            g.add((p, TOR.bearer, self.net))
        g.add((p, TOR.negated, Literal(negated)))
        if part is not None:
            g.add((p, TOR.inPart, part))
        if lead_in is not None:
            g.add((p, TOR.continues, lead_in))
        if lemma:
            g.add((p, TOR.actionLemma, Literal(lemma)))
        if frequency:
            g.add((p, TOR.frequency, Literal(frequency, datatype=XSD.duration)))
        for key, words in themes:
            g.add((p, TOR.addresses, iris.theme_iri(key)))
            self.mention(words, iris.theme_iri(key))
        for target in mentions:
            g.add((p, TOR.mentions, target))
        return p

    def fact(self, predicate: URIRef, value, quote: str, subject: URIRef | None = None) -> None:
        subject = subject or self.net
        self.g.add((subject, predicate, value))
        st = iris.statement_iri(self.id, subject, predicate, value)
        for p, o in ((RDF.type, RDF.Statement), (RDF.subject, subject), (RDF.predicate, predicate),
                     (RDF.object, value), (TOR.statedIn, self.doc), (TOR.evidence, self.span(quote))):
            self.g.add((st, p, o))

    def body(self, kind: str, quote: str) -> URIRef:
        b = iris.body_iri(self.network_id, kind)
        self.g.add((b, RDF.type, BODY_CLASSES[kind]))
        self.g.add((b, RDF.type, ORG.OrganizationalUnit))
        self.g.add((self.net, ORG.hasUnit, b))
        self.fact(ORG.unitOf, self.net, quote, subject=b)
        return b

    def write(self, name: str, header: str) -> None:
        body = self.g.serialize(format="turtle")
        (HERE / name).write_text(f"# {header}\n# Generated by make_fixtures.py: edit the text there and re-run.\n\n{body}",
                                 encoding="utf-8")


def theme(key: str) -> URIRef:
    return iris.theme_iri(key)


# --- the global ToR ----------------------------------------------------------------------------

GLOBAL_TEXT = """Terms of Reference for the UN Network on Migration

Mission Statement

The United Nations system is committed to supporting the implementation, follow-up and review of the Global Compact for Safe, Orderly and Regular Migration (GCM). The Network will prioritize the rights and wellbeing of migrants and their communities. In all its actions the Network will be guided by the United Nations Charter, international law, the Agenda 2030 and the GCM.

Objectives

1. The objectives of the Network are to:
- Ensure effective, timely, coordinated UN system-wide support to Member States in their implementation, follow-up and review of the GCM;
- Support coherent action by the UN system at country, regional and global levels in support of GCM implementation;
- Act as a source of ideas, tools, reliable data and information, analysis, and policy guidance on migration issues;
- Ensure Network actions promote the application of relevant international and regional norms and standards and the protection of the human rights of migrants;
- Provide leadership to mobilize coordinated action on migration by the UN system, including by speaking with one voice;
- Ensure close collaboration with other existing UN system coordination mechanisms, avoiding duplication;
- Establish and provide support to the capacity building mechanism, as outlined in the GCM;
- Engage with external partners, including migrants, civil society and the private sector;
- Report to the Secretary-General on the implementation of the GCM.

Working Principles

2. In its work, the Network will be guided by the following principles:
- Accountability: the Network will be accountable to the Secretary-General;
- Human rights-based, gender-responsive and child-sensitive approach;
- Coherence across the UN system;
- Unity of purpose among members;
- Efficiency in all its activities;
- Inclusivity in its working methods;
- Results-oriented work;
- Agility in its methods.

Membership and Structure

3. The Network will consist of those members of the UN system who wish to be a part of it. Within that Network, an Executive Committee will be established.
5. IOM will serve as the Coordinator and Secretariat of the Network.
6. The Network will include Working Groups.

Decision-making

7. The Network will endeavour to take all decisions by consensus. All decisions will be taken in full respect of the mandates of Network members.

Review and annual meeting

37. The Coordinator will convene an annual meeting of the full membership of the Network to review Network progress.
"""

OBJECTIVES = [
    ("- Ensure effective, timely", [("gcm-implementation", "implementation, follow-up and review of the GCM;")]),
    ("- Support coherent action", [("system-coherence", "coherent action")]),
    ("- Act as a source of ideas", [("data-knowledge", "reliable data")]),
    ("- Ensure Network actions promote", [("norms-standards", "norms and standards")]),
    ("- Provide leadership", [("one-voice", "speaking with one voice")]),
    ("- Ensure close collaboration", [("coordination-mechanisms", "avoiding duplication")]),
    ("- Establish and provide support", [("capacity-building", "capacity building mechanism")]),
    ("- Engage with external partners", [("stakeholder-engagement", "Engage with external partners")]),
    ("- Report to the Secretary-General", [("reporting-secretary-general", "Report to the Secretary-General")]),
]
PRINCIPLES = ["accountability", "human-rights-based-approach", "coherence", "unity-of-purpose", "efficiency",
              "inclusivity", "results-oriented", "agility"]


def line(text: str, start_quote: str) -> str:
    """The whole line of ``text`` that starts with ``start_quote``."""
    start = text.index(start_quote)
    return text[start:text.index("\n", start)]


def build_global() -> Doc:
    d = Doc("global-tor", "global", "global", "Terms of Reference for the UN Network on Migration", GLOBAL_TEXT)
    t = d.text
    d.part("title", "Terms of Reference for the UN Network on Migration")
    mission = d.section("Mission Statement", "the Agenda 2030 and the GCM.")
    d.part("paragraph", line(t, "The United Nations system is committed"), mission)
    d.mention("implementation, follow-up and review of the Global Compact", theme("gcm-implementation"))
    d.provision("The Network will prioritize the rights and wellbeing of migrants and their communities.",
                themes=[("migrant-rights-wellbeing", "rights and wellbeing of migrants")])
    guided = "In all its actions the Network will be guided by the United Nations Charter, international law, the Agenda 2030 and the GCM."
    d.provision(guided, lemma="guide")
    for key in ("un-charter", "international-law", "agenda-2030", "gcm"):
        d.fact(TOR.guidedBy, iris.instrument_iri(key), guided)

    objectives = d.section("Objectives", "on the implementation of the GCM.")
    para1 = d.part("numbered-paragraph", "1. The objectives of the Network are to:", objectives, "1")
    lead = d.part("lead-in", "The objectives of the Network are to:", para1)
    for start_quote, themes in OBJECTIVES:
        item = d.part("list-item", line(t, start_quote), para1)
        d.provision(line(t, start_quote)[2:], themes=themes, part=item, lead_in=lead)
    d.fact(TOR.engages, iris.stakeholder_iri("civil-society"), line(t, "- Engage with external partners")[2:])

    principles = d.section("Working Principles", "- Agility in its methods.")
    para2 = d.part("numbered-paragraph", "2. In its work, the Network will be guided by the following principles:",
                   principles, "2")
    d.part("lead-in", "In its work, the Network will be guided by the following principles:", para2)
    for key, start_quote in zip(PRINCIPLES, ["- Accountability", "- Human rights-based", "- Coherence", "- Unity",
                                             "- Efficiency", "- Inclusivity", "- Results", "- Agility"]):
        item = d.part("list-item", line(t, start_quote), para2)
        d.fact(TOR.namesPrinciple, iris.working_principle_iri(key), line(t, start_quote))
        if key == "human-rights-based-approach":
            d.mention("Human rights-based", theme("rights-based-approach"))
        del item

    membership = d.section("Membership and Structure", "The Network will include Working Groups.")
    d.part("numbered-paragraph", line(t, "3. The Network will consist"), membership, "3")
    d.provision("The Network will consist of those members of the UN system who wish to be a part of it.",
                themes=[("open-membership", "who wish to be a part")])
    d.provision("Within that Network, an Executive Committee will be established.", bearer="unspecified",
                themes=[("core-group", "Executive Committee")])
    d.body("executive-committee", "Within that Network, an Executive Committee will be established.")
    d.part("numbered-paragraph", line(t, "5. IOM will serve"), membership, "5")
    serve = "IOM will serve as the Coordinator and Secretariat of the Network."
    d.provision(serve, bearer="un-entity")
    d.fact(TOR.coordinatedBy, iris.un_entity_iri("IOM"), serve)
    d.fact(TOR.secretariatProvidedBy, iris.un_entity_iri("IOM"), serve)
    d.part("numbered-paragraph", line(t, "6. The Network will include"), membership, "6")
    d.provision("The Network will include Working Groups.", themes=[("working-groups", "Working Groups")])
    d.body("working-group", "The Network will include Working Groups.")

    decisions = d.section("Decision-making", "in full respect of the mandates of Network members.")
    d.part("numbered-paragraph", line(t, "7. The Network will endeavour"), decisions, "7")
    consensus = "The Network will endeavour to take all decisions by consensus."
    d.provision(consensus, themes=[("consensus-decision", "by consensus")])
    d.fact(TOR.decisionRule, TOR.Consensus, consensus)
    d.provision("All decisions will be taken in full respect of the mandates of Network members.",
                bearer="unspecified", themes=[("respect-mandates", "respect of the mandates")])

    review = d.section("Review and annual meeting", "to review Network progress.")
    d.part("numbered-paragraph", line(t, "37. The Coordinator"), review, "37")
    annual = line(t, "37. The Coordinator")[4:]
    d.provision(annual, bearer="coordinator", lemma="convene", frequency="P1Y",
                themes=[("annual-review", "an annual meeting of"), ("progress-review", "review Network progress")])
    meeting = d.body("annual-meeting", annual)
    d.fact(TOR.meetingFrequency, Literal("P1Y", datatype=XSD.duration), annual, subject=meeting)
    return d


# --- checked ToRs ------------------------------------------------------------------------------

ALIGNED_TEXT = """UN Network on Migration in Ruritania: Terms of Reference

Mission

The UN Country Team establishes the Network to support the Government in implementing the GCM, with a focus on the human rights and well-being of migrants. The Network shall be guided by the UN Charter, international law, the Sustainable Development Goals and the GCM, and shall apply a rights-based approach.

Functions

The Network shall:
- support Member States in the implementation, follow-up and review of the GCM;
- promote coherent action by the UN system at country and regional levels;
- act as a source of reliable data, analysis and policy guidance on migration;
- promote international norms and standards and the protection of the human rights of migrants;
- provide leadership and speak with one voice on migration;
- collaborate with existing coordination mechanisms to avoid duplication;
- engage with civil society, migrant organizations and the private sector;
- provide regular updates to the global Network.

Structure

The Network shall be open to all UN entities that wish to join. IOM shall act as coordinator and provide the secretariat. A Steering Committee shall be set up. Task teams may be established.

Decisions

Decisions shall be taken by consensus, in full respect of the mandates of members. The Network adopts the working principles of the global Network.

Review

The Network shall hold an annual meeting to review progress.
"""


def build_aligned() -> Doc:
    d = Doc("aligned-tor", "ruritania", "country", "UN Network on Migration in Ruritania", ALIGNED_TEXT)
    t = d.text
    d.part("title", "UN Network on Migration in Ruritania: Terms of Reference")
    mission = d.section("Mission", "and shall apply a rights-based approach.")
    d.part("paragraph", line(t, "The UN Country Team"), mission)
    d.mention("implementing the GCM", theme("gcm-implementation"))
    d.mention("human rights and well-being of migrants", theme("migrant-rights-wellbeing"))
    guided = ("The Network shall be guided by the UN Charter, international law, the Sustainable Development "
              "Goals and the GCM, and shall apply a rights-based approach.")
    d.provision(guided, lemma="guide", themes=[("rights-based-approach", "rights-based")])
    for key in ("un-charter", "international-law", "sdgs", "gcm"):
        d.fact(TOR.guidedBy, iris.instrument_iri(key), guided)

    functions = d.section("Functions", "- provide regular updates to the global Network.")
    lead = d.part("lead-in", "The Network shall:", functions)
    items = {
        "- support Member States": [("gcm-implementation", "implementation, follow-up and review of the GCM")],
        "- promote coherent action": [("system-coherence", "coherent action")],
        "- act as a source": [("data-knowledge", "reliable data")],
        "- promote international norms": [("norms-standards", "norms and standards")],
        "- provide leadership": [("one-voice", "speak with one voice")],
        "- collaborate with existing": [("coordination-mechanisms", "avoid duplication")],
        "- engage with civil society": [("stakeholder-engagement", "engage with civil society")],
        "- provide regular updates": [("reporting-secretary-general", "updates to the global Network")],
    }
    for start_quote, themes in items.items():
        item = d.part("list-item", line(t, start_quote), functions)
        d.provision(line(t, start_quote)[2:], themes=themes, part=item, lead_in=lead)
    d.fact(TOR.engages, iris.stakeholder_iri("civil-society"), line(t, "- engage with civil society")[2:])

    structure = d.section("Structure", "Task teams may be established.")
    d.part("paragraph", line(t, "The Network shall be open"), structure)
    d.provision("The Network shall be open to all UN entities that wish to join.",
                themes=[("open-membership", "open to all UN entities")])
    coordinator = "IOM shall act as coordinator and provide the secretariat."
    d.provision(coordinator, bearer="un-entity")
    d.fact(TOR.coordinatedBy, iris.un_entity_iri("IOM"), coordinator)
    d.fact(TOR.secretariatProvidedBy, iris.un_entity_iri("IOM"), coordinator)
    d.provision("A Steering Committee shall be set up.", bearer="unspecified",
                themes=[("core-group", "Steering Committee")])
    d.body("executive-committee", "A Steering Committee shall be set up.")
    d.provision("Task teams may be established.", modality=TOR.Permission, bearer="unspecified",
                themes=[("working-groups", "Task teams")])
    d.body("task-team", "Task teams may be established.")

    decisions = d.section("Decisions", "The Network adopts the working principles of the global Network.")
    d.part("paragraph", line(t, "Decisions shall be taken"), decisions)
    consensus = "Decisions shall be taken by consensus, in full respect of the mandates of members."
    d.provision(consensus, bearer="unspecified", themes=[("consensus-decision", "by consensus"),
                                                         ("respect-mandates", "respect of the mandates")])
    d.fact(TOR.decisionRule, TOR.Consensus, consensus)
    adopts = "The Network adopts the working principles of the global Network."
    d.mention("principles of the global Network", theme("adopt-global-principles"))
    d.fact(TOR.adoptsPrinciplesOf, iris.network_iri("global"), adopts)

    review = d.section("Review", "to review progress.")
    annual = "The Network shall hold an annual meeting to review progress."
    d.part("paragraph", annual, review)
    d.provision(annual, lemma="hold", frequency="P1Y",
                themes=[("annual-review", "annual meeting"), ("progress-review", "review progress")])
    d.body("annual-meeting", annual)
    return d


ALTERNATIVE_TEXT = """Terms of Reference of the UN Migration Network of Arcadia

Purpose

The Network exists to advance the Global Compact for Migration in Arcadia and to protect migrants' rights. In its work the Network is guided by the Charter of the United Nations, international law, the 2030 Agenda and the Global Compact, and it applies a gender-responsive approach. It names accountability, inclusivity and coherence among its principles. Membership is open to every interested UN agency.

Tasks

The Network will:
- help the Government implement the Global Compact in Arcadia;
- bring coherent support from UN agencies at country level;
- collect and share data and research on migration;
- advocate international standards and the human rights of migrants;
- speak with one voice on behalf of the UN system;
- seek synergies with other coordination platforms;
- build capacity through the capacity-building mechanism;
- work with trade unions, employers and migrant associations;
- contribute to the Secretary-General's biennial report.

Organization

IOM will coordinate the Network and serve as its secretariat. A core group of five agencies will steer the work. Working groups will be formed as needed. The Network will meet every quarter. Decisions will be reached through consensus and without prejudice to the respective mandates of members.
"""


def build_alternative() -> Doc:
    d = Doc("alternative-tor", "arcadia", "country", "UN Migration Network of Arcadia", ALTERNATIVE_TEXT)
    t = d.text
    d.part("title", "Terms of Reference of the UN Migration Network of Arcadia")
    purpose = d.section("Purpose", "Membership is open to every interested UN agency.")
    d.part("paragraph", line(t, "The Network exists"), purpose)
    d.mention("advance the Global Compact", theme("gcm-implementation"))
    d.mention("migrants' rights", theme("migrant-rights-wellbeing"))
    guided = ("In its work the Network is guided by the Charter of the United Nations, international law, the 2030 "
              "Agenda and the Global Compact, and it applies a gender-responsive approach.")
    d.provision(guided, lemma="guide", mentions=[iris.instrument_iri(k) for k in
                                                 ("un-charter", "international-law", "agenda-2030", "gcm")])
    d.mention("gender-responsive", iris.gcm_principle_iri("gender-responsive"))
    names = "It names accountability, inclusivity and coherence among its principles."
    for key in ("accountability", "inclusivity", "coherence"):
        d.fact(TOR.namesPrinciple, iris.working_principle_iri(key), names)
    d.mention("open to every interested UN agency", theme("open-membership"))

    tasks = d.section("Tasks", "- contribute to the Secretary-General's biennial report.")
    lead = d.part("lead-in", "The Network will:", tasks)
    for start_quote in ("- help the Government", "- bring coherent support", "- collect and share data",
                        "- advocate international standards", "- speak with one voice", "- seek synergies",
                        "- build capacity", "- work with trade unions", "- contribute to the Secretary-General"):
        item = d.part("list-item", line(t, start_quote), tasks)
        d.provision(line(t, start_quote)[2:], part=item, lead_in=lead)
    d.mention("Secretary-General's biennial report", theme("reporting-secretary-general"))
    d.fact(TOR.engages, iris.stakeholder_iri("trade-unions"), line(t, "- work with trade unions")[2:])

    organization = d.section("Organization", "without prejudice to the respective mandates of members.")
    d.part("paragraph", line(t, "IOM will coordinate"), organization)
    coordinate = "IOM will coordinate the Network and serve as its secretariat."
    d.provision(coordinate, bearer="un-entity")
    d.fact(TOR.coordinatedBy, iris.un_entity_iri("IOM"), coordinate)
    d.fact(TOR.secretariatProvidedBy, iris.un_entity_iri("IOM"), coordinate)
    d.provision("A core group of five agencies will steer the work.", themes=[("core-group", "core group")])
    groups = "Working groups will be formed as needed."
    d.provision(groups, bearer="unspecified")
    d.body("working-group", groups)
    meet = "The Network will meet every quarter."
    d.provision(meet, lemma="meet", frequency="P3M")
    d.fact(TOR.meetingFrequency, Literal("P3M", datatype=XSD.duration), meet)
    d.provision("Decisions will be reached through consensus and without prejudice to the respective mandates of members.",
                bearer="unspecified", themes=[("consensus-decision", "through consensus"),
                                              ("respect-mandates", "prejudice to the respective mandates")])
    return d


MISSING_TEXT = """UN Migration Forum in Freedonia

The Forum will meet as needed. Members will share information on their activities.
"""


def build_missing() -> Doc:
    d = Doc("missing-tor", "freedonia", "country", "UN Migration Forum in Freedonia", MISSING_TEXT)
    d.part("title", "UN Migration Forum in Freedonia")
    body = d.part("paragraph", line(d.text, "The Forum will meet"))
    d.provision("The Forum will meet as needed.", lemma="meet", part=body)
    d.provision("Members will share information on their activities.", bearer="members", lemma="share", part=body)
    return d


CONFLICT_TEXT = """Terms of Reference of the Regional Migration Platform for Ultramar

Membership is limited to the entities listed in Annex 1. UNDP shall coordinate the Platform and UNHCR shall provide its secretariat.

Decisions shall be taken by a simple majority of the members present.

The Platform will meet every two years to review progress.
"""


def build_conflict() -> Doc:
    d = Doc("conflict-tor", "ultramar", "regional", "Regional Migration Platform for Ultramar", CONFLICT_TEXT)
    t = d.text
    d.part("title", "Terms of Reference of the Regional Migration Platform for Ultramar")
    d.part("paragraph", line(t, "Membership is limited"))
    d.provision("Membership is limited to the entities listed in Annex 1.", bearer="unspecified",
                themes=[("restricted-membership", "Membership is limited to")])
    coordinate = "UNDP shall coordinate the Platform and UNHCR shall provide its secretariat."
    d.provision(coordinate, bearer="un-entity")
    d.fact(TOR.coordinatedBy, iris.un_entity_iri("UNDP"), coordinate)
    d.fact(TOR.secretariatProvidedBy, iris.un_entity_iri("UNHCR"), coordinate)
    majority = "Decisions shall be taken by a simple majority of the members present."
    d.part("paragraph", majority)
    d.provision(majority, bearer="unspecified", themes=[("majority-decision", "simple majority")])
    d.fact(TOR.decisionRule, TOR.MajorityVote, majority)
    biennial = "The Platform will meet every two years to review progress."
    d.part("paragraph", biennial)
    d.provision(biennial, lemma="meet", frequency="P2Y",
                themes=[("progress-review", "review progress"), ("infrequent-review", "meet every two years")])
    d.fact(TOR.meetingFrequency, Literal("P2Y", datatype=XSD.duration), biennial)
    return d


FIXTURES = {
    "global.ttl": (build_global, "A condensed global ToR (mission, nine objectives, eight principles, structure)."),
    "aligned.ttl": (build_aligned, "A country ToR that meets every alignment requirement, in other words."),
    "alternative.ttl": (build_alternative, "A country ToR that meets the requirements by the other routes the shapes accept."),
    "missing.ttl": (build_missing, "A country ToR that says nothing the alignment requirements ask for."),
    "conflict.ttl": (build_conflict, "A regional ToR that contradicts the global ToR."),
}

if __name__ == "__main__":
    for name, (build, header) in FIXTURES.items():
        build().write(name, header)
        print("wrote", HERE / name)
