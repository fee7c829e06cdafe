"""The forms of the shipped registries' names, table-driven: each query must bring back the
expected entity first, and must call it a strong match exactly when the table says so."""

from __future__ import annotations

import pytest

from archivekg.names import STRONG_MATCH, MatchKind

from .conftest import read_table, registry_entries

CASES = read_table("match_cases.tsv")
UNMATCHED = read_table("unmatched_cases.tsv")
REGISTRY_IDS = {entry[0] for entry in registry_entries()}


def test_the_table_names_only_registry_entities_and_has_no_duplicate_query():
    assert {row["expected"] for row in CASES} <= REGISTRY_IDS
    queries = [row["query"] for row in CASES]
    assert len(queries) == len(set(queries))
    assert {row["strong"] for row in CASES} == {"yes", "no"}


@pytest.mark.parametrize("case", CASES, ids=[f"{row['form']}: {row['query']}" for row in CASES])
def test_form_finds_its_entity_first(registry_index, case):
    candidates = registry_index.match(case["query"])
    assert candidates, f"nothing matched {case['query']!r}"
    best = candidates[0]
    assert best.entity_id == case["expected"], [(c.entity_id, c.score, c.reason) for c in candidates[:3]]
    assert best.strong == (case["strong"] == "yes"), best.reason
    # An entity that only ties with the expected one must be there for a shared name, not by luck.
    for other in candidates[1:]:
        if other.score == best.score:
            assert other.name == best.name or other.kind == best.kind, (best.reason, other.reason)


@pytest.mark.parametrize("case", UNMATCHED, ids=[row["query"] for row in UNMATCHED])
def test_name_we_do_not_have_matches_nothing_strongly(registry_index, case):
    candidates = registry_index.match(case["query"])
    assert all(c.score < STRONG_MATCH for c in candidates), [(c.entity_id, c.reason) for c in candidates[:3]]


@pytest.mark.parametrize("query, person", [
    ("Kim Il Sung", "kim-il-sung"), ("Kim Chaek", "kim-chaek"), ("Kim Chan", "kim-chan"),
    ("German Kim", "kim-german"), ("Kim Seung-hwa", "kim-seung-hwa"), ("Kim Nam-il", "kim-nam-il"),
    ("Kim Yeol", "kim-yeol"),
])
def test_a_person_who_shares_only_the_surname_kim_is_no_exact_nor_strong_match(registry_index, query, person):
    candidates = registry_index.match(query, limit=50)
    assert candidates[0].entity_id == person
    others = [c for c in candidates if c.entity_id != person and c.entity_id.startswith("kim-")]
    assert others, "the other Kims should still be offered as weak candidates"
    for other in others:
        assert other.kind is not MatchKind.EXACT and other.score < STRONG_MATCH, other.reason


def test_bare_kim_is_a_written_form_of_two_persons_and_both_come_back_equal(registry_index):
    # The registries list "Kim" as a variant of both Kim Il Sung and Kim Yeol: the index must not
    # choose between them.
    first, second = registry_index.match("Kim")[:2]
    assert {first.entity_id, second.entity_id} == {"kim-il-sung", "kim-yeol"}
    assert first.score == second.score == 1.0
    assert first.weight >= second.weight


def test_strong_is_reserved_to_forms_and_never_given_to_similar_letters(registry_index):
    for case in CASES + UNMATCHED:
        for candidate in registry_index.match(case["query"], limit=20):
            if candidate.kind in (MatchKind.FUZZY, MatchKind.PARTIAL):
                assert candidate.score < STRONG_MATCH, candidate.reason
