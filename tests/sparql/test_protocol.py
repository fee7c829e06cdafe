"""The SPARQL 1.1 Protocol over HTTP: the three ways to send a query, the dataset
parameters, and every error the endpoint answers, in its one error shape."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from .conftest import EX

SELECT_DOCS = f"SELECT ?doc WHERE {{ ?doc a <{EX}Document> }} ORDER BY ?doc"
DOCS = [EX + "doc1", EX + "doc2"]


def bindings(reply, var):
    assert reply.status == 200, reply.body
    return [row[var]["value"] for row in reply.json()["results"]["bindings"]]


def assert_error(reply, status: int, code: str) -> dict:
    """The pinned error shape: ok/status/error/message, plus optional keys."""
    assert reply.status == status, reply.body
    assert reply.content_type == "application/json"
    payload = reply.json()
    assert payload["ok"] is False
    assert payload["status"] == status
    assert payload["error"] == code
    assert isinstance(payload["message"], str) and len(payload["message"]) > 20
    assert list(payload)[:4] == ["ok", "status", "error", "message"]
    return payload


# -- the three ways to send a query ------------------------------------------------------

def test_get(server):
    assert bindings(server.query(SELECT_DOCS), "doc") == DOCS


def test_post_form(server):
    body = urllib.parse.urlencode({"query": SELECT_DOCS}).encode()
    reply = server.post("/sparql", body, "application/x-www-form-urlencoded")
    assert bindings(reply, "doc") == DOCS


def test_post_form_with_charset_and_dataset_in_url(server):
    body = urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o }"}).encode()
    reply = server.post("/sparql", body, "application/x-www-form-urlencoded; charset=UTF-8",
                        params={"default-graph-uri": EX + "graph2"})
    subjects = bindings(reply, "s")
    assert {s for s in subjects if s.startswith("http")} == {EX + "doc2", EX + "stalin"}
    assert len(subjects) == 10              # graph2's ten triples, one of them about a blank node


def test_post_sparql_query_body(server):
    reply = server.post("/sparql", SELECT_DOCS.encode(), "application/sparql-query")
    assert bindings(reply, "doc") == DOCS


def test_post_sparql_query_body_with_dataset_in_url(server):
    reply = server.post("/sparql", b"SELECT DISTINCT ?s WHERE { ?s a ?c }", "application/sparql-query",
                        params={"default-graph-uri": EX + "graph1"})
    assert sorted(bindings(reply, "s")) == [EX + "doc1", EX + "kim"]


def test_non_ascii_query(server):
    reply = server.query('SELECT ?doc WHERE { ?doc <http://purl.org/dc/terms/title> "Телеграмма из Пхеньяна"@ru }')
    assert bindings(reply, "doc") == [EX + "doc1"]


def test_head_is_allowed(server):
    reply = server.request("HEAD", "/sparql?" + urllib.parse.urlencode({"query": SELECT_DOCS}))
    assert reply.status == 200
    assert reply.body == b""


# -- the dataset: union by default, protocol parameters override FROM ------------------

def test_default_graph_is_the_union_of_all_graphs(server):
    reply = server.query("SELECT DISTINCT ?s WHERE { ?s a ?c } ORDER BY ?s")
    assert EX + "archive" in bindings(reply, "s")          # default graph
    assert {EX + "doc1", EX + "doc2"} <= set(bindings(reply, "s"))


def test_from_selects_a_graph(server):
    reply = server.query(f"SELECT ?doc FROM <{EX}graph2> WHERE {{ ?doc a <{EX}Document> }}")
    assert bindings(reply, "doc") == [EX + "doc2"]


def test_from_named(server):
    reply = server.query(f"SELECT ?g ?doc FROM NAMED <{EX}graph1> "
                         f"WHERE {{ GRAPH ?g {{ ?doc a <{EX}Document> }} }}")
    assert bindings(reply, "g") == [EX + "graph1"]


def test_default_graph_uri_overrides_from(server):
    query = f"SELECT ?doc FROM <{EX}graph2> WHERE {{ ?doc a <{EX}Document> }}"
    reply = server.query(query, **{"default-graph-uri": EX + "graph1"})
    assert bindings(reply, "doc") == [EX + "doc1"]


def test_several_default_graph_uris_are_merged(server):
    reply = server.get(params={"query": SELECT_DOCS,
                               "default-graph-uri": [EX + "graph1", EX + "graph2"]})
    assert bindings(reply, "doc") == DOCS


def test_named_graph_uri_overrides_from_named(server):
    query = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?doc a <{EX}Document> }} }} ORDER BY ?g"
    reply = server.query(query, **{"named-graph-uri": EX + "graph2"})
    assert bindings(reply, "g") == [EX + "graph2"]
    # With only named graphs given, the default graph is empty.
    reply = server.query(SELECT_DOCS, **{"named-graph-uri": EX + "graph2"})
    assert bindings(reply, "doc") == []


def test_invalid_graph_uri(server):
    assert_error(server.query(SELECT_DOCS, **{"default-graph-uri": "not an iri"}),
                 400, "invalid-graph-uri")


# -- 400 ------------------------------------------------------------------------------------

def test_syntax_error_has_position(server):
    reply = server.query("SELECT ?s WHERE {\n  ?s ?p \n}")
    payload = assert_error(reply, 400, "syntax-error")
    # The parser's own position: at, or just after, the "}" where a triple term was expected.
    assert payload["position"]["line"] == 3
    assert payload["position"]["column"] in (1, 2)
    assert f"3:{payload['position']['column']}" in payload["message"]


def test_missing_query_in_form_post(server):
    reply = server.post("/sparql", b"format=json", "application/x-www-form-urlencoded")
    assert_error(reply, 400, "missing-query")


def test_missing_query_with_dataset_parameter(server):
    assert_error(server.get(params={"default-graph-uri": EX + "graph1"}), 400, "missing-query")


def test_empty_query(server):
    assert_error(server.query("   "), 400, "missing-query")


def test_repeated_query(server):
    reply = server.get(params={"query": [SELECT_DOCS, SELECT_DOCS]})
    payload = assert_error(reply, 400, "repeated-query")
    assert "2 times" in payload["message"]


def test_query_in_body_and_url(server):
    body = urllib.parse.urlencode({"query": SELECT_DOCS}).encode()
    reply = server.post("/sparql", body, "application/x-www-form-urlencoded", params={"query": SELECT_DOCS})
    assert_error(reply, 400, "query-in-body-and-url")
    reply = server.post("/sparql", SELECT_DOCS.encode(), "application/sparql-query",
                        params={"query": SELECT_DOCS})
    assert_error(reply, 400, "query-in-body-and-url")


def test_body_not_utf8(server):
    reply = server.post("/sparql", "SELECT * WHERE { ?s ?p 'é' }".encode("latin-1"),
                        "application/sparql-query")
    assert_error(reply, 400, "not-utf8")


def test_form_body_not_utf8(server):
    reply = server.post("/sparql", b"query=SELECT%20%E9", "application/x-www-form-urlencoded")
    assert_error(reply, 400, "not-utf8")


def test_url_not_utf8(server):
    reply = server.request("GET", "/sparql?query=SELECT%20%FF")
    assert_error(reply, 400, "not-utf8")


def test_query_and_update_together(server):
    body = urllib.parse.urlencode({"query": SELECT_DOCS, "update": "CLEAR ALL"}).encode()
    reply = server.post("/sparql", body, "application/x-www-form-urlencoded")
    assert_error(reply, 400, "query-and-update")


# -- 403, 405, 406, 413, 415, 404 ------------------------------------------------------------

def test_update_parameter_is_refused(server):
    body = urllib.parse.urlencode({"update": f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}"}).encode()
    payload = assert_error(server.post("/sparql", body, "application/x-www-form-urlencoded"),
                           403, "read-only")
    assert "read-only" in payload["message"]


def test_update_body_is_refused(server):
    reply = server.post("/sparql", b"CLEAR ALL", "application/sparql-update")
    assert_error(reply, 403, "read-only")


def test_update_sent_as_query_is_refused(server):
    reply = server.query(f"PREFIX ex: <{EX}>\nDELETE WHERE {{ ?s ?p ?o }}")
    payload = assert_error(reply, 403, "update-as-query")
    assert "DELETE" in payload["message"]
    # ...and nothing was deleted.
    assert bindings(server.query(SELECT_DOCS), "doc") == DOCS


def test_update_by_get_is_refused(server):
    assert_error(server.get(params={"update": "CLEAR ALL"}), 403, "read-only")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods(server, method):
    reply = server.request(method, "/sparql", data=b"x" if method != "DELETE" else None)
    assert_error(reply, 405, "method-not-allowed")
    assert set(reply.header("Allow").replace(" ", "").split(",")) >= {"GET", "POST"}


def test_unsupported_content_type(server):
    reply = server.post("/sparql", b'{"query": "ASK {}"}', "application/json")
    payload = assert_error(reply, 415, "unsupported-media-type")
    assert "application/sparql-query" in payload["acceptable"]
    assert "application/x-www-form-urlencoded" in payload["acceptable"]


def test_post_without_content_type(server):
    reply = server.request("POST", "/sparql", data=b"ASK {}",
                           headers={"Content-Type": ""})
    assert_error(reply, 415, "unsupported-media-type")


def test_unsupported_charset(server):
    reply = server.post("/sparql", "ASK {}".encode("utf-16"), "application/sparql-query; charset=utf-16")
    assert_error(reply, 415, "unsupported-charset")


def test_body_too_large(server):
    query = "ASK { ?s ?p ?o } #" + "x" * (70 * 1024)
    reply = server.post("/sparql", query.encode(), "application/sparql-query")
    payload = assert_error(reply, 413, "request-too-large")
    assert str(64 * 1024) in payload["message"]


def test_not_acceptable(server):
    reply = server.query(SELECT_DOCS, accept="image/png")
    payload = assert_error(reply, 406, "not-acceptable")
    assert payload["acceptable"][0] == "application/sparql-results+json"
    assert "text/csv" in payload["acceptable"]
    reply = server.query(f"CONSTRUCT WHERE {{ ?s a <{EX}Document> }}", accept="application/sparql-results+json")
    payload = assert_error(reply, 406, "not-acceptable")
    assert "text/turtle" in payload["acceptable"]


def test_unknown_path(server):
    assert_error(server.get("/nothing-here"), 404, "not-found")


# -- the error shape, for browsers and plain clients -----------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_error_as_html_for_browsers(server):
    reply = server.query("SELECT <oops", accept=BROWSER)
    assert reply.status == 400
    assert reply.content_type == "text/html"
    assert "<h1>400 syntax-error</h1>" in reply.text
    assert "&lt;" in reply.text or "<oops" not in reply.text   # user text is escaped


def test_error_as_text_for_plain_clients(server):
    reply = server.post("/sparql", SELECT_DOCS.encode(), "application/sparql-query",
                        headers={"Accept": "text/plain"}, params={"query": "ASK {}"})
    assert reply.status == 400
    assert reply.content_type == "text/plain"
    assert reply.text.startswith("400 query-in-body-and-url: ")
    reply = server.query("SELECT ?s WHERE { ?s ?p }", accept="text/plain")
    assert reply.status == 406          # no SELECT result format is text/plain...
    assert reply.content_type == "text/plain"          # ...but the error still is
    assert 'acceptable: ["application/sparql-results+json"' in reply.text


def test_error_json_for_curl(server):
    reply = server.query("SELECT", accept="*/*")
    assert reply.content_type == "application/json"
    assert json.loads(reply.body)["error"] == "syntax-error"
