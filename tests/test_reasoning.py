"""HermiT over the ontology, the reference data and data graphs: consistency, culprits, inferences."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from torkg import iris
from torkg.iris import TOR
from torkg.ontology import load_ontology_graph
from torkg.ontology.reason import ReasoningResult, _bisect, _prune, reason

DATA = Path(__file__).resolve().parent / "data"
INCONSISTENT = DATA / "ontology-inconsistent.ttl"
PROVISION = iris.provision_iri("test-tor", 0, 60)


@pytest.fixture(scope="module")
def base_result() -> ReasoningResult:
    return reason()


def test_ontology_and_reference_data_are_consistent(base_result):
    assert base_result.consistent, "\n".join(base_result.lines())
    assert base_result.culprits == ()
    assert base_result.triples > 1000
    assert base_result.seconds < 90


def test_the_deliberately_inconsistent_graph_is_caught_and_its_provision_named():
    data = Graph().parse(INCONSISTENT)
    before = len(data)
    result = reason(data, write_inferred=True)
    assert not result.consistent
    assert result.culprits[0] == str(PROVISION), result.lines()
    assert "tor:Obligation" in result.explanation and "tor:Permission" in result.explanation
    assert any(line.strip() == f"offending: {PROVISION}" for line in result.lines())
    assert result.inferred_types == ()
    assert len(data) == before, "nothing is written back from an inconsistent graph"


def test_every_independent_clash_is_reported_and_innocent_resources_are_not():
    """tor:bearerKind is functional and the bearer kinds are different individuals (reference
    data); a global network cannot be at country level (tor:level is functional, levels differ)."""
    provision, innocent = iris.provision_iri("clash-tor", 10, 20), iris.provision_iri("clash-tor", 30, 40)
    network = iris.network_iri("clashland")
    data = Graph()
    data.add((provision, RDF.type, TOR.Obligation))
    data.add((provision, TOR.bearerKind, iris.bearer_kind_iri("secretariat")))
    data.add((provision, TOR.bearerKind, iris.bearer_kind_iri("coordinator")))
    data.add((innocent, RDF.type, TOR.Permission))
    data.add((innocent, TOR.bearerKind, iris.bearer_kind_iri("secretariat")))
    data.add((network, RDF.type, TOR.GlobalNetwork))
    data.add((network, TOR.level, TOR.CountryLevel))
    result = reason(data)
    assert not result.consistent
    assert set(result.culprits) == {str(provision), str(network)}, result.lines()
    assert "Functional tor:bearerKind" in result.explanation and "tor:level" in result.explanation


def test_bisection_finds_the_culprit_without_an_explanation():
    ontology = load_ontology_graph()
    data = Graph().parse(INCONSISTENT)
    culprits, exhausted = _bisect(_prune(ontology), _prune(data, ontology + data), max_calls=8)
    assert culprits == [str(PROVISION)]
    assert not exhausted


def test_inferred_types_are_reported_and_written_back():
    network, verdict, ok = iris.network_iri("testland"), iris.verdict_iri("testland-tor", "core-group"), \
        iris.verdict_iri("testland-tor", "consensus")
    data = Graph()
    data.add((network, RDF.type, TOR.MigrationNetwork))
    data.add((network, TOR.level, TOR.CountryLevel))
    data.add((network, TOR.meetingFrequency, Literal("P3M", datatype=iris.XSD.duration)))
    data.add((verdict, RDF.type, TOR.Verdict))
    data.add((verdict, TOR.status, TOR.Missing))
    data.add((ok, RDF.type, TOR.Verdict))
    data.add((ok, TOR.status, TOR.Aligned))
    result = reason(data, write_inferred=True)
    assert result.consistent, result.lines()
    inferred = set(result.inferred_types)
    assert (str(network), str(TOR.CountryNetwork)) in inferred
    assert (str(verdict), str(TOR.Gap)) in inferred
    assert (str(verdict), str(TOR.ConflictVerdict)) not in inferred
    assert not any(i == str(ok) and c == str(TOR.Gap) for i, c in inferred)
    assert (network, RDF.type, TOR.CountryNetwork) in data
    assert (verdict, RDF.type, TOR.Gap) in data
    assert set(result.inferred_graph({network})) == {(network, RDF.type, TOR.CountryNetwork)}
    assert all(str(i).startswith(str(iris.ID)) for i, _ in inferred), "only torkg's own resources"


def test_an_ingested_document_is_consistent_with_the_ontology():
    pipeline = pytest.importorskip("torkg.ingest.pipeline")
    from torkg.ingest.read import read_document
    from torkg.ingest.to_rdf import Run, document_triples

    path = Path(__file__).resolve().parents[1] / "corpus" / "kyrgyzstan-tor.md"
    source = read_document(path)
    extraction = pipeline.extract(source, pipeline.resolve_meta("kyrgyzstan-tor", source.text))
    data = Graph()
    for triple in document_triples(extraction, Run.now("en_core_web_sm", "test")):
        data.add(triple)
    assert any(data.subjects(RDF.type, TOR.Obligation)), "the document yields provisions"
    result = reason(data)
    assert result.consistent, "\n".join(result.lines())
