"""The competency questions (all three vocabularies) answered by `archivekg serve --store`
over Virtuoso give the embedded store's answers, except where a store difference documented
in server/stores.md is the reason: those are listed here, and asserted to still differ, so
that the documentation is corrected when the store is."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from test_competency import QUERIES, normalise

from archivekg.cli.query import run_query

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

# Virtuoso 7.2.5 answers a date range open below (`?d <= "…"^^xsd:date` with no lower bound on
# ?d) with no row when it runs it as an index range; it gives the value of a boolean expression
# (a comparison, EXISTS) as the integer 1 or 0 (server/stores.md, "Known differences").
DATE_RANGE, BOOLEAN = "open-below xsd:date range", "boolean as integer"
VIRTUOSO_DIFFERENCES = {
    "deport-date-range.rq": DATE_RANGE,
    "journal-plenum-dates.rq": DATE_RANGE,
    "journal-plenum-dates.schema.rq": DATE_RANGE,
    "journal-plenum-dates.crm.rq": DATE_RANGE,
    "journal-bare-kim.rq": BOOLEAN,
    "journal-bare-kim.crm.rq": BOOLEAN,
    "journal-possibly-same-kim-nam-il.rq": BOOLEAN,
}


def rows_of(payload: dict, base: str) -> list[dict]:
    variables = payload["head"]["vars"]
    out = []
    for row in payload["results"]["bindings"]:
        item = {}
        for v in variables:
            binding = row.get(v)
            if binding is None:
                item[v] = None
            elif binding["type"] == "uri" and binding["value"].startswith(base + "id/"):
                item[v] = "id:" + binding["value"][len(base) + 3:]
            elif binding["type"] == "uri" and binding["value"].startswith("https://w3id.org/archivekg/ontology#"):
                item[v] = "akg:" + binding["value"].split("#", 1)[1]
            else:
                item[v] = binding["value"]
        out.append(item)
    return out


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_competency_question_from_the_store(query, store_server, store, built):
    base = built["settings"]["BASE_IRI"]
    text = query.read_text(encoding="utf-8")
    reply = store_server.post("/sparql", text.encode("utf-8"), "application/sparql-query",
                              headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.text
    payload = reply.json()
    local = run_query(store, text, base)
    if "boolean" in payload:
        assert payload["boolean"] is bool(local)
        return
    assert payload["head"]["vars"] == [v.value for v in local.variables]
    remote = rows_of(payload, base)
    here = [{v.value: normalise(solution[v], base) for v in local.variables} for solution in local]
    key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
    same = (remote == here) if "ORDER BY" in text.upper() else Counter(map(key, remote)) == Counter(map(key, here))
    difference = VIRTUOSO_DIFFERENCES.get(query.name)
    if difference == DATE_RANGE:
        # Virtuoso 7.2.5 answers these date ranges with no row on most runs and with the
        # embedded store's rows on some (seen once in a fresh-clone CI run, 2026-12-06): either
        # is its answer; any other is not.
        assert here and (remote == [] or same), (remote, here)
    elif difference is not None:
        assert not same, (f"{query.name} now gets the embedded store's answer from Virtuoso: remove it "
                          "from VIRTUOSO_DIFFERENCES and from server/stores.md")
        # the same rows, with 1 and 0 where the embedded store says true and false
        as_integers = [{k: {"true": "1", "false": "0"}.get(v, v) for k, v in row.items()} for row in here]
        assert Counter(map(key, remote)) == Counter(map(key, as_integers))
    else:
        assert same, (remote, here)
