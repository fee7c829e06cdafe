"""POST /validate over real HTTP: formats in and out, the error shape, the size limit."""

from __future__ import annotations

import http.client
import json
import threading
from xml.etree import ElementTree

import pytest
import rdflib
from werkzeug.serving import make_server

from archivekg.web import create_app

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
LIMIT = 4000
PREFIXES = """@prefix akg: <https://w3id.org/archivekg/ontology#> .
@prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .
@prefix ex: <http://example.org/> .
"""
CONFORMING = PREFIXES + """
ex:move a akg:Resettlement ; akg:label "A resettlement"@en ; akg:executionStatus akg:planned ;
    akg:numberOfFamilies 153 ; akg:numberOfPeople 556 ; akg:movedFrom ex:island .
ex:island a akg:Island ; akg:name "Sunido"@en ; akg:wikidata "Q1001" .
"""
BROKEN = CONFORMING.replace("akg:numberOfPeople 556", "akg:numberOfPeople 100")
WITH_WARNING = CONFORMING.replace(' ; akg:wikidata "Q1001"', "")


@pytest.fixture(scope="module")
def server():
    # The whole application, which runs each validation in a worker process of its own.
    app = create_app({"MAX_UPLOAD_BYTES": LIMIT})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address
    httpd.shutdown()
    thread.join(timeout=10)


def post(server, body: bytes | str, content_type: str | None = "text/turtle", accept: str | None = None,
         path: str = "/validate", chunked: bool = False):
    connection = http.client.HTTPConnection(*server, timeout=120)
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if accept:
        headers["Accept"] = accept
    data = body.encode("utf-8") if isinstance(body, str) else body
    if chunked:
        connection.request("POST", path, body=iter([data[i:i + 1000] for i in range(0, len(data), 1000)]),
                           headers=headers, encode_chunked=True)
    else:
        connection.request("POST", path, body=data, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response, payload


def error_of(response, payload) -> dict:
    assert response.getheader("Content-Type").startswith("application/json")
    body = json.loads(payload)
    assert set(body) >= {"ok", "status", "error", "message"}
    assert body["ok"] is False and body["status"] == response.status
    return body


def test_conforming_data_gives_a_passing_json_report(server):
    response, payload = post(server, CONFORMING)
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("application/json")
    report = json.loads(payload)
    assert report["passed"] is True and report["counts"]["Violation"] == 0
    assert response.getheader("ArchiveKG-Violations") == "0"


def test_violations_are_reported_with_200_and_counted_in_a_header(server):
    response, payload = post(server, BROKEN)
    assert response.status == 200
    report = json.loads(payload)
    assert report["passed"] is False
    assert [r["shape"].rsplit("#", 1)[1] for r in report["results"]] == ["FamiliesAtMostPeople"]
    assert response.getheader("ArchiveKG-Violations") == "1"


def test_turtle_report_is_the_standard_shacl_report_graph(server):
    response, payload = post(server, BROKEN, accept="text/turtle")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/turtle")
    graph = rdflib.Graph().parse(data=payload, format="turtle")
    report = next(graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == 1
    assert graph.value(results[0], SH.focusNode) == rdflib.URIRef("http://example.org/move")
    assert graph.value(results[0], SH.resultSeverity) == SH.Violation


def test_junit_and_text_reports(server):
    response, payload = post(server, WITH_WARNING, accept="application/xml")
    assert response.status == 200
    suites = ElementTree.fromstring(payload)
    assert suites.tag == "testsuites" and suites.get("failures") == "0" and suites.get("skipped") == "1"
    response, payload = post(server, BROKEN, accept="text/plain")
    assert response.getheader("Content-Type").startswith("text/plain")
    assert "FAILED" in payload.decode() and "No more families than people" in payload.decode()


def test_the_body_format_follows_the_content_type(server):
    ntriples = rdflib.Graph().parse(data=BROKEN, format="turtle").serialize(format="nt", encoding="utf-8").decode("utf-8")
    jsonld = rdflib.Graph().parse(data=BROKEN, format="turtle").serialize(format="json-ld")
    for body, media_type in ((ntriples, "application/n-triples"), (jsonld, "application/ld+json; charset=utf-8")):
        response, payload = post(server, body, content_type=media_type)
        assert response.status == 200, payload
        assert json.loads(payload)["counts"]["Violation"] == 1


def test_inference_parameter(server):
    typed_as_island_only = CONFORMING
    response, payload = post(server, typed_as_island_only, path="/validate?inference=none")
    shapes = {r["shape"].rsplit("#", 1)[1] for r in json.loads(payload)["results"]}
    assert "MovedFromIsAPlace" in shapes           # akg:Island is a crm:E53_Place only by entailment
    response, payload = post(server, CONFORMING, path="/validate?inference=bogus")
    assert response.status == 400 and "inference" in error_of(response, payload)["message"]


def test_413_past_the_size_limit(server):
    big = CONFORMING + "".join(f'ex:n{i} akg:label "filler {i}"@en .\n' for i in range(200))
    assert len(big.encode()) > LIMIT
    response, payload = post(server, big)
    body = error_of(response, payload)
    assert response.status == 413 and body["error"] == "request-too-large"
    assert f"{LIMIT} bytes" in body["message"] and "MAX_UPLOAD_BYTES" in body["message"]


def test_413_for_a_chunked_body_without_length(server):
    big = CONFORMING + "".join(f'ex:n{i} akg:label "filler {i}"@en .\n' for i in range(200))
    response, payload = post(server, big, chunked=True)
    assert response.status == 413
    assert "MAX_UPLOAD_BYTES" in error_of(response, payload)["message"]


def test_415_for_a_body_that_is_not_rdf(server):
    response, payload = post(server, "a,b\n1,2\n", content_type="text/csv")
    body = error_of(response, payload)
    assert response.status == 415 and body["error"] == "unsupported-media-type"
    assert "text/csv" in body["message"] and "text/turtle" in body["acceptable"]
    response, payload = post(server, CONFORMING, content_type=None)
    assert response.status == 415


def test_406_when_no_report_format_is_acceptable(server):
    response, payload = post(server, CONFORMING, accept="image/png")
    body = error_of(response, payload)
    assert response.status == 406 and "application/json" in body["acceptable"]


def test_400_for_a_syntax_error_with_its_line(server):
    response, payload = post(server, PREFIXES + "ex:a akg:label \"ok\"@en .\nex:b akg:label .\n")
    body = error_of(response, payload)
    assert response.status == 400 and body["error"] == "bad-rdf"
    assert body["line"] == 5 and "line 5" in body["message"]


def test_400_for_an_empty_body(server):
    response, payload = post(server, "")
    assert response.status == 400 and error_of(response, payload)["error"] == "empty-body"


def test_get_is_not_allowed(server):
    connection = http.client.HTTPConnection(*server, timeout=30)
    connection.request("GET", "/validate")
    response = connection.getresponse()
    payload = response.read()
    assert response.status == 405 and error_of(response, payload)["error"] == "method-not-allowed"
