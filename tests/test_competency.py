"""The competency questions of tests/competency/ answered by the built graph.

Each `<slug>.rq` (and its CIDOC-CRM-only `.crm.rq` / schema.org-only `.schema.rq` twins)
must give exactly the rows of `<slug>.expected.json`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from archivekg.cli.query import run_query

FOLDER = Path(__file__).parent / "competency"
QUERIES = sorted(FOLDER.glob("*.rq"))
AKG = "https://w3id.org/archivekg/ontology#"


def expected_for(query: Path) -> dict:
    slug = query.name[: -len(".rq")]
    for twin in (".crm", ".schema"):
        if slug.endswith(twin):
            slug = slug[: -len(twin)]
    return json.loads((FOLDER / f"{slug}.expected.json").read_text(encoding="utf-8"))


def normalise(term, base: str) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(base + "id/"):
            return "id:" + term.value[len(base) + 3:]
        if term.value.startswith(AKG):
            return "akg:" + term.value[len(AKG):]
        return term.value
    return term.value


def test_there_are_enough_questions():
    plain = [q for q in QUERIES if not q.name.endswith((".crm.rq", ".schema.rq"))]
    assert len(plain) >= 35
    assert len([q for q in QUERIES if q.name.endswith(".crm.rq")]) >= 5
    assert len([q for q in QUERIES if q.name.endswith(".schema.rq")]) >= 5


def test_every_question_says_what_it_asks_and_answers():
    for query in QUERIES:
        text = query.read_text(encoding="utf-8")
        assert "# Q:" in text and "# A:" in text, query.name


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_competency_question(query, store, built):
    base = built["settings"]["BASE_IRI"]
    expected = expected_for(query)
    results = run_query(store, query.read_text(encoding="utf-8"), base)
    if "boolean" in expected:
        assert isinstance(results, ox.QueryBoolean), "an ASK query was expected"
        assert bool(results) is expected["boolean"]
        return
    variables = [v.value for v in results.variables]
    rows = [{v: normalise(solution[v], base) for v in variables} for solution in results]
    want = [{k: (None if v is None else str(v)) for k, v in row.items()} for row in expected["rows"]]
    if expected.get("ordered"):
        assert rows == want
    else:
        key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
        assert Counter(map(key, rows)) == Counter(map(key, want))
