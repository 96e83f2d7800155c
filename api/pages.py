"""The HTML pages of ``torkg serve``: home, SPARQL editor, alignment dashboard and evidence,
document viewer, draft check, and the HTML face of every resource.

Server-rendered Jinja2 (autoescape on: document text is only ever written as escaped text),
with small scripts that add to pages already readable without them. Page data comes from
``page_data`` (SPARQL in ``page-queries/``); this module only routes and renders.

    app.include_router(pages.router)

Routes: ``/`` · ``/editor`` · ``/dashboard`` · ``/dashboard/{doc}/{requirement}`` · ``/view/{doc}``
· ``/draft`` (GET form, POST check) · ``/browse?iri=`` · ``/static/...`` (own assets, and YASGUI from
``node_modules/@zazuko/yasgui/build`` at ``/static/vendor/yasgui/``).
"""
from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from rdflib import Literal, URIRef
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool

from torkg import iris
from torkg import queries as named_queries
from torkg.api import negotiation, page_browse, page_data
from torkg.api.deps import SettingsDep, StoreDep
from torkg.store import Store, StoreError, term_to_sparql

log = logging.getLogger("torkg.api.pages")
HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
YASGUI_DIR = Path(os.environ.get("TORKG_YASGUI_DIR")
                  or HERE.parent / "node_modules" / "@zazuko" / "yasgui" / "build")

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(HERE / "templates"),
                                            autoescape=True, undefined=StrictUndefined,
                                            trim_blocks=True, lstrip_blocks=True))


# --- links -------------------------------------------------------------------------------------------
def href(term: Node | str) -> str:
    """Where a person goes to see a resource: the document viewer for a document, the dashboard
    for an alignment report, else the resource page."""
    doc_id = page_data.doc_id_of(term)
    if doc_id:
        return f"/view/{doc_id}"
    return "/browse?" + urlencode({"iri": str(term)})


def short(term: Node | str) -> str:
    """A compact name for an IRI: ``prefix:local`` for a known namespace, else the IRI."""
    s = str(term)
    for prefix, ns in sorted(iris.PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if s.startswith(str(ns)) and len(s) > len(str(ns)):
            return f"{prefix}:{s[len(str(ns)):]}"
    return s


def is_iri(term: Any) -> bool:
    return isinstance(term, URIRef)


def external(term: Node | str) -> bool:
    """Whether an IRI the graph does not describe may be linked as it is (http and https only:
    never a ``javascript:`` or ``data:`` IRI from the data)."""
    return re.match(r"^https?://[^\s<>\"]+$", str(term)) is not None


def alternates(term: Node | str) -> list[tuple[str, str]]:
    """Machine-readable forms of a torkg IRI, served by the linked-data routes (``/id/...``)."""
    s = str(term)
    if not s.startswith(iris.BASE) or "#" in s:
        return []
    path = "/" + s[len(iris.BASE):]
    return [("Turtle", path + "?" + urlencode({"format": "turtle"})),
            ("JSON-LD", path + "?" + urlencode({"format": "jsonld"}))]


templates.env.globals.update(href=href, short=short, is_iri=is_iri, external=external,
                             alternates=alternates)
templates.env.filters["short"] = short


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"nav": _nav(request), **context},
                                      status_code=status)


NAV = [("/", "Home"), ("/editor", "SPARQL editor"), ("/dashboard", "Alignment"),
       ("/draft", "Check a draft")]


def _nav(request: Request) -> list[tuple[str, str, bool]]:
    path = request.url.path
    return [(url, label, path == url or (url != "/" and path.startswith(url + "/")))
            for url, label in NAV]


def not_found(request: Request, what: str, hint: str) -> HTMLResponse:
    return render(request, "error.html", 404, title="Not found", message=what, hint=hint)


def store_failed(request: Request, e: StoreError) -> HTMLResponse:
    log.warning("page %s: %s", request.url.path, e)
    return render(request, "error.html", 503, title="The store did not answer",
                  message=str(e), hint="Try again in a moment; if it persists, check the server log.")


# --- pages -------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, name="page_home")
async def home_page(request: Request, store: StoreDep):
    if not browser_wants_html(request.headers.get("accept")):
        from torkg.api.app import home as service_home      # machines get the JSON link list
        return await service_home(request)
    return await run_in_threadpool(_home_html, request, store)


def browser_wants_html(accept: str | None) -> bool:
    """HTML unless the client names no HTML type or prefers JSON (browsers list images at q=1 too).

    >>> browser_wants_html("text/html,application/xhtml+xml,image/avif,image/webp,*/*;q=0.8")
    True
    >>> browser_wants_html("*/*"), browser_wants_html("application/json"), browser_wants_html(None)
    (False, False, False)
    """
    entries = negotiation.parse_accept(accept)
    html = max((q for m, q, _ in entries if m in ("text/html", "application/xhtml+xml")), default=0.0)
    json_ = max((q for m, q, _ in entries if m == "application/json"), default=0.0)
    return html > 0 and html >= json_


def _home_html(request: Request, store: Store) -> HTMLResponse:
    try:
        data = page_data.home(store)
    except StoreError as e:
        return store_failed(request, e)
    return render(request, "home.html", home=data)


@router.get("/editor", response_class=HTMLResponse, name="page_editor")
def editor_page(request: Request):
    tabs = [{"name": q.name, "title": q.title, "description": q.description,
             "params": [p.__dict__ for p in q.params], "query": q.text + parameter_hint(q)}
            for q in named_queries.all_queries()]
    return render(request, "editor.html", tabs=tabs, yasgui=(YASGUI_DIR / "yasgui.min.js").is_file())


_EXAMPLE = re.compile(r'e\.g\.\s*"([^"]+)"')


def parameter_hint(q: named_queries.QueryDef) -> str:
    """Comment lines for the editor showing how to bind a named query's parameters: a VALUES
    line with the example value of the parameter's description, written as a SPARQL term."""
    lines = []
    for p in q.params:
        m = _EXAMPLE.search(p.description)
        try:
            term = named_queries.bind_params(q, {p.name: m.group(1)} | {
                o.name: "x" for o in q.params if not o.optional and o.name != p.name})[p.name] if m else None
            value = term_to_sparql(term) if term is not None else "..."
        except (named_queries.QueryError, StoreError):
            value = "..."
        need = "optional" if p.optional else "required: without it the query runs over every value"
        lines.append(f"# VALUES ?{p.name} {{ {value} }}   # {p.name} ({p.type}, {need})")
    if not lines:
        return ""
    return "\n# Parameters: uncomment a line below to bind one (the API binds them for you).\n" + "\n".join(lines) + "\n"


@router.get("/dashboard", response_class=HTMLResponse, name="page_dashboard")
def dashboard_page(request: Request, store: StoreDep):
    try:
        data = page_data.dashboard(store)
    except StoreError as e:
        return store_failed(request, e)
    return render(request, "dashboard.html", board=data)


@router.get("/dashboard/{doc_id}/{req_id}", response_class=HTMLResponse, name="page_evidence")
def evidence_page(request: Request, doc_id: str, req_id: str, store: StoreDep):
    try:
        data = page_data.evidence(store, doc_id, req_id)
    except StoreError as e:
        return store_failed(request, e)
    if data is None:
        return not_found(request, f"There is no verdict on requirement {req_id!r} for document {doc_id!r}.",
                         "Pick a cell of the alignment dashboard, or run `torkg check` to store reports.")
    return render(request, "evidence.html", ev=data)


@router.get("/view/{doc_id}", response_class=HTMLResponse, name="page_document")
def document_page(request: Request, doc_id: str, store: StoreDep):
    try:
        data = page_browse.document_view(store, doc_id)
    except StoreError as e:
        return store_failed(request, e)
    if data is None:
        return not_found(request, f"There is no document {doc_id!r} in the store.",
                         "The home page lists the stored documents; `torkg ingest FILE` adds one.")
    return render(request, "document.html", view=data)


@router.get("/browse", response_class=HTMLResponse, name="page_resource")
def resource_page(request: Request, store: StoreDep, iri: str = ""):
    if not iri:
        return not_found(request, "No resource was named.", "Follow a link, or add ?iri=... to the address.")
    return render_resource(request, store, URIRef(iri))


def render_resource(request: Request, store: Store, iri: URIRef) -> HTMLResponse:
    """The HTML face of a resource; the dereferencing route can answer ``text/html`` with it."""
    try:
        data = page_browse.resource(store, iri)
    except StoreError as e:
        return store_failed(request, e)
    if data is None:
        return not_found(request, f"The graph says nothing about <{iri}>.",
                         "Check the address, or search for it in the SPARQL editor.")
    return render(request, "resource.html", res=data, literal=lambda t: isinstance(t, Literal))


# --- draft check -------------------------------------------------------------------------------------
@router.get("/draft", response_class=HTMLResponse, name="page_draft")
def draft_form(request: Request):
    return render(request, "draft.html", result=None, error=None, form={})


@router.post("/draft", response_class=HTMLResponse, name="page_draft_check")
def draft_check(request: Request, store: StoreDep, settings: SettingsDep,
                file: Annotated[UploadFile | None, File()] = None,
                text: Annotated[str, Form()] = "", level: Annotated[str, Form()] = "",
                title: Annotated[str, Form()] = "", network: Annotated[str, Form()] = ""):
    form = {"text": text, "level": level, "title": title, "network": network}
    data, filename = b"", "draft.md"
    if file is not None and file.filename:
        data, filename = file.file.read(settings.max_upload_bytes + 1), Path(file.filename).name
    elif text.strip():
        data = text.encode("utf-8")
    if not data.strip():
        return render(request, "draft.html", 400, result=None, form=form,
                      error="Paste the text of a draft ToR, or choose a file to upload.")
    if len(data) > settings.max_upload_bytes:
        return render(request, "draft.html", 413, result=None, form=form,
                      error=f"The draft is larger than {settings.max_upload_bytes} bytes; upload a smaller file.")
    overrides = {key: None for key in DRAFT_FIELDS} | {
        "level": level.strip() or None, "title": title.strip() or None, "network": network.strip() or None}
    try:
        result = check_draft(store, data, filename, overrides)
    except DraftError as e:
        return render(request, "draft.html", e.status, result=None, form=form, error=str(e))
    except StoreError as e:
        return store_failed(request, e)
    return render(request, "draft.html", result=page_data.draft_result(result), form=form,
                  error=None, filename=filename)


DRAFT_FIELDS = ("level", "network", "parent", "doc_type", "title", "country")


class DraftError(Exception):
    """A draft that could not be checked: ``status`` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def check_draft(store: Store, data: bytes, filename: str, overrides: dict) -> Any:
    """The alignment report JSON (``torkg.shapes.report.to_json``) of a draft, never stored: in
    a worker process when the store is the server's pool, else in this process."""
    in_worker = getattr(store, "check_draft", None)
    if in_worker is not None:
        out = in_worker(data, filename, overrides, False)
        try:
            body = json.loads(out.get("body") or b"null")
        except ValueError:
            body = None
        if out.get("status", 500) >= 400:
            message = body.get("message") if isinstance(body, dict) else None
            raise DraftError(out.get("status", 500), message or "the alignment checker failed")
        return body
    from torkg.shapes import report, workflow
    try:
        return report.to_json([workflow.check_draft(store, data, filename, overrides)])
    except (ValueError, LookupError) as e:
        raise DraftError(400, f"the draft cannot be checked: {e}") from e


# --- static files ------------------------------------------------------------------------------------
@router.get("/static/{path:path}", name="page_static")
def static_file(path: str) -> Response:
    """Own assets from ``api/static/``; YASGUI's build under ``vendor/yasgui/``."""
    root, rest = STATIC_DIR, path
    if path.startswith("vendor/yasgui/"):
        root, rest = YASGUI_DIR, path[len("vendor/yasgui/"):]
    target = (root / rest).resolve()
    if not target.is_file() or not target.is_relative_to(root.resolve()):
        hint = " (run scripts/install-web.sh to install YASGUI)" if root == YASGUI_DIR else ""
        return Response(f"no static file {path}{hint}\n", status_code=404, media_type="text/plain")
    return FileResponse(target, headers={"Cache-Control": "public, max-age=3600"})
