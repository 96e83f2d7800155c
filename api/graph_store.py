"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graphs`` (indirect identification).

``GET ?graph=IRI`` (or ``?default``) is open to everyone; ``PUT`` (replace), ``POST`` (merge) and
``DELETE`` need writes enabled and the bearer token. ``?default`` is the store's own default graph,
which torkg leaves empty: its data lives in named graphs (see ``/.well-known/void``).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from torkg.api import negotiation
from torkg.api.deps import StoreDep, WriterDep
from torkg.api.responses import ApiError, outcome_response

router = APIRouter(tags=["Graph Store Protocol"])
PARAMS = ("graph", "default") + negotiation.FORMAT_PARAMS
RDF_MEDIA = {f.mime: {} for f in negotiation.GRAPHS}
GraphParam = Annotated[str | None, Query(description="The graph's IRI")]
DefaultParam = Annotated[str | None, Query(description="Present (empty) to mean the default graph")]
ERRORS = {400: {"description": "Neither or both of graph and default, unknown parameter, bad RDF"},
          401: {"description": "Missing or invalid bearer token"},
          403: {"description": "Writes are disabled on this server"},
          404: {"description": "No such graph"}, 406: {"description": "No acceptable RDF format"},
          413: {"description": "Upload over the size limit"},
          415: {"description": "Upload in a media type that is not RDF"}}


def _target(request: Request) -> str | None:
    names = [k for k, _ in request.query_params.multi_items()]
    unknown = sorted(set(names) - set(PARAMS))
    if unknown:
        raise ApiError(400, "unknown-parameter", f"unknown parameter {', '.join(unknown)}; "
                       f"the graph store takes graph=IRI or default, and format")
    graph = request.query_params.get("graph")
    if ("default" in names) == (graph is not None):
        raise ApiError(400, "which-graph", "name exactly one graph: ?graph=IRI or ?default")
    return graph


@router.get("/rdf-graphs", summary="Read one graph",
            responses={200: {"description": "The graph", "content": RDF_MEDIA}, **ERRORS})
async def get_graph(request: Request, store: StoreDep, graph: GraphParam = None,
                    default: DefaultParam = None,
                    format: Annotated[str | None, Query(description="RDF format, overriding Accept")] = None):
    target = _target(request)
    formats = [v for k, v in request.query_params.multi_items() if k in negotiation.FORMAT_PARAMS]
    try:
        key = negotiation.choose(negotiation.GRAPHS, request.headers.get("accept"), formats)
    except negotiation.UnknownFormat as e:
        raise ApiError(400, "unknown-format", str(e)) from None
    if key is None:
        raise ApiError(406, "not-acceptable", "a graph comes as "
                       + ", ".join(f.media_type for f in negotiation.GRAPHS))
    out = await run_in_threadpool(store.get_graph, target, key)
    return outcome_response(out | {"format": key})


async def _write(request: Request, store, method: str):
    target = _target(request)
    data = b""
    media = ""
    if method in ("PUT", "POST"):
        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        known = {m for f in negotiation.GRAPHS for m in f.accepts if m not in ("application/json",)}
        if media not in known:
            raise ApiError(415, "unsupported-media-type",
                           f"upload RDF as one of {', '.join(sorted(known))}, not {media or 'no Content-Type'}")
        data = await request.body()
    out = await run_in_threadpool(store.write_graph, method, target, data, media)
    return outcome_response(out, vary=False)


UPLOAD = {"requestBody": {"required": True, "content": {m: {"schema": {"type": "string"}} for m in RDF_MEDIA}}}


@router.put("/rdf-graphs", summary="Replace one graph (writes enabled, bearer token)", openapi_extra=UPLOAD,
            responses={201: {"description": "Created"}, 204: {"description": "Replaced"}, **ERRORS})
async def put_graph(request: Request, store: StoreDep, _: WriterDep, graph: GraphParam = None,
                    default: DefaultParam = None):
    return await _write(request, store, "PUT")


@router.post("/rdf-graphs", summary="Add triples to one graph (writes enabled, bearer token)",
             openapi_extra=UPLOAD,
             responses={201: {"description": "Created"}, 204: {"description": "Merged"}, **ERRORS})
async def post_graph(request: Request, store: StoreDep, _: WriterDep, graph: GraphParam = None,
                     default: DefaultParam = None):
    return await _write(request, store, "POST")


@router.delete("/rdf-graphs", summary="Delete one graph (writes enabled, bearer token)",
               responses={204: {"description": "Deleted"}, **ERRORS})
async def delete_graph(request: Request, store: StoreDep, _: WriterDep, graph: GraphParam = None,
                       default: DefaultParam = None):
    return await _write(request, store, "DELETE")
