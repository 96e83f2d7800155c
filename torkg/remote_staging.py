"""Staged replacement of named graphs on a remote SPARQL server (used by ``torkg.remote``).

The new content of each graph is uploaded into a staging graph with every predicate renamed
(``STAGED_PREDICATE`` + the original IRI), so that no query naming its predicates can see it,
next to a ticket graph. ``StagedWrite.swap_update()`` is the single SPARQL Update that then
swaps it in: one ``DELETE {…} INSERT {…} WHERE {…}`` operation over every graph, done only while
the ticket exists (re-sending it changes nothing), followed by dropping the ticket and staging
graphs. See ``docs/remote-store.md`` for what each server guarantees.

>>> w = StagedWrite(None, "1700000000-abc")
>>> w.targets["http://example.org/g"] = STAGING["1700000000-abc/0"]
>>> print(w.swap_update().splitlines()[0])
DELETE { GRAPH ?old { ?s ?p ?o } }
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from rdflib import Namespace, URIRef

from torkg.iris import GRAPH
from torkg.remote_sparql import nt_iri
from torkg.store import StoreError

if TYPE_CHECKING:  # pragma: no cover
    from torkg.remote import RemoteStore

STAGING = Namespace(GRAPH["staging/"])
"""Staging graphs, staged predicates and tickets of replacements in progress (never user data)."""
STAGED_PREDICATE = STAGING["p/"]
TICKET = STAGING["ticket"]
EMPTY_GRAPH = STAGING["empty"]


class StagedWrite:
    """Staged new content of some graphs, waiting to be swapped in (``RemoteStore.stage``)."""

    def __init__(self, store: RemoteStore, token: str):
        self.store, self.token = store, token
        self.ticket = STAGING[f"{token}/ticket"]
        self.targets: dict[str, URIRef] = {}          # graph -> its staging graph

    def swap_update(self, remove: Iterable[str] = ()) -> str:
        """The SPARQL Update that swaps the staged content in: one DELETE/INSERT operation over
        every graph, done only while the ticket exists, then the staging graphs are dropped."""
        old = " ".join(nt_iri(g) for g in [*self.targets, *remove])
        pairs = " ".join(f"({nt_iri(s)} {nt_iri(g)})" for g, s in self.targets.items())
        branches = [f"{{ VALUES ?old {{ {old} }} GRAPH ?old {{ ?s ?p ?o }} }}"] if old else []
        if pairs:
            branches.append(
                f"{{ VALUES (?staging ?target) {{ {pairs} }} GRAPH ?staging {{ ?s2 ?sp ?o2 }}\n"
                f"    BIND(IRI(STRAFTER(STR(?sp), \"{STAGED_PREDICATE}\")) AS ?p2) }}")
        swap = ("DELETE { GRAPH ?old { ?s ?p ?o } }\nINSERT { GRAPH ?target { ?s2 ?p2 ?o2 } }\n"
                "WHERE {\n  GRAPH %s { ?t ?tp ?tv }\n  %s\n}") % (nt_iri(self.ticket),
                                                                 "\n  UNION\n  ".join(branches))
        drops = [f"DROP SILENT GRAPH {nt_iri(g)}" for g in [self.ticket, *self.targets.values()]]
        return " ;\n".join([swap, *drops])

    def commit(self, remove: Iterable[str] = ()) -> None:
        remove = [str(r) for r in remove]
        for g in remove:
            self.store._check_writable(g)
        try:
            self.store._update(self.swap_update(remove), what="swap of the new graphs")
        except StoreError as e:
            self.abort()
            raise StoreError(f"{e}; the swap may or may not have happened: run the same write "
                             "again") from e
        finally:
            self.store.forget_graph_list()

    def abort(self) -> None:
        """Drop everything staged (best effort: a server that is down keeps them, invisible)."""
        try:
            self.store._update(" ;\n".join(f"DROP SILENT GRAPH {nt_iri(g)}" for g in
                                           [self.ticket, *self.targets.values()]),
                               what="removal of the staging graphs")
        except StoreError:
            pass


def bnode_chunks(linked: list[tuple[list[str], str]], max_triples: int,
                  max_bytes: int) -> Iterator[list[str]]:
    """Lines grouped so that lines sharing a blank node are in the same chunk (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for labels, _ in linked:
        for other in labels[1:]:
            parent[find(other)] = find(labels[0])
    groups: dict[str, list[str]] = {}
    for labels, line in linked:
        groups.setdefault(find(labels[0]), []).append(line)
    chunk: list[str] = []
    size = 0
    for lines in groups.values():
        weight = sum(map(len, lines))
        if chunk and (len(chunk) + len(lines) > max_triples or size + weight > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.extend(lines)
        size += weight
    if chunk:
        yield chunk
