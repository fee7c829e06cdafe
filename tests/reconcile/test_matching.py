"""How the matcher scores candidates and decides ``match`` (archivekg.reconcile.matching), on a
small world of its own: namesakes, a person known by one word, properties that agree, differ
or cannot be checked, types, ids, and queries without a name."""

from __future__ import annotations

import pytest

from archivekg.names import NameIndex
from archivekg.reconcile.matching import Card, Catalogue, Matcher, NameParts, TypeInfo, TypeTable
from archivekg.reconcile.properties import Facts, Post
from archivekg.reconcile.protocol import BadRequest, Condition, Query

NS = "https://w3id.org/archivekg/ontology#"
AGENTS = frozenset({"Person", "Place"})
THINGS = frozenset({"ArchivalDocument"})
ID = "https://example.org/id/"

TYPES = TypeTable([
    TypeInfo("Person", "Person", (), "Person"), TypeInfo("Place", "Place", (), "Place"),
    TypeInfo("Island", "Island", ("Place",), "Place"), TypeInfo("District", "District", ("Place",), "Place"),
    TypeInfo("ArchivalDocument", "Archival document", (), "ArchivalDocument"),
], NS)

# id, types, names, weight
WORLD = [
    ("kim-il-sung", ("Person",), ["Kim Il Sung", "Kim"], 5),
    ("kim-yeol", ("Person",), ["Kim Yeol", "Kim"], 2),
    ("ivanov", ("Person",), ["V. I. Ivanov", "Ivanov"], 1),
    ("nam-il-general", ("Person",), ["Nam Il"], 3),
    ("nam-il-teacher", ("Person",), ["Nam Il"], 1),
    ("sunido", ("Island", "Place"), ["Sunido"], 1),
    ("ongjin", ("District", "Place"), ["Ongjin District"], 1),
    ("kaesong", ("Place",), ["Kaesong"], 1),
    ("memo", ("ArchivalDocument",), ["Memo on the resettlement decrees"], 0),
    ("journal", ("ArchivalDocument",), ["Journal of the ambassador"], 0),
]

FACTS = {
    "kim-il-sung": Facts(wikidata={"Q41117"}, documents={ID + "journal": "Journal"}),
    "kim-yeol": Facts(posts=[Post("Chief of the Rear", {ID + "army": "Korean People's Army"}, None),
                             Post("Chairman of the Central League of Consumer Cooperatives", {}, None)],
                      documents={ID + "journal": "Journal"}),
    "ivanov": Facts(dates=[("1955-12-07", "1955-12-07", "1955-12-07")]),
    "nam-il-general": Facts(wikidata={"Q492895"}, dates=[("1955-12-07", "1955-12-07", "1955-12-07")],
                            documents={ID + "memo": "Memo"}),
    "nam-il-teacher": Facts(),
    "sunido": Facts(places={ID + "ongjin": ("Ongjin District", True)}, part_of={ID + "ongjin": "Ongjin District"}),
    "kaesong": Facts(places={ID + "sunido": ("Sunido", True)}),
}


class FakeFacts:
    def __init__(self):
        self.asked: list[tuple[tuple[str, ...], frozenset[str]]] = []

    def facts(self, wanted, *, documents=None, limit=None):
        self.asked.append({pid: tuple(iris) for pid, iris in wanted.items()})
        return {iri: FACTS.get(iri[len(ID):], Facts()) for iris in wanted.values() for iri in iris}

    def lookup(self, pid, values):
        found = set()
        for name, facts in FACTS.items():
            held = {"wikidata": facts.wikidata, "document": set(facts.documents),
                    "place": set(facts.places), "partOfPlace": set(facts.part_of)}.get(pid, set())
            if held & set(values):
                found.add(ID + name)
        return found


@pytest.fixture(scope="module")
def matcher():
    cards = [Card(ID + name, name, names[0], types, f"{types[0]} {name}", weight) for name, types, names, weight in WORLD]

    def index(roots):
        return NameIndex([(ID + name, types[0], [(n, None) for n in names], weight)
                          for name, types, names, weight in WORLD if types[-1] in roots])

    parts = NameParts([(AGENTS, lambda: index(AGENTS)), (THINGS, lambda: index(THINGS))])
    return Matcher(parts, Catalogue(cards, TYPES, ID), FakeFacts())


def ask(matcher, text=None, *, types=(), strict="any", limit=5, **properties):
    conditions = tuple(Condition(pid, tuple(v if isinstance(v, list) else [v])) for pid, v in properties.items())
    query = Query("q", text, tuple(types), strict, limit, conditions)
    return matcher.reconcile([query])["q"]


def test_two_persons_who_share_a_name_come_back_with_the_same_score_and_no_match(matcher):
    first, second = ask(matcher, "Nam Il")[:2]
    assert {first.card.id, second.card.id} == {"nam-il-general", "nam-il-teacher"}
    assert first.score == second.score == 100.0
    assert not first.match and not second.match
    assert first.namesakes == second.namesakes == 1
    assert "1 other candidate with the same name" in first.explanation()


def test_an_identifier_tells_namesakes_apart_and_decides(matcher):
    found = ask(matcher, "Nam Il", wikidata="Q492895")
    assert [(s.card.id, s.score) for s in found[:2]] == [("nam-il-general", 100.0), ("nam-il-teacher", 90.0)]
    assert found[0].match and not found[1].match


def test_a_document_that_names_one_of_them_decides_too(matcher):
    found = ask(matcher, "Nam Il", document="memo")
    assert found[0].card.id == "nam-il-general" and found[0].match


def test_a_date_raises_the_score_of_one_namesake_but_never_decides(matcher):
    found = ask(matcher, "Nam Il", date="1955")
    assert [(s.card.id, s.score) for s in found[:2]] == [("nam-il-general", 100.0), ("nam-il-teacher", 90.0)]
    assert not found[0].match


def test_a_bare_surname_shared_by_two_persons_is_decided_only_by_a_post_in_several_words(matcher):
    plain = ask(matcher, "Kim")
    assert [s.score for s in plain[:2]] == [100.0, 100.0] and not plain[0].match
    rear = ask(matcher, "Kim", post="Chief of the Rear")
    assert rear[0].card.id == "kim-yeol" and rear[0].match
    assert rear[1].card.id == "kim-il-sung" and rear[1].score == 90.0      # no post known: 0.9
    chairman = ask(matcher, "Kim", post="Chairman")
    assert chairman[0].card.id == "kim-yeol" and not chairman[0].match   # "Chairman" could be anyone's


def test_a_person_known_by_one_word_is_not_matched_on_that_word_alone(matcher):
    alone = ask(matcher, "Ivanov")
    assert alone[0].card.id == "ivanov" and alone[0].name_strong and not alone[0].match
    assert ask(matcher, "Ivanov V. I.")[0].match
    assert ask(matcher, "Иванов", document="journal")[0].match is False      # named elsewhere: no decision


def test_scores_multiply_what_the_properties_say(matcher):
    assert ask(matcher, "Kim Il Sung", wikidata="Q41117")[0].score == 100.0       # agrees
    assert ask(matcher, "Kim Il Sung", post="Premier")[0].score == 90.0           # no post known
    found = ask(matcher, "Kim Il Sung", wikidata="Q5")                               # another item
    conflict = next(s for s in found if s.card.id == "kim-il-sung")
    assert conflict.score == 30.0 and not any(s.match for s in found)
    assert [v.outcome for v in conflict.verdicts] == [-1]
    weak = ask(matcher, "Sunido", partOfPlace="Kaesong")[0]                         # another larger place
    assert weak.score == 75.0 and not weak.match
    assert ask(matcher, "Sunido", partOfPlace="Ongjin District")[0].match


def test_a_property_that_says_nothing_for_a_kind_of_entity_cannot_be_checked(matcher):
    found = ask(matcher, "Sunido", post="Chief of the Rear")[0]
    assert found.score == 90.0 and found.verdicts[0].outcome == 0
    assert "has no posts held" in found.verdicts[0].detail


def test_types_filter_with_any_and_all_and_weigh_with_should(matcher):
    assert [s.card.id for s in ask(matcher, "Sunido", types=["Place"])] == ["sunido"]
    assert ask(matcher, "Kim", types=["Place"]) == []
    assert [s.card.id for s in ask(matcher, "Sunido", types=["Place", "Island"], strict="all")] == ["sunido"]
    assert ask(matcher, "Kaesong", types=["Place", "Island"], strict="all") == []
    should = ask(matcher, "Kim Il Sung", types=["Place"], strict="should")[0]
    assert should.card.id == "kim-il-sung" and should.score == 70.0 and should.type_ok is False
    assert not should.match


def test_a_type_is_named_by_its_id_its_prefixed_name_or_its_iri(matcher):
    for name in ("Island", "akg:Island", NS + "Island", "island"):
        assert [s.card.id for s in ask(matcher, "Sunido", types=[name])] == ["sunido"]


def test_a_query_that_is_an_id_finds_that_entity(matcher):
    found = ask(matcher, "kaesong")
    assert found[0].card.id == "kaesong" and found[0].match and found[0].name_score == 1.0
    assert ask(matcher, ID + "memo")[0].card.id == "memo"


def test_a_query_without_a_name_starts_from_its_properties(matcher):
    one = ask(matcher, wikidata="http://www.wikidata.org/entity/Q41117")
    assert [s.card.id for s in one] == ["kim-il-sung"] and one[0].match
    several = ask(matcher, document="journal")
    assert {s.card.id for s in several} == {"kim-il-sung", "kim-yeol"}
    assert not any(s.match for s in several)
    with pytest.raises(BadRequest, match="a query without a name needs one of the properties"):
        ask(matcher, post="Chief of the Rear")


def test_the_limit_and_the_order_of_candidates(matcher):
    found = ask(matcher, "Kim", limit=1)
    assert len(found) == 1
    everything = ask(matcher, "Kim Yeol", limit=10)
    assert [s.score for s in everything] == sorted((s.score for s in everything), reverse=True)


@pytest.mark.parametrize("query, message", [
    (Query("q3", "Kim", ("Planet",)), "queries['q3'].type: unknown type 'Planet'"),
    (Query("q4", "Kim", (), conditions=(Condition("height", ("2",)),)), "unknown property 'height'"),
    (Query("q5", "Kim", (), conditions=(Condition("date", ("winter 1955",)),)), "'winter 1955' is not a date"),
])
def test_a_query_the_service_cannot_read_is_refused_with_what_is_wrong(matcher, query, message):
    with pytest.raises(BadRequest) as caught:
        matcher.reconcile([query])
    assert message in str(caught.value)


def test_facts_are_fetched_once_per_batch_for_the_candidates_of_the_queries_that_ask(matcher):
    source = matcher.source
    source.asked.clear()
    matcher.reconcile([Query("a", "Kim"), Query("b", "Nam Il")])
    assert source.asked == []
    matcher.reconcile([Query("a", "Kim", conditions=(Condition("post", ("Chief of the Rear",)),)),
                       Query("b", "Nam Il", conditions=(Condition("wikidata", ("Q492895",)),))])
    assert len(source.asked) == 1
    asked = source.asked[0]
    assert set(asked) == {"post", "wikidata"}
    # Each property is checked on the candidates of the queries that give it, only.
    assert ID + "kim-yeol" in asked["post"] and ID + "nam-il-general" not in asked["post"]
    assert ID + "nam-il-general" in asked["wikidata"] and ID + "kim-yeol" not in asked["wikidata"]


def test_a_property_given_twice_gives_two_features_with_their_own_ids(matcher):
    query = Query("q", "Nam Il", conditions=(Condition("wikidata", ("Q492895",)), Condition("wikidata", ("Q5",))))
    best = matcher.reconcile([query])["q"][0]
    ids = [f["id"] for f in best.features()]
    assert len(ids) == len(set(ids)) and {"property_wikidata", "property_wikidata_2"} <= set(ids)


def test_a_query_typed_for_persons_or_places_never_builds_the_index_of_documents():
    built = []

    def index(roots):
        built.append(roots)
        return NameIndex([(ID + name, types[0], [(n, None) for n in names], weight)
                          for name, types, names, weight in WORLD if types[-1] in roots])

    cards = [Card(ID + name, name, names[0], types, "", weight) for name, types, names, weight in WORLD]
    parts = NameParts([(AGENTS, lambda: index(AGENTS)), (THINGS, lambda: index(THINGS))])
    fresh = Matcher(parts, Catalogue(cards, TYPES, ID), FakeFacts())
    assert ask(fresh, "Kim Yeol", types=["Person"], strict="should")[0].card.id == "kim-yeol"
    assert ask(fresh, "Sunido", types=["Island"])[0].card.id == "sunido"
    assert built == [AGENTS]
    # A name no person fits, typed "should": the other kinds are searched too.
    assert ask(fresh, "Memo on the resettlement decrees", types=["Person"], strict="should")[0].card.id == "memo"
    assert ask(fresh, "Journal of the ambassador")[0].card.id == "journal"
    assert built == [AGENTS, THINGS]
