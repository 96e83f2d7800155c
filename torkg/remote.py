"""A remote SPARQL 1.1 server as the torkg store: Virtuoso, Fuseki, GraphDB, Neptune, QLever...

``RemoteStore`` implements :class:`torkg.store.Store` over HTTP. Reads go through SPARQL 1.1
Query (SPARQLWrapper, JSON results, RDF for CONSTRUCT); writes go through SPARQL 1.1 Update,
with the bulk of a new graph uploaded by the Graph Store HTTP Protocol when the server has one.
``open_store()`` sends every ``sparql+http(s)://`` location here::

    sparql+http://HOST:PORT/PATH?update=URL&gsp=URL&dialect=NAME&union=MODE&graphs=PREFIX
                                &timeout=SECONDS&retries=N&auth=basic|digest&cache=SECONDS

``update`` and ``gsp`` are absolute URLs or paths on the same server (``update=/sparql-auth``);
``gsp=`` (empty) turns the Graph Store upload off. ``dialect`` is ``auto`` (from the server's
``Server`` header), ``virtuoso``, ``fuseki``, ``graphdb`` or ``generic``. ``union`` says how
torkg's "default graph = union of its named graphs" is obtained: ``list`` (default: every query
names torkg's graphs in FROM / FROM NAMED clauses, listed at most every ``cache`` seconds) or
``server`` (the server's default graph is the union: GraphDB, Neptune, Fuseki with
``unionDefaultGraph``; Virtuoso's also holds its system graphs).
``graphs`` is the IRI prefix of the graphs torkg manages (default: torkg's graph namespace);
torkg never lists, dumps, replaces or drops a graph outside it. Credentials come from
``TORKG_STORE_USER`` / ``TORKG_STORE_PASSWORD``, never from the URL.

Replacing graphs (``replace_graphs``) is staged: the new triples are uploaded into fresh staging
graphs with every predicate renamed (so no query that names its predicates can see them), then
ONE SPARQL Update operation deletes the old triples and inserts the staged ones, guarded by a
ticket graph so that re-sending it is harmless. A failure before the swap leaves the old graphs
untouched and drops the staging graphs. See ``docs/remote-store.md`` for what each server
guarantees during the swap itself.

>>> RemoteStore.from_location("sparql+http://db:8890/sparql?update=/sparql-auth&timeout=5").update_url
'http://db:8890/sparql-auth'
"""
from __future__ import annotations

import http.client
import json
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

from torkg import __version__
from torkg.iris import GRAPH
from torkg.remote_sparql import (boolean_columns, fix_oxigraph, from_json, from_oxigraph,
                                 inject_values, nt_iri, nt_literal, nt_term, read_query_text,
                                 with_dataset)
from torkg.remote_staging import (EMPTY_GRAPH, STAGED_PREDICATE, STAGING, TICKET, StagedWrite,
                                  bnode_chunks)
from torkg.store import RDF_FORMATS, QuerySyntaxError, Row, Store, StoreError, Triple

DIALECTS: dict[str, dict[str, Any]] = {
    # insert: triples per INSERT DATA request (Virtuoso's parser gives up near 5,000);
    # gsp: Graph Store endpoint (path on the server) used when none is configured.
    "virtuoso": {"insert": 1000, "gsp": "/sparql-graph-crud", "gsp_auth": "/sparql-graph-crud-auth"},
    "fuseki": {"insert": 5000},
    "graphdb": {"insert": 5000},
    "generic": {"insert": 5000},
}
INSERT_BYTES = 4_000_000
GSP_TRIPLES, GSP_BYTES = 20_000, 8_000_000
GSP_LONG_LINE = 65_536          # Virtuoso sniffs the upload's type: long lines go by INSERT DATA
TRANSIENT_STATUS = {429, 502, 503, 504}
RDF_ACCEPT = "application/n-triples,text/turtle;q=0.9"
_BITS = (Literal(1), Literal(0))
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
OPTIONS = ("update", "gsp", "dialect", "union", "graphs", "timeout", "retries", "auth",
           "cache")



# --- the store --------------------------------------------------------------------------------
class _Wrapper(SPARQLWrapper):
    """SPARQLWrapper sending through the store's own opener: its credentials stay with this
    store (SPARQLWrapper's digest support would install a process-wide urllib opener)."""

    def __init__(self, endpoint: str, update: str, opener: urllib.request.OpenerDirector):
        super().__init__(endpoint, updateEndpoint=update, agent=f"torkg/{__version__}")
        self._opener = opener

    def _query(self):
        return self._opener.open(self._createRequest(), timeout=self.timeout), self.returnFormat


class RemoteStore(Store):
    """A SPARQL 1.1 server behind the ``Store`` interface (see the module docstring)."""

    def __init__(self, query_url: str, update_url: str | None = None, gsp_url: str | None = None,
                 user: str | None = None, password: str | None = None, timeout: float = 30,
                 retries: int = 3, *, dialect: str = "auto", union: str = "list",
                 graphs: str | None = None, auth: str | None = None, cache: float = 2.0,
                 backoff: float = 0.5, insert_chunk: int | None = None, gsp_chunk: int = GSP_TRIPLES):
        if dialect != "auto" and dialect not in DIALECTS:
            raise StoreError(f"unknown SPARQL server dialect {dialect!r}; use auto or one of "
                             f"{', '.join(DIALECTS)}")
        if union not in ("server", "list"):
            raise StoreError(f"union must be list or server, not {union!r}")
        if auth not in (None, "basic", "digest"):
            raise StoreError(f"auth must be basic or digest, not {auth!r}")
        self.query_url, self.update_url = query_url, update_url or query_url
        self.gsp_url = gsp_url                 # None: the dialect's default; "": no Graph Store
        self.user = user
        self.timeout, self.retries, self.backoff = timeout, max(0, int(retries)), backoff
        self.union, self.scope, self.cache = union, str(GRAPH) if graphs is None else graphs, cache
        self.insert_chunk, self.gsp_chunk = insert_chunk, gsp_chunk
        self._dialect = None if dialect == "auto" else dialect
        self._graphs: tuple[float, list[str]] | None = None      # (when listed, graphs)
        self._lock = threading.Lock()
        handlers: list[Any] = []
        if user is not None:
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            origins = {"{0}://{1}/".format(*urllib.parse.urlsplit(u)[:2])
                       for u in (query_url, update_url, gsp_url) if u}
            mgr.add_password(None, sorted(origins), user, password or "")
            if auth != "basic":
                handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
            if auth != "digest":
                handlers.append(urllib.request.HTTPBasicAuthHandler(mgr))
        self._opener = urllib.request.build_opener(*handlers)

    @classmethod
    def from_location(cls, location: str) -> "RemoteStore":
        """``sparql+http(s)://...`` (module docstring); credentials from the environment."""
        if not location.startswith(("sparql+http://", "sparql+https://")):
            raise StoreError(f"not a remote store location: {location!r} (use sparql+http://...)")
        parts = urllib.parse.urlsplit(location.removeprefix("sparql+"))
        if parts.username or parts.password:
            raise StoreError("put credentials in TORKG_STORE_USER and TORKG_STORE_PASSWORD, not in "
                             "the store URL")
        params = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        unknown = sorted(set(params) - set(OPTIONS))
        if unknown:
            raise StoreError(f"unknown option(s) {', '.join(unknown)} in the store URL; "
                             f"known: {', '.join(OPTIONS)}")
        query_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
        here = f"{parts.scheme}://{parts.netloc}/"

        def url(value: str | None) -> str | None:
            return urllib.parse.urljoin(here, value) if value else value
        try:
            numbers = {k: float(params.get(k, v)) for k, v in
                       (("timeout", 30), ("retries", 3), ("cache", 2.0))}
        except ValueError as e:
            raise StoreError(f"timeout, retries and cache in the store URL must be numbers: {e}") from e
        return cls(query_url, url(params.get("update")), url(params.get("gsp")),
                   os.environ.get("TORKG_STORE_USER"), os.environ.get("TORKG_STORE_PASSWORD"),
                   numbers["timeout"], int(numbers["retries"]), dialect=params.get("dialect", "auto"),
                   union=params.get("union", "list"), graphs=params.get("graphs"),
                   auth=params.get("auth"), cache=numbers["cache"])

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, dialect={self._dialect or 'auto'})"

    # -- HTTP ------------------------------------------------------------------------------
    @property
    def dialect(self) -> str:
        """The server family, from the first answer's ``Server`` header unless given."""
        if self._dialect is None:
            self._request(self.query_url, "ASK {}", what="connection check")
        return self._dialect or "generic"

    def _detect(self, headers: Any) -> None:
        if self._dialect is None and headers is not None:
            server = (headers.get("Server") or "").lower()
            self._dialect = next((d for d in ("virtuoso", "fuseki", "graphdb") if d in server),
                                 "generic")

    def _request(self, url: str, text: str | None = None, *, update: bool = False, accept: str = "",
                 body: bytes | None = None, what: str = "query", idempotent: bool = True) -> bytes:
        """One exchange, retried with back-off on transient failures (an exchange that may have
        had an effect only if ``idempotent``). ``text``: a SPARQL query or update, sent through
        SPARQLWrapper; else ``body`` is POSTed to ``url`` as N-Triples (Graph Store Protocol)."""
        attempt = 0
        while True:
            try:
                response = self._open(url, text, update, accept, body)
                with response:
                    data, headers = response.read(), response.headers
                self._detect(headers)
                if headers.get("X-SQL-State"):          # Virtuoso's "anytime" partial answer
                    raise StoreError(f"the SPARQL server at {url} returned incomplete results "
                                     f"({headers.get('X-SQL-Message', '').strip()}); raise its "
                                     "query time limit (Virtuoso: MaxQueryExecutionTime)")
                return data
            except urllib.error.HTTPError as e:
                self._detect(e.headers)
                error, transient = self._http_error(url, e.code, _first_lines(e.read()), what)
            except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
                reason = getattr(e, "reason", e)
                if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                    error = StoreError(f"the SPARQL server at {url} did not answer the {what} within "
                                       f"{self.timeout:g}s; raise timeout= in the store URL")
                else:
                    error = StoreError(f"cannot reach the SPARQL server at {url}: {reason}; "
                                       "is it running?")
                transient = idempotent or isinstance(reason, ConnectionRefusedError)
            if not transient or attempt >= self.retries:
                if attempt:
                    error.args = (f"{error.args[0]} (after {attempt + 1} tries)",)
                raise error
            time.sleep(min(self.backoff * 2 ** attempt, 30))
            attempt += 1

    def _open(self, url, text, update, accept, body):
        if text is None:
            req = urllib.request.Request(url, data=body, method="POST", headers={
                "Content-Type": "application/n-triples", "User-Agent": f"torkg/{__version__}"})
            return self._opener.open(req, timeout=self.timeout)
        w = _Wrapper(self.query_url, self.update_url, self._opener)
        w.setOnlyConneg(True)                  # no format=/output= parameters: Accept only
        w.setMethod(POST)
        w.setRequestMethod(URLENCODED)
        w.setTimeout(self.timeout)
        w.setQuery(text)
        w.queryType = "INSERT" if update else "SELECT"     # ours to say, not SPARQLWrapper's guess
        if accept:
            w.addCustomHttpHeader("Accept", accept)
        return w.query().response

    def _http_error(self, url: str, status: int, message: str, what: str) -> tuple[StoreError, bool]:
        """The error to raise for an HTTP failure, and whether trying again may help."""
        if status == 400:
            return QuerySyntaxError(f"the SPARQL server at {url} rejected the {what}: {message}"), False
        if status in (401, 403) or "SR186" in message or "No permission" in message:
            return StoreError(f"the server at {url} refused the {what} ({status}: {message}); check "
                              "TORKG_STORE_USER/TORKG_STORE_PASSWORD and that this user may "
                              "read/write there (Virtuoso: writes need update=/sparql-auth)"), False
        if status == 404:
            return StoreError(f"there is no SPARQL service at {url} (404); check the store URL"), False
        transient = status in TRANSIENT_STATUS or (
            status == 500 and re.search(r"\b(40001|40003|S1T00|08\w\w\w)\b", message) is not None)
        return StoreError(f"the SPARQL server at {url} failed on the {what} "
                          f"({status}): {message}"), transient

    # -- reading ---------------------------------------------------------------------------
    def _read(self, sparql: str, bindings: Mapping[str, Node] | None, union_default: bool,
              forms: tuple[str, ...], accept: str) -> bytes:
        virtuoso = self.dialect == "virtuoso"
        text, form, has_dataset = read_query_text(sparql, virtuoso=virtuoso)
        if form not in forms:
            raise StoreError(f"expected a {' or '.join(forms)} query, got {form}")
        text = inject_values(text, bindings, virtuoso=virtuoso)
        if not has_dataset and (self.union == "list" or not union_default):
            graphs = self._dataset_graphs() or [str(EMPTY_GRAPH)]
            text = with_dataset(text, graphs if union_default else [str(EMPTY_GRAPH)], graphs)
        return self._request(self.query_url, text, accept=accept, what="query")

    def _dataset_graphs(self) -> list[str]:
        """The named graphs, listed at most every ``cache`` seconds (and after each write)."""
        with self._lock:
            listed = self._graphs
        if listed is None or time.monotonic() - listed[0] > self.cache:
            listed = (time.monotonic(), self.named_graphs())
            with self._lock:
                self._graphs = listed
        return listed[1]

    def select(self, sparql, bindings=None, *, union_default=True):
        doc = json.loads(self._read(sparql, bindings, union_default, ("SELECT",),
                                    "application/sparql-results+json"))
        names = list(doc.get("head", {}).get("vars", []))
        rows: list[Row] = [{k: from_json(v) for k, v in b.items()}
                           for b in doc.get("results", {}).get("bindings", [])]
        if self.dialect == "virtuoso":          # its booleans come back as the integers 1 and 0
            for name in boolean_columns(sparql) & set(names):
                for row in rows:
                    if row.get(name) in _BITS:
                        row[name] = Literal(row[name] == _BITS[0])
        return names, rows

    def ask(self, sparql, bindings=None, *, union_default=True):
        doc = json.loads(self._read(sparql, bindings, union_default, ("ASK",),
                                    "application/sparql-results+json"))
        if "boolean" not in doc:
            raise StoreError("the server did not answer the ASK query with a boolean")
        return bool(doc["boolean"])

    def construct(self, sparql, bindings=None, *, union_default=True):
        return _parse_graph(self._read(sparql, bindings, union_default, ("CONSTRUCT", "DESCRIBE"),
                                       RDF_ACCEPT))

    def named_graphs(self):
        return list(self.stats()["graphs"])

    def stats(self):
        # (GROUP BY, not DISTINCT: Virtuoso takes seconds over SELECT DISTINCT ?g, not this.)
        _, rows = self._select_internal(GRAPH_SIZES)
        graphs = dict(sorted((str(r["g"]), int(r["n"])) for r in rows if self._in_scope(str(r["g"]))))
        return {"graphs": graphs, "triples": sum(graphs.values())}

    def graph(self, iri):
        g = Graph()
        for t in self._triples(iri):
            g.add((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)))
        return g

    def _triples(self, iri: str) -> list[ox.Triple]:
        """The triples of one graph as the server writes them (terms fixed, see fix_oxigraph)."""
        pattern = "WHERE { GRAPH %s { ?s ?p ?o } }" % nt_iri(iri)
        data = self._request(self.query_url, "CONSTRUCT { ?s ?p ?o } " + pattern, accept=RDF_ACCEPT,
                             what=f"read of <{iri}>")
        try:
            triples = list({ox.Triple(*map(fix_oxigraph, (t.subject, t.predicate, t.object)))
                            for t in ox.parse(data, ox.RdfFormat.TURTLE)})
        except SyntaxError as e:
            raise StoreError(f"the server answered with RDF that does not parse: {e}") from e
        _, rows = self._select_internal("SELECT (COUNT(*) AS ?n) " + pattern)
        expected = int(rows[0]["n"]) if rows else 0
        if len(triples) < expected:
            raise StoreError(f"the server returned {len(triples)} of the {expected} triples of <{iri}>: "
                             "it caps result sizes (Virtuoso: raise ResultSetMaxRows in [SPARQL])")
        return triples

    def dump(self, out: IO[bytes], fmt: str = "nquads", graph: str | None = None) -> None:
        if fmt not in RDF_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(RDF_FORMATS)}")
        if graph is None:
            if fmt in ("turtle", "ntriples", "rdfxml"):
                raise StoreError(f"{fmt} holds one graph only; name one with --graph, "
                                 "or export everything as nquads or trig")
            quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
                     for name in self.named_graphs() for t in self._triples(name)]
            ox.serialize(quads, out, RDF_FORMATS[fmt])
            return
        if graph not in self.named_graphs():
            raise StoreError(f"there is no graph <{graph}> in the store")
        ox.serialize(self._triples(graph), out, RDF_FORMATS[fmt])

    def _select_internal(self, text: str) -> tuple[list[str], list[Row]]:
        """A query of torkg's own (no dataset: it sees every graph of the server)."""
        doc = json.loads(self._request(self.query_url, text, what="query",
                                       accept="application/sparql-results+json"))
        return (doc["head"].get("vars", []),
                [{k: from_json(v) for k, v in b.items()} for b in doc["results"]["bindings"]])

    def _in_scope(self, graph: str) -> bool:
        return graph.startswith(self.scope) and not graph.startswith(str(STAGING))

    # -- writing ---------------------------------------------------------------------------
    def replace_graphs(self, graphs, remove=()):
        remove = [str(r) for r in remove]
        for g in [*graphs, *remove]:
            self._check_writable(str(g))
        if graphs or remove:
            self.stage(graphs).commit(remove)

    def stage(self, graphs: Mapping[str, Iterable[Triple]]) -> "StagedWrite":
        """The first half of ``replace_graphs``: upload the new content into staging graphs,
        which no torkg query can see. Nothing changes for readers until ``commit()``;
        ``abort()`` (and any failure here) drops what was staged."""
        for g in graphs:
            self._check_writable(str(g))
        token = f"{int(time.time())}-{uuid.uuid4().hex[:12]}"
        staged = StagedWrite(self, token)
        try:
            self._update("INSERT DATA { GRAPH %s { %s %s %s } }" % (
                nt_iri(staged.ticket), nt_iri(staged.ticket), nt_iri(TICKET),
                nt_literal(Literal(token))), what="write of the replacement ticket")
            for i, (g, triples) in enumerate(graphs.items()):
                staged.targets[str(g)] = STAGING[f"{token}/{i}"]
                self._upload(staged.targets[str(g)], triples, str(g))
        except BaseException as e:
            staged.abort()
            if isinstance(e, StoreError):
                raise StoreError(f"{e}; nothing was changed") from e
            if isinstance(e, Exception):
                raise StoreError(f"writing the new graphs failed ({e!r}); nothing was changed") from e
            raise
        return staged

    def _check_writable(self, graph: str) -> None:
        nt_iri(graph)
        if not self._in_scope(graph):
            raise StoreError(f"<{graph}> is outside the graphs this store manages "
                             f"(graphs={self.scope!r} in the store URL); nothing was changed")

    def _update(self, text: str, *, what: str, idempotent: bool = True) -> None:
        self._request(self.update_url, text, update=True, what=what, idempotent=idempotent)

    def _gsp(self) -> str | None:
        if self.gsp_url is not None:
            return self.gsp_url or None
        d = DIALECTS[self.dialect]
        path = d.get("gsp_auth") if self.user and d.get("gsp_auth") else d.get("gsp")
        return urllib.parse.urljoin(self.query_url, path) if path else None

    def _upload(self, staging: URIRef, triples: Iterable[Triple], target: str) -> None:
        """Send the triples, predicates renamed, in chunks, streaming those without blank nodes;
        triples that share a blank node go in one request (a label names one node only within
        one request)."""
        gsp = self._gsp()
        max_triples = self.gsp_chunk if gsp else self.insert_chunk or DIALECTS[self.dialect]["insert"]
        max_bytes = GSP_BYTES if gsp else INSERT_BYTES
        plain: list[str] = []
        linked: list[tuple[list[str], str]] = []          # (blank node labels, line)
        bnodes: dict[str, str] = {}
        size = 0
        for s, p, o in triples:
            if not isinstance(p, URIRef):
                raise StoreError(f"a predicate must be an IRI, not {p!r} (graph <{target}>)")
            line = f"{nt_term(s, bnodes)} {nt_iri(STAGED_PREDICATE + str(p))} {nt_term(o, bnodes)} ."
            labels = [nt_term(t, bnodes) for t in (s, o) if isinstance(t, BNode)]
            if labels:
                linked.append((labels, line))
                continue
            plain.append(line)
            size += len(line)
            if len(plain) >= max_triples or size >= max_bytes:
                self._send(staging, plain, gsp, target)
                plain, size = [], 0
        if plain:
            self._send(staging, plain, gsp, target)
        for chunk in bnode_chunks(linked, max_triples, max_bytes):
            self._send(staging, chunk, gsp, target, idempotent=False)

    def _send(self, staging: URIRef, lines: list[str], gsp: str | None, target: str,
              idempotent: bool = True) -> None:
        """One chunk: by the Graph Store when there is one, except lines too long for Virtuoso's
        format sniffing, which go by INSERT DATA (with their blank-node group)."""
        what = f"upload of the new content of <{target}>"
        long = [line for line in lines if len(line) > GSP_LONG_LINE] if gsp else lines
        if gsp and long and not idempotent:          # lines sharing blank nodes stay together
            long = lines
        short = [line for line in lines if line not in set(long)] if long else lines
        if gsp and short:
            body = ("\n".join(sorted(short, key=len)) + "\n").encode("utf-8")   # short lines first
            url = gsp + ("&" if "?" in gsp else "?") + urllib.parse.urlencode({"graph": str(staging)})
            self._request(url, body=body, what=what, idempotent=idempotent)
        groups = [long] if not idempotent or not gsp else [[line] for line in long]
        for group in groups:
            if group:
                # INSERT DATA, but Virtuoso refuses blank nodes there; a template it takes.
                form = "INSERT DATA { GRAPH %s {\n%s\n} }" if idempotent else \
                    "INSERT { GRAPH %s {\n%s\n} } WHERE {}"
                self._update(form % (nt_iri(staging), "\n".join(group)), what=what,
                             idempotent=idempotent)

    def forget_graph_list(self) -> None:
        """Make the next query list the named graphs again (after a write)."""
        with self._lock:
            self._graphs = None

    def staging_graphs(self) -> list[str]:
        """Staging graphs on the server: replacements in progress, or left by a dead writer."""
        _, rows = self._select_internal(GRAPH_SIZES)
        return sorted(g for g in (str(r["g"]) for r in rows) if g.startswith(str(STAGING)))

    def purge_staging(self, older_than: float = 3600.0) -> list[str]:
        """Drop staging graphs left by writers that died more than ``older_than`` seconds ago."""
        stale = [g for g in self.staging_graphs()
                 if (m := re.match(re.escape(str(STAGING)) + r"(\d+)-", g))
                 and time.time() - int(m.group(1)) > older_than]
        if stale:
            self._update(" ;\n".join(f"DROP SILENT GRAPH {nt_iri(g)}" for g in stale),
                         what="removal of stale staging graphs")
        return stale


def _parse_graph(data: bytes) -> Graph:
    """N-Triples or Turtle (a superset of N-Triples) from the server, terms normalised."""
    g = Graph()
    try:
        for t in ox.parse(data, ox.RdfFormat.TURTLE):
            g.add((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)))
    except SyntaxError as e:
        raise StoreError(f"the server answered with RDF that does not parse: {e}") from e
    return g


def _first_lines(body: bytes, limit: int = 400) -> str:
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", text) if "<html" in text.lower() else text
    text = re.sub(r"\s+", " ", text.split("SPARQL query:")[0]).strip()
    return text[:limit] + ("..." if len(text) > limit else "")
