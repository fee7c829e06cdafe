"""The Accept parser and chooser, on their own."""

from __future__ import annotations

import pytest

from archivekg import rdfformats as formats
from archivekg.endpoint.negotiation import MediaRange, choose, parse_accept


def test_parse_accept():
    assert parse_accept("text/html;level=1;q=0.5, */*;q=0.1, bad, a/b;q=2") == (
        MediaRange("text", "html", 0.5), MediaRange("*", "*", 0.1))
    assert parse_accept(None) == (MediaRange("*", "*", 1.0),)
    assert parse_accept('a/b;p="x,y;q=0";q=0.3') == (MediaRange("a", "b", 0.3),)


@pytest.mark.parametrize("accept,expected", [
    ("*/*", "json"),
    ("text/csv, */*", "csv"),                      # a named type beats the wildcard
    ("*/*, text/csv;q=0.9", "json"),
    ("application/*", "json"),
    ("image/png", None),
    ("application/sparql-results+json;q=0, */*;q=0.5", "xml"),
    ("text/xml", "xml"),
])
def test_choose_results(accept, expected):
    chosen = choose(accept, formats.RESULTS)
    assert (chosen.name if chosen else None) == expected


def test_aliases_need_an_exact_match():
    assert choose("text/*", formats.RESULTS).name == "csv"
    assert choose("application/json", formats.GRAPHS).name == "jsonld"
    assert choose("application/xml", formats.GRAPHS).name == "rdfxml"
