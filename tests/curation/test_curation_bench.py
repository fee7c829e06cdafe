"""The curation benchmark, small: it scores the shipped documents left out in turn and a few
generated ones, and times a few imports.  The figures it prints are in benchmarks/README.md; here
only that it runs and that its counting holds (no timing asserted)."""

from __future__ import annotations

import json
import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT))

from benchmarks import curation_bench
from benchmarks.generate import generate

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means


def test_curation_bench_runs_and_scores(tmp_path, capsys):
    out = tmp_path / "figures.json"
    curation_bench.main(["--generated", "6", "--speed", "8", "--json", str(out)])
    figures = json.loads(out.read_text(encoding="utf-8"))
    shipped = figures["shipped"]
    # The shipped corpus: 4 numbers (two decrees, two document numbers), 38 figures, all found.
    assert (shipped["number"]["truth"], shipped["figure"]["truth"]) == (4, 38)
    for kind, scores in shipped.items():
        assert scores["found"] <= scores["truth"] and scores["right"] <= scores["judged"], kind
    assert figures["speed"]["documents"] == 8 and figures["speed"]["proposals"] > 0
    printed = capsys.readouterr().out
    assert "The three shipped documents, each left out in turn" in printed and "Speed: 8 generated" in printed


def test_complete_truth_keeps_the_texts(tmp_path):
    """--complete annotates more, and writes the same texts."""
    plain, complete = generate(12, 3, tmp_path / "a", shipped=False), generate(12, 3, tmp_path / "b", shipped=False,
                                                                               complete=True)
    texts = sorted(p.name for p in (plain / "documents").glob("*.txt"))
    assert texts == sorted(p.name for p in (complete / "documents").glob("*.txt"))
    for name in texts:
        assert (plain / "documents" / name).read_bytes() == (complete / "documents" / name).read_bytes()
    statements = sum((complete / "annotations" / p.name).read_text().count("- quote:")
                     > p.read_text().count("- quote:") for p in (plain / "annotations").glob("*.yaml"))
    assert statements >= 1
