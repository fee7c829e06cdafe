"""The service description, VoID, CORS and the health endpoint."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS, VOID

from .conftest import EX, LICENSE, SAMPLE

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")


@pytest.fixture(scope="module")
def dataset():
    ds = rdflib.Dataset()
    ds.parse(SAMPLE, format="trig")
    return ds


def named_graph_sizes(ds) -> dict[str, int]:
    return {str(g.identifier): len(g) for g in ds.graphs()
            if isinstance(g.identifier, URIRef) and g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID}


def all_quads(ds):
    return list(ds.quads((None, None, None, None)))


def parse(reply, fmt) -> rdflib.Graph:
    assert reply.status == 200, reply.body
    return rdflib.Graph().parse(data=reply.body, format=fmt)


# -- service description ----------------------------------------------------------------

@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                                        ("application/ld+json", "json-ld"), (None, "turtle")])
def test_service_description(server, dataset, accept, fmt):
    reply = server.get("/sparql", headers={"Accept": accept} if accept else {})
    if accept:
        assert reply.content_type == accept
    g = parse(reply, fmt)
    service = g.value(predicate=RDF.type, object=SD.Service)
    assert service is not None
    assert g.value(service, SD.endpoint) == URIRef(server.endpoint)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    formats = set(g.objects(service, SD.resultFormat))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD", "RDF_XML"):
        assert FORMATS[name] in formats
    default_dataset = g.value(service, SD.defaultDataset)
    names = {str(g.value(ng, SD.name)): int(g.value(g.value(ng, SD.graph), VOID.triples))
             for ng in g.objects(default_dataset, SD.namedGraph)}
    assert names == named_graph_sizes(dataset)


def test_sd_endpoint_is_the_url_the_client_used(server):
    for host in ("localhost", "127.0.0.1"):
        url = f"http://{host}:{server.port}/sparql"
        reply = server.get("/sparql", headers={"Host": f"{host}:{server.port}", "Accept": "text/turtle"})
        g = parse(reply, "turtle")
        service = g.value(predicate=RDF.type, object=SD.Service)
        assert str(g.value(service, SD.endpoint)) == url


def test_sd_with_format_parameter(server):
    reply = server.get("/sparql", params={"format": "jsonld"}, headers={"Accept": "text/turtle"})
    assert reply.content_type == "application/ld+json"
    parse(reply, "json-ld")


def test_a_browser_gets_a_page_with_the_query_form_and_what_the_endpoint_offers(server):
    # Issue 13: a browser following the footer's link used to download the description as a file.
    reply = server.get("/sparql", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert reply.status == 200 and reply.content_type == "text/html"
    assert '<form class="query"' in reply.text and f"http://127.0.0.1:{server.port}/sparql" in reply.text
    for fmt in ("application/sparql-results+json", "text/turtle", "application/ld+json"):
        assert fmt in reply.text
    assert "Accept" in reply.header("Vary")


@pytest.mark.parametrize("accept", ["*/*", None, "application/rdf+xml, text/html;q=0.5",
                                    "text/turtle, text/html"])
def test_sd_for_clients_that_do_not_put_html_first(server, accept):
    reply = server.get("/sparql", headers={"Accept": accept} if accept else {})
    assert reply.status == 200
    parse(reply, "xml" if reply.content_type == "application/rdf+xml" else "turtle")


# -- VoID -----------------------------------------------------------------------------------

def void_dataset(g: rdflib.Graph):
    description = g.value(predicate=RDF.type, object=VOID.DatasetDescription)
    return g.value(description, rdflib.FOAF.primaryTopic)


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                                        ("application/ld+json", "json-ld")])
def test_void_statistics(server, dataset, accept, fmt):
    g = parse(server.get("/.well-known/void", headers={"Accept": accept}), fmt)
    ds = void_dataset(g)
    assert (ds, RDF.type, VOID.Dataset) in g
    quads = all_quads(dataset)
    subjects = {s for s, _, _, _ in quads}
    assert int(g.value(ds, VOID.triples)) == len(quads)
    assert int(g.value(ds, VOID.distinctSubjects)) == len(subjects)
    assert int(g.value(ds, VOID.distinctObjects)) == len({o for _, _, o, _ in quads})
    assert int(g.value(ds, VOID.properties)) == len({p for _, p, _, _ in quads})
    assert int(g.value(ds, VOID.classes)) == len({o for _, p, o, _ in quads if p == RDF.type})
    assert int(g.value(ds, VOID.entities)) == len({s for s in subjects if isinstance(s, URIRef)})
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef(server.endpoint)
    subsets = {str(g.value(sub, SD.name)): int(g.value(sub, VOID.triples))
               for sub in g.objects(ds, VOID.subset)}
    assert subsets == named_graph_sizes(dataset)
    examples = set(g.objects(ds, VOID.exampleResource))
    assert examples and examples <= subjects


def test_void_of_a_build_has_licence_dumps_and_version(build_server, dataset):
    g = parse(build_server.get("/.well-known/void", headers={"Accept": "text/turtle"}), "turtle")
    ds = void_dataset(g)
    assert g.value(ds, DCTERMS.license) == URIRef(LICENSE)
    dumps = {str(d) for d in g.objects(ds, VOID.dataDump)}
    assert dumps == {f"{build_server.base}/download/dataset.{ext}"
                     for ext in ("nq", "trig", "nq.gz", "ttl", "jsonld")}
    assert str(g.value(ds, rdflib.OWL.versionInfo)) == "0.1.0"
    assert str(g.value(ds, VOID.uriSpace)) == EX
    assert int(g.value(ds, VOID.triples)) == len(all_quads(dataset))
    # The examples come from the dataset's own namespace (BASE_IRI).
    assert all(str(e).startswith(EX) for e in g.objects(ds, VOID.exampleResource))


def test_build_store_answers_queries(build_server):
    reply = build_server.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                               "GROUP BY ?g ORDER BY ?g")
    rows = [(b["g"]["value"], int(b["n"]["value"])) for b in reply.json()["results"]["bindings"]]
    assert rows == [(EX + "graph1", 10), (EX + "graph2", 10)]


# -- CORS -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/sparql", "/.well-known/void", "/health", "/nothing"])
def test_cors_on_every_response(server, path):
    reply = server.get(path, headers={"Origin": "https://yasgui.example"})
    assert reply.header("Access-Control-Allow-Origin") == "*"


def test_cors_on_errors_and_results(server):
    reply = server.query("SELECT", accept="application/json")
    assert reply.status == 400
    assert reply.header("Access-Control-Allow-Origin") == "*"
    reply = server.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert reply.header("Access-Control-Allow-Origin") == "*"
    assert "X-ArchiveKG-Truncated" in reply.header("Access-Control-Expose-Headers")


@pytest.mark.parametrize("path", ["/sparql", "/.well-known/void", "/health"])
def test_cors_preflight(server, path):
    reply = server.request("OPTIONS", path, headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, authorization, x-custom"})
    assert reply.status in (200, 204)
    assert reply.header("Access-Control-Allow-Origin") == "*"
    allowed = {h.strip().lower() for h in reply.header("Access-Control-Allow-Headers").split(",")}
    assert {"content-type", "authorization", "x-custom", "accept"} <= allowed
    methods = {m.strip() for m in reply.header("Access-Control-Allow-Methods").split(",")}
    assert "GET" in methods
    if path == "/sparql":
        assert "POST" in methods
    assert int(reply.header("Access-Control-Max-Age")) > 0


# -- health ---------------------------------------------------------------------------------

def test_health(server):
    reply = server.get("/health")
    assert reply.status == 200
    payload = reply.json()
    assert payload["ok"] is True
    assert payload["state"] in ("ok", "busy")
    assert payload["workers"]["workers"] == 2


def test_health_of_a_build(build_server):
    assert build_server.get("/health").json()["source"] == "build"
