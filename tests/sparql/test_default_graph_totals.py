"""Sums over the served default graph (the union of the named graphs) give the documents' totals.

A triple stated in two named graphs comes back twice from the union default graph, so a plain
SUM with no GRAPH and no DISTINCT would count a figure twice (docs/graph-model.md, "Each triple
once").  Here the figures are summed the way a consumer who knows nothing of our graphs sums
them, in our terms, in CIDOC-CRM terms and in schema.org terms, locally (the build's store with
the union default graph) and over HTTP (`/sparql`), and compared with the totals computed
from the document texts themselves.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from archivekg.cli.query import run_query

from .conftest import start_server

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

ROOT = Path(__file__).resolve().parents[2]
MEMO = ROOT / "data" / "documents" / "000_b3f1237716c58f4c.txt"
JOURNAL = ROOT / "data" / "documents" / "001_233c5a65db9d4a8b.txt"
ROW = re.compile(r"from the (?:island of \[?(\w+)\]? \((\w+) District\)|(demilitarized zone)) "
                 r"(\d+) families, (\d+) people")


def memo_rows() -> list[tuple[str, int, int]]:
    """(district or zone, families, people) of every row of the memo's resettlement list."""
    rows = [(m[2] or m[3], int(m[4]), int(m[5])) for m in ROW.finditer(MEMO.read_text(encoding="utf-8"))]
    assert len(rows) == 7, rows   # the seven rows after "3. It is intended to resettle:"
    return rows


def grain_bought_abroad() -> int:
    text = JOURNAL.read_text(encoding="utf-8")
    match = re.search(r"we are buying ([\d,]+) tons of grain in the PRC and ([\d,]+) tons in the USSR", text)
    return sum(int(group.replace(",", "")) for group in match.groups())


def district_totals() -> dict[str, tuple[int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for area, families, people in memo_rows():
        totals[area][0] += families
        totals[area][1] += people
    return {area: tuple(pair) for area, pair in totals.items()}


# Each query sums with no GRAPH and no DISTINCT.  `people`/`families` are the plan's totals.
PLAN_TOTALS = {
    "ours": """
        SELECT (SUM(?f) AS ?families) (SUM(?p) AS ?people) WHERE {
          ?row akg:partOfEvent id:resettlement-1954 ; akg:numberOfFamilies ?f ; akg:numberOfPeople ?p .
        }""",
    "ours, as quantities": """
        SELECT (SUM(?f) AS ?families) (SUM(?p) AS ?people) WHERE {
          ?row akg:partOfEvent id:resettlement-1954 ; akg:hasQuantity ?q .
          ?q akg:quantityValue ?v ; akg:unit ?unit .
          BIND (IF(?unit = akg:unit-family, ?v, 0) AS ?f)
          BIND (IF(?unit = akg:unit-person, ?v, 0) AS ?p)
        }""",
    "CIDOC-CRM": """
        PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT (SUM(?f) AS ?families) (SUM(?p) AS ?people) WHERE {
          ?row crm:P9i_forms_part_of id:resettlement-1954 .
          ?m a crm:E16_Measurement ; crm:P39_measured ?row ; crm:P40_observed_dimension ?d .
          ?d a crm:E54_Dimension ; crm:P90_has_value ?v ; crm:P91_has_unit ?unit .
          ?unit skos:prefLabel ?label .
          BIND (IF(STR(?label) = "family", ?v, 0) AS ?f)
          BIND (IF(STR(?label) = "person", ?v, 0) AS ?p)
        }""",
    "schema.org": """
        PREFIX schema: <http://schema.org/>
        SELECT (SUM(?f) AS ?families) (SUM(?p) AS ?people) WHERE {
          ?row schema:superEvent id:resettlement-1954 .
          ?q a schema:QuantitativeValue ; schema:observationAbout ?row ; schema:value ?v ;
             schema:unitCode ?unit .
          ?unit schema:name ?label .
          BIND (IF(STR(?label) = "family", ?v, 0) AS ?f)
          BIND (IF(STR(?label) = "person", ?v, 0) AS ?p)
        }""",
}

# Per district: the join through the place that a registry and a document both used to state.
BY_DISTRICT = {
    "ours": """
        SELECT (SUM(?f) AS ?families) (SUM(?p) AS ?people) WHERE {
          ?row akg:partOfEvent id:resettlement-1954 ; akg:movedFrom ?place ;
               akg:numberOfFamilies ?f ; akg:numberOfPeople ?p .
          ?place akg:partOfPlace ?district .
        }""",
    "CIDOC-CRM": """
        PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT (SUM(?f) AS ?families) (SUM(?p) AS ?people) WHERE {
          ?row crm:P9i_forms_part_of id:resettlement-1954 ; crm:P27_moved_from ?place .
          ?place crm:P89_falls_within ?district .
          ?m crm:P39_measured ?row ; crm:P40_observed_dimension ?d .
          ?d crm:P90_has_value ?v ; crm:P91_has_unit ?unit .
          ?unit skos:prefLabel ?label .
          BIND (IF(STR(?label) = "family", ?v, 0) AS ?f)
          BIND (IF(STR(?label) = "person", ?v, 0) AS ?p)
        }""",
}

GRAIN = {
    "ours": """
        SELECT (SUM(?v) AS ?tonnes) WHERE {
          ?purchase akg:tookPlaceAt ?country ; akg:hasQuantity ?q .
          ?q akg:unit akg:unit-tonne ; akg:quantityValue ?v .
        }""",
    "schema.org": """
        PREFIX schema: <http://schema.org/>
        SELECT (SUM(?v) AS ?tonnes) WHERE {
          ?purchase schema:location ?country .
          ?q schema:observationAbout ?purchase ; schema:value ?v ; schema:unitCode ?unit .
          ?unit schema:name "tonne"@en .
        }""",
}


COPIES = """
    SELECT ?document (COUNT(?copy) AS ?copies) WHERE { ?document akg:copies ?copy } GROUP BY ?document"""
NUMBERS = {"Four": 4, "Five": 5}


def copies_printed() -> dict[str, int]:
    """Each document's "Five copies printed" / "Four copies", as the distribution list says."""
    found = {}
    for doc_id, path in (("memo-byakov-1954-12-20", MEMO), ("journal-ivanov-1955-12-07", JOURNAL)):
        match = re.search(r"\b(Four|Five) copies", path.read_text(encoding="utf-8"))
        found[doc_id] = NUMBERS[match[1]]
    return found


@pytest.fixture(scope="module")
def totals_server(built, tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("totals-server"),
                          settings={"BUILD_DIR": built["settings"]["BUILD_DIR"]})
    yield server
    server.stop()


def _prologue(base: str) -> str:
    return (f"PREFIX akg: <https://w3id.org/archivekg/ontology#>\n"
            f"PREFIX id: <{base}id/>\n")


def ask_locally(store, built, query: str) -> list[dict[str, str]]:
    base = built["settings"]["BASE_IRI"]
    results = run_query(store, _prologue(base) + query, base)
    names = [v.value for v in results.variables]
    return [{n: (None if row[n] is None else row[n].value) for n in names} for row in results]


def ask_over_http(server, built, query: str) -> list[dict[str, str]]:
    base = built["settings"]["BASE_IRI"]
    assert "GRAPH" not in query.upper() and "DISTINCT" not in query.upper()
    reply = server.post("/sparql", (_prologue(base) + query).encode("utf-8"),
                        "application/sparql-query",
                        headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.text
    payload = reply.json()
    return [{n: (row[n]["value"] if n in row else None) for n in payload["head"]["vars"]}
            for row in payload["results"]["bindings"]]


ASK = {"locally": lambda store, server, built, q: ask_locally(store, built, q),
       "over HTTP": lambda store, server, built, q: ask_over_http(server, built, q)}


def _number(value: str) -> int:
    return int(float(value))


@pytest.fixture(params=list(ASK))
def ask(request, store, built):
    if request.param == "over HTTP":
        server = request.getfixturevalue("totals_server")
        return lambda query: ASK["over HTTP"](store, server, built, query)
    return lambda query: ASK["locally"](store, None, built, query)


def test_no_query_here_asks_for_a_graph_or_distinct():
    for query in [*PLAN_TOTALS.values(), *BY_DISTRICT.values(), *GRAIN.values(), COPIES]:
        assert "GRAPH" not in query.upper() and "DISTINCT" not in query.upper()


@pytest.mark.parametrize("vocabulary", list(PLAN_TOTALS))
def test_the_resettlement_plan_sums_to_the_memos_rows(ask, vocabulary):
    (row,) = ask(PLAN_TOTALS[vocabulary])
    families = sum(f for _, f, _ in memo_rows())
    people = sum(p for _, _, p in memo_rows())
    assert (_number(row["families"]), _number(row["people"])) == (families, people)


@pytest.mark.parametrize("district", ["Ongjin", "Chongdan"])
@pytest.mark.parametrize("vocabulary", list(BY_DISTRICT))
def test_each_district_sums_to_the_memos_rows(ask, vocabulary, district):
    query = BY_DISTRICT[vocabulary].replace("?district .", f"id:{district.lower()}-district .")
    (row,) = ask(query)
    assert (_number(row["families"]), _number(row["people"])) == district_totals()[district]


@pytest.mark.parametrize("vocabulary", list(GRAIN))
def test_grain_bought_abroad_sums_to_the_journals_figures(ask, vocabulary):
    (row,) = ask(GRAIN[vocabulary])
    assert _number(row["tonnes"]) == grain_bought_abroad()


def test_each_document_has_as_many_copies_as_it_says(ask, built):
    base = built["settings"]["BASE_IRI"]
    got = {row["document"][len(base) + 3:]: _number(row["copies"]) for row in ask(COPIES)}
    assert got == copies_printed()
