"""One document through every ingestion stage, as plain data.

read -> metadata (catalog, inference, flags) -> segment -> spaCy -> mentions -> provisions ->
structure facts -> ``Extraction`` -> triples. No store access here (see ``ingest/run.py``).
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from spacy.language import Language

from torkg.catalog import override, to_meta
from torkg.ingest import nlp as nlp_loader
from torkg.ingest.entities import mentions_of
from torkg.ingest.infer import infer_meta
from torkg.ingest.model import DocumentMeta, Extraction, SourceText
from torkg.ingest.provisions import extract_provisions
from torkg.ingest.read import doc_id_for  # noqa: F401 (re-exported)
from torkg.ingest.segment import segment
from torkg.ingest.structure import extract_facts

MENTION_COMPONENT = "torkg_mentions"


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """The spaCy model (cached per model name), with torkg's entity-linking component built."""
    nlp = nlp_loader.load(model)
    _ruler(nlp)
    return nlp


@lru_cache(maxsize=4)
def _ruler(nlp: Language):
    """The reference-data mention component, run on its own over the raw text (below)."""
    return nlp.create_pipe(MENTION_COMPONENT)


def resolve_meta(doc_id: str, text: str, entry: dict[str, str] | None = None,
                 flags: dict[str, str | None] | None = None) -> DocumentMeta:
    """Inferred metadata, overridden by the catalog entry, overridden by command-line flags."""
    meta = infer_meta(doc_id, text)
    if entry:
        meta = to_meta(doc_id, entry, meta)
    elif meta.level in ("regional", "country") and meta.doc_type == "terms-of-reference" and not meta.parent:
        meta = replace(meta, parent="global-tor")
    return override(meta, **(flags or {}))


def find_mentions(text: str, nlp: Language | None = None) -> list:
    """Mentions of reference resources, matched on the raw text's tokens (no statistical model)."""
    nlp = nlp or load_pipeline()
    return mentions_of(_ruler(nlp)(nlp.make_doc(text)))


def extract(source: SourceText, meta: DocumentMeta, nlp: Language | None = None) -> Extraction:
    """Every stage on one document's text."""
    nlp = nlp or load_pipeline()
    text = source.text
    seg = segment(text)
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    # The parse runs on the segmenter's cleaned text: the same length (offsets unchanged) with
    # markup, list markers and footnote marks blanked, so headings and bullets do not skew it.
    doc = nlp(seg.clean)
    # Mentions are matched on the raw text's tokens: footnotes and member lists that the cleaned
    # text blanks out still name entities. The matcher needs no statistical model.
    mentions = find_mentions(text, nlp)
    provisions = extract_provisions(doc, seg, mentions, meta)
    facts = extract_facts(doc, seg, mentions, provisions, meta)
    return Extraction(meta=meta, source=source, parts=list(seg.parts), units=list(seg.units),
                      mentions=list(mentions), provisions=list(provisions), facts=list(facts))
