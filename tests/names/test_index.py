"""NameIndex on small indexes of our own: ranking, shared names, types, numbers, completion, errors."""

from __future__ import annotations

import pytest

from archivekg.names import STRONG_MATCH, Entry, MatchKind, NameIndex

PEOPLE = [
    Entry("kim-chol-a", "Person", [("Kim Chol", None), ("Cde. Kim Chol", None)], 5),
    Entry("kim-chol-b", "Person", [("Kim Chol", None)], 1),
    Entry("ivanov-latin", "Person", [("Ivanov", None)], 1),
    Entry("ivanov-cyrillic", "Person", [("Иванов", "ru")], 9),
    Entry("petrov", "Person", [("A. M. Petrov", None)], 1),
    Entry("kimchaek-city", "City", [("Kimchaek", None)], 1),
    Entry("kim-chaek", "Person", [("Kim Chaek", None)], 1),
    Entry("pyongyang", "City", [("Pyongyang", None), ("평양", "ko")], 20),
    Entry("order-1", "Decree", [("Order No. 1-сс", "ru")], 1),
    Entry("decree-1428", "Decree", [("Decree 1428-326cc", None)], 1),
]


@pytest.fixture(scope="module")
def index():
    return NameIndex(PEOPLE)


def test_two_entities_that_share_a_name_both_come_back_with_equal_scores(index):
    first, second = index.match("Kim Chol")[:2]
    assert (first.entity_id, second.entity_id) == ("kim-chol-a", "kim-chol-b")   # by weight
    assert first.score == second.score == 1.0
    assert first.kind is second.kind is MatchKind.EXACT
    # The same holds when the query is another spelling of the shared name.
    first, second = index.match("Ким Чхоль")[:2]
    assert {first.entity_id, second.entity_id} == {"kim-chol-a", "kim-chol-b"}
    assert first.score == second.score >= STRONG_MATCH
    assert first.kind is second.kind is MatchKind.PHONETIC


def test_an_exact_name_ranks_before_a_transliteration_whatever_the_weight(index):
    first, second = index.match("Ivanov")[:2]
    assert (first.entity_id, first.kind) == ("ivanov-latin", MatchKind.EXACT)
    assert (second.entity_id, second.kind) == ("ivanov-cyrillic", MatchKind.TRANSLITERATION)
    assert first.score > second.score and first.weight < second.weight


def test_kinds_rank_in_their_documented_order(index):
    scores = {
        MatchKind.EXACT: index.match("Kim Chaek")[0],
        MatchKind.TRANSLITERATION: index.match("А. М. Петров")[0],
        MatchKind.REORDERED: index.match("Petrov A. M.")[0],
        MatchKind.INITIALS: index.match("Petrov A.")[0],
        MatchKind.PHONETIC: index.match("Gim Chaeg")[0],
        MatchKind.FUZZY: index.match("Pyongyamg")[0],
    }
    assert {kind: c.kind for kind, c in scores.items()} == {kind: kind for kind in scores}
    ordered = [scores[kind].score for kind in scores]
    assert ordered == sorted(ordered, reverse=True) and len(set(ordered)) == len(ordered)
    assert all(c.strong for kind, c in scores.items() if kind is not MatchKind.FUZZY)
    assert not scores[MatchKind.FUZZY].strong


def test_each_candidate_says_which_name_matched_and_how(index):
    candidate = index.match("평양")[0]
    assert (candidate.entity_id, candidate.name, candidate.language) == ("pyongyang", "평양", "ko")
    candidate = index.match("Пхеньян")[0]
    assert candidate.kind is MatchKind.PHONETIC
    assert candidate.name in {"Pyongyang", "평양"}
    assert candidate.reason == f"phonetic match with “{candidate.name}” (Korean syllable key PoNaN)"


def test_type_keeps_only_entities_of_that_type(index):
    assert [c.entity_id for c in index.match("Kim Chaek", type="City")] == ["kimchaek-city"]
    assert {c.type for c in index.match("Kim", type={"City", "Decree"}, limit=50)} <= {"City", "Decree"}
    assert index.match("Kim Chaek", type="Island") == []


def test_document_numbers_meet_across_look_alike_letters(index):
    for query in ("No. 1-cc", "№ 1сс", "No. 1-СС"):
        best = index.match(query)[0]
        assert (best.entity_id, best.kind) == ("order-1", MatchKind.NUMBER), query
    best = index.match("1428-326сс")[0]
    assert (best.entity_id, best.kind) == ("decree-1428", MatchKind.NUMBER)


def test_limit_cuts_the_list(index):
    assert len(index.match("Kim", limit=2)) == 2
    assert len(index.complete("k", limit=1)) == 1


def test_an_empty_query_matches_nothing(index):
    assert index.match("") == []
    assert index.match(" — ") == []
    assert index.complete("") == []


def test_complete_finds_names_by_their_beginning_and_by_a_later_word(index):
    assert index.complete("Pyong")[0].entity_id == "pyongyang"
    assert index.complete("Pyong")[0].kind is MatchKind.PREFIX
    found = index.complete("Petr")
    assert (found[0].entity_id, found[0].kind) == ("petrov", MatchKind.WORD_PREFIX)
    # Across scripts: a Cyrillic beginning of a Latin name, a Latin beginning of a Cyrillic one.
    assert index.complete("Ива")[0].entity_id in {"ivanov-cyrillic", "ivanov-latin"}
    assert {c.entity_id for c in index.complete("Ivan")} == {"ivanov-cyrillic", "ivanov-latin"}
    assert index.complete("Пхень")[0].entity_id == "pyongyang"
    assert index.complete("Пхень")[0].kind is MatchKind.PHONETIC_PREFIX


def test_complete_ranks_whole_names_first_then_by_weight(index):
    found = index.complete("Kim")
    kinds = [c.kind for c in found]
    assert kinds == sorted(kinds, key=[MatchKind.PREFIX, MatchKind.WORD_PREFIX,
                                        MatchKind.PHONETIC_PREFIX].index)
    whole = [c for c in found if c.kind is MatchKind.PREFIX]
    assert whole[0].entity_id == "kim-chol-a"          # the heaviest
    assert [c.entity_id for c in index.complete("Kim", type="City")] == ["kimchaek-city"]


@pytest.mark.parametrize("entries, message", [
    ([("a", "Person", [("Kim", None)], 1), ("a", "Person", [("Pak", None)], 1)],
     "entry 1: entity 'a' is already entry 0"),
    ([("a", "Person", [], 1)], r"entry 0 \('a'\): names must be a non-empty list"),
    ([("a", "Person", "Kim", 1)], r"entry 0 \('a'\): names must be a non-empty list"),
    ([("a", "Person", [("Kim", None)], -1)], r"entry 0 \('a'\): the weight must be a finite number >= 0"),
    ([("a", "Person", [("Kim", None)], float("nan"))], "the weight must be a finite number"),
    ([("a", "Person", [("Kim",)], 1)], r"each name must be a \(text, language tag or None\) pair"),
    ([("", "Person", [("Kim", None)], 1)], "entry 0: the entity id must be a non-empty string"),
    ([("a", None, [("Kim", None)], 1)], r"entry 0 \('a'\): the type must be a non-empty string"),
    ([("a", "Person", [("Kim", None), ("—", None)], 1)], r"entry 0 \(a\): the name '—' has no letter or digit"),
    ([("a",)], "entry 0: expected \\(entity_id, type, names, weight\\)"),
])
def test_a_bad_entry_is_refused_with_where_and_what(entries, message):
    with pytest.raises(ValueError, match=message):
        NameIndex(entries)


@pytest.mark.parametrize("limit", [0, -1, 2.5, True])
def test_a_bad_limit_is_refused(index, limit):
    with pytest.raises(ValueError, match="limit must be a positive integer"):
        index.match("Kim", limit=limit)
