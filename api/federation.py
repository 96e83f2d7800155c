"""Federation without SSRF: ``SERVICE`` may call only allow-listed endpoints, ``LOAD`` nothing.

pyoxigraph makes the HTTP call of a ``SERVICE`` clause by itself, so the check happens before the
query reaches it. The query is parsed with rdflib's SPARQL parser and every ``SERVICE`` endpoint is
resolved (prefixes, base) and compared, exactly, with the allow-list. A variable endpoint is
refused. Where rdflib cannot parse what oxigraph might, or sees fewer ``SERVICE`` clauses than
appear in the text outside strings and comments, the query is refused: it cannot be verified.

>>> check_query("SELECT * WHERE { ?s ?p ?o }", allow=())
>>> try:
...     check_query("PREFIX e: <http://evil.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }", allow=())
... except FederationRefused as e:
...     print(e)
SERVICE <http://evil.example/sparql> is not an allowed endpoint; this server allows none (set TORKG_SERVICE_ALLOW)
>>> check_query("SELECT * { SERVICE <http://ok.example/sparql> { ?s ?p ?o } }", allow=("http://ok.example/sparql",))
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import urljoin

from rdflib import URIRef, Variable

from torkg.api import sparqltext


class FederationRefused(Exception):
    """The request would make the server contact a URL it is not allowed to; nothing was run."""


def check_query(text: str, allow: Iterable[str]) -> None:
    """Refuse a query whose ``SERVICE`` clauses name anything not allow-listed."""
    _check(text, tuple(allow), update=False)


def check_update(text: str, allow: Iterable[str]) -> None:
    """Refuse an update that ``LOAD``s a URL, or whose ``WHERE`` calls a non-allowed ``SERVICE``."""
    if sparqltext.count_keyword(text, "LOAD"):
        raise FederationRefused("LOAD is refused: this server does not fetch remote documents; "
                                "upload the data with the Graph Store Protocol (PUT /rdf-graphs?graph=...)")
    _check(text, tuple(allow), update=True)


def _check(text: str, allow: tuple[str, ...], update: bool) -> None:
    if not sparqltext.mentions_word(text, "SERVICE"):
        return
    lexical = sparqltext.count_keyword(text, "SERVICE")
    try:
        endpoints = list(_service_endpoints(text, update))
    except Exception as e:  # rdflib's parser or our resolution gave up
        if lexical == 0:
            return          # only in strings or comments; oxigraph will report any syntax error
        raise FederationRefused(f"this query uses SERVICE but could not be verified ({_first_line(e)}); "
                                "write the endpoint as a full IRI <...>") from None
    if lexical > len(endpoints):
        raise FederationRefused("this query uses SERVICE in a way that could not be verified; "
                                "write each endpoint as a full IRI <...>")
    for endpoint in endpoints:
        if endpoint is None:
            raise FederationRefused("SERVICE with a variable endpoint is refused; name the endpoint IRI")
        if endpoint not in allow:
            allowed = ", ".join(f"<{a}>" for a in allow) if allow else "none (set TORKG_SERVICE_ALLOW)"
            raise FederationRefused(f"SERVICE <{endpoint}> is not an allowed endpoint; "
                                    f"this server allows {allowed}")


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]


def _service_endpoints(text: str, update: bool) -> Iterator[str | None]:
    """Each SERVICE endpoint as an absolute IRI string (``None`` for a variable), in text order."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    tree = parseUpdate(text) if update else parseQuery(text)
    prefixes: dict[str, str] = {}
    base: list[str | None] = [None]

    def walk(node) -> Iterator[str | None]:
        if isinstance(node, CompValue):
            if node.name == "PrefixDecl":
                prefixes[node.get("prefix") or ""] = _absolute(str(node["iri"]), base[0])
            elif node.name == "Base":
                base[0] = _absolute(str(node["iri"]), base[0])
            elif node.name == "ServiceGraphPattern":
                yield _resolve(node["term"], prefixes, base[0])
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            for item in node:
                yield from walk(item)

    yield from walk(tree)


def _resolve(term, prefixes: dict[str, str], base: str | None) -> str | None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(term, Variable):
        return None
    if isinstance(term, CompValue) and term.name == "pname":
        prefix = term.get("prefix") or ""
        if prefix not in prefixes:
            raise ValueError(f"undeclared prefix {prefix}:")
        return prefixes[prefix] + (term.get("localname") or "")
    if isinstance(term, URIRef):
        return _absolute(str(term), base)
    raise ValueError(f"unexpected SERVICE endpoint {term!r}")


def _absolute(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri
