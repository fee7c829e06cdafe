"""Hostile input, part 2: bombs and oversized or over-nested texts, against a running server
(with its memory watched) and against the command line.  Each test is named after the finding
of issue 10 that it pins."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SAMPLE, start_server

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/a"><ex:p>&f;</ex:p></rdf:Description>
</rdf:RDF>
"""
DEPTH = 10_000
JSONLD_NEST = ('{"@id": "http://example.org/a", "http://example.org/p": ' * DEPTH + '"x"' + "}" * DEPTH).encode()


def tree_memory(server) -> int:
    """Resident memory of the server and all its processes, in bytes."""
    total = 0
    for pid in [server.process.pid, *server.descendants()]:
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def _server(folder, memory_mb: int):
    return start_server(folder, files=[SAMPLE], settings={
        "QUERY_TIMEOUT": "10", "MAX_UPLOAD_BYTES": str(4 * 1024 * 1024),
        "QUERY_MEMORY_MB": str(memory_mb), "VALIDATE_TIMEOUT": "1"}, workers=1)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    srv = _server(tmp_path_factory.mktemp("hostile-inputs"), 128)
    yield srv
    srv.stop()


def test_regression_xml_entity_bomb_to_validate(hostile):
    before = tree_memory(hostile)
    reply = hostile.post("/validate", XML_BOMB, "application/rdf+xml")
    assert reply.status == 400
    payload = reply.json()
    assert payload["error"] == "bad-rdf" and "entity 'a'" in payload["message"]
    assert tree_memory(hostile) - before < 100 * 2**20
    assert hostile.query("ASK { ?s ?p ?o }").json()["boolean"] is True


def test_regression_jsonld_nesting_crash_to_validate(hostile):
    assert len(JSONLD_NEST) > 70_000
    reply = hostile.post("/validate", JSONLD_NEST, "application/ld+json")
    assert reply.status == 400
    assert "nests deeper than 512 levels" in reply.json()["message"]
    assert hostile.get("/health").json()["state"] == "ok"


@pytest.fixture(scope="module")
def unhurried(tmp_path_factory):
    """A server whose validation only the time limit stops: its memory limit is far above
    what the body below needs (under 128 MB, which of the two limits a slow machine met first
    decided the answer)."""
    srv = _server(tmp_path_factory.mktemp("hostile-inputs-time"), 2048)
    yield srv
    srv.stop()


def test_regression_validate_has_a_time_limit(unhurried):
    # Large enough that validation with OWL RL inference takes longer than 1 s.
    lines = ["@prefix akg: <https://w3id.org/archivekg/ontology#> ."]
    lines += [f'<http://example.org/p{i}> a akg:Person ; akg:name "Person {i}" ; '
              f'akg:memberOf <http://example.org/o{i % 50}> .' for i in range(30000)]
    body = "\n".join(lines).encode()
    started = time.monotonic()
    reply = unhurried.post("/validate", body, "text/turtle")
    elapsed = time.monotonic() - started
    assert reply.status == 503, reply.text[:500]
    assert reply.json()["error"] == "query-timeout"
    assert "VALIDATE_TIMEOUT" in reply.json()["message"]
    assert elapsed < 1 + 10
    assert unhurried.get("/health").json()["state"] == "ok"


def test_regression_memory_hungry_query_is_stopped(hostile):
    doubling = ("SELECT ?n WHERE { BIND('0123456789abcdef' AS ?a0) "
                + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(34))
                + " BIND(STRLEN(?a34) AS ?n) }")
    reply = hostile.query(doubling)
    assert reply.status == 503
    payload = reply.json()
    assert payload["error"] == "memory-limit" and payload["limit_mb"] == 128
    assert "QUERY_MEMORY_MB" in payload["message"]
    assert "passed the memory limit" in hostile.log()
    assert hostile.query("ASK { ?s ?p ?o }").json()["boolean"] is True
    assert hostile.get("/health").json()["workers"]["workers"] >= 1


def test_regression_query_nested_10000_deep_is_a_400(hostile):
    text = "SELECT * WHERE " + "{" * DEPTH + "}" * DEPTH
    reply = hostile.post("/sparql", text.encode(), "application/sparql-query")
    assert reply.status == 400
    assert reply.json()["error"] == "query-too-deep"
    assert "worker" not in hostile.log().split("query-too-deep")[0][-300:]


def test_regression_one_megabyte_query_is_refused_at_once(hostile):
    text = "SELECT * WHERE { ?s ?p ?o } # " + "a." * (512 * 1024)
    started = time.monotonic()
    reply = hostile.post("/sparql", text.encode(), "application/sparql-query")
    assert reply.status == 413 and reply.json()["error"] == "query-too-large"
    assert reply.json()["limit_bytes"] == 512 * 1024
    assert time.monotonic() - started < 5


def test_regression_quadratic_scan_of_the_query_text(hostile):
    """Texts that once took the scanner quadratic time (15 s for 64 KB, in the serving
    process): now read in one pass, in the worker, while the server keeps answering."""
    for filler in ("a." * 100_000, "'a" * 100_000, "<a" * 100_000, "?" * 200_000):
        text = "SELECT * WHERE { ?s ?p ?o FILTER(" + filler + ") }"
        reply = hostile.post("/sparql", text.encode(), "application/sparql-query")
        assert reply.status == 400, reply.text[:300]
        assert hostile.query("ASK { ?s ?p ?o }").status == 200


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archivekg.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_regression_bombs_given_to_the_command_line(tmp_path):
    (tmp_path / "bomb.rdf").write_bytes(XML_BOMB)
    (tmp_path / "nest.jsonld").write_bytes(JSONLD_NEST)
    for name, expected in (("bomb.rdf", "declares the entity 'a'"),
                           ("nest.jsonld", "nests deeper than 512 levels")):
        for command in (["validate", name], ["serve", "--port", "1", name]):
            done = _cli(*command, cwd=tmp_path)
            assert done.returncode == 2, (command, done.stderr)
            assert expected in done.stderr and name in done.stderr
            assert "Traceback" not in done.stderr
