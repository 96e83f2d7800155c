"""What a query worker does with one task: run it against the store and serialise the answer.

This module runs inside a worker process (``workers.py``), never in the server process: anything
here may take unbounded CPU, and the server kills the worker when its time is up. Reads use the
newest published snapshot (immutable, so safe to read while an ingest writes); writes open the
primary store, apply one transaction and publish a new snapshot.

A task is a plain dict; its outcome is a plain dict ``{"status", "media_type", "body", "headers"}``
(or ``"file"`` instead of ``"body"`` for dumps), so both cross the process boundary as pickles.
"""
from __future__ import annotations

import json
import re
import sys
import traceback
from pathlib import Path

import pyoxigraph as ox

from torkg import iris
from torkg.api import sparqltext
from torkg.api.federation import FederationRefused, check_query, check_update
from torkg.store import XSD_STRING, OxigraphStore, StoreError

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
PREFIXED = {"turtle", "trig", "rdfxml"}
PREFIXES = {k: str(v) for k, v in iris.PREFIXES.items()}
_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


# --- outcomes ----------------------------------------------------------------------------------
def outcome(status: int, body: bytes = b"", media_type: str | None = None, **headers: str) -> dict:
    return {"status": status, "body": body, "media_type": media_type, "headers": headers}


def error(status: int, code: str, message: str, **extra) -> dict:
    body = json.dumps({"error": code, "message": message, **extra}, ensure_ascii=False).encode()
    return outcome(status, body, "application/json")


def syntax_error(e: SyntaxError, what: str = "query") -> dict:
    message = str(e)
    m = _POSITION.search(message)
    position = {"line": int(m.group(1)), "column": int(m.group(2))} if m else {}
    return error(400, f"malformed-{what}", f"the {what} does not parse: {message}", **position)


def too_large(limit: int, unit: str) -> dict:
    return error(413, "result-too-large",
                 f"the result has more than {limit} {unit}, the limit of this server; nothing was "
                 f"sent. Narrow the query, or page through it with ORDER BY, LIMIT and OFFSET.",
                 limit=limit)


# --- the worker's store ------------------------------------------------------------------------
class Context:
    """Per-worker state: the read-only snapshot store, opened once and refreshed per task."""

    def __init__(self, store_path: str):
        self.path = store_path
        self._reader: OxigraphStore | None = None

    def reader(self) -> OxigraphStore:
        if self._reader is None:
            self._reader = OxigraphStore(self.path, read_only=True)
        else:
            self._reader.refresh()
        return self._reader

    def writer(self) -> OxigraphStore:
        return OxigraphStore(self.path)


def execute(ctx: Context, task: dict) -> dict:
    """Run one task; every failure becomes an error outcome that says what went wrong."""
    handlers = {"query": run_query, "update": run_update, "graph-get": get_graph,
                "graph-write": write_graph, "dump": dump, "check-draft": check_draft}
    try:
        return handlers[task["op"]](ctx, task)
    except FederationRefused as e:
        return error(403, "refused", str(e))
    except StoreError as e:
        busy = "another torkg process" in str(e)
        return error(503, "store-busy" if busy else "store-unavailable", str(e))
    except Exception as e:  # report, never leak a traceback to the client
        traceback.print_exc(file=sys.stderr)
        return error(500, "internal-error", f"the server failed on this request: {type(e).__name__}: {e}")


# --- queries -----------------------------------------------------------------------------------
def dataset_arguments(task: dict) -> dict:
    """pyoxigraph's dataset arguments from the protocol's graph URIs, or the union default graph."""
    default, named = task.get("default_graph") or [], task.get("named_graphs") or []
    if default or named:        # the protocol's dataset is exactly what the request names
        return {"default_graph": [ox.NamedNode(g) for g in default],
                "named_graphs": [ox.NamedNode(g) for g in named]}
    if task.get("union", True) and not sparqltext.has_dataset_clause(task["query"]):
        return {"use_default_graph_as_union": True}
    return {}


def run_query(ctx: Context, task: dict) -> dict:
    text = task["query"]
    check_query(text, task.get("service_allow", ()))
    try:
        args = dataset_arguments(task)
    except ValueError as e:
        return error(400, "bad-graph-uri", f"a default-graph-uri or named-graph-uri is not an IRI: {e}")
    store = ctx.reader()
    try:
        result = store.db.query(text, **args)
    except SyntaxError as e:
        return syntax_error(e)
    except (ValueError, TypeError) as e:
        return error(400, "bad-query", f"the query cannot be run: {e}")
    headers = {"TorKG-Snapshot": store.snapshot or ""}
    try:
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            key = task.get("results_format")
            if key is None:
                return not_acceptable("SELECT/ASK results", task)
            if isinstance(result, ox.QueryBoolean):
                body = result.serialize(format=RESULT_FORMATS[key])
                return outcome(200, body, None, **headers) | {"format": key, "kind": "boolean"}
            return solutions(result, key, task["max_results"]) | {"headers": headers}
        key = task.get("graph_format")
        if key is None:
            return not_acceptable("CONSTRUCT/DESCRIBE results", task)
        return triples(result, key, task["max_results"]) | {"headers": headers}
    except OSError as e:
        return error(502 if sparqltext.count_keyword(text, "SERVICE") else 500, "query-failed",
                     f"the query failed while running: {e}")
    except (ValueError, TypeError) as e:
        return error(400, "bad-query", f"the query cannot be evaluated: {e}")


def not_acceptable(what: str, task: dict) -> dict:
    offered = task.get("offered", {}).get("graph" if "CONSTRUCT" in what else "results", [])
    return error(406, "not-acceptable", f"none of the requested formats can hold {what}; "
                 f"ask (Accept or ?format=) for one of: {', '.join(offered)}")


def solutions(result: ox.QuerySolutions, key: str, limit: int) -> dict:
    """SPARQL results in ``key`` format, or a 413 outcome if there are more than ``limit`` rows."""
    names = [v.value for v in result.variables]
    bindings = []
    for solution in result:
        if len(bindings) >= limit:
            return too_large(limit, "rows")
        row = {}
        for n in names:
            term = solution[n]
            if term is not None:
                row[n] = term_json(term)
        bindings.append(row)
    body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")
    if key != "json":
        body = ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(format=RESULT_FORMATS[key])
    return outcome(200, body) | {"format": key, "kind": "solutions", "count": len(bindings)}


def term_json(term) -> dict:
    """One RDF term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"unsupported term {term!r}")


def triples(result, key: str, limit: int) -> dict:
    items = []
    for t in result:
        if len(items) >= limit:
            return too_large(limit, "triples")
        items.append(t)
    return outcome(200, serialize_triples(items, key)) | {"format": key, "kind": "graph",
                                                          "count": len(items)}


def serialize_triples(items: list, key: str) -> bytes:
    fmt = RDF_FORMATS[key]
    if fmt.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in items]
    return ox.serialize(items, format=fmt, prefixes=PREFIXES if key in PREFIXED else None)


# --- writes ------------------------------------------------------------------------------------
def run_update(ctx: Context, task: dict) -> dict:
    text = task["update"]
    check_update(text, task.get("service_allow", ()))
    writer = ctx.writer()
    try:
        try:
            writer.db.update(text)
        except SyntaxError as e:
            return syntax_error(e, "update")
        except (ValueError, OSError) as e:
            return error(400, "update-failed", f"the update was not applied: {e}")
        writer.publish()
    finally:
        writer.close()
    return outcome(204)


def _graph_node(graph: str | None):
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def get_graph(ctx: Context, task: dict) -> dict:
    store = ctx.reader()
    node = _graph_node(task.get("graph"))
    if task.get("graph") is not None and not store.db.contains_named_graph(node):
        return error(404, "no-such-graph", f"there is no graph <{task['graph']}> in the store")
    fmt = RDF_FORMATS[task["format"]]
    if fmt.supports_datasets and task.get("graph") is None:
        body = ox.serialize(store.db.quads_for_pattern(None, None, None, ox.DefaultGraph()), format=fmt)
    else:
        body = store.db.dump(format=fmt, from_graph=node,
                             prefixes=PREFIXES if task["format"] in PREFIXED else None)
    return outcome(200, body, None, **{"TorKG-Snapshot": store.snapshot or ""})


def write_graph(ctx: Context, task: dict) -> dict:
    """Graph Store Protocol PUT (replace), POST (merge) or DELETE of one graph, in one transaction."""
    graph, method = task.get("graph"), task["method"]
    target = "DEFAULT" if graph is None else str(ox.NamedNode(graph))
    where = "" if graph is None else target
    ops = []
    if method in ("PUT", "POST"):
        try:
            fmt = ox.RdfFormat.from_media_type(task["media_type"])
            if fmt is None:
                raise ValueError(task["media_type"])
            parsed = list(ox.parse(task["data"], format=fmt, base_iri=graph, without_named_graphs=True))
        except (SyntaxError, ValueError) as e:
            return error(400, "bad-rdf", f"the uploaded {task['media_type']} does not parse: {e}")
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in parsed)
        if method == "PUT":
            ops.append(f"DROP SILENT {'DEFAULT' if graph is None else 'GRAPH ' + target}")
        if parsed:
            ops.append(f"INSERT DATA {{ GRAPH {where} {{\n{body}\n}} }}" if graph else
                       f"INSERT DATA {{\n{body}\n}}")
    writer = ctx.writer()
    try:
        existed = graph is None or writer.db.contains_named_graph(ox.NamedNode(graph))
        if method == "DELETE":
            if not existed:
                return error(404, "no-such-graph", f"there is no graph <{graph}> in the store")
            ops.append(f"DROP {'DEFAULT' if graph is None else 'GRAPH ' + target}")
        if ops:
            writer.db.update(" ;\n".join(ops))
            writer.publish()
    finally:
        writer.close()
    return outcome(201 if method in ("PUT", "POST") and not existed else 204)


# --- dumps -------------------------------------------------------------------------------------
def dump(ctx: Context, task: dict) -> dict:
    store = ctx.reader()
    path = Path(task["path"])
    with open(path, "wb") as out:
        store.db.dump(out, RDF_FORMATS[task["format"]])
    return {"status": 200, "file": str(path), "media_type": None,
            "headers": {"TorKG-Snapshot": store.snapshot or ""}}


# --- draft alignment checks --------------------------------------------------------------------
def check_draft(ctx: Context, task: dict) -> dict:
    """Check an uploaded draft against the stored global ToR; the draft is never stored."""
    from torkg.ingest.read import ReadError
    from torkg.shapes import report as render
    from torkg.shapes import workflow
    from torkg.shapes.check import AlignmentError
    refusals = (ValueError, ReadError, AlignmentError)
    try:
        report = workflow.check_draft(ctx.reader(), task["data"], task["filename"], task["overrides"])
    except refusals as e:
        return error(400, "bad-draft", f"the draft cannot be checked: {e}")
    if task.get("as") == "html":
        return outcome(200, render.to_html([report]).encode("utf-8"), "text/html; charset=utf-8")
    body = json.dumps(render.to_json([report]), ensure_ascii=False, indent=1).encode("utf-8")
    return outcome(200, body, "application/json")
