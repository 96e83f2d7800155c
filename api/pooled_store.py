"""The store as the HTTP service sees it: every read and write runs in a killable worker.

``PooledStore`` implements the ``Store`` interface (so library code such as the alignment checker
can be handed it) and adds the protocol-level operations of the endpoint, which return outcome
dicts (see ``tasks.py``) ready to become HTTP responses. A time-out, a busy pool or a crashed
worker becomes an error outcome like any other.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from rdflib import BNode, Graph, Literal, URIRef

from torkg.api import negotiation, tasks
from torkg.api.settings import Settings
from torkg.api.workers import PoolBusy, QueryTimeout, WorkerCrashed, WorkerPool
from torkg.store import QuerySyntaxError, Store, StoreError, bind_values, current_snapshot, \
    triples_to_insert_data


class OutcomeError(StoreError):
    """A store call through the pool failed; ``outcome`` is the error to send to the client."""

    def __init__(self, outcome: dict):
        self.outcome = outcome
        try:
            message = json.loads(outcome["body"]).get("message", "")
        except (ValueError, KeyError, TypeError):
            message = f"status {outcome.get('status')}"
        super().__init__(message)


class PooledStore(Store):
    def __init__(self, pool: WorkerPool, settings: Settings):
        self.pool = pool
        self.settings = settings

    # -- running tasks ---------------------------------------------------------------------
    def run(self, task: dict, timeout: float | None = None) -> dict:
        limit = timeout or self.settings.query_timeout
        try:
            return self.pool.run(task, limit, wait=self.settings.query_timeout)
        except QueryTimeout:
            return tasks.error(504, "query-timeout",
                               f"the query ran longer than this server's limit of {limit:g} s and was "
                               "stopped; narrow it (more selective patterns, LIMIT) and try again",
                               limit_seconds=limit)
        except PoolBusy as e:
            return tasks.error(503, "busy", f"{e}; try again shortly") | {"headers": {"Retry-After": "2"}}
        except WorkerCrashed as e:
            return tasks.error(507, "out-of-memory", f"{e}: the query probably needed more memory than a "
                               "worker may use (TORKG_WORKER_MEMORY_MB); narrow it and try again")

    def snapshot(self) -> str | None:
        """The name of the newest published snapshot (cheap: reads the CURRENT pointer)."""
        return current_snapshot(Path(self.settings.store_path))

    # -- protocol operations ---------------------------------------------------------------
    def query(self, text: str, *, results_format: str | None, graph_format: str | None,
              default_graph: Iterable[str] = (), named_graphs: Iterable[str] = (),
              max_results: int | None = None) -> dict:
        task = {"op": "query", "query": text, "results_format": results_format,
                "graph_format": graph_format, "default_graph": list(default_graph),
                "named_graphs": list(named_graphs), "union": self.settings.union_default_graph,
                "max_results": max_results or self.settings.max_results,
                "service_allow": list(self.settings.service_allow),
                "offered": {"results": [f.key for f in negotiation.RESULTS],
                            "graph": [f.key for f in negotiation.GRAPHS]}}
        return self.run(task)

    def update(self, text: str) -> dict:
        return self.run({"op": "update", "update": text,
                         "service_allow": list(self.settings.service_allow)})

    def get_graph(self, graph: str | None, fmt: str) -> dict:
        return self.run({"op": "graph-get", "graph": graph, "format": fmt})

    def write_graph(self, method: str, graph: str | None, data: bytes = b"", media_type: str = "") -> dict:
        return self.run({"op": "graph-write", "method": method, "graph": graph, "data": data,
                         "media_type": media_type})

    def check_draft(self, data: bytes, filename: str, overrides: dict, as_html: bool) -> dict:
        """The alignment report of a draft (JSON or HTML outcome), computed in a worker."""
        return self.run({"op": "check-draft", "data": data, "filename": filename, "overrides": overrides,
                         "as": "html" if as_html else "json"}, timeout=self.settings.check_timeout)

    def dump_file(self, fmt: str) -> dict:
        """The whole dataset in ``fmt`` written to a temporary file (outcome key ``file``)."""
        fd, path = tempfile.mkstemp(prefix="torkg-dump-", suffix="." + fmt)
        os.close(fd)
        out = self.run({"op": "dump", "format": fmt, "path": path}, timeout=self.settings.query_timeout * 10)
        if "file" not in out:
            Path(path).unlink(missing_ok=True)
        return out

    # -- the Store interface ---------------------------------------------------------------
    def _checked(self, out: dict) -> dict:
        if out["status"] == 200:
            return out
        if out["status"] == 400 and b"malformed" in out.get("body", b""):
            raise QuerySyntaxError(OutcomeError(out).args[0])
        raise OutcomeError(out)

    def select(self, sparql, bindings=None, *, union_default=True):
        out = self._checked(self.query(bind_values(sparql, bindings), results_format="json", graph_format=None))
        doc = json.loads(out["body"])
        names = doc["head"]["vars"]
        rows = [{k: rdflib_term(v) for k, v in b.items()} for b in doc["results"]["bindings"]]
        return names, rows

    def ask(self, sparql, bindings=None, *, union_default=True):
        out = self._checked(self.query(bind_values(sparql, bindings), results_format="json", graph_format=None))
        return bool(json.loads(out["body"])["boolean"])

    def construct(self, sparql, bindings=None, *, union_default=True):
        out = self._checked(self.query(bind_values(sparql, bindings), results_format=None,
                                       graph_format="ntriples"))
        return Graph().parse(data=out["body"], format="nt")

    def named_graphs(self) -> list[str]:
        _, rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
        return [str(r["g"]) for r in rows if isinstance(r.get("g"), URIRef)]

    def graph(self, iri: str) -> Graph:
        out = self._checked(self.get_graph(iri, "ntriples"))
        return Graph().parse(data=out["body"], format="nt")

    def dump(self, out: IO[bytes], fmt: str = "nquads", graph: str | None = None) -> None:
        if graph is not None:
            out.write(self._checked(self.get_graph(graph, fmt))["body"])
            return
        result = self._checked(self.dump_file(fmt))
        path = Path(result["file"])
        try:
            with open(path, "rb") as f:
                while chunk := f.read(1 << 16):
                    out.write(chunk)
        finally:
            path.unlink(missing_ok=True)

    def replace_graphs(self, graphs: Mapping[str, Iterable], remove: Iterable[str] = ()) -> None:
        ops = [f"DROP SILENT GRAPH <{g}>" for g in list(graphs) + list(remove)]
        ops += [triples_to_insert_data(g, triples) for g, triples in graphs.items()]
        if ops:
            out = self.update(" ;\n".join(ops))
            if out["status"] not in (200, 204):
                raise OutcomeError(out)


def rdflib_term(value: dict):
    """An rdflib term from its SPARQL JSON results form."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        dt = value.get("datatype")
        return Literal(value["value"], datatype=URIRef(dt) if dt else None)
    raise StoreError(f"unsupported term in results: {kind}")
