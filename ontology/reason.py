"""OWL 2 reasoning with HermiT over the ontology, the reference data and (optionally) a data graph.

``reason()`` merges the graphs and runs HermiT (the jar owlready2 ships, started the way owlready2
starts it) to classify the classes and realise the individuals. It reports whether the whole is
consistent, the types HermiT infers that no triple states (e.g. a network with ``tor:level
tor:CountryLevel`` is a ``tor:CountryNetwork``, a verdict with ``tor:status tor:Missing`` is a
``tor:Gap``), and, when it is inconsistent, the resources that make it so:

1. Pellet (also shipped with owlready2) is asked for an explanation: the axioms and assertions
   that together entail ``owl:Nothing``; the individuals they name are the culprits.
2. If Pellet gives none, the data graph is bisected by subject with HermiT's consistency check,
   within a bounded number of reasoner calls, down to a small set of subjects that is
   inconsistent on its own.

What HermiT sees is pruned first: annotations, and literal values of properties no axiom mentions
(document text, anchors, offsets), cannot change consistency or types but slow it down severalfold.
HermiT knows only the OWL 2 datatype map; axioms about other datatypes (``xsd:duration`` of
``tor:frequency``) are ignored rather than refused (``--ignoreUnsupportedDatatypes``).
Reasoning needs Java on the PATH.
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
    """How many triples were checked (ontology + reference data + data graph, before pruning)."""
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
           max_explanations: int = 3, max_bisect_calls: int = 8) -> ReasoningResult:
    """Check the ontology, the reference data and ``extra`` (a data graph) with HermiT.

    With ``write_inferred`` the inferred ``rdf:type`` triples whose subject occurs in ``extra``
    are added to ``extra`` in place (the caller then stores it). When the graph is inconsistent, up
    to ``max_explanations`` independent clashes are explained (the culprits of one are set aside
    before asking for the next); ``max_bisect_calls`` bounds the reasoner calls spent finding
    culprits when Pellet gives no explanation.
    """
    started = time.monotonic()
    base = load_ontology_graph()
    if include_reference:
        base += load_reference_graph()
    data = extra if extra is not None else Graph()
    schema = base + data
    total = len(schema)
    base, data = _prune(base, schema), _prune(data, schema)
    merged = base + data
    entailed = _hermit(merged)
    if entailed is not None:
        inferred = _new_types(merged, entailed)
        if write_inferred and extra is not None:
            subjects = set(extra.subjects())
            for individual, cls in inferred:
                if URIRef(individual) in subjects:
                    extra.add((URIRef(individual), RDF.type, URIRef(cls)))
        return ReasoningResult(True, tuple(inferred), seconds=time.monotonic() - started, triples=total)

    notes = []
    explanation, culprits = _explain_all(base, data, max_explanations)
    if not culprits:
        notes.append("Pellet gave no explanation; bisected the graph with HermiT instead")
        suspects_graph = data if len(data) else base
        rest = base if len(data) else _prune(load_ontology_graph(), schema)
        culprits, exhausted = _bisect(rest, suspects_graph, max_bisect_calls)
        if exhausted:
            notes.append(f"stopped after {max_bisect_calls} reasoner calls: the culprits are among the subjects listed")
    data_subjects = set(data.subjects())
    culprits = sorted(set(culprits), key=lambda iri: (URIRef(iri) not in data_subjects, iri))
    return ReasoningResult(False, (), tuple(culprits), explanation, time.monotonic() - started, total,
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
    anchors, offsets), and ``owl:imports``. Whole-text literals slow HermiT down several times over
    and tell it nothing."""
    schema = graph if schema is None else schema
    annotation = set(schema.subjects(RDF.type, OWL.AnnotationProperty))
    logical = {p for p, q in schema.subject_predicates() if q in PROPERTY_AXIOMS}
    logical |= {p for p, t in schema.subject_objects(RDF.type) if t in PROPERTY_CHARACTERISTICS}
    logical |= set(schema.objects(None, OWL.onProperty)) | set(schema.objects(None, RDFS.subPropertyOf))
    out = Graph()
    for s, p, o in graph:
        if p == OWL.imports:            # everything is merged already; HermiT must not fetch
            continue
        if p in annotation and p not in logical:
            continue
        if isinstance(o, Literal) and p not in logical and not str(p).startswith(BUILTIN):
            continue
        out.add((s, p, o))
    return out


# --- HermiT --------------------------------------------------------------------------------------
HERMIT_LINE = re.compile(r"^(SubClassOf|EquivalentClasses|Type)\( ((?:<[^>]+>\s*)+)\)$")


def _run_hermit(graph: Graph, actions: list[str]) -> subprocess.CompletedProcess | None:
    """HermiT (the jar owlready2 ships) on the graph; None if the graph is inconsistent."""
    import owlready2
    from owlready2 import reasoning

    path = _write_ntriples(graph)
    command = [owlready2.JAVA_EXE, f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp", reasoning._HERMIT_CLASSPATH,
               "org.semanticweb.HermiT.cli.CommandLine", *actions, Path(path).as_uri(),
               "--ignoreUnsupportedDatatypes"]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise ReasoningError("java was not found: install a Java runtime (11+) and put it on the PATH") from exc
    finally:
        os.unlink(path)
    if done.returncode == 0:
        return done
    if "Inconsistent" in done.stderr or "Inconsistent" in done.stdout:
        return None
    raise ReasoningError(f"HermiT failed (exit {done.returncode}): {(done.stderr or done.stdout)[-2000:]}")


def _hermit(graph: Graph) -> dict[str, set[str]] | None:
    """Classify and realise with HermiT: every individual's entailed named classes, or None if
    the graph is inconsistent. (owlready2's ``sync_reasoner`` also classifies all object and data
    properties, which costs three times as long here and is not needed.)"""
    done = _run_hermit(graph, ["-c", "-I"])
    if done is None:
        return None
    parents: dict[str, set[str]] = defaultdict(set)
    direct: dict[str, set[str]] = defaultdict(set)
    for line in done.stdout.splitlines():
        match = HERMIT_LINE.match(line.strip())
        if not match:
            continue
        kind, iris_ = match.group(1), re.findall(r"<([^>]+)>", match.group(2))
        if kind == "SubClassOf":
            parents[iris_[0]].add(iris_[1])
        elif kind == "EquivalentClasses":
            for a in iris_:
                parents[a] |= set(iris_) - {a}
        else:
            direct[iris_[0]].add(iris_[1])
    return {individual: set().union(*(_closure(c, parents) for c in classes)) for individual, classes in direct.items()}


def _consistent(graph: Graph) -> bool:
    """HermiT's consistency check alone (``-k``): no classification, cheaper than ``_hermit``."""
    done = _run_hermit(graph, ["-k"])
    return done is not None and "is satisfiable" in done.stdout


def _write_ntriples(graph: Graph) -> str:
    handle = tempfile.NamedTemporaryFile("wb", suffix=".nt", delete=False)
    try:
        graph.serialize(handle, format="nt", encoding="utf-8")
    finally:
        handle.close()
    return handle.name


def _new_types(graph: Graph, entailed: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Types of torkg's own individuals that HermiT entails and the stated graph does not."""
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sup, URIRef):
            parents[sub].add(sup)
    stated: dict[str, set[str]] = defaultdict(set)
    for node, cls in graph.subject_objects(RDF.type):
        stated[str(node)] |= {str(c) for c in _closure(cls, parents)}
    ignore = {str(OWL.Thing), str(OWL.NamedIndividual)}
    out = []
    for individual, classes in entailed.items():
        if individual.startswith(str(ID)):
            out += [(individual, c) for c in classes - stated[individual] - ignore]
    return sorted(out)


def _closure(cls, parents: dict) -> set:
    seen, todo = set(), [cls]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(parents.get(node, ()))
    return seen


# --- explanation with Pellet ---------------------------------------------------------------------
def _explain_all(base: Graph, data: Graph, rounds: int) -> tuple[str, list[str]]:
    """Explanations of up to ``rounds`` clashes: after each, the data subjects it blames are set
    aside and Pellet is asked again, so one report names every independent culprit it can."""
    texts, culprits, remaining = [], [], data
    for _ in range(max(1, rounds)):
        text, found = _explain(base + remaining)
        if not found:
            break
        texts.append(text)
        culprits += [c for c in found if c not in culprits]
        blamed = {URIRef(c) for c in found} & set(remaining.subjects())
        if not blamed:
            break
        kept = Graph()
        for triple in remaining:
            if triple[0] not in blamed:
                kept.add(triple)
        remaining = kept
    return "\n\n".join(texts), culprits


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
    schema = {s for s, t in graph.subject_objects(RDF.type) if t in SCHEMA_TYPES}
    # The culprits are the subjects of the assertions ("x type C", "x p y") in the explanation;
    # axioms (DisjointClasses(...), DifferentIndividuals(...)) only say why they clash.
    subjects, depth = [], 0
    for line in body.splitlines()[1:]:
        line = re.sub(r"^\s*\d+\)", "", line).strip()
        if depth == 0 and line and not re.match(r"^[A-Za-z]+\(", line):
            first = TOKEN_RE.match(line)
            if first and first.group(1) in back:
                subjects.append(back[first.group(1)])
        depth += line.count("(") - line.count(")")
    if not subjects:
        subjects = [back[n] for n in TOKEN_RE.findall(body) if n in back]
    culprits = [str(n) for n in dict.fromkeys(subjects) if n not in schema]
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
