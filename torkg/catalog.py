"""The corpus catalog: what is known about each document before reading it.

A folder of documents may hold ``catalog.toml`` with one table per document id::

    [documents.kyrgyzstan-tor]
    title = "..."
    type = "terms-of-reference"
    level = "country"
    network = "kyrgyzstan"
    country = "KG"
    parent = "global-tor"

Every entry is checked; a malformed one fails with a message naming the file, the entry and the
field. A document without an entry is still accepted: its metadata is inferred from its text.
Catalog values override inferred ones; command-line values override both.

>>> entry = validate_entry("catalog.toml", "x", {"level": "country", "country": "gh"})
>>> entry["country"]
'GH'
>>> validate_entry("catalog.toml", "x", {"level": "nation"})  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
CatalogError: catalog.toml: entry 'x': field 'level' must be one of global, regional, country (got 'nation')
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from torkg.ingest.model import LEVELS, DocumentMeta

CATALOG_NAME = "catalog.toml"
DOC_TYPES = ("terms-of-reference", "guidance", "briefing", "workplan", "minutes", "report", "other")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
FIELDS: dict[str, tuple[str, Any]] = {
    # field: (check kind, argument)
    "title": ("text", None),
    "type": ("choice", DOC_TYPES),
    "level": ("choice", LEVELS),
    "network": ("id", None),
    "network_name": ("text", None),
    "country": ("pattern", (re.compile(r"^[A-Z]{2}$"), "an ISO 3166-1 alpha-2 code such as KG")),
    "region": ("pattern", (re.compile(r"^\d{3}$"), "a three-digit UN M49 code such as 142")),
    "date": ("pattern", (re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$"), "an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD")),
    "language": ("pattern", (re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"), "a BCP 47 tag such as en")),
    "parent": ("id", None),
    "source": ("text", None),
}


class CatalogError(ValueError):
    """A catalog file or entry is malformed."""


def validate_entry(path: str, doc_id: str, entry: Any) -> dict[str, str]:
    where = f"{path}: entry {doc_id!r}"
    if not ID_PATTERN.match(doc_id):
        raise CatalogError(f"{where}: the id must be lower-case letters, digits, '-', '.' or '_'")
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: must be a table of fields, not {type(entry).__name__}")
    out: dict[str, str] = {}
    for key, value in entry.items():
        if key not in FIELDS:
            raise CatalogError(f"{where}: unknown field {key!r}; known fields: {', '.join(FIELDS)}")
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(f"{where}: field {key!r} must be a non-empty string (got {value!r})")
        kind, arg = FIELDS[key]
        value = value.strip()
        if key == "country":
            value = value.upper()
        if kind == "choice" and value not in arg:
            raise CatalogError(f"{where}: field {key!r} must be one of {', '.join(arg)} (got {value!r})")
        if kind == "id" and not ID_PATTERN.match(value):
            raise CatalogError(f"{where}: field {key!r} must be an id of lower-case letters, digits "
                               f"and '-' (got {value!r})")
        if kind == "pattern" and not arg[0].match(value):
            raise CatalogError(f"{where}: field {key!r} must be {arg[1]} (got {value!r})")
        out[key] = value
    return out


def load_catalog(folder: Path) -> dict[str, dict[str, str]]:
    """The validated entries of ``folder/catalog.toml`` ({} when there is none)."""
    path = folder / CATALOG_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CatalogError(f"{path}: not valid TOML: {e}") from e
    docs = data.get("documents", {})
    extra = sorted(set(data) - {"documents"})
    if extra:
        raise CatalogError(f"{path}: unknown top-level table(s) {', '.join(extra)}; "
                           "entries go under [documents.ID]")
    if not isinstance(docs, dict):
        raise CatalogError(f"{path}: 'documents' must be a table of entries")
    return {doc_id: validate_entry(str(path), doc_id, entry) for doc_id, entry in docs.items()}


def to_meta(doc_id: str, entry: dict[str, str], inferred: DocumentMeta | None = None) -> DocumentMeta:
    """Merge a catalog entry over inferred metadata (entry wins; inferred fields stay marked)."""
    base = inferred or DocumentMeta(id=doc_id)
    mapping = {"type": "doc_type"}
    changes = {mapping.get(k, k): v for k, v in entry.items()}
    still_inferred = tuple(f for f in base.inferred if f not in changes)
    meta = replace(base, id=doc_id, inferred=still_inferred, **changes)
    if meta.level in ("regional", "country") and meta.doc_type == "terms-of-reference" and not meta.parent:
        meta = replace(meta, parent="global-tor")
    return meta


def override(meta: DocumentMeta, **flags: str | None) -> DocumentMeta:
    """Apply command-line values (those that are not None) over catalog and inferred ones."""
    given = {k: v for k, v in flags.items() if v is not None}
    if not given:
        return meta
    entry = validate_entry("command line", meta.id, {("type" if k == "doc_type" else k): v
                                                     for k, v in given.items()})
    return to_meta(meta.id, entry, meta)
