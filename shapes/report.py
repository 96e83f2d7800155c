"""Alignment reports for people and programs: JSON (the eval export), a terminal table, a
printable HTML page, and the raw SHACL validation report as Turtle.

>>> to_json([])
{}
"""
from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping

from jinja2 import Environment

from torkg.iris import PREFIXES

from .check import AlignmentReport, Verdict
from .spans import Span

STATUS_SYMBOLS = {"aligned": "\u2713", "missing": "?", "conflict": "\u2717"}


def _reports(reports: Iterable[AlignmentReport] | Mapping[str, AlignmentReport] | AlignmentReport
             ) -> list[AlignmentReport]:
    if isinstance(reports, AlignmentReport):
        return [reports]
    if isinstance(reports, Mapping):
        return list(reports.values())
    return list(reports)


def _span(s: Span | None, with_iri: bool = False) -> dict | None:
    if s is None:
        return None
    out = {"start": s.start, "end": s.end, "text": s.text}
    if with_iri:
        out["iri"] = str(s.iri)
    return out


# --- JSON ----------------------------------------------------------------------------------------

def verdict_json(v: Verdict, report: AlignmentReport | None = None) -> dict:
    """One verdict in the eval SCHEMA.md section 4 ``alignment`` shape (with evidence)."""
    out: dict = {"status": v.status}
    if v.count is not None:
        out["count"] = v.count
    out["evidence"] = {"checked": [_span(s) for s in v.checked], "global": _span(v.global_evidence, True)}
    out["shape"] = str(v.shape)
    out["message"] = v.message
    if v.requirement == "objectives-coverage" and report is not None:
        out["of"] = report.objectives
        out["pairs"] = [{"objective": c.number, "score": c.score, "shared": list(c.shared),
                         "global": _span(c.objective, True), "checked": _span(c.counterpart)}
                        for c in report.correspondences]
    return out


def to_json(reports) -> dict:
    """``{doc: {requirement: {"status", "count"?, "evidence", "shape", "message"}}}``."""
    return {r.doc_id: {req: verdict_json(v, r) for req, v in r.verdicts.items()} for r in _reports(reports)}


# --- terminal table ------------------------------------------------------------------------------

def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, width: int) -> str:
    text = _one_line(text)
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "\u2026"


def to_table(reports, width: int | None = None) -> str:
    """One row per requirement: id, verdict, and a quote of the evidence (the checked clause, else
    the message) cut to fit ``width`` columns (default: the terminal's width)."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    id_width = max([len(req) for r in _reports(reports) for req in r.verdicts] + [11])
    lines = []
    for report in _reports(reports):
        covered = report.verdicts.get("objectives-coverage")
        title = f"{report.doc_id}  (against {str(report.global_doc).rsplit('/', 1)[-1]})"
        lines.append(_cut(title, width))
        lines.append("-" * min(width, max(len(title), 40)))
        for req, v in report.verdicts.items():
            head = f"{req:<{id_width}}  {STATUS_SYMBOLS[v.status]} {v.status:<8}  "
            if v.count is not None:
                quote = f"{v.count}/{report.objectives} objectives covered"
            elif v.checked:
                quote = "\u201c" + _one_line(v.checked[0].text) + "\u201d"
            else:
                quote = v.message
            lines.append((head + _cut(quote, width - len(head)))[:width])
        counts = {s: sum(v.status == s for v in report.verdicts.values()) for s in STATUS_SYMBOLS}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items())
        if covered is not None:
            summary += f"; {covered.count}/{report.objectives} objectives covered"
        lines.append(_cut(summary, width))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_HTML = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Alignment with the global ToR{% if reports|length == 1 %}: {{ reports[0].doc_id }}{% endif %}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em; color: #222; }
  h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  th, td { border: 1px solid #bbb; padding: .45em .6em; vertical-align: top; text-align: left; }
  th { background: #f2f2f2; }
  col.req { width: 18%; } col.verdict { width: 11%; } col.clause { width: 35.5%; }
  .verdict { font-weight: 600; white-space: nowrap; }
  /* Okabe-Ito colours (safe for colour-blind readers), always with a text label and a symbol */
  .aligned  { background: #e5f1f8; color: #004a75; border-left: 6px solid #0072B2; }
  .missing  { background: #fdf3df; color: #6b4a00; border-left: 6px solid #E69F00; }
  .conflict { background: #fbe7dc; color: #7a2e00; border-left: 6px solid #D55E00; }
  blockquote { margin: 0; white-space: pre-wrap; }
  .offsets, .message, .faq { color: #555; font-size: .85em; }
  .pairs td { font-size: .9em; }
  @media print { body { margin: 1cm; } tr { page-break-inside: avoid; } h2 { page-break-before: always; }
                 h2:first-of-type { page-break-before: auto; } }
</style>
</head>
<body>
<h1>Alignment with the global Terms of Reference</h1>
<p>Each requirement of the FAQ on country and regional networks (2020, section iv) is checked
against the global ToR: <strong>{{ symbols.aligned }} aligned</strong> (the ToR says something that
meets it), <strong>{{ symbols.missing }} missing</strong> (it says nothing about it),
<strong>{{ symbols.conflict }} conflict</strong> (it says something that contradicts it).</p>
{% for r in reports %}
<h2>{{ r.doc_id }}</h2>
<p>Checked against <code>{{ r.global_doc }}</code>.
{{ counts[loop.index0].aligned }} aligned, {{ counts[loop.index0].missing }} missing,
{{ counts[loop.index0].conflict }} conflict.</p>
<table>
<colgroup><col class="req"><col class="verdict"><col class="clause"><col class="clause"></colgroup>
<thead><tr><th>Requirement</th><th>Verdict</th><th>Clause of this ToR</th><th>Clause of the global ToR</th></tr></thead>
<tbody>
{% for req, v in r.verdicts.items() %}
<tr id="{{ r.doc_id }}-{{ req }}">
  <td><strong>{{ v.label or req }}</strong><br><span class="faq">{{ req }} &middot; {{ v.faq_point }}</span></td>
  <td class="verdict {{ v.status }}">{{ symbols[v.status] }} {{ v.status }}{% if v.count is not none %}<br>{{ v.count }} of {{ r.objectives }}{% endif %}</td>
  <td>{% for s in v.checked %}<blockquote>{{ s.text }}</blockquote><div class="offsets">characters {{ s.start }}&ndash;{{ s.end }}</div>{% else %}<em>nothing found</em>{% endfor %}
      <div class="message">{{ v.message }}</div></td>
  <td>{% if v.global_evidence %}<blockquote>{{ v.global_evidence.text }}</blockquote><div class="offsets">characters {{ v.global_evidence.start }}&ndash;{{ v.global_evidence.end }}</div>{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
{% if r.correspondences %}
<h3>Objective coverage</h3>
<table class="pairs">
<colgroup><col class="req"><col class="verdict"><col class="clause"><col class="clause"></colgroup>
<thead><tr><th>Global objective</th><th>Score</th><th>Counterpart in this ToR</th><th>Shared terms</th></tr></thead>
<tbody>
{% for c in r.correspondences %}
<tr><td>{{ c.number }}. {{ c.objective.text }}</td><td>{{ "%.2f"|format(c.score) }}</td>
    <td>{{ c.counterpart.text }}</td><td>{{ c.shared|join(", ") }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% endfor %}
</body>
</html>
""")


def to_html(reports) -> str:
    """A self-contained printable HTML report; all document text is HTML-escaped."""
    rs = _reports(reports)
    counts = [{s: sum(v.status == s for v in r.verdicts.values()) for s in STATUS_SYMBOLS} for r in rs]
    return _HTML.render(reports=rs, counts=counts, symbols=STATUS_SYMBOLS)


# --- Turtle --------------------------------------------------------------------------------------

def to_turtle(report: AlignmentReport) -> str:
    """The SHACL validation report of one check, as Turtle."""
    graph = report.results
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    return graph.serialize(format="turtle")


__all__ = ["to_html", "to_json", "to_table", "to_turtle", "verdict_json"]
