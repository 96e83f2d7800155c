"""Alignment for policy officers: stored reports of regional and country ToRs, and draft checks."""
from __future__ import annotations

import re
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from torkg.api import alignment, negotiation
from torkg.api.deps import SettingsDep, StoreDep
from torkg.api.responses import ApiError, outcome_response

router = APIRouter(tags=["Alignment"])
OVERRIDES = ("level", "network", "parent", "doc_type", "title", "country")
DRAFT_TYPES = {"text/plain": ".txt", "text/markdown": ".md", "application/pdf": ".pdf",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
JSON_OR_HTML = {"application/json": {}, "text/html": {}}


def _html(request: Request) -> bool:
    formats = [v for k, v in request.query_params.multi_items() if k in negotiation.FORMAT_PARAMS]
    return negotiation.wants_html(request.headers.get("accept"), formats)


@router.get("/alignment", summary="All regional and country ToRs and their stored alignment reports",
            responses={200: {"description": "doc, title, level, report, verdict counts, url",
                             "content": JSON_OR_HTML}})
async def list_reports(request: Request, store: StoreDep):
    items = await run_in_threadpool(alignment.reports, store)
    if _html(request):
        return HTMLResponse(alignment.list_page(items))
    return JSONResponse(items)


@router.get("/alignment/{doc_id}", summary="The stored alignment report of one document",
            responses={200: {"description": "{doc: {requirement: {status, note, evidence, "
                                            "global_evidence, ...}}}", "content": JSON_OR_HTML},
                       404: {"description": "No report stored for this document"}})
async def get_report(request: Request, store: StoreDep,
                     doc_id: Annotated[str, Path(description="Document id, e.g. kyrgyzstan-tor")]):
    if not _ID.match(doc_id):
        raise ApiError(400, "bad-id", f"{doc_id!r} is not a document id (lower-case letters, digits, - . _)")
    found = await run_in_threadpool(alignment.stored_report, store, doc_id)
    if found is None:
        raise ApiError(404, "no-report", f"no alignment report is stored for {doc_id!r}; see /alignment "
                       f"for the documents that have one, or run `torkg check {doc_id}`")
    report, meta = found
    headers = {"Link": f'<{meta["report"]}>; rel="describedby"', "Vary": "Accept"}
    if _html(request):
        alternates = [(f"/alignment/{doc_id}?format=json", "application/json", "JSON")]
        return HTMLResponse(alignment.report_page(report, meta, alternates), headers=headers)
    return JSONResponse(report, headers=headers)


@router.post(
    "/alignment", summary="Check a draft ToR against the global ToR (the draft is not stored)",
    openapi_extra={"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "The draft: .txt, .md, .pdf or .docx"},
            **{k: {"type": "string"} for k in OVERRIDES}}}},
        **{m: {"schema": {"type": "string", "format": "binary"}} for m in DRAFT_TYPES}}},
        "parameters": [{"name": k, "in": "query", "required": False, "schema": {"type": "string"},
                        "description": "Document metadata (raw-body uploads)"} for k in OVERRIDES + ("filename",)]},
    responses={200: {"description": "The alignment report", "content": JSON_OR_HTML},
               400: {"description": "Unreadable draft or bad field"},
               413: {"description": "Draft over the upload limit"},
               415: {"description": "Not a text, Markdown, PDF or DOCX upload"},
               503: {"description": "The alignment checker is not installed"}})
async def check_draft(request: Request, store: StoreDep, settings: SettingsDep):
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(400, "missing-file", "send the draft as the form field 'file'")
        fields = {k: v for k, v in form.multi_items() if k != "file"}
        data, filename = await upload.read(), upload.filename or "draft.txt"
    elif media in DRAFT_TYPES:
        fields = {k: v for k, v in request.query_params.multi_items() if k != "filename"}
        data = await request.body()
        filename = request.query_params.get("filename") or "draft" + DRAFT_TYPES[media]
    else:
        raise ApiError(415, "unsupported-media-type", "send the draft as multipart/form-data (field "
                       f"'file') or as a body of type {', '.join(DRAFT_TYPES)}, not {media or 'none'}")
    overrides = _overrides(fields)
    name = PurePath(filename).name
    out = await run_in_threadpool(store.check_draft, data, name, overrides, _html(request))
    return outcome_response(out)


def _overrides(fields: dict) -> dict[str, str | None]:
    fields = {("doc_type" if k == "type" else k): v for k, v in fields.items()}
    unknown = sorted(set(fields) - set(OVERRIDES) - set(negotiation.FORMAT_PARAMS))
    if unknown:
        raise ApiError(400, "unknown-field", f"unknown field {', '.join(unknown)}; a draft takes "
                       f"{', '.join(OVERRIDES)}")
    out = {k: (str(fields[k]).strip() or None) if k in fields else None for k in OVERRIDES}
    if out["level"] not in (None, "global", "regional", "country"):
        raise ApiError(400, "bad-field", "level must be global, regional or country")
    return out
