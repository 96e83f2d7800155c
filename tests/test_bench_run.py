"""The bench runner's result merging (``--add``): sizes a run measures replace saved ones, the
others are kept with the date and machine of the run that measured them."""
from __future__ import annotations

import json

import bench.common as common
import bench.run as run


def test_add_keeps_the_saved_sizes_a_run_did_not_measure(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "RESULTS", tmp_path)
    (tmp_path / "checks.json").write_text(json.dumps({
        "generated": "2026-01-01T00:00:00", "machine": {"cores": 2},
        "sizes": [{"documents": 5, "total_s": 1.0}, {"documents": 1000, "total_s": 2.0}]}))
    new = {"plan": {"drafts": 3}, "sizes": [{"documents": 10000, "total_s": 2.5}, {"documents": 5, "total_s": 0.9}]}
    merged = run.merge_sizes("checks", new)
    assert [(s["documents"], s["total_s"]) for s in merged["sizes"]] == [(5, 0.9), (1000, 2.0), (10000, 2.5)]
    kept = merged["sizes"][1]["measured"]
    assert kept == {"generated": "2026-01-01T00:00:00", "machine": {"cores": 2}}
    assert "measured" not in merged["sizes"][0] and merged["plan"] == {"drafts": 3, "sizes": [5, 1000, 10000]}


def test_add_without_saved_results_is_the_new_run(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "RESULTS", tmp_path)
    new = {"plan": {}, "sizes": [{"documents": 5}]}
    assert run.merge_sizes("queries", new) == new
