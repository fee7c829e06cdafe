"""`archivekg serve`: serving any RDF files, clear errors before starting, a clean Ctrl-C."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import rdflib

from archivekg import settings as settings_module

from .conftest import (
    DATA,
    EX,
    SAMPLE,
    UPDATE_TOKEN,
    Server,
    clean_environ,
    free_port,
    make_release,
    start_server,
    wait_healthy,
)

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means


def run_serve(args, settings=None, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archivekg.cli.serve", "--port", str(free_port()), *args],
                          env=clean_environ(settings or {}), capture_output=True, text=True, timeout=timeout)


def test_a_broken_file_stops_the_server_before_it_starts():
    result = run_serve([str(SAMPLE), str(DATA / "broken.ttl")])
    assert result.returncode == 2
    assert "broken.ttl:4:" in result.stderr
    assert "Turtle" in result.stderr
    assert "Listening" not in result.stderr + result.stdout


def test_a_missing_file(tmp_path):
    result = run_serve([str(tmp_path / "nope.ttl")])
    assert result.returncode == 2
    assert "nope.ttl: no such file" in result.stderr


def test_an_unknown_extension(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    result = run_serve([str(path)])
    assert result.returncode == 2
    assert "data.csv" in result.stderr and ".ttl" in result.stderr


def test_no_build_yet(tmp_path):
    result = run_serve([], settings={"BUILD_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "archivekg build" in result.stderr


def test_unknown_setting_is_rejected():
    result = run_serve([str(SAMPLE)], settings={"QUERY_TIMEOUTS": "3"})
    assert result.returncode == 2
    assert "QUERY_TIMEOUTS" in result.stderr


def test_updates_need_a_single_process():
    result = run_serve(["--workers", "2", str(SAMPLE)], settings={"UPDATE_TOKEN": "x"})
    assert result.returncode == 2
    assert "--workers 1" in result.stderr


@pytest.fixture(scope="module")
def every_format(tmp_path_factory):
    """The sample data written in each RDF syntax the command accepts, one file each."""
    folder = tmp_path_factory.mktemp("formats")
    ds = rdflib.Dataset()
    ds.parse(SAMPLE, format="trig")
    graph1 = ds.graph(rdflib.URIRef(EX + "graph1"))
    plain = rdflib.Graph()
    for triple in graph1:
        plain.add(triple)
    files = []
    for name, fmt in (("g1.ttl", "turtle"), ("g1.nt", "nt"), ("g1.jsonld", "json-ld"), ("g1.rdf", "xml")):
        path = folder / name
        plain.serialize(path, format=fmt, encoding="utf-8")
        files.append(path)
    quads = folder / "all.nq"
    ds.serialize(quads, format="nquads")
    files.append(quads)
    return files


def test_serves_every_rdf_syntax(tmp_path, every_format):
    server = start_server(tmp_path, files=every_format)
    try:
        # The quads keep their graphs; triple files land in the default graph.
        reply = server.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        rows = [(b["g"]["value"], int(b["n"]["value"])) for b in reply.json()["results"]["bindings"]]
        assert rows == [(EX + "graph1", 10), (EX + "graph2", 10)]
        # The four triple files hold the same triples (graph1's), loaded into the default graph.
        distinct = server.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?p ?o {{ <{EX}doc1> ?p ?o }} }}")
        assert int(distinct.json()["results"]["bindings"][0]["n"]["value"]) == 8
        # The union default graph is Oxigraph's: a triple stored in two graphs matches twice.
        count = server.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}doc1> ?p ?o }}")
        assert int(count.json()["results"]["bindings"][0]["n"]["value"]) == 16
        log = server.log()
        assert f"at http://127.0.0.1:{server.port}/sparql" in log
    finally:
        assert server.stop() == 0


def test_ctrl_c_stops_everything(tmp_path):
    server = start_server(tmp_path, files=[SAMPLE], workers=2)
    try:
        assert server.query("ASK { ?s ?p ?o }").status == 200
        # Two server processes, each with its query workers (started as each process boots).
        expected = 2 * (1 + settings_module.load({}, environ={})["QUERY_WORKERS"])
        children = wait_for(lambda: server.descendants(), lambda found: len(found) >= expected)
        assert len(children) == expected
    finally:
        assert server.stop() == 0                  # SIGINT, as Ctrl-C sends
    wait_for(lambda: [pid for pid in children if _alive(pid)], lambda alive: not alive)
    assert not any(_alive(pid) for pid in children)


def wait_for(probe, done, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    value = probe()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = probe()
    return value


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_updates_on_a_build_are_refused(tmp_path):
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    make_release(build_dir)
    server = start_server(tmp_path, settings={"BUILD_DIR": str(build_dir), "UPDATE_TOKEN": UPDATE_TOKEN})
    try:
        reply = server.post("/sparql", f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}".encode(),
                            "application/sparql-update", headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
        assert reply.status == 403
        assert reply.json()["error"] == "read-only-release"
        assert "archivekg build" in reply.json()["message"]
    finally:
        server.stop()


def test_wsgi_entry_point_under_gunicorn(tmp_path):
    """The production command of server/README.md, with its configuration file."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    port = free_port()
    log = tmp_path / "gunicorn.log"
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [gunicorn, "-c", os.path.join(root, "server", "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"],
            env=clean_environ({"SERVE_FILES": str(SAMPLE)}), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=tmp_path)
    server = Server(process, port, log)
    try:
        wait_healthy(server)
        assert server.query(f"ASK {{ <{EX}doc1> a <{EX}Document> }}").json()["boolean"] is True
        workers = wait_for(lambda: [p for p in server.descendants() if _parent(p) == process.pid],
                           lambda found: len(found) >= 2)
        assert len(workers) == 2
    finally:
        assert server.stop() == 0


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def test_a_port_in_use_is_one_sentence_with_the_fix():
    # Issue 13: a busy port printed a dozen lines of gunicorn traceback.
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "archivekg.cli", "serve", "--port", str(port), str(SAMPLE)],
                                env=clean_environ({}), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in lines[0]
    assert f"--port {port + 1}" in lines[0] and f"make serve PORT={port + 1}" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
