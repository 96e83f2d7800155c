"""Minimal server-rendered HTML: every value escaped, no scripts. The web UI may replace these
pages (``torkg.api.pages``); the machine formats are the contract, these are for people.

>>> "<script>" in page("t", text("<script>alert(1)</script>"))
False
>>> local_href("https://w3id.org/torkg/id/network/global")
'/id/network/global'
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote, urlencode

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from torkg import iris

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;"
          "line-height:1.45}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;"
          "padding:.3rem .5rem;text-align:left;vertical-align:top}code,textarea{font-family:monospace}"
          ".aligned{color:#176317}.missing{color:#8a5a00}.conflict{color:#a11}small{color:#555}")


def text(value: object) -> str:
    return escape(str(value), quote=True)


def page(title: str, body: str, alternates: Sequence[tuple[str, str, str]] = ()) -> str:
    """A whole page; ``alternates`` are (href, media type, label) links to other formats."""
    links = "".join(f'<link rel="alternate" type="{text(t)}" href="{text(h)}">' for h, t, _ in alternates)
    formats = " · ".join(f'<a href="{text(h)}">{text(label)}</a>' for h, _, label in alternates)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{text(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{links}'
            f"<style>{_STYLE}</style></head><body><nav><a href=\"/\">torkg</a> · <a href=\"/sparql\">SPARQL</a>"
            f' · <a href="/queries">queries</a> · <a href="/alignment">alignment</a> · <a href="/docs">API</a>'
            f"</nav><h1>{text(title)}</h1>{body}"
            + (f"<p><small>Also as: {formats}</small></p>" if formats else "") + "</body></html>")


def local_href(iri: str) -> str:
    """Where a browser can look at ``iri`` on this server."""
    if iri.startswith(iris.BASE):
        return "/" + iri[len(iris.BASE):]
    return "/describe?" + urlencode({"iri": iri})


def term(value) -> str:
    if isinstance(value, URIRef):
        return f'<a href="{text(local_href(str(value)))}"><code>{text(short(str(value)))}</code></a>'
    if isinstance(value, Literal):
        lang = f" <small>@{text(value.language)}</small>" if value.language else ""
        shown = str(value) if len(str(value)) <= 2000 else str(value)[:2000] + " …"
        return f"{text(shown)}{lang}"
    return f"<code>{text(value)}</code>"


def short(iri: str) -> str:
    for prefix, ns in sorted(iris.PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """``rows`` are already-rendered HTML cells."""
    head = "".join(f"<th>{text(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def label(ds: Dataset, iri: URIRef) -> str:
    for p in (SKOS.prefLabel, RDFS.label, DCTERMS.title, SKOS.notation):
        for _, _, o, _ in ds.quads((iri, p, None, None)):
            return str(o)
    return short(str(iri))


def description_page(iri: str, ds: Dataset, alternates: Sequence[tuple[str, str, str]]) -> str:
    """A resource's statements (with the graphs that hold them) and its reified statements."""
    node = URIRef(iri)
    own: dict[tuple, set] = defaultdict(set)
    for s, p, o, g in ds.quads((node, None, None, None)):
        own[(p, o)].add(g.identifier if hasattr(g, "identifier") else g)
    rows = [(term(p), term(o), ", ".join(term(g) for g in sorted(gs, key=str)))
            for (p, o), gs in sorted(own.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1])))]
    body = f"<p><code>{text(iri)}</code></p>" + table(["property", "value", "stated in graph"], rows)
    statements = []
    for st, _, _, _ in ds.quads((None, RDF.subject, node, None)):
        ev = [o for _, _, o, _ in ds.quads((st, iris.TOR.evidence, None, None))]
        quotes = [str(q) for e in ev for _, _, q, _ in ds.quads((e, iris.NIF.anchorOf, None, None))]
        statements.append((term(ds.value(st, RDF.predicate)), term(ds.value(st, RDF.object)),
                           term(ds.value(st, iris.TOR.statedIn)), text(" … ".join(quotes))))
    if statements:
        body += "<h2>Statements and their evidence</h2>" + table(
            ["property", "value", "stated in", "evidence"], sorted(statements))
    return page(label(ds, node), body, alternates)


def query_form(endpoint: str, example: str) -> str:
    body = (f'<form method="post" action="{text(endpoint)}">'
            f'<textarea name="query" rows="12" style="width:100%">{text(example)}</textarea>'
            '<p><label>Results as <select name="format"><option>json</option><option>xml</option>'
            "<option>csv</option><option>tsv</option><option>turtle</option><option>jsonld</option>"
            '</select></label> <button type="submit">Run</button></p></form>'
            f'<p><small>A SPARQL 1.1 endpoint; its service description: '
            f'<a href="{text(endpoint)}?format=turtle">Turtle</a>.</small></p>')
    return page("SPARQL endpoint", body)


def format_links(path: str, params: dict, keys: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(href, media type, label) for the ``?format=`` variants of ``path``."""
    return [(f"{path}?{urlencode({**params, 'format': k})}", mt, k) for k, mt in keys]


def encode(iri: str) -> str:
    return quote(iri, safe="")
