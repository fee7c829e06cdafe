"""Federated queries between two archivekg endpoints on 127.0.0.1 (docs/federation.md, whose
queries are run here): a partner queries us with SERVICE, we query an allowlisted partner, and a
partner that fails, refuses or never answers is reported by name without hanging our server."""

from __future__ import annotations

import http.server
import re
import threading
import time

import pytest
from sparql.conftest import start_server

from archivekg.endpoint.network_check import targets

from .conftest import PARTNER, PARTNER_BASE, ROOT

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

RECIPE = ROOT / "docs" / "federation.md"
OURS_IN_DOC = "https://archivekg.example.org/sparql"
PARTNER_IN_DOC = "https://partner.example/sparql"
TIMEOUT = 4


class _Remote(http.server.ThreadingHTTPServer):
    """A partner that misbehaves: ``hang`` never answers (until the test ends), ``fail``
    answers HTTP 500."""

    daemon_threads = True

    def __init__(self, behaviour: str):
        self.behaviour, self.release, self.hits = behaviour, threading.Event(), 0
        super().__init__(("127.0.0.1", 0), _RemoteHandler)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class _RemoteHandler(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        self.server.hits += 1
        if self.server.behaviour == "hang":
            self.server.release.wait(120)
            return
        body = b"the partner's database is down"
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def remotes():
    found = {}
    for behaviour in ("hang", "fail"):
        server = _Remote(behaviour)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        found[behaviour] = server
    yield found
    for server in found.values():
        server.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def closed_endpoint() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"


@pytest.fixture(scope="module")
def federating(built, partner, remotes, closed_endpoint, tmp_path_factory):
    """Our corpus, allowed to call the partner, the misbehaving partners and a closed port."""
    allowed = [partner.endpoint, remotes["hang"].endpoint, remotes["fail"].endpoint, closed_endpoint]
    srv = start_server(tmp_path_factory.mktemp("federating"), settings={
        "BUILD_DIR": built["settings"]["BUILD_DIR"], "QUERY_TIMEOUT": str(TIMEOUT), "QUERY_WORKERS": "1",
        "SERVICE_ALLOWLIST": ",".join(allowed)}, workers=1)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def caller(federating, tmp_path_factory):
    """The partner's dataset on an endpoint allowed to call ours."""
    srv = start_server(tmp_path_factory.mktemp("caller"), files=[PARTNER], settings={
        "BASE_IRI": PARTNER_BASE, "SERVICE_ALLOWLIST": federating.endpoint}, workers=1)
    yield srv
    srv.stop()


def recipe_queries() -> list[str]:
    return re.findall(r"```sparql\n(.*?)```", RECIPE.read_text(encoding="utf-8"), flags=re.S)


def bindings(reply) -> list[dict[str, str]]:
    assert reply.status == 200, reply.text
    return [{k: v["value"] for k, v in row.items()} for row in reply.json()["results"]["bindings"]]


def test_the_recipe_has_a_query_for_each_direction():
    queries = recipe_queries()
    assert len(queries) == 2
    assert OURS_IN_DOC in queries[0] and PARTNER_IN_DOC in queries[1]


def test_another_endpoint_queries_us_with_service(caller, federating):
    query = recipe_queries()[0].replace(OURS_IN_DOC, federating.endpoint)
    rows = bindings(caller.query(query, accept="application/sparql-results+json"))
    found = {(row["theirs"].rsplit("/", 1)[1], row["ourName"], row["document"].rsplit("/", 1)[1]) for row in rows}
    assert ("p-kim-ir-sen", "Kim Il Sung", "journal-ivanov-1955-12-07") in found
    assert ("p-pyongyang", "Pyongyang", "memo-byakov-1954-12-20") in found
    assert {name for _, name, _ in found} == {"Choe Yong-gon", "Kim Il Sung", "Nam Il", "Pak Hon-yong", "Pyongyang"}


def test_we_query_an_allowlisted_partner_with_service(federating, partner):
    query = recipe_queries()[1].replace(PARTNER_IN_DOC, partner.endpoint)
    rows = bindings(federating.query(query, accept="application/sparql-results+json"))
    assert [(r["ours"].rsplit("/", 1)[1], r["theirName"]) for r in rows] == [
        ("choe-yong-gon", "Ch'oe Yong-gŏn"), ("kim-il-sung", "Ким Ир Сен"), ("nam-il", "Nam Il"),
        ("pak-hon-yong", "Pak Hŏn-yŏng"), ("pyongyang", "P'yŏngyang")]


def test_regression_a_service_after_a_prefixed_name_was_refused_as_unreadable():
    """rdflib's parser failed on any SERVICE that followed a prefixed name, so the second
    reading refused nearly every real federated query ("its endpoints could not be checked")."""
    text = recipe_queries()[1]
    assert targets(text, update=False).services == [PARTNER_IN_DOC]
    hidden = "PREFIX e: <http://evil.example/> PREFIX a: <http://a.example/> " \
             "SELECT * WHERE { ?x a:b ?c SERVICE e:steal { ?s ?p ?o } }"
    assert targets(hidden, update=False).services == ["http://evil.example/steal"]


def test_a_partner_that_fails_is_named_in_a_502(federating, remotes, closed_endpoint):
    for endpoint, reason in ((remotes["fail"].endpoint, "Error 500"), (closed_endpoint, "Connection refused")):
        reply = federating.query(f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
        assert reply.status == 502, reply.text
        body = reply.json()
        assert body["error"] == "service-error" and body["endpoints"] == [endpoint]
        assert f"The remote SPARQL endpoint <{endpoint}> failed" in body["message"] and reason in body["message"]


def test_service_silent_keeps_the_rest_of_the_answer_when_the_partner_fails(federating, remotes):
    reply = federating.query(
        "PREFIX akg: <https://w3id.org/archivekg/ontology#> SELECT ?p WHERE { ?p akg:wikidata \"Q41117\" "
        f"SERVICE SILENT <{remotes['fail'].endpoint}> {{ ?s ?x ?o }} }}")
    assert [row["p"] for row in bindings(reply)] == ["https://w3id.org/archivekg/id/kim-il-sung"]


def test_a_partner_that_never_answers_is_stopped_at_the_time_limit_and_named(federating, remotes):
    before = set(federating.descendants())
    outcome = {}

    def ask():
        started = time.monotonic()
        outcome["reply"] = federating.query(f"SELECT * WHERE {{ SERVICE <{remotes['hang'].endpoint}> {{ ?s ?p ?o }} }}")
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=ask)
    thread.start()
    deadline = time.monotonic() + 10
    while remotes["hang"].hits == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert remotes["hang"].hits >= 1, "the query never reached the partner"
    # Meanwhile the server answers: its health, a lookup and a page.
    for path in ("/health", "/page/kim-il-sung"):
        started = time.monotonic()
        assert federating.get(path, headers={"Accept": "text/html"}).status == 200
        assert time.monotonic() - started < 2.0, path
    started = time.monotonic()
    assert bindings(federating.query("PREFIX akg: <https://w3id.org/archivekg/ontology#> "
                                     "SELECT ?p WHERE { ?p akg:wikidata \"Q855\" }"))
    assert time.monotonic() - started < 2.0
    thread.join(TIMEOUT + 20)
    assert not thread.is_alive()
    reply = outcome["reply"]
    assert reply.status == 504, reply.text
    body = reply.json()
    assert body["error"] == "service-timeout" and body["endpoints"] == [remotes["hang"].endpoint]
    assert f"remote SPARQL endpoint <{remotes['hang'].endpoint}>" in body["message"]
    assert f"{TIMEOUT} s (setting QUERY_TIMEOUT)" in body["message"]
    assert TIMEOUT - 0.5 < outcome["seconds"] < TIMEOUT + 5
    # The process that waited on the partner is gone; no other was left behind.
    time.sleep(0.5)
    assert set(federating.descendants()) - before == set()


def test_an_endpoint_outside_the_allowlist_is_still_refused(federating):
    reply = federating.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert reply.status == 403 and reply.json()["error"] == "service-not-allowed"
