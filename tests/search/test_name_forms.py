"""Every name form of issue 13 (and more) finds the right entity first, over HTTP.

The table is name_forms.tsv beside this file; the name index's own tests
(tests/names/match_cases.tsv) check the matcher, these check what /search answers: the name
index, the facets' filtering, the full-text hits after it and the ranking of both."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from .conftest import ID

HERE = Path(__file__).resolve().parent


def table() -> list[dict[str, str]]:
    with open(HERE / "name_forms.tsv", encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("case", table(), ids=lambda c: f"{c['query']} ({c['form']})")
def test_the_right_entity_comes_first(client, case):
    reply = client.get("/search", query_string={"q": case["query"], "format": "json"})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    results = reply.get_json()["results"]
    assert results, f"nothing found for {case['query']!r}"
    shown = [(r["id"].removeprefix(ID), r["match"]) for r in results[:3]]
    assert results[0]["id"] == ID + case["expected"], shown


def test_the_table_holds_every_form_the_issue_names():
    queries = {case["query"] for case in table()}
    assert {"Kim Il Sung", "Kim Il-sung", "Kim Ir Sen", "Ким Ир Сен", "김일성", "Pak Il-u", "Pak Il U",
            "Pak Ilu", "1428-326сс", "1428-326cc"} <= queries


def test_the_same_search_as_html_shows_the_entity_first_with_its_type(client):
    html = client.get("/search", query_string={"q": "Ким Ир Сен"}, headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.content_type.startswith("text/html")
    text = html.get_data(as_text=True)
    first = text.index('<li class="hit')
    assert 'href="http://localhost/page/kim-il-sung"' in text[first:text.index("</li>", first)]
    assert '<span class="badge">Person</span>' in text[first:text.index("</li>", first)]
