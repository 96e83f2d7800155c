"""The torkg ontology and its SKOS reference data, as files and as parsed rdflib graphs.

``torkg.ttl`` holds the OWL 2 ontology (namespace ``tor:``); ``reference/*.ttl`` hold the
SKOS concept schemes the pipeline loads (UN entities, instruments, principles, GCM objectives,
stakeholder categories, themes, bearer kinds, countries and regions).

The parsed graphs are cached: each ``load_*`` call returns a fresh copy, so callers may change
what they get without affecting anyone else.

>>> ontology_path().name
'torkg.ttl'
>>> any(p.name == "un-entities.ttl" for p in reference_paths())
True
>>> from torkg.iris import un_entity_iri
>>> from rdflib.namespace import SKOS
>>> str(load_reference_graph().value(un_entity_iri("UN-WOMEN"), SKOS.notation))
'UN-WOMEN'
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

HERE = Path(__file__).resolve().parent
REFERENCE_DIR = HERE / "reference"

__all__ = ["ontology_path", "reference_paths", "load_ontology_graph", "load_reference_graph", "parse_turtle"]


def ontology_path() -> Path:
    """The Turtle file of the ontology."""
    return HERE / "torkg.ttl"


def reference_paths() -> list[Path]:
    """Every reference data file (``reference/*.ttl``), sorted by name."""
    return sorted(REFERENCE_DIR.glob("*.ttl"))


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file, raising ``ValueError`` that names the file on a syntax error."""
    graph = into if into is not None else Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser-specific types
        raise ValueError(f"{path}: not valid Turtle ({exc}); fix the file and reload") from exc
    return graph


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return parse_turtle(ontology_path())


@lru_cache(maxsize=1)
def _reference() -> Graph:
    graph = Graph()
    for path in reference_paths():
        parse_turtle(path, into=graph)
    return graph


def _copy(graph: Graph) -> Graph:
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=False)
    for triple in graph:
        out.add(triple)
    return out


def load_ontology_graph() -> Graph:
    """The ontology as a new rdflib graph (a copy of a cached parse)."""
    return _copy(_ontology())


def load_reference_graph() -> Graph:
    """All reference data as one new rdflib graph (a copy of a cached parse)."""
    return _copy(_reference())


def clear_cache() -> None:
    """Forget the cached parses, e.g. after editing a Turtle file in a long-running process."""
    _ontology.cache_clear()
    _reference.cache_clear()
