"""Named-query loading and safe, typed parameter binding."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from torkg import iris, queries
from torkg.queries import QueryError, bind_params, load
from torkg.store import OxigraphStore


def test_every_query_has_a_header_and_parses_in_the_store():
    store = OxigraphStore()
    assert len(queries.names()) >= 2
    for q in queries.all_queries():
        assert q.title and q.title != q.name, q.name
        assert q.description, q.name
        assert q.text.lstrip().startswith("#"), q.name
        store.select(q.text) if "SELECT" in q.text.upper() else None


def test_parameters_are_typed():
    q = queries.parse("# title: t\n# description: d\n# param: doc (doc): a document\n"
                      "# param: n (integer, optional): a number\nSELECT * WHERE {}", "t")
    assert bind_params(q, {"doc": "kyrgyzstan-tor"}) == {"doc": iris.doc_iri("kyrgyzstan-tor")}
    with pytest.raises(QueryError, match="needs parameter doc"):
        bind_params(q, {})
    with pytest.raises(QueryError, match="no parameter colour"):
        bind_params(q, {"doc": "x", "colour": "red"})
    with pytest.raises(QueryError, match="must be an integer"):
        bind_params(q, {"doc": "x", "n": "1; DROP ALL"})
    with pytest.raises(QueryError, match="must be an identifier"):
        bind_params(q, {"doc": "x> } ; DROP ALL ; #"})


def test_a_value_with_sparql_syntax_does_not_change_the_query():
    store = OxigraphStore()
    g, p = URIRef("http://example.org/g"), URIRef("http://example.org/p")
    store.replace_graphs({str(g): [(g, p, Literal("safe")), (g, p, Literal("other"))]})
    q = queries.parse('# title: t\n# description: d\n# param: v (string): value\n'
                      'SELECT ?s WHERE { GRAPH ?g { ?s ?p ?v } }', "t")
    evil = '" } UNION { GRAPH ?g { ?s ?p ?x } } #'
    assert store.select(q.text, bind_params(q, {"v": evil}))[1] == []
    assert len(store.select(q.text, bind_params(q, {"v": "safe"}))[1]) == 1


def test_unknown_query_lists_the_known_ones():
    with pytest.raises(QueryError, match="known queries: .*provisions"):
        load("no-such-query")
    with pytest.raises(QueryError):
        load("../etc/passwd")
