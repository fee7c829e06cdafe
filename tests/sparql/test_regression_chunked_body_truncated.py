"""Regression: a chunked POST body larger than MAX_UPLOAD_BYTES was cut at the limit and the
first bytes were run as the query (werkzeug's stream stops there without an error).  A
truncated query can still parse, with another meaning; it must be refused with 413."""

from __future__ import annotations

import http.client
import json

QUERY = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 "


def _post_chunked(server, body: bytes, content_type: str):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("POST", "/sparql")
    connection.putheader("Content-Type", content_type)
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    try:
        connection.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_chunked_query_past_the_limit_is_refused(server):
    limit = int(server.settings["MAX_UPLOAD_BYTES"])
    body = (QUERY + "#" * limit).encode("utf-8")  # still a valid query if cut at the limit
    status, payload = _post_chunked(server, body, "application/sparql-query")
    assert status == 413
    assert json.loads(payload)["error"] == "request-too-large"


def test_chunked_form_past_the_limit_is_refused(server):
    limit = int(server.settings["MAX_UPLOAD_BYTES"])
    body = ("query=" + QUERY + "%23" * limit).encode("ascii")
    status, _ = _post_chunked(server, body, "application/x-www-form-urlencoded")
    assert status == 413


def test_chunked_query_within_the_limit_is_answered(server):
    status, payload = _post_chunked(server, QUERY.encode("utf-8"), "application/sparql-query")
    assert status == 200, payload
    assert "results" in json.loads(payload)
