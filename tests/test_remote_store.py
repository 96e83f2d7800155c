"""The remote store against a real Virtuoso (Debian's virtuoso-opensource-7, started here on
loopback with its own temporary database; see tests/virtuoso.py).

Run: ``pytest tests/test_remote_store.py``; ``-m slow`` selects the tests that start Virtuoso,
``-m "not slow"`` those of the SPARQL text and terms alone. The server tests are skipped, saying
why, when ``virtuoso-t`` is not installed (``bash .ci/install-virtuoso.sh`` installs it).
"""
from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from torkg import iris, queries
from torkg.remote import RemoteStore
from torkg.store import OxigraphStore, QuerySyntaxError, StoreError
from virtuoso import INSTALL_HINT, PASSWORD, USER, VirtuosoServer, free_port, virtuoso_binary

slow = pytest.mark.slow              # every test that starts Virtuoso

ROOT = Path(__file__).resolve().parents[1]
TEST_NS = "http://example.org/torkg-test/"
P = URIRef("http://example.org/p")


@pytest.fixture(scope="module")
def server():
    if virtuoso_binary() is None:
        pytest.skip(INSTALL_HINT)
    with VirtuosoServer() as v:
        yield v


def remote(server, scope: str | None = TEST_NS, **kw) -> RemoteStore:
    kw.setdefault("cache", 0)
    return RemoteStore(server.query_url, server.update_url, kw.pop("gsp_url", None), USER, PASSWORD,
                       graphs=scope, **kw)


def graph_iri(name: str) -> str:
    return TEST_NS + name


EMPTY = Literal("")
GROUP_CONCAT = re.compile(r'GROUP_CONCAT\s*\((?:[^()"]|"[^"]*")*?(?:separator\s*=\s*"([^"]*)")?\s*\)'
                          r'\s+AS\s+\?(\w+)', re.I)


def rows_multiset(rows: list[dict], query: str = "") -> Counter:
    """Rows compared as a multiset. Blank nodes differ between stores, so they compare equal;
    GROUP_CONCAT has no defined order, so its parts are compared sorted; an empty string counts
    as unbound: GROUP_CONCAT over no value is "" on Virtuoso, unbound on the embedded store."""
    concat = {name: sep or " " for sep, name in GROUP_CONCAT.findall(query)}

    def value(k, v):
        if isinstance(v, BNode):
            return "_:b"
        return tuple(sorted(str(v).split(concat[k]))) if k in concat else v
    return Counter(frozenset((k, value(k, v)) for k, v in r.items() if v != EMPTY) for r in rows)


# --- configuration and errors -----------------------------------------------------------------
def test_location_syntax(monkeypatch):
    monkeypatch.setenv("TORKG_STORE_USER", "alice")
    monkeypatch.setenv("TORKG_STORE_PASSWORD", "secret")
    s = RemoteStore.from_location("sparql+https://kg.example.org/sparql?update=/sparql-auth"
                                  "&gsp=https://kg.example.org/crud&union=server"
                                  "&graphs=http://ex.org/g/&timeout=7&retries=1&dialect=fuseki")
    assert (s.query_url, s.update_url, s.gsp_url) == (
        "https://kg.example.org/sparql", "https://kg.example.org/sparql-auth", "https://kg.example.org/crud")
    assert (s.union, s.scope, s.timeout, s.retries, s.dialect, s.user) == (
        "server", "http://ex.org/g/", 7.0, 1, "fuseki", "alice")
    with pytest.raises(StoreError, match="unknown option.*colour"):
        RemoteStore.from_location("sparql+http://h/sparql?colour=red")
    with pytest.raises(StoreError, match="TORKG_STORE_USER"):
        RemoteStore.from_location("sparql+http://bob:pw@h/sparql")
    with pytest.raises(StoreError, match="must be numbers"):
        RemoteStore.from_location("sparql+http://h/sparql?timeout=soon")
    with pytest.raises(StoreError, match="union must be list or server"):
        RemoteStore.from_location("sparql+http://h/sparql?union=urn:x-arq:UnionGraph")


def test_unreachable_server_is_named_with_what_to_do():
    """No server needed: a free loopback port with nothing listening."""
    s = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql", retries=1, backoff=0.01)
    with pytest.raises(StoreError, match=r"cannot reach the SPARQL server at http://127\.0\.0\.1:\d+/sparql"
                                         r".*is it running\? \(after 2 tries\)"):
        s.select("SELECT * WHERE { ?s ?p ?o }")


@slow
def test_refusals_name_the_credentials(server):
    anonymous = RemoteStore(server.query_url, dialect="virtuoso", graphs=TEST_NS)
    with pytest.raises(StoreError, match="refused.*TORKG_STORE_USER/TORKG_STORE_PASSWORD"):
        anonymous.replace_graphs({graph_iri("refused"): [(URIRef(graph_iri("x")), P, Literal(1))]})
    wrong = RemoteStore(server.query_url, server.update_url, user=USER, password="wrong", graphs=TEST_NS)
    with pytest.raises(StoreError, match=r"refused .*\(401"):
        wrong.replace_graphs({graph_iri("refused"): [(URIRef(graph_iri("x")), P, Literal(1))]})
    assert graph_iri("refused") not in remote(server).named_graphs()


@slow
def test_writes_outside_the_managed_graphs_are_refused(server):
    s = remote(server)
    with pytest.raises(StoreError, match="outside the graphs this store manages"):
        s.replace_graphs({"http://www.openlinksw.com/schemas/virtrdf#": []})
    with pytest.raises(StoreError, match="outside the graphs"):
        s.remove_graphs(["http://elsewhere.example/g"])


# --- round trips ------------------------------------------------------------------------------
def tricky_triples(day_time_durations: bool) -> list:
    s = URIRef(graph_iri("subject/é%20x"))
    long_text = ("Paragraph with \"quotes\", a \\backslash and \\u0041 (not an escape).\n" * 300)[:20_000]
    values = [
        Literal("plain"), Literal('with "double" and \'single\' quotes'), Literal("line1\nline2\r\n\ttab"),
        Literal("unicode é ü 中文 ✓ and astral 😀 𝄞"), Literal("en text", lang="en"),
        Literal("colour", lang="en-GB"), Literal("typed string", datatype=XSD.string), Literal(""),
        Literal(5), Literal(-3), Literal(0.62), Literal("0.620", datatype=XSD.decimal),
        Literal("100", datatype=XSD.decimal), Literal(True), Literal(False),
        Literal("2026-11-23T18:40:00", datatype=XSD.dateTime),
        Literal("2026-11-23T18:40:00Z", datatype=XSD.dateTime), Literal("2018", datatype=XSD.gYear),
        Literal("2026-01-31", datatype=XSD.date), Literal("P1Y", datatype=XSD.duration),
        Literal("P3M", datatype=XSD.duration), Literal("P1Y2M", datatype=XSD.duration),
        Literal("x", datatype=URIRef("http://example.org/custom-datatype")), Literal(long_text),
        Literal("} ; DROP ALL ; INSERT DATA { <a> <b> <c> } #"),
    ]
    if day_time_durations:
        values += [Literal("P14D", datatype=XSD.duration), Literal("PT36H", datatype=XSD.duration),
                   Literal("y" * 100_000)]          # a line too long for Virtuoso's format sniffing
    triples = [(s, URIRef(f"http://example.org/p{i}"), v) for i, v in enumerate(values)]
    chain = [BNode() for _ in range(4)]
    triples += [(s, P, chain[0])] + [(a, P, b) for a, b in zip(chain, chain[1:])]
    shared = BNode()
    triples += [(shared, URIRef(f"http://example.org/q{i}"), Literal(i)) for i in range(30)]
    triples += [(URIRef("http://example.org/ÿ-ünï"), P, shared)]
    return triples


@slow
@pytest.mark.parametrize("upload", ["graph-store", "insert-data"])
def test_round_trip_of_tricky_terms(server, upload):
    day_time = upload == "graph-store"       # Virtuoso's SPARQL parser cannot read P14D at all
    triples = tricky_triples(day_time)
    g = graph_iri(f"tricky-{upload}")
    s = remote(server, gsp_url=None if upload == "graph-store" else "", insert_chunk=7, gsp_chunk=7)
    s.replace_graphs({g: triples})
    embedded = OxigraphStore()
    embedded.replace_graphs({g: triples})
    back = s.graph(g)
    assert len(back) == len(triples)
    assert isomorphic(back, embedded.graph(g))
    literals = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o)) }"
    _, rows = s.select(literals, {"g": URIRef(g)})
    _, expected = embedded.select(literals, {"g": URIRef(g)})
    assert rows_multiset(rows) == rows_multiset(expected)
    assert s.staging_graphs() == []


@slow
def test_replacing_swaps_content_and_removing_drops(server):
    s = remote(server)
    a, b = graph_iri("swap-a"), graph_iri("swap-b")
    s.replace_graphs({a: [(URIRef(a), P, Literal(i)) for i in range(50)], b: [(URIRef(b), P, Literal("b"))]})
    s.replace_graphs({a: [(URIRef(a), P, Literal(i)) for i in range(25, 75)]})
    assert sorted(int(r["o"]) for r in s.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                {"g": URIRef(a)})[1]) == list(range(25, 75))
    s.replace_graphs({a: []}, remove=[b])
    assert s.stats()["graphs"].get(a) is None and b not in s.named_graphs()


# --- a failure midway leaves the old graph -----------------------------------------------------
def old_content(g: str) -> list:
    return [(URIRef(g), P, Literal(f"old {i}")) for i in range(300)]


def assert_old_graph_intact(s: RemoteStore, g: str) -> None:
    expected = Graph()
    for t in old_content(g):
        expected.add(t)
    assert isomorphic(s.graph(g), expected)
    assert s.staging_graphs() == []
    assert not s.ask("ASK { GRAPH ?g { ?s ?p ?o FILTER(STRSTARTS(STR(?o), \"new\")) } }",
                     {"g": URIRef(g)})


@slow
def test_a_chunk_the_server_rejects_leaves_the_old_graph(server):
    """Virtuoso's SPARQL parser refuses a day-time xsd:duration in INSERT DATA: the 8th of 10
    chunks fails after 7 were stored in the staging graph."""
    s = remote(server, gsp_url="", insert_chunk=100)
    g = graph_iri("reject-midway")
    s.replace_graphs({g: old_content(g)})
    new = [(URIRef(g), P, Literal(f"new {i}")) for i in range(1000)]
    new[750] = (URIRef(g), P, Literal("P14D", datatype=XSD.duration))
    with pytest.raises(StoreError, match=r"upload of the new content of <.*reject-midway>.*"
                                         r"nothing was changed"):
        s.replace_graphs({g: new})
    assert_old_graph_intact(s, g)


@slow
@pytest.mark.parametrize("upload", ["graph-store", "insert-data"])
def test_a_writer_failing_midway_leaves_the_old_graph(server, upload):
    s = remote(server, gsp_url=None if upload == "graph-store" else "", insert_chunk=100, gsp_chunk=100)
    g = graph_iri(f"writer-fails-{upload}")
    s.replace_graphs({g: old_content(g)})

    def triples():
        for i in range(1000):
            if i == 650:
                raise RuntimeError("the extractor crashed")
            yield URIRef(g), P, Literal(f"new {i}")
    with pytest.raises(StoreError, match="the extractor crashed.*nothing was changed"):
        s.replace_graphs({g: triples()})
    assert_old_graph_intact(s, g)


@slow
def test_staged_content_is_invisible_until_the_swap(server):
    s = remote(server)
    g = graph_iri("staged")
    s.replace_graphs({g: old_content(g)})
    staged = s.stage({g: [(URIRef(g), P, Literal(f"new {i}")) for i in range(500)]})
    assert len(s.staging_graphs()) == 2                       # the ticket and one staging graph
    assert s.named_graphs().count(g) == 1 and s.stats()["graphs"][g] == 300
    assert not s.ask("ASK { ?s ?p \"new 1\" }")                 # union default graph
    assert not s.ask("ASK { GRAPH ?g { ?s ?p ?o FILTER(STR(?o) = \"new 1\") } }")
    staged.commit()
    assert s.stats()["graphs"][g] == 500 and s.staging_graphs() == []
    # The swap is guarded by its ticket: sending it again (a retry) changes nothing.
    s._update(staged.swap_update(), what="repeated swap")
    assert s.stats()["graphs"][g] == 500


# --- parameters -------------------------------------------------------------------------------
@slow
def test_bound_values_are_values_not_syntax(server):
    s = remote(server)
    g = graph_iri("bindings")
    evil = Literal('x" } ; DROP ALL ; #')
    s.replace_graphs({g: [(URIRef(g), P, evil), (URIRef(g), P, Literal("} ; DROP ALL #")),
                          (URIRef(g), P, Literal("a"))]})
    before = s.stats()
    query = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    for value in (evil, Literal("} ; DROP ALL #")):
        assert s.select(query, {"o": value})[1] == [{"s": URIRef(g)}]
    assert s.select(query, {"o": Literal("} ; DROP ALL #", lang="en")})[1] == []
    # A parameter used only in a FILTER, in an aggregate query, in a sub-select, in ASK and CONSTRUCT:
    assert s.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?o = ?v) }", {"v": evil})[1] == [{"o": evil}]
    assert s.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"o": evil})[1] == \
        [{"n": Literal(1)}]
    assert s.select("SELECT ?s WHERE { { SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } } } }",
                    {"o": evil})[1] == [{"s": URIRef(g)}]
    assert s.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"o": evil})
    assert len(s.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"o": evil})) == 1
    assert len(s.construct("CONSTRUCT WHERE { ?s ?p ?o }", {"o": evil})) == 1
    assert s.stats() == before
    with pytest.raises(StoreError, match="not a valid IRI"):
        s.select(query, {"s": URIRef("http://x> } ; DROP ALL ; #")})
    with pytest.raises(StoreError, match="blank node"):
        s.select(query, {"s": BNode("x")})
    with pytest.raises(StoreError, match="not a SPARQL variable name"):
        s.select(query, {"o } ; DROP ALL": Literal(1)})


@pytest.mark.parametrize("text", [
    "DROP ALL",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "SELECT * WHERE { ?s ?p ?o } \\u003B \\u0044ROP ALL",
    "define sql:log-enable 3 SELECT * WHERE { ?s ?p ?o }",
    "PREFIX x: <bif:> SELECT (x:exec('checkpoint') AS ?r) WHERE {}",
])
@slow
def test_reads_never_write(server, text):
    s = remote(server)
    before = s.stats()
    with pytest.raises(StoreError):
        s.select(text)
    assert s.stats() == before


@slow
def test_syntax_errors_are_query_syntax_errors(server):
    with pytest.raises(QuerySyntaxError):
        remote(server).select("SELECT ?s WHERE { ?s ?p }")


# --- same answers as the embedded store ---------------------------------------------------------
def example_values(q: queries.QueryDef) -> dict[str, str]:
    """A value for every parameter, from the ``e.g. "..."`` of its description."""
    values = {}
    for p in q.params:
        m = re.search(r'e\.g\.\s*"([^"]+)"', p.description)
        if m:
            values[p.name] = m.group(1)
    return values


def compare_named_queries(remote_store, embedded) -> int:
    """Every named query, without and with example parameters: the same rows (as multisets)
    or the same graph (isomorphic). The number of non-empty answers compared."""
    answered = 0
    for q in queries.all_queries():
        runs = [] if any(not p.optional for p in q.params) else [{}]
        if q.params:
            runs.append(example_values(q))
        for values in runs:
            try:
                bindings = queries.bind_params(q, values)
            except queries.QueryError:
                continue
            answered += compare_one(q, values, bindings, remote_store, embedded)
    return answered


def compare_one(q: queries.QueryDef, values: dict, bindings: dict, remote_store, embedded) -> int:
    """One named query on both stores; 1 if the (equal) answer is not empty."""
    try:
        if re.search(r"^\s*(CONSTRUCT|DESCRIBE)", q.text, re.M | re.I):
            got, want = remote_store.construct(q.text, bindings), embedded.construct(q.text, bindings)
            assert isomorphic(got, want), (q.name, values)
            return int(len(want) > 0)
        got, want = remote_store.select(q.text, bindings), embedded.select(q.text, bindings)
    except StoreError as e:
        raise AssertionError(f"named query {q.name} {values}: {e}") from e
    assert got[0] == want[0], q.name
    assert rows_multiset(got[1], q.text) == rows_multiset(want[1], q.text), (q.name, values)
    return int(len(want[1]) > 0)


GENERIC_QUERIES = [
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", True),
    ("SELECT ?s ?o WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?o }", True),
    ("SELECT ?s WHERE { ?s ?p ?o }", False),                # default graph alone: empty on both
    ("SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c", True),
    # (Virtuoso refuses a transitive path with both ends free: one end is bound here.)
    ("SELECT ?x ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ "
     "<https://w3id.org/torkg/def#Provision> "
     "OPTIONAL { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(LANGMATCHES(LANG(?label), 'en')) } }",
     True),
    # (Strings only: STR() of an xsd:duration is a number of months or seconds on Virtuoso.)
    ("SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o } "
     "FILTER(DATATYPE(?o) = <http://www.w3.org/2001/XMLSchema#string> && REGEX(STR(?o), '^[0-9]')) }", True),
]


def load_trig(path: Path) -> dict[str, list]:
    ds = Dataset()
    ds.parse(path, format="trig")
    return {str(ctx.identifier): list(ctx) for ctx in ds.graphs() if len(ctx)}


@slow
def test_same_answers_as_the_embedded_store(server):
    graphs = load_trig(ROOT / "tests" / "data" / "api-fixture.trig")
    s, embedded = remote(server, scope=None), OxigraphStore()
    s.remove_graphs(s.named_graphs())
    try:
        s.replace_graphs(graphs)
        embedded.replace_graphs(graphs)
        assert s.named_graphs() == embedded.named_graphs()
        assert s.stats() == embedded.stats()
        for name in graphs:
            assert isomorphic(s.graph(name), embedded.graph(name)), name
        assert compare_named_queries(s, embedded) >= 10
        for text, union in GENERIC_QUERIES:
            got, want = s.select(text, union_default=union), embedded.select(text, union_default=union)
            assert rows_multiset(got[1]) == rows_multiset(want[1]), text
        out_remote, out_embedded = io.BytesIO(), io.BytesIO()
        s.dump(out_remote, "trig")
        embedded.dump(out_embedded, "trig")
        assert same_datasets(out_remote.getvalue(), out_embedded.getvalue())
    finally:
        s.remove_graphs(s.named_graphs())


def same_datasets(trig_a: bytes, trig_b: bytes) -> bool:
    """The same named graphs, each isomorphic (literals compared by value, as rdflib reads them)."""
    a, b = Dataset(), Dataset()
    a.parse(data=trig_a, format="trig")
    b.parse(data=trig_b, format="trig")
    graphs_a = {str(c.identifier): c for c in a.graphs() if len(c)}
    graphs_b = {str(c.identifier): c for c in b.graphs() if len(c)}
    return graphs_a.keys() == graphs_b.keys() and all(
        isomorphic(graphs_a[k], graphs_b[k]) for k in graphs_a)


@slow
def test_corpus_ingested_checked_and_queried_like_the_embedded_store(server):
    """The whole workflow on Virtuoso: ingest the corpus, check alignment, every named query."""
    from torkg.ingest import run
    from torkg.shapes import workflow
    from torkg.shapes.check import report_graph

    s, embedded = remote(server, scope=None), OxigraphStore()
    s.remove_graphs(s.named_graphs())
    try:
        outcomes = []
        summary = run.ingest(s, run.discover([ROOT / "corpus"]), progress=outcomes.append)
        assert summary.ok and len(summary.ingested) == 5, summary.lines()
        # The embedded store gets the very same triples through its own write path.
        run.ensure_static_graphs(embedded)
        embedded.load_graphs({str(iris.doc_graph(o.doc_id)): o.nquads for o in outcomes})
        assert s.stats() == embedded.stats()
        for name in embedded.named_graphs():
            assert isomorphic(s.graph(name), embedded.graph(name)), name
        # A second run finds every document unchanged (content hashes read back from Virtuoso).
        assert len(run.ingest(s, run.discover([ROOT / "corpus"])).unchanged) == 5

        reports = workflow.check_stored(s)
        assert reports and [workflow.statuses(r) for r in reports] == \
            [workflow.statuses(r) for r in workflow.check_stored(embedded, save=False)]
        embedded.replace_graphs({str(iris.alignment_graph(r.doc_id)): report_graph(r, r.doc_id)
                                 for r in reports})
        assert s.stats() == embedded.stats()
        assert compare_named_queries(s, embedded) >= 15
    finally:
        s.remove_graphs(s.named_graphs())


@slow
def test_the_command_line_works_on_the_server(server, tmp_path):
    """`torkg --store sparql+http://...`: nothing else changes for the user."""
    import os
    import subprocess
    import sys
    s = remote(server, scope=None)
    s.remove_graphs(s.named_graphs())
    graphs = load_trig(ROOT / "tests" / "data" / "api-fixture.trig")
    s.replace_graphs(graphs)
    env = dict(os.environ, TORKG_STORE_USER=USER, TORKG_STORE_PASSWORD=PASSWORD)
    try:
        def torkg(*args):
            r = subprocess.run([sys.executable, "-m", "torkg.cli", "--store", server.location, *args],
                               capture_output=True, text=True, env=env, timeout=300)
            assert r.returncode == 0, r.stderr
            return r.stdout
        out = torkg("stats", "--format", "json")
        assert json.loads(out)["graphs"] == s.stats()["graphs"]
        rows = torkg("query", "provisions", "--param", "document=global-tor", "--format", "json")
        assert json.loads(rows) and {r["doc"] for r in json.loads(rows)} == {"global-tor"}
        torkg("export", "--format", "trig", "--output", str(tmp_path / "kg.trig"))
        exported = load_trig(tmp_path / "kg.trig")
        assert exported.keys() == graphs.keys()
        torkg("remove", "faq-networks")
        assert str(iris.doc_graph("faq-networks")) not in s.named_graphs()
    finally:
        s.remove_graphs(s.named_graphs())


# --- the SPARQL text and terms, without a server ----------------------------------------------------
INJECTION_DATA = """
<http://example.org/a> <http://example.org/p> "x" , "y" .
<http://example.org/b> <http://example.org/p> "x" .
<http://example.org/b> <http://example.org/q> <http://example.org/a> .
"""
A, B = "<http://example.org/a>", "<http://example.org/b>"
TRUE = '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
FALSE = TRUE.replace("true", "false")
COUNT = '"%d"^^<http://www.w3.org/2001/XMLSchema#integer>'
# (query, answer with ?o = "x", answer with ?o = a value in no triple). Answers: sorted rows of
# SELECT, the boolean of ASK, the sorted subjects of CONSTRUCT/DESCRIBE.
INJECTION_CASES = [
    ("SELECT ?s WHERE { ?s <http://example.org/p> ?o }", [(A,), (B,)], []),
    ("SELECT ?s WHERE { ?s <http://example.org/p> ?x FILTER(?x = ?o) }", [(A,), (B,)], []),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }", [(COUNT % 2,)], [(COUNT % 0,)]),
    ("SELECT ?s WHERE { { SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } } }", [(A,), (B,)], []),
    ("SELECT ?s (EXISTS { ?s <http://example.org/q> ?t } AS ?linked) WHERE { ?s <http://example.org/p> ?o }",
     [(A, FALSE), (B, TRUE)], []),
    ("PREFIX ex: <http://example.org/> # a comment: WHERE {\nSELECT ?s WHERE { ?s ex:p ?o . ?s ex:p 'y' }",
     [(A,)], []),
    ("ASK { ?s <http://example.org/p> ?o }", True, False),
    ("CONSTRUCT { ?s <http://example.org/r> ?o } WHERE { ?s <http://example.org/p> ?o }", [A, B], []),
    ("CONSTRUCT WHERE { ?s <http://example.org/p> ?o }", [A, B], []),
    ("DESCRIBE ?s WHERE { ?s <http://example.org/p> ?o }", [A, B], []),
]


def answer(result):
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted({str(t.subject) for t in result})
    names = [v.value for v in result.variables]
    return sorted(tuple(str(s[n]) for n in names) for s in result)


@pytest.mark.parametrize("query, with_x, with_other", INJECTION_CASES)
def test_injected_values_bind_like_parameters(query, with_x, with_other):
    """A VALUES block opening the WHERE group binds the parameter for the whole group: in
    FILTERs, aggregates, sub-selects, every query form; a value with SPARQL syntax is a value."""
    from torkg.remote_sparql import inject_values
    db = ox.Store()
    db.load(INJECTION_DATA.encode(), ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    assert answer(db.query(inject_values(query, {"o": Literal("x")}))) == with_x
    assert answer(db.query(inject_values(query, {"o": Literal('y" } ; DROP ALL #')}))) == with_other


@pytest.mark.parametrize("query, with_x, with_other", INJECTION_CASES)
def test_the_dataset_goes_into_the_query_text(query, with_x, with_other):
    """FROM / FROM NAMED clauses before the WHERE clause, in every query form: a store holding
    the data in a named graph answers like one holding it in the default graph."""
    from torkg.remote_sparql import inject_values, with_dataset
    db = ox.Store()
    g = "http://example.org/g"
    db.load(INJECTION_DATA.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(g))
    text = with_dataset(inject_values(query, {"o": Literal("x")}), [g], [g])
    assert answer(db.query(text)) == with_x
    assert answer(db.query(text.replace(f"FROM <{g}>", "FROM <http://example.org/other>"))) == with_other


@pytest.mark.parametrize("text", [
    "DROP ALL", "SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "\\u0044ROP GRAPH <http://g>",
    "define input:inference 'x' SELECT * WHERE { ?s ?p ?o }", "SELECT (<bif:exec>('x') AS ?y) WHERE {}",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
])
def test_reads_that_could_write_are_refused_before_sending(text):
    from torkg.remote_sparql import read_query_text
    with pytest.raises(StoreError):
        read_query_text(text, virtuoso=True)


def test_virtuoso_answers_read_as_the_embedded_store_gives_them():
    from torkg.remote_sparql import from_json, make_literal
    d = str(XSD.duration)
    assert [str(make_literal(v, datatype=d)) for v in ("12", "14", "-12", "3", "86400.0", "1.2096e+06",
                                                        "129600.0", "PT0.5S")] == \
        ["P1Y", "P1Y2M", "-P1Y", "P3M", "P1D", "P14D", "P1DT12H", "PT0.5S"]
    assert make_literal("1", datatype=str(XSD.boolean)) == Literal(True)
    assert make_literal("7", datatype=str(XSD.nonNegativeInteger)) == Literal(7)
    assert make_literal("x", datatype=str(XSD.string)) == Literal("x")
    assert from_json({"type": "bnode", "value": "nodeID://b10001"}) == BNode("b10001")
    assert from_json({"type": "typed-literal", "datatype": str(XSD.integer), "value": "5"}) == Literal(5)
