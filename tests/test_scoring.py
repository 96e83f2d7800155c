"""The evaluation contract, end to end through the real command line.

`torkg ingest corpus`, `torkg query provisions|structure --format csv` and
`torkg check --format json` are scored by ../shared/eval/score.py; the test fails below the
figures the project commits to (README, "Extraction quality").
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
TORKG = [sys.executable, "-m", "torkg.cli"]

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not present")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scoring")
    env = {**os.environ, "TORKG_STORE": str(tmp / "store")}
    run = lambda *a, **kw: subprocess.run(TORKG + list(a), cwd=ROOT, env=env, capture_output=True,  # noqa: E731
                                          text=True, timeout=600, **kw)
    ingest = run("ingest", "corpus", "--jobs", "2")
    assert ingest.returncode == 0, ingest.stderr
    out = {}
    for name in ("provisions", "structure"):
        res = run("query", name, "--format", "csv")
        assert res.returncode == 0, res.stderr
        out[name] = tmp / f"{name}.csv"
        out[name].write_text(res.stdout, encoding="utf-8")
    check = run("check", "--format", "json")
    assert check.returncode in (0, 1), check.stderr
    out["alignment"] = tmp / "alignment.json"
    out["alignment"].write_text(check.stdout, encoding="utf-8")
    res = subprocess.run([sys.executable, str(SCORER), "--corpus", "corpus", "--gold", str(SHARED / "eval" / "gold"),
                          "--provisions", str(out["provisions"]), "--structure", str(out["structure"]),
                          "--alignment", str(out["alignment"]), "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_provisions_meet_the_committed_figures(exported):
    s = exported["provisions"]["all"]
    assert s["f1"] >= 0.93, s
    assert s["modality_accuracy"] >= 0.97, s
    assert s["bearer_accuracy"] >= 0.90, s


def test_structure_meets_the_committed_figure(exported):
    assert exported["structure"]["all"]["f1"] >= 0.90, exported["structure"]


def test_every_alignment_verdict_is_right(exported):
    a = exported["alignment"]
    assert a["all"]["accuracy"] == 1.0, a
    assert a["all"]["gap_f1"] == 1.0, a
