"""The alignment shapes (shapes/alignment.ttl) and the checker (shapes/check.py).

Fixtures (tests/data/alignment/, written by make_fixtures.py): a condensed global ToR and four
checked ToRs, each with the SHACL validation report expected for it (``*.expected.ttl``).
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SH, XSD

from torkg import iris
from torkg.iris import NIF, TOR
from torkg.shapes import ALIGNMENT_TTL, alignment_shapes, quality_shapes, requirements
from torkg.shapes.check import check_document, check_quality, report_graph, results_of
from torkg.shapes.lint import lint

DATA = Path(__file__).parent / "data" / "alignment"
GOLD = Path("/work/shared/eval/gold")
REQUIREMENT_IDS = [
    "mission-gcm", "rights-wellbeing", "guided-un-charter", "guided-international-law", "guided-agenda-2030",
    "guided-gcm", "objectives-coverage", "working-principles", "human-rights-approach", "coordinator-iom",
    "secretariat-iom", "open-membership", "core-group", "working-groups", "consensus", "mandates-respected",
    "stakeholder-engagement", "review-meeting", "reporting",
]
CONFLICTING = {"coordinator-iom", "secretariat-iom", "open-membership", "consensus", "review-meeting"}


def load(name: str) -> Graph:
    return Graph().parse(DATA / name, format="turtle")


@pytest.fixture(scope="module")
def global_graph() -> Graph:
    return load("global.ttl")


@pytest.fixture(scope="module")
def reports(global_graph):
    return {name: check_document(load(f"{name}.ttl"), global_graph)
            for name in ("aligned", "alternative", "missing", "conflict")}


def result_rows(report_graph_: Graph) -> set[tuple]:
    """(focus, source shape, severity, path when a property) of every result of a report."""
    return {(r.focus, r.shape, r.severity, r.path if isinstance(r.path, URIRef) else None)
            for r in results_of(report_graph_)}


# --- the shapes files ------------------------------------------------------------------------------

def test_shapes_are_valid_shacl_with_known_terms():
    from torkg.ontology import load_ontology_graph
    ontology = load_ontology_graph()
    assert lint(alignment_shapes(), ontology) == []
    assert lint(quality_shapes(), ontology) == []


@pytest.mark.parametrize("typo", [("rdfs:label", "rdfs:Label"), ("sh:severity", "sh:severty"),
                                  ("sh:path          tor:coordinatedBy", "sh:path          tor:coordinatedby")])
def test_a_typo_in_the_shapes_fails_the_lint(typo):
    text = ALIGNMENT_TTL.read_text(encoding="utf-8")
    right, wrong = typo
    assert right in text
    broken = Graph().parse(data=text.replace(right, wrong, 1), format="turtle")
    from torkg.ontology import load_ontology_graph
    problems = lint(broken, load_ontology_graph())
    assert any(wrong.split(":")[1].split()[-1] in p for p in problems), problems


def test_one_named_shape_per_requirement_with_its_traceability():
    shapes = alignment_shapes()
    assert [r.id for r in requirements()] == REQUIREMENT_IDS
    for req in requirements():
        shape = req.shape
        assert (shape, RDF.type, SH.NodeShape) in shapes
        assert set(shapes.objects(shape, SH.targetClass)) == {TOR.RegionalNetwork, TOR.CountryNetwork}
        assert shapes.value(shape, RDFS.label) and shapes.value(shape, RDFS.comment), shape
        assert req.faq_point in {"mission", "objectives", "working principles", "membership and structure",
                                 "decision-making", "review"}
        assert req.clause.section or req.clause.paragraphs, f"{shape} names no global clause"
        assert req.evidence_query and "$this" in req.evidence_query
        assert req.iri == iris.requirement_iri(req.id)
        for prop in shapes.objects(shape, SH.property):
            assert isinstance(prop, URIRef), f"{shape} has an anonymous property shape"
            assert shapes.value(prop, RDFS.label) and shapes.value(prop, TOR.requirement) == req.iri


def test_shapes_compare_with_the_global_network_not_constants():
    """Coordinator, secretariat and decision rule name no entity or rule: they ask the global network."""
    text = ALIGNMENT_TTL.read_text(encoding="utf-8")
    assert "un-entity/IOM" not in text and "un-entity:IOM" not in text
    assert "tor:Consensus" not in text


# --- whole validation reports ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["aligned", "alternative", "missing", "conflict"])
def test_validation_report_is_the_expected_one(reports, name):
    expected = load(f"{name}.expected.ttl")
    assert result_rows(reports[name].results) == result_rows(expected)
    assert reports[name].conforms == next(expected.objects(None, SH.conforms)).toPython()


def test_verdicts_per_fixture(reports):
    assert set(reports["aligned"].statuses().values()) == {"aligned"}
    assert set(reports["alternative"].statuses().values()) == {"aligned"}
    assert set(reports["missing"].statuses().values()) == {"missing"}
    conflict = reports["conflict"].statuses()
    assert {k for k, v in conflict.items() if v == "conflict"} == CONFLICTING
    assert {v for k, v in conflict.items() if k not in CONFLICTING} == {"missing"}


def test_conflict_verdict_quotes_both_clauses(reports, global_graph):
    v = reports["conflict"].verdicts["coordinator-iom"]
    assert [s.text for s in v.checked] == ["UNDP shall coordinate the Platform and UNHCR shall provide its secretariat."]
    assert v.global_evidence.text == "IOM will serve as the Coordinator and Secretariat of the Network."
    text = str(global_graph.value(iris.doc_iri("global-tor"), NIF.isString))
    assert text[v.global_evidence.start:v.global_evidence.end] == v.global_evidence.text
    assert "UNDP" in v.message and "IOM" in v.message
    assert v.source_shapes == (iris.shape_iri("CoordinatorAsGlobalShape"),)


def test_aligned_verdicts_carry_positive_evidence(reports):
    verdicts = reports["aligned"].verdicts
    assert verdicts["working-principles"].checked[0].text == \
        "The Network adopts the working principles of the global Network."
    assert verdicts["core-group"].checked[0].text == "A Steering Committee shall be set up."
    assert verdicts["guided-agenda-2030"].global_evidence.text.startswith("In all its actions the Network will be guided")
    assert verdicts["stakeholder-engagement"].global_evidence.text.startswith("Engage with external partners")
    for v in verdicts.values():
        assert v.checked, f"{v.requirement}: aligned without evidence"


def test_missing_verdicts_have_no_checked_evidence_but_the_global_clause(reports):
    for v in reports["missing"].verdicts.values():
        assert v.checked == ()
        assert v.global_evidence is not None and v.global_evidence.iri.startswith(str(iris.doc_iri("global-tor")))


# --- the global ToR decides -------------------------------------------------------------------------

def _revised(global_graph: Graph, predicate, old, new) -> Graph:
    revised = copy.deepcopy(global_graph)
    revised.remove((iris.network_iri("global"), predicate, old))
    if new is not None:
        revised.add((iris.network_iri("global"), predicate, new))
    revised.set((iris.doc_iri("global-tor"), TOR.contentHash, Literal("revised-" + str(new))))
    return revised


def test_a_revised_global_coordinator_changes_the_verdicts(global_graph):
    revised = _revised(global_graph, TOR.coordinatedBy, iris.un_entity_iri("IOM"), iris.un_entity_iri("UNDP"))
    assert check_document(load("aligned.ttl"), revised).verdicts["coordinator-iom"].status == "conflict"
    assert check_document(load("conflict.ttl"), revised).verdicts["coordinator-iom"].status == "aligned"


def test_an_instrument_the_global_tor_drops_is_no_longer_required(global_graph):
    revised = _revised(global_graph, TOR.guidedBy, iris.instrument_iri("un-charter"), None)
    verdicts = check_document(load("missing.ttl"), revised).verdicts
    assert verdicts["guided-un-charter"].status == "aligned"
    assert verdicts["guided-gcm"].status == "missing"


# --- single requirements on small variations ----------------------------------------------------------

def _with(extra: list[tuple]) -> Graph:
    g = load("missing.ttl")
    for triple in extra:
        g.add(triple)
    return g


FREEDONIA = iris.network_iri("freedonia")
MEET = iris.provision_iri("missing-tor", 33, 63)       # "The Forum will meet as needed."


@pytest.mark.parametrize("extra, status", [
    ([(FREEDONIA, TOR.meetingFrequency, Literal("P3M", datatype=XSD.duration))], "aligned"),
    ([(FREEDONIA, TOR.meetingFrequency, Literal("P12M", datatype=XSD.duration))], "aligned"),
    ([(FREEDONIA, TOR.meetingFrequency, Literal("P2Y", datatype=XSD.duration))], "conflict"),
    ([(MEET, TOR.frequency, Literal("P3Y", datatype=XSD.duration))], "conflict"),
    ([(MEET, TOR.addresses, iris.theme_iri("infrequent-review"))], "conflict"),
    ([(MEET, TOR.addresses, iris.theme_iri("infrequent-review")),
      (MEET, TOR.addresses, iris.theme_iri("annual-review"))], "aligned"),
    ([(FREEDONIA, TOR.meetingFrequency, Literal("P2Y", datatype=XSD.duration)),
      (FREEDONIA, ORG.hasUnit, iris.body_iri("freedonia", "annual-meeting")),
      (iris.body_iri("freedonia", "annual-meeting"), RDF.type, TOR.AnnualMeeting)], "aligned"),
    ([], "missing"),
])
def test_review_meeting(global_graph, extra, status):
    assert check_document(_with(extra), global_graph).verdicts["review-meeting"].status == status


@pytest.mark.parametrize("extra, status", [
    ([(MEET, TOR.addresses, iris.theme_iri("majority-decision"))], "conflict"),
    ([(MEET, TOR.addresses, iris.theme_iri("majority-decision")), (MEET, TOR.negated, Literal(True))], "missing"),
    ([(MEET, TOR.addresses, iris.theme_iri("consensus-decision"))], "aligned"),
    ([(FREEDONIA, TOR.decisionRule, TOR.Consensus)], "aligned"),
    ([(FREEDONIA, TOR.decisionRule, TOR.Consensus), (FREEDONIA, TOR.decisionRule, TOR.MajorityVote)], "conflict"),
])
def test_consensus(global_graph, extra, status):
    assert check_document(_with(extra), global_graph).verdicts["consensus"].status == status


@pytest.mark.parametrize("principles, status", [
    (["accountability", "inclusivity"], "missing"),
    (["accountability", "inclusivity", "agility"], "aligned"),
    (["accountability", "inclusivity", "not-a-global-principle"], "missing"),
])
def test_working_principles_count_only_the_global_ones(global_graph, principles, status):
    extra = [(FREEDONIA, TOR.namesPrinciple, iris.working_principle_iri(p)) for p in principles]
    assert check_document(_with(extra), global_graph).verdicts["working-principles"].status == status


@pytest.mark.parametrize("heading, status", [("Background", "missing"), ("Mission", "aligned")])
def test_a_theme_mentioned_only_in_background_is_not_said(global_graph, heading, status):
    mention = iris.mention_iri("missing-tor", 33, 63)
    section = iris.span_iri("missing-tor", 0, 116)
    g = _with([(mention, RDF.type, TOR.Mention), (mention, NIF.referenceContext, iris.doc_iri("missing-tor")),
               (mention, NIF.beginIndex, Literal(33)), (mention, NIF.endIndex, Literal(63)),
               (mention, TOR.denotes, iris.theme_iri("gcm-implementation")),
               (section, RDF.type, TOR.Section), (section, NIF.referenceContext, iris.doc_iri("missing-tor")),
               (section, NIF.beginIndex, Literal(0)), (section, NIF.endIndex, Literal(116)),
               (section, TOR.headingText, Literal(heading))])
    assert check_document(g, global_graph).verdicts["mission-gcm"].status == status


def test_an_office_of_the_global_coordinator_is_aligned(global_graph):
    office = iris.un_entity_iri("IOM-FREEDONIA")
    g = _with([(FREEDONIA, TOR.coordinatedBy, office)])
    reference = copy.deepcopy(_reference())
    reference.add((office, URIRef("http://www.w3.org/2004/02/skos/core#broader"), iris.un_entity_iri("IOM")))
    assert check_document(g, global_graph, reference=reference).verdicts["coordinator-iom"].status == "aligned"
    assert check_document(g, global_graph).verdicts["coordinator-iom"].status == "conflict"


def _reference() -> Graph:
    from torkg.ontology import load_reference_graph
    return load_reference_graph()


# --- RDF output and quality ----------------------------------------------------------------------------

def test_report_graph_holds_one_verdict_per_requirement(reports):
    g = report_graph(reports["conflict"])
    report = iris.report_iri("conflict-tor")
    assert (report, RDF.type, TOR.AlignmentReport) in g
    assert (report, TOR.checks, iris.doc_iri("conflict-tor")) in g
    assert (report, TOR.against, iris.doc_iri("global-tor")) in g
    verdicts = set(g.objects(report, TOR.hasVerdict))
    assert verdicts == {iris.verdict_iri("conflict-tor", r) for r in REQUIREMENT_IDS}
    statuses = {str(v).rsplit("/", 1)[-1]: g.value(v, TOR.status) for v in verdicts}
    assert statuses["consensus"] == TOR.Conflict and statuses["reporting"] == TOR.Missing
    assert g.value(iris.verdict_iri("conflict-tor", "objectives-coverage"), TOR["count"]) == Literal(0, datatype=XSD.nonNegativeInteger)
    evidence = g.value(iris.verdict_iri("conflict-tor", "consensus"), TOR.globalEvidence)
    assert str(g.value(evidence, NIF.anchorOf)) == "The Network will endeavour to take all decisions by consensus."
    ok, _, problems = check_quality(g + load("conflict.ttl") + load("global.ttl"))
    assert ok, problems


def test_correspondences_answer_which_objectives_a_tor_covers(reports):
    g = report_graph(reports["aligned"]) + load("aligned.ttl")
    rows = g.query("""
        PREFIX tor: <https://w3id.org/torkg/def#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT DISTINCT ?n WHERE { ?c a tor:ObjectiveCorrespondence ; tor:objectiveNumber ?n ; tor:counterpart ?s .
                                   ?s nif:referenceContext ?doc } ORDER BY ?n""",
                   initBindings={"doc": iris.doc_iri("aligned-tor")})
    numbers = [int(r[0]) for r in rows]
    assert numbers == sorted({c.number for c in reports["aligned"].correspondences})
    assert len(numbers) >= 5


@pytest.mark.parametrize("name", ["global", "aligned", "alternative", "missing", "conflict"])
def test_fixtures_pass_the_quality_shapes(name):
    ok, _, problems = check_quality(load(f"{name}.ttl"))
    assert ok, problems


def test_quality_shapes_catch_a_wrong_offset_and_two_modalities():
    g = load("missing.ttl")
    span = iris.span_iri("missing-tor", 33, 63)
    g.set((span, NIF.endIndex, Literal(9999, datatype=XSD.nonNegativeInteger)))
    g.add((MEET, RDF.type, TOR.Permission))
    ok, _, problems = check_quality(g)
    shapes = {str(r.shape).rsplit("#", 1)[-1] for r in problems if isinstance(r.shape, URIRef)}
    assert not ok and {"SpanShape", "ProvisionShape"} <= shapes


def test_validation_is_fast(reports):
    assert max(r.seconds for r in reports.values()) < 3.0


# --- theme patterns ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def theme_matcher():
    from spacy.matcher import Matcher

    from torkg.ingest.nlp import load as load_nlp
    nlp = load_nlp()
    matcher = Matcher(nlp.vocab)
    for line in (Path(iris.__file__).parent.parent / "ingest" / "patterns" / "themes.jsonl").read_text().splitlines():
        row = json.loads(line)
        matcher.add(row["id"], [row["pattern"]])
    return lambda text: {nlp.vocab.strings[m] for m, _, _ in matcher(nlp(text))}


@pytest.mark.parametrize("text, theme", [
    ("The Network shall assist Member States in implementing the Global Compact.", "gcm-implementation"),
    ("Members' respective mandates shall be fully respected in all decisions.", "respect-mandates"),
    ("All decisions are without prejudice to the mandates of the participating agencies.", "respect-mandates"),
    ("Any UN entity may join the Network at any time.", "open-membership"),
    ("Participation is open to all relevant UN system entities.", "open-membership"),
    ("The Group will submit an annual progress report to the Secretary-General.", "reporting-secretary-general"),
    ("It will contribute inputs to the report of the Secretary-General on the Compact.", "reporting-secretary-general"),
    ("The Network will keep the global Network informed of its work.", "reporting-secretary-general"),
    ("The platform will consult civil society organisations and trade unions.", "stakeholder-engagement"),
    ("A yearly retreat will take stock of progress.", "annual-review"),
    ("Decisions are taken by a two-thirds majority of members.", "majority-decision"),
    ("Matters will be put to a vote when consensus fails.", "majority-decision"),
    ("The Network promotes the welfare of migrants and their families.", "migrant-rights-wellbeing"),
    ("A child-sensitive approach guides all activities.", "rights-based-approach"),
    ("Membership is restricted to the agencies listed below.", "restricted-membership"),
    ("The Steering Group will oversee the work plan.", "core-group"),
    ("Thematic task forces may be created.", "working-groups"),
    ("The Network will meet biennially to review its work.", "infrequent-review"),
])
def test_theme_patterns_generalise_to_other_wordings(theme_matcher, text, theme):
    assert theme in theme_matcher(text)


@pytest.mark.parametrize("text, theme", [
    ("In his 2017 report, the Secretary-General outlined his vision.", "reporting-secretary-general"),
    ("Share regular updates on migration issues with the Network members.", "reporting-secretary-general"),
    ("Chairing will be open to all Working Group members.", "open-membership"),
    ("The protection of the human rights of migrants in the country.", "rights-based-approach"),
    ("The majority of migrants in the region work abroad.", "majority-decision"),
    ("Capacity building for national authorities.", "respect-mandates"),
])
def test_theme_patterns_do_not_overreach(theme_matcher, text, theme):
    assert theme not in theme_matcher(text)


def test_every_theme_pattern_key_is_in_the_theme_scheme():
    from torkg.ontology import load_reference_graph
    reference = load_reference_graph()
    path = Path(iris.__file__).parent.parent / "ingest" / "patterns" / "themes.jsonl"
    keys = {json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()}
    for key in keys:
        assert (iris.theme_iri(key), RDF.type, TOR.Theme) in reference, key
    used = set(re.findall(r"theme:([a-z-]+)", ALIGNMENT_TTL.read_text()))
    assert used <= keys


# --- the seed ToRs, through the real ingestion pipeline --------------------------------------------------

# seed_graphs: tests/conftest.py


@pytest.mark.parametrize("doc_id", ["asia-pacific-tor", "kyrgyzstan-tor"])
def test_seed_verdicts_match_the_development_gold(seed_graphs, doc_id):
    gold_file = GOLD / f"{doc_id}.alignment.json"
    if not gold_file.exists():
        pytest.skip(f"{gold_file} is not available")
    gold = json.loads(gold_file.read_text())[doc_id]
    report = check_document(seed_graphs[doc_id], seed_graphs["global-tor"])
    got = report.statuses()
    assert got == {req: want["status"] for req, want in gold.items()}
    want_count = gold["objectives-coverage"]
    assert abs(report.verdicts["objectives-coverage"].count - want_count["count"]) <= want_count.get("tolerance", 0)


def test_a_shape_the_validator_refuses_is_a_clear_error_not_a_crash():
    from torkg.shapes.check import ShapesError, validate
    bad = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/shape> a sh:NodeShape ; sh:targetNode <https://example.org/n> ;
            sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .""")
    with pytest.raises(ShapesError, match="VALUES"):
        validate(Graph(), bad)
