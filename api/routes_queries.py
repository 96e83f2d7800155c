"""Named queries for analysts: ``GET /queries`` lists them, ``GET /queries/{name}?param=...`` runs one.

Each ``queries/*.rq`` file gets its own route, so the OpenAPI description documents its parameters
and their types. Parameters are typed and bound by ``torkg.queries.bind_params`` (never formatted
into the query text); results are negotiated like the SPARQL endpoint's, and a browser gets a table.
"""
from __future__ import annotations

import json

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from torkg import queries
from torkg.api import html, negotiation, protocol
from torkg.api.deps import get_store
from torkg.api.pooled_store import rdflib_term
from torkg.api.responses import ApiError, outcome_response
from torkg.store import bind_values

router = APIRouter(tags=["Named queries"])
RESULT_MEDIA = {f.mime: {} for f in negotiation.RESULTS + negotiation.GRAPHS} | {"text/html": {}}
ERRORS = {400: {"description": "Unknown, missing or mistyped parameter"},
          406: {"description": "No acceptable result format"},
          413: {"description": "More results than the server's limit"},
          504: {"description": "The query ran past the time limit"}}


def _listing(q: queries.QueryDef) -> dict:
    return q.as_dict() | {"url": f"/queries/{q.name}"}


@router.get("/queries", summary="List the named queries and their parameters",
            responses={200: {"description": "name, title, description, parameters (name, type, optional)",
                             "content": {"application/json": {}, "text/html": {}}}})
async def list_queries(request: Request):
    items = [_listing(q) for q in queries.all_queries()]
    if negotiation.wants_html(request.headers.get("accept")):
        rows = [(f'<a href="{html.text(i["url"])}">{html.text(i["name"])}</a>', html.text(i["title"]),
                 html.text(i["description"]),
                 html.text(", ".join(f"{p['name']} ({p['type']}{', optional' if p['optional'] else ''})"
                                     for p in i["parameters"])))
                for i in items]
        return HTMLResponse(html.page("Named queries", html.table(["name", "title", "what it answers",
                                                                   "parameters"], rows)))
    return JSONResponse(items)


def _parameters_doc(q: queries.QueryDef) -> list[dict]:
    params = [{"name": p.name, "in": "query", "required": not p.optional,
               "schema": {"type": "integer" if p.type == "integer" else "string"},
               "description": f"({p.type}) {p.description}"} for p in q.params]
    params.append({"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
                   "description": "Result format, overriding Accept: json, xml, csv, tsv, html "
                                  "(or turtle, jsonld, ... for a CONSTRUCT query)"})
    return params


def _values(request: Request) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    formats: list[str] = []
    for k, v in request.query_params.multi_items():
        if k in negotiation.FORMAT_PARAMS:
            formats.append(v)
        elif k in values:
            raise ApiError(400, "repeated-parameter", f"give parameter {k} once")
        else:
            values[k] = v
    return values, formats


async def run_named(name: str, request: Request):
    """Run the named query ``name`` with the request's parameters."""
    try:
        q = queries.load(name)
        values, formats = _values(request)
        text = bind_values(q.text, queries.bind_params(q, values))
    except queries.QueryError as e:
        raise ApiError(404 if "no query named" in str(e) else 400, "bad-named-query", str(e)) from None
    as_html = negotiation.wants_html(request.headers.get("accept"), formats)
    results, graphs = ("json", "turtle") if as_html else protocol.negotiate(request.headers.get("accept"), formats)
    store = get_store(request)
    out = await run_in_threadpool(store.query, text, results_format=results, graph_format=graphs)
    if as_html and out["status"] == 200 and out.get("format") == "json":
        return HTMLResponse(results_page(q, values, out["body"]))
    return outcome_response(out)


def results_page(q: queries.QueryDef, values: dict[str, str], body: bytes) -> str:
    doc = json.loads(body)
    names = doc.get("head", {}).get("vars", [])
    if "boolean" in doc:
        table = f"<p>{'yes' if doc['boolean'] else 'no'}</p>"
    else:
        rows = [[html.term(rdflib_term(b[n])) if n in b else "" for n in names]
                for b in doc["results"]["bindings"]]
        table = f"<p>{len(rows)} rows.</p>" + html.table(names, rows)
    given = ", ".join(f"{k} = {v}" for k, v in values.items())
    alternates = html.format_links(f"/queries/{q.name}", values,
                                   [(f.key, f.media_type) for f in negotiation.RESULTS])
    return html.page(q.title, f"<p>{html.text(q.description)}</p>"
                     + (f"<p><small>{html.text(given)}</small></p>" if given else "") + table, alternates)


def _handler(name: str):
    async def handler(request: Request):
        return await run_named(name, request)
    handler.__name__ = "query_" + name.replace("-", "_")
    return handler


def add_named_query_routes(app: FastAPI) -> None:
    """One documented route per ``.rq`` file, then a catch-all that names the known queries."""
    for q in queries.all_queries():
        app.add_api_route(f"/queries/{q.name}", _handler(q.name), methods=["GET"], tags=["Named queries"],
                          summary=q.title, description=q.description, responses={
                              200: {"description": "Results", "content": RESULT_MEDIA}, **ERRORS},
                          openapi_extra={"parameters": _parameters_doc(q)})

    @app.get("/queries/{name}", tags=["Named queries"], summary="Run a named query by name",
             responses={200: {"description": "Results", "content": RESULT_MEDIA},
                        404: {"description": "No query of that name"}, **ERRORS})
    async def any_named_query(name: str, request: Request):
        return await run_named(name, request)
