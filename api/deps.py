"""Typed dependencies: the settings, the store and the write permission come in through these.

>>> from typing import get_args
>>> get_args(StoreDep)[0].__name__
'PooledStore'
"""
from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from torkg.api.pooled_store import PooledStore
from torkg.api.responses import ApiError
from torkg.api.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> PooledStore:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[PooledStore, Depends(get_store)]


def require_writer(request: Request, settings: SettingsDep) -> None:
    """Writes need TORKG_WRITABLE=true on the server and ``Authorization: Bearer <token>``."""
    if not settings.writable:
        raise ApiError(403, "read-only", "this endpoint is read-only; an operator can enable SPARQL "
                       "Update and Graph Store writes with TORKG_WRITABLE=true and TORKG_UPDATE_TOKEN")
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="torkg"'}
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "writes need the header 'Authorization: Bearer <token>'",
                       challenge)
    if not hmac.compare_digest(token.strip().encode(), (settings.update_token or "").encode()):
        raise ApiError(401, "unauthorized", "the bearer token is not valid for writes",
                       {"WWW-Authenticate": 'Bearer realm="torkg", error="invalid_token"'})


WriterDep = Annotated[None, Depends(require_writer)]
