"""Hostile strings in the data are shown, never run: names, labels, titles, notes, rights,
the document text, ontology definitions and shape messages carry markup in the test corpus."""

from __future__ import annotations

import urllib.parse

import pytest

from .html_check import parse

HOSTILE_PAGES = [
    "/", "/page/hostile", "/page/ivanov", "/page/doc-one", "/page/meeting-one", "/page/island-a",
    "/page/doc-one/text", "/timeline", "/ontology", "/shapes", "/download/", "/graph/doc-one",
    "/query?" + urllib.parse.urlencode({"query": "SELECT ?x ?name WHERE { ?x <https://w3id.org/archivekg/ontology#name> ?name }"}),
    "/query?" + urllib.parse.urlencode({"query": "SELECT ?x ?label WHERE { ?x <https://w3id.org/archivekg/ontology#label> ?label }"}),
]
RAW = ("<script>alert(", "<img src=x", "<b>bold</b>", "<em>reuse</em>", "<i>markup</i>", "<b>assumed</b>",
       "</textarea><script>")
DATA_TAGS = {"img", "b", "em", "i", "iframe", "object", "embed"}


def assert_inert(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, (where, raw)
    page = parse(html)
    assert not DATA_TAGS & set(page.tags), (where, DATA_TAGS & set(page.tags))
    assert not page.handlers, (where, page.handlers)
    assert not page.inline_script, where
    assert all(s.get("src", "").startswith("/assets/") for s in page.scripts), where
    assert not any(link.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
                   for link in page.links), where


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_hostile_strings_are_escaped(server, path):
    reply = server.get(path, accept="text/html")
    assert reply.status == 200, reply.text[:300]
    assert_inert(reply.text, path)


def test_hostile_strings_are_shown_as_written(server):
    person = server.get("/page/hostile").text
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt; Smith" in person
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in person
    document = server.get("/page/doc-one").text
    assert "Memo on the islands &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in document
    assert "To Cde. &lt;script&gt;alert(&#34;addressee&#34;)&lt;/script&gt;" in document   # the text itself
    assert "Rights: &lt;em&gt;reuse&lt;/em&gt;" in document
    assert "&lt;i&gt;markup&lt;/i&gt;" in document                                       # a curator's note
    meeting = server.get("/page/meeting-one").text
    assert "Meeting &#34;&gt;&lt;img src=x onerror=alert(2)&gt; of Ivanov" in meeting
    assert "A human being. &lt;script&gt;alert(&#39;ontology&#39;)&lt;/script&gt;" in server.get("/ontology").text
    assert "One preferred name &lt;script&gt;alert(&#39;shape&#39;)&lt;/script&gt;." in server.get("/shapes").text


def test_a_javascript_source_url_is_shown_but_not_linked(server):
    html = server.get("/page/doc-one").text
    assert "javascript:alert(4)" in html
    assert 'href="javascript:' not in html


def test_hostile_query_text_stays_in_the_editor(server):
    hostile = '</textarea><script>alert("query")</script> SELECT'
    reply = server.get("/query", params={"query": hostile})
    assert reply.status == 400
    assert_inert(reply.text, "query error")
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&#34;query&#34;)&lt;/script&gt; SELECT" in reply.text


def test_hostile_paths_in_404_pages_are_escaped(server):
    reply = server.get("/page/%3Cscript%3Ealert(5)%3C/script%3E", accept="text/html")
    assert reply.status == 404
    assert_inert(reply.text, "404")


def test_hostile_strings_survive_in_the_data(server):
    import rdflib
    graph = rdflib.Graph().parse(data=server.get("/data/hostile.ttl").body, format="turtle")
    names = {str(o) for o in graph.objects(None, rdflib.URIRef("https://w3id.org/archivekg/ontology#name"))}
    assert '<script>alert("name")</script> Smith' in names
