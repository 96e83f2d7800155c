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

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from torkg import iris
from torkg.api.page_text import Block, layout
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
STRUCTURE_ORDER = ["coordinator", "secretariat", "chair", "co-chairs", "members", "bodies",
                   "decision rule", "guided by", "working principles", "adopts the principles of",
                   "engages", "part of"]


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
    return DocText(summary, layout(body, marks))


# --- document viewer -------------------------------------------------------------------------------------
@dataclass
class ProvisionMark:
    id: str
    iri: URIRef
    modality: str
    bearer: URIRef | None
    bearer_label: str | None
    bearer_kind: str | None
    bearer_text: str | None
    action: str | None
    frequency: str | None
    condition: str | None
    negated: bool

    def describe(self) -> str:
        """One line a person can read: what the provision binds whom to do, when, on what condition."""
        who = self.bearer_label or self.bearer_text or "unspecified"
        if self.bearer_kind and self.bearer_kind not in ("un-entity", "unspecified"):
            who = f"{who} ({self.bearer_kind})"
        parts = [self.modality.capitalize(), f"bearer: {who}"]
        if self.action:
            parts.append(f"action: {'not ' if self.negated else ''}{self.action}")
        if self.frequency:
            parts.append(f"frequency: {self.frequency}")
        if self.condition:
            parts.append(f"condition: {self.condition}")
        return "; ".join(parts)


@dataclass
class MentionMark:
    target: URIRef
    label: str | None
    kind: str = "other"


MENTION_KINDS = {
    "un-entity": str(iris.un_entity_iri("")), "instrument": str(iris.instrument_iri("")),
    "gcm-objective": str(iris.gcm_objective_iri(1)).rsplit("/", 1)[0] + "/",
    "working-principle": str(iris.working_principle_iri("")), "gcm-principle": str(iris.gcm_principle_iri("")),
    "stakeholder": str(iris.stakeholder_iri("")), "theme": str(iris.theme_iri("")),
    "country": str(iris.country_iri("")),
}


def mention_kind(target: Node) -> str:
    """What kind of reference resource a mention denotes (``un-entity``, ``theme``, ...)."""
    return next((k for k, prefix in MENTION_KINDS.items() if str(target).startswith(prefix)), "other")


@dataclass
class DocumentView:
    summary: DocSummary
    source: str | None
    media_type: str | None
    parent: DocSummary | None
    blocks: list[Block]
    provisions: list[ProvisionMark]
    modalities: dict[str, int]
    mentions: int
    structure: list[tuple[str, list[dict[str, Any]]]]


def document_view(store: Store, doc_id: str) -> DocumentView | None:
    doc = iris.doc_iri(doc_id)
    rows = run(store, "document", doc=doc)
    if not rows:
        return None
    r = rows[0]
    found = document_text(store, doc)
    assert found is not None
    summary, body = found
    provisions: dict[str, tuple[int, int, ProvisionMark]] = {}
    for p in run(store, "document-provisions", doc=doc):
        key = str(p["provision"])
        if key in provisions:
            continue
        freq = " ".join(x for x in (text(p.get("frequencyText")),
                                     f"({p['frequency']})" if p.get("frequency") is not None else None) if x)
        mark = ProvisionMark(f"p{len(provisions) + 1}", p["provision"], MODALITIES[p["class"]], p.get("bearer"),
                             text(p.get("bearerLabel")), text(p.get("bearerKind")), text(p.get("bearerText")),
                             text(p.get("action")), freq or None, text(p.get("condition")),
                             str(p.get("negated", "false")).lower() == "true")
        provisions[key] = (integer(p["begin"]) or 0, integer(p["end"]) or 0, mark)
    mentions: dict[str, tuple[int, int, MentionMark]] = {}
    for m in run(store, "document-mentions", doc=doc):
        prev = mentions.get(str(m["mention"]))
        label = better_label(prev[2].label if prev else None, m.get("label"))
        mentions[str(m["mention"])] = (integer(m["begin"]) or 0, integer(m["end"]) or 0,
                                       MentionMark(m["target"], text(label), mention_kind(m["target"])))
    blocks = layout(body, provisions.values(), mentions.values())
    marks = [p[2] for p in sorted(provisions.values(), key=lambda t: t[0])]
    parent = next((d for d in documents(store) if d.iri == r.get("parent")), None) if r.get("parent") else None
    return DocumentView(summary, text(r.get("source")), text(r.get("mediaType")), parent, blocks,
                        marks, dict(Counter(m.modality for m in marks)), len(mentions),
                        network_structure(store, doc))


def network_structure(store: Store, doc: URIRef) -> list[tuple[str, list[dict[str, Any]]]]:
    """What the document says of its network, grouped by role, in a fixed reading order."""
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in run(store, "network-structure", doc=doc):
        item = groups[str(r["key"])].setdefault(str(r["item"]), {"iri": r["item"], "label": None, "kind": None})
        item["label"] = better_label(item["label"], r.get("label"))
        item["kind"] = item["kind"] or text(r.get("kindLabel"))
    order = {k: i for i, k in enumerate(STRUCTURE_ORDER)}
    return [(key, sorted(items.values(), key=lambda i: str(i["kind"] or i["label"] or i["iri"])))
            for key, items in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))]


# --- resource pages -------------------------------------------------------------------------------------
@dataclass
class Arc:
    predicate: URIRef
    term: Node
    label: str | None
    graphs: set[str]
    known: bool = False               # the graph describes the term: its page exists


@dataclass
class Property:
    iri: URIRef
    known: bool                       # the graph describes the predicate itself
    arcs: list[Arc]


@dataclass
class ResourceView:
    iri: URIRef
    label: str | None
    types: list[Arc]
    outgoing: list[Property]
    incoming: list[Property]
    uses: list[tuple[Arc, Node]]      # statements using it as their property: (subject, object)


def resource(store: Store, iri: URIRef) -> ResourceView | None:
    out = _properties(run(store, "resource-out", s=iri), "o", "oLabel", "oKnown")
    inc = _properties(run(store, "resource-in", o=iri), "s", "sLabel", "sKnown")
    uses = []
    for r in run(store, "resource-uses", p=iri):
        if not any(u[0].term == r["s"] and u[1] == r["o"] for u in uses):
            uses.append((Arc(iri, r["s"], text(r.get("sLabel")), {str(r["g"])}, isinstance(r["s"], URIRef)), r["o"]))
    if not out and not inc and not uses:
        return None
    label = None
    for r in run(store, "labels", s=iri):
        label = better_label(label, r.get("label"))
    types = [a for p in out if p.iri == RDF.type for a in p.arcs]
    return ResourceView(iri, text(label), types, [p for p in out if p.iri != RDF.type], inc, uses)


def _true(term: Node | None) -> bool:
    return term is not None and str(term).lower() in ("true", "1")


def _properties(rows: list[dict[str, Node]], var: str, label_var: str, known_var: str) -> list[Property]:
    by_pred: dict[URIRef, dict[Node, Arc]] = defaultdict(dict)
    pred_known: dict[URIRef, bool] = {}
    for r in rows:
        term, pred = r[var], r["p"]
        arc = by_pred[pred].setdefault(term, Arc(pred, term, None, set(), _true(r.get(known_var))))
        label = better_label(Literal(arc.label) if arc.label else None, r.get(label_var))
        arc.label = text(label)
        pred_known[pred] = pred_known.get(pred, False) or _true(r.get("pKnown"))
        if r.get("g") is not None:
            arc.graphs.add(str(r["g"]))
    return [Property(p, pred_known[p], list(arcs.values()))
            for p, arcs in sorted(by_pred.items(), key=lambda kv: str(kv[0]))]


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
