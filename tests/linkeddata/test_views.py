"""The views of issue 14 over HTTP, without a browser: the map, the network, the timeline, the
result views of the query page and the editor's vocabulary, on the test corpus (whose places
The Capital and The Coast have points, and Alpha and Beta Island lie in The Coast)."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from linkeddata.html_check import parse

ID = "https://w3id.org/archivekg/id/"
AKG = "https://w3id.org/archivekg/ontology#"
PAGES = ["/", "/map", "/network", "/timeline", "/query", "/page/ivanov", "/page/coast", "/page/island-a",
         "/page/deportation-1937", "/page/doc-one", "/ontology", "/shapes", "/download/",
         "/query?query=" + urllib.parse.quote("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")]


def section(html: str, start: str, end: str | None = None) -> str:
    begin = html.index(start)
    return html[begin:html.index(end, begin)] if end else html[begin:]


def row(html: str, anchor: str) -> str:
    match = re.search(rf'<(tr|li) id="{re.escape(anchor)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no row #{anchor}"
    return match.group(2)


# -- the map ------------------------------------------------------------------------------

def test_map_draws_places_at_their_points_and_through_the_place_they_are_part_of(server):
    html = server.get("/map").text
    svg = section(html, '<svg class="map"', "</svg>")
    markers = re.findall(r'<a href="(#place-[^"]+)" class="marker-link"><title>([^<]*)</title><circle class="marker( via)?"',
                         svg)
    by_anchor = {href: (title, bool(via)) for href, title, via in markers}
    # The Capital at its own point; The Coast with its two islands, drawn at The Coast's point.
    assert len(markers) == 2
    capital = next(t for t, v in by_anchor.values() if "The Capital" in t)
    coast = next((t, v) for t, v in by_anchor.values() if "The Coast" in t)
    assert "Alpha Island" in coast[0] and "Beta Island" in coast[0] and coast[1]
    assert "drawn at the point of The Coast" in coast[0] and "drawn at" not in capital
    for href in by_anchor:
        assert f'id="{href[1:]}"' in html
    table = section(html, 'id="places"')
    assert "41°N 129°E" in table and "https://example.org/gazetteer/the-capital" in table
    assert "the point of" in row(html, "place-island-a") and "The Coast" in row(html, "place-island-a")


def test_map_draws_each_movement_and_links_it_to_its_statements(server):
    html = server.get("/map").text
    lines = re.findall(r'<a href="#(flow-\d+)" class="flow-link"><title>([^<]*)</title><path class="flow (\w+)"', html)
    assert len(lines) == 1                       # the deportation is the only one with both ends drawn
    anchor, title, status = lines[0]
    assert status == "executed" and "The Coast → The Capital" in title and "1,000 people" in title
    cells = row(html, anchor)
    factoids = re.findall(r'href="([^"]+/factoid/[^"]+)"', cells)
    assert factoids and "deported to the capital" in cells
    statement = server.get(factoids[0])
    assert statement.status == 200 and "deported" in statement.text
    # The planned rows from the islands have no destination: listed, marked planned, not drawn.
    planned = [m for m in re.finditer(r'<tr id="(flow-\d+)" class="planned">(.*?)</tr>', html, re.S)]
    assert {"Alpha Island", "Beta Island"} <= {w for m in planned for w in ("Alpha Island", "Beta Island")
                                               if w in m.group(2)}
    assert all("not on the map" in m.group(2) for m in planned)


def test_map_json_feeds_the_interactive_layer(server):
    reply = server.get("/map.json")
    assert reply.status == 200 and reply.media_type == "application/json"
    data = reply.json()
    places = {p["label"]: p for p in data["places"]}
    assert places["Alpha Island"]["via"] == "The Coast"
    assert (places["Alpha Island"]["lat"], places["Alpha Island"]["lon"]) == (40.2, 124.8)
    assert places["The Capital"]["via"] is None
    assert [f["status"] for f in data["flows"]] == ["executed"]
    assert data["flows"][0]["from"] == [40.2, 124.8] and data["flows"][0]["to"] == [41.0, 129.0]
    assert server.get(data["basemap"]).status == 200


def test_place_and_movement_pages_have_a_small_map(server):
    island = server.get("/page/island-a").text
    assert '<svg class="map"' in island
    assert "has no point of its own: it is drawn at the point of" in island
    deportation = server.get("/page/deportation-1937").text
    assert 'class="flow executed"' in section(deportation, '<svg class="map"', "</svg>")
    person = server.get("/page/ivanov").text
    assert '<svg class="map"' not in person


def test_geosparql_and_schema_org_find_the_points(server):
    reply = server.get("/sparql", accept="application/sparql-results+json", params={"query": """
        PREFIX geo: <http://www.opengis.net/ont/geosparql#>
        PREFIX schema: <http://schema.org/>
        SELECT ?place ?wkt ?lat WHERE { ?place geo:hasGeometry ?g . ?g geo:asWKT ?wkt .
                                        ?place schema:geo ?c . ?c schema:latitude ?lat } ORDER BY ?place"""})
    rows = reply.json()["results"]["bindings"]
    assert [(r["place"]["value"], r["wkt"]["value"]) for r in rows] == [
        (ID + "capital", "POINT(129 41)"), (ID + "coast", "POINT(124.8 40.2)")]


# -- the network ----------------------------------------------------------------------------

def test_network_lists_each_relation_with_its_statements(server):
    html = server.get("/network").text
    relations = re.findall(r'<li id="(edge-\d+)">', html)
    text = {anchor: re.sub(r"<[^>]+>|\s+", " ", row(html, anchor).split("<ul")[0]) for anchor in relations}
    assert any("V. I. Ivanov" in t and "served in" in t and "Embassy of Testland" in t for t in text.values())
    assert any("met" in t and "V. I. Ivanov" in t for t in text.values())
    for anchor in text:
        assert re.search(r'class="factoid" href="[^"]+/factoid/', row(html, anchor)), anchor
    data = server.get("/network.json").json()
    assert len(data["edges"]) == len(relations)
    ids = {n["data"]["id"] for n in data["nodes"]}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in data["edges"])
    assert all(e["data"]["statements"] and e["data"]["row"].startswith("#edge-") for e in data["edges"])


def test_network_filters_by_relation_document_and_date(server):
    met = server.get("/network.json", params={"relation": "met"}).json()
    assert met["edges"] and {e["data"]["relation"] for e in met["edges"]} == {"met"}
    doc_two = server.get("/network.json", params={"document": ID + "doc-two"}).json()
    assert {e["data"]["relation"] for e in doc_two["edges"]} == {"member of"}
    in_1955 = server.get("/network.json", params={"from": "1955", "to": "1955"}).json()
    assert {e["data"]["relation"] for e in in_1955["edges"]} == {"met"}
    assert server.get("/network.json", params={"from": "1937", "to": "1937"}).json()["edges"] == []
    bad = server.get("/network", params={"relation": "loved"}, accept="application/json")
    assert bad.status == 400 and bad.json()["error"] == "unknown-relation"
    assert server.get("/network", params={"from": "soon"}, accept="application/json").status == 400


def test_person_page_has_an_ego_network_linked_to_statements(server):
    html = server.get("/page/ivanov").text
    ego = section(html, '<svg class="ego-network"', "</svg>")
    edges = re.findall(r'<a href="#(ego-\d+)" class="edge-link">', ego)
    assert edges
    for anchor in edges:
        assert re.search(r'class="factoid" href="[^"]+/factoid/', row(html, anchor))


# -- the timeline ---------------------------------------------------------------------------

def test_timeline_filters_by_person_place_document_and_kind(server):
    def listed(**params):
        html = server.get("/timeline", params=params).text
        return set(re.findall(r'<time datetime="[^"]+">[^<]*</time> <a href="[^"]+/page/([^"]+)"',
                              section(html, 'id="list"') if 'id="list"' in html else ""))
    everything = listed()
    assert {"deportation-1937", "meeting-one", "resettlement-a", "decree-x"} <= everything
    assert listed(person=ID + "ivanov") == {"meeting-one", "tenure-ivanov"}
    # island-a lies within the coast: its resettlement is at the coast too
    assert listed(place=ID + "coast") == {"deportation-1937", "resettlement-a", "resettlement-b"}
    assert listed(document=ID + "doc-two") == {"deportation-1937"}
    assert listed(type="movement") == {"deportation-1937", "resettlement-plan", "resettlement-a", "resettlement-b"}
    assert server.get("/timeline", params={"type": "war"}, accept="application/json").status == 400


def test_timeline_zooms_from_decades_to_days(server):
    whole = server.get("/timeline").text
    assert 'data-unit="year"' in whole and ">1930s<" in whole and ">1950s<" in whole
    month = server.get("/timeline", params={"from": "1954-12", "to": "1954-12"}).text
    assert 'data-unit="day"' in month
    assert re.search(r">\d\d Dec<", month)
    year = server.get("/timeline", params={"from": "1954", "to": "1955"}).text
    assert 'data-unit="month"' in year
    # an interval is drawn as a span: the deportation (September-October 1937) is wider than a day
    bars = re.findall(r'<rect class="bar movement" x="[\d.]+" y="[\d.]+" width="([\d.]+)"',
                      server.get("/timeline", params={"from": "1937", "to": "1937"}).text)
    assert bars and float(bars[0]) > 100


def test_person_and_place_pages_show_their_events_in_time(server):
    person = server.get("/page/ivanov").text
    assert 'id="in-time"' in person
    assert person.count('<rect class="bar') == 2 * 2            # meeting-one, tenure-ivanov; wide and narrow
    coast = server.get("/page/coast").text
    assert coast.count('<rect class="bar') == 2 * 3


# -- the query page: result views and the editor's vocabulary ------------------------------

@pytest.mark.parametrize("query, view", [
    ("SELECT ?name (COUNT(?d) AS ?n) WHERE { ?p akg:name ?name . ?d akg:mentions ?p } GROUP BY ?name", "chart"),
    ("SELECT ?name ?lat ?long WHERE { ?p akg:name ?name ; akg:location ?c . ?c akg:latitude ?lat ; akg:longitude ?long }",
     "map"),
    ("SELECT ?e ?day WHERE { ?e akg:earliestDate ?day }", "timeline"),
    ("SELECT ?who ?body WHERE { ?t akg:holder ?who ; akg:inOrganization ?body }", "graph"),
])
def test_result_views_follow_the_shape_of_the_result(server, query, view):
    text = "PREFIX akg: <https://w3id.org/archivekg/ontology#>\n" + query
    html = server.get("/query", params={"query": text}).text
    assert f'id="view-{view}"' in html, re.findall(r'id="view-(\w+)"', html)
    figure = section(html, f'id="view-{view}"', "</figure>")
    assert re.search(r"<(rect|circle|line)\b", figure)


def test_no_view_for_a_plain_list(server):
    html = server.get("/query", params={"query": "SELECT ?s WHERE { ?s a <https://w3id.org/archivekg/ontology#Person> }"}).text
    assert 'id="view-' not in html.replace('id="view-table"', "")


def test_examples_show_each_view(server):
    import yaml

    from archivekg.site.render.examples import FILE
    entries = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    views = {e["view"]: e for e in entries if e.get("view")}
    assert set(views) == {"chart", "map", "timeline", "graph"}
    page = server.get("/query").text
    for view, entry in views.items():
        link = next(h for h in parse(page).links if h.startswith("/query?") and
                    urllib.parse.unquote_plus(h).endswith(entry["query"].rstrip("\n")) or
                    (h.startswith("/query?") and entry["query"].strip() in urllib.parse.unquote_plus(h)))
        assert f'id="view-{view}"' in server.get(link).text, view


def test_editor_vocabulary_has_our_prefixes_and_terms(server):
    data = server.get("/query/vocabulary.json").json()
    assert data["prefixes"]["akg"] == AKG and data["prefixes"]["id"] == ID
    assert data["prefixes"]["geo"] == "http://www.opengis.net/ont/geosparql#"
    terms = {(t["namespace"], t["local"]): t for t in data["terms"]}
    assert terms[(AKG, "Person")]["kind"] == "class" and terms[(AKG, "movedFrom")]["kind"] == "property"
    assert terms[(AKG, "location")]["label"] == "location"


# -- nothing from elsewhere -----------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_no_page_loads_a_script_style_or_font_from_elsewhere(server, path):
    reply = server.get(path, accept="text/html")
    assert reply.status == 200
    html = reply.text
    loaded = re.findall(r'<(?:script|img|iframe|embed|source)\b[^>]*\bsrc="([^"]*)"', html)
    loaded += [href for tag, href in re.findall(r'(<link\b[^>]*\bhref="([^"]*)"[^>]*>)', html)
               if 'rel="alternate"' not in tag]
    assert loaded
    outside = [u for u in loaded if not u.startswith("/") or u.startswith("//")]
    assert outside == [], outside
    styles = [u for u in loaded if u.endswith(".css")]
    for sheet in styles:
        css = server.get(sheet).text
        for reference in re.findall(r'url\(\s*["\']?([^"\')]+)', css) + re.findall(r'@import\s+["\']([^"\']+)', css):
            assert not re.match(r"^(https?:)?//", reference), (sheet, reference)
    policy = reply.header("Content-Security-Policy")
    assert not re.search(r"https?://", policy), policy


def test_bundled_scripts_fetch_nothing_from_elsewhere():
    from archivekg.site.render.pages import HERE
    vendor = HERE / "static" / "vendor"
    assert (vendor / "editor" / "editor.js").is_file(), "run make assets"
    for path in [*vendor.rglob("*.js"), *(HERE / "static").glob("*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        # no script, style sheet or font at a fixed address elsewhere (a link a reader may follow,
        # such as Leaflet's credit, is not a load)
        assert not re.search(r"""https?://[^"' )]*\.(js|mjs|css|woff2?|ttf|otf)\b""", text), path
        assert "fonts.googleapis" not in text and "unpkg.com" not in text and "cdnjs" not in text, path


def test_map_json_and_network_json_are_json(server):
    for path in ("/map.json", "/network.json"):
        json.loads(server.get(path).text)
