"""Turning outcomes, RDF graphs and errors into HTTP responses; errors are always JSON that says
what is wrong and what to do, never a traceback."""
from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from rdflib import Dataset, Graph
from starlette.exceptions import HTTPException as StarletteHTTPException

from torkg import iris
from torkg.api import negotiation
from torkg.api.pooled_store import OutcomeError

log = logging.getLogger("torkg.api")
MEDIA_TYPES = {f.key: f.media_type for f in negotiation.RESULTS + negotiation.GRAPHS}
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                  "jsonld": "json-ld", "rdfxml": "xml"}
ERROR_CODES = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
               405: "method-not-allowed", 406: "not-acceptable", 413: "too-large",
               415: "unsupported-media-type", 503: "unavailable"}


class ApiError(Exception):
    """An error to send as ``{"error": code, "message": ...}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers, self.extra = headers or {}, extra


def error_response(status: int, code: str, message: str, headers: dict | None = None,
                   **extra) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status,
                        headers=headers)


def outcome_response(out: dict, vary: bool = True) -> Response:
    """The HTTP response for a worker outcome."""
    media = out.get("media_type") or MEDIA_TYPES.get(out.get("format", ""), "application/octet-stream")
    headers = {k: v for k, v in (out.get("headers") or {}).items() if v}
    if vary:
        headers["Vary"] = "Accept"
    if out["status"] == 204:
        return Response(status_code=204, headers=headers)
    if out["status"] >= 400:
        media = "application/json"
    return Response(out.get("body", b""), status_code=out["status"], media_type=media, headers=headers)


def rdf_bytes(data: Graph | Dataset, key: str) -> bytes:
    """``data`` serialised as ``key`` (a GRAPHS format). A quad format keeps a dataset's graphs (a
    plain graph goes into the default graph); a triple format gets the merge of all graphs."""
    if key in ("nquads", "trig"):
        if not isinstance(data, Dataset):
            ds = Dataset()
            for t in data:
                ds.add(t)
            data = ds
    elif isinstance(data, Dataset):
        merged = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            merged.add((s, p, o))
        data = merged
    data = _with_prefixes(data)
    if key == "jsonld":
        return data.serialize(format="json-ld", context=jsonld_context()["@context"],
                              auto_compact=True).encode("utf-8")
    return data.serialize(format=RDFLIB_FORMATS[key], encoding="utf-8")


def _with_prefixes(data):
    for prefix, ns in iris.PREFIXES.items():
        data.bind(prefix, ns, override=True, replace=True)
    return data


def rdf_response(data: Graph | Dataset, key: str, headers: dict | None = None) -> Response:
    return Response(rdf_bytes(data, key), media_type=MEDIA_TYPES[key],
                    headers={"Vary": "Accept", **(headers or {})})


def jsonld_context() -> dict:
    """The JSON-LD context of torkg data: its prefixes."""
    return {"@context": {prefix: str(ns) for prefix, ns in iris.PREFIXES.items()}}


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, e: ApiError):
        return error_response(e.status, e.code, e.message, e.headers, **e.extra)

    @app.exception_handler(OutcomeError)
    async def _outcome_error(request: Request, e: OutcomeError):
        return outcome_response(e.outcome)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, e: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(x) for x in err.get('loc', ()))}: {err.get('msg')}"
                             for err in e.errors())
        return error_response(400, "bad-request", f"the request is not valid: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, e: StarletteHTTPException):
        message = e.detail if isinstance(e.detail, str) else json.dumps(e.detail)
        if e.status_code == 404 and message == "Not Found":
            message = f"there is nothing at {request.url.path}; see /docs for the routes of this server"
        if e.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs"
        return error_response(e.status_code, ERROR_CODES.get(e.status_code, "error"), message,
                              getattr(e, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, e: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal-error",
                              f"the server failed on this request ({type(e).__name__}); "
                              "the server log has the details")
