"""Every named query of queries/ run on the API fixture (tests/data/api-fixture.trig), with the rows
it must return. A new .rq file without a case here fails test_every_named_query_has_a_case."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from torkg import iris, queries
from torkg.store import OxigraphStore, bind_values, term_to_sparql

RDF_TYPE, UN_ENTITY = ox.NamedNode(str(iris.RDF.type)), ox.NamedNode(str(iris.TOR.UNEntity))

FIXTURE = Path(__file__).parent / "data" / "api-fixture.trig"
LEADS_QUERIES = {"provisions", "structure"}      # tested with the scoring export
ID = str(iris.ID)
G_TEXT = {1: "The Network will support Member States in implementing the Global Compact.",
          2: "IOM will serve as the Coordinator and Secretariat of the Network.",
          3: "The Executive Committee will meet every three months.",
          4: "The Executive Committee is composed of IOM, UNHCR and OHCHR.",
          8: "The Secretariat should engage civil society and migrants.",
          9: "The Network will promote decisions by consensus."}


def fixture_store() -> OxigraphStore:
    """A new in-memory store holding the API fixture."""
    s = OxigraphStore()
    s.db.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return s


@pytest.fixture(scope="module")
def store():
    return fixture_store()


def short(value) -> str:
    text = str(value)
    return text[len(ID):] if text.startswith(ID) else text


CONCATENATED = {"documents"}       # GROUP_CONCAT columns with several parts: order not defined


def run(store, name: str, params: dict, columns: list[str]) -> list[tuple]:
    q = queries.load(name)
    _, rows = store.select(q.text, queries.bind_params(q, params))

    def cell(r, c):
        if c not in r:
            return None
        return " ".join(sorted(short(r[c]).split(" "))) if c in CONCATENATED else short(r[c])
    return [tuple(cell(r, c) for c in columns) for r in rows]


CASES = [
    ("provisions-by-bearer", {"bearer": "secretariat"}, ["doc", "modality", "bearer", "entity", "text"], [
        ("global-tor", "recommendation", "secretariat", None, G_TEXT[8]),
        ("kyrgyzstan-tor", "obligation", "secretariat", None, "The Secretariat will report annually to the global Network.")]),
    ("provisions-by-bearer", {"bearer": "un-entity", "document": "asia-pacific-tor"},
     ["doc", "modality", "entity", "action"], [
         ("asia-pacific-tor", "obligation", "IOM", "serve as the Coordinator and Secretariat")]),
    ("provisions-by-bearer", {"modality": "permission"}, ["doc", "bearer", "entity", "text"], [
        ("global-tor", "members", None, "Members may establish working groups on specific themes.")]),
    ("provisions-by-bearer", {"modality": "prohibition"}, ["provision", "bearer"], [
        ("doc/global-tor/provision/386-451", "network")]),
    ("body-obligations", {"kind": "secretariat"}, ["network", "doc", "action"], [
        ("network/kyrgyzstan", "kyrgyzstan-tor", "report annually to the global Network")]),
    ("body-obligations", {"kind": "executive-committee"}, ["network", "doc", "text"], [
        ("network/global", "global-tor", G_TEXT[3])]),
    ("coordinator-and-secretariat", {"entity": "iom"}, ["network", "doc", "coordinator", "secretariat"], [
        ("network/asia-pacific", "asia-pacific-tor", "true", "true"),
        ("network/global", "global-tor", "true", "true"),
        ("network/kyrgyzstan", "kyrgyzstan-tor", "false", "true")]),
    ("coordinator-and-secretariat", {"entity": "RCO"}, ["network", "coordinator", "secretariat"], [
        ("network/kyrgyzstan", "true", "false")]),
    ("executive-committees", {}, ["network", "doc", "member"], [
        ("network/asia-pacific", "asia-pacific-tor", "ESCAP"), ("network/asia-pacific", "asia-pacific-tor", "IOM"),
        ("network/asia-pacific", "asia-pacific-tor", "UNDP"), ("network/global", "faq-networks", "IOM"),
        ("network/global", "faq-networks", "UNDP"), ("network/global", "faq-networks", "UNHCR"),
        ("network/global", "global-tor", "IOM"), ("network/global", "global-tor", "OHCHR"),
        ("network/global", "global-tor", "UNHCR")]),
    ("executive-committees", {"network": "asia-pacific"}, ["committee", "member", "name"], [
        ("network/asia-pacific/executive-committee", "ESCAP", "Economic and Social Commission for Asia and the Pacific"),
        ("network/asia-pacific/executive-committee", "IOM", "International Organization for Migration"),
        ("network/asia-pacific/executive-committee", "UNDP", "UN Development Programme")]),
    ("member-disagreements", {}, ["body", "member", "statedIn", "notStatedIn", "evidence"], [
        ("network/global/executive-committee", "OHCHR", "global-tor", "faq-networks", G_TEXT[4]),
        ("network/global/executive-committee", "UNDP", "faq-networks", "global-tor",
         "The Executive Committee of the global Network comprises IOM, UNHCR and UNDP.")]),
    ("member-disagreements", {"body": ID + "network/asia-pacific/executive-committee"}, ["member"], []),
    ("meeting-frequencies", {"network": "global"}, ["subject", "frequency", "words", "provision"], [
        ("network/global/executive-committee", "P3M", G_TEXT[3], None),
        ("network/global/executive-committee", "P3M", "every three months", "doc/global-tor/provision/205-258")]),
    ("meeting-frequencies", {}, ["network", "subject", "frequency", "words"], [
        ("network/asia-pacific", "network/asia-pacific", "P6M", "The Network will meet twice a year."),
        ("network/asia-pacific", "network/asia-pacific", "P6M", "twice a year"),
        ("network/global", "network/global/executive-committee", "P3M", G_TEXT[3]),
        ("network/global", "network/global/executive-committee", "P3M", "every three months"),
        ("network/kyrgyzstan", "network/kyrgyzstan/secretariat", "P1Y", "annually")]),
    ("provisions-by-objective", {"objective": "23"}, ["objective", "doc", "modality", "bearer"], [
        ("gcm-objective/23", "asia-pacific-tor", "obligation", "network"),
        ("gcm-objective/23", "global-tor", "obligation", "network")]),
    ("provisions-by-objective", {"objective": "2"}, ["doc"], []),
    ("guiding-instruments", {}, ["network", "doc", "instrument", "name"], [
        ("network/global", "global-tor", "gcm", "Global Compact for Safe, Orderly and Regular Migration"),
        ("network/global", "global-tor", "un-charter", "Charter of the United Nations")]),
    ("guiding-instruments", {"network": "kyrgyzstan"}, ["instrument"], []),
    ("stakeholder-engagement", {}, ["network", "doc", "stakeholder"], [
        ("network/global", "global-tor", "civil-society"), ("network/global", "global-tor", "migrants"),
        ("network/kyrgyzstan", "kyrgyzstan-tor", "civil-society")]),
    ("stakeholder-engagement", {"network": "kyrgyzstan"}, ["stakeholder", "name"], [("civil-society", "Civil society")]),
    ("alignment-issues", {}, ["doc", "requirement", "status", "checked", "global"], [
        ("asia-pacific-tor", "consensus", "conflict", "Decisions will be taken by majority vote.", G_TEXT[9]),
        ("asia-pacific-tor", "objectives-coverage", "missing", None, None),
        ("kyrgyzstan-tor", "coordinator-iom", "conflict",
         "The Network will be coordinated by the Resident Coordinator Office.", G_TEXT[2]),
        ("kyrgyzstan-tor", "consensus", "missing", None, None)]),
    ("alignment-issues", {"status": "conflict", "document": "kyrgyzstan-tor"}, ["doc", "requirement", "comment"], [
        ("kyrgyzstan-tor", "coordinator-iom", "The Resident Coordinator Office coordinates, not IOM.")]),
    ("corresponding-provisions", {"document": "asia-pacific-tor"}, ["bearer", "action", "modality", "parentText"], [
        ("network", "support", "obligation", G_TEXT[1]),
        ("un-entity", "serve", "obligation", G_TEXT[2])]),
    ("corresponding-provisions", {"document": "kyrgyzstan-tor"}, ["provision"], []),
    ("statement-evidence", {"subject": ID + "network/kyrgyzstan"}, ["predicate", "object", "doc", "start", "end", "text"], [
        (str(iris.TOR.coordinatedBy), "un-entity/RCO", "kyrgyzstan-tor", "45", "112",
         "The Network will be coordinated by the Resident Coordinator Office."),
        (str(iris.TOR.secretariatProvidedBy), "un-entity/IOM", "kyrgyzstan-tor", "116", "149",
         "IOM will provide the Secretariat."),
        (str(iris.TOR.engages), "stakeholder/civil-society", "kyrgyzstan-tor", "153", "191",
         "The Network will engage civil society.")]),
    ("statement-evidence", {"subject": ID + "network/global", "predicate": str(iris.TOR.coordinatedBy)},
     ["object", "doc", "text"], [("un-entity/IOM", "global-tor", G_TEXT[2])]),
    ("statement-evidence", {"subject": ID + "doc/kyrgyzstan-tor/provision/116-149"}, ["predicate", "object", "text"], [
        (str(iris.TOR.evidence), "doc/kyrgyzstan-tor/char=116,149", "IOM will provide the Secretariat.")]),
    ("networks", {}, ["network", "level", "parent", "documents", "coordinator", "secretariat"], [
        ("network/asia-pacific", "regional", "network/global", "asia-pacific-tor", "IOM", "IOM"),
        ("network/global", "global", None, "faq-networks global-tor", "IOM", "IOM"),
        ("network/kyrgyzstan", "country", "network/global", "kyrgyzstan-tor", "RCO", "IOM")]),
    ("networks", {"network": "kyrgyzstan"}, ["label"], [("Country Network on Migration",)]),
    ("documents", {}, ["doc", "type", "level", "network", "parent", "provisions"], [
        ("asia-pacific-tor", "TermsOfReference", "regional", "network/asia-pacific", "global-tor", "4"),
        ("faq-networks", "GuidanceNote", None, "network/global", None, "0"),
        ("global-tor", "TermsOfReference", "global", "network/global", None, "7"),
        ("kyrgyzstan-tor", "TermsOfReference", "country", "network/kyrgyzstan", "global-tor", "3")]),
    ("documents", {"document": "global-tor"}, ["doc", "provisions"], [("global-tor", "7")]),
    ("alignment-reports", {}, ["doc", "level", "report", "aligned", "missing", "conflict"], [
        ("kyrgyzstan-tor", "country", "alignment/kyrgyzstan-tor", "2", "1", "1"),
        ("asia-pacific-tor", "regional", "alignment/asia-pacific-tor", "2", "1", "1")]),
    ("alignment-reports", {"document": "asia-pacific-tor"}, ["doc", "generated"], [
        ("asia-pacific-tor", "2026-01-02T00:00:00+00:00")]),
    ("alignment-report", {"document": "kyrgyzstan-tor"}, ["requirement", "status", "evidence", "start", "end", "text"], [
        # this span is in no document graph: offsets from its IRI, text from the document's string
        ("consensus", "missing", "global", "602", "649", "The Network will promote decisions by consensus"),
        ("coordinator-iom", "conflict", "checked", "45", "112",
         "The Network will be coordinated by the Resident Coordinator Office."),
        ("coordinator-iom", "conflict", "global", "136", "201", G_TEXT[2]),
        ("secretariat-iom", "aligned", "checked", "116", "149", "IOM will provide the Secretariat."),
        ("secretariat-iom", "aligned", "global", "136", "201", G_TEXT[2]),
        ("stakeholder-engagement", "aligned", "checked", "153", "191", "The Network will engage civil society."),
        ("stakeholder-engagement", "aligned", "global", "541", "598", G_TEXT[8])]),
    ("alignment-report", {"document": "global-tor"}, ["requirement"], []),
    ("objective-correspondences", {}, ["document", "objective", "score", "sharedTerms", "start", "end", "globalText"], [
        ("doc/asia-pacific-tor", "1", "0.8", "member states, global compact", "46", "143", G_TEXT[1])]),
    ("objective-correspondences", {"document": "kyrgyzstan-tor"}, ["objective"], []),
    ("dataset-graphs", {}, ["graph", "triples"], [
        (str(iris.alignment_graph("asia-pacific-tor")), "41"), (str(iris.alignment_graph("kyrgyzstan-tor")), "35"),
        (str(iris.doc_graph("asia-pacific-tor")), "139"), (str(iris.doc_graph("faq-networks")), "39"),
        (str(iris.doc_graph("global-tor")), "220"), (str(iris.doc_graph("kyrgyzstan-tor")), "96"),
        (str(iris.ONTOLOGY_GRAPH), "49"), (str(iris.REFERENCE_GRAPH), "56")]),
    ("dataset-linksets", {}, ["predicate", "target", "links"], [
        ("http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/", "1")]),
]


@pytest.mark.parametrize("name,params,columns,expected", CASES,
                         ids=[f"{c[0]}-{'-'.join(f'{k}={v}' for k, v in c[1].items()) or 'all'}" for c in CASES])
def test_named_query_returns_the_expected_rows(store, name, params, columns, expected):
    assert run(store, name, params, columns) == expected


def test_dataset_classes_counts_instances_across_graphs(store):
    rows = dict(run(store, "dataset-classes", {}, ["class", "entities"]))
    assert rows["https://w3id.org/torkg/def#Obligation"] == "11"
    assert rows["https://w3id.org/torkg/def#TermsOfReference"] == "3"
    assert rows["http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"] == "24"


def test_describe_resource_gives_statements_evidence_and_provenance(store):
    rows = run(store, "describe-resource", {"iri": ID + "network/kyrgyzstan"}, ["g", "s", "p", "o"])
    triples = {(s, p, o) for _, s, p, o in rows}
    assert ("network/kyrgyzstan", str(iris.TOR.coordinatedBy), "un-entity/RCO") in triples
    assert ("un-entity/RCO", "http://www.w3.org/2004/02/skos/core#prefLabel", "Resident Coordinator Office") in triples
    assert ("doc/kyrgyzstan-tor/char=45,112", str(iris.NIF.anchorOf),
            "The Network will be coordinated by the Resident Coordinator Office.") in triples
    assert ("run/20260101T000000-test", "http://www.w3.org/ns/prov#startedAtTime", "2026-01-01T00:00:00+00:00") in triples
    assert {g for g, *_ in rows} == {str(iris.doc_graph("kyrgyzstan-tor")), str(iris.doc_graph("global-tor")),
                                     str(iris.REFERENCE_GRAPH)}


def test_every_named_query_has_a_case():
    tested = {c[0] for c in CASES} | {"dataset-classes", "describe-resource"}
    assert set(queries.names()) - LEADS_QUERIES - tested == set()
    assert len(set(queries.names()) - LEADS_QUERIES) >= 12


@pytest.mark.parametrize("name", sorted(set(queries.names()) - LEADS_QUERIES))
def test_every_query_documents_its_parameters_and_binds_them(name, store):
    """Each parameter appears as a variable, is not reserved, and really restricts the result."""
    q = queries.load(name)
    assert q.title and q.description
    for p in q.params:
        assert f"?{p.name}" in q.text, (name, p.name)
        assert p.name not in ("format", "output", "results"), (name, p.name)
    if all(p.optional for p in q.params):
        store.select(q.text)


def test_a_parameter_value_cannot_change_the_query(store):
    evil = 'secretariat" } UNION { ?x ?y ?z } #'
    assert run(store, "provisions-by-bearer", {"bearer": evil}, ["doc"]) == []


VERSION_SUFFIX = "-v2"
# Rows that legitimately change when a second version of every document is stored: how many
# documents describe a network, and how many links the store holds.
COUNTS_VERSIONS = {"networks", "dataset-linksets"}


@pytest.fixture(scope="module")
def versioned_store(store):
    """The fixture plus a second version of every document: the same networks, bodies and entities
    stated again in graphs of their own, as when a revised ToR is ingested next to the old one
    (each also types again every UN entity the fixture knows, as graphs from elsewhere may)."""
    s = fixture_store()
    entities = [q.subject for q in s.db.quads_for_pattern(None, RDF_TYPE, UN_ENTITY)]
    for graph in s.named_graphs():
        doc_id = iris.doc_id_of_graph(graph)
        if not doc_id:
            continue
        copy = ox.NamedNode(str(iris.doc_graph(doc_id + VERSION_SUFFIX)))
        doc, doc_copy = str(iris.doc_iri(doc_id)), str(iris.doc_iri(doc_id + VERSION_SUFFIX))

        def renamed(term):
            if isinstance(term, ox.NamedNode) and (term.value == doc or term.value.startswith(doc + "/")):
                return ox.NamedNode(doc_copy + term.value[len(doc):])
            if isinstance(term, ox.Literal) and term.value == doc_id:
                return ox.Literal(doc_id + VERSION_SUFFIX)
            return term
        s.db.extend([ox.Quad(renamed(q.subject), q.predicate, renamed(q.object), copy)
                     for q in s.db.quads_for_pattern(None, None, None, ox.NamedNode(graph))])
        s.db.extend([ox.Quad(e, RDF_TYPE, UN_ENTITY, copy) for e in entities])
    return s


@pytest.mark.parametrize("name,params,columns,expected",
                         [c for c in CASES if c[0] not in COUNTS_VERSIONS],
                         ids=[f"{c[0]}-{'-'.join(f'{k}={v}' for k, v in c[1].items()) or 'all'}"
                              for c in CASES if c[0] not in COUNTS_VERSIONS])
def test_a_second_version_of_each_document_adds_rows_only_about_itself(versioned_store, name, params,
                                                                       columns, expected):
    """A fact stated in several graphs is matched once per graph outside GRAPH patterns (the union
    default graph keeps duplicates): queries must not multiply the rows of one document by the
    number of documents that repeat what it says."""
    q = queries.load(name)
    _, rows = versioned_store.select(q.text, queries.bind_params(q, params))
    about_originals = [tuple(short(r[c]) if c in r else None for c in columns)
                       for r in rows if not any(VERSION_SUFFIX in str(v) for v in r.values())]
    assert sorted(about_originals, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("name,params", [(c[0], c[1]) for c in CASES if c[1]],
                         ids=[f"{c[0]}-{'-'.join(f'{k}={v}' for k, v in c[1].items())}" for c in CASES if c[1]])
def test_parameters_bound_inside_the_query_give_the_solutions_of_a_trailing_values_block(store, name, params):
    """bind_values puts the VALUES block first in the outer group (fast); SPARQL's trailing
    VALUES (§10.2.2) is the reference meaning it must keep."""
    q = queries.load(name)
    bindings = queries.bind_params(q, params)
    names = list(bindings)
    trailing = (f"{q.text.rstrip()}\nVALUES ({' '.join('?' + n for n in names)}) "
                f"{{ ({' '.join(term_to_sparql(bindings[n]) for n in names)}) }}")
    assert bind_values(q.text, bindings) != trailing
    cols, inline_rows = store.select(q.text, bindings)
    _, trailing_rows = store.select(trailing)
    key = lambda r: tuple(str(r.get(c)) for c in cols)
    assert sorted(map(key, inline_rows)) == sorted(map(key, trailing_rows))


def test_a_bound_network_reaches_every_union_operand_of_meeting_frequencies():
    """Bound to one network, each branch of the UNION must see it: a branch that does not runs
    over the whole store, and the query's cost grows with the corpus (bench/README.md)."""
    q = queries.load("meeting-frequencies")
    text = bind_values(q.text, queries.bind_params(q, {"network": "global"}))
    body = text[text.index("GRAPH ?g"):]
    operands = body.split("UNION")
    assert len(operands) == 2
    assert all("VALUES (?network)" in operand for operand in operands)


@pytest.fixture(scope="module")
def redescribed_store():
    """The fixture where every document graph describes again each UN entity of the reference data
    (type, notation, and the acronym as its name), as a graph loaded from elsewhere, or ingested by
    an earlier torkg, may do."""
    s = fixture_store()
    reference = ox.NamedNode(str(iris.REFERENCE_GRAPH))
    notation, label = ox.NamedNode(str(iris.SKOS.notation)), ox.NamedNode(str(iris.SKOS.prefLabel))
    entities = {q.subject: next(s.db.quads_for_pattern(q.subject, notation, None, reference)).object
                for q in s.db.quads_for_pattern(None, RDF_TYPE, UN_ENTITY, reference)}
    for graph in s.named_graphs():
        if iris.doc_id_of_graph(graph):
            g = ox.NamedNode(graph)
            s.db.extend([quad for e, acronym in entities.items()
                         for quad in (ox.Quad(e, RDF_TYPE, UN_ENTITY, g), ox.Quad(e, notation, acronym, g),
                                      ox.Quad(e, label, ox.Literal(acronym.value, language="en"), g))])
    return s


@pytest.mark.parametrize("name,params,columns", [
    ("executive-committees", {}, ["network", "committee", "doc", "member", "name"]),
    ("executive-committees", {"network": "asia-pacific"}, ["committee", "member", "name"]),
    ("provisions", {}, ["doc", "start", "end", "bearer"]),
    ("provisions", {"document": "asia-pacific-tor"}, ["doc", "start", "end", "bearer"]),
    ("provisions-by-bearer", {"bearer": "un-entity"}, ["doc", "provision", "entity"]),
])
def test_an_entity_described_again_in_each_document_gives_the_same_rows(store, redescribed_store, name,
                                                                        params, columns):
    """Acronyms and names come from the reference data, else from the document's own graph, never
    from every graph: rows are not repeated under the short name, and a scoped query does not read
    what every other document says about its entities (bench/README.md, scoped queries)."""
    expected = run(store, name, params, columns)
    assert expected and all(None not in row[-1:] for row in expected)
    assert run(redescribed_store, name, params, columns) == expected
