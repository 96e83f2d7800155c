"""The embedded store: atomic graph replacement, snapshots for readers, one writer at a time."""
from __future__ import annotations

import io
import multiprocessing as mp
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from torkg.store import OxigraphStore, QuerySyntaxError, StoreError, current_snapshot, nquads_of, open_store

G = URIRef("http://example.org/g")
P = URIRef("http://example.org/p")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(store) -> int:
    return int(store.select(COUNT)[1][0]["n"])


def test_replace_graph_swaps_content(tmp_path):
    s = OxigraphStore(tmp_path)
    s.replace_graphs({str(G): [(G, P, Literal(i)) for i in range(100)]})
    s.replace_graphs({str(G): [(G, P, Literal("new"))]})
    assert s.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")[1] == [{"o": Literal("new")}]


def test_failed_replacement_leaves_old_graph(tmp_path):
    s = OxigraphStore(tmp_path)
    s.replace_graphs({str(G): [(G, P, Literal("old"))]})
    bad = URIRef("not an iri with spaces")
    with pytest.raises(StoreError, match="nothing was changed"):
        s.replace_graphs({str(G): [(G, P, Literal("new"))], "http://example.org/h": [(bad, P, Literal(1))]})
    assert s.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")[1] == [{"o": Literal("old")}]
    reader = OxigraphStore(tmp_path, read_only=True)
    assert reader.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")[1] == [{"o": Literal("old")}]


def test_reader_sees_whole_transactions_only(tmp_path):
    w = OxigraphStore(tmp_path)
    w.replace_graphs({str(G): [(G, P, Literal(i)) for i in range(10)]})
    r = OxigraphStore(tmp_path, read_only=True)
    assert count(r) == 10
    w.replace_graphs({str(G): [(G, P, Literal(i)) for i in range(500)]})
    assert count(r) == 10            # still the snapshot it opened
    assert r.refresh() and count(r) == 500


def _write_in_child(path: str, q) -> None:
    try:
        OxigraphStore(path)
        q.put("opened")
    except StoreError as e:
        q.put(str(e))


def test_second_writer_process_gets_a_clear_error(tmp_path):
    w = OxigraphStore(tmp_path)
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_write_in_child, args=(str(tmp_path), q))
    p.start()
    p.join(60)
    assert "being written by another torkg process" in q.get(timeout=5)
    w.close()


def test_reader_without_store_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="run `torkg ingest` first"):
        open_store(tmp_path / "nothing", read_only=True)


def test_bindings_are_values_not_syntax(tmp_path):
    s = OxigraphStore(tmp_path)
    s.replace_graphs({str(G): [(G, P, Literal("a")), (G, P, Literal("b"))]})
    evil = Literal('a" } UNION { ?s ?p ?o } #')
    names, rows = s.select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {"o": evil})
    assert rows == []
    assert len(s.select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {"o": Literal("a")})[1]) == 1


def test_bad_sparql_raises_syntax_error(tmp_path):
    with pytest.raises(QuerySyntaxError):
        OxigraphStore().select("SELEKT ?x WHERE { ?x ?y }")


def test_dump_roundtrips_and_refuses_single_graph_formats_for_everything(tmp_path):
    s = OxigraphStore(tmp_path)
    triples = [(G, P, Literal("x", lang="en")), (G, P, Literal("line\n\"two\""))]
    s.replace_graphs({str(G): triples})
    buf = io.BytesIO()
    s.dump(buf, "turtle", str(G))
    g = Graph().parse(data=buf.getvalue(), format="turtle")
    assert set(g) == set(triples)
    with pytest.raises(StoreError, match="one graph only"):
        s.dump(io.BytesIO(), "turtle")
    with pytest.raises(StoreError, match="no graph"):
        s.dump(io.BytesIO(), "nquads", "http://example.org/none")


def _snapshot_dirs(path: Path) -> list[str]:
    return sorted(p.name for p in (path / "snapshots").iterdir() if p.is_dir())


def test_snapshots_no_reader_holds_are_pruned(tmp_path):
    s = OxigraphStore(tmp_path)
    for i in range(8):
        s.replace_graphs({str(G): [(G, P, Literal(i))]})
    assert _snapshot_dirs(tmp_path) == [current_snapshot(tmp_path)]


def test_a_snapshot_a_reader_holds_is_kept_until_it_lets_go(tmp_path):
    w = OxigraphStore(tmp_path)
    w.replace_graphs({str(G): [(G, P, Literal("old"))]})
    reader = OxigraphStore(tmp_path, read_only=True)
    held = reader.snapshot
    for i in range(3):
        w.replace_graphs({str(G): [(G, P, Literal(i))]})
    assert _snapshot_dirs(tmp_path) == [held, current_snapshot(tmp_path)]
    assert reader.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")[1] == [{"o": Literal("old")}]
    assert reader.refresh() and reader.snapshot == current_snapshot(tmp_path)
    w.replace_graphs({str(G): [(G, P, Literal("new"))]})
    assert held not in _snapshot_dirs(tmp_path)          # released by the refresh
    assert reader.refresh()
    assert reader.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")[1] == [{"o": Literal("new")}]
    reader.close()
    w.replace_graphs({str(G): [(G, P, Literal("last"))]})
    assert _snapshot_dirs(tmp_path) == [current_snapshot(tmp_path)]


def _hold_snapshot(path: str, ready, done) -> None:
    reader = OxigraphStore(path, read_only=True)
    ready.put(reader.snapshot)
    done.get(timeout=60)
    reader.close()


def test_a_reader_in_another_process_keeps_its_snapshot(tmp_path):
    w = OxigraphStore(tmp_path)
    w.replace_graphs({str(G): [(G, P, Literal("old"))]})
    ctx = mp.get_context("spawn")
    ready, done = ctx.Queue(), ctx.Queue()
    p = ctx.Process(target=_hold_snapshot, args=(str(tmp_path), ready, done))
    p.start()
    held = ready.get(timeout=60)
    w.replace_graphs({str(G): [(G, P, Literal("new"))]})
    assert held in _snapshot_dirs(tmp_path)
    done.put(True)
    p.join(60)
    w.replace_graphs({str(G): [(G, P, Literal("newer"))]})
    assert _snapshot_dirs(tmp_path) == [current_snapshot(tmp_path)]


# -- bulk loading of new graphs (ingestion's write path) ---------------------------------------
H = URIRef("http://example.org/h")


def _graph_set(store, g) -> set:
    return {(s, p, o) for s, p, o in store.graph(str(g))}


def test_load_graphs_bulk_loads_new_graphs_and_replaces_existing_ones_in_one_publish(tmp_path):
    s = OxigraphStore(tmp_path)
    s.replace_graphs({str(G): [(G, P, Literal("old"))]})
    before = current_snapshot(tmp_path)
    new = [(H, P, Literal("line\nbreak \"quoted\"", lang="en")), (H, P, Literal(3))]
    s.load_graphs({str(G): nquads_of(str(G), [(G, P, Literal("new"))]), str(H): nquads_of(str(H), new)})
    assert _graph_set(s, G) == {(G, P, Literal("new"))} and _graph_set(s, H) == set(new)
    assert int(current_snapshot(tmp_path)) == int(before) + 1
    assert not (tmp_path / "LOADING").exists()
    reader = OxigraphStore(tmp_path, read_only=True)
    assert _graph_set(reader, H) == set(new)
    reader.close()


def test_a_load_that_fails_changes_nothing(tmp_path):
    s = OxigraphStore(tmp_path)
    s.replace_graphs({str(G): [(G, P, Literal("old"))]})
    good = nquads_of(str(H), [(H, P, Literal(i)) for i in range(1000)])
    broken = good + b'<http://example.org/h> <http://example.org/p> "unterminated <http://example.org/h> .\n'
    with pytest.raises(StoreError, match="nothing was changed"):
        s.load_graphs({str(H): broken, str(G): nquads_of(str(G), [(G, P, Literal("new"))])})
    assert str(H) not in s.named_graphs() and _graph_set(s, G) == {(G, P, Literal("old"))}
    assert not (tmp_path / "LOADING").exists()
    with pytest.raises(StoreError, match="other graphs"):
        s.load_graphs({str(G): nquads_of(str(H), [(H, P, Literal("x"))])})
    assert _graph_set(s, G) == {(G, P, Literal("old"))}


def _die_during_load(path: str) -> None:
    s = OxigraphStore(path)
    s._journal([str(H)])
    s._db.bulk_load(nquads_of(str(H), [(H, P, Literal(i)) for i in range(100)]), format=ox.RdfFormat.N_QUADS)
    os._exit(3)                                      # dies before publishing


def test_a_bulk_load_a_dead_process_left_is_undone_by_the_next_writer(tmp_path):
    w = OxigraphStore(tmp_path)
    w.replace_graphs({str(G): [(G, P, Literal("kept"))]})
    w.close()
    del w
    p = mp.get_context("spawn").Process(target=_die_during_load, args=(str(tmp_path),))
    p.start()
    p.join(60)
    assert p.exitcode == 3 and (tmp_path / "LOADING").exists()
    reader = OxigraphStore(tmp_path, read_only=True)
    assert str(H) not in reader.named_graphs()       # never published
    reader.close()
    w = OxigraphStore(tmp_path)
    assert str(H) not in w.named_graphs() and _graph_set(w, G) == {(G, P, Literal("kept"))}
    assert not (tmp_path / "LOADING").exists()


def test_the_default_load_graphs_goes_through_replace_graphs():
    from torkg.store import Store, triples_of

    written = {}

    class Recording(OxigraphStore):
        def replace_graphs(self, graphs, remove=()):
            written.update({g: set(t) for g, t in graphs.items()})

    triples = [(H, P, Literal("x", lang="fr")), (H, P, URIRef("http://example.org/o"))]
    Store.load_graphs(Recording(), {str(H): nquads_of(str(H), triples)})
    assert written == {str(H): set(triples)} and set(triples_of(str(H), nquads_of(str(H), triples))) == set(triples)
