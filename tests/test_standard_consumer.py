"""A consumer with only rdflib and the standard vocabularies gets the documented answers.

The build's N-Quads dump (what /download/ serves) is loaded into a plain rdflib ``Dataset``
whose default graph is the union of the named graphs, with none of our code; a handful of the
competency questions' CIDOC-CRM-only and schema.org-only twins are asked with rdflib's own
SPARQL engine, and must give the rows of the questions' .expected.json.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
import rdflib
from test_competency import FOLDER, expected_for, has_query, twin_suffix

from archivekg.release.store import current_release

TWINS = [
    "cross-planned-versus-executed.crm.rq", "cross-planned-versus-executed.schema.rq",
    "deport-date-range.crm.rq", "journal-kim-yeol-posts.schema.rq",
    "journal-meeting-participants.crm.rq", "memo-decree-count.schema.rq",
    "memo-total-planned-resettlement.crm.rq", "memo-total-planned-resettlement.schema.rq",
    "memo-yonmyado-district.schema.rq",
]
# rdflib 7 warns that Dataset.default_context is deprecated while it parses N-Quads itself.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
STANDARD = ("http://www.cidoc-crm.org/cidoc-crm/", "http://schema.org/",
            "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/2001/XMLSchema#",
            "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#")


@pytest.fixture(scope="module")
def dataset(built) -> rdflib.Dataset:
    data = rdflib.Dataset(default_union=True)
    data.parse(current_release(built["settings"]["BUILD_DIR"]) / "dataset.nq", format="nquads")
    return data


def _value(term, base: str) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        text = str(term)
        if text.startswith(base + "id/"):
            return "id:" + text[len(base) + 3:]
        if text.startswith("https://w3id.org/archivekg/ontology#"):
            return "akg:" + text.split("#", 1)[1]
        return text
    return str(term)


def test_the_chosen_twins_are_standard_queries():
    for name in TWINS:
        path = FOLDER / name
        assert twin_suffix(path) and has_query(path), name
        text = path.read_text(encoding="utf-8")
        prefixes = [line.split("<", 1)[1].rstrip(">").strip() for line in text.splitlines()
                    if line.upper().startswith("PREFIX") and not line.split()[1].startswith("id:")]
        assert all(p.rstrip(">").startswith(STANDARD) for p in prefixes), (name, prefixes)


@pytest.mark.parametrize("name", TWINS)
def test_a_plain_rdflib_dataset_answers_a_twin(name, dataset, built):
    base = built["settings"]["BASE_IRI"]
    query = FOLDER / name
    expected = expected_for(query)
    result = dataset.query(query.read_text(encoding="utf-8"))
    if "boolean" in expected:
        assert result.askAnswer is expected["boolean"]
        return
    variables = [str(v) for v in result.vars]
    rows = [{v: _value(row[v], base) for v in variables} for row in result]
    want = [{k: (None if v is None else str(v)) for k, v in row.items()} for row in expected["rows"]]
    if expected.get("ordered"):
        assert rows == want
    else:
        key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
        assert Counter(map(key, rows)) == Counter(map(key, want))
