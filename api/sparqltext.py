"""A small lexical view of SPARQL text: the keywords outside strings, comments and IRIs.

Used where a decision must be made before (or without) a full parse: whether a query declares
its own dataset (``FROM``), and, conservatively, whether it could call out (``SERVICE``) or load
(``LOAD``) anything.

>>> keywords('SELECT * FROM <http://g> WHERE { ?s ?p "SERVICE" } # LOAD')
['SELECT', 'FROM', 'WHERE']
>>> has_dataset_clause('SELECT ?from WHERE { ?s ex:from ?from }')
False
>>> has_dataset_clause('SELECT * FROM NAMED <g> WHERE {}')
True
>>> count_keyword(r'SELECT * { \\u0053ERVICE <x> {} }', "SERVICE")
1
"""
from __future__ import annotations

import re

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(r"""
    (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>:[A-Za-z0-9_\-.:%\u00B7-\uFFFF]*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-.\u00B7-\uFFFF]*:?[A-Za-z0-9_\-.:%\u00B7-\uFFFF]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def unescape_codepoints(text: str) -> str:
    """Apply SPARQL's codepoint escapes (``\\u0053`` = ``S``), which a parser may apply anywhere."""
    def repl(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)
    return _CODEPOINT.sub(repl, text)


def keywords(text: str) -> list[str]:
    """Bare words (upper-cased) outside strings, comments, IRIs and variables; prefixed names
    (``ex:from``) are not keywords."""
    out = []
    for m in _TOKEN.finditer(unescape_codepoints(text)):
        word = m.group("name")
        if word and ":" not in word:
            out.append(word.upper())
    return out


def count_keyword(text: str, keyword: str) -> int:
    return sum(1 for w in keywords(text) if w == keyword.upper())


def mentions_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs anywhere at all, even in a string or comment (a cheap first test)."""
    return re.search(rf"(?i)\b{re.escape(word)}\b", unescape_codepoints(text)) is not None


def has_dataset_clause(text: str) -> bool:
    """Whether a query names its own dataset with ``FROM`` or ``FROM NAMED``."""
    return "FROM" in keywords(text)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword, if any."""
    for w in keywords(text):
        if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return w
    return None
