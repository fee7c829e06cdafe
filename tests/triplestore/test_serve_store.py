"""`archivekg serve --store`: the shipped corpus published into a real Virtuoso and served
from it by a server whose BUILD_DIR holds no build, so that nothing can come from the
embedded store.  Each guarantee of the endpoint is checked against what the embedded store's
server answers."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter

import pyoxigraph as ox
import pytest
from sparql.conftest import start_server

from archivekg.release.statistics import compute_statistics

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

AKG = "https://w3id.org/archivekg/ontology#"
PERSONS = f"PREFIX akg: <{AKG}> SELECT ?p ?name WHERE {{ ?p a akg:Person ; akg:name ?name }} ORDER BY ?p ?name"
CONSTRUCT = f"PREFIX akg: <{AKG}> CONSTRUCT {{ ?p akg:name ?name }} WHERE {{ ?p a akg:Person ; akg:name ?name }}"


def test_no_build_is_there_to_fall_back_on(store_server):
    assert not (store_server.log_path.parent / "no-build").exists()
    health = store_server.get("/health").json()
    assert health.get("source") == "store" and health["state"] == "ok", health


def test_select_in_every_results_format_equals_the_embedded_answer(store_server, embedded_server):
    for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                   "text/tab-separated-values"):
        ours, theirs = store_server.query(PERSONS, accept=accept), embedded_server.query(PERSONS, accept=accept)
        assert ours.status == 200, ours.text
        assert ours.content_type == theirs.content_type == accept
        assert ours.body == theirs.body, accept
    rows = list(csv.reader(io.StringIO(store_server.query(PERSONS, accept="text/csv").text)))
    assert rows[0] == ["p", "name"] and len(rows) > 20


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json",
                                    "application/rdf+xml", "application/n-quads", "application/trig"])
def test_construct_in_every_rdf_format_is_the_embedded_graph(store_server, embedded_server, accept):
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
           "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}[accept]
    ours, theirs = store_server.query(CONSTRUCT, accept=accept), embedded_server.query(CONSTRUCT, accept=accept)
    assert ours.status == 200 and ours.content_type == accept, ours.text
    assert set(ox.parse(ours.body, format=fmt)) == set(ox.parse(theirs.body, format=fmt))
    assert len(set(ox.parse(ours.body, format=fmt))) > 20


def test_ask_and_negotiation(store_server):
    assert store_server.query("ASK { ?s ?p ?o }").json()["boolean"] is True
    root = ET.fromstring(store_server.query("ASK { ?s ?p ?o }", accept="application/sparql-results+xml").body)
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    assert store_server.query(PERSONS, format="csv").content_type == "text/csv"
    refused = store_server.query(PERSONS, accept="image/png")
    assert refused.status == 406 and refused.json()["error"] == "not-acceptable"


def test_errors_have_our_shape_and_positions(store_server, embedded_server):
    for text in ("SELECT * WHERE { ?s ?p }", "SELECT * WHERE { ?s <undeclared:x ?o }"):
        ours, theirs = store_server.query(text), embedded_server.query(text)
        assert ours.status == theirs.status == 400
        assert ours.json() == theirs.json()


def test_vendor_syntax_never_reaches_the_store(store_server):
    reply = store_server.query('DEFINE input:inference "x" SELECT * WHERE { ?s ?p ?o } LIMIT 1')
    assert reply.status == 400 and reply.json()["error"] == "syntax-error"


def test_the_time_limit_cuts_the_store_request(published, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-store-timeout")
    server = start_server(folder, settings={"BUILD_DIR": str(folder / "none"), "QUERY_TIMEOUT": "2",
                                            "STORE_URL": published["store"].query_url})
    try:
        started = time.monotonic()
        reply = server.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        elapsed = time.monotonic() - started
        assert reply.status == 503 and reply.json()["error"] == "query-timeout", reply.text
        assert reply.json()["limit_seconds"] == 2
        assert elapsed < 6
        # The next query is answered at once: the cut request holds nothing of ours.
        assert server.query("ASK { ?s ?p ?o }").status == 200
    finally:
        server.stop()


def test_the_result_limit_truncates_and_says_so(published, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-store-limit")
    server = start_server(folder, settings={"BUILD_DIR": str(folder / "none"), "MAX_RESULTS": "7",
                                            "STORE_URL": published["store"].query_url})
    try:
        reply = server.query(PERSONS, accept="application/sparql-results+json")
        assert reply.status == 200
        assert len(reply.json()["results"]["bindings"]) == 7
        assert reply.header("X-ArchiveKG-Truncated") == "true"
        assert reply.header("X-ArchiveKG-Result-Limit") == "7"
        graph = server.query(CONSTRUCT, accept="application/n-triples")
        assert len(graph.text.strip().splitlines()) == 7 and graph.header("X-ArchiveKG-Truncated") == "true"
        small = server.query(f"PREFIX akg: <{AKG}> SELECT ?p WHERE {{ ?p a akg:Person }} LIMIT 3")
        assert small.header("X-ArchiveKG-Truncated") is None and small.header("X-ArchiveKG-Result-Count") == "3"
    finally:
        server.stop()


def test_updates_and_service_are_refused_before_the_store(store_server, published):
    marker = "http://example.org/never-written"
    update = store_server.post("/sparql", f"INSERT DATA {{ <{marker}> <{marker}> <{marker}> }}".encode(),
                               "application/sparql-update")
    assert update.status == 403 and update.json()["error"] == "read-only"
    as_query = store_server.query(f"INSERT DATA {{ <{marker}> <{marker}> <{marker}> }}")
    assert as_query.status == 403 and as_query.json()["error"] == "update-as-query"
    service = store_server.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert service.status == 403 and service.json()["error"] == "service-not-allowed"
    assert published["store"].select(f"ASK {{ <{marker}> ?p ?o }}") == [{"boolean": False}]


def test_cors_on_answers_and_preflights(store_server):
    assert store_server.query("ASK {}").header("Access-Control-Allow-Origin") == "*"
    preflight = store_server.request("OPTIONS", "/sparql", headers={
        "Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert preflight.header("Access-Control-Allow-Origin") == "*"


def test_service_description_and_void_describe_the_published_dataset(store_server, embedded_server, store, built):
    stats = compute_statistics(store, built["settings"]["BASE_IRI"])
    void = ox.Dataset(ox.parse(store_server.get("/.well-known/void", headers={"Accept": "application/n-triples"}).body,
                               format=ox.RdfFormat.N_TRIPLES))
    triples = [q for q in void if q.predicate.value == "http://rdfs.org/ns/void#triples"
               and q.subject.value.endswith("#dataset")]
    assert [int(q.object.value) for q in triples] == [stats["quads"]]
    ours = store_server.get("/sparql", headers={"Accept": "application/n-triples"}).text
    theirs = embedded_server.get("/sparql", headers={"Accept": "application/n-triples"}).text
    replace = lambda text, server: text.replace(server.base, "SERVER")  # noqa: E731
    assert set(replace(ours, store_server).splitlines()) == set(replace(theirs, embedded_server).splitlines())


@pytest.mark.parametrize("path", ["/", "/timeline", "/page/kim-il-sung", "/page/memo-byakov-1954-12-20",
                                  "/graph/inferred", "/charts/resettlement", "/data/kim-il-sung.ttl"])
def test_pages_read_from_the_store(store_server, embedded_server, path):
    ours, theirs = store_server.get(path), embedded_server.get(path)
    assert ours.status == theirs.status == 200, ours.text[:500]
    if path.endswith(".ttl"):
        def graph(reply, server):
            return set(ox.parse(reply.text.replace(server.base, "http://server").encode(),
                                format=ox.RdfFormat.TURTLE))
        assert graph(ours, store_server) == graph(theirs, embedded_server)
        return
    # The same links and the same words; where a page's query leaves the order of rows open,
    # the store's order may differ from the embedded store's (server/stores.md).
    def content(reply, server):
        text = reply.text.replace(server.base, "SERVER")
        return Counter(re.findall(r'href="([^"]*)"', text)), Counter(re.findall(r"[^\s<>,·]+", text))
    assert content(ours, store_server) == content(theirs, embedded_server)


def test_downloads_say_where_the_dumps_are(store_server):
    reply = store_server.get("/download/", headers={"Accept": "application/json"})
    assert reply.status == 404 and reply.json()["error"] == "no-dumps"
    assert "external triple store" in reply.json()["message"]


def test_downloads_of_the_published_release_when_this_machine_has_it(published, built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-store-dumps")
    server = start_server(folder, settings={"BUILD_DIR": built["settings"]["BUILD_DIR"],
                                            "STORE_URL": published["store"].query_url})
    try:
        listing = server.get("/download/")
        assert listing.status == 200 and published["result"].release in listing.text
        assert server.get("/download/dataset.nq").status == 200
    finally:
        server.stop()


def test_a_store_with_nothing_of_ours_stops_the_server_at_start(published, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-store-empty")
    server = start_server(folder, settings={"BUILD_DIR": str(folder), "BASE_IRI": "http://example.org/unpublished/",
                                            "STORE_URL": published["store"].query_url}, wait=False)
    assert server.process.wait(timeout=60) == 3
    assert "archivekg publish --to" in server.log()


def test_a_store_that_is_down_stops_the_server_at_start(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = start_server(tmp_path, settings={"BUILD_DIR": str(tmp_path), "STORE_URL": f"http://127.0.0.1:{port}/sparql"},
                          wait=False)
    assert server.process.wait(timeout=60) == 3
    assert f"127.0.0.1:{port}" in server.log() and "refused" in server.log()


def test_statistics_in_the_record_equal_the_embedded_servers(published, store, built):
    state = json.loads(published["store"].select(
        f"SELECT ?s WHERE {{ GRAPH <{built['settings']['BASE_IRI']}publication> {{ ?x <urn:archivekg:publication#state> ?s }} }}")[0]["s"])
    assert state["statistics"] == compute_statistics(store, built["settings"]["BASE_IRI"])
