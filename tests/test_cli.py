"""The command line as a user meets it: ingest, re-ingest, bad input, remove, export, stats, query."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

GHANA = """Terms of Reference
UN Network on Migration in Ghana

1. Purpose
1.1 The Network shall support the implementation, follow-up and review of the GCM in Ghana.
1.2 IOM shall serve as the Coordinator and Secretariat of the Network.
1.3 The Network shall meet quarterly.
"""


def torkg(store: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "TORKG_STORE": str(store)}
    env.pop("TORKG_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "torkg.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("docs")
    (d / "ghana-tor.md").write_text(GHANA, encoding="utf-8")
    (d / "empty.md").write_text("", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (d / "latin1.md").write_bytes("Le Réseau des Nations Unies sur les migrations".encode("latin-1"))
    with open(d / "huge.md", "wb") as f:         # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    (d / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    return d


def quads(store: Path) -> set:
    res = torkg(store, "export", "--format", "nquads")
    assert res.returncode == 0, res.stderr
    ds = Dataset()
    ds.parse(data=res.stdout, format="nquads")
    # Blank nodes (OWL axioms of the ontology graph) get new labels on every parse: leave them out.
    return {q for q in ds.quads() if "alignment" not in str(q[3])
            and not any(isinstance(t, BNode) for t in q[:3])}


def test_bad_files_are_reported_and_the_rest_is_ingested(tmp_path, folder):
    store = tmp_path / "store"
    res = torkg(store, "ingest", str(folder))
    assert res.returncode == 1
    for name, words in [("empty.md", "empty"), ("binary.txt", "binary"), ("latin1.md", "UTF-8"),
                        ("huge.md", "MB"), ("truncated.pdf", "PDF")]:
        line = next((l for l in res.stderr.splitlines() if name in l), "")
        assert words.lower() in line.lower(), (name, res.stderr)
    assert "Traceback" not in res.stderr
    assert "1 ingested" in res.stdout and "5 failed" in res.stdout
    stats = torkg(store, "stats")
    assert "documents: 1" in stats.stdout


def test_reingest_is_a_no_op_and_a_change_replaces_the_graph(tmp_path):
    store = tmp_path / "store"
    doc = tmp_path / "ghana-tor.md"
    doc.write_text(GHANA, encoding="utf-8")
    assert torkg(store, "ingest", str(doc)).returncode == 0
    before = quads(store)
    again = torkg(store, "ingest", str(doc))
    assert again.returncode == 0 and "1 unchanged" in again.stdout
    assert quads(store) == before
    doc.write_text(GHANA.replace("quarterly", "annually"), encoding="utf-8")
    assert "1 ingested" in torkg(store, "ingest", str(doc)).stdout
    after = quads(store)
    texts = {str(q[2]) for q in after if str(q[1]).endswith("#isString")}
    assert any("annually" in t for t in texts) and not any("quarterly" in t for t in texts)


def test_failed_ingest_of_a_document_leaves_its_stored_version(tmp_path):
    store = tmp_path / "store"
    doc = tmp_path / "ghana-tor.md"
    doc.write_text(GHANA, encoding="utf-8")
    assert torkg(store, "ingest", str(doc)).returncode == 0
    before = quads(store)
    doc.write_bytes(b"\xff\xfe broken \x00")
    res = torkg(store, "ingest", str(doc))
    assert res.returncode == 1 and "ghana-tor.md" in res.stderr
    assert quads(store) == before


def test_remove_query_and_errors(tmp_path):
    store = tmp_path / "store"
    doc = tmp_path / "ghana-tor.md"
    doc.write_text(GHANA, encoding="utf-8")
    assert torkg(store, "ingest", str(doc)).returncode == 0
    rows = torkg(store, "query", "provisions", "--format", "csv", "--param", "document=ghana-tor")
    assert rows.returncode == 0 and rows.stdout.count("ghana-tor,") >= 3, rows.stdout
    bad = torkg(store, "query", "provisions", "--param", "nope=1")
    assert bad.returncode == 2 and "no parameter nope" in bad.stderr and "Traceback" not in bad.stderr
    assert "no query named" in torkg(store, "query", "nothing-here").stderr
    assert torkg(store, "remove", "ghana-tor").returncode == 0
    assert "documents: 0" in torkg(store, "stats").stdout
    assert torkg(store, "remove", "ghana-tor").returncode == 1


def test_malformed_catalog_stops_the_run_before_anything_is_written(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    shutil.copy(CORPUS / "kyrgyzstan-tor.md", d)
    (d / "catalog.toml").write_text('[documents.kyrgyzstan-tor]\nlevel = "nation"\n', encoding="utf-8")
    res = torkg(tmp_path / "store", "ingest", str(d))
    assert res.returncode == 2
    assert "catalog.toml: entry 'kyrgyzstan-tor': field 'level'" in res.stderr


def test_uncatalogued_document_metadata_is_inferred(tmp_path):
    store = tmp_path / "store"
    doc = tmp_path / "ghana-tor.md"
    doc.write_text(GHANA, encoding="utf-8")
    assert torkg(store, "ingest", str(doc)).returncode == 0
    rows = torkg(store, "query", "structure", "--format", "csv").stdout
    assert "ghana-tor,level,country" in rows
    assert "ghana-tor,coordinator,IOM" in rows and "ghana-tor,secretariat,IOM" in rows


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_model_that_cannot_be_loaded_fails_every_document_and_stores_nothing(tmp_path, jobs):
    model = tmp_path / "broken-model"          # a meta.json, no weights
    model.mkdir()
    (model / "meta.json").write_text('{"lang": "en", "name": "core_broken", "version": "1.0.0"}')
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("ghana-tor.md", "togo-tor.md"):
        (docs / name).write_text(GHANA, encoding="utf-8")
    store = tmp_path / "store"
    res = torkg(store, "ingest", str(docs), "--model", str(model), "--jobs", jobs, timeout=300)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "could not be loaded" in res.stderr and "Traceback" not in res.stderr
    assert "2 failed" in res.stdout
    assert "documents: 0" in torkg(store, "stats").stdout
