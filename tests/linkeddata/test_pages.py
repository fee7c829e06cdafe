"""The pages people read: what each shows, generated from the graph and the Turtle files."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
import rdflib
import yaml

from archivekg.site.render import examples

from .conftest import PUBLIC_BASE
from .html_check import parse

ID = PUBLIC_BASE + "id/"
AKG = "https://w3id.org/archivekg/ontology#"
OA = "http://www.w3.org/ns/oa#"
ROUTES = ["/", "/page/ivanov", "/page/doc-one", "/page/resettlement-a", "/timeline",
          "/charts/resettlement", "/query", "/ontology", "/shapes", "/download/", "/graph/doc-one",
          "/map", "/network", "/page/coast", "/page/deportation-1937"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", parse(html).text)


@pytest.mark.parametrize("path", ROUTES)
def test_every_page_is_html_for_phones_with_a_strict_policy(server, path):
    reply = server.get(path, accept="text/html")
    assert reply.status == 200, reply.text[:500]
    assert reply.media_type == "text/html"
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in reply.text
    policy = reply.header("Content-Security-Policy")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    page = parse(reply.text)
    assert not page.inline_script and not page.handlers
    assert all(s.get("src", "").startswith("/assets/") for s in page.scripts)
    for link in page.links:
        if link.startswith("/assets/"):
            assert server.get(link).status == 200, link
    assert len(page.ids) == len(set(page.ids)), "ids are unique"


def test_landing_says_what_the_dataset_is_and_where_to_go(server):
    html = server.get("/").text
    words = text_of(html)
    assert "2 documents, dated 1954-12-20." in words
    assert re.search(r"2 documents", words) and re.search(r"2 persons", words)
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    assert 'href="/download/"' in html and 'href="/.well-known/void"' in html
    assert 'href="/ontology"' in html and 'href="/shapes"' in html and 'href="/sparql"' in html
    assert f'href="{server.root}page/ivanov"' in html          # among the most spoken of
    assert "Archive X" in words                                 # a source, by its citations
    for example in examples.all_examples():
        assert example.title in words


def test_every_example_query_runs_from_its_link(server):
    html = server.get("/").text
    links = [urllib.parse.unquote(link) for link in parse(html).links if link.startswith("/query?")]
    assert len(links) == len(examples.all_examples())
    for link in parse(html).links:
        if link.startswith("/query?"):
            reply = server.get(link)
            assert reply.status == 200, (link, text_of(reply.text)[:400])
            assert "The query failed" not in reply.text
            assert '<table class="results">' in reply.text or "No results." in reply.text


def test_person_page(server):
    html = server.get("/page/ivanov").text
    words = text_of(html)
    assert "V. I. Ivanov" in words
    for variant in ("“Cde. Ivanov”", "“V. Ivanov”"):
        assert variant.strip("“”") in words
    assert "As the documents write it" in words
    assert "In its own script" in words and '<span class="literal" lang="ru">Иванов</span>' in html
    assert 'href="https://www.wikidata.org/wiki/Q4115189"' in html
    positions = html[html.index('id="positions"'):html.index('id="events"')]
    assert "First Secretary" in positions and "1954-12" in positions and "Embassy of Testland" in positions
    events = html[html.index('id="events"'):html.index('id="documents"')]
    assert f'href="{server.root}page/meeting-one"' in events and "participant" in events
    documents = html[html.index('id="documents"'):]
    assert f'href="{server.root}page/doc-one"' in documents and f'href="{server.root}page/doc-two"' in documents
    # the passage in context, the name as written marked
    assert "<mark>Cde. Ivanov</mark>" in documents
    assert "<mark>Cde. V. Ivanov</mark>" in documents
    assert 'class="context">…' in documents


def test_event_page(server):
    html = server.get("/page/resettlement-a").text
    words = text_of(html)
    for section in ("What", "Where", "Figures", "Planned or executed", "Context", "Sources"):
        assert f">{section}</h2>" in html, section
    assert "Alpha Island" in words and "10" in words and "40" in words
    assert 'class="badge"' in html and ">planned</a>" in html
    assert f'href="{server.root}page/resettlement-plan"' in html
    assert "from Alpha Island 10 families, 40 people" in words
    plan = server.get("/page/resettlement-plan").text
    assert ">Legal basis</h2>" in plan and f'href="{server.root}page/decree-x"' in plan
    assert f'href="{server.root}page/resettlement-a"' in plan            # its rows link to it
    deportation = text_of(server.get("/page/deportation-1937").text)
    assert "1937-09/1937-10" in deportation and "between 1937-09-01 and 1937-10-31" in deportation
    assert "executed" in deportation and "uncertain" in deportation
    decree = server.get("/page/decree-x").text
    assert ">Legal basis</h2>" not in decree and "The Cabinet" in decree and ">draft</a>" in decree


def test_document_page_marks_every_passage_from_its_selectors(server, quads_by_subject):
    html = server.get("/page/doc-one").text
    text = (server.corpus / "data" / "documents" / "doc-one.txt").read_text(encoding="utf-8")
    # every evidence of the document: its anchor on the page, and the marked words are the
    # words at oa:start..oa:end of the text file
    evidences = [s for s, props in quads_by_subject.items()
                 if s.startswith(ID + "doc-one/statement/") and s.endswith("/evidence")]
    assert evidences
    body = html[html.index('<div class="text">'):html.index('id="statements"')]
    for evidence in evidences:
        anchor = "s-" + evidence.split("/")[-2]
        assert f'id="{anchor}"' in body
        position = quads_by_subject[evidence + "/position"]
        start, end = int(position[OA + "start"][0]), int(position[OA + "end"][0])
        exact = quads_by_subject[evidence + "/quote"][OA + "exact"][0]
        assert text[start:end] == exact
    marked = "".join(re.findall(r'<mark class="d\d">(.*?)</mark>', body, re.S))
    for evidence in evidences:
        exact = quads_by_subject[evidence + "/quote"][OA + "exact"][0]
        for word in exact.split():
            escaped = word.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
            assert escaped in marked, word
    # the nested quote of doc-two: the inner words are marked twice over
    two = server.get("/page/doc-two").text
    assert '<mark class="d2">the settlers of the coast were deported</mark>' in two
    # the notes say what each passage supports, with links to the statement and entities
    notes = html[html.index('id="statements"'):]
    assert f'href="{server.root}page/resettlement-a"' in notes and f'href="{server.root}page/island-a"' in notes
    assert f'href="{server.root}page/doc-one/factoid/' in notes
    assert "names <q>Cde. Ivanov</q>" in notes
    assert "probable" in notes
    # the record: citation and copies inline, the catalogue, body and distribution segments
    words = text_of(html)
    assert "Archive X, F. 01, D. 7" in words and "Copy no. 1" in words
    for title in ("Catalogue record", "Document", "Distribution"):
        assert f">{title}</h3>" in html
    assert '<details class="segment segment-nondocument">' in two


@pytest.fixture(scope="session")
def quads_by_subject(server):
    import pyoxigraph as ox
    found: dict[str, dict[str, list[str]]] = {}
    for quad in ox.parse(path=str(server.release / "dataset.nq"), format=ox.RdfFormat.N_QUADS):
        found.setdefault(quad.subject.value, {}).setdefault(quad.predicate.value, []).append(quad.object.value)
    return found


def test_document_page_refuses_to_mark_a_changed_text(server, tmp_path):
    path = server.corpus / "data" / "documents" / "doc-two.txt"
    original = path.read_bytes()
    try:
        path.write_bytes(original.replace(b"Deportation", b"Relocation"))
        html = server.get("/page/doc-two").text
        assert "has changed since the graph was built" in html
        assert "<mark" not in html
    finally:
        path.write_bytes(original)
    assert "<mark" in server.get("/page/doc-two").text


def test_statement_page(server, quads_by_subject):
    factoid = next(s for s, props in quads_by_subject.items()
                   if props.get(AKG + "factProperty") == [AKG + "partOfPlace"])
    html = server.get("/page/" + factoid[len(ID):]).text
    words = text_of(html)
    assert "Alpha Island" in words and "part of place" in words and "The Coast" in words
    assert "probable" in words and "data/annotations/doc-one.yaml:" in words
    assert f'href="{server.root}page/doc-one#s-' in html


def test_timeline_shows_every_event_at_its_date_or_its_documents(server, quads_by_subject):
    html = server.get("/timeline").text
    dated = sorted((props[AKG + "earliestDate"][0], s) for s, props in quads_by_subject.items()
                   if AKG + "earliestDate" in props and (AKG + "Event" in props.get(
                       "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", [])))
    assert dated
    listed = html[html.index('id="list"'):]
    positions = [listed.index(f'href="{server.root}page/{s[len(ID):]}"') for _, s in dated]
    assert positions == sorted(positions)
    # Every event without a date of its own but stated in a dated document is there too, at
    # that document's date and marked so; each bar is drawn twice (wide chart, narrow chart).
    types = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    events = {s for s, props in quads_by_subject.items()
              if {AKG + "Event", AKG + "Decree"} & set(props.get(types, []))}
    undated = {s for s in events if AKG + "earliestDate" not in quads_by_subject[s]}
    by_document = {props[AKG + "factSubject"][0] for props in quads_by_subject.values()
                   if props.get(AKG + "factSubject", [None])[0] in undated
                   and AKG + "earliestDate" in quads_by_subject.get(props[AKG + "sourceDocument"][0], {})}
    assert by_document
    wide = html[html.index('class="timeline-chart wide"'):html.index('class="timeline-chart narrow"')]
    assert wide.count('<rect class="bar') == len(dated) + len(by_document) == len(events & (
        {s for _, s in dated} | by_document))
    assert wide.count(' by-document"') + wide.count(' by-document ') == len(by_document)
    assert html.count('<rect class="bar') == 2 * (len(dated) + len(by_document))
    assert '<rect class="bar movement planned"' in html           # the planned resettlement
    assert '<rect class="bar movement"' in html                   # the executed deportation
    only_1937 = server.get("/timeline", params={"from": 1937, "to": 1937}).text
    assert f'{server.root}page/deportation-1937' in only_1937
    assert f'{server.root}page/meeting-one' not in only_1937


def test_chart_of_resettlement_figures_by_origin(server):
    html = server.get("/charts/resettlement").text
    words = text_of(html)
    assert "Planned resettlement from the islands (1954)" in words
    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index('<table class="figures">'):]))
    assert "Alpha Island 10 40" in table and "Beta Island 5 21" in table and "Total 15 61" in table
    assert html.count('<rect class="bar families"') == 2 and html.count('<rect class="bar people"') == 2
    query_link = next(link for link in parse(html).links if link.startswith("/query?"))
    assert "akg:numberOfFamilies" in urllib.parse.unquote_plus(query_link)
    assert server.get(query_link).status == 200


def test_query_page_runs_a_query_and_offers_every_format(server):
    empty = server.get("/query").text
    assert "PREFIX akg: &lt;https://w3id.org/archivekg/ontology#&gt;" in empty
    query = ("PREFIX akg: <https://w3id.org/archivekg/ontology#>\n"
             "SELECT ?place ?name WHERE { ?place a akg:Island ; akg:name ?name } ORDER BY ?name")
    html = server.get("/query", params={"query": query}).text
    rows = re.findall(r"<tr>(.*?)</tr>", html[html.index('<tbody>', html.index('<table class="results">')):], re.S)
    assert len(rows) == 2 and "Alpha Island" in rows[0] and "Beta Island" in rows[1]
    assert f'href="{server.root}page/island-a"' in rows[0]
    downloads = [link for link in parse(html).links if link.startswith("/sparql?")]
    assert {urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["format"][0] for link in downloads} == \
        {"json", "xml", "csv", "tsv"}
    csv = server.get(next(link for link in downloads if "format=csv" in link))
    assert csv.status == 200 and "Alpha Island" in csv.text
    posted = server.get("/query", method="POST", body=urllib.parse.urlencode({"query": query}).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert posted.status == 200 and "Beta Island" in posted.text
    construct = server.get("/query", params={"query": "CONSTRUCT WHERE { ?s a <https://w3id.org/archivekg/ontology#City> }"}).text
    assert "<th scope=\"col\">subject</th>" in construct
    assert "format=turtle" in construct


def test_query_page_shows_errors_in_place(server):
    reply = server.get("/query", params={"query": "SELECT ?x WHERE { ?x "})
    assert reply.status == 400
    assert "The query failed" in reply.text and "syntax-error" in reply.text
    update = server.get("/query", params={"query": "DROP ALL"})
    assert update.status == 403 and "not a query" in update.text


def test_ontology_page_documents_every_term_of_the_turtle(server):
    html = server.get("/ontology").text
    graph = rdflib.Graph().parse(server.corpus / "ontology" / "test.ttl")
    terms = {str(s)[len(AKG):] for s in graph.subjects() if str(s).startswith(AKG) and str(s) != AKG}
    ids = set(parse(html).ids)
    assert terms <= ids
    person = html[html.index('id="Person"'):html.index('id="Region"')]
    for alignment in ("crm:E21_Person", "schema:Person", "prov:Person"):
        assert alignment in person
    assert 'href="http://www.cidoc-crm.org/cidoc-crm/E21_Person"' in person
    resettlement = html[html.index('id="Resettlement"'):]
    resettlement = resettlement[:resettlement.index("</article>")]
    assert 'href="#PopulationMovement"' in resettlement
    assert "crm:E9_Move" in resettlement and "through" in resettlement     # inherited alignment
    assert "Test ontology" in html and "0.0.1" in html


def test_ontology_page_follows_the_file(server):
    path = server.corpus / "ontology" / "test.ttl"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + '\nakg:Added a owl:Class ; rdfs:label "Added later" .\n', encoding="utf-8")
        assert 'id="Added"' in server.get("/ontology").text
    finally:
        path.write_text(original, encoding="utf-8")
    assert 'id="Added"' not in server.get("/ontology").text


def test_shapes_page_documents_every_shape_of_the_turtle(server):
    html = server.get("/shapes").text
    ids = set(parse(html).ids)
    assert {"Person", "PersonName", "MovementStatus", "NotPartOfItself"} <= ids
    words = text_of(html)
    assert "Planned is not executed" in words and "akg:planned, akg:executed" in words
    assert "sh:targetClass" in words and "sh:minCount" in words
    assert "An event is not part of itself." in words and "$this akg:partOfEvent $this" in words
    assert "Test shapes" in words


def test_examples_file_is_well_formed():
    entries = yaml.safe_load(examples.FILE.read_text(encoding="utf-8"))
    assert len({e["id"] for e in entries}) == len(entries)
    assert examples.for_chart("resettlement").id == "resettlement-figures-by-origin"


def test_query_page_declares_our_prefixes_for_a_query_without_them(server):
    # Issue 13: the page said the prefixes were declared, and a query without PREFIX lines failed.
    html = server.get("/query", params={"query": "SELECT ?name WHERE { ?p a akg:Island ; akg:name ?name } "
                                                 "ORDER BY ?name"}, accept="text/html").text
    rows = re.findall(r"<tr>(.*?)</tr>", html[html.index("<tbody>", html.index('<table class="results">')):], re.S)
    assert len(rows) == 2 and "Alpha Island" in rows[0]
    csv_link = next(link for link in parse(html).links if link.startswith("/sparql?") and "format=csv" in link)
    assert "Alpha Island" in server.get(csv_link).text      # the endpoint gets the prefixes in the link
    # A query that declares a prefix of its own keeps its own namespace for it.
    own = server.get("/query", params={"query": "PREFIX akg: <urn:other#> ASK { ?p a akg:Island }"}).text
    assert "false" in text_of(own[own.index('<table class="results">'):])


def test_query_page_shows_a_syntax_error_as_a_sentence_with_line_and_column(server):
    reply = server.get("/query", params={"query": "SELECT ?p WHERE {\n  ?p a foo:Person .\n}"}, accept="text/html")
    assert reply.status == 400
    sentence = text_of(re.search(r'<p class="sentence">(.*?)</p>', reply.text, re.S).group(1))
    assert sentence.startswith("The query cannot be read at line 2, column ")
    assert "“foo:” is not a declared prefix" in sentence
    assert "expected one of" not in sentence          # the parser's list is folded away
    unfinished = server.get("/query", params={"query": "SELECT ?x WHERE { ?x "}, accept="text/html").text
    assert "at line 1, column" in unfinished and "is not finished" in unfinished


def test_query_page_shows_labels_beside_identifiers(server):
    html = server.get("/query", params={"query": "SELECT ?p WHERE { ?p a akg:Island } ORDER BY ?p"}).text
    rows = re.findall(r"<tr>(.*?)</tr>", html[html.index("<tbody>", html.index('<table class="results">')):], re.S)
    assert ">Alpha Island</a>" in rows[0] and '<code class="muted id">id:island-a</code>' in rows[0]


def test_regression_persons_example_counts_documents_and_statements(server):
    # Issue 13: "Persons, by the number of documents that mention them" promised statement
    # counts and returned only document counts.
    example = next(e for e in examples.all_examples() if e.id == "persons-by-documents")
    assert "statements" in example.description
    from archivekg.namespaces import PREFIXES
    prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
    reply = server.get("/sparql", params={"query": prologue + example.body, "format": "json"})
    data = json.loads(reply.body)
    assert data["head"]["vars"] == ["person", "name", "documents", "statements"]
    rows = data["results"]["bindings"]
    assert rows
    for row in rows:
        person = row["person"]["value"]
        direct = json.loads(server.get("/sparql", params={"format": "json", "query": (
            "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { "
            f"{{ ?f <{AKG}factSubject> <{person}> }} UNION {{ ?f <{AKG}factObject> <{person}> }} }}")}).body)
        assert row["statements"]["value"] == direct["results"]["bindings"][0]["n"]["value"]


def test_an_unknown_path_is_a_styled_page_with_the_search_box_for_browsers(server):
    reply = server.get("/nowhere/kim-il-sung", accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert reply.status == 404 and reply.media_type == "text/html"
    assert '<link rel="stylesheet" href="/assets/site.css">' in reply.text
    assert 'action="/search"' in reply.text and 'value="kim il sung"' in reply.text
    assert "script-src 'self'" in reply.header("Content-Security-Policy")
    plain = server.get("/nowhere", accept="application/json")
    assert plain.status == 404 and json.loads(plain.body)["error"] == "not-found"
