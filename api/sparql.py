"""The SPARQL 1.1 Protocol at ``/sparql``: query by GET or POST, update by POST (when enabled),
and the service description for a GET without a query."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from torkg import queries
from torkg.api import html, negotiation, protocol
from torkg.api.deps import SettingsDep, StoreDep, require_writer
from torkg.api.protocol import FORM, QUERY_BODY, UPDATE_BODY
from torkg.api.responses import ApiError, outcome_response, rdf_response
from torkg.api.void import CACHE, service_graph

router = APIRouter(tags=["SPARQL 1.1 Protocol"])

RESULT_MEDIA = {f.mime: {} for f in negotiation.RESULTS + negotiation.GRAPHS}
ERRORS = {
    400: {"description": "Malformed query (with the parser's message, line and column), unknown "
                         "parameter or unknown format"},
    401: {"description": "An update without a valid bearer token"},
    403: {"description": "SERVICE to an endpoint not on the allow-list, LOAD, or writes disabled"},
    406: {"description": "No acceptable result format for this query"},
    413: {"description": "Request body too large, or more result rows/triples than the server's limit "
                         "(error `result-too-large`; results are never truncated)"},
    415: {"description": "Body media type other than form, sparql-query or sparql-update"},
    503: {"description": "All query workers busy, or the store is being written by another process"},
    504: {"description": "The query ran past the time limit and was stopped"},
    507: {"description": "The query needed more memory than a worker may use and was stopped"},
}
FormatParam = Annotated[list[str] | None, Query(
    description="Result format, overriding Accept: json, xml, csv, tsv (SELECT/ASK); turtle, jsonld, "
                "ntriples, rdfxml, trig, nquads (CONSTRUCT/DESCRIBE); or a media type")]


@router.get(
    "/sparql", summary="SPARQL query (GET), or the service description",
    responses={200: {"description": "Query results, or the SPARQL 1.1 Service Description (RDF) "
                                    "when there is no query", "content": RESULT_MEDIA | {"text/html": {}}},
               **ERRORS})
async def sparql_get(
    request: Request, store: StoreDep, settings: SettingsDep,
    query: Annotated[str | None, Query(description="The SPARQL query")] = None,
    default_graph_uri: Annotated[list[str] | None, Query(
        alias="default-graph-uri", description="Graphs whose merge is the default graph")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(
        alias="named-graph-uri", description="Graphs available to GRAPH")] = None,
    format: FormatParam = None,
    output: Annotated[list[str] | None, Query(description="Alias of format")] = None,
    results: Annotated[list[str] | None, Query(description="Alias of format")] = None,
):
    req = protocol.parse(request.query_params.multi_items())
    if req.update is not None:
        raise ApiError(400, "update-by-get", "send updates with POST (form field update= or body "
                       "application/sparql-update), never GET")
    if req.query is None:
        return await service_description(request, store, settings, req.formats)
    return await run_query(request, store, req)


@router.post(
    "/sparql", summary="SPARQL query or update (POST)",
    openapi_extra={"requestBody": {"required": True, "content": {
        FORM: {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "update": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
            "format": {"type": "string"}}}},
        QUERY_BODY: {"schema": {"type": "string"}},
        UPDATE_BODY: {"schema": {"type": "string"}}}},
        "parameters": [
            {"name": "default-graph-uri", "in": "query", "required": False,
             "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "named-graph-uri", "in": "query", "required": False,
             "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "Result format, overriding Accept"}]},
    responses={200: {"description": "Query results", "content": RESULT_MEDIA},
               204: {"description": "Update applied (a new snapshot is published)"}, **ERRORS})
async def sparql_post(request: Request, store: StoreDep, settings: SettingsDep):
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    items = list(request.query_params.multi_items())
    body = await request.body()
    if media == FORM:
        items += protocol.parse_form(body)
    elif media == QUERY_BODY:
        items.append(("query", protocol.decode(body, "query")))
    elif media == UPDATE_BODY:
        items.append(("update", protocol.decode(body, "update")))
    else:
        raise ApiError(415, "unsupported-media-type",
                       f"POST /sparql takes {FORM}, {QUERY_BODY} or {UPDATE_BODY}, not {media or 'no Content-Type'}")
    req = protocol.parse(items)
    if req.update is not None:
        require_writer(request, settings)
        return outcome_response(await run_in_threadpool(store.update, req.update), vary=False)
    if req.query is None:
        raise ApiError(400, "missing-query", "the request has neither query nor update")
    return await run_query(request, store, req)


async def run_query(request: Request, store, req: protocol.SparqlRequest):
    results, graphs = protocol.negotiate(request.headers.get("accept"), req.formats)
    out = await run_in_threadpool(store.query, req.query, results_format=results, graph_format=graphs,
                                  default_graph=req.default_graph, named_graphs=req.named_graphs)
    return outcome_response(out)


async def service_description(request: Request, store, settings, formats: list[str]):
    if negotiation.wants_html(request.headers.get("accept"), formats):
        return HTMLResponse(html.query_form("/sparql", queries.load("networks").text))
    try:
        key = negotiation.choose(negotiation.GRAPHS, request.headers.get("accept"), formats)
    except negotiation.UnknownFormat as e:
        raise ApiError(400, "unknown-format", str(e)) from None
    if key is None:
        raise ApiError(406, "not-acceptable", "the service description is RDF: ask for "
                       + ", ".join(f.media_type for f in negotiation.GRAPHS))
    stats = await run_in_threadpool(CACHE.stats, store)
    base = settings.public_url or str(request.base_url).rstrip("/")
    graph = service_graph(stats, base, writable=settings.writable,
                          union_default=settings.union_default_graph, federation=bool(settings.service_allow))
    return rdf_response(graph, key)
