"""OWL 2 reasoning with HermiT over the ontology, the reference data and (optionally) a data graph.

``reason()`` merges the graphs, hands them to owlready2 as N-Triples and runs HermiT
(``sync_reasoner``). It reports whether the whole is consistent, the types HermiT infers that no
triple states (e.g. a network with ``tor:level tor:CountryLevel`` is a ``tor:CountryNetwork``, a
verdict with ``tor:status tor:Missing`` is a ``tor:Gap``), and, when it is inconsistent, the
resources that make it so:

1. Pellet (shipped with owlready2) is asked for an explanation: the axioms and assertions that
   together entail ``owl:Nothing``; the individuals they name are the culprits.
2. If Pellet gives none, the data graph is bisected by subject with HermiT, within a bounded
   number of reasoner calls, down to a small set of subjects that is inconsistent on its own.

HermiT knows only the OWL 2 datatype map; axioms about other datatypes (``xsd:duration`` of
``tor:frequency``) are ignored rather than refused (``--ignoreUnsupportedDatatypes``).
Reasoning needs Java on the PATH (owlready2 runs ``java``).
"""
from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from torkg.iris import ID, PREFIXES
from torkg.ontology import load_ontology_graph, load_reference_graph

log = logging.getLogger(__name__)

BUILTIN = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
SCHEMA_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Class,
                RDF.Property, OWL.Ontology}
TOKEN = "https://torkg.invalid/"
TOKEN_RE = re.compile(r"\btk(\d+)q\b")
PELLET_TIMEOUT = 120


class ReasoningError(RuntimeError):
    """The reasoner could not run (no Java, a Java error, an unreadable graph)."""


@dataclass(frozen=True)
class ReasoningResult:
    """What HermiT concluded about the ontology + reference data (+ data graph)."""

    consistent: bool
    inferred_types: tuple[tuple[str, str], ...] = ()
    """(individual IRI, class IRI) pairs entailed but not stated (nor entailed by stated
    rdfs:subClassOf alone), for torkg's own resources (``torid:``); empty when inconsistent."""
    culprits: tuple[str, ...] = ()
    """IRIs of the resources that make the graph inconsistent, data subjects first."""
    explanation: str = ""
    """The reasoner's explanation of the inconsistency, with compact IRIs."""
    seconds: float = 0.0
    triples: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def inferred_graph(self, subjects: set | None = None) -> Graph:
        """The inferred types as ``rdf:type`` triples, optionally only for the given subjects."""
        graph = Graph()
        for individual, cls in self.inferred_types:
            node = URIRef(individual)
            if subjects is None or node in subjects:
                graph.add((node, RDF.type, URIRef(cls)))
        return graph

    @property
    def inferred(self) -> tuple[tuple[str, str], ...]:
        """Alias of ``inferred_types``."""
        return self.inferred_types

    def inferred_triples(self) -> list[tuple[URIRef, URIRef, URIRef]]:
        """The inferred types as ``(individual, rdf:type, class)`` triples."""
        return [(URIRef(i), RDF.type, URIRef(c)) for i, c in self.inferred_types]

    def lines(self) -> list[str]:
        """The report as lines of text: the summary, the culprits, the explanation, notes."""
        out = [self.summary()]
        if not self.consistent:
            out += [f"  offending: {iri}" for iri in self.culprits]
            out += ["  " + line for line in self.explanation.splitlines() if line.strip()]
        out += [f"  note: {note}" for note in self.notes]
        return out

    def summary(self) -> str:
        """One human line, e.g. for the CLI."""
        if self.consistent:
            return (f"consistent ({self.triples} triples, {len(self.inferred_types)} inferred types, "
                    f"{self.seconds:.1f} s)")
        return (f"INCONSISTENT ({self.triples} triples, {self.seconds:.1f} s); offending resources: "
                + (", ".join(self.culprits) or "not found"))


# --- public entry point --------------------------------------------------------------------------
def reason(extra: Graph | None = None, write_inferred: bool = False, *, include_reference: bool = True,
           max_bisect_calls: int = 8) -> ReasoningResult:
    """Check the ontology, the reference data and ``extra`` (a data graph) with HermiT.

    With ``write_inferred`` the inferred ``rdf:type`` triples whose subject occurs in ``extra``
    are added to ``extra`` in place (the caller then stores it). ``max_bisect_calls`` bounds the
    reasoner calls spent finding culprits when Pellet gives no explanation.
    """
    started = time.monotonic()
    base = load_ontology_graph()
    if include_reference:
        base += load_reference_graph()
    data = extra if extra is not None else Graph()
    schema = base + data
    base, data = _prune(base, schema), _prune(data, schema)
    merged = base + data
    ok = _hermit(merged)
    if ok is not None:
        inferred = _new_types(merged, ok)
        if write_inferred and extra is not None:
            subjects = set(extra.subjects())
            for individual, cls in inferred:
                if URIRef(individual) in subjects:
                    extra.add((URIRef(individual), RDF.type, URIRef(cls)))
        return ReasoningResult(True, tuple(inferred), seconds=time.monotonic() - started, triples=len(merged))

    notes = []
    explanation, culprits = _explain(merged)
    if not culprits:
        notes.append("Pellet gave no explanation; bisected the graph with HermiT instead")
        suspects_graph = data if len(data) else base
        rest = base if len(data) else _prune(load_ontology_graph(), schema)
        culprits, exhausted = _bisect(rest, suspects_graph, max_bisect_calls)
        if exhausted:
            notes.append(f"stopped after {max_bisect_calls} reasoner calls: the culprits are among the subjects listed")
    data_subjects = set(data.subjects())
    culprits = sorted(set(culprits), key=lambda iri: (URIRef(iri) not in data_subjects, iri))
    return ReasoningResult(False, (), tuple(culprits), explanation, time.monotonic() - started, len(merged),
                           tuple(notes))


# --- what HermiT needs to see --------------------------------------------------------------------
PROPERTY_AXIOMS = {RDFS.domain, RDFS.range, RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf,
                   OWL.propertyDisjointWith, OWL.propertyChainAxiom}
PROPERTY_CHARACTERISTICS = {OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty,
                            OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.ReflexiveProperty,
                            OWL.IrreflexiveProperty}


def _prune(graph: Graph, schema: Graph | None = None) -> Graph:
    """The graph without what cannot change consistency or types: annotations, and literal values
    of properties that no axiom of ``schema`` (default: the graph itself) mentions (document text,
    anchors, offsets). Whole-text literals slow HermiT down several times over and tell it nothing."""
    schema = graph if schema is None else schema
    annotation = set(schema.subjects(RDF.type, OWL.AnnotationProperty))
    logical = {p for p, q in schema.subject_predicates() if q in PROPERTY_AXIOMS}
    logical |= {p for p, t in schema.subject_objects(RDF.type) if t in PROPERTY_CHARACTERISTICS}
    logical |= set(schema.objects(None, OWL.onProperty)) | set(schema.objects(None, RDFS.subPropertyOf))
    out = Graph()
    for s, p, o in graph:
        if p in annotation and p not in logical:
            continue
        if isinstance(o, Literal) and p not in logical and not str(p).startswith(BUILTIN):
            continue
        out.add((s, p, o))
    return out


# --- HermiT --------------------------------------------------------------------------------------
def _hermit(graph: Graph):
    """Run HermiT on the graph; the reasoned owlready2 World if consistent, None if not."""
    import owlready2

    path = _write_ntriples(graph)
    try:
        world = owlready2.World()
        try:
            onto = world.get_ontology(Path(path).as_uri()).load()
        except Exception as exc:
            raise ReasoningError(f"owlready2 could not load the merged graph ({exc})") from exc
        try:
            owlready2.sync_reasoner_hermit(onto, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            world.close()
            return None
        except owlready2.OwlReadyJavaError as exc:
            raise ReasoningError(f"HermiT failed: {str(exc)[:2000]}") from exc
        except FileNotFoundError as exc:
            raise ReasoningError("java was not found: install a Java runtime (11+) and put it on the PATH") from exc
        return world
    finally:
        os.unlink(path)


def _consistent(graph: Graph) -> bool:
    """HermiT's consistency check alone (``-k``): no classification, much cheaper than ``_hermit``."""
    import owlready2
    from owlready2 import reasoning

    path = _write_ntriples(graph)
    command = [owlready2.JAVA_EXE, f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp", reasoning._HERMIT_CLASSPATH,
               "org.semanticweb.HermiT.cli.CommandLine", "-k", Path(path).as_uri(), "--ignoreUnsupportedDatatypes"]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise ReasoningError("java was not found: install a Java runtime (11+) and put it on the PATH") from exc
    finally:
        os.unlink(path)
    if done.returncode == 0 and "is satisfiable" in done.stdout:
        return True
    if "Inconsistent" in done.stderr:
        return False
    raise ReasoningError(f"HermiT failed: {(done.stderr or done.stdout)[-2000:]}")


def _write_ntriples(graph: Graph) -> str:
    handle = tempfile.NamedTemporaryFile("wb", suffix=".nt", delete=False)
    try:
        graph.serialize(handle, format="nt", encoding="utf-8")
    finally:
        handle.close()
    return handle.name


def _new_types(graph: Graph, world) -> list[tuple[str, str]]:
    """Types of individuals that HermiT entails and the stated graph does not."""
    import owlready2

    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sup, URIRef):
            parents[sub].add(sup)
    stated: dict[URIRef, set[URIRef]] = defaultdict(set)
    for node, cls in graph.subject_objects(RDF.type):
        stated[node] |= _closure(cls, parents)
    out = []
    thing = str(OWL.Thing)
    schema = {s for s, t in graph.subject_objects(RDF.type) if t in SCHEMA_TYPES}
    individuals = {node for s, p, o in graph if p != RDF.type for node in (s, o)
                   if isinstance(node, URIRef) and node not in schema and not str(node).startswith(BUILTIN)}
    individuals |= {s for s in graph.subjects(RDF.type) if isinstance(s, URIRef) and s not in schema}
    individuals = {node for node in individuals if str(node).startswith(str(ID))}   # torkg's own resources
    for iri in sorted(individuals):
        individual = world[str(iri)]
        if not isinstance(individual, owlready2.Thing):
            continue
        entailed = set()
        for cls in individual.is_a:
            if isinstance(cls, owlready2.ThingClass):
                entailed |= {a.iri for a in cls.ancestors() if isinstance(a, owlready2.ThingClass)}
        for cls in sorted(entailed - {thing} - {str(c) for c in stated[iri]}):
            out.append((str(iri), cls))
    world.close()
    return sorted(out)


def _closure(cls: URIRef, parents: dict) -> set:
    seen, todo = set(), [cls]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(parents.get(node, ()))
    return seen


# --- explanation with Pellet ---------------------------------------------------------------------
def _explain(graph: Graph) -> tuple[str, list[str]]:
    """Ask Pellet why the graph is inconsistent: (explanation text, offending individuals)."""
    import owlready2
    from owlready2 import reasoning

    # Pellet prints short names only: give every non-builtin IRI a unique token it prints whole.
    forward: dict[URIRef, URIRef] = {}
    back: dict[str, URIRef] = {}

    def token(term):
        if isinstance(term, URIRef) and not str(term).startswith(BUILTIN):
            if term not in forward:
                forward[term] = URIRef(f"{TOKEN}tk{len(forward)}q")
                back[str(len(back))] = term
            return forward[term]
        return term

    renamed = Graph()
    for s, p, o in graph:
        renamed.add((token(s), token(p), token(o)))
    path = _write_ntriples(renamed)
    command = [owlready2.JAVA_EXE, f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp", reasoning._PELLET_CLASSPATH,
               "pellet.Pellet", "explain", "--ignore-imports", path]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PELLET_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("pellet explain did not run: %s", exc)
        return "", []
    finally:
        os.unlink(path)
    text = done.stdout
    at = text.find("Explanation")
    if at < 0:
        log.warning("pellet explain gave no explanation: %s", (done.stderr or text)[-500:])
        return "", []
    body = text[at:].strip()
    names = [back[n] for n in TOKEN_RE.findall(body) if n in back]
    schema = {s for s, t in graph.subject_objects(RDF.type) if t in SCHEMA_TYPES}
    culprits = [str(n) for n in dict.fromkeys(names) if n not in schema]
    return TOKEN_RE.sub(lambda m: _compact(back.get(m.group(1), m.group(0))), body), culprits


def _compact(iri) -> str:
    iri = str(iri)
    best = None
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else f"<{iri}>"


# --- bisection with HermiT -----------------------------------------------------------------------
def _descriptions(graph: Graph) -> dict:
    """The triples of each named subject, with the blank nodes it reaches."""
    out: dict[URIRef, Graph] = {}
    for subject in set(graph.subjects()):
        if isinstance(subject, BNode):
            continue
        part, todo, seen = Graph(), [subject], set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for triple in graph.triples((node, None, None)):
                part.add(triple)
                if isinstance(triple[2], BNode):
                    todo.append(triple[2])
        out[subject] = part
    return out


def _bisect(base: Graph, suspects: Graph, max_calls: int) -> tuple[list[str], bool]:
    """A small set of subjects of ``suspects`` that is inconsistent together with ``base``
    (QuickXplain-style halving). Returns (subjects, whether the call budget ran out)."""
    parts = _descriptions(suspects)
    calls = [0]

    def union(graph: Graph, keys) -> Graph:
        out = graph + Graph()
        for key in keys:
            out += parts[key]
        return out

    def consistent(keys, background) -> bool:
        calls[0] += 1
        return _consistent(union(background, keys))

    def find(background: Graph, keys: list) -> list:
        if len(keys) <= 1 or calls[0] >= max_calls:
            return keys
        half = len(keys) // 2
        left, right = keys[:half], keys[half:]
        if not consistent(left, background):
            return find(background, left)
        if calls[0] >= max_calls:
            return keys
        if not consistent(right, background):
            return find(background, right)
        found_left = find(union(background, right), left)
        return found_left + find(union(background, found_left), right)

    keys = sorted(parts, key=str)
    found = find(base, keys)
    return [str(k) for k in found], calls[0] >= max_calls
