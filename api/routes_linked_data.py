"""Linked data: dereferenceable IRIs, the VoID description, dumps and the JSON-LD context."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from torkg import iris
from torkg.api import describe, html, negotiation
from torkg.api.deps import SettingsDep, StoreDep
from torkg.api.responses import ApiError, jsonld_context, outcome_response, rdf_response
from torkg.api.void import CACHE, DUMP_PATHS, void_graph

router = APIRouter(tags=["Linked data"])
RDF_MEDIA = {f.mime: {} for f in negotiation.GRAPHS} | {"text/html": {}}
FORMAT_DOC = "RDF format, overriding Accept: turtle, jsonld, ntriples, rdfxml, trig, nquads, or html"
FormatParam = Annotated[str | None, Query(description=FORMAT_DOC)]
DESCRIBED = {200: {"description": "The description (HTML for a browser, RDF by Accept)", "content": RDF_MEDIA},
             404: {"description": "Nothing is known about this IRI"},
             406: {"description": "No acceptable format"}}
ALTERNATES = [(f.key, f.media_type) for f in negotiation.GRAPHS]
MAX_HTML_SUBJECTS = 400


def _formats(request: Request) -> list[str]:
    names = {k for k, _ in request.query_params.multi_items()}
    unknown = names - set(negotiation.FORMAT_PARAMS) - {"iri"}
    if unknown:
        raise ApiError(400, "unknown-parameter", f"unknown parameter {', '.join(sorted(unknown))}; "
                       "this resource takes format")
    return [v for k, v in request.query_params.multi_items() if k in negotiation.FORMAT_PARAMS]


def _rdf_key(request: Request, formats: list[str]) -> str | None:
    """None for HTML, else the negotiated RDF format; 406 if neither is acceptable."""
    if negotiation.wants_html(request.headers.get("accept"), formats):
        return None
    try:
        key = negotiation.choose(negotiation.GRAPHS, request.headers.get("accept"), formats)
    except negotiation.UnknownFormat as e:
        raise ApiError(400, "unknown-format", str(e)) from None
    if key is None:
        raise ApiError(406, "not-acceptable", "descriptions come as HTML or "
                       + ", ".join(f.media_type for f in negotiation.GRAPHS))
    return key


async def serve(request: Request, store, iri: str):
    """The answer for one IRI, in the negotiated representation."""
    formats = _formats(request)
    key = _rdf_key(request, formats)
    params = {"iri": iri} if request.url.path == "/describe" else {}
    alternates = html.format_links(request.url.path, params, ALTERNATES)
    headers = {"Link": f'<{iri}>; rel="canonical"'}
    whole = describe.whole_graph_of(iri)
    if whole is not None:
        if key is not None:
            out = await run_in_threadpool(store.get_graph, whole, key)
            return outcome_response(out | {"format": key, "headers": {**out.get("headers", {}), **headers}})
        graph = await run_in_threadpool(store.graph, whole)
        if len(graph) == 0:
            raise ApiError(404, "unknown-iri", f"the store holds nothing for <{iri}> (graph <{whole}> is empty)")
        return HTMLResponse(graph_page(iri, graph, alternates), headers=headers | {"Vary": "Accept"})
    ds = await run_in_threadpool(describe.describe, store, iri)
    if describe.is_empty(ds):
        raise ApiError(404, "unknown-iri", f"the store says nothing about <{iri}>; check the IRI, "
                       "or ask /sparql what is there")
    if key is None:
        return HTMLResponse(html.description_page(iri, ds, alternates), headers=headers | {"Vary": "Accept"})
    return rdf_response(ds, key, headers)


def graph_page(iri: str, graph: Graph, alternates) -> str:
    """A whole graph for people: one block per subject, anchored by its local name (``def#Term``)."""
    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
    blocks = []
    for s in subjects[:MAX_HTML_SUBJECTS]:
        anchor = str(s).rsplit("#", 1)[-1] if "#" in str(s) else ""
        name = graph.value(s, SKOS.prefLabel) or graph.value(s, RDFS.label) or html.short(str(s))
        rows = [(html.term(p), html.term(o)) for p, o in sorted(graph.predicate_objects(s), key=str)]
        blocks.append(f'<h2 id="{html.text(anchor)}">{html.text(name)}</h2>'
                      f"<p><code>{html.text(s)}</code></p>" + html.table(["property", "value"], rows))
    more = (f"<p>… and {len(subjects) - MAX_HTML_SUBJECTS} more resources: download the graph.</p>"
            if len(subjects) > MAX_HTML_SUBJECTS else "")
    return html.page(html.short(iri), f"<p>{len(graph)} triples.</p>" + "".join(blocks) + more, alternates)


@router.get("/id/{path:path}", summary="Dereference a torkg resource IRI (https://w3id.org/torkg/id/...)",
            responses=DESCRIBED)
async def resource(path: str, request: Request, store: StoreDep, format: FormatParam = None):
    return await serve(request, store, describe.local_iri("id", path))


@router.get("/def", summary="The ontology (https://w3id.org/torkg/def and its terms def#...)",
            responses=DESCRIBED)
async def ontology(request: Request, store: StoreDep, format: FormatParam = None):
    return await serve(request, store, str(iris.ONTOLOGY_IRI))


@router.get("/shapes", summary="The alignment and quality shapes (https://w3id.org/torkg/shapes#...)",
            responses=DESCRIBED)
async def shapes(request: Request, store: StoreDep, format: FormatParam = None):
    return await serve(request, store, str(iris.SHAPES).rstrip("#"))


@router.get("/graph/{path:path}", summary="Dereference a named graph IRI (https://w3id.org/torkg/graph/...)",
            responses=DESCRIBED)
async def named_graph(path: str, request: Request, store: StoreDep, format: FormatParam = None):
    return await serve(request, store, describe.local_iri("graph", path))


@router.get("/describe", summary="Describe any IRI the store mentions", responses=DESCRIBED)
async def describe_any(request: Request, store: StoreDep,
                       iri: Annotated[str, Query(description="The IRI to describe")],
                       format: FormatParam = None):
    return await serve(request, store, iri)


@router.get("/.well-known/void", summary="VoID description of the dataset",
            responses={200: {"description": "VoID (named graphs, triples, classes, linksets, dumps)",
                             "content": RDF_MEDIA}})
async def void(request: Request, store: StoreDep, settings: SettingsDep, format: FormatParam = None):
    formats = _formats(request)
    key = _rdf_key(request, formats) or "turtle"
    stats = await run_in_threadpool(CACHE.stats, store)
    base = settings.public_url or str(request.base_url).rstrip("/")
    return rdf_response(void_graph(stats, base), key)


def _dump(fmt: str):
    async def handler(store: StoreDep):
        out = await run_in_threadpool(store.dump_file, fmt)
        if "file" not in out:
            return outcome_response(out)
        path = Path(out["file"])
        return FileResponse(path, media_type=negotiation.by_key(negotiation.GRAPHS, fmt).media_type,
                            filename=f"torkg{path.suffix}", background=BackgroundTask(path.unlink, missing_ok=True),
                            headers=out.get("headers") or {})
    return handler


for _fmt, _path in DUMP_PATHS.items():
    router.add_api_route(_path, _dump(_fmt), methods=["GET"], summary=f"The whole dataset as {_fmt}",
                         responses={200: {"description": "Every named graph",
                                          "content": {negotiation.by_key(negotiation.GRAPHS, _fmt).media_type: {}}}})


@router.get("/context.jsonld", summary="JSON-LD context of torkg data (its prefixes)",
            responses={200: {"content": {"application/ld+json": {}}, "description": "The context"}})
async def context():
    return JSONResponse(jsonld_context(), media_type="application/ld+json")
