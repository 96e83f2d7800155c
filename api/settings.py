"""The one settings object of the HTTP service, read from the environment.

Every setting has a safe default: read-only, no federation, no CORS, bounded bodies and results.

>>> s = Settings.from_env({"TORKG_QUERY_TIMEOUT": "5", "TORKG_SERVICE_ALLOW": "https://a.org/sparql b"},
...                       store_path="var/store")
>>> s.query_timeout, s.service_allow, s.writable
(5.0, ('https://a.org/sparql', 'b'), False)
>>> try:
...     Settings.from_env({"TORKG_CORS_ORIGINS": "*", "TORKG_CORS_CREDENTIALS": "1"}, store_path="x")
... except SettingsError as e:
...     print(e)
TORKG_CORS_ORIGINS='*' cannot be combined with TORKG_CORS_CREDENTIALS=true: list the allowed origins, or turn credentials off
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

MIN_TOKEN_LENGTH = 16


class SettingsError(ValueError):
    """A setting has a value the service cannot run with; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """What an operator can configure (environment variable in brackets)."""

    store_path: str = "var/store"                 # TORKG_STORE
    query_timeout: float = 30.0                   # TORKG_QUERY_TIMEOUT, seconds per query
    check_timeout: float = 180.0                  # TORKG_CHECK_TIMEOUT, seconds per draft check
    max_results: int = 10_000                     # TORKG_MAX_RESULTS, rows or triples per response
    service_allow: tuple[str, ...] = ()           # TORKG_SERVICE_ALLOW, SERVICE endpoints (exact IRIs)
    writable: bool = False                        # TORKG_WRITABLE, SPARQL Update and GSP writes
    update_token: str | None = None               # TORKG_UPDATE_TOKEN, bearer token for writes
    cors_origins: tuple[str, ...] = ()            # TORKG_CORS_ORIGINS
    cors_credentials: bool = False                # TORKG_CORS_CREDENTIALS
    max_upload_bytes: int = 10 * 1024 * 1024      # TORKG_MAX_UPLOAD_BYTES, drafts and graph uploads
    max_query_bytes: int = 1024 * 1024            # TORKG_MAX_QUERY_BYTES, query and update bodies
    workers: int = 2                              # TORKG_WORKERS, query worker processes
    worker_memory_mb: int = 4096                  # TORKG_WORKER_MEMORY_MB, address space per worker
    union_default_graph: bool = True              # TORKG_UNION_DEFAULT_GRAPH
    public_url: str | None = None                 # TORKG_PUBLIC_URL, e.g. https://torkg.example.org

    ENV = {
        "store_path": "TORKG_STORE", "query_timeout": "TORKG_QUERY_TIMEOUT",
        "check_timeout": "TORKG_CHECK_TIMEOUT",
        "max_results": "TORKG_MAX_RESULTS", "service_allow": "TORKG_SERVICE_ALLOW",
        "writable": "TORKG_WRITABLE", "update_token": "TORKG_UPDATE_TOKEN",
        "cors_origins": "TORKG_CORS_ORIGINS", "cors_credentials": "TORKG_CORS_CREDENTIALS",
        "max_upload_bytes": "TORKG_MAX_UPLOAD_BYTES", "max_query_bytes": "TORKG_MAX_QUERY_BYTES",
        "workers": "TORKG_WORKERS", "worker_memory_mb": "TORKG_WORKER_MEMORY_MB",
        "union_default_graph": "TORKG_UNION_DEFAULT_GRAPH",
        "public_url": "TORKG_PUBLIC_URL",
    }

    def __post_init__(self) -> None:
        self.validate()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Settings from ``env`` (default: ``os.environ``); keyword ``overrides`` win."""
        env = os.environ if env is None else env
        values: dict = {}
        for f in fields(cls):
            name = cls.ENV.get(f.name)
            raw = env.get(name) if name else None
            if raw is None or raw.strip() == "":
                continue
            values[f.name] = _convert(name, f.name, raw.strip())
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    def validate(self) -> None:
        if self.query_timeout <= 0 or self.check_timeout <= 0:
            raise SettingsError("TORKG_QUERY_TIMEOUT and TORKG_CHECK_TIMEOUT must be positive numbers of seconds")
        for name in ("max_results", "max_upload_bytes", "max_query_bytes", "workers", "worker_memory_mb"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{self.ENV[name]} must be a positive whole number")
        if self.writable and (not self.update_token or len(self.update_token) < MIN_TOKEN_LENGTH):
            raise SettingsError(
                f"TORKG_WRITABLE=true needs TORKG_UPDATE_TOKEN set to a secret of at least "
                f"{MIN_TOKEN_LENGTH} characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe())'`)")
        if "*" in self.cors_origins and self.cors_credentials:
            raise SettingsError("TORKG_CORS_ORIGINS='*' cannot be combined with TORKG_CORS_CREDENTIALS=true: "
                                "list the allowed origins, or turn credentials off")
        for iri in self.service_allow:
            if any(c in iri for c in '<>"{}|^`\\ '):
                raise SettingsError(f"TORKG_SERVICE_ALLOW: {iri!r} is not an IRI")

    def public(self) -> dict:
        """The settings a client may see (no token)."""
        return {"query_timeout": self.query_timeout, "max_results": self.max_results,
                "service_allow": list(self.service_allow), "writable": self.writable,
                "max_upload_bytes": self.max_upload_bytes, "max_query_bytes": self.max_query_bytes,
                "union_default_graph": self.union_default_graph}


def _convert(var: str, name: str, raw: str):
    try:
        if name in ("query_timeout", "check_timeout"):
            return float(raw)
        if name in ("max_results", "max_upload_bytes", "max_query_bytes", "workers", "worker_memory_mb"):
            return int(raw)
    except ValueError:
        raise SettingsError(f"{var} must be a number, not {raw!r}") from None
    if name in ("writable", "cors_credentials", "union_default_graph"):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{var} must be true or false, not {raw!r}")
    if name in ("service_allow", "cors_origins"):
        return tuple(x for x in raw.replace(",", " ").split() if x)
    return raw
