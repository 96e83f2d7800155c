"""Checks of the shapes files themselves: SHACL-for-SHACL and known vocabulary.

- Every shapes graph is validated against the W3C SHACL-for-SHACL shapes graph (``shacl-shacl.ttl``,
  W3C Recommendation "Shapes Constraint Language", Appendix C, as shipped by pyshacl).
- SHACL-for-SHACL does not know a misspelt term from an extension, so every term of a closed
  vocabulary a shapes file uses must exist there: ``rdfs:Label`` or ``sh:severty`` fail. SHACL,
  RDF, RDFS, OWL, XSD, SKOS, DCTERMS and VANN terms are checked against their vocabularies,
  ``tor:`` terms against the ontology, ``torsh:`` terms against the shapes files.

>>> from rdflib import Graph
>>> bad = Graph().parse(data='''
... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... <urn:x:S> a sh:NodeShape ; rdfs:Label "x" ; sh:severty sh:Warning .''', format="turtle")
>>> [p.split(": ")[0] for p in lint(bad)]
['unknown term', 'unknown term']
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, VANN, XSD

from torkg.iris import SHAPES, TOR

ASSETS = Path(pyshacl.__file__).resolve().parent / "assets"
CLOSED = (RDF, RDFS, OWL, XSD, SKOS, DCTERMS, VANN)


@lru_cache(maxsize=1)
def shacl_shacl() -> Graph:
    """The SHACL-for-SHACL shapes graph (W3C, shipped with pyshacl)."""
    return Graph().parse(ASSETS / "shacl-shacl.ttl", format="turtle")


@lru_cache(maxsize=1)
def shacl_vocabulary() -> frozenset[URIRef]:
    graph = Graph().parse(ASSETS / "shacl.ttl", format="turtle")
    return frozenset(s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(SH)))


def _terms(graph: Graph):
    for s, p, o in graph:
        yield p
        if p == RDF.type:
            yield o
        elif isinstance(o, URIRef):
            yield o


def lint(shapes: Graph, ontology: Graph | None = None) -> list[str]:
    """Problems of a shapes graph, one sentence each (empty: fine)."""
    problems = []
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl(), inference="none",
                                         max_validation_depth=64)
    if not conforms:
        problems.append(f"not valid SHACL (SHACL-for-SHACL): {text}")
    declared_torsh = {s for s in shapes.subjects() if isinstance(s, URIRef)} \
        | {o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)}
    tor_terms = {s for s in ontology.subjects() if isinstance(s, URIRef)} if ontology is not None else None
    for term in sorted(set(_terms(shapes)), key=str):
        if not isinstance(term, URIRef):
            continue
        text = str(term)
        if text.startswith(str(SH)):
            known = term in shacl_vocabulary()
        elif text.startswith(str(SHAPES)):
            known = term in declared_torsh
        elif text.startswith(str(TOR)):
            known = tor_terms is None or term in tor_terms
        else:
            vocab = next((v for v in CLOSED if text.startswith(str(v))), None)
            known = vocab is None or term in vocab
        if not known:
            problems.append(f"unknown term: {term} is not defined in its vocabulary (misspelt?)")
    return problems
