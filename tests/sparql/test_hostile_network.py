"""Hostile input, part 1: no request may make the server reach the network it is not allowed
to reach.  Regression: issue 10's critical SSRF, where ``SERVICE:x`` (the keyword glued to a
prefixed name) passed the endpoint's check and Oxigraph called the address.

Every variant below is sent to a running server whose allowlist holds one endpoint (the
``allowed`` recorder's /sparql) while a second local listener (``forbidden``) fails the test
on any request it receives.  The variants are generated: keyword case and spacing,
SILENT, comments, escapes, prefixes that shadow keywords, BASE, nesting, and positions.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
import threading

import pytest

from .conftest import SAMPLE, UPDATE_TOKEN, Recorder, start_server

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means


@pytest.fixture(scope="module")
def forbidden():
    listener = Recorder()
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    yield listener
    listener.shutdown()
    listener.server_close()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory, recorder):
    srv = start_server(tmp_path_factory.mktemp("hostile-net"), files=[SAMPLE], settings={
        "QUERY_TIMEOUT": "10", "SERVICE_ALLOWLIST": recorder.url + "/sparql",
        "UPDATE_TOKEN": UPDATE_TOKEN}, workers=1)
    yield srv
    srv.stop()


def _queries(evil: str, good: str):
    """SERVICE calls that aim at ``evil``, written every way we know the parser accepts."""
    keywords = ["SERVICE", "service", "SeRvIcE"]
    silent = ["", " SILENT", " silent"]
    gaps = [" ", "", "\n", "\t", " #SERVICE <" + good + ">\n"]
    evil_base, good_base = evil.rsplit("/", 1)[0] + "/", good.rsplit("/", 1)[0] + "/"
    targets = [
        ("", f"<{evil}>"),
        ("", "<" + "".join(f"\\u{ord(c):04x}" if c in "htp" else c for c in evil) + ">"),
        (f"PREFIX e: <{evil_base}> ", "e:" + evil.rsplit("/", 1)[1]),
        (f"PREFIX : <{evil_base}> ", ":" + evil.rsplit("/", 1)[1]),
        (f"PREFIX SILENT: <{good_base}> PREFIX : <{evil_base}> ", "SILENT:" + evil.rsplit("/", 1)[1]),
        (f"PREFIX SERVICE: <{good_base}> PREFIX : <{evil_base}> ", ":" + evil.rsplit("/", 1)[1]),
        (f"BASE <{evil_base}> ", "<" + evil.rsplit("/", 1)[1] + ">"),
        (f"PREFIX g: <{good}> PREFIX e: <{evil_base}> ", "e:" + evil.rsplit("/", 1)[1]),
    ]
    wrappers = [
        "SELECT * WHERE {{ {call} {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {call} {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ {call} {{ ?s ?p ?o }} }} }}",
        "ASK {{ FILTER EXISTS {{ {call} {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ {call} {{ ?s ?p ?o }} }} }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ {call} {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ ?s ?p true.{call} {{ ?s ?p ?o }} }}",
    ]
    for (prologue, target), keyword, quiet, gap, wrapper in itertools.product(
            targets, keywords, silent, gaps, wrappers):
        if target.startswith("SILENT:") and quiet:
            continue
        # Glued forms: the keyword directly against a prefixed name that starts with ":".
        call = f"{keyword}{quiet}{gap}{target}"
        yield prologue + wrapper.format(call=call)
        if target.startswith(":"):
            yield prologue + wrapper.format(call=f"{keyword}{quiet}{target}")


def test_regression_service_ssrf_no_query_reaches_a_forbidden_endpoint(guarded, forbidden, recorder):
    evil = forbidden.url + "/steal"
    queries = list(_queries(evil, recorder.url + "/sparql"))
    assert len(queries) > 800
    answers = {}
    for number, text in enumerate(queries):
        path = "/sparql" if number % 4 else "/query"
        reply = guarded.get(path, params={"query": text}, headers={"Accept": "application/json"})
        answers[reply.status] = answers.get(reply.status, 0) + 1
        assert reply.status != 500, (text, reply.text)
        assert forbidden.hits == [], f"the server called {forbidden.hits} for:\n{text}"
    # Nearly all are refused with a clear 403; the rest are syntax errors of the variant itself.
    assert answers.get(403, 0) > len(queries) * 0.8, answers


def test_an_allowlisted_service_is_still_called(guarded, recorder, forbidden):
    before = len(recorder.hits)
    reply = guarded.query(f"SELECT ?remote WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?remote ?p ?o }} }}")
    assert reply.status == 200, reply.text
    assert reply.json()["results"]["bindings"][0]["remote"]["value"] == "http://example.org/from-remote"
    assert len(recorder.hits) == before + 1
    assert forbidden.hits == []


@pytest.mark.parametrize("update", [
    "PREFIX : <{evil}/> LOAD:x",
    "PREFIX : <{evil}/> LOAD SILENT:x",
    "load <{evil}/x> INTO GRAPH <http://example.org/g>",
    "PREFIX : <{evil}/> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT:x {{ ?s ?p ?o }} }}",
    "PREFIX SILENT: <{good}/> PREFIX : <{evil}/> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT:x {{ ?s ?p ?o }} }}",
    "INSERT DATA {{ <http://example.org/a> <http://example.org/b> 1 }} ; PREFIX : <{evil}/> LOAD:x",
    "PREFIX : <{evil}/> DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
])
def test_regression_load_and_service_in_updates_never_fetch(guarded, forbidden, recorder, update):
    text = update.format(evil=forbidden.url, good=recorder.url)
    reply = guarded.post("/sparql", text.encode(), "application/sparql-update",
                         headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert reply.status in (400, 403), reply.text
    assert reply.json()["error"] in ("load-not-allowed", "service-not-allowed", "syntax-error")
    assert forbidden.hits == []


def test_query_workers_are_sealed_by_the_kernel(guarded):
    """The workers of a running server carry the seccomp filter."""
    workers = [pid for pid in guarded.descendants() if _parent_is_gunicorn_worker(pid, guarded)]
    assert workers
    for pid in workers:
        with open(f"/proc/{pid}/status") as handle:
            status = dict(line.split(":", 1) for line in handle if ":" in line)
        assert status["Seccomp"].strip() == "2", pid


def _parent_is_gunicorn_worker(pid: int, server) -> bool:
    with open(f"/proc/{pid}/stat") as handle:
        parent = int(handle.read().rsplit(")", 1)[1].split()[1])
    return parent != server.process.pid and parent in server.descendants()


def test_a_sealed_process_cannot_reach_the_network_even_when_the_check_is_wrong(forbidden):
    """What the guarantee rests on: the engine itself, run with no check at all after
    ``seal()``, cannot open a connection, not even a SILENT one."""
    script = textwrap.dedent(f"""
        import pyoxigraph as ox
        from archivekg.endpoint.sandbox import seal
        seal()
        store = ox.Store()
        print(len(list(store.query("SELECT * WHERE {{ SERVICE SILENT <{forbidden.url}/silent> {{ ?s ?p ?o }} }}"))))
        try:
            list(store.query("SELECT * WHERE {{ SERVICE <{forbidden.url}/loud> {{ ?s ?p ?o }} }}"))
        except OSError as exc:
            print("refused:", exc)
        try:
            store.update("LOAD <{forbidden.url}/load>")
        except OSError as exc:
            print("refused:", exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("refused:") == 2 and "ermission denied" in done.stdout
    assert forbidden.hits == []
