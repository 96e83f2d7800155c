"""What the document viewer and the resource pages show, read from a ``Store`` as plain data.

The document viewer lays a document's text out with its provisions and mentions marked
(``page_text.layout``) beside what it says of its network; a resource page lists what the graph
says about any IRI and what points to it, marking which linked resources have pages of their own.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from torkg import iris
from torkg.api.page_data import (MODALITIES, DocSummary, better_label, document_text, documents, integer,
                                 run, text)
from torkg.api.page_text import Block, layout, trim_leading_lines
from torkg.store import Store

STRUCTURE_ORDER = ["coordinator", "secretariat", "chair", "co-chairs", "members", "bodies",
                   "decision rule", "guided by", "working principles", "adopts the principles of",
                   "engages", "part of"]


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
    blocks = trim_leading_lines(layout(body, provisions.values(), mentions.values()))
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
