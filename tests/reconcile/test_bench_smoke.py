"""benchmarks/reconcile_bench.py, small: over the shipped corpus's build, one batch and a few
suggests, to keep the script working.  No timing is asserted (benchmarks/README.md)."""

from __future__ import annotations

import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT))

from benchmarks import reconcile_bench

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means


def test_the_benchmark_serves_the_build_and_prints_its_figures(built, capsys):
    reconcile_bench.main(["--build", built["settings"]["BUILD_DIR"], "--data", str(ROOT / "data"),
                          "--batches", "2", "--suggests", "5"])
    out = capsys.readouterr().out
    assert "partner sheet at this size: 50/50 right first, 0 wrong match" in out
    assert "50-name batch: p50" in out and "(n=2)" in out
    assert "entity suggest: p50" in out and "(n=5)" in out
