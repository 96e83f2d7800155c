"""The SKOS reference data (``ontology/reference/*.ttl``) as plain lookup tables.

Every reference resource is a SKOS concept whose IRI is minted by ``torkg.iris``
(``torid:{kind}/{key}``: ``un-entity/IOM``, ``instrument/gcm``, ``country/KG``...). Loading turns
each into an :class:`Entry` (key, kind, labels, aliases, acronym) so that ingestion stages match
text against plain strings and never touch RDF.

>>> ref = load_reference()
>>> ref.get("un-entity", "IOM").acronym
'IOM'
>>> ref.find("un-entity", "UN Women").key
'UN-WOMEN'
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from torkg.iris import ID, TOR
from torkg.ontology import load_reference_graph, parse_turtle

# The reference kinds, each the first path segment of its resources' IRIs (torid:{kind}/{key}).
KINDS = (
    "un-entity", "instrument", "working-principle", "gcm-principle", "gcm-objective",
    "stakeholder", "theme", "country", "region", "bearer-kind",
)


@dataclass(frozen=True)
class Entry:
    """One reference resource, e.g. the UN entity IOM or the working principle ``coherence``."""

    key: str                            # skos:notation (or the IRI's last segment)
    kind: str                           # one of KINDS
    iri: str
    label: str | None = None            # skos:prefLabel (English first)
    labels: tuple[str, ...] = ()        # every skos:prefLabel
    aliases: tuple[str, ...] = ()       # skos:altLabel and skos:hiddenLabel
    acronym: str | None = None          # tor:acronym
    spatial: tuple[str, ...] = ()       # dct:spatial targets as "kind/key" (e.g. "region/142")
    broader: tuple[str, ...] = ()       # skos:broader targets as "kind/key"

    @property
    def names(self) -> tuple[str, ...]:
        """Every string that names this resource: labels, aliases, acronym and notation."""
        seen: dict[str, None] = {}
        for name in (*self.labels, *self.aliases, self.acronym, self.key):
            if name and name.strip():
                seen.setdefault(name.strip(), None)
        return tuple(seen)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().casefold()


@dataclass
class Reference:
    """Reference entries with lookups by kind, key and name."""

    entries: tuple[Entry, ...]
    _by_key: dict[tuple[str, str], Entry] = field(default_factory=dict, repr=False)
    _by_name: dict[tuple[str, str], Entry] = field(default_factory=dict, repr=False)
    _by_kind: dict[str, list[Entry]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_kind: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            by_kind[entry.kind].append(entry)
            self._by_key[(entry.kind, entry.key)] = entry
            self._by_key.setdefault((entry.kind, entry.key.casefold()), entry)
        # Labels win over aliases: register labels first, aliases only where still free.
        for entry in self.entries:
            for name in entry.labels:
                self._by_name.setdefault((entry.kind, _norm(name)), entry)
        for entry in self.entries:
            for name in entry.names:
                self._by_name.setdefault((entry.kind, _norm(name)), entry)
        self._by_kind = dict(by_kind)

    def of_kind(self, kind: str) -> list[Entry]:
        """All entries of one kind (empty if the reference data has none)."""
        return list(self._by_kind.get(kind, ()))

    def get(self, kind: str, key: str) -> Entry | None:
        """The entry with this notation, or None."""
        return self._by_key.get((kind, key)) or self._by_key.get((kind, key.casefold()))

    def find(self, kind: str, name: str) -> Entry | None:
        """The entry one of whose names is ``name`` (case- and space-insensitive), or None."""
        return self._by_name.get((kind, _norm(name)))

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self._by_kind)


def _split(iri: URIRef) -> tuple[str, str] | None:
    """``torid:un-entity/IOM`` -> ("un-entity", "IOM"); None for IRIs outside torid."""
    text = str(iri)
    if not text.startswith(str(ID)):
        return None
    path = text[len(str(ID)):]
    kind, _, key = path.partition("/")
    return (kind, key) if kind and key else None


def _texts(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    """Literal values, English (or untagged) first, in a stable order."""
    values = [v for v in graph.objects(subject, predicate)]
    values.sort(key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)))
    return [str(v) for v in values if getattr(v, "language", None) in (None, "en")]


def _entries(graph: Graph) -> Iterable[Entry]:
    subjects = {s for s in graph.subjects(SKOS.prefLabel, None) if isinstance(s, URIRef)}
    subjects |= {s for s in graph.subjects(SKOS.notation, None) if isinstance(s, URIRef)}
    for subject in sorted(subjects, key=str):
        where = _split(subject)
        if where is None or where[0] not in KINDS:
            continue
        kind, tail = where
        notations = _texts(graph, subject, SKOS.notation)
        labels = _texts(graph, subject, SKOS.prefLabel)
        aliases = _texts(graph, subject, SKOS.altLabel) + _texts(graph, subject, SKOS.hiddenLabel)
        acronyms = _texts(graph, subject, TOR.acronym)
        related = {}
        for name, predicate in (("spatial", DCTERMS.spatial), ("broader", SKOS.broader)):
            targets = [_split(o) for o in graph.objects(subject, predicate) if isinstance(o, URIRef)]
            related[name] = tuple(sorted(f"{k}/{v}" for k, v in filter(None, targets)))
        yield Entry(
            key=notations[0] if notations else tail, kind=kind, iri=str(subject),
            label=labels[0] if labels else None, labels=tuple(labels), aliases=tuple(aliases),
            acronym=acronyms[0] if acronyms else None, **related,
        )


def reference_from_graph(graph: Graph) -> Reference:
    """The reference tables of an rdflib graph of SKOS reference data."""
    return Reference(tuple(_entries(graph)))


def read_reference(paths: Iterable[Path | str]) -> Reference:
    """Parse the given Turtle files into a :class:`Reference` (no caching); a file that is not
    valid Turtle raises ``ValueError`` naming it."""
    graph = Graph()
    for path in paths:
        parse_turtle(Path(path), into=graph)
    return reference_from_graph(graph)


@functools.lru_cache(maxsize=1)
def load_reference() -> Reference:
    """The project's reference data (``ontology/reference/*.ttl``), built once per process; call
    ``load_reference.cache_clear()`` after editing the files in a long-running process."""
    return reference_from_graph(load_reference_graph())
