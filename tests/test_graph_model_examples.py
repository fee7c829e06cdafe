"""The example queries of docs/graph-model.md give the answers printed under them.

Each ```sparql block of the page is followed by "Answer:" and a ```json block in the format of
the competency questions' .expected.json; the query is run over the built graph (union default
graph) and must give exactly those rows.  The examples show the standard terms, so they use
none of ours.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_competency import normalise

from archivekg.cli.query import run_query

PAGE = Path(__file__).resolve().parent.parent / "docs" / "graph-model.md"
EXAMPLE = re.compile(r"```sparql\n(.*?)```\nAnswer:\n```json\n(.*?)```", re.DOTALL)
EXAMPLES = EXAMPLE.findall(PAGE.read_text(encoding="utf-8"))


def test_every_example_query_has_its_answer():
    text = PAGE.read_text(encoding="utf-8")
    assert len(EXAMPLES) == text.count("```sparql") >= 8


@pytest.mark.parametrize("query, answer", EXAMPLES, ids=[f"example-{i + 1}" for i in range(len(EXAMPLES))])
def test_example_gives_its_answer(query, answer, store, built):
    assert "akg:" not in query and "archivekg/ontology" not in query
    base = built["settings"]["BASE_IRI"]
    expected = json.loads(answer)
    results = run_query(store, query, base)
    assert isinstance(results, ox.QuerySolutions)
    variables = [v.value for v in results.variables]
    rows = [{v: normalise(solution[v], base) for v in variables} for solution in results]
    want = [{k: (None if v is None else str(v)) for k, v in row.items()} for row in expected["rows"]]
    key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
    assert Counter(map(key, rows)) == Counter(map(key, want))
