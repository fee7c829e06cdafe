"""Safe for a public deployment: time limit, result limit, no network, resilient workers,
access log."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
import urllib.parse

import pytest
import rdflib

from .conftest import EX, cpu_seconds

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIMIT = 3.0          # big_server's QUERY_TIMEOUT
MARGIN = 5.0


# -- the time limit --------------------------------------------------------------------------

def test_runaway_query_is_stopped_while_others_are_served(big_server):
    outcome = {}

    def runaway():
        started = time.monotonic()
        outcome["reply"] = big_server.query(RUNAWAY)
        outcome["elapsed"] = time.monotonic() - started
        outcome["finished"] = time.monotonic()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    simple = big_server.query(f"SELECT ?v WHERE {{ <{EX}item1> <{EX}value> ?v }}")
    simple_finished = time.monotonic()
    assert simple.status == 200
    assert simple.json()["results"]["bindings"][0]["v"]["value"] == "1"
    assert simple_finished - started < LIMIT - 0.5          # served while the runaway runs
    thread.join(timeout=LIMIT + 30)

    reply = outcome["reply"]
    assert outcome["finished"] > simple_finished
    assert reply.status == 503
    payload = reply.json()
    assert payload["error"] == "query-timeout"
    assert "3 s" in payload["message"] and "QUERY_TIMEOUT" in payload["message"]
    assert LIMIT - 0.5 <= outcome["elapsed"] < LIMIT + MARGIN

    # The work really stopped: the server's processes are idle again...
    time.sleep(0.3)
    pids = big_server.descendants() + [big_server.process.pid]
    before = cpu_seconds(pids)
    time.sleep(1.5)
    assert cpu_seconds(pids) - before < 0.5
    # ...and a replacement worker serves.
    health = big_server.get("/health").json()
    assert health["workers"] == {"workers": 2, "idle": 2, "missing": 0}
    assert big_server.query("ASK { ?s ?p ?o }").json()["boolean"] is True
    assert '"GET /sparql" 503' in big_server.log()


def test_killed_worker_is_replaced(big_server):
    gunicorn_workers = [p for p in big_server.descendants() if _parent(p) == big_server.process.pid]
    query_workers = [p for p in big_server.descendants() if _parent(p) in gunicorn_workers]
    assert len(query_workers) == 2
    os.kill(query_workers[0], signal.SIGKILL)
    time.sleep(0.2)
    for _ in range(4):
        assert big_server.query("ASK { ?s ?p ?o }").status == 200
    assert big_server.get("/health").json()["workers"]["workers"] == 2


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


# -- the result limit -------------------------------------------------------------------------

def test_select_is_truncated_with_a_signal(big_server):
    reply = big_server.query("SELECT * WHERE { ?s ?p ?o }")
    assert reply.status == 200
    assert len(reply.json()["results"]["bindings"]) == 100
    assert reply.header("X-ArchiveKG-Truncated") == "true"
    assert reply.header("X-ArchiveKG-Result-Limit") == "100"
    assert reply.header("X-ArchiveKG-Result-Count") == "100"
    assert reply.header("Warning").startswith("199 ")
    csv_reply = big_server.query("SELECT * WHERE { ?s ?p ?o }", accept="text/csv")
    assert csv_reply.text.count("\r\n") == 101


def test_construct_is_truncated(big_server):
    reply = big_server.query("CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert reply.header("X-ArchiveKG-Truncated") == "true"
    assert len(rdflib.Graph().parse(data=reply.body, format="nt")) == 100


def test_results_within_the_limit_are_not_marked(big_server):
    for query in ("SELECT * WHERE { ?s ?p ?o } LIMIT 100", "SELECT * WHERE { ?s ?p ?o } LIMIT 7"):
        reply = big_server.query(query)
        assert reply.header("X-ArchiveKG-Truncated") is None
        assert reply.header("Warning") is None
    assert big_server.query("SELECT * WHERE { ?s ?p ?o } LIMIT 7").header("X-ArchiveKG-Result-Count") == "7"


# -- no network -------------------------------------------------------------------------------

def test_service_to_an_unlisted_endpoint_is_refused(server, recorder):
    hits = len(recorder.hits)
    for endpoint in (recorder.url + "/elsewhere", "http://example.com/sparql"):
        reply = server.query(f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
        assert reply.status == 403
        payload = reply.json()
        assert payload["error"] == "service-not-allowed"
        assert payload["endpoint"] == endpoint
        assert "SERVICE_ALLOWLIST" in payload["message"] or "allowed endpoints" in payload["message"]
    reply = server.query(f"select * where {{ service silent <{recorder.url}/x> {{ ?s ?p ?o }} }}")
    assert reply.status == 403
    assert len(recorder.hits) == hits


def test_service_disguised_is_refused(server, recorder):
    hits = len(recorder.hits)
    escaped = "".join(f"\\u{ord(c):04x}" for c in recorder.url + "/x")
    for query in (
        f"PREFIX r: <{recorder.url}/> SELECT * WHERE {{ SERVICE r:x {{ ?s ?p ?o }} }}",
        f"BASE <{recorder.url}/> SELECT * WHERE {{ SERVICE <x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE # a comment\n <{recorder.url}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{recorder.url}/x> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ):
        reply = server.query(query)
        assert reply.status == 403, query
        assert reply.json()["error"] == "service-not-allowed"
    assert len(recorder.hits) == hits


def test_service_word_in_literals_and_comments_is_harmless(server):
    reply = server.query('SELECT ?s WHERE { ?s ?p "SERVICE <http://example.com/>" } '
                         '# SERVICE <http://example.com/>\n')
    assert reply.status == 200
    assert reply.json()["results"]["bindings"] == []


def test_allowlisted_service_is_called(server, recorder):
    hits = len(recorder.hits)
    reply = server.query(f"SELECT ?remote WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?remote ?p ?o }} }}")
    assert reply.status == 200, reply.body
    assert [b["remote"]["value"] for b in reply.json()["results"]["bindings"]] == [EX + "from-remote"]
    assert len(recorder.hits) == hits + 1


def test_from_never_fetches(server, recorder):
    hits = len(recorder.hits)
    reply = server.query(f"SELECT * FROM <{recorder.url}/data.nt> WHERE {{ ?s ?p ?o }}")
    assert reply.status == 200
    assert reply.json()["results"]["bindings"] == []
    reply = server.query("SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": recorder.url + "/data.nt"})
    assert reply.json()["results"]["bindings"] == []
    assert len(recorder.hits) == hits


def test_load_is_refused(server, recorder):
    body = urllib.parse.urlencode({"update": f"LOAD <{recorder.url}/data.nt>"}).encode()
    reply = server.post("/sparql", body, "application/x-www-form-urlencoded")
    assert reply.status == 403
    reply = server.query(f"LOAD <{recorder.url}/data.nt>")
    assert reply.status == 403
    assert reply.json()["error"] == "update-as-query"
    assert not any("data.nt" in hit for hit in recorder.hits)


# -- the access log ---------------------------------------------------------------------------

def test_access_log_has_status_duration_and_query_form(server):
    server.query("SELECT * WHERE { ?s ?p ?o } LIMIT 2")
    server.query("SELECT oops")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        log = server.log()
        ok = re.search(r'"GET /sparql" 200 \d+\.\dms form=SELECT results=2\b', log)
        bad = re.search(r'"GET /sparql" 400 \d+\.\dms form=SELECT', log)
        if ok and bad:
            break
        time.sleep(0.1)
    assert ok and bad, log[-2000:]
