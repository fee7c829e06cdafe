"""Hostile load: slow queries must not starve lookups, abandoned queries must stop, and a
deployment that would split updates between process copies must not start (issue 10)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from .conftest import EX, SAMPLE, UPDATE_TOKEN, clean_environ, cpu_seconds, free_port, start_server, write_generated

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIMIT = 8.0


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-load")
    data = write_generated(tmp / "generated.trig", 4000)
    # The defaults for lanes (QUERY_WORKERS=1, QUERY_WORKERS_MAX=5); one server process, so
    # every slow query lands beside the lookups.
    srv = start_server(tmp, files=[data], settings={"QUERY_TIMEOUT": str(LIMIT)}, workers=1)
    yield srv
    srv.stop()


def test_regression_slow_queries_starve_lookups(loaded):
    slow_done: list[float] = []

    def slow():
        reply = loaded.query(SLOW)
        assert reply.status == 503 and reply.json()["error"] == "query-timeout"
        slow_done.append(time.monotonic())

    threads = [threading.Thread(target=slow) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)                                     # all four are running
    lookups = []
    for i in range(10):
        reply = loaded.query(f"SELECT ?v WHERE {{ <{EX}item{2 * i + 1}> <{EX}value> ?v }}")
        assert reply.status == 200
        assert reply.json()["results"]["bindings"][0]["v"]["value"] == str(2 * i + 1)
        lookups.append(time.monotonic())
    for thread in threads:
        thread.join(timeout=LIMIT + 30)
    assert len(slow_done) == 4
    # Every lookup was answered while all four slow queries were still running.
    assert max(lookups) < min(slow_done)
    # The extra lanes were forked for the slow work, and their workers were lowered in priority.
    assert loaded.get("/health").json()["workers"]["workers"] >= 1


def test_regression_abandoned_query_keeps_running(loaded):
    pids = loaded.descendants() + [loaded.process.pid]
    request = (f"GET /sparql?{urllib.parse.urlencode({'query': SLOW})} HTTP/1.1\r\n"
               f"Host: 127.0.0.1\r\nAccept: application/json\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", loaded.port)) as client:
        client.sendall(request)
        time.sleep(1.0)                                 # the query is running
    # The client is gone: within a moment the query stops (long before its 8 s limit).
    deadline = time.monotonic() + 4
    while "hung up" not in loaded.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "hung up" in loaded.log()
    time.sleep(0.5)
    pids = loaded.descendants() + [loaded.process.pid]
    before = cpu_seconds(pids)
    time.sleep(1.5)
    assert cpu_seconds(pids) - before < 0.5
    assert '"GET /sparql" 499' in loaded.log()


def test_regression_two_gunicorn_processes_with_updates(tmp_path):
    """`gunicorn -c server/gunicorn.conf.py --workers 2` with an update token and served files
    must refuse to start (each process would hold its own copy of the files)."""
    server_dir = Path(__file__).resolve().parents[2] / "server"
    port = free_port()
    env = clean_environ({"UPDATE_TOKEN": UPDATE_TOKEN, "SERVE_FILES": str(SAMPLE)})
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(server_dir / "gunicorn.conf.py"),
         "--workers", "2", "--bind", f"127.0.0.1:{port}", "--chdir", str(server_dir)],
        capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode != 0
    assert "run with one server process" in done.stderr
    # One process is accepted.
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(server_dir / "gunicorn.conf.py"),
         "--workers", "1", "--bind", f"127.0.0.1:{port}", "--chdir", str(server_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        assert process.poll() is None
    finally:
        os.killpg(process.pid, 9)
        process.wait(timeout=10)
