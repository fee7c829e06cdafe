"""The reconciliation service driven as OpenRefine drives it, over HTTP on a running server of
the shipped corpus: the manifest, query batches by POST and GET, suggest, preview, property
proposals and data extension.  Every JSON answer is checked against the specification's own
schemas (spec_schemas/), and every path answers CORS."""

from __future__ import annotations

import html
import json
import re
import urllib.parse

import pytest

from . import schemas
from .conftest import reconcile

ORIGIN = "http://localhost:3333"          # where OpenRefine runs


@pytest.fixture(scope="module")
def manifest(ours):
    reply = ours.get("/reconcile", headers={"Origin": ORIGIN})
    assert reply.status == 200 and reply.content_type == "application/json", reply.text
    return reply.json()


def follow(ours, url: str, **params):
    """A GET of a URL the manifest gave (absolute, on the same server), as a client would."""
    parsed = urllib.parse.urlsplit(url)
    assert parsed.port == ours.port, f"{url} is not on the test server"
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    if params:
        path += ("&" if "?" in path else "?") + urllib.parse.urlencode(params)
    return ours.get(path, headers={"Origin": ORIGIN})


def test_the_manifest_is_valid_and_announces_every_service(manifest, ours):
    schemas.check("manifest", manifest)
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == "https://w3id.org/archivekg/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/archivekg/ontology#"
    assert {t["id"] for t in manifest["defaultTypes"]} == {
        "Person", "Organization", "Group", "Place", "Event", "Decree", "ArchivalDocument"}
    assert set(manifest["suggest"]) == {"entity", "type", "property"}
    assert "{{id}}" in manifest["view"]["url"] and "{{id}}" in manifest["preview"]["url"]
    view = follow(ours, manifest["view"]["url"].replace("{{id}}", "kim-il-sung"))
    assert view.status == 200 and "<title>Kim Il Sung" in view.text     # the entity's page, after a 303


def test_a_batch_by_post_and_by_get_gives_the_same_valid_answer(ours):
    batch = {"q0": {"query": "Kim Il-sung", "type": "Person", "limit": 3},
             "q1": {"query": "Pyongyang", "type": "Place", "type_strict": "should"},
             "q2": {"query": "Kim", "properties": [{"pid": "post", "v": "Chief of the Rear"}]}}
    schemas.check("reconciliation-query-batch", batch)
    posted, got = reconcile(ours, batch), reconcile(ours, batch, method="GET")
    assert posted.status == got.status == 200, posted.text
    assert posted.json() == got.json()
    answer = posted.json()
    schemas.check("reconciliation-result-batch", answer)
    assert set(answer) == set(batch)
    first = answer["q0"]["result"]
    assert len(first) <= 3 and first[0]["id"] == "kim-il-sung" and first[0]["match"] is True
    assert first[0]["name"] == "Kim Il Sung" and {"id": "Person", "name": "Person"} in first[0]["type"]
    for result in answer.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True)
        for candidate in result["result"]:
            assert len({f["id"] for f in candidate["features"]}) == len(candidate["features"])
            assert candidate["reason"]


def test_two_persons_who_share_a_name_are_both_returned_and_neither_is_a_match(ours):
    answer = reconcile(ours, {"q": {"query": "Kim", "type": "Person"}}).json()["q"]["result"]
    first, second = answer[:2]
    assert {first["id"], second["id"]} == {"kim-il-sung", "kim-yeol"}
    assert first["score"] == second["score"] and not first["match"] and not second["match"]
    namesakes = {c["id"]: next(f["value"] for f in c["features"] if f["id"] == "namesakes") for c in answer[:2]}
    assert namesakes == {"kim-il-sung": 1, "kim-yeol": 1}
    told_apart = reconcile(ours, {"q": {"query": "Kim", "type": "Person", "properties": [
        {"pid": "post", "v": "Chief of the Rear"}]}}).json()["q"]["result"]
    assert told_apart[0]["id"] == "kim-yeol" and told_apart[0]["match"] is True
    assert "post: agrees (Chief of the Rear, Korean People's Army)" in told_apart[0]["reason"]
    assert told_apart[1]["id"] == "kim-il-sung" and told_apart[1]["match"] is False


def test_properties_disambiguate_with_a_document_a_date_and_a_related_place(ours):
    answer = reconcile(ours, {
        "doc": {"query": "Бяков", "properties": [{"pid": "document", "v": "memo-byakov-1954-12-20"}]},
        "date": {"query": "Kim Yol", "properties": [{"pid": "date", "v": "1955-12-07T00:00:00Z"}]},
        "place": {"query": "Sunido", "type": "Island", "properties": [{"pid": "partOfPlace", "v": "Ongjin"}]},
        "title": {"query": "Byakov", "properties": [{"pid": "document", "v": "Memo from I. Byakov"}]},
        "other": {"query": "Byakov", "properties": [{"pid": "document", "v": "journal-ivanov-1955-12-07"}]},
    }).json()
    schemas.check("reconciliation-result-batch", answer)
    assert answer["doc"]["result"][0]["id"] == "byakov-i" and answer["doc"]["result"][0]["match"]
    assert answer["date"]["result"][0]["id"] == "kim-yeol"
    assert "date: agrees (1955-12-07)" in answer["date"]["result"][0]["reason"]
    assert answer["place"]["result"][0]["id"] == "sunido" and answer["place"]["result"][0]["match"]
    assert answer["title"]["result"][0]["id"] == "byakov-i" and answer["title"]["result"][0]["match"]
    # Not named in that document: the one-word name stays undecided.
    assert answer["other"]["result"][0]["id"] == "byakov-i" and not answer["other"]["result"][0]["match"]


def test_a_query_of_properties_only_and_a_query_that_is_an_id(ours):
    answer = reconcile(ours, {"wd": {"properties": [{"pid": "wikidata", "v": "Q41117"}]},
                              "id": {"query": "memo-byakov-1954-12-20"}}).json()
    schemas.check("reconciliation-result-batch", answer)
    assert [(c["id"], c["match"]) for c in answer["wd"]["result"]] == [("kim-il-sung", True)]
    assert answer["id"]["result"][0]["id"] == "memo-byakov-1954-12-20"
    assert answer["id"]["result"][0]["type"][0]["id"] == "ArchivalDocument"


@pytest.mark.parametrize("batch, status, error", [
    ("{not json", 400, "queries: not valid JSON"),
    ('{"q0": {"query": "Kim", "type": "Planet"}}', 400, "unknown type 'Planet'"),
    ('{"q0": {"query": "Kim", "properties": [{"pid": "shoe size", "v": 9}]}}', 400, "unknown property 'shoe size'"),
    ('{"q0": {"query": "Kim", "properties": [{"pid": "date", "v": "winter"}]}}', 400, "'winter' is not a date"),
    ('{"q0": {"query": "Kim", "limit": -1}}', 400, 'queries["q0"].limit'),
    (json.dumps({f"q{i}": {"query": "Kim"} for i in range(101)}), 413, "101 queries in one batch"),
])
def test_a_bad_batch_gets_a_clear_error_in_the_one_error_shape(ours, batch, status, error):
    reply = ours.post("/reconcile", urllib.parse.urlencode({"queries": batch}).encode(),
                      "application/x-www-form-urlencoded", headers={"Origin": ORIGIN})
    assert reply.status == status, reply.text
    body = reply.json()
    assert body["ok"] is False and body["status"] == status and error in body["message"]
    assert reply.header("Access-Control-Allow-Origin") == "*"


def test_a_post_without_queries_or_extend_is_refused(ours):
    reply = ours.post("/reconcile", b"", "application/x-www-form-urlencoded")
    assert reply.status == 400 and "queries" in reply.json()["message"]


def test_entity_suggest_completes_names_pages_with_the_cursor_and_finds_ids(manifest, ours):
    suggest = manifest["suggest"]["entity"]
    url = suggest["service_url"] + suggest["service_path"]
    first = follow(ours, url, prefix="Kim").json()
    schemas.check("suggest-entities-response", first)
    assert len(first["result"]) == 10 and first["result"][0]["id"] == "kim-il-sung"
    following = follow(ours, url, prefix="Kim", cursor="10").json()
    schemas.check("suggest-entities-response", following)
    assert following["result"] and not {r["id"] for r in following["result"]} & {r["id"] for r in first["result"]}
    assert follow(ours, url, prefix="Kim", cursor="5").json()["result"][0] == first["result"][5]
    assert follow(ours, url, prefix="김일").json()["result"][0]["id"] == "kim-il-sung"
    assert follow(ours, url, prefix="ongjin-district").json()["result"][0]["id"] == "ongjin-district"
    places = follow(ours, url, prefix="Kim", type="Place").json()["result"]
    assert all(r["notable"][0]["id"] in ("Place", "City", "Island", "Region", "Country", "District",
                                        "Province", "Republic", "Zone") for r in places)
    assert follow(ours, url, prefix="").json() == {"result": []}


def test_type_and_property_suggest(manifest, ours):
    types = manifest["suggest"]["type"]
    found = follow(ours, types["service_url"] + types["service_path"], prefix="isl").json()
    schemas.check("suggest-types-response", found)
    assert found["result"] == [{"id": "Island", "name": "Island", "broader": [{"id": "Place", "name": "Place"}]}]
    everything = follow(ours, types["service_url"] + types["service_path"], prefix="", limit="100").json()["result"]
    assert "Tenure" not in {t["id"] for t in everything} and "Person" in {t["id"] for t in everything}
    properties = manifest["suggest"]["property"]
    found = follow(ours, properties["service_url"] + properties["service_path"], prefix="po", type="Person").json()
    schemas.check("suggest-properties-response", found)
    assert [p["id"] for p in found["result"]] == ["post"]
    assert follow(ours, properties["service_url"] + properties["service_path"], prefix="po",
                  type="Island").json()["result"] == []


def test_the_preview_is_a_small_card_with_the_sources_that_a_client_may_frame(manifest, ours):
    reply = follow(ours, manifest["preview"]["url"].replace("{{id}}", "kim-yeol"))
    assert reply.status == 200 and reply.content_type == "text/html"
    assert "frame-ancestors *" in reply.header("Content-Security-Policy")
    assert "script-src" not in reply.header("Content-Security-Policy")
    page = reply.text
    assert "<h1>" in page and "Kim Yeol" in page
    assert "Chief of the Rear" in page                                   # a post
    assert "journal-ivanov-1955-12-07" in page                           # the document that names him
    assert re.search(r"<q>.*<mark>Kim Yeol</mark>.*</q>", page)          # and its words
    assert 'target="_blank"' in page
    missing = follow(ours, manifest["preview"]["url"].replace("{{id}}", "nobody"))
    assert missing.status == 404


def test_the_preview_escapes_what_it_shows(manifest, ours):
    reply = follow(ours, manifest["preview"]["url"].replace("{{id}}", "kim-il-sung"))
    assert reply.status == 200
    for text in re.findall(r">([^<]+)<", reply.text):
        assert html.unescape(text).count("<") == text.count("&lt;")


def test_property_proposals_for_a_type(manifest, ours):
    propose = manifest["extend"]["propose_properties"]
    url = propose["service_url"] + propose["service_path"]
    found = follow(ours, url, type="Person").json()
    schemas.check("data-extension-property-proposal", found)
    assert found["type"] == "Person"
    assert {"document", "post", "date", "wikidata"} <= {p["id"] for p in found["properties"]}
    island = follow(ours, url, type="Island", limit="3").json()
    schemas.check("data-extension-property-proposal", island)
    assert island["limit"] == 3 and len(island["properties"]) == 3 and "post" not in {p["id"] for p in island["properties"]}
    assert "partOfPlace" in {p["id"] for p in follow(ours, url, type="Island").json()["properties"]}
    assert follow(ours, url, type="Planet").status == 400
    assert follow(ours, url).status == 400


def test_data_extension_fills_the_columns_a_historian_asks_for(ours):
    query = {"ids": ["kim-yeol", "kim-il-sung", "sunido", "nobody"],
             "properties": [{"id": "document"}, {"id": "post", "settings": {"limit": "2"}}, {"id": "date"},
                            {"id": "wikidata"}, {"id": "partOfPlace"}, {"id": "variant", "settings": {"limit": 0}}]}
    schemas.check("data-extension-query", query)
    reply = ours.post("/reconcile", urllib.parse.urlencode({"extend": json.dumps(query)}).encode(),
                      "application/x-www-form-urlencoded", headers={"Origin": ORIGIN})
    assert reply.status == 200, reply.text
    answer = reply.json()
    schemas.check("data-extension-response", answer)
    assert [m["id"] for m in answer["meta"]] == ["document", "post", "date", "wikidata", "partOfPlace", "variant"]
    assert set(answer["rows"]) == set(query["ids"])
    kim_yeol, kim_il_sung, sunido = (answer["rows"][i] for i in ("kim-yeol", "kim-il-sung", "sunido"))
    assert kim_yeol["document"] == [{"id": "journal-ivanov-1955-12-07",
                                     "name": "Journal of Soviet Ambassador to the DPRK V. I. Ivanov for 7 December 1955"}]
    assert len(kim_yeol["post"]) == 2 and all("str" in cell for cell in kim_yeol["post"])
    assert kim_il_sung["wikidata"] == [{"str": "Q41117"}]
    assert {"str": "Kim"} in kim_il_sung["variant"] and {"str": "Kim Il Sung"} in kim_il_sung["variant"]
    assert sunido["partOfPlace"] == [{"id": "ongjin-district", "name": "Ongjin District"}]
    assert sunido["date"] == [{"str": "1954-12-20"}]
    assert all(cells == [] for cells in answer["rows"]["nobody"].values())
    again = ours.get("/reconcile", params={"extend": json.dumps(query)})
    assert again.json() == answer
    bad = ours.get("/reconcile", params={"extend": json.dumps({"ids": ["kim-yeol"], "properties": [{"id": "height"}]})})
    assert bad.status == 400 and "unknown property 'height'" in bad.json()["message"]


@pytest.mark.parametrize("path", ["/reconcile", "/reconcile?queries=%7B%7D", "/reconcile/suggest/entity?prefix=k",
                                  "/reconcile/suggest/type?prefix=p", "/reconcile/suggest/property?prefix=p",
                                  "/reconcile/preview?id=kim-il-sung", "/reconcile/properties?type=Person",
                                  "/reconcile/preview?id=nobody", "/reconcile/properties"])
def test_every_path_of_the_service_answers_cors(ours, path):
    reply = ours.get(path, headers={"Origin": ORIGIN})
    assert reply.header("Access-Control-Allow-Origin") == "*", (path, reply.status)
    preflight = ours.request("OPTIONS", path, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status == 200
    assert preflight.header("Access-Control-Allow-Origin") == "*"
    assert "content-type" in preflight.header("Access-Control-Allow-Headers").lower()
