"""Real clients against the real server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, RDFXML, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from .conftest import EX

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

DOCS = f"PREFIX ex: <{EX}>\nSELECT ?doc ?pages WHERE {{ ?doc a ex:Document ; ex:pages ?pages }} ORDER BY ?doc"


def wrapper(server, query, fmt, method=GET, request_method=URLENCODED):
    sparql = SPARQLWrapper(server.endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setRequestMethod(request_method)
    return sparql.query().convert()


@pytest.mark.parametrize("method,request_method", [(GET, URLENCODED), (POST, URLENCODED),
                                                    (POST, POSTDIRECTLY)])
def test_sparqlwrapper_select_json(server, method, request_method):
    result = wrapper(server, DOCS, JSON, method, request_method)
    rows = [(b["doc"]["value"], int(b["pages"]["value"])) for b in result["results"]["bindings"]]
    assert rows == [(EX + "doc1", 3), (EX + "doc2", 5)]


def test_sparqlwrapper_select_xml(server):
    document = wrapper(server, DOCS, XML)
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == [EX + "doc1", EX + "doc2"]


def test_sparqlwrapper_ask(server):
    assert wrapper(server, f"ASK {{ <{EX}kim> a <{EX}Person> }}", JSON)["boolean"] is True
    assert wrapper(server, f"ASK {{ <{EX}kim> a <{EX}Document> }}", XML).getElementsByTagName(
        "boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("fmt", [RDFXML, TURTLE])
def test_sparqlwrapper_construct(server, fmt):
    result = wrapper(server, f"CONSTRUCT {{ ?p a <{EX}Person> }} WHERE {{ ?p a <{EX}Person> }}", fmt)
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(data=result, format="turtle")
    assert set(graph.subjects()) == {rdflib.URIRef(EX + "kim"), rdflib.URIRef(EX + "stalin")}


def test_sparqlwrapper_describe(server):
    graph = wrapper(server, f"DESCRIBE <{EX}kim>", RDFXML)
    assert isinstance(graph, rdflib.Graph)
    assert graph.value(rdflib.URIRef(EX + "kim"), rdflib.RDFS.label) == rdflib.Literal("Kim Il Sung")


def test_sparqlwrapper_reports_a_bad_query(server):
    with pytest.raises(QueryBadFormed):
        wrapper(server, "SELECT ?x WHERE { ?x ?y }", JSON)


@pytest.fixture()
def remote_graph(server):
    store = SPARQLStore(query_endpoint=server.endpoint)
    graph = rdflib.Graph(store=store)
    yield graph
    graph.close()


def test_sparqlstore_select(remote_graph):
    rows = list(remote_graph.query(DOCS))
    assert [(str(row.doc), row.pages.toPython()) for row in rows] == [(EX + "doc1", 3), (EX + "doc2", 5)]


def test_sparqlstore_ask(remote_graph):
    assert bool(remote_graph.query(f"ASK {{ <{EX}doc2> <{EX}mentions> <{EX}stalin> }}")) is True


def test_sparqlstore_construct_and_describe(remote_graph):
    constructed = remote_graph.query(f"CONSTRUCT WHERE {{ <{EX}doc1> <http://purl.org/dc/terms/title> ?t }}").graph
    titles = {(str(t), t.language) for t in constructed.objects()}
    assert titles == {("Telegram from Pyongyang", "en"), ("Телеграмма из Пхеньяна", "ru")}
    described = remote_graph.query(f"DESCRIBE <{EX}stalin>").graph
    assert described.value(rdflib.URIRef(EX + "stalin"), rdflib.RDFS.label) == rdflib.Literal("Joseph Stalin")


def test_sparqlstore_triples_and_len(remote_graph):
    kim = rdflib.URIRef(EX + "kim")
    assert set(remote_graph.predicate_objects(kim)) == {
        (rdflib.RDF.type, rdflib.URIRef(EX + "Person")), (rdflib.RDFS.label, rdflib.Literal("Kim Il Sung"))}
    assert len(remote_graph) == 22
