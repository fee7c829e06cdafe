"""benchmarks/names_bench.py, small: it builds the registries of a 200-document corpus, pads them
to about five names per entity and prints every figure.  No timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import names_bench  # noqa: E402


def test_the_benchmark_index_holds_the_generated_registries_with_about_five_names_each():
    entries = names_bench.entries(200, 1)
    ids = [entry[0] for entry in entries]
    assert len(ids) == len(set(ids)) and "kim-il-sung" in ids
    per_entity = sum(len(entry[2]) for entry in entries) / len(entries)
    assert 4 <= per_entity <= names_bench.NAMES_PER_ENTITY
    assert any(entry[3] > 0 for entry in entries)       # popularity weights reached the index


def test_the_benchmark_prints_match_and_complete_figures(capsys):
    names_bench.main(["--documents", "200", "--queries", "100"])
    printed = capsys.readouterr().out
    for line in ("match, all queries:", "match, other script:", "complete, all prefixes:",
                 "complete, 1 character"):
        assert line in printed
    assert printed.count("p50 ") == printed.count("p99 ") >= 12
