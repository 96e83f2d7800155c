"""Store access behind one small interface.

``Store`` is what the rest of torkg talks to: SPARQL queries with bound parameters, atomic
replacement of named graphs, dumps and statistics. ``OxigraphStore`` is the embedded default.

Layout of an on-disk embedded store directory::

    STORE/primary/            the read-write pyoxigraph database (one writer process at a time)
    STORE/snapshots/NNNNNNNN/       immutable snapshots (RocksDB checkpoints, hard links: cheap)
    STORE/snapshots/NNNNNNNN.lease  held (shared ``flock``) by every reader of that snapshot
    STORE/CURRENT                   the name of the newest snapshot, replaced atomically
    STORE/LOADING                   while new graphs are bulk-loaded: which (see ``load_graphs``)

Writers open ``primary``, apply one transaction, then publish a new snapshot. Readers (the HTTP
server, ``torkg query``, query workers in other processes) open the newest snapshot read-only,
which nobody writes to, so any number of processes can read while one writes, and a reader
always sees a whole transaction or none of it.

A snapshot shares its files with the primary only until the primary compacts them away, so old
snapshots cost disk. After each publish the writer deletes every older snapshot whose lease it
can lock exclusively, i.e. that no reader holds; the newest is always kept.

>>> s = OxigraphStore()          # in memory
>>> from rdflib import URIRef, Literal
>>> g, p = URIRef("http://example.org/g"), URIRef("http://example.org/p")
>>> s.replace_graphs({str(g): [(g, p, Literal("v1"))]})
>>> s.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")[1]
[{'o': rdflib.term.Literal('v1')}]
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
Row = dict[str, Node]

RDF_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
XSD_STRING = str(XSD.string)
JOURNAL = "LOADING"


class StoreError(Exception):
    """A store problem stated in one sentence for the user."""


class QuerySyntaxError(StoreError):
    """The SPARQL text does not parse; the message carries the parser's explanation."""


# --- term conversion --------------------------------------------------------------------------
def to_rdflib(term: Any) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported RDF term {term!r}")


def to_oxigraph(term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"unsupported RDF term {term!r}")


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term_to_sparql(term: Node) -> str:
    """A term written as SPARQL syntax that can only be read back as that one term."""
    if isinstance(term, URIRef):
        if _BAD_IRI.search(str(term)):
            raise StoreError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise StoreError(f"cannot bind {term!r}: only IRIs and literals can be bound")


_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Comments, strings and IRIs are skipped whole so that a "WHERE {" or a brace inside one is not
# taken for the query's own.
_SKIPPED = (r'#[^\n]*|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
            r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\x00-\x20]*>")
_TOKENS = re.compile(rf"(?P<skip>{_SKIPPED})|(?<![?$\w:])(?P<select>SELECT)\b|(?<![?$\w:])(?P<where>WHERE)\s*\{{"
                     r"|(?<![?$\w:])(?P<union>UNION)\b|(?P<open>\{)|(?P<close>\})", re.IGNORECASE)
_OPENS_SELECT = re.compile(r"(?:\s|#[^\n]*)*SELECT\b", re.IGNORECASE)


@dataclass
class _Select:
    """One ``SELECT`` of a query: its projection text, the offset just inside its ``WHERE {``,
    the brace depth of that group and the select it is nested in."""

    projection_start: int
    parent: "_Select | None"
    projection: str = ""
    group_start: int | None = None
    depth: int = 0

    def projects(self, name: str) -> bool:
        """Whether ``?name`` is projected as itself (not computed by an ``(expr AS ?v)``)."""
        plain, level = [], 0
        for ch in self.projection:
            level += (ch == "(") - (ch == ")")
            plain.append(ch if level == 0 and ch not in "()" else " ")
        return re.search(rf"[?$]{name}\b", "".join(plain)) is not None


def _groups(sparql: str) -> tuple[int | None, list[_Select], list[tuple[str, int, _Select | None]]]:
    """The offset just inside the outer ``WHERE {`` (None without one), every sub-select, and
    each operand of a ``UNION``: its text, the offset just inside it and the sub-select it
    belongs to (None for the outer query)."""
    outer, depth, selects, open_selects, pending = None, 0, [], [], None
    operands, groups, ends, last_closed, after_union = [], [], {}, None, False

    def opened(at: int) -> None:
        nonlocal pending
        pending.projection, pending.group_start, pending.depth = sparql[pending.projection_start:at], at, depth
        open_selects.append(pending)
        selects.append(pending)
        pending = None

    for m in _TOKENS.finditer(sparql):
        kind = m.lastgroup
        if kind == "skip":
            continue
        if kind == "union":
            if last_closed is not None:          # the group just closed is the left operand
                operands.append(last_closed)
            after_union = True
            continue
        last_closed = None
        if kind == "select":
            pending = _Select(m.end(), open_selects[-1] if open_selects else None)
        elif kind == "where":
            if depth == 0 and outer is None:
                outer = m.end()
            depth += 1
            groups.append(m.end())
            if pending is not None:
                opened(m.end())
        elif kind == "open":
            depth += 1
            groups.append(m.end())
            text = sparql[pending.projection_start:m.start()] if pending is not None else ""
            if pending is not None and text.count("(") == text.count(")"):
                opened(m.end())           # a group without the optional WHERE keyword
            elif after_union:             # the right operand
                operands.append((m.end(), open_selects[-1] if open_selects else None))
        else:
            start = groups.pop()
            ends[start] = m.start()
            while open_selects and open_selects[-1].depth >= depth:
                open_selects.pop()
            depth -= 1
            last_closed = (start, open_selects[-1] if open_selects else None)
        after_union = False
    return (outer, [sel for sel in selects if sel.group_start != outer],
            [(sparql[at:ends.get(at, len(sparql))], at, sel) for at, sel in operands])


def bind_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """The query with a ``VALUES`` block binding each variable to one term.

    A bound variable is a parameter: wherever the pattern can see it, it has that value, as with
    rdflib's ``initBindings``. The block opens the query's outer ``WHERE`` group, so the store
    starts from the bound values instead of joining them with every solution of the whole
    pattern: a query scoped to one document costs the same however many documents are stored.
    Each operand of a ``UNION`` that mentions the variable gets the block too (the store does
    not carry values into the operands of a union by itself), and so does a sub-select that
    projects the variable (as do all the sub-selects it is nested in): a sub-select does not see
    the outer group's values, so it would otherwise read the whole store. For the named queries
    this gives the solutions of a trailing ``VALUES`` block (the tests compare both). A variable
    the query assigns itself (``BIND(... AS ?v)``, ``(... AS ?v)``) cannot be bound there; then,
    and for a query without a ``WHERE`` keyword, the block trails the query (SPARQL 1.1
    §10.2.2). Values are serialised as terms, never as query text.

    >>> print(bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('x" } #')}))
    SELECT ?s WHERE { VALUES (?o) { ("x\\" } #") } ?s ?p ?o }
    >>> print(bind_values("SELECT ?s (STR(?o) AS ?t) { ?s ?p ?o }", {"t": Literal("x")}))
    SELECT ?s (STR(?o) AS ?t) { ?s ?p ?o }
    VALUES (?t) { ("x") }
    >>> print(bind_values("SELECT * { { SELECT ?s WHERE { ?s ?p ?o } } "
    ...                   "{ SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } } }", {"s": Literal("a")}))
    SELECT * { { SELECT ?s WHERE { ?s ?p ?o } } { SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } } }
    VALUES (?s) { ("a") }
    >>> print(bind_values("SELECT ?n WHERE { { SELECT ?s WHERE { ?s ?p ?o } } "
    ...                   "{ SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } } }", {"s": Literal("a")}))
    ... # doctest: +NORMALIZE_WHITESPACE
    SELECT ?n WHERE { VALUES (?s) { ("a") } { SELECT ?s WHERE { VALUES (?s) { ("a") } ?s ?p ?o } }
                      { SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } } }
    >>> print(bind_values("SELECT * WHERE { { ?s ?p ?o } UNION # a comment\\n"
    ...                   "{ SELECT ?s WHERE { ?s ?q ?r } } UNION { ?x ?y ?z } }", {"s": Literal("a")}))
    ... # doctest: +NORMALIZE_WHITESPACE
    SELECT * WHERE { VALUES (?s) { ("a") } { VALUES (?s) { ("a") } ?s ?p ?o } UNION # a comment
                     { SELECT ?s WHERE { VALUES (?s) { ("a") } ?s ?q ?r } } UNION { ?x ?y ?z } }
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for n in names:
        if not _VAR_NAME.fullmatch(n):
            raise StoreError(f"not a SPARQL variable name: {n!r}")
    terms = {n: term_to_sparql(bindings[n]) for n in names}

    def values(bound: list[str]) -> str:
        return f"VALUES ({' '.join(f'?{n}' for n in bound)}) {{ ({' '.join(terms[n] for n in bound)}) }}"

    assigned = any(re.search(rf"\bAS\s+[?$]{n}\b", sparql, re.IGNORECASE) for n in names)
    outer, subs, operands = (None, [], []) if assigned else _groups(sparql)
    if outer is None:
        return f"{sparql.rstrip()}\n{values(names)}"

    def reached(sel: _Select | None) -> list[str]:
        """The variables the outer values reach inside ``sel``: it and every sub-select around
        it must project the variable."""
        found = []
        for n in names:
            node = sel
            while node is not None and node.group_start != outer and node.projects(n):
                node = node.parent
            if node is None or node.group_start == outer:
                found.append(n)
        return found

    inserts = {outer: values(names)}
    for sel in subs:
        if sel.group_start > outer and (bound := reached(sel)):
            inserts[sel.group_start] = values(bound)
    for text, at, sel in operands:    # "{ SELECT ... }" holds nothing else; the select has its own
        mentioned = [n for n in reached(sel) if re.search(rf"[?$]{n}\b", text)]
        if at > outer and mentioned and not _OPENS_SELECT.match(sparql, at):
            inserts[at] = values(mentioned)
    out, last = [], 0
    for at in sorted(inserts):
        out += [sparql[last:at], f" {inserts[at]}"]
        last = at
    return "".join(out) + sparql[last:]


def triples_to_insert_data(graph_iri: str, triples: Iterable[Triple]) -> str:
    """The body of one ``INSERT DATA`` operation for a named graph (terms written as N-Triples)."""
    try:
        lines = [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples]
    except Exception as e:  # rdflib refuses to write an invalid term
        raise StoreError(f"cannot write graph <{graph_iri}>, nothing was changed: {e}") from e
    return "INSERT DATA { GRAPH <%s> {\n%s\n} }" % (graph_iri, "\n".join(lines))


def nquads_of(graph_iri: str, triples: Iterable[Triple]) -> bytes:
    """One named graph's triples as N-Quads, written by pyoxigraph (terms checked on the way)."""
    try:
        g = ox.NamedNode(graph_iri)
        quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), g) for s, p, o in triples]
    except (ValueError, StoreError) as e:
        raise StoreError(f"cannot write graph <{graph_iri}>, nothing was changed: {e}") from e
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) if quads else b""


def _checked_nquads(graph_iri: str, data: bytes) -> bytes:
    """``data`` if each of its lines is a quad of ``graph_iri`` (N-Quads holds no raw line break
    inside a term, so counting line ends is enough), else a StoreError."""
    if data and (not data.endswith(b"\n") or data.count(b"\n") != data.count(b" <%s> .\n" % graph_iri.encode())):
        raise StoreError(f"the N-Quads for <{graph_iri}> hold quads of other graphs; nothing was changed")
    return data


def triples_of(graph_iri: str, data: bytes) -> list[Triple]:
    """The rdflib triples of one graph's N-Quads (see :func:`nquads_of`)."""
    try:
        quads = list(ox.parse(_checked_nquads(graph_iri, data), format=ox.RdfFormat.N_QUADS))
    except SyntaxError as e:
        raise StoreError(f"cannot read the N-Quads for <{graph_iri}>, nothing was changed: {e}") from e
    return [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in quads]


# --- interface --------------------------------------------------------------------------------
class Store(ABC):
    """What torkg needs of a quad store."""

    @abstractmethod
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
               union_default: bool = True) -> tuple[list[str], list[Row]]:
        """Run a SELECT; return the variable names and rows of rdflib terms (unbound = absent)."""

    @abstractmethod
    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
            union_default: bool = True) -> bool: ...

    @abstractmethod
    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
                  union_default: bool = True) -> Graph: ...

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]], remove: Iterable[str] = ()) -> None:
        """In one transaction: replace each named graph's content, and drop the ``remove`` graphs."""

    def load_graphs(self, graphs: Mapping[str, bytes]) -> None:
        """Like ``replace_graphs``, with each graph's new content as N-Quads (every line a quad in
        that graph, as :func:`nquads_of` writes it): what ingestion workers hand over, so no
        process has to rebuild terms it only passes on. Stores may load it faster."""
        self.replace_graphs({g: triples_of(g, data) for g, data in graphs.items()})

    @abstractmethod
    def named_graphs(self) -> list[str]: ...

    @abstractmethod
    def graph(self, iri: str) -> Graph:
        """The triples of one named graph, as an rdflib graph."""

    @abstractmethod
    def dump(self, out: IO[bytes], fmt: str = "nquads", graph: str | None = None) -> None: ...

    def remove_graphs(self, iris: Iterable[str]) -> None:
        self.replace_graphs({}, remove=list(iris))

    def stats(self) -> dict[str, Any]:
        _, rows = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        graphs = {str(r["g"]): int(r["n"]) for r in rows}
        return {"graphs": graphs, "triples": sum(graphs.values())}

    def close(self) -> None:  # pragma: no cover - trivial
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class OxigraphStore(Store):
    """The embedded store. ``path=None`` keeps everything in memory (drafts, tests).

    ``read_only=True`` opens the newest published snapshot; otherwise the primary database is
    opened for writing (one writer process at a time) and every write publishes a snapshot.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock = threading.Lock()
        self.snapshot: str | None = None
        self._lease: IO[bytes] | None = None
        if self.path is None:
            self._db = ox.Store()
        elif read_only:
            self._db = self._open_snapshot()
        else:
            self._db = self._open_primary()

    # -- opening ---------------------------------------------------------------------------
    def _open_primary(self) -> ox.Store:
        assert self.path is not None
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} is a file, not a store directory; pass --store DIR")
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            db = ox.Store(str(self.path / "primary"))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreError(f"the store {self.path} is being written by another torkg process; "
                                 "wait for it to finish and try again") from e
            raise StoreError(f"cannot open the store {self.path}: {e}") from e
        self._db = db
        self._undo_load()                           # a bulk load a dead process left unfinished
        if current_snapshot(self.path) is None:
            self.publish()
        return db

    def _open_snapshot(self) -> ox.Store:
        assert self.path is not None
        if current_snapshot(self.path) is None:
            if not (self.path / "primary").exists():
                raise StoreError(f"there is no store at {self.path}; run `torkg ingest` first "
                                 "or pass --store DIR / set TORKG_STORE")
            writer = OxigraphStore(self.path)      # publishes the first snapshot
            writer.close()
        name, self._lease = self._lease_newest()
        self.snapshot = name
        return ox.Store.read_only(str(self.path / "snapshots" / name))

    def _lease_newest(self) -> tuple[str, IO[bytes]]:
        """The newest snapshot's name, with its lease held shared. A writer may prune the snapshot
        between reading ``CURRENT`` and taking the lease: then a newer one is current; retry."""
        assert self.path is not None
        for _ in range(100):
            name = current_snapshot(self.path)
            if name is None:
                break
            lease = open(self.path / "snapshots" / f"{name}.lease", "ab")
            fcntl.flock(lease, fcntl.LOCK_SH)
            if (self.path / "snapshots" / name).is_dir():
                return name, lease
            lease.close()
        raise StoreError(f"the store {self.path} has no readable snapshot")

    def refresh(self) -> bool:
        """For read-only stores: reopen if a newer snapshot was published. True if reopened."""
        if not self.read_only or self.path is None:
            return False
        name = current_snapshot(self.path)
        if name is None or name == self.snapshot:
            return False
        with self._lock:
            name, lease = self._lease_newest()
            self._db = ox.Store.read_only(str(self.path / "snapshots" / name))
            self.snapshot = name
            if self._lease is not None:
                self._lease.close()                # releases the older snapshot's lease
            self._lease = lease
        return True

    def publish(self) -> None:
        """Publish the primary's current state as the newest snapshot (atomic for readers)."""
        if self.path is None or self.read_only:
            return
        self._db.flush()
        snaps = self.path / "snapshots"
        snaps.mkdir(exist_ok=True)
        existing = sorted(p.name for p in snaps.iterdir() if p.name.isdigit())
        name = f"{int(existing[-1]) + 1 if existing else 1:08d}"
        self._db.backup(str(snaps / name))
        tmp = self.path / "CURRENT.tmp"
        tmp.write_text(name, encoding="utf-8")
        os.replace(tmp, self.path / "CURRENT")
        prune_snapshots(self.path)

    @property
    def db(self) -> ox.Store:
        """The underlying pyoxigraph store (for serialisation by the endpoint)."""
        return self._db

    # -- reading ---------------------------------------------------------------------------
    def _query(self, sparql: str, bindings, union_default: bool, **kw):
        try:
            return self._db.query(bind_values(sparql, bindings),
                                  use_default_graph_as_union=union_default, **kw)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e
        except OSError as e:
            raise StoreError(f"query failed: {e}") from e

    def select(self, sparql, bindings=None, *, union_default=True):
        res = self._query(sparql, bindings, union_default)
        if not isinstance(res, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            row = {}
            for n in names:
                t = sol[n]
                if t is not None:
                    row[n] = to_rdflib(t)
            rows.append(row)
        return names, rows

    def ask(self, sparql, bindings=None, *, union_default=True):
        res = self._query(sparql, bindings, union_default)
        if not isinstance(res, ox.QueryBoolean):
            raise StoreError("expected an ASK query")
        return bool(res)

    def construct(self, sparql, bindings=None, *, union_default=True):
        res = self._query(sparql, bindings, union_default)
        if not isinstance(res, ox.QueryTriples):
            raise StoreError("expected a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in res:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def named_graphs(self):
        return sorted(g.value for g in self._db.named_graphs() if isinstance(g, ox.NamedNode))

    def graph(self, iri):
        g = Graph()
        for q in self._db.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g

    def dump(self, out, fmt="nquads", graph=None):
        if fmt not in RDF_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(RDF_FORMATS)}")
        rdf_format = RDF_FORMATS[fmt]
        if graph is None:
            if fmt in ("turtle", "ntriples", "rdfxml"):
                raise StoreError(f"{fmt} holds one graph only; name one with --graph, "
                                 "or export everything as nquads or trig")
            self._db.dump(out, rdf_format)
        else:
            if ox.NamedNode(graph) not in set(self._db.named_graphs()):
                raise StoreError(f"there is no graph <{graph}> in the store")
            self._db.dump(out, rdf_format, from_graph=ox.NamedNode(graph))

    # -- writing ---------------------------------------------------------------------------
    def replace_graphs(self, graphs, remove=()):
        if self.read_only:
            raise StoreError("this store was opened read-only")
        ops = [f"DROP SILENT GRAPH <{g}>" for g in list(graphs) + list(remove)]
        ops += [triples_to_insert_data(g, triples) for g, triples in graphs.items()]
        if not ops:
            return
        with self._lock:
            try:
                self._db.update(" ;\n".join(ops))
            except (SyntaxError, OSError) as e:
                raise StoreError(f"the store rejected the write, nothing was changed: {e}") from e
            self.publish()

    def load_graphs(self, graphs):
        """New graphs go through pyoxigraph's bulk loader (several times faster than a
        transaction), under a journal: ``STORE/LOADING`` names them and the snapshot current
        before the load, so a load that fails, or a process that dies during it, is undone by
        dropping them (they did not exist before); graphs that already exist are replaced in
        one transaction, as by ``replace_graphs``. Readers see all of it or none (one publish)."""
        if self.read_only:
            raise StoreError("this store was opened read-only")
        graphs = {str(g): _checked_nquads(str(g), data) for g, data in graphs.items()}
        if not graphs:
            return
        with self._lock:
            present = {n.value for n in self._db.named_graphs()} & set(graphs)
            new = [g for g in graphs if g not in present]
            if self.path is None:
                new, present = [], set(graphs)          # in memory: one transaction is cheap
            try:
                if new:
                    self._journal(new)
                    self._db.bulk_load(b"".join(graphs[g] for g in new), format=ox.RdfFormat.N_QUADS)
                if present:
                    ops = [f"DROP SILENT GRAPH <{g}>" for g in present]
                    ops += ["INSERT DATA { GRAPH <%s> {\n%s} }" % (g, graphs[g].replace(
                        b" <%s> .\n" % g.encode(), b" .\n").decode("utf-8")) for g in present]
                    self._db.update(" ;\n".join(ops))
            except (SyntaxError, OSError, ValueError) as e:
                if new:
                    self._undo_load()
                raise StoreError(f"the store rejected the write, nothing was changed: {e}") from e
            self.publish()
            if new:
                (self.path / JOURNAL).unlink(missing_ok=True)

    def _journal(self, graphs: list[str]) -> None:
        assert self.path is not None
        tmp = self.path / (JOURNAL + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"snapshot": current_snapshot(self.path), "graphs": graphs}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path / JOURNAL)

    def _undo_load(self) -> None:
        """Drop the graphs an unfinished bulk load (named by the journal) may have half written."""
        assert self.path is not None
        journal = self.path / JOURNAL
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        graphs = entry.get("graphs") or []
        if graphs and entry.get("snapshot") == current_snapshot(self.path):   # never published
            self._db.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
            self._db.flush()
        journal.unlink(missing_ok=True)

    def close(self):
        with self._lock:
            if hasattr(self, "_db") and not self.read_only and self.path is not None:
                self._db.flush()
            self._db = None  # type: ignore[assignment]
            if self._lease is not None:
                self._lease.close()
                self._lease = None


def prune_snapshots(path: Path) -> list[str]:
    """Delete the snapshots older than the current one that no reader holds. Returns their names."""
    current = current_snapshot(path)
    snaps = path / "snapshots"
    if current is None or not snaps.is_dir():
        return []
    pruned = []
    for old in sorted(p.name for p in snaps.iterdir() if p.name.isdigit() and p.name < current):
        lease_path = snaps / f"{old}.lease"
        with open(lease_path, "ab") as lease:
            try:
                fcntl.flock(lease, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue                            # a reader still has it open
            shutil.rmtree(snaps / old, ignore_errors=True)
            lease_path.unlink(missing_ok=True)
        pruned.append(old)
    return pruned


def current_snapshot(path: Path) -> str | None:
    try:
        name = (path / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if (path / "snapshots" / name).is_dir() else None


def default_store_path() -> Path:
    return Path(os.environ.get("TORKG_STORE", "var/store"))


def open_store(location: str | os.PathLike | None = None, *, read_only: bool = False,
               retries: float = 10.0) -> Store:
    """Open the store named by ``location`` (a directory, or ``sparql+http(s)://...`` for a
    remote SPARQL 1.1 server when that backend is installed), else ``TORKG_STORE``, else
    ``var/store``. A writer waits up to ``retries`` seconds for another writer to finish."""
    loc = str(location) if location is not None else str(default_store_path())
    if loc.startswith(("sparql+http://", "sparql+https://")):
        try:
            from torkg.remote import RemoteStore
        except ImportError as e:  # pragma: no cover - depends on installation
            raise StoreError("the remote SPARQL store backend is not available") from e
        return RemoteStore.from_location(loc)
    deadline = time.monotonic() + retries
    while True:
        try:
            return OxigraphStore(loc, read_only=read_only)
        except StoreError as e:
            if "another torkg process" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
