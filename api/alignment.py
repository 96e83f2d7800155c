"""Stored alignment reports, read back from the store and shaped for policy officers.

The JSON follows the evaluation contract (``{doc: {requirement: {"status": ..., ...}}}``) and adds
each verdict's evidence: the checked clauses and the global clauses, as character spans with text.
Drafts are checked by ``torkg.shapes.workflow`` inside a query worker (``tasks.check_draft``).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from torkg import queries
from torkg.api import html
from torkg.store import Store

OBJECTIVES_REQUIREMENT = "objectives-coverage"


def _value(row: dict, key: str):
    v = row.get(key)
    if v is None:
        return None
    py = v.toPython() if hasattr(v, "toPython") else v
    if isinstance(py, Decimal):
        return float(py)
    return py if isinstance(py, (int, float, bool)) else str(v)


def reports(store: Store) -> list[dict]:
    """Every regional and country ToR with a summary of its stored report (or ``report: None``)."""
    _, rows = store.select(queries.load("alignment-reports").text)
    out = []
    for r in rows:
        has = r.get("report") is not None
        out.append({"doc": str(r["doc"]), "title": _value(r, "title"), "level": _value(r, "level"),
                    "report": str(r["report"]) if has else None,
                    "generated": _value(r, "generated"),
                    "aligned": int(r["aligned"]) if has and "aligned" in r else None,
                    "missing": int(r["missing"]) if has and "missing" in r else None,
                    "conflict": int(r["conflict"]) if has and "conflict" in r else None,
                    "url": f"/alignment/{r['doc']}"})
    return out


def _span(row: dict, prefix: str = "", with_iri: bool = False) -> dict | None:
    """A span as the checker's JSON has it: start, end, text (and iri for global clauses)."""
    key = (lambda name: prefix + name.capitalize()) if prefix else (lambda name: name)
    if row.get(key("span")) is None:
        return None
    out = {"start": _value(row, key("start")), "end": _value(row, key("end")), "text": _value(row, key("text"))}
    if with_iri:
        out["iri"] = str(row[key("span")])
    return out


def stored_report(store: Store, doc_id: str) -> tuple[dict, dict] | None:
    """The stored report of ``doc_id`` in the shape ``torkg.shapes.report.to_json`` gives a fresh
    one (``{doc_id: {requirement: {"status", "count"?, "evidence": {"checked", "global"}, "shape",
    "message"}}}``), and its metadata (report IRI, generation time); None if there is none."""
    q = queries.load("alignment-report")
    _, rows = store.select(q.text, queries.bind_params(q, {"document": doc_id}))
    if not rows:
        return None
    verdicts: dict[str, dict] = {}
    for r in rows:
        v = verdicts.setdefault(str(r["requirement"]), {"status": str(r["status"])})
        if r.get("count") is not None:
            v["count"] = int(r["count"])
        evidence = v.setdefault("evidence", {"checked": [], "global": None})
        v["shape"] = _value(r, "shape")
        v["message"] = _value(r, "comment")
        span = _span(r, with_iri=str(r.get("evidence")) == "global")
        if span is None:
            continue
        if str(r.get("evidence")) == "checked":
            if span not in evidence["checked"]:
                evidence["checked"].append(span)
        elif evidence["global"] is None:
            evidence["global"] = span
    q = queries.load("objective-correspondences")
    _, pairs = store.select(q.text, queries.bind_params(q, {"document": doc_id}))
    if pairs or OBJECTIVES_REQUIREMENT in verdicts:
        v = verdicts.setdefault(OBJECTIVES_REQUIREMENT, {"status": "missing",
                                                         "evidence": {"checked": [], "global": None}})
        v["pairs"] = [{"objective": _value(p, "objective"), "score": _value(p, "score"),
                       "shared": [t for t in str(p.get("sharedTerms") or "").split(", ") if t],
                       "global": _span(p, "global", with_iri=True), "checked": _span(p)} for p in pairs]
        v.setdefault("count", len({p["objective"] for p in v["pairs"]}))
    meta = {"report": str(rows[0]["report"]), "generated": _value(rows[0], "generated")}
    return {doc_id: dict(sorted(verdicts.items()))}, meta


# --- HTML for people ---------------------------------------------------------------------------
def _evidence_html(spans: list[dict]) -> str:
    return "<br>".join(f"{html.text(s.get('text') or '')} <small>[{s.get('start')}–{s.get('end')}]</small>"
                       for s in spans)


def report_page(report: dict, meta: dict, alternates=()) -> str:
    blocks = []
    for doc, verdicts in report.items():
        rows = []
        by_status = defaultdict(int)
        for req, v in verdicts.items():
            by_status[v["status"]] += 1
            note = (v.get("message") or "") + (f" (objectives covered: {v['count']})" if "count" in v else "")
            evidence = v.get("evidence") or {}
            rows.append((f"<code>{html.text(req)}</code>",
                         f'<span class="{html.text(v["status"])}">{html.text(v["status"])}</span>',
                         html.text(note), _evidence_html(evidence.get("checked") or []),
                         _evidence_html([evidence["global"]] if evidence.get("global") else [])))
        summary = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
        blocks.append(f"<h2>{html.text(doc)}</h2><p>{html.text(summary)}"
                      + (f" · generated {html.text(meta['generated'])}" if meta.get("generated") else "")
                      + "</p>" + html.table(["requirement", "verdict", "note", "this document says",
                                            "the global ToR says"], rows))
    return html.page("Alignment report", "".join(blocks), alternates)


def list_page(items: list[dict]) -> str:
    rows = [(f'<a href="{html.text(i["url"])}">{html.text(i["doc"])}</a>', html.text(i["title"] or ""),
             html.text(i["level"] or ""),
             html.text("no report stored" if i["report"] is None else
                       f"{i['aligned']} aligned, {i['missing']} missing, {i['conflict']} in conflict"))
            for i in items]
    form = ('<h2>Check a draft</h2><form method="post" action="/alignment" enctype="multipart/form-data">'
            '<input type="file" name="file" accept=".txt,.md,.pdf,.docx"> '
            '<select name="level"><option value="">level…</option><option>regional</option>'
            '<option>country</option></select> <button type="submit">Check</button></form>')
    return html.page("Alignment with the global ToR",
                     html.table(["document", "title", "level", "verdicts"], rows) + form)
