"""Bad input is harmless: every wrong request gets a clear 4xx in the one error shape (never a
500), and texts that would be syntax to a query parser are only words here."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

LONG = "Kim " * 2500                 # 10,000 characters

# (path, parameters, status, error code, words the message must contain)
REFUSED = [
    ("/search", {"q": LONG}, 400, "search-too-long", "9999 characters long; the most a search takes is 200"),
    ("/search", {"q": "", "format": "json"}, 400, "empty-search", "q="),
    ("/search", {"q": "Kim", "type": "Nope"}, 400, "unknown-facet-value", "type='Nope'"),
    ("/search", {"q": "Kim", "category": "people"}, 400, "unknown-facet-value", "category='people'"),
    ("/search", {"q": "Kim", "certainty": "maybe"}, 400, "unknown-facet-value", "certain, probable, uncertain"),
    ("/search", {"q": "Kim", "status": "done"}, 400, "unknown-facet-value", "planned"),
    ("/search", {"q": "Kim", "document": "../../etc/passwd"}, 400, "unknown-facet-value", "document"),
    ("/search", {"q": "Kim", "colour": "red"}, 400, "unknown-parameter", "'colour'"),
    ("/search", {"q": "Kim", "page": "99"}, 400, "page-out-of-range", "last page"),
    ("/search", {"q": "Kim", "page": "0"}, 400, "bad-page", "page=0"),
    ("/search", {"q": "Kim", "page": "-1"}, 400, "bad-page", "page="),
    ("/search", {"q": "Kim", "page": "two"}, 400, "bad-page", "page='two'"),
    ("/search", {"q": "Kim", "page": "99999999999999"}, 400, "bad-page", "whole number"),
    ("/search", {"q": "Kim", "page": "600"}, 400, "page-out-of-range", "10,000"),
    ("/search", {"q": "Kim", "per_page": "0"}, 400, "bad-per-page", "per_page=0"),
    ("/search", {"q": "Kim", "per_page": "5000"}, 400, "bad-per-page", "1 to 100"),
    ("/search", {"q": "Kim", "from": "1955-13"}, 400, "bad-date", "YYYY-MM"),
    ("/search", {"q": "Kim", "from": "1955-02-30"}, 400, "bad-date", "not a day"),
    ("/search", {"q": "Kim", "from": "1956", "to": "1955"}, 400, "bad-date-range", "after"),
    ("/search", {"q": "Kim", "format": "xml"}, 400, "unknown-format", "html, json"),
    ("/search/complete", {"q": LONG}, 400, "search-too-long", "100"),
    ("/browse/people", {}, 404, "unknown-index", "persons"),
    ("/browse/persons", {"sort": "random"}, 400, "unknown-sort", "name, mentions, date"),
    ("/browse/persons", {"view": "tree"}, 400, "unknown-view", "list"),
    ("/browse/persons", {"category": "place"}, 400, "unknown-facet-value", "person"),
    ("/browse/places", {"view": "tree", "within": "atlantis"}, 404, "unknown-place", "atlantis"),
    ("/browse/persons", {"page": "9"}, 400, "page-out-of-range", "last page"),
]


@pytest.mark.parametrize("path, params, status, code, words", REFUSED,
                         ids=[f"{p} {sorted(q)} {c}" for p, q, _, c, _ in REFUSED])
def test_refused_with_a_clear_answer(client, path, params, status, code, words):
    reply = client.get(path, query_string=params, headers={"Accept": "application/json"})
    assert reply.status_code == status, reply.get_data(as_text=True)[:500]
    body = reply.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"] == code
    assert words in body["message"]


def test_a_browser_gets_the_same_refusal_as_a_page_with_the_search_box(client):
    reply = client.get("/search", query_string={"q": "Kim", "type": "Nope"}, headers={"Accept": "text/html"})
    assert reply.status_code == 400 and reply.content_type.startswith("text/html")
    html = reply.get_data(as_text=True)
    assert "unknown-facet-value" in html and 'role="search"' in html


def test_an_empty_search_in_a_browser_is_the_search_page_with_a_hint(client):
    reply = client.get("/search", query_string={"q": "   "}, headers={"Accept": "text/html"})
    assert reply.status_code == 200
    assert "Type a name in any spelling" in reply.get_data(as_text=True)


SYNTAX = ['"', '""', '"Kim', 'Kim"', "Kim AND", "OR NOT", "*", "Kim*", "(Kim", "Kim)", "title:Kim", "label:x",
          "+Kim -Il", "Kim~2", "Kim^3", "[1954 TO 1955]", "{}", "\\", "/Kim/", "Kim || Pak && Nam", "::", "'; DROP",
          "%", "\x00", "…", "🙂", "<script>alert(1)</script>", "a" * 200]


@pytest.mark.parametrize("text", SYNTAX)
def test_query_syntax_characters_are_only_words(client, text):
    for path in ("/search", "/search/complete", "/browse/persons"):
        reply = client.get(path, query_string={"q": text, "format": "json"} if path != "/search/complete"
                           else {"q": text}, headers={"Accept": "application/json"})
        if path == "/browse/persons":
            assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
            continue
        assert reply.status_code in (200, 400), reply.get_data(as_text=True)[:300]
        if reply.status_code == 400:       # only a text with no word, or too long to complete
            assert reply.get_json()["error"] == ("search-too-long" if len(text) > 100 else "empty-search")


def test_words_inside_syntax_still_find_what_they_name(client):
    for text in ("Kim*", "(Kim Il Sung)", "title:Kim", '"Kim Il Sung', "+Pak -Il-u"):
        results = client.get("/search", query_string={"q": text, "format": "json"}).get_json()["results"]
        assert results, text


def test_a_quoted_phrase_is_a_phrase(client):
    both = client.get("/search", query_string={"q": "grain purchase", "format": "json"}).get_json()
    phrase = client.get("/search", query_string={"q": '"grain abroad"', "format": "json"}).get_json()
    assert both["total"] > 0 and phrase["total"] < both["total"]


def test_markup_in_the_search_text_is_shown_as_text(client):
    html = client.get("/search", query_string={"q": "<script>alert(1)</script>"},
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
