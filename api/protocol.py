"""The SPARQL 1.1 Protocol's request: its parameters read, checked and negotiated.

>>> r = parse([("query", "ASK {}"), ("format", "json"), ("output", "json")])
>>> r.query, r.formats
('ASK {}', ['json', 'json'])
>>> try:
...     parse([("query", "ASK {}"), ("qurey", "x")])
... except ApiError as e:
...     print(e.status, e.message)
400 unknown parameter 'qurey'; the SPARQL endpoint takes query, default-graph-uri, named-graph-uri, update, using-graph-uri, using-named-graph-uri, format, output, results
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from torkg.api import negotiation
from torkg.api.responses import ApiError

QUERY_PARAMS = ("query", "default-graph-uri", "named-graph-uri")
UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")
PARAMS = QUERY_PARAMS + UPDATE_PARAMS + negotiation.FORMAT_PARAMS
FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


@dataclass
class SparqlRequest:
    query: str | None = None
    update: str | None = None
    default_graph: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using_graph: list[str] = field(default_factory=list)
    using_named_graph: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)


def parse(items: Sequence[tuple[str, str]]) -> SparqlRequest:
    """A protocol request from its parameters (URL and form together)."""
    unknown = sorted({k for k, _ in items} - set(PARAMS))
    if unknown:
        raise ApiError(400, "unknown-parameter",
                       f"unknown parameter {', '.join(map(repr, unknown))}; the SPARQL endpoint takes "
                       f"{', '.join(PARAMS)}")
    values: dict[str, list[str]] = {}
    for k, v in items:
        values.setdefault(k, []).append(v)
    for one in ("query", "update"):
        if len(values.get(one, [])) > 1:
            raise ApiError(400, "repeated-parameter", f"send one {one} per request, not {len(values[one])}")
    req = SparqlRequest(
        query=(values.get("query") or [None])[0], update=(values.get("update") or [None])[0],
        default_graph=values.get("default-graph-uri", []), named_graphs=values.get("named-graph-uri", []),
        using_graph=values.get("using-graph-uri", []), using_named_graph=values.get("using-named-graph-uri", []),
        formats=[v for p in negotiation.FORMAT_PARAMS for v in values.get(p, [])])
    if req.query is not None and req.update is not None:
        raise ApiError(400, "query-and-update", "send either query or update, not both")
    if req.query is not None and (req.using_graph or req.using_named_graph):
        raise ApiError(400, "misplaced-parameter", "using-graph-uri and using-named-graph-uri go with "
                       "an update; a query takes default-graph-uri and named-graph-uri")
    if req.update is not None and (req.default_graph or req.named_graphs):
        raise ApiError(400, "misplaced-parameter", "default-graph-uri and named-graph-uri go with a "
                       "query; an update takes using-graph-uri and using-named-graph-uri")
    if req.using_graph or req.using_named_graph:
        raise ApiError(400, "unsupported-parameter", "using-graph-uri and using-named-graph-uri are not "
                       "supported here; write USING / USING NAMED in the update itself")
    for iri in req.default_graph + req.named_graphs:
        if not _IRI.match(iri):
            raise ApiError(400, "bad-graph-uri", f"{iri!r} is not an absolute IRI")
    for text in (req.query, req.update):
        if text is not None and not text.strip():
            raise ApiError(400, "empty-query", "the query or update is empty")
    return req


def parse_form(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise ApiError(400, "bad-encoding", "the form is not UTF-8") from None


def decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, "bad-encoding", f"the {what} is not UTF-8 text (byte {e.start})") from None


def negotiate(accept: str | None, formats: Sequence[str]) -> tuple[str | None, str | None]:
    """The result format for SELECT/ASK and the one for CONSTRUCT/DESCRIBE; 406 if neither."""
    try:
        results = negotiation.choose(negotiation.RESULTS, accept, formats)
        graphs = negotiation.choose(negotiation.GRAPHS, accept, formats)
    except negotiation.UnknownFormat as e:
        raise ApiError(400, "unknown-format", str(e)) from None
    if results is None and graphs is None:
        raise ApiError(406, "not-acceptable",
                       f"none of the requested formats ({', '.join(formats) or accept}) can be produced; "
                       f"results come as {', '.join(f.media_type for f in negotiation.RESULTS)}; "
                       f"graphs as {', '.join(f.media_type for f in negotiation.GRAPHS)}")
    return results, graphs
