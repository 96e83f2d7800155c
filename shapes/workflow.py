"""Running alignment checks against a store: stored ToRs, and drafts that are never stored.

Validation sees only the checked document's graph, its parent (global) ToR's graph, the ontology
and the reference data, so the cost of a check does not grow with the corpus.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rdflib import Graph

from torkg import iris
from torkg.store import Store

from .check import AlignmentError, AlignmentReport, check_document, report_graph

CHECKABLE = """
PREFIX tor: <https://w3id.org/torkg/def#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?id ?parent WHERE {
  GRAPH ?g {
    ?doc a tor:TermsOfReference ; dct:identifier ?id ; tor:level ?level .
    OPTIONAL { ?doc tor:parentDocument ?parent }
  }
  FILTER(?level IN (tor:RegionalLevel, tor:CountryLevel))
}
ORDER BY ?id
"""
DEFAULT_PARENT = "global-tor"


def checkable(store: Store) -> dict[str, str]:
    """Stored regional and country ToRs, each with the id of the ToR it is checked against."""
    _, rows = store.select(CHECKABLE)
    return {str(r["id"]): (iris.doc_id_of(r["parent"]) if "parent" in r else None) or DEFAULT_PARENT
            for r in rows}


def _graph(store: Store, doc_id: str, role: str) -> Graph:
    g = store.graph(str(iris.doc_graph(doc_id)))
    if len(g) == 0:
        raise AlignmentError(f"the {role} {doc_id!r} is not in the store; ingest it first "
                             "(`torkg ingest PATH`)")
    return g


def check_stored(store: Store, ids: list[str] | None = None, *, save: bool = True) -> list[AlignmentReport]:
    """Check stored regional/country ToRs (all of them when ``ids`` is None).

    With ``save``, each report is written to its own named graph ``torg:alignment/{id}``.
    """
    known = checkable(store)
    if ids:
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise AlignmentError(f"not a stored regional or country ToR: {', '.join(unknown)} "
                                 f"(checkable: {', '.join(known) or 'none'})")
    targets = ids or list(known)
    parents: dict[str, Graph] = {}
    reports = []
    for doc_id in targets:
        parent = known[doc_id]
        if parent not in parents:
            parents[parent] = _graph(store, parent, "global ToR")
        reports.append(check_document(_graph(store, doc_id, "document"), parents[parent]))
    if save and reports:
        store.replace_graphs({str(iris.alignment_graph(r.doc_id)): report_graph(r, r.doc_id)
                              for r in reports})
    return reports


def draft_graph(data: bytes, filename: str, overrides: dict[str, str | None] | None = None) -> Graph:
    """A draft read, extracted and written as RDF in memory (never stored)."""
    from torkg.ingest.pipeline import doc_id_for, extract, load_pipeline, resolve_meta
    from torkg.ingest.read import read_bytes
    from torkg.ingest.run import known_entities
    from torkg.ingest.to_rdf import Run, document_triples
    from torkg.ingest import nlp as nlp_loader

    source = read_bytes(data, filename)
    doc_id = doc_id_for(Path(filename))
    meta = resolve_meta(doc_id, source.text, None, overrides or {})
    # A draft is checked as a regional or country ToR even when its text does not say which.
    if meta.level not in ("regional", "country"):
        meta = replace(meta, level="country", inferred=meta.inferred + ("level",))
    meta = replace(meta, doc_type="terms-of-reference", network=meta.network or f"draft-{doc_id}",
                   parent=meta.parent or DEFAULT_PARENT)
    nlp = load_pipeline()
    ex = extract(source, meta, nlp)
    g = Graph()
    for t in document_triples(ex, Run.now(*nlp_loader.model_info(nlp)), known_entities()):
        g.add(t)
    return g


def check_draft(store: Store, data: bytes, filename: str,
                overrides: dict[str, str | None] | None = None) -> AlignmentReport:
    """The policy officer's workflow: check a draft file against the stored global ToR."""
    g = draft_graph(data, filename, overrides)
    parent = (overrides or {}).get("parent") or DEFAULT_PARENT
    return check_document(g, _graph(store, parent, "global ToR"))


def statuses(report: AlignmentReport) -> list[str]:
    return list(report.statuses().values())
