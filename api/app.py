"""The FastAPI application: the SPARQL endpoint, the Graph Store, named queries, alignment and
linked data, over a pool of killable query workers.

>>> app = create_app(Settings(store_path="var/store"))
>>> sorted(set(app.openapi()["paths"]) & {"/sparql", "/rdf-graphs", "/queries", "/alignment"})
['/alignment', '/queries', '/rdf-graphs', '/sparql']
"""
from __future__ import annotations

import importlib.util
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from torkg import __version__
from torkg.api import graph_store, html, negotiation, routes_alignment, routes_linked_data, sparql
from torkg.api.deps import SettingsDep, StoreDep
from torkg.api.limits import BodyLimit
from torkg.api.pooled_store import PooledStore
from torkg.api.responses import install_handlers
from torkg.api.routes_queries import add_named_query_routes
from torkg.api.routes_queries import router as queries_router
from torkg.api.settings import Settings
from torkg.api.workers import WorkerPool

UPLOAD_PATHS = ("/alignment", "/rdf-graphs", "/draft")
DESCRIPTION = """A SPARQL 1.1 endpoint and API over the torkg knowledge graph of UN Network on
Migration Terms of Reference.

* `/sparql`: SPARQL 1.1 Protocol (query; update only when enabled, with a bearer token).
  Results in SPARQL JSON, XML, CSV, TSV; graphs in Turtle, N-Triples, N-Quads, TriG, JSON-LD,
  RDF/XML. Queries run in worker processes and are stopped at the time limit (504); results over
  the size limit are refused with 413 `result-too-large`, never truncated.
* `/queries`: named queries with typed parameters.
* `/alignment`: alignment of regional and country ToRs with the global ToR; check a draft.
* `/id/...`, `/def`, `/graph/...`: dereferenceable IRIs (`https://w3id.org/torkg/...`).
* `/.well-known/void`, `/dump.nq`, `/dump.trig`, `/context.jsonld`: dataset description and dumps.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = WorkerPool(settings.store_path, settings.workers, memory_mb=settings.worker_memory_mb)
        await run_in_threadpool(pool.start)
        app.state.pool = pool
        app.state.store = PooledStore(pool, settings)
        try:
            yield
        finally:
            await run_in_threadpool(pool.close)

    app = FastAPI(title="torkg", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    install_handlers(app)
    app.add_middleware(BodyLimit, limit_for=lambda scope: settings.max_upload_bytes
                       if scope["path"].startswith(UPLOAD_PATHS) else settings.max_query_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_credentials=settings.cors_credentials,
                           allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                           allow_headers=["Accept", "Content-Type", "Authorization"],
                           expose_headers=["TorKG-Snapshot", "Link", "Retry-After"])
    if importlib.util.find_spec("torkg.api.pages") is not None:    # the web UI, when installed
        from torkg.api import pages
        app.include_router(pages.router)
    for module in (sparql, graph_store, routes_linked_data, routes_alignment):
        app.include_router(module.router)
    app.include_router(queries_router)
    add_named_query_routes(app)
    app.add_api_route("/health", health, methods=["GET"], tags=["Service"],
                      summary="Liveness: newest snapshot, worker processes, public settings")
    app.add_api_route("/", home, methods=["GET"], tags=["Service"], summary="Where to start",
                      responses={200: {"content": {"application/json": {}, "text/html": {}},
                                       "description": "Links to the parts of the service"}})
    return app


async def health(request: Request, store: StoreDep, settings: SettingsDep):
    return {"status": "ok", "snapshot": store.snapshot(), "workers": request.app.state.pool.pids(),
            "settings": settings.public()}


LINKS = {"sparql": "/sparql", "queries": "/queries", "alignment": "/alignment", "ontology": "/def",
         "void": "/.well-known/void", "dump_nquads": "/dump.nq", "dump_trig": "/dump.trig",
         "context": "/context.jsonld", "openapi": "/openapi.json", "docs": "/docs"}


async def home(request: Request):
    if negotiation.wants_html(request.headers.get("accept")):
        items = "".join(f'<li><a href="{html.text(v)}">{html.text(k)}</a></li>' for k, v in LINKS.items())
        return HTMLResponse(html.page("torkg", f"<ul>{items}</ul>"))
    return JSONResponse({"name": "torkg", "version": __version__, "links": LINKS})
