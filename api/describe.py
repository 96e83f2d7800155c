"""Dereferencing: what the server answers for a torkg IRI.

Every IRI torkg mints lives under ``https://w3id.org/torkg/``; the w3id redirect sends it to this
server with the same path, and the server answers it directly (200, ``Vary: Accept``; never a 303):

- ``/id/...`` (documents, provisions, networks, bodies, reference resources, reports): the
  resource's description (``queries/describe-resource.rq``): its statements graph by graph, its
  evidence spans, the reified statements that say which document states what, and the source
  documents and extraction runs (provenance);
- ``/def`` (and so every ``def#Term``): the ontology; ``/shapes``: the shapes;
- ``/graph/...``: the named graph itself.

>>> local_iri("id", "network/global")
'https://w3id.org/torkg/id/network/global'
>>> kind_of("https://w3id.org/torkg/graph/doc/global-tor")
'graph'
"""
from __future__ import annotations

from rdflib import Dataset, URIRef

from torkg import iris, queries
from torkg.store import Store

def local_iri(area: str, path: str) -> str:
    """The torkg IRI that ``/{area}/{path}`` on this server stands for."""
    if area == "id":
        return str(iris.ID[path])
    if area == "graph":
        return str(iris.GRAPH[path])
    raise ValueError(area)


def kind_of(iri: str) -> str:
    """``ontology``/``shapes`` (served as a whole graph), ``graph`` (a named graph) or ``resource``."""
    if iri == str(iris.ONTOLOGY_IRI) or iri.startswith(str(iris.TOR)):
        return "ontology"
    if iri.startswith(str(iris.SHAPES).rstrip("#")):
        return "shapes"
    if iri.startswith(str(iris.GRAPH)):
        return "graph"
    return "resource"


def whole_graph_of(iri: str) -> str | None:
    """The named graph served for an IRI that stands for a whole graph (ontology, shapes, graphs)."""
    kind = kind_of(iri)
    if kind == "ontology":
        return str(iris.ONTOLOGY_GRAPH)
    if kind == "shapes":
        return str(iris.SHAPES_GRAPH)
    if kind == "graph":
        return iri
    return None


def describe(store: Store, iri: str) -> Dataset:
    """The description of ``iri`` as a dataset (one graph per source graph); empty if unknown."""
    q = queries.load("describe-resource")
    _, rows = store.select(q.text, queries.bind_params(q, {"iri": iri}))
    ds = Dataset()
    for prefix, ns in iris.PREFIXES.items():
        ds.bind(prefix, ns)
    for r in rows:
        graph = ds.graph(r["g"]) if "g" in r else ds.default_graph
        graph.add((r["s"], r["p"], r["o"]))
    return ds


def is_empty(ds: Dataset) -> bool:
    return next(iter(ds.quads((None, None, None, None))), None) is None


def as_dataset(graph_iri: str, graph) -> Dataset:
    ds = Dataset()
    target = ds.graph(URIRef(graph_iri))
    for t in graph:
        target.add(t)
    return ds
