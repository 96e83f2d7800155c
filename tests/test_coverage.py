"""Objective coverage (shapes/coverage.py): global objectives found structurally, matched to a
checked ToR's clauses with an explainable similarity."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from torkg import iris
from torkg.iris import TOR
from torkg.shapes.coverage import (THRESHOLD, CoverageError, analyse, candidates, correspondence_graph, cover,
                                   global_objectives, match)
from torkg.shapes.spans import Span

DATA = Path(__file__).parent / "data" / "alignment"


def load(name: str) -> Graph:
    return Graph().parse(DATA / name, format="turtle")


def spans(*texts: str) -> list[Span]:
    """Spans of a made-up document, one per text."""
    out, at = [], 0
    for text in texts:
        out.append(Span(iris.span_iri("small", at, at + len(text)), at, at + len(text), text, iris.doc_iri("small")))
        at += len(text) + 1
    return out


@pytest.fixture(scope="module")
def global_graph() -> Graph:
    return load("global.ttl")


def test_global_objectives_are_the_items_of_the_objectives_lead_in(global_graph):
    objectives = global_objectives(global_graph)
    assert len(objectives) == 9
    assert objectives[0].text.startswith("- Ensure effective, timely, coordinated UN system-wide support")
    assert objectives[7].text.startswith("- Engage with external partners")
    assert objectives[8].text.startswith("- Report to the Secretary-General")
    assert [o.start for o in objectives] == sorted(o.start for o in objectives)


def test_without_a_lead_in_the_objectives_section_is_used(global_graph):
    g = Graph()
    for triple in global_graph:
        if triple[2] != TOR.LeadIn:
            g.add(triple)
    objectives = global_objectives(g)
    assert len(objectives) == 9 and objectives[8].text.startswith("- Report to the Secretary-General")


def test_no_objectives_is_an_error_that_says_why():
    with pytest.raises(CoverageError, match="no objectives found"):
        global_objectives(load("missing.ttl") + _global_network_of("missing"))


def _global_network_of(name: str) -> Graph:
    g = Graph()
    g.add((iris.network_iri("freedonia"), RDF.type, TOR.GlobalNetwork))
    return g


def test_a_reporting_clause_matches_the_reporting_objective():
    objectives = spans("Report to the Secretary-General as required on the implementation of the GCM.",
                       "Engage with external partners, including migrants and civil society.")
    clauses = spans("Organize and chair meetings in Bangkok.",
                    "Prepare regional input to the Secretary-General's biennial report to the General Assembly.",
                    "Consult civil society organizations and migrant associations on the work plan.")
    found = {c.number: c for c in match(objectives, clauses)}
    assert found[1].counterpart == clauses[1]
    assert "reporting-secretary-general" in found[1].shared and "secretary" in found[1].shared
    assert found[2].counterpart == clauses[2]
    assert "stakeholder-engagement" in found[2].shared
    assert all(THRESHOLD <= c.score <= 1 for c in found.values())


def test_unrelated_clauses_cover_nothing():
    objectives = spans("Establish and provide support to the capacity building mechanism, as outlined in the GCM.")
    clauses = spans("The Chair will circulate the agenda one week before each meeting.",
                    "Minutes will be kept by the host agency.")
    assert match(objectives, clauses) == []


def test_analyse_caches_lemmas_and_concepts():
    text = "Members will share data and analysis on migration with the Secretary-General."
    first, = analyse([text])
    again, = analyse([text])
    assert first is again
    lemmas, concepts = first
    assert {"analysis", "migration", "share"} <= lemmas and "will" not in lemmas and "the" not in lemmas
    assert "theme:data-knowledge" in concepts and "role:Secretary-General" in concepts


def test_candidates_skip_background_annexes_and_footnotes():
    g = load("aligned.ttl")
    texts = [c.text for c in candidates(g, iris.doc_iri("aligned-tor"))]
    assert "IOM shall act as coordinator and provide the secretariat." in texts
    assert not any(t.startswith("UN Network on Migration in Ruritania") for t in texts)   # the title


@pytest.mark.parametrize("name, at_least, at_most", [("aligned", 5, 9), ("alternative", 5, 9), ("missing", 0, 0),
                                                     ("conflict", 0, 1)])
def test_cover_counts_objectives(global_graph, name, at_least, at_most):
    found = cover(global_graph, load(f"{name}.ttl"))
    assert at_least <= len({c.number for c in found}) <= at_most


def test_coverage_and_shape_count_the_same_global_objectives(global_graph):
    """The objectives-coverage shape counts the global objectives in SPARQL; it must find what
    global_objectives() finds."""
    from rdflib.namespace import SH

    from torkg.shapes import alignment_shapes, sparql_prefixes
    shapes = alignment_shapes()
    constraint = shapes.value(iris.shape_iri("ObjectivesCoveredShape"), SH.sparql)
    query = str(shapes.value(constraint, SH.select))
    inner = re.search(r"(SELECT \$this \(COUNT\(DISTINCT \?item\) AS \?all\).*?GROUP BY \$this)", query, re.S).group(1)
    checked = URIRef("https://example.org/network/checked")
    data = Graph() + global_graph
    data.add((checked, RDF.type, TOR.CountryNetwork))
    rows = list(data.query(sparql_prefixes() + inner, initBindings={"this": checked}))
    assert [(row[0], int(row[1])) for row in rows] == [(checked, len(global_objectives(global_graph)))]
    assert len(global_objectives(global_graph)) == 9


def test_correspondence_triples(global_graph):
    found = cover(global_graph, load("aligned.ttl"))
    g = correspondence_graph("aligned-tor", found)
    correspondences = set(g.subjects(RDF.type, TOR.ObjectiveCorrespondence))
    assert len(correspondences) == len(found)
    for c in found:
        iri = iris.correspondence_iri("aligned-tor", c.number, c.counterpart.start, c.counterpart.end)
        assert g.value(iri, TOR.globalObjective) == c.objective.iri
        assert g.value(iri, TOR.counterpart) == c.counterpart.iri
        assert int(g.value(iri, TOR.objectiveNumber)) == c.number
        assert str(g.value(iri, TOR.sharedTerms)) == ", ".join(c.shared)
        assert float(g.value(iri, TOR.score)) == c.score
