"""Extraction -> RDF: the graph model of docs/graph-model.md, stable IRIs, reified facts."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS, XSD

from torkg import iris
from torkg.iris import NIF, ORG, TOR
from torkg.ingest.model import DocumentMeta, Extraction, Fact, Mention, Part, Provision, SourceText
from torkg.ingest.to_rdf import Run, document_triples

TEXT = ("Terms of Reference for the UN Network on Migration in Ghana\n\n"
        "1. IOM shall serve as the Coordinator and Secretariat.\n"
        "2. The Network shall meet quarterly.\n")


def extraction() -> Extraction:
    meta = DocumentMeta(id="ghana-tor", title="ToR Ghana", doc_type="terms-of-reference",
                        level="country", network="ghana", country="GH", parent="global-tor")
    src = SourceText("ghana-tor.md", TEXT, "text/markdown", "abc123")
    s1 = TEXT.index("IOM shall")
    e1 = TEXT.index("\n", s1)
    s2 = TEXT.index("The Network shall")
    e2 = TEXT.index("\n", s2)
    iom = Mention(s1, s1 + 3, "un-entity", "IOM", "IOM")
    return Extraction(
        meta=meta, source=src,
        parts=[Part("title", 0, TEXT.index("\n")), Part("numbered-paragraph", s1 - 3, e1, number="1")],
        mentions=[iom, Mention(s1, s1 + 3, "un-entity", "NEWAGENCY", "IOM")],
        provisions=[
            Provision(s1, e1, "obligation", "coordinator", bearer_text="IOM", action_lemma="serve",
                      action="serve as the Coordinator and Secretariat", part=1, mentions=(iom,)),
            Provision(s2, e2, "obligation", "network", frequency="P3M", frequency_text="quarterly"),
        ],
        facts=[Fact("coordinator", "IOM", s1, e1), Fact("secretariat", "IOM", s1, e1),
               Fact("meeting_frequency", "P3M", s2, e2, body="network")])


RUN = Run("r1", datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 1, tzinfo=timezone.utc),
          "en_core_web_sm", "3.8.0")


def graph() -> Graph:
    g = Graph()
    for t in document_triples(extraction(), RUN, frozenset({"IOM"})):
        g.add(t)
    return g


def test_provision_has_modality_bearer_span_and_frequency():
    g = graph()
    p = iris.provision_iri("ghana-tor", TEXT.index("IOM shall"), TEXT.index("\n", TEXT.index("IOM shall")))
    assert (p, RDF.type, TOR.Obligation) in g
    assert (p, TOR.bearerKind, iris.bearer_kind_iri("coordinator")) in g
    assert (p, TOR.bearer, iris.body_iri("ghana", "coordinator")) in g
    span = g.value(p, TOR.evidence)
    assert str(g.value(span, NIF.anchorOf)) == "IOM shall serve as the Coordinator and Secretariat."
    assert (p, TOR.mentions, iris.un_entity_iri("IOM")) in g
    q = [s for s in g.subjects(TOR.frequency, None)]
    assert g.value(q[0], TOR.frequency) == Literal("P3M", datatype=XSD.duration)


def test_network_facts_are_reified_with_evidence():
    g = graph()
    net = iris.network_iri("ghana")
    assert (net, TOR.coordinatedBy, iris.un_entity_iri("IOM")) in g
    assert (net, RDF.type, TOR.CountryNetwork) in g
    assert (net, ORG.hasUnit, iris.body_iri("ghana", "secretariat")) in g
    statements = list(g.subjects(RDF.predicate, TOR.coordinatedBy))
    assert len(statements) == 1
    st = statements[0]
    assert g.value(st, TOR.statedIn) == iris.doc_iri("ghana-tor")
    assert "IOM shall serve" in str(g.value(g.value(st, TOR.evidence), NIF.anchorOf))


def test_unknown_entities_are_described_in_place_known_ones_are_not():
    g = graph()
    assert (iris.un_entity_iri("NEWAGENCY"), RDF.type, TOR.UNEntity) in g
    assert (iris.un_entity_iri("IOM"), RDF.type, TOR.UNEntity) not in g


def test_iris_are_stable_across_runs():
    a = {t for t in document_triples(extraction(), RUN, frozenset())}
    b = {t for t in document_triples(extraction(), RUN, frozenset())}
    assert a == b


def test_document_keeps_its_text_and_provenance():
    g = graph()
    d = iris.doc_iri("ghana-tor")
    assert str(g.value(d, NIF.isString)) == TEXT
    assert (d, TOR.constitutes, iris.network_iri("ghana")) in g
    assert (d, TOR.parentDocument, iris.doc_iri("global-tor")) in g
    assert g.value(g.value(d, iris.PROV.wasGeneratedBy), TOR.modelName) == Literal("en_core_web_sm")


def test_entities_the_reference_data_describes_under_a_subclass_are_not_described_again():
    """A regional commission or a UN post is typed by its subclass in the reference data; a document
    that names it must not type and label it again (each document would repeat it)."""
    from torkg.ingest.run import known_entities
    known = known_entities()
    assert {"ESCAP", "RC", "SG", "IOM"} <= known and "NEWAGENCY" not in known
    ex = extraction()
    ex = replace(ex, mentions=ex.mentions + [Mention(0, 3, "un-entity", "ESCAP", "ESCAP"),
                                             Mention(4, 6, "un-entity", "RC", "RC")])
    g = Graph()
    for t in document_triples(ex, RUN, known):
        g.add(t)
    assert (None, TOR.denotes, iris.un_entity_iri("ESCAP")) in g and (None, TOR.denotes, iris.un_entity_iri("RC")) in g
    assert {str(n) for n in g.objects(None, SKOS.notation)} == {"NEWAGENCY"}
    assert set(g.subjects(RDF.type, TOR.UNEntity)) == {iris.un_entity_iri("NEWAGENCY")}
