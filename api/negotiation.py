"""Content negotiation: which representation to send for an ``Accept`` header or ``format`` value.

A ``format`` parameter (also spelled ``output`` or ``results``, as SPARQLWrapper sends it), when
given, takes precedence over ``Accept``: it is how a browser link or a client that cannot set
headers asks for a representation. Otherwise ``Accept`` decides, by q-value and specificity; ties
go to the server's order of preference (the first format of each family).

>>> choose(RESULTS, "text/csv;q=0.5, application/sparql-results+json")
'json'
>>> choose(GRAPHS, "application/xml;q=0.9, */*;q=0.8")
'rdfxml'
>>> choose(GRAPHS, None, ["ttl"])
'turtle'
>>> choose(RESULTS, "text/turtle") is None
True
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    key: str                    # short name, as in ?format=
    media_type: str             # what is sent in Content-Type
    accepts: tuple[str, ...]    # media types in Accept that select it (first = canonical)
    aliases: tuple[str, ...]    # other ?format= spellings
    extension: str

    @property
    def mime(self) -> str:
        """The media type without parameters (for documentation)."""
        return self.accepts[0]


def _f(key, media, accepts, aliases, ext) -> Format:
    return Format(key, media, (media.split(";")[0],) + tuple(accepts), tuple(aliases), ext)


# SELECT / ASK results
RESULTS = (
    _f("json", "application/sparql-results+json", ["application/json"], ["srj"], "srj"),
    _f("xml", "application/sparql-results+xml", ["application/xml", "text/xml"], ["srx"], "srx"),
    _f("csv", "text/csv; charset=utf-8", [], [], "csv"),
    _f("tsv", "text/tab-separated-values; charset=utf-8", [], [], "tsv"),
)
# CONSTRUCT / DESCRIBE results, graphs and descriptions
GRAPHS = (
    _f("turtle", "text/turtle", ["application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3",
                                 "application/n3"], ["ttl", "n3"], "ttl"),
    _f("jsonld", "application/ld+json", ["application/x-json+ld", "application/json"], ["json-ld", "json"],
       "jsonld"),
    _f("ntriples", "application/n-triples", [], ["nt"], "nt"),
    _f("rdfxml", "application/rdf+xml", ["application/xml", "text/xml"], ["rdf", "rdf+xml", "xml", "owl"],
       "rdf"),
    _f("trig", "application/trig", [], [], "trig"),
    _f("nquads", "application/n-quads", [], ["nq"], "nq"),
)
# Whole datasets (quads)
DATASETS = tuple(f for f in GRAPHS if f.key in ("nquads", "trig")) + \
    tuple(f for f in GRAPHS if f.key == "jsonld")
HTML = _f("html", "text/html; charset=utf-8", ["application/xhtml+xml"], [], "html")
JSON = _f("json", "application/json", [], [], "json")

FORMAT_PARAMS = ("format", "output", "results")


class UnknownFormat(ValueError):
    """A ``format`` value that names no representation this server knows."""


def by_key(family: Sequence[Format], key: str) -> Format:
    return next(f for f in family if f.key == key)


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``(media range, q, specificity)`` for each entry of an Accept header."""
    out = []
    for part in (header or "").split(","):
        fields = [x.strip() for x in part.split(";")]
        media = fields[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        main, _, sub = media.partition("/")
        specificity = 0 if media == "*/*" else 1 if sub == "*" else 2
        out.append((media, q, specificity))
    return out


def _quality(accept: list[tuple[str, float, int]], media: str, aliases: Sequence[str] = ()) -> float:
    """The q of ``media`` (what would be sent): the most specific matching range decides; an alias
    (e.g. application/json for SPARQL JSON) counts only when named exactly."""
    best_spec, best_q = -1, 0.0
    main = media.split("/")[0]
    for rng, q, spec in accept:
        if rng == media or rng in aliases or rng == "*/*" or (spec == 1 and rng.split("/")[0] == main):
            if spec > best_spec:
                best_spec, best_q = spec, q
    return best_q


def choose(family: Sequence[Format], accept: str | None,
           format_values: Sequence[str] = ()) -> str | None:
    """The key of the best format of ``family``, or None if nothing acceptable can be sent.

    ``format_values`` are the ``?format=`` values (first recognised one wins); a value that names
    no known format at all raises ``UnknownFormat``."""
    if format_values:
        known = False
        for value in format_values:
            v = value.strip().lower()
            if not v:
                continue
            for f in family:
                if v == f.key or v in f.aliases or v.split(";")[0].strip() in f.accepts:
                    return f.key
            known = known or is_known_format(v)
        if not known and any(v.strip() for v in format_values):
            raise UnknownFormat(f"unknown format {', '.join(format_values)!r}; use one of "
                                f"{', '.join(all_format_keys())} or a media type")
        return None
    entries = parse_accept(accept)
    if not entries:
        return family[0].key
    best, best_q = None, 0.0
    for f in family:
        q = _quality(entries, f.accepts[0], f.accepts[1:])
        if q > best_q:
            best, best_q = f.key, q
    return best


def is_known_format(value: str) -> bool:
    v = value.strip().lower()
    return any(v == f.key or v in f.aliases or v.split(";")[0].strip() in f.accepts
               for f in RESULTS + GRAPHS + (HTML,))


def all_format_keys() -> list[str]:
    return list(dict.fromkeys(f.key for f in RESULTS + GRAPHS + (HTML,)))


def wants_html(accept: str | None, format_values: Sequence[str] = ()) -> bool:
    """Whether the client (a browser) asks for HTML above every machine format it names.

    >>> wants_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> wants_html("text/turtle, text/html;q=0.5"), wants_html("*/*"), wants_html(None, ["html"])
    (False, False, True)

    Media types that name no format served here (a browser's ``image/avif``) do not count:

    >>> wants_html("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")
    True
    """
    if format_values:
        return any(v.strip().lower() in ("html", "text/html") for v in format_values)
    entries = parse_accept(accept)
    html = [q for m, q, _ in entries if m in HTML.accepts]
    machine = {m for f in RESULTS + GRAPHS for m in f.accepts}
    others = [q for m, q, spec in entries if spec == 2 and m in machine and m not in HTML.accepts]
    return bool(html) and max(html) > 0 and max(html) > max(others, default=0.0)
