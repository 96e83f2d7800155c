"""SPARQL text and RDF terms as a remote SPARQL server needs them (helpers of ``torkg.remote``).

- ``read_query_text``: a read must never write: updates, Virtuoso pragmas and SQL calls refused.
- ``inject_values``: parameters bound by a ``VALUES`` block at the start of the query's WHERE
  group, written as terms, never as query text. (A trailing VALUES clause is joined after
  FILTERs and aggregation, and Virtuoso rejects it for a variable that is not projected.)
- ``nt_term`` / ``nt_literal``: terms as one-line N-Triples, refusing what would not read back
  as the same term; ``make_literal`` / ``from_json`` / ``from_oxigraph``: the server's answers
  as the embedded store gives them (xsd:string plain, Virtuoso's numeric durations as
  ``P1Y``/``P14D``, its ``nodeID://`` blank nodes as plain labels).

>>> print(inject_values("SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ?v) }", {"v": Literal('x" } #')}))
SELECT ?s WHERE { VALUES (?v) { ("x\\" } #") }
 ?s ?p ?o FILTER(?o = ?v) }
>>> make_literal("12", datatype=str(XSD.duration)), make_literal("1.2096e+06", datatype=str(XSD.duration))
(rdflib.term.Literal('P1Y', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#duration')), rdflib.term.Literal('P14D', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#duration')))
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from torkg.store import QuerySyntaxError, StoreError

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_FORBIDDEN_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                    "WITH", "DEFINE"}
_DURATIONS = {str(XSD.duration), str(XSD.dayTimeDuration), str(XSD.yearMonthDuration)}
_XSD_STRING = str(XSD.string)
_XSD_BOOLEAN = str(XSD.boolean)
_CANONICAL_TYPES = {str(XSD[t]): str(XSD.integer) for t in (
    "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
    "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_CANONICAL_TYPES[str(XSD.dateTimeStamp)] = str(XSD.dateTime)
BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r"""
    (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_][\w\-.\u00B7-\uFFFF]*(?::[\w\-.:%\u00B7-\uFFFF]*)?|:[\w\-.:%\u00B7-\uFFFF]*)
  | (?P<other>.)""", re.VERBOSE | re.DOTALL)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PARSER = ox.Store()                        # always empty: used to check query syntax only


# --- query text -------------------------------------------------------------------------------
def _tokens(text: str) -> list[tuple[str, str, int, int]]:
    return [(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
            if m.lastgroup != "comment" and not m.group().isspace()]


def _keyword(kind: str, tok: str) -> str | None:
    return tok.upper() if kind == "word" and ":" not in tok else None


def read_query_text(sparql: str, *, virtuoso: bool = False) -> tuple[str, str, bool]:
    """Check that ``sparql`` is a plain query; return (text to send, form, has a FROM clause).

    Codepoint escapes are applied first, as SPARQL does before parsing, so ``\\u0044ROP`` is
    DROP. Updates, Virtuoso pragmas (``DEFINE``) and SQL functions (``bif:``, ``sql:``) are
    refused: a read must never write, whatever server is behind the store.

    >>> read_query_text('SELECT ?from WHERE { ?s ?p "DROP" }')[1:]
    ('SELECT', False)
    >>> read_query_text("ASK FROM <http://g> { ?s ?p ?o }")[1:]
    ('ASK', True)
    """
    text = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)
    form, dataset = None, False
    for kind, tok, _, _ in _tokens(text):
        lowered = tok.lower()
        if kind == "iri" and lowered.startswith(("<bif:", "<sql:")) or \
                kind == "word" and virtuoso and lowered.startswith(("bif:", "sql:")):
            raise StoreError(f"{tok} calls the server's own SQL functions; torkg does not send that")
        word = _keyword(kind, tok)
        if word in _FORBIDDEN_WORDS:
            raise QuerySyntaxError(f"this is not a read-only SPARQL query ({word} is not allowed "
                                   "here); updates go through `torkg ingest` or the update endpoint")
        if form is None and word in FORMS:
            form = word
        elif word == "FROM":
            dataset = True
    if form is None:
        raise QuerySyntaxError("expected a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    if not (form == "ASK" and "SERVICE" in text.upper()):      # ASK is evaluated eagerly
        try:   # the embedded store's parser: the same queries are accepted on both stores
            _PARSER.query(text)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e
    return text, form, dataset


def _where_group(toks: list) -> tuple[str | None, int | None, int | None]:
    """(query form, index of the top-level WHERE keyword, index of the WHERE group's ``{``)."""
    depth = paren = 0
    form = None
    where_at = None
    for i, (kind, tok, _, _) in enumerate(toks):
        word = _keyword(kind, tok)
        if depth == paren == 0 and word in FORMS and form is None:
            form = word
        elif depth == paren == 0 and word == "WHERE" and form:
            where_at = i
        elif tok in "()" and kind == "other":
            paren += 1 if tok == "(" else -1
        elif tok == "{" and kind == "other":
            if depth == paren == 0 and form and (where_at is not None or form != "CONSTRUCT"):
                return form, where_at, i
            depth += 1
        elif tok == "}" and kind == "other":
            depth -= 1
    return form, where_at, None


def inject_values(text: str, bindings: Mapping[str, Node] | None, *,
                  virtuoso: bool = False) -> str:
    """``text`` with the bindings as a VALUES block opening its WHERE group (``text`` must
    have passed ``read_query_text``). The short ``CONSTRUCT WHERE`` form is expanded and a
    group that is a lone sub-SELECT is wrapped, since VALUES may not stand there."""
    if not bindings:
        return text
    names = list(bindings)
    for n in names:
        if not _VARNAME.fullmatch(n):
            raise StoreError(f"not a SPARQL variable name: {n!r}")
    block = "VALUES (%s) { (%s) }\n" % (" ".join(f"?{n}" for n in names),
                                         " ".join(sparql_term(bindings[n], virtuoso) for n in names))
    toks = _tokens(text)
    form, where_at, open_at = _where_group(toks)
    if open_at is None:
        raise StoreError("parameters need a query with a WHERE clause")
    close_at, level = open_at, 0
    for j in range(open_at, len(toks)):
        if toks[j][0] == "other" and toks[j][1] in "{}":
            level += 1 if toks[j][1] == "{" else -1
            if level == 0:
                close_at = j
                break
    start, body_start = toks[open_at][2], toks[open_at][3]
    body_end, end = toks[close_at][2], toks[close_at][3]
    body = text[body_start:body_end]
    if form == "CONSTRUCT" and where_at == open_at - 1 and toks[where_at - 1][1].upper() == "CONSTRUCT":
        where = toks[where_at][2]
        return f"{text[:where]}{{{body}}}\nWHERE {{ {block}{body}}}{text[end:]}"
    if _keyword(*toks[open_at + 1][:2]) == "SELECT":
        return f"{text[:start]}{{ {block}{{{body}}} }}{text[end:]}"
    return f"{text[:body_start]} {block}{text[body_start:]}"


def with_dataset(text: str, default: list[str], named: list[str]) -> str:
    """``text`` with ``FROM``/``FROM NAMED`` clauses before its WHERE clause (in the text rather
    than as protocol parameters: Virtuoso echoes each of those as a response header, and
    Python's HTTP client stops at 100 headers).

    >>> print(with_dataset("SELECT * WHERE { ?s ?p ?o }", ["http://g"], ["http://g"]))
    SELECT * FROM <http://g>
    FROM NAMED <http://g>
    WHERE { ?s ?p ?o }
    """
    toks = _tokens(text)
    _, where_at, open_at = _where_group(toks)
    at = where_at if where_at is not None else open_at
    if at is None:
        raise StoreError("the query has no WHERE clause to give a dataset to")
    clauses = [f"FROM {nt_iri(g)}" for g in default] + [f"FROM NAMED {nt_iri(g)}" for g in named]
    cut = toks[at][2]
    return text[:cut] + "\n".join(clauses) + "\n" + text[cut:]


_BOOLEAN_CALLS = {"EXISTS", "NOT", "BOUND", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC",
                  "REGEX", "CONTAINS", "STRSTARTS", "STRENDS", "LANGMATCHES", "SAMETERM", "TRUE", "FALSE"}


def boolean_columns(text: str) -> set[str]:
    """Variables bound by a boolean expression (``BIND(EXISTS {...} AS ?x)``, ``(?a = ?b AS ?y)``):
    Virtuoso answers those as the integers 1 and 0, the embedded store as xsd:boolean.

    >>> sorted(boolean_columns("SELECT (?n > 2 AS ?big) WHERE { BIND(EXISTS { ?s ?p ?o } AS ?e) "
    ...                        "BIND(STR(?s) AS ?t) }"))
    ['big', 'e']
    """
    toks = _tokens(text)
    found, stack = set(), []                 # indices of the open parentheses
    for i, (kind, tok, _, _) in enumerate(toks):
        if kind == "other" and tok == "(":
            stack.append(i)
        elif kind == "other" and tok == ")" and stack:
            stack.pop()
        elif _keyword(kind, tok) == "AS" and stack and i + 1 < len(toks) and toks[i + 1][0] == "var":
            expr, depth, boolean = toks[stack[-1] + 1:i], 0, False
            if expr and _keyword(*expr[0][:2]) in _BOOLEAN_CALLS:
                boolean = True
            for kind2, tok2, _, _ in expr:
                depth += (tok2 in "({[") - (tok2 in ")}]") if kind2 == "other" else 0
                if depth == 0 and (kind2 == "other" and tok2 in "=<>&|" or _keyword(kind2, tok2) == "IN"):
                    boolean = True
            if boolean:
                found.add(toks[i + 1][1][1:])
    return found


# --- writing terms ----------------------------------------------------------------------------
def nt_iri(term: Node) -> str:
    value = str(term)
    if not value or BAD_IRI.search(value):
        raise StoreError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def nt_literal(lit: Literal) -> str:
    """One N-Triples literal (escaped, on one line); ill-typed values are refused."""
    if lit.datatype is not None and getattr(lit, "ill_typed", False):
        raise StoreError(f"the literal {str(lit)!r}^^<{lit.datatype}> is not a valid value of its "
                         "datatype; SPARQL servers reject or alter such values, so it is not sent")
    text = str(lit)
    if lit.datatype == XSD.decimal and re.fullmatch(r"[+-]?\d+", text):
        text += ".0"          # Virtuoso reads a decimal without a point as an xsd:integer
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lit.language:
        if not _LANG.fullmatch(lit.language):
            raise StoreError(f"not a valid language tag: {lit.language!r}")
        return f'"{body}"@{lit.language}'
    if lit.datatype is not None and str(lit.datatype) != _XSD_STRING:
        return f'"{body}"^^{nt_iri(lit.datatype)}'
    return f'"{body}"'


def nt_term(term: Node, bnodes: dict[str, str]) -> str:
    """A term of a triple to upload; blank nodes get labels private to this upload."""
    if isinstance(term, URIRef):
        return nt_iri(term)
    if isinstance(term, Literal):
        return nt_literal(term)
    if isinstance(term, BNode):
        return "_:" + bnodes.setdefault(str(term), f"b{len(bnodes)}")
    raise StoreError(f"cannot store {term!r}: only IRIs, blank nodes and literals are RDF terms")


def sparql_term(term: Node, virtuoso: bool = False) -> str:
    """A parameter value. Blank nodes only on Virtuoso, which names its own (``nodeID://``)."""
    if isinstance(term, BNode):
        if virtuoso and re.fullmatch(r"b\d+", str(term)):
            return f"<nodeID://{term}>"
        raise StoreError(f"cannot bind the blank node {term!r}: a blank node label means nothing "
                         "to the server; bind an IRI or a literal")
    return nt_term(term, {})


# --- reading terms ----------------------------------------------------------------------------
def iso_duration(value: str, datatype: str) -> str | None:
    """Virtuoso answers durations as numbers (months; seconds when there are days or hours):
    turn them back into canonical xsd:duration text. None if ``value`` is not a number."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    sign, number = ("-" if number < 0 else ""), abs(number)
    if re.fullmatch(r"-?\d+", value) and datatype != str(XSD.dayTimeDuration):
        years, months = divmod(int(number), 12)
        text = (f"{years}Y" if years else "") + (f"{months}M" if months else "")
        return f"{sign}P{text}" if text else "PT0S"
    days, rest = divmod(number, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = "".join(f"{int(v)}{u}" for v, u in ((hours, "H"), (minutes, "M")) if v)
    clock += f"{seconds.normalize():f}S" if seconds else ""
    text = (f"{int(days)}D" if days else "") + (f"T{clock}" if clock else "")
    return f"{sign}P{text}" if text else "PT0S"


def _fixed(value: str, datatype: str) -> tuple[str, str]:
    if datatype in _DURATIONS:
        value = iso_duration(value, datatype) or value
    elif datatype == _XSD_BOOLEAN and value in ("1", "0"):
        value = "true" if value == "1" else "false"
    return value, _CANONICAL_TYPES.get(datatype, datatype)


def make_literal(value: str, lang: str | None = None, datatype: str | None = None) -> Literal:
    """A literal as the embedded store returns it: xsd:string plain, the derived integer types
    as xsd:integer and xsd:dateTimeStamp as xsd:dateTime (pyoxigraph stores them so)."""
    if lang:
        return Literal(value, lang=lang)
    if not datatype or datatype == _XSD_STRING:
        return Literal(value)
    value, datatype = _fixed(value, datatype)
    return Literal(value, datatype=URIRef(datatype))


def fix_oxigraph(term):
    """A pyoxigraph term of the server's RDF with the same fixes (for dumps, which keep the
    server's lexical forms)."""
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(term.value.removeprefix("nodeID://"))
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value != _XSD_STRING:
        value, datatype = _fixed(term.value, term.datatype.value)
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return term


def from_json(b: Mapping[str, str]) -> Node:
    """A term of the SPARQL 1.1 JSON results format (Virtuoso's ``typed-literal`` included)."""
    kind, value = b["type"], b["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value.removeprefix("nodeID://"))
    return make_literal(value, b.get("xml:lang"), b.get("datatype"))


def from_oxigraph(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value.removeprefix("nodeID://"))
    if isinstance(term, ox.Literal):
        return make_literal(term.value, term.language, term.datatype.value)
    raise StoreError(f"unsupported RDF term {term!r}")
