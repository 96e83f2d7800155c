"""Fixtures shared by several test modules."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from torkg import iris

CORPUS = Path(iris.__file__).parent.parent / "corpus"


@pytest.fixture(scope="session")
def seed_graphs() -> dict[str, Graph]:
    """The graphs of the global, Asia-Pacific and Kyrgyz ToRs of corpus/, through the real
    ingestion pipeline (catalogue metadata included), by document id."""
    pipeline = pytest.importorskip("torkg.ingest.pipeline")
    from torkg.catalog import load_catalog
    from torkg.ingest.read import read_document
    from torkg.ingest.run import known_entities
    from torkg.ingest.to_rdf import Run, document_triples
    catalog = load_catalog(CORPUS)
    graphs = {}
    for doc_id in ("global-tor", "asia-pacific-tor", "kyrgyzstan-tor"):
        source = read_document(CORPUS / f"{doc_id}.md")
        extraction = pipeline.extract(source, pipeline.resolve_meta(doc_id, source.text, catalog.get(doc_id)))
        g = Graph()
        for triple in document_triples(extraction, Run.now("test", "0"), known_entities()):
            g.add(triple)
        graphs[doc_id] = g
    return graphs
