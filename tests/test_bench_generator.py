"""The synthetic ToR generator (bench/generate.py) and the quick benchmark, end to end."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.generate import document_spec, generate_corpus, places, render
from torkg.catalog import load_catalog
from torkg.ingest.infer import infer_meta

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate_corpus(60, out, seed=3)
    return out


def manifest(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines()]


def test_deterministic_and_prefix_stable(tmp_path):
    assert render(document_spec(11, 5)) == render(document_spec(11, 5))
    assert render(document_spec(11, 5)) != render(document_spec(11, 6))
    small = tmp_path / "small"
    generate_corpus(5, small, seed=3)
    big = tmp_path / "big"
    generate_corpus(9, big, seed=3)
    for spec in manifest(small):
        name = f"{spec['doc_id']}.md"
        assert (small / name).read_text() == (big / name).read_text()


def test_ids_unique_across_every_place_and_version():
    ids = [document_spec(i).doc_id for i in range(len(places()) * 2 + 7)]
    assert len(ids) == len(set(ids))
    assert len({p.slug for p in places()}) == len(places()) > 200


def test_sizes_follow_real_tors(corpus):
    tors = [s for s in manifest(corpus) if s["doc_type"] == "terms-of-reference"]
    words = [s["words"] for s in tors]
    assert all(1300 <= w <= 4000 for w in words), words
    assert max(words) - min(words) > 1000          # not all the same length


def test_varied_structure_wording_omissions_conflicts(corpus):
    specs = manifest(corpus)
    for key in ("heading", "bullet", "modal", "doc_type", "level"):
        assert len(Counter(s[key] for s in specs)) >= 2, key
    assert len(Counter(s["heading"] for s in specs)) >= 5
    assert sum(bool(s["omissions"]) for s in specs) >= 10
    conflicts = Counter(c for s in specs for c in s["conflicts"])
    assert len(conflicts) >= 3, conflicts
    texts = {s["doc_id"]: (corpus / f"{s['doc_id']}.md").read_text() for s in specs}
    assert any(re.search(r"^\| .* \|$", t, re.M) for t in texts.values())            # tables
    assert any(re.search(r"^\(b\) ", t, re.M) for t in texts.values())              # (a)/(b) items
    assert any(re.search(r"\bshall\b", t) for t in texts.values())
    for s in specs:
        text = texts[s["doc_id"]]
        if "majority" in s["conflicts"]:
            assert re.search(r"majority", text)
        if "biennial" in s["conflicts"]:
            assert re.search(r"every two years|biennial meeting", text)
        if "principles" in s["omissions"]:
            assert "following principles" not in text and "working principles of the global" not in text


def test_catalog_is_valid_and_uncatalogued_documents_are_inferred(corpus):
    catalog = load_catalog(corpus)
    specs = manifest(corpus)
    assert "global-tor" in catalog
    catalogued = [s for s in specs if s["catalogued"]]
    assert catalogued and len(catalogued) < len(specs)
    for s in catalogued:
        assert catalog[s["doc_id"]]["network"] == s["place"]["slug"]
    inferred = [s for s in specs if not s["catalogued"] and s["doc_type"] == "terms-of-reference"]
    found = [infer_meta(s["doc_id"], (corpus / f"{s['doc_id']}.md").read_text()) for s in inferred]
    assert sum(m.doc_type == "terms-of-reference" and m.level in ("country", "regional") for m in found) \
        >= len(found) * 0.6


@pytest.mark.slow
def test_quick_bench_runs_end_to_end(tmp_path):
    env = {**os.environ, "TORKG_BENCH_WORK": str(tmp_path / "work"), "TORKG_BENCH_RESULTS": str(tmp_path / "results")}
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--quick", "--sizes", "1"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = tmp_path / "results"
    ingest = json.loads((res / "quick-ingest.json").read_text())
    assert ingest["machine"]["cores_logical"] >= 1 and ingest["machine"]["packages"]["pyoxigraph"]
    ratio = ingest["ratio"]["median"]
    assert 0 < ratio["ratio_jobs1_vs_floor"] < 5 and ratio["gain_jobs2"] > 0
    scale = ingest["scale"][0]
    assert scale["store_bytes"] > 0 and scale["reingest_unchanged"]["wall_s"] < scale["ingest"]["wall_s"]
    queries = json.loads((res / "quick-queries.json").read_text())["sizes"][0]
    for system in ("pyoxigraph", "torkg-http", "rdflib", "rdflib-endpoint"):
        docs = queries["systems"][system]["documents"]
        assert docs["p50_ms"] > 0, (system, docs)
    rows = {s: queries["systems"][s]["documents"]["rows"] for s in queries["systems"]}
    assert len(set(rows.values())) == 1, rows          # every system gives the same answer
    assert {t["clients"] for t in queries["throughput"]["torkg-http"]} == {1, 4, 16}
    checks = json.loads((res / "quick-checks.json").read_text())["sizes"][0]
    assert checks["median"]["nlp_s"] > 0 and checks["median"]["pyshacl_s"] > 0
    assert (res / "quick-ingest.png").stat().st_size > 1000
    assert "| target |" in (res / "quick-tables.md").read_text()
