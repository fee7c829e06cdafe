"""The token-level reading of requests that decides SERVICE refusal, the dataset and the form."""

from __future__ import annotations

import pytest

from archivekg.endpoint.query_text import inspect


@pytest.mark.parametrize("text,form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("  # a comment\nask {}", "ASK"),
    ("PREFIX ex: <http://ex/>\nBASE <http://b/>\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://ex/a>", "DESCRIBE"),
    ("PREFIX : <http://ex/> INSERT DATA { :a :b :c }", "INSERT"),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("LOAD <http://example.com/data.ttl>", "LOAD"),
    ("{ oops }", None),
    ("EXPLAIN SELECT", None),
])
def test_form(text, form):
    assert inspect(text).form == form


@pytest.mark.parametrize("text,services", [
    ("SELECT * WHERE { SERVICE <http://a/sparql> { ?s ?p ?o } }", ["http://a/sparql"]),
    ("select * where { service silent <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("PREFIX e: <http://a/> SELECT * WHERE { SERVICE e:sparql { } }", ["http://a/sparql"]),
    ("PREFIX e: <http://a/> SELECT * WHERE { SERVICE e:sp\\.arql { } }", ["http://a/sp.arql"]),
    ("BASE <http://a/b/> SELECT * WHERE { SERVICE <../c> { } }", ["http://a/c"]),
    (r"SELECT * WHERE { SERVICE <\u0068ttp://a/> { } }", ["http://a/"]),
    ("SELECT * WHERE { SERVICE ?endpoint { } }", [None]),
    ("SELECT * WHERE { SERVICE undeclared:x { } }", [None]),
    ("SELECT * WHERE { SERVICE", [None]),
    ("SELECT * WHERE { SERVICE <http://a/> { SERVICE <http://b/> { } } }", ["http://a/", "http://b/"]),
    ('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }', []),
    ("SELECT * WHERE { ?s ?p '''multi\nSERVICE <http://x/>''' }", []),
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>", []),
    ('SELECT * WHERE { ?s ?p "x"@service ; <http://x/service> ?service . ?s ex:SERVICE ?o }', []),
    ("SELECT * WHERE { FILTER(?a<?b) SERVICE <http://s/> { } }", ["http://s/"]),
])
def test_services(text, services):
    assert inspect(text).services == services


def test_dataset_clause_and_prefixes():
    info = inspect("PREFIX ex: <http://ex/>\nPREFIX : <http://default/>\n"
                   "SELECT * FROM ex:g FROM NAMED <http://h> WHERE { ?s ?p ?o }")
    assert info.has_dataset
    assert info.prefixes == {"ex": "http://ex/", "": "http://default/"}
    assert not inspect("SELECT ?from WHERE { ?s <http://ex/from> ?from }").has_dataset


def test_load_anywhere_in_an_update():
    assert inspect("INSERT DATA { <a> <b> <c> } ; LOAD <http://x/>").loads
    assert not inspect("INSERT DATA { <a> <b> 'LOAD <http://x/>' }").loads
