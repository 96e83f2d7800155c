"""Stores of 10,000 documents without 10,000 ingestions: re-identified copies of ingested graphs.

Ingesting 10,000 synthetic ToRs takes hours of NLP (see ``bench/README.md``), while queries and
checks only need a store of that size whose graphs look like real extractions. ``clone_store``
copies every document graph of an ingested store under new ids (``{id}-c1``, ``{id}-c2``, ...):
IRIs under ``torid:doc/{id}``, the graph ``torg:doc/{id}`` and the ``dct:identifier`` literal are
rewritten, everything else (networks, entities, text) is kept, so each copy is what ingesting a
new version of the same ToR would store. The copies are streamed into pyoxigraph's bulk loader.
"""
from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from bench.common import log
from torkg import iris
from torkg.store import OxigraphStore, current_snapshot


class _Stream(io.RawIOBase):
    """A read-only byte stream over an iterator of byte chunks (for ``bulk_load``)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._buffer = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buffer))
        b[:n], self._buffer = self._buffer[:n], self._buffer[n:]
        return n


def snapshot_db(path: Path) -> ox.Store:
    name = current_snapshot(path)
    if name is None:
        raise FileNotFoundError(f"{path} holds no published snapshot; ingest into it first")
    return ox.Store.read_only(str(path / "snapshots" / name))


def doc_ids(db: ox.Store) -> list[str]:
    out = []
    for g in db.named_graphs():
        doc_id = iris.doc_id_of_graph(g.value) if isinstance(g, ox.NamedNode) else None
        if doc_id:
            out.append(doc_id)
    return sorted(out)


def _nquads(db: ox.Store, graph: str) -> str:
    """One graph as N-Quads: dumped as N-Triples by pyoxigraph (fast), then the graph name added
    to each line (a line can only end with " ." outside literals, which N-Triples escapes)."""
    buffer = io.BytesIO()
    db.dump(buffer, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    return buffer.getvalue().decode().replace(" .\n", f" <{graph}> .\n")


def _renamer(doc_id: str) -> re.Pattern:
    """Where a document's id occurs in its graph: document IRIs, the graph name, dct:identifier;
    and network IRIs (except the global network), so each copy constitutes a network of its own."""
    return re.compile(r'(/doc/)' + re.escape(doc_id) + r'(?=[/>#?])|"' + re.escape(doc_id) + r'"'
                      r'|(/network/)(?!global[/>])([^/>]+)(?=[/>])')


def _rename(text: str, pattern: re.Pattern, doc_id: str, k: int) -> str:
    def sub(m: re.Match) -> str:
        if m.group(1):
            return f"{m.group(1)}{doc_id}-c{k}"
        if m.group(2):
            return f"{m.group(2)}{m.group(3)}-c{k}"
        return f'"{doc_id}-c{k}"'
    return pattern.sub(sub, text)


def _chunks(db: ox.Store, n: int, keep: set[str]) -> Iterator[bytes]:
    """Every quad of ``db``, then copies of its document graphs until ``n`` documents are stored
    (each graph is dumped once and copied as text)."""
    ids = doc_ids(db)
    copyable = [d for d in ids if d not in keep]
    for g in db.named_graphs():
        yield _nquads(db, g.value).encode()
    missing = max(0, n - len(ids))
    if not copyable or not missing:
        return
    rounds = -(-missing // len(copyable))
    for i, doc_id in enumerate(copyable):
        copies = [k for k in range(1, rounds + 1) if (k - 1) * len(copyable) + i < missing]
        if not copies:
            break
        text, pattern = _nquads(db, str(iris.doc_graph(doc_id))), _renamer(doc_id)
        for k in copies:
            yield _rename(text, pattern, doc_id, k).encode()


def clone_store(base: Path, out: Path, n: int, keep: tuple[str, ...] = ("global-tor",)) -> int:
    """Write a store at ``out`` holding ``n`` documents made from ``base``'s. Returns the quads."""
    if out.exists():
        shutil.rmtree(out)
    db = snapshot_db(base)
    log(f"cloning {base.name} ({len(doc_ids(db))} documents) into {n} documents at {out}")
    writer = OxigraphStore(out)
    writer.db.bulk_load(io.BufferedReader(_Stream(_chunks(db, n, set(keep))), 1 << 20), ox.RdfFormat.N_QUADS,
                        lenient=True)
    writer.publish()
    quads = len(writer.db)
    writer.close()
    return quads
