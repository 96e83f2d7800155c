"""SPARQL on rdflib graphs without re-parsing: a query text is parsed and translated once.

rdflib parses SPARQL with pyparsing, which costs ~0.1 s for a shape's query; pyshacl sends the same
query texts on every validation. :class:`QueryCachingGraph` is a plain rdflib ``Graph`` whose
``query`` looks the text up in a process-wide cache of prepared queries first, so that a check
parses its shapes' SPARQL once per process instead of once per document.

>>> g = QueryCachingGraph()
>>> g.query("ASK { ?s ?p ?o }").askAnswer
False
>>> prepared("ASK { ?s ?p ?o }") is prepared("ASK { ?s ?p ?o }")
True
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query


@lru_cache(maxsize=1024)
def prepared(text: str) -> Query | None:
    """The parsed and translated query, or None when it needs the graph's namespaces (prefixes it
    does not declare) or is not a query (an update): those go the ordinary way."""
    try:
        return prepareQuery(text)
    except Exception:  # undeclared prefix, update, syntax error: let rdflib report it as usual
        return None


class QueryCachingGraph(Graph):
    """An rdflib Graph whose string queries are prepared once per process (see module doc)."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any):  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = prepared(query_object) or query_object
        return super().query(query_object, *args, **kwargs)
