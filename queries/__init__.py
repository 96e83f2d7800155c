"""Named SPARQL queries: one ``.rq`` file each, with a comment header.

Header lines (before the first ``PREFIX``)::

    # title: Provisions by bearer and modality
    # description: Every provision with its bearer kind and modality ...
    # param: bearer (string, optional): bearer kind, e.g. "coordinator"
    # param: doc (doc): document id, e.g. "global-tor"

A parameter is a variable of the same name in the query; its value is bound through the store's
substitutions (SEP-0007), never formatted into the query text, so a value containing SPARQL
syntax is only ever a value. An optional parameter left out stays a free variable.

>>> q = load("provisions")
>>> q.title
'Provisions (scoring export)'
>>> bind_params(QueryDef("x", "", "", [Param("doc", "doc", False, "")], ""), {"doc": "global-tor"})
{'doc': rdflib.term.URIRef('https://w3id.org/torkg/id/doc/global-tor')}
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from torkg import iris

QUERY_DIR = Path(__file__).resolve().parent
PARAM_TYPES = ("string", "integer", "iri", "doc", "network", "un-entity", "gcm-objective", "body-kind")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][\w]*)\s*\((?P<type>[\w-]+)(?P<opt>,\s*optional)?\)\s*:?\s*(?P<doc>.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class QueryError(Exception):
    """A named query or its parameters are wrong; the message says which and how."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    description: str


@dataclass(frozen=True)
class QueryDef:
    name: str
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""
    path: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "parameters": [p.__dict__ for p in self.params]}


def parse(text: str, name: str, path: str | None = None) -> QueryDef:
    title, description, params = name, [], []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        body = s.lstrip("#").strip()
        key, _, value = body.partition(":")
        key = key.strip().lower()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description.append(value.strip())
        elif key == "param":
            m = _PARAM.match(value.strip())
            if not m or m["type"] not in PARAM_TYPES:
                raise QueryError(f"{path or name}: bad parameter header {body!r}; write "
                                 f"'# param: NAME (TYPE[, optional]): what it is' with TYPE one of "
                                 f"{', '.join(PARAM_TYPES)}")
            params.append(Param(m["name"], m["type"], bool(m["opt"]), m["doc"].strip()))
        elif description and key not in ("title", "param"):
            description.append(body)
    return QueryDef(name, title, " ".join(description), params, text, path)


def names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


def load(name_or_path: str) -> QueryDef:
    """A named query from ``queries/`` or a ``.rq`` file path."""
    p = Path(name_or_path)
    if p.suffix == ".rq" and p.exists():
        return parse(p.read_text(encoding="utf-8"), p.stem, str(p))
    if not _NAME.match(name_or_path) or not (QUERY_DIR / f"{name_or_path}.rq").exists():
        raise QueryError(f"no query named {name_or_path!r}; known queries: {', '.join(names())}")
    path = QUERY_DIR / f"{name_or_path}.rq"
    return parse(path.read_text(encoding="utf-8"), name_or_path, str(path))


def all_queries() -> list[QueryDef]:
    return [load(n) for n in names()]


def _convert(param: Param, value: str) -> Node:
    if param.type == "string":
        return Literal(value)
    if param.type == "integer":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"parameter {param.name} must be an integer, not {value!r}") from None
    if param.type == "iri":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise QueryError(f"parameter {param.name} must be an absolute IRI, not {value!r}")
        return URIRef(value)
    token = value.strip()
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", token):
        raise QueryError(f"parameter {param.name} must be an identifier (letters, digits, - . _), "
                         f"not {value!r}")
    if param.type == "doc":
        return iris.doc_iri(token)
    if param.type == "network":
        return iris.network_iri(token)
    if param.type == "un-entity":
        return iris.un_entity_iri(token.upper())
    if param.type == "gcm-objective":
        if not token.isdigit() or not 1 <= int(token) <= 23:
            raise QueryError(f"parameter {param.name} must be a GCM objective number 1-23")
        return iris.gcm_objective_iri(int(token))
    if param.type == "body-kind":
        return Literal(token)
    raise QueryError(f"unknown parameter type {param.type}")  # pragma: no cover


def bind_params(query: QueryDef, values: dict[str, str]) -> dict[str, Node]:
    """Typed bindings for a query's parameters; unknown or missing required ones are errors."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)}; "
                         f"its parameters: {', '.join(known) or 'none'}")
    missing = [p.name for p in query.params if not p.optional and p.name not in values]
    if missing:
        raise QueryError(f"query {query.name!r} needs parameter {', '.join(missing)}")
    return {name: _convert(known[name], v) for name, v in values.items()}
