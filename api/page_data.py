"""What each HTML page shows, read from a ``Store`` as plain data (no HTML here).

One function per page; each runs the page's SPARQL (``api/page-queries/*.rq``) with bound
parameters and shapes the rows into dataclasses the templates render. ``None`` means the thing
asked for is not in the store (the page answers 404).
"""
from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from torkg import iris
from torkg.api.page_text import Block, layout, trim_leading_lines
from torkg.iris import TOR
from torkg.store import Store

log = logging.getLogger("torkg.api.pages")
QUERY_DIR = Path(__file__).resolve().parent / "page-queries"

LEVELS = {TOR.GlobalLevel: "global", TOR.RegionalLevel: "regional", TOR.CountryLevel: "country"}
STATUSES = {TOR.Aligned: "aligned", TOR.Missing: "missing", TOR.Conflict: "conflict"}
MODALITIES = {TOR.Obligation: "obligation", TOR.Permission: "permission",
              TOR.Prohibition: "prohibition", TOR.Recommendation: "recommendation"}
NETWORK_LEVELS = {TOR.GlobalNetwork: "global", TOR.RegionalNetwork: "regional",
                  TOR.CountryNetwork: "country"}

@lru_cache(maxsize=None)
def query(name: str) -> str:
    """The text of a page query (``api/page-queries/NAME.rq``)."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def run(store: Store, name: str, **bindings: Node) -> list[dict[str, Node]]:
    return store.select(query(name), bindings or None)[1]


# --- small helpers --------------------------------------------------------------------------------
def text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def integer(term: Node | None) -> int | None:
    try:
        return None if term is None else int(str(term))
    except ValueError:
        return None


def better_label(current: Node | None, candidate: Node | None) -> Node | None:
    """Prefer an English or language-less label to any other."""
    if candidate is None:
        return current
    if current is None:
        return candidate
    rank = lambda t: 0 if getattr(t, "language", None) in (None, "en") else 1  # noqa: E731
    return candidate if rank(candidate) < rank(current) else current


def local_id(iri: Node, base: URIRef) -> str | None:
    """The id of an IRI minted under ``base`` (e.g. a requirement or document id), else None."""
    s, b = str(iri), str(base)
    rest = s[len(b):] if s.startswith(b) else None
    return rest if rest and "/" not in rest else None


def doc_id_of(iri: Node) -> str | None:
    return local_id(iri, iris.doc_iri(""))


def requirement_id_of(iri: Node) -> str:
    return local_id(iri, iris.requirement_iri("")) or str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# --- home -------------------------------------------------------------------------------------------
@dataclass
class DocSummary:
    iri: URIRef
    id: str
    title: str
    level: str | None = None
    date: str | None = None
    network: URIRef | None = None
    network_label: str | None = None
    report: URIRef | None = None


@dataclass
class Home:
    documents: list[DocSummary]
    by_level: dict[str, list[DocSummary]]
    networks: list[dict[str, Any]]
    provisions: dict[str, int]
    last_ingest: str | None
    runs: int
    verdicts: dict[str, int]


def documents(store: Store) -> list[DocSummary]:
    out: dict[str, DocSummary] = {}
    for r in run(store, "documents"):
        d = out.setdefault(str(r["doc"]), DocSummary(r["doc"], str(r["id"]), str(r.get("title", r["id"]))))
        d.level = d.level or LEVELS.get(r.get("level"))
        d.date = d.date or text(r.get("date"))
        d.network = d.network or r.get("network")
        d.network_label = d.network_label or text(r.get("networkLabel"))
        d.report = d.report or r.get("report")
    return sorted(out.values(), key=lambda d: (["global", "regional", "country", None].index(d.level), d.id))


def home(store: Store) -> Home:
    docs = documents(store)
    by_level: dict[str, list[DocSummary]] = defaultdict(list)
    for d in docs:
        by_level[d.level or "other"].append(d)
    networks: dict[str, dict[str, Any]] = {}
    for r in run(store, "networks"):
        n = networks.setdefault(str(r["network"]), {"iri": r["network"], "label": None, "level": None})
        n["label"] = better_label(n["label"], r.get("label"))
        n["level"] = n["level"] or LEVELS.get(r.get("level")) or NETWORK_LEVELS.get(r["class"])
    provisions = {MODALITIES[r["class"]]: integer(r["n"]) or 0 for r in run(store, "provision-counts")}
    last = run(store, "last-ingest")
    verdicts = Counter(c.status for row in dashboard(store).rows for c in row.cells.values())
    return Home(docs, dict(by_level), sorted(networks.values(), key=lambda n: str(n["label"] or n["iri"])),
                {m: provisions.get(m, 0) for m in MODALITIES.values()},
                text(last[0].get("last")) if last else None,
                integer(last[0].get("runs")) or 0 if last else 0, dict(verdicts))


# --- alignment dashboard ------------------------------------------------------------------------------
@dataclass
class Requirement:
    iri: URIRef
    id: str
    label: str
    definition: str | None = None
    faq: str | None = None
    order: int | None = None


@dataclass
class Cell:
    status: str
    count: int | None = None


@dataclass
class MatrixRow:
    doc: DocSummary
    cells: dict[str, Cell]
    generated: str | None = None


@dataclass
class Dashboard:
    requirements: list[Requirement]
    rows: list[MatrixRow]
    totals: dict[str, Counter] = field(default_factory=dict)


@lru_cache(maxsize=1)
def packaged_requirement_rows() -> tuple[dict[str, Node], ...]:
    """The requirement rows of the shapes shipped with torkg (``shapes/*.ttl``), so that labels
    and order show even when the store holds verdicts but not the requirements themselves."""
    try:
        import torkg.shapes as shapes_pkg
    except ImportError:  # pragma: no cover - the shapes package is part of torkg
        return ()
    g = Graph()
    for path in sorted(Path(shapes_pkg.__file__).resolve().parent.glob("*.ttl")):
        try:
            g.parse(path, format="turtle")
        except Exception as e:  # a broken shapes file must not take the pages down
            log.warning("cannot read %s for requirement labels: %s", path, e)
    rows = []
    for row in g.query(query("requirements")):
        rows.append({k: v for k, v in row.asdict().items() if v is not None})
    return tuple(rows)


def requirements(store: Store) -> list[Requirement]:
    """The requirements, in their order, described by the store or by the packaged shapes."""
    return requirements_from_rows([*packaged_requirement_rows(), *run(store, "requirements")])


def requirements_from_rows(rows) -> list[Requirement]:
    out: dict[str, Requirement] = {}
    labels: dict[str, Node | None] = {}
    for r in rows:
        key = str(r["req"])
        req = out.setdefault(key, Requirement(r["req"], requirement_id_of(r["req"]), ""))
        labels[key] = better_label(labels.get(key), r.get("label"))
        req.definition = req.definition or text(r.get("definition"))
        req.faq = req.faq or text(r.get("faq"))
        order = integer(r.get("order"))
        if order is not None and (req.order is None or order < req.order):
            req.order = order
    for key, req in out.items():
        req.label = str(labels[key]) if labels.get(key) is not None else req.id
    return sorted(out.values(), key=lambda q: (q.order is None, q.order or 0, q.id))


def dashboard(store: Store) -> Dashboard:
    docs = {str(d.iri): d for d in documents(store)}
    rows: dict[str, MatrixRow] = {}
    for r in run(store, "alignment-matrix"):
        doc = docs.get(str(r["doc"])) or DocSummary(r["doc"], doc_id_of(r["doc"]) or str(r["doc"]),
                                                   str(r["doc"]))
        row = rows.setdefault(str(r["doc"]), MatrixRow(doc, {}, text(r.get("generated"))))
        row.cells[requirement_id_of(r["req"])] = Cell(STATUSES.get(r["status"], "unknown"),
                                                      integer(r.get("count")))
    ordered = sorted(rows.values(), key=lambda m: (["regional", "country"].index(m.doc.level)
                                                   if m.doc.level in ("regional", "country") else 2, m.doc.id))
    totals = {req: Counter(row.cells[req].status for row in ordered if req in row.cells)
              for row in ordered for req in row.cells}
    return Dashboard(requirements(store), ordered, totals)


# --- evidence of one verdict -----------------------------------------------------------------------------
@dataclass
class Clause:
    begin: int | None
    end: int | None
    text: str | None
    iri: URIRef


@dataclass
class DocText:
    summary: DocSummary
    blocks: list[Block]


@dataclass
class Evidence:
    requirement: Requirement
    status: str
    comment: str | None
    count: int | None
    verdict: URIRef
    checked: DocText
    against: DocText | None
    checked_clauses: list[Clause]
    global_clauses: list[Clause]
    correspondences: list[dict[str, Any]]


def document_text(store: Store, doc: URIRef) -> tuple[DocSummary, str] | None:
    rows = run(store, "document", doc=doc)
    if not rows:
        return None
    r = rows[0]
    summary = DocSummary(doc, str(r["id"]), str(r.get("title", r["id"])), LEVELS.get(r.get("level")),
                         text(r.get("date")), r.get("network"), text(r.get("networkLabel")), r.get("report"))
    return summary, str(r.get("text", ""))


def evidence(store: Store, doc_id: str, req_id: str) -> Evidence | None:
    checked_iri, req_iri = iris.doc_iri(doc_id), iris.requirement_iri(req_id)
    rows = run(store, "verdict", checked=checked_iri, req=req_iri)
    if not rows:
        return None
    first = rows[0]
    req = next((q for q in requirements(store) if q.iri == req_iri), Requirement(req_iri, req_id, req_id))
    clauses: dict[str, dict[str, Clause]] = {"checked": {}, "global": {}}
    for r in rows:
        if r.get("span") is None or r.get("role") is None:
            continue
        clauses[str(r["role"])][str(r["span"])] = Clause(integer(r.get("begin")), integer(r.get("end")),
                                                         text(r.get("anchor")), r["span"])
    checked_clauses = sorted(clauses["checked"].values(), key=lambda c: (c.begin or 0))
    global_clauses = sorted(clauses["global"].values(), key=lambda c: (c.begin or 0))
    against_iri = first.get("against") or iris.doc_iri("global-tor")
    checked = _doc_with_marks(store, checked_iri, checked_clauses)
    if checked is None:
        return None
    against = _doc_with_marks(store, against_iri, global_clauses)
    corr = []
    if req_id == "objectives-coverage":
        for r in run(store, "correspondences", checked=checked_iri):
            corr.append({"number": integer(r.get("number")), "score": text(r.get("score")),
                         "shared": text(r.get("shared")), "global": text(r.get("globalText")),
                         "counterpart": text(r.get("counterText")), "begin": integer(r.get("counterBegin"))})
    return Evidence(req, STATUSES.get(first["status"], "unknown"), text(first.get("comment")),
                    integer(first.get("count")), first["verdict"], checked, against,
                    checked_clauses, global_clauses, corr)


def _doc_with_marks(store: Store, doc: URIRef, clauses: list[Clause]) -> DocText | None:
    found = document_text(store, doc)
    if found is None:
        return None
    summary, body = found
    marks = [(c.begin, c.end, f"clause-{n}") for n, c in enumerate(clauses, 1)
             if c.begin is not None and c.end is not None]
    return DocText(summary, trim_leading_lines(layout(body, marks)))


# --- draft check ----------------------------------------------------------------------------------------
def _texts(value: Any) -> list[str]:
    """Clause texts from an evidence value of the report JSON (a string, a span dict or a list)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        t = value.get("text") or value.get("anchor") or value.get("quote")
        return [str(t)] if t else []
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return [str(value)]


def draft_result(data: Any) -> list[dict[str, Any]]:
    """The alignment report JSON of ``torkg.shapes.report.to_json`` as rows for the draft page:
    one entry per checked document, one verdict per requirement in the requirements' order."""
    known = {q.id: q for q in requirements_from_rows(packaged_requirement_rows())}
    rank = {rid: i for i, rid in enumerate(known)}
    if isinstance(data, dict) and "reports" in data:
        data = data["reports"]
    docs = (data.items() if isinstance(data, dict)
            else ((r.get("doc") or r.get("id") or "draft", r) for r in data or []))
    out = []
    for doc, body in docs:
        title = str(doc)
        verdicts = body
        if isinstance(body, dict) and isinstance(body.get("verdicts"), (dict, list)):
            title = str(body.get("title") or doc)
            verdicts = body["verdicts"]
        items = (verdicts.items() if isinstance(verdicts, dict)
                 else ((v.get("requirement"), v) for v in verdicts))
        rows = []
        for rid, v in items:
            if not isinstance(v, dict) or "status" not in v:
                continue
            rid = str(rid)
            req = known.get(rid)
            evidence = v.get("evidence") if isinstance(v.get("evidence"), dict) else {}
            rows.append({"id": rid, "label": req.label if req else rid, "status": str(v["status"]),
                         "count": v.get("count"), "of": v.get("of") or 9,
                         "message": v.get("message") or v.get("comment"),
                         "checked": _texts(evidence.get("checked") if evidence else v.get("checked")),
                         "global_": _texts(evidence.get("global") if evidence else v.get("global"))})
        rows.sort(key=lambda r: (rank.get(r["id"], 99), r["id"]))
        out.append({"doc": str(doc), "title": title, "verdicts": rows,
                    "counts": dict(Counter(r["status"] for r in rows))})
    return out
