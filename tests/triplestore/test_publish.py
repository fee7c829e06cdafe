"""`archivekg publish` into a real Virtuoso: every graph and the record, then only what
changed, and failures (store down, 401, 413, a timeout in the middle) that say what failed
and where and leave the store serving the previous release.

Each test publishes small releases written by the build's own ReleaseWriter under a base
IRI of its own, so that the tests share one store without seeing each other's data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from archivekg import settings as settings_module
from archivekg.jsonld import load_context
from archivekg.namespaces import LICENSE, PREFIXES
from archivekg.release.assemble import write_store_release
from archivekg.release.publication import record_iri, staging_prefix
from archivekg.release.publish import PublishError, publish, read_state
from archivekg.release.remote import Client, Credentials, StoreUnreachable
from archivekg.release.store import switch_current
from archivekg.release.writer import ReleaseWriter

from .faults import FaultProxy

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def triple_store(triple_stores):
    return triple_stores("publish")


def write_release(build_dir, base: str, graphs: dict[str, str]):
    """A release of ``graphs`` (name: Turtle), written as `archivekg build` writes one."""
    store = ox.Store()
    for name, turtle in graphs.items():
        store.load(f"@prefix ex: <{base}id/> .\n{turtle}".encode(), format=ox.RdfFormat.TURTLE,
                   to_graph=ox.NamedNode(f"{base}graph/{name}"))
    writer = ReleaseWriter(build_dir)
    write_store_release(writer, store, PREFIXES, load_context(ROOT / "mappings"))
    release = writer.finish(base, LICENSE)
    switch_current(build_dir, release)
    return release


V1 = {"doc-a": "ex:a ex:name 'A' ; ex:date '1937-09-01'^^<http://www.w3.org/2001/XMLSchema#date> .",
      "doc-b": "ex:b ex:name 'B', 'Бэ'@ru .",
      "doc-c": "ex:c ex:name 'C' ."}
V2 = {"doc-a": V1["doc-a"], "doc-b": "ex:b ex:name 'B2' .", "doc-d": "ex:d ex:name 'D' ."}


def settings_for(tmp_path, base: str, extra: dict) -> dict:
    return settings_module.load({"BUILD_DIR": str(tmp_path / "build"), "BASE_IRI": base, **extra},
                                environ={})


def served_names(triple_store, base: str) -> dict[str, set[str]]:
    """Each of our graphs in the store, with the names it states."""
    rows = triple_store.select(f"SELECT ?g ?name WHERE {{ GRAPH ?g {{ ?s <{base}id/name> ?name }} }}")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["g"].rsplit("/", 1)[-1], set()).add(row["name"])
    return found


def staged_graphs(triple_store, base: str) -> dict[str, int]:
    return triple_store.graph_counts(staging_prefix(base))


def publish_v1(tmp_path, triple_store, base):
    write_release(tmp_path / "build", base, V1)
    settings = settings_for(tmp_path, base, triple_store.publish_settings())
    first = publish(settings)
    assert served_names(triple_store, base) == {"doc-a": {"A"}, "doc-b": {"B", "Бэ"}, "doc-c": {"C"}}
    return settings, first


def test_first_publish_sends_every_graph_and_the_record(tmp_path, triple_store):
    base = "http://example.org/first/"
    settings, result = publish_v1(tmp_path, triple_store, base)
    assert sorted(result.sent) == [f"{base}graph/doc-a", f"{base}graph/doc-b", f"{base}graph/doc-c"]
    assert result.previous is None
    state = _state(triple_store.query_url, base)
    assert state["release"] == result.release
    assert set(state["graphs"]) == set(result.sent)
    assert state["statistics"]["graphs"] == {iri: part["triples"] for iri, part in state["graphs"].items()}
    assert triple_store.graph_counts(record_iri(base)) == {record_iri(base): 5}
    assert staged_graphs(triple_store, base) == {}
    # Typed literals keep their datatype through the Graph Store Protocol.
    rows = triple_store.select(f"SELECT (DATATYPE(?d) AS ?t) WHERE {{ <{base}id/a> <{base}id/date> ?d }}")
    assert rows == [{"t": "http://www.w3.org/2001/XMLSchema#date"}]


def test_publishing_the_same_release_again_sends_nothing(tmp_path, triple_store):
    base = "http://example.org/again/"
    settings, _ = publish_v1(tmp_path, triple_store, base)
    again = publish(settings)
    assert again.sent == [] and again.removed == [] and again.unchanged == 3


def test_a_new_release_sends_only_the_changed_graphs_and_drops_the_removed_ones(tmp_path, triple_store):
    base = "http://example.org/change/"
    settings, first = publish_v1(tmp_path, triple_store, base)
    write_release(tmp_path / "build", base, V2)
    second = publish(settings)
    assert sorted(second.sent) == [f"{base}graph/doc-b", f"{base}graph/doc-d"]
    assert second.removed == [f"{base}graph/doc-c"]
    assert second.unchanged == 1 and second.previous == first.release
    assert served_names(triple_store, base) == {"doc-a": {"A"}, "doc-b": {"B2"}, "doc-d": {"D"}}
    assert _state(triple_store.query_url, base)["release"] == second.release
    assert staged_graphs(triple_store, base) == {}


def assert_still_serves_v1(triple_store, base, first):
    assert served_names(triple_store, base) == {"doc-a": {"A"}, "doc-b": {"B", "Бэ"}, "doc-c": {"C"}}
    assert _state(triple_store.query_url, base)["release"] == first.release
    assert staged_graphs(triple_store, base) == {}


@pytest.mark.parametrize("mode", ["413", "stall"])
def test_a_failed_upload_says_which_graph_and_leaves_the_previous_release(tmp_path, triple_store, mode):
    base = f"http://example.org/fail-{mode}/"
    settings, first = publish_v1(tmp_path, triple_store, base)
    write_release(tmp_path / "build", base, V2)
    proxy = FaultProxy(triple_store.root, fail_put=2, mode=mode)
    try:
        through = {key: value.replace(triple_store.root, proxy.root)
                   for key, value in triple_store.publish_settings().items()}
        failing = settings_for(tmp_path, base, {**through, "PUBLISH_TIMEOUT": "2"})
        with pytest.raises(PublishError) as caught:
            publish(failing)
        assert proxy.failed.is_set()
    finally:
        proxy.stop()
    message = str(caught.value)
    assert f"uploading graph <{base}graph/doc-d> (2 of 2" in message, message
    assert proxy.root + "/sparql-graph-crud-auth" in message
    if mode == "413":
        assert "413" in message and "too large" in message
    else:
        assert "in time" in message
    assert_still_serves_v1(triple_store, base, first)


def test_wrong_credentials_are_reported_and_change_nothing(tmp_path, triple_store):
    base = "http://example.org/credentials/"
    settings, first = publish_v1(tmp_path, triple_store, base)
    write_release(tmp_path / "build", base, V2)
    with pytest.raises(PublishError) as caught:
        publish({**settings, "STORE_PASSWORD": "not-the-password"})
    message = str(caught.value)
    assert "401" in message and "STORE_PASSWORD" in message, message
    assert_still_serves_v1(triple_store, base, first)


def test_a_store_that_is_down_is_named(tmp_path):
    import socket

    with socket.socket() as sock:           # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    write_release(tmp_path / "build", "http://example.org/down/", V1)
    settings = settings_for(tmp_path, "http://example.org/down/",
                            {"STORE_URL": f"http://127.0.0.1:{port}/sparql"})
    with pytest.raises(StoreUnreachable) as caught:
        publish(settings)
    assert f"127.0.0.1:{port}" in str(caught.value) and "refused the connection" in str(caught.value)


def test_the_command_takes_the_store_and_never_a_password(tmp_path, triple_store):
    base = "http://example.org/command/"
    write_release(tmp_path / "build", base, V1)
    settings = triple_store.publish_settings()
    env = {"ARCHIVEKG_BUILD_DIR": str(tmp_path / "build"), "ARCHIVEKG_BASE_IRI": base,
           "ARCHIVEKG_STORE_USER": settings["STORE_USER"],
           "ARCHIVEKG_STORE_PASSWORD": settings["STORE_PASSWORD"],
           "ARCHIVEKG_STORE_GRAPH_STORE_URL": settings["STORE_GRAPH_STORE_URL"], "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "archivekg.cli", "publish", "--to", settings["STORE_URL"]]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3 graphs sent" in done.stdout
    assert served_names(triple_store, base)["doc-c"] == {"C"}
    help_text = subprocess.run([sys.executable, "-m", "archivekg.cli", "publish", "--help"],
                               capture_output=True, text=True, env=env, timeout=60).stdout
    assert "--to" in help_text and "password" not in help_text.lower().replace("store_password", "")
    wrong = subprocess.run(command, capture_output=True, text=True, timeout=120,
                           env={**env, "ARCHIVEKG_STORE_PASSWORD": "wrong"})
    assert wrong.returncode == 3 and "401" in wrong.stderr, wrong.stderr


@pytest.fixture
def closing():
    """Clients made by a test, closed after it (their kept-alive connections)."""
    made: list[Client] = []
    yield made
    for client in made:
        client.close()


def _state(query_url: str, base: str):
    with Client() as client:
        return read_state(client, query_url, base)


def test_virtuoso_runs_one_update_request_atomically(triple_store, closing):
    """The switch relies on it (SPARQL 1.1 Update: a request SHOULD be atomic): when the last
    operation of a request fails, the first one is undone."""
    import urllib.parse

    settings = triple_store.publish_settings()
    client = Client(Credentials(settings["STORE_USER"], settings["STORE_PASSWORD"]))
    closing.append(client)
    graph = "http://example.org/atomic/graph"

    def update(text: str) -> int:
        with client.request("POST", settings["STORE_URL"],
                            body=urllib.parse.urlencode({"update": text}).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"}) as reply:
            reply.read()
            return reply.status

    assert update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:p> 'kept' }} }}") == 200
    status = update(f"DROP GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:p> 'new' }} }} ; "
                    "DROP GRAPH <http://example.org/atomic/no-such-graph>")
    assert status >= 400
    rows = triple_store.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert rows == [{"o": "kept"}]


def test_a_switch_larger_than_one_request_is_made_of_several_with_the_record_last(tmp_path, triple_store,
                                                                                    monkeypatch):
    """Virtuoso refuses one update request of a thousand MOVEs: a first publish of a thousand
    documents switches in several requests."""
    from archivekg.release import publish as publish_module

    monkeypatch.setattr(publish_module, "SWITCH_BATCH", 2)
    base = "http://example.org/batches/"
    said: list[str] = []
    write_release(tmp_path / "build", base, V1)
    result = publish(settings_for(tmp_path, base, triple_store.publish_settings()), echo=said.append)
    assert any("more than one request" in line for line in said)
    assert served_names(triple_store, base) == {"doc-a": {"A"}, "doc-b": {"B", "Бэ"}, "doc-c": {"C"}}
    assert _state(triple_store.query_url, base)["release"] == result.release
    assert staged_graphs(triple_store, base) == {}
