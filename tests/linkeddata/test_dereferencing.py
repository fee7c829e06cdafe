"""Dereferencing: every IRI the graph mints answers 303 to a page (HTML) or a data document
(RDF), chosen by Accept, format= or an extension; descriptions parse back and hold the
resource's triples, the labels of what it links to and its provenance; unknown IRIs 404."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare

from archivekg import jsonld

from .conftest import PUBLIC_BASE

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

AKG = "https://w3id.org/archivekg/ontology#"
ID = PUBLIC_BASE + "id/"
RDF_FORMATS = {            # extension: (media type, rdflib parser)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
    "trig": ("application/trig", "trig"),
    "nq": ("application/n-quads", "nquads"),
}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture(scope="session")
def quads(server) -> list[ox.Quad]:
    return list(ox.parse(path=str(server.release / "dataset.nq"), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="session")
def minted(quads) -> list[str]:
    """Every IRI of our id namespace that the graph uses, as subject or object."""
    found = set()
    for quad in quads:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(ID):
                found.add(term.value)
    return sorted(found)


def path_of(iri: str) -> str:
    return iri[len(ID):]


CONTEXT = jsonld.load_context(Path(__file__).resolve().parents[2] / "mappings")


def parse(body: bytes, parser: str) -> rdflib.Dataset:
    document = json.loads(body) if parser == "json-ld" else None
    if isinstance(document, dict) and isinstance(document.get("@context"), str):
        # compacted with our context, named by its URL: read without fetching it
        return jsonld.expand_with(body, CONTEXT, document["@context"])
    dataset = rdflib.Dataset()
    dataset.parse(data=body, format=parser)
    return dataset


def triples_of(dataset: rdflib.Dataset) -> set:
    return {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}


def test_the_graph_mints_every_kind_of_iri(minted):
    kinds = {"/factoid/", "/mention/", "/statement/", "/text", "/quantity/", "/time-span", "-citation", "-copy-"}
    for kind in kinds:
        assert any(kind in iri for iri in minted), kind
    assert len(minted) > 50


def test_every_minted_iri_redirects_to_its_page_and_its_data(server, minted):
    for iri in minted:
        path = path_of(iri)
        html = server.get(f"/id/{path}", accept=BROWSER_ACCEPT)
        assert html.status == 303, iri
        assert html.header("Location") == f"{server.root}page/{path}"
        assert "Accept" in html.header("Vary")
        data = server.get(f"/id/{path}", accept="text/turtle")
        assert data.status == 303, iri
        assert data.header("Location") == f"{server.root}data/{path}.ttl"


def test_every_minted_iri_has_a_page_and_a_description(server, minted):
    for iri in minted:
        page = server.get(f"/page/{path_of(iri)}")
        assert page.status == 200, (iri, page.text[:500])
        assert page.media_type == "text/html"
        assert iri in page.text
        data = server.get(f"/data/{path_of(iri)}.nt")
        assert data.status == 200, iri
        graph = rdflib.Graph().parse(data=data.body, format="nt")
        assert (None, None, None) in graph


@pytest.mark.parametrize("extension", sorted(RDF_FORMATS))
def test_each_format_by_accept_extension_and_format_parameter(server, extension):
    media, parser = RDF_FORMATS[extension]
    negotiated = server.get("/id/resettlement-a", accept=media)
    assert negotiated.status == 303
    assert negotiated.header("Location") == f"{server.root}data/resettlement-a.{extension}"
    by_parameter = server.get("/id/resettlement-a", params={"format": extension})
    assert by_parameter.header("Location") == negotiated.header("Location")

    reply = server.get(negotiated.header("Location"))
    assert reply.status == 200
    assert reply.media_type == media
    dataset = parse(reply.body, parser)
    subject = rdflib.URIRef(ID + "resettlement-a")
    assert (subject, rdflib.URIRef(AKG + "numberOfFamilies"), rdflib.Literal(10)) in triples_of(dataset)

    without_extension = server.get("/data/resettlement-a", accept=media)
    assert without_extension.status == 200
    assert without_extension.media_type == media
    assert without_extension.header("Content-Location") == negotiated.header("Location")
    assert triples_of(parse(without_extension.body, parser)) == triples_of(dataset)


def test_a_description_holds_its_triples_labels_and_provenance(server, quads):
    iri = ID + "resettlement-a"
    dataset = parse(server.get("/data/resettlement-a.trig").body, "trig")
    got = {(str(s), str(p), str(o), str(g)) for s, p, o, g in dataset.quads((None, None, None, None))}
    own = {(q.subject.value, q.predicate.value, q.object.value, q.graph_name.value)
           for q in quads if q.subject.value == iri}
    assert own and own <= got, "every triple where it is subject, in its graph"
    # the labels of what it links to
    assert (ID + "island-a", AKG + "name", "Alpha Island", PUBLIC_BASE + "graph/entities") in got
    # its provenance: the factoids stating its triples, with their quotes and documents
    factoids = {s for s, p, o, g in got if p == AKG + "factSubject" and o == iri}
    assert factoids
    for factoid in factoids:
        assert (factoid, AKG + "sourceDocument", ID + "doc-one", PUBLIC_BASE + "graph/doc-one") in got
        assert any(s == factoid and p == AKG + "quote" for s, p, o, g in got)
    triples = parse(server.get("/data/resettlement-a.ttl").body, "turtle")
    assert len(triples_of(triples)) == len({(s, p, o) for s, p, o, _ in got})


def test_a_browser_gets_the_page_and_a_data_client_the_data(server):
    assert server.get("/id/ivanov", accept=BROWSER_ACCEPT).header("Location").endswith("/page/ivanov")
    assert server.get("/id/ivanov", accept="*/*").header("Location").endswith("/page/ivanov")
    rdf_client = "text/turtle;q=1.0, application/rdf+xml;q=0.9, text/html;q=0.1"
    assert server.get("/id/ivanov", accept=rdf_client).header("Location").endswith("/data/ivanov.ttl")
    assert server.get("/id/ivanov", accept="application/ld+json").header("Location").endswith(".jsonld")
    assert server.get("/id/ivanov", params={"format": "html"}).header("Location").endswith("/page/ivanov")


def test_an_extension_on_the_thing_itself_is_understood(server):
    reply = server.get("/id/ivanov.ttl")
    assert reply.status == 303
    assert reply.header("Location") == f"{server.root}data/ivanov.ttl"


def test_nothing_acceptable_is_406_in_the_shared_error_shape(server):
    reply = server.get("/id/ivanov", accept="image/png")
    assert reply.status == 406
    body = reply.json()
    assert body["ok"] is False and body["status"] == 406 and body["error"] == "not-acceptable"
    assert "text/turtle" in body["acceptable"]


def test_an_unknown_format_parameter_is_400(server):
    reply = server.get("/id/ivanov", params={"format": "docx"}, accept="application/json")
    assert reply.status == 400
    assert reply.json()["error"] == "unknown-format"


@pytest.mark.parametrize("path", ["/id/no-such-thing", "/page/no-such-thing", "/data/no-such-thing.ttl",
                                  "/data/no-such-thing"])
def test_an_unknown_iri_is_404_with_a_helpful_answer(server, path):
    machine = server.get(path, accept="application/json")
    assert machine.status == 404
    body = machine.json()
    assert body["error"] == "unknown-resource"
    assert body["iri"] == ID + "no-such-thing"
    person = server.get(path, accept=BROWSER_ACCEPT)
    assert person.status == 404
    assert person.media_type == "text/html"
    assert "no-such-thing" in person.text and 'href="/query"' in person.text


def test_a_404_suggests_what_was_probably_meant(server):
    body = server.get("/id/ivanov-v", accept="application/json").json()
    assert any(s["iri"] == ID + "ivanov" and s["page"] == f"{server.root}page/ivanov"
               for s in body["suggestions"])
    html = server.get("/page/ivanov-v", accept="text/html").text
    assert f'href="{server.root}page/ivanov"' in html


def test_an_iri_that_is_not_valid_is_404(server):
    reply = server.get("/id/a%3Eb%20c", accept="application/json")
    assert reply.status == 404


def test_named_graph_iris_resolve(server, quads):
    name = PUBLIC_BASE + "graph/doc-one"
    page = server.get("/graph/doc-one", accept=BROWSER_ACCEPT)
    assert page.status == 200 and page.media_type == "text/html"
    assert name in page.text
    expected = {(q.subject.value, q.predicate.value, q.object.value) for q in quads
                if q.graph_name.value == name}
    for extension, (media, parser) in RDF_FORMATS.items():
        reply = server.get(f"/graph/doc-one.{extension}")
        assert reply.status == 200, extension
        assert reply.media_type == media
        dataset = parse(reply.body, parser)
        assert {(str(s), str(p), str(o)) for s, p, o in triples_of(dataset)} == expected, extension
        if extension in ("trig", "nq"):
            assert {str(g) for _, _, _, g in dataset.quads((None, None, None, None))} == {name}
    negotiated = server.get("/graph/doc-one", accept="application/n-triples")
    assert negotiated.media_type == "application/n-triples"
    assert negotiated.header("Content-Location") == f"{server.root}graph/doc-one.nt"
    assert server.get("/graph/no-such-graph", accept="application/json").status == 404


def test_ontology_and_shapes_namespaces_resolve(server):
    for path, namespace in (("/ontology", AKG), ("/shapes", "https://w3id.org/archivekg/shapes#")):
        page = server.get(path, accept=BROWSER_ACCEPT)
        assert page.status == 200 and page.media_type == "text/html"
        for extension, (media, parser) in list(RDF_FORMATS.items())[:4]:
            reply = server.get(f"{path}.{extension}")
            assert reply.status == 200 and reply.media_type == media, (path, extension)
            graph = rdflib.Graph().parse(data=reply.body, format=parser)
            assert any(str(s).startswith(namespace) for s in graph.subjects()), (path, extension)
        negotiated = server.get(path, accept="text/turtle")
        assert negotiated.media_type == "text/turtle"
        assert negotiated.header("Content-Location") == f"{server.root}{path.strip('/')}.ttl"
        assert server.get(path, params={"format": "jsonld"}).media_type == "application/ld+json"


def test_iris_of_shapes_files_and_ontology_versions_resolve(server):
    reply = server.get("/shapes/test", accept=BROWSER_ACCEPT)
    assert reply.status == 303 and reply.header("Location") == f"{server.root}shapes#file-test"
    assert 'id="file-test"' in server.get("/shapes").text
    turtle = server.get("/shapes/test", accept="text/turtle")
    assert turtle.body == (server.corpus / "shapes" / "test.ttl").read_bytes()
    assert server.get("/shapes/test.nt").media_type == "application/n-triples"
    version = server.get("/ontology/0.0.1", accept=BROWSER_ACCEPT)
    assert version.status == 303 and version.header("Location") == f"{server.root}ontology"
    assert server.get("/shapes/nothing", accept="application/json").status == 404


def test_the_ontology_in_turtle_is_the_file_itself(server):
    reply = server.get("/ontology.ttl")
    assert reply.body == (server.corpus / "ontology" / "test.ttl").read_bytes()


def test_dumps_are_the_dataset_with_their_sizes_and_checksums(server, quads):
    import hashlib
    page = server.get("/download/").text
    expected = {(q.subject.value, q.predicate.value, q.object.value, q.graph_name.value) for q in quads}
    for name, parser in (("dataset.nq.gz", "nquads"), ("dataset.trig", "trig"), ("dataset.nq", "nquads"),
                         ("dataset.jsonld", "json-ld"), ("dataset.ttl", "turtle")):
        reply = server.get(f"/download/{name}")
        assert reply.status == 200, name
        digest = hashlib.sha256(reply.body).hexdigest()
        assert digest in page and str(len(reply.body)) in page, name
        assert reply.header("ETag").strip('"') == digest
        body = gzip.decompress(reply.body) if name.endswith(".gz") else reply.body
        dataset = parse(body, parser)
        got = {(str(s), str(p), str(o), str(g)) for s, p, o, g in dataset.quads((None, None, None, None))}
        if name == "dataset.jsonld":   # compacted with our context, given inline
            document = json.loads(body)
            assert isinstance(document["@context"], dict) and "name" in document["@context"]
            graphs = [node for node in document["@graph"] if "@graph" in node]
            assert graphs and all(not key.startswith("http") for g in graphs for n in g["@graph"] for key in n)
        if name == "dataset.ttl":      # Turtle holds the union of the graphs
            assert {t[:3] for t in got} == {t[:3] for t in expected}
        else:
            assert got == expected, name
    assert server.get("/download/dataset.zip", accept="application/json").status == 404


def test_downloads_say_the_licence_and_the_rights_of_the_texts_separately(server):
    page = server.get("/download/").text
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "Rights: &lt;em&gt;reuse&lt;/em&gt; for research" in page
    assert "No rights statement is recorded." in page          # doc-two has none
    assert page.index("Our statements") < page.index("The quoted document texts")


def test_void_links_the_dumps(server):
    void = rdflib.Graph().parse(data=server.get("/.well-known/void", accept="text/turtle").body,
                                format="turtle")
    dumps = {str(o) for o in void.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert dumps
    for url in dumps:
        assert server.get(url).status == 200, url


def test_pages_of_a_local_server_link_to_itself(server):
    html = server.get("/page/resettlement-a").text
    assert f'href="{server.root}page/island-a"' in html
    assert f'href="{server.root}page/doc-one#s-' in html
    assert 'href="https://w3id.org/archivekg/' not in html
    other_host = server.get("/id/island-a", headers={"Host": "kg.example.org"})
    assert other_host.header("Location") == "http://kg.example.org/page/island-a"


def test_a_server_deployed_at_its_base_answers_for_it(tmp_path_factory):
    from .conftest import build_corpus, free_port, start_server
    folder = tmp_path_factory.mktemp("deployed")
    # The data is minted with this server's own address as the base, as in production where
    # the public base points at the server.
    base = f"http://127.0.0.1:{free_port()}/"
    values = build_corpus(folder, base)
    running = start_server(folder, values)
    try:
        local_base = running.root
        data = rdflib.Graph().parse(data=running.get("/data/ivanov.ttl").body, format="turtle")
        assert (rdflib.URIRef(base + "id/ivanov"), None, None) in data
        reply = running.get("/id/ivanov", accept=BROWSER_ACCEPT)
        assert reply.header("Location") == f"{local_base}page/ivanov"
        assert running.get("/graph/doc-one.nt").status == 200
    finally:
        running.stop()


def test_jsonld_is_compacted_with_our_context_and_round_trips(server):
    """One node object per resource, our terms, the context by URL (served there), and the
    same triples as the Turtle once expanded."""
    body = server.get("/data/ivanov.jsonld").body
    document = json.loads(body)
    assert document["@context"] == f"{server.root}context.jsonld"
    served = server.get("/context.jsonld")
    assert served.media_type == "application/ld+json"
    assert json.loads(served.body)["@context"] == CONTEXT
    for graph in document["@graph"]:
        ids = [node.get("id", node.get("@id")) for node in graph.get("@graph", [graph])]
        assert len(ids) == len(set(ids)), "one node object per resource in each graph"
    nodes = [node for graph in document["@graph"] for node in graph.get("@graph", [graph])]
    person = [node for node in nodes if node.get("id", node.get("@id")) == ID + "ivanov"]
    assert any("name" in node for node in person)    # our term, not a full IRI
    expanded = jsonld.expand_with(body, CONTEXT, document["@context"])
    turtle = parse(server.get("/data/ivanov.ttl").body, "turtle")
    # The same triples, but for the few that describe each document by its own URL.
    assert rdflib.compare.isomorphic(_about_the_resource(expanded), _about_the_resource(turtle))


def _about_the_resource(dataset: rdflib.Dataset) -> rdflib.Graph:
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        if not str(s).startswith(("http://127.0.0.1", "http://localhost")):
            graph.add((s, p, o))
    assert len(graph) > 10
    return graph
