"""One document through every ingestion stage, as plain data.

read -> metadata (catalog, inference, flags) -> segment -> spaCy -> mentions -> provisions ->
structure facts -> ``Extraction`` -> triples. No store access here (see ``ingest/run.py``).
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from torkg.catalog import override, to_meta
from torkg.ingest import nlp as nlp_loader
from torkg.ingest.entities import mentions_of
from torkg.ingest.infer import infer_meta
from torkg.ingest.model import DocumentMeta, Extraction, SourceText
from torkg.ingest.provisions import extract_provisions
from torkg.ingest.segment import segment
from torkg.ingest.structure import extract_facts

MENTION_COMPONENT = "torkg_mentions"


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """The spaCy model with torkg's entity-linking component added (cached per model name)."""
    nlp = nlp_loader.load(model)
    if MENTION_COMPONENT not in nlp.pipe_names:
        # The statistical NER is not used (entities come from the reference data): disable it.
        nlp.add_pipe(MENTION_COMPONENT, last=True)
    return nlp


def resolve_meta(doc_id: str, text: str, entry: dict[str, str] | None = None,
                 flags: dict[str, str | None] | None = None) -> DocumentMeta:
    """Inferred metadata, overridden by the catalog entry, overridden by command-line flags."""
    meta = infer_meta(doc_id, text)
    if entry:
        meta = to_meta(doc_id, entry, meta)
    elif meta.level in ("regional", "country") and meta.doc_type == "terms-of-reference" and not meta.parent:
        meta = replace(meta, parent="global-tor")
    return override(meta, **(flags or {}))


def extract(source: SourceText, meta: DocumentMeta, nlp: Language | None = None) -> Extraction:
    """Every stage on one document's text."""
    nlp = nlp or load_pipeline()
    text = source.text
    seg = segment(text)
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    doc = nlp(text)
    mentions = mentions_of(doc)
    provisions = extract_provisions(doc, seg, mentions, meta)
    facts = extract_facts(doc, seg, mentions, provisions, meta)
    return Extraction(meta=meta, source=source, parts=list(seg.parts), units=list(seg.units),
                      mentions=list(mentions), provisions=list(provisions), facts=list(facts))


def doc_id_for(path: Path) -> str:
    """A document's id: its file stem, lower-cased, with spaces as dashes."""
    return path.stem.strip().lower().replace(" ", "-")
