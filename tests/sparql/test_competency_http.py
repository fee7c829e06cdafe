"""The competency questions answered through HTTP equal the local answers.

The endpoint serves the shipped corpus as built by the session fixture; every question of
tests/competency/ is sent by POST (application/sparql-query), its SPARQL JSON results are
parsed back, and compared with `archivekg query`'s answer over the same store.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from test_competency import QUERIES, normalise

from archivekg.cli.query import run_query

from .conftest import start_server

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means


@pytest.fixture(scope="module")
def corpus_server(built, tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("cq-server"),
                          settings={"BUILD_DIR": built["settings"]["BUILD_DIR"]})
    yield server
    server.stop()


def _from_json(binding: dict, base: str) -> str | None:
    if binding is None:
        return None
    value = binding["value"]
    if binding["type"] == "uri":
        if value.startswith(base + "id/"):
            return "id:" + value[len(base) + 3:]
        if value.startswith("https://w3id.org/archivekg/ontology#"):
            return "akg:" + value.split("#", 1)[1]
    return value


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_competency_question_over_http(query, corpus_server, store, built):
    base = built["settings"]["BASE_IRI"]
    text = query.read_text(encoding="utf-8")
    reply = corpus_server.post("/sparql", text.encode("utf-8"), "application/sparql-query",
                               headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.text
    payload = reply.json()
    local = run_query(store, text, base)
    if "boolean" in payload:
        assert payload["boolean"] is bool(local)
        return
    variables = payload["head"]["vars"]
    assert variables == [v.value for v in local.variables]
    remote = [{v: _from_json(row.get(v), base) for v in variables} for row in payload["results"]["bindings"]]
    here = [{v: normalise(solution[v], base) for v in variables} for solution in local]
    key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
    if "ORDER BY" in text.upper():
        assert remote == here
    else:
        assert Counter(map(key, remote)) == Counter(map(key, here))
