"""Regressions of issue 10 (low): headers on every answer, and IRIs resolved as the engine
resolves them (the relative-IRI part is issue 12's: the protocol resolves them against the
service's IRI, as Fuseki and Oxigraph's server do)."""

from __future__ import annotations

import pytest
import rdflib

API_POLICY = "default-src 'none'"


@pytest.mark.parametrize("path, params, accept", [
    ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, "application/sparql-results+json"),
    ("/sparql", {"query": "SELEKT"}, "application/json"),
    ("/sparql", {"query": "SELEKT"}, "text/html"),
    ("/sparql", {"query": "SELEKT"}, "text/plain"),
    ("/no/such/thing", None, "application/json"),
    ("/.well-known/void", None, "text/turtle"),
])
def test_regression_errors_and_non_html_answers_lack_nosniff_and_csp(server, path, params, accept):
    reply = server.get(path, params=params, headers={"Accept": accept})
    assert reply.header("X-Content-Type-Options") == "nosniff"
    assert (reply.header("Content-Security-Policy") or "").startswith(API_POLICY)


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"), ("application/trig", "trig"), ("application/rdf+xml", "xml"),
    ("application/n-triples", "nt"),
])
def test_regression_base_with_a_urn_resolves_prefixes_as_the_engine(server, accept, fmt):
    reply = server.query("BASE <urn:x:y> PREFIX p: <foo#> CONSTRUCT { p:s p:p p:o } {}", accept=accept)
    assert reply.status == 200, reply.text
    graph = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
    graph.parse(data=reply.body, format=fmt)
    triples = {(str(s), str(p), str(o)) for s, p, o, *_ in
               (graph.quads() if fmt == "trig" else graph)}
    assert triples == {("urn:foo#s", "urn:foo#p", "urn:foo#o")}


def test_relative_iris_resolve_against_the_service_iri(server):
    reply = server.query("CONSTRUCT { <s> <p> 1 } WHERE {}", accept="application/n-triples")
    assert reply.status == 200, reply.text
    assert reply.text == (f"<{server.base}/s> <{server.base}/p> "
                          '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    own_base = server.query("BASE <http://example.org/b/> SELECT ?x WHERE { BIND(<c> AS ?x) }")
    assert own_base.json()["results"]["bindings"][0]["x"]["value"] == "http://example.org/b/c"
