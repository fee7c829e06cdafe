"""Index pages: nothing cut silently, sorted as asked, filtered by the facets, and the
downloads hold exactly the rows of the pages with the same filters."""

from __future__ import annotations

import csv
import io

import pytest

from archivekg.release.store import open_store

from .conftest import ID

AKG = "https://w3id.org/archivekg/ontology#"


def count(release, body: str) -> int:
    rows = open_store(release).query(f"PREFIX akg: <{AKG}> SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {body} }}",
                                     use_default_graph_as_union=True)
    return int(next(iter(rows))["n"].value)


def page_ids(client, path: str, **params) -> tuple[list[str], dict]:
    """Every id of an index page by page, following the pager's links."""
    ids, pages = [], 0
    html_params = dict(params, per_page=params.get("per_page", 7))
    reply = client.get(path, query_string=html_params, headers={"Accept": "text/html"})
    while True:
        assert reply.status_code == 200, reply.get_data(as_text=True)[:400]
        html = reply.get_data(as_text=True)
        table = html[html.index("<tbody>"):html.index("</tbody>")]
        ids += [href.split("/page/", 1)[1] for href in _links(table) if "/page/" in href]
        pages += 1
        following = [h for h in _links(html, rel="next")]
        if not following:
            return ids, {"pages": pages}
        reply = client.get(following[0].replace("&amp;", "&"), headers={"Accept": "text/html"})


def _links(html: str, rel: str | None = None) -> list[str]:
    import re
    pattern = rf'<a rel="{rel}" href="([^"]+)"' if rel else r'<tr>\s*<td><a href="([^"]+)"'
    return re.findall(pattern, html)


@pytest.mark.parametrize("name, body", [
    ("persons", "?x a akg:Person"),
    ("places", "?x a akg:Place"),
    ("events", "?x a akg:Event"),
    ("statements", "?f a akg:Factoid ; akg:evidence ?x"),     # one statement, one evidence
])
def test_paging_through_an_index_shows_every_entry_once(client, release, name, body):
    ids, seen = page_ids(client, f"/browse/{name}")
    expected = count(release, body)
    assert len(ids) == len(set(ids)) == expected
    assert seen["pages"] == -(-expected // 7) > 1


def test_the_csv_and_json_downloads_hold_the_rows_of_the_pages(client):
    filters = {"type": "Criticism", "sort": "date"}
    ids, _ = page_ids(client, "/browse/events", **filters)
    reply = client.get("/browse/events", query_string=dict(filters, format="csv"))
    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    assert reply.headers["Content-Disposition"] == 'attachment; filename="archivekg-events.csv"'
    rows = list(csv.DictReader(io.StringIO(reply.get_data(as_text=True))))
    assert [r["id"].removeprefix(ID) for r in rows] == ids and ids
    assert {r["type"] for r in rows} == {"Criticism"}
    data = client.get("/browse/events", query_string=dict(filters, format="json")).get_json()
    assert [r["id"].removeprefix(ID) for r in data["results"]] == ids and data["total"] == len(ids)


def test_sorting_by_name_date_and_mentions(client):
    names = client.get("/browse/persons", query_string={"format": "json"}).get_json()["results"]
    keys = [r["label"].casefold() for r in names]
    assert keys == sorted(keys)
    # By their own date, or, for an event the documents do not date, by its first document's.
    events = client.get("/browse/events", query_string={"format": "json", "sort": "date"}).get_json()["results"]
    days = [(r["date"] or next((d["date"] for d in r["documents"] if d["date"]), None)) for r in events]
    dated = [d for d in days if d]
    assert len(dated) > 10 and days[:len(dated)] == dated, "events with no date at all come last"
    assert [d[:7] for d in dated] == sorted(d[:7] for d in dated)
    spoken = client.get("/browse/persons", query_string={"format": "json", "sort": "mentions"}).get_json()["results"]
    counts = [r["document_count"] for r in spoken]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_the_facets_filter_and_their_counts_agree(client):
    page = client.get("/search", query_string={"q": "Kim", "format": "json"}).get_json()
    types = dict((f["value"], f["count"]) for f in page["facets"]["type"])
    assert types["Person"] > 1
    persons = client.get("/search", query_string={"q": "Kim", "type": "Person", "format": "json",
                                                  "per_page": 100}).get_json()
    assert persons["total"] == types["Person"] == len(persons["results"])
    assert {r["type"] for r in persons["results"]} == {"Person"}
    probable = client.get("/search", query_string={"q": "Kim", "certainty": "probable", "format": "json",
                                                   "per_page": 100}).get_json()
    assert probable["results"] and {r["certainty"] for r in probable["results"]} == {"probable"}


def test_a_date_range_keeps_what_it_overlaps(client):
    documents = client.get("/browse/documents", query_string={"format": "json", "from": "1955",
                                                              "to": "1955-12"}).get_json()["results"]
    assert [r["id"] for r in documents] == [ID + "journal-ivanov-1955-12-07"]
    # A person is in a range when a document of that range names them.
    persons = client.get("/browse/persons", query_string={"format": "json", "from": "1954-12-01",
                                                          "to": "1954-12-31"}).get_json()["results"]
    ids = {r["id"].removeprefix(ID) for r in persons}
    assert "byakov-i" in ids and "hegai" not in ids and "lyushkov-genrikh" not in ids
    planned = client.get("/browse/events", query_string={"format": "json", "status": "planned"}).get_json()
    assert planned["results"] and all("planned" in r["status"] for r in planned["results"])


def test_places_as_their_hierarchy(client):
    roots = client.get("/browse/places", query_string={"view": "tree"}, headers={"Accept": "text/html"})
    html = roots.get_data(as_text=True)
    assert roots.status_code == 200 and 'href="http://localhost/page/dprk"' in html
    assert "within=ongjin-district" in html and "/page/sunido" not in html
    inner = client.get("/browse/places", query_string={"view": "tree", "within": "ongjin-district"},
                       headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "/page/sunido" in inner and "/page/pyongyang" not in inner
    assert 'aria-label="Within"' in inner and "Ongjin District" in inner


def test_every_entity_page_links_back_to_its_index(client):
    for path, index in (("/page/kim-il-sung", "/browse/persons"), ("/page/sunido", "/browse/places"),
                        ("/page/decree-1428-326cc", "/browse/decrees"),
                        ("/page/memo-byakov-1954-12-20", "/browse/documents")):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert f'<nav class="crumbs" aria-label="Index"><a href="{index}">' in html, path
