"""Every result format, parsed back by an independent parser (json, xml.etree, csv, rdflib)
and compared with what rdflib computes from the same data file; content negotiation."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
import rdflib
from rdflib.compare import isomorphic

from .conftest import EX, SAMPLE

SRX = "{http://www.w3.org/2005/sparql-results#}"
SELECT = (f"SELECT ?doc ?title ?pages WHERE {{ ?doc a <{EX}Document> ; "
          f"<http://purl.org/dc/terms/title> ?title ; <{EX}pages> ?pages }} ORDER BY ?doc ?title")
NOTE = f"SELECT ?note WHERE {{ <{EX}doc1> <{EX}note> ?note }}"
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}graph1> {{ ?s ?p ?o }} }}"
DESCRIBE = f"DESCRIBE <{EX}doc2>"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def dataset():
    ds = rdflib.Dataset()
    ds.parse(SAMPLE, format="trig")
    return ds


@pytest.fixture(scope="module")
def expected_rows(dataset):
    rows = []
    for doc, title, pages in dataset.query(SELECT.replace("WHERE {", "WHERE { GRAPH ?g {").replace(
            "} ORDER BY", "} } ORDER BY")):
        rows.append((str(doc), str(title), str(pages)))
    return rows


def graph1(dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for triple in dataset.graph(rdflib.URIRef(EX + "graph1")):
        g.add(triple)
    return g


# -- SELECT -------------------------------------------------------------------------------

def test_select_json(server, expected_rows):
    reply = server.query(SELECT, accept="application/sparql-results+json")
    assert reply.header("Content-Type") == "application/sparql-results+json; charset=utf-8"
    data = reply.json()
    assert data["head"]["vars"] == ["doc", "title", "pages"]
    rows = [(b["doc"]["value"], b["title"]["value"], b["pages"]["value"]) for b in data["results"]["bindings"]]
    assert rows == expected_rows
    first = data["results"]["bindings"][0]
    assert first["doc"]["type"] == "uri"
    assert first["title"]["xml:lang"] in ("en", "ru")
    assert first["pages"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert reply.header("X-ArchiveKG-Result-Count") == str(len(expected_rows))
    assert reply.header("Vary") == "Accept"


def test_select_xml(server, expected_rows):
    reply = server.query(SELECT, accept="application/sparql-results+xml")
    assert reply.content_type == "application/sparql-results+xml"
    root = ET.fromstring(reply.body)
    assert [v.get("name") for v in root.find(f"{SRX}head")] == ["doc", "title", "pages"]
    rows = []
    for result in root.find(f"{SRX}results"):
        values = {b.get("name"): b[0].text for b in result}
        rows.append((values["doc"], values["title"], values["pages"]))
    assert rows == expected_rows


def test_select_csv(server, expected_rows):
    reply = server.query(SELECT, accept="text/csv")
    assert reply.header("Content-Type") == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(reply.text)))
    assert rows[0] == ["doc", "title", "pages"]
    assert [tuple(r) for r in rows[1:]] == expected_rows


def test_select_tsv(server, expected_rows):
    reply = server.query(SELECT, accept="text/tab-separated-values")
    assert reply.content_type == "text/tab-separated-values"
    lines = reply.text.rstrip("\n").split("\n")
    assert lines[0].split("\t") == ["?doc", "?title", "?pages"]
    first = lines[1].split("\t")
    assert first[0] == f"<{expected_rows[0][0]}>"
    assert first[1].startswith(f'"{expected_rows[0][1]}"@')
    assert len(lines) == 1 + len(expected_rows)


def test_literal_escapes_survive_every_format(server, dataset):
    note = str(next(iter(dataset.query(NOTE.replace("WHERE {", "WHERE { GRAPH ?g {") + " }")))[0])
    assert server.query(NOTE, accept="application/sparql-results+json").json()[
        "results"]["bindings"][0]["note"]["value"] == note
    root = ET.fromstring(server.query(NOTE, accept="application/sparql-results+xml").body)
    assert root.find(f"{SRX}results/{SRX}result/{SRX}binding/{SRX}literal").text == note
    assert list(csv.reader(io.StringIO(server.query(NOTE, accept="text/csv").text)))[1] == [note]
    tsv = server.query(NOTE, accept="text/tab-separated-values").text
    assert tsv.count("\n") == 2          # newlines inside the literal are escaped


# -- ASK ------------------------------------------------------------------------------------

@pytest.mark.parametrize("query,answer", [(f"ASK {{ <{EX}doc1> a <{EX}Document> }}", True),
                                          (f"ASK {{ <{EX}doc1> a <{EX}Person> }}", False)])
def test_ask(server, query, answer):
    assert server.query(query).json()["boolean"] is answer
    root = ET.fromstring(server.query(query, accept="application/sparql-results+xml").body)
    assert root.find(f"{SRX}boolean").text == str(answer).lower()
    assert server.query(query, accept="text/csv").text.strip() == str(answer).lower()
    assert server.query(query, accept="text/tab-separated-values").text.strip() == str(answer).lower()


# -- CONSTRUCT and DESCRIBE ------------------------------------------------------------------

RDF_FORMATS = [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/n-quads", "nquads"),
    ("application/trig", "trig"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
]


def parse_graph(body: bytes, fmt: str) -> rdflib.Graph:
    if fmt in ("nquads", "trig"):
        ds = rdflib.Dataset()
        ds.parse(data=body, format=fmt)
        g = rdflib.Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return rdflib.Graph().parse(data=body, format=fmt)


@pytest.mark.parametrize("media_type,fmt", RDF_FORMATS)
def test_construct(server, dataset, media_type, fmt):
    reply = server.query(CONSTRUCT, accept=media_type)
    assert reply.status == 200, reply.body
    assert reply.content_type == media_type
    got = parse_graph(reply.body, fmt)
    assert isomorphic(got, graph1(dataset))
    assert reply.header("X-ArchiveKG-Result-Count") == str(len(graph1(dataset)))


@pytest.mark.parametrize("media_type,fmt", RDF_FORMATS)
def test_describe(server, media_type, fmt):
    reply = server.query(DESCRIBE, accept=media_type)
    assert reply.status == 200, reply.body
    assert reply.content_type == media_type
    got = parse_graph(reply.body, fmt)
    doc2 = rdflib.URIRef(EX + "doc2")
    assert (doc2, rdflib.RDF.type, rdflib.URIRef(EX + "Document")) in got
    assert set(got.subjects()) >= {doc2}
    assert len(list(got.triples((doc2, None, None)))) == 6


def test_describe_defaults_to_turtle_not_results(server):
    reply = server.query(DESCRIBE)
    assert reply.content_type == "text/turtle"
    rdflib.Graph().parse(data=reply.body, format="turtle")


def test_turtle_uses_the_query_prefixes(server):
    reply = server.query(f"PREFIX ex: <{EX}>\nCONSTRUCT WHERE {{ ex:kim ?p ?o }}")
    assert f"@prefix ex: <{EX}> ." in reply.text
    assert "ex:kim" in reply.text


# -- negotiation ----------------------------------------------------------------------------

@pytest.mark.parametrize("accept,expected", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
    (BROWSER, "application/sparql-results+xml"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+json;q=0.5, text/csv", "text/csv"),
    ("text/csv;q=0.3, application/sparql-results+xml;q=0.9, */*;q=0.1", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
    ("text/*, text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
    ("application/sparql-results+json; charset=utf-8", "application/sparql-results+json"),
    ('text/plain;q=0.9;format="a,b", text/csv;q=0.8', "text/csv"),
    ("nonsense, text/csv;q=oops, text/tab-separated-values;q=0.2", "text/tab-separated-values"),
])
def test_accept_for_select(server, accept, expected):
    reply = server.query(SELECT, accept=accept) if accept is not None else server.query(SELECT)
    assert reply.status == 200, reply.body
    assert reply.content_type == expected


@pytest.mark.parametrize("accept,expected", [
    (None, "text/turtle"),
    ("*/*", "text/turtle"),
    (BROWSER, "application/rdf+xml"),
    ("application/json", "application/ld+json"),
    ("application/n-triples;q=0.9, application/trig", "application/trig"),
    ("application/sparql-results+json, */*;q=0.1", "text/turtle"),
])
def test_accept_for_construct(server, accept, expected):
    reply = server.query(CONSTRUCT, accept=accept) if accept is not None else server.query(CONSTRUCT)
    assert reply.status == 200, reply.body
    assert reply.content_type == expected


@pytest.mark.parametrize("value,query,expected", [
    ("json", SELECT, "application/sparql-results+json"),
    ("xml", SELECT, "application/sparql-results+xml"),
    ("csv", SELECT, "text/csv"),
    ("tsv", SELECT, "text/tab-separated-values"),
    ("text/csv", SELECT, "text/csv"),
    ("ttl", CONSTRUCT, "text/turtle"),
    ("turtle", CONSTRUCT, "text/turtle"),
    ("nt", CONSTRUCT, "application/n-triples"),
    ("nq", CONSTRUCT, "application/n-quads"),
    ("trig", CONSTRUCT, "application/trig"),
    ("jsonld", CONSTRUCT, "application/ld+json"),
    ("json", CONSTRUCT, "application/ld+json"),
    ("rdfxml", CONSTRUCT, "application/rdf+xml"),
    ("xml", CONSTRUCT, "application/rdf+xml"),
])
def test_format_parameter_overrides_accept(server, value, query, expected):
    reply = server.query(query, accept="image/png", format=value)
    assert reply.status == 200, reply.body
    assert reply.content_type == expected


def test_format_not_applicable_to_the_query_form(server):
    reply = server.query(SELECT, format="ttl")
    assert reply.status == 406
    assert "application/sparql-results+json" in reply.json()["acceptable"]


def test_unknown_format(server):
    reply = server.query(SELECT, format="yaml")
    assert reply.status == 400
    assert reply.json()["error"] == "unknown-format"
    assert "json" in reply.json()["acceptable"]
