"""The corpus catalog: validation messages and precedence of catalog, inference and flags."""
from __future__ import annotations

from pathlib import Path

import pytest

from torkg.catalog import CatalogError, load_catalog, override, to_meta, validate_entry
from torkg.ingest.model import DocumentMeta

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus-seed"


def test_corpus_catalog_describes_every_document():
    entries = load_catalog(CORPUS)
    stems = {p.stem for p in CORPUS.glob("*.md")}
    assert set(entries) == stems
    for doc_id, e in entries.items():
        assert {"title", "type", "date", "language", "source"} <= set(e), doc_id
        if e.get("level") in ("regional", "country") and e["type"] == "terms-of-reference":
            assert e["parent"] == "global-tor"
    assert entries["kyrgyzstan-tor"]["country"] == "KG"


@pytest.mark.skipif(not SEED.exists(), reason="shared seed corpus not present")
def test_corpus_documents_are_the_seed_byte_for_byte():
    for seed in SEED.iterdir():
        assert (CORPUS / seed.name).read_bytes() == seed.read_bytes()


@pytest.mark.parametrize("entry, field, words", [
    ({"level": "nation"}, "level", "must be one of global, regional, country"),
    ({"country": "Kyrgyzstan"}, "country", "ISO 3166-1 alpha-2"),
    ({"region": "Asia"}, "region", "UN M49"),
    ({"date": "March 2020"}, "date", "ISO 8601"),
    ({"colour": "blue"}, "colour", "unknown field"),
    ({"title": 3}, "title", "non-empty string"),
    ({"parent": "Global ToR"}, "parent", "lower-case"),
])
def test_malformed_entry_names_file_entry_and_field(entry, field, words):
    with pytest.raises(CatalogError) as e:
        validate_entry("corpus/catalog.toml", "ghana-tor", entry)
    msg = str(e.value)
    assert msg.startswith("corpus/catalog.toml: entry 'ghana-tor'")
    assert repr(field) in msg and words in msg


def test_malformed_catalog_file_is_reported(tmp_path):
    (tmp_path / "catalog.toml").write_text("[documents.x\ntitle = 1", encoding="utf-8")
    with pytest.raises(CatalogError, match="catalog.toml: not valid TOML"):
        load_catalog(tmp_path)
    (tmp_path / "catalog.toml").write_text('[documents.x]\nlevel = "planet"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"entry 'x': field 'level'"):
        load_catalog(tmp_path)


def test_catalog_overrides_inference_and_flags_override_catalog():
    inferred = DocumentMeta(id="x", title="Inferred", level="regional", network="guessed",
                            inferred=("title", "level", "network"))
    entry = validate_entry("catalog.toml", "x", {"level": "country", "network": "ghana", "country": "gh"})
    meta = to_meta("x", entry, inferred)
    assert (meta.level, meta.network, meta.country, meta.title) == ("country", "ghana", "GH", "Inferred")
    assert meta.inferred == ("title",)
    meta = override(meta, network="ghana-2", level=None)
    assert meta.network == "ghana-2" and meta.level == "country"
