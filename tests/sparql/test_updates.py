"""SPARQL Update, enabled by UPDATE_TOKEN for a server of files (off by default: see
test_protocol for the 403 of a read-only endpoint)."""

from __future__ import annotations

import urllib.parse

import pytest
import rdflib

from .conftest import EX, UPDATE_TOKEN

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}


def update(server, text: str, headers=None, as_form: bool = False):
    if as_form:
        return server.post("/sparql", urllib.parse.urlencode({"update": text}).encode(),
                           "application/x-www-form-urlencoded", headers=headers)
    return server.post("/sparql", text.encode(), "application/sparql-update", headers=headers)


def ask(server, pattern: str) -> bool:
    return server.query(f"ASK {{ {pattern} }}").json()["boolean"]


def test_files_are_all_served(update_server):
    assert ask(update_server, f"<{EX}korea> a <{EX}Place>")          # from extra.ttl
    assert ask(update_server, f"GRAPH <{EX}graph1> {{ <{EX}doc1> a <{EX}Document> }}")


@pytest.mark.parametrize("headers", [None, {"Authorization": "Bearer wrong"},
                                     {"Authorization": f"Basic {UPDATE_TOKEN}"}])
def test_update_needs_the_token(update_server, headers):
    reply = update(update_server, f"INSERT DATA {{ <{EX}x> <{EX}y> <{EX}z> }}", headers)
    assert reply.status == 403
    assert reply.json()["error"] == "update-forbidden"
    assert not ask(update_server, f"<{EX}x> <{EX}y> <{EX}z>")


@pytest.mark.parametrize("as_form", [False, True])
def test_update_with_the_token_is_seen_by_every_worker(update_server, as_form):
    subject = f"<{EX}inserted-{int(as_form)}>"
    reply = update(update_server, f"INSERT DATA {{ GRAPH <{EX}graph3> {{ {subject} a <{EX}Note> }} }}",
                   AUTH, as_form)
    assert reply.status == 200, reply.body
    assert reply.json()["ok"] is True
    # Several queries, so that both query workers answer at least once.
    for _ in range(6):
        assert ask(update_server, f"{subject} a <{EX}Note>")
    void = rdflib.Graph().parse(data=update_server.get("/.well-known/void").body, format="turtle")
    assert rdflib.URIRef(EX + "graph3") in set(void.objects(None, rdflib.URIRef(
        "http://www.w3.org/ns/sparql-service-description#name")))


def test_delete_where(update_server):
    assert update(update_server, f"DELETE WHERE {{ <{EX}korea> ?p ?o }}", AUTH).status == 200
    for _ in range(4):
        assert not ask(update_server, f"<{EX}korea> ?p ?o")


def test_update_syntax_error(update_server):
    reply = update(update_server, "INSERT DATA { <a> }", AUTH)
    assert reply.status == 400
    payload = reply.json()
    assert payload["error"] == "syntax-error"
    assert payload["position"]["line"] == 1


def test_load_is_refused_even_with_the_token(update_server, recorder):
    reply = update(update_server, f"LOAD <{recorder.url}/data.nt>", AUTH)
    assert reply.status == 403
    assert reply.json()["error"] == "load-not-allowed"
    reply = update(update_server, f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }} ;\nLOAD <{recorder.url}/data.nt>", AUTH)
    assert reply.status == 403
    assert not any("data.nt" in hit for hit in recorder.hits)


def test_service_in_update_is_refused(update_server):
    reply = update(update_server, f"INSERT {{ ?s a <{EX}T> }} WHERE {{ SERVICE <http://example.com/sparql> "
                                  "{ ?s ?p ?o } }", AUTH)
    assert reply.status == 403
    assert reply.json()["error"] == "service-not-allowed"


def test_query_sent_as_update(update_server):
    reply = update(update_server, "SELECT * WHERE { ?s ?p ?o }", AUTH)
    assert reply.status == 400
    assert reply.json()["error"] == "query-as-update"


def test_update_sent_as_query(update_server):
    reply = update_server.query(f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}")
    assert reply.status == 400
    assert reply.json()["error"] == "update-as-query"


def test_update_by_get(update_server):
    reply = update_server.get(params={"update": "CLEAR ALL"}, headers=AUTH)
    assert reply.status == 400
    assert reply.json()["error"] == "update-needs-post"
    assert ask(update_server, "?s ?p ?o")


def test_service_description_announces_updates(update_server):
    g = rdflib.Graph().parse(data=update_server.get("/sparql", headers={"Accept": "text/turtle"}).body,
                             format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) in g


def test_a_built_release_is_never_updated(build_server):
    reply = update(build_server, f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}", AUTH)
    assert reply.status == 403              # no token configured there: read-only
    assert reply.json()["error"] == "read-only"
