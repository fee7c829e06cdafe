"""Every label of the built graph is a name in a language, never a name as one passage writes it.

The whole served graph is scanned: every rdfs:label, skos:prefLabel, skos:altLabel, schema:name
and schema:alternateName literal, whatever its graph and its subject.  A label carries a
language tag (our English names are @en).  A possessive ("Kim Il Sung’s"), a pronoun ("he"), a
description with the definite article ("the country"), a name with an honorific ("Cde.
Molotov"), a translator's insertion in square brackets ("[Sunido]") or a bare part of a
person's longer name ("Kim" for Kim Il Sung) is how a passage writes a name: it belongs on the
mention (the `names` of a statement), not on the entity.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

LABEL_PROPERTIES = ("http://www.w3.org/2000/01/rdf-schema#label",
                    "http://www.w3.org/2004/02/skos/core#prefLabel",
                    "http://www.w3.org/2004/02/skos/core#altLabel",
                    "http://schema.org/name", "http://schema.org/alternateName")
AKG = "https://w3id.org/archivekg/ontology#"
ENTITY_CLASSES = ("Person", "Organization", "Group", "Place")
PRONOUNS = {"he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their",
            "we", "us", "our", "i", "me", "my", "you", "your"}
POSSESSIVE = re.compile(r"(['’]s|s['’])$")


def labels(store: ox.Store) -> list[tuple[str, str, ox.Literal, str]]:
    """(subject, property, literal, graph) of every label literal of every graph."""
    values = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    rows = store.query(f"""SELECT ?s ?p ?l ?g WHERE {{ VALUES ?p {{ {values} }}
        GRAPH ?g {{ ?s ?p ?l }} FILTER(isLITERAL(?l)) }}""")
    return [(r["s"].value, r["p"].value, r["l"], r["g"].value) for r in rows]


def entities(store: ox.Store) -> set[str]:
    classes = " ".join(f"<{AKG}{c}>" for c in ENTITY_CLASSES)
    return {r["x"].value for r in store.query(
        f"SELECT DISTINCT ?x WHERE {{ VALUES ?c {{ {classes} }} ?x a ?c }}",
        use_default_graph_as_union=True)}


def bad_form(text: str) -> str | None:
    """Why this text is a name as written rather than a label, or None."""
    if POSSESSIVE.search(text):
        return "a possessive"
    if text.strip().lower() in PRONOUNS:
        return "a pronoun"
    if text.lower().startswith("the "):
        return "a description with the definite article"
    if text.startswith("Cde. "):
        return "a name with an honorific"
    return None


def test_the_scan_reads_the_labels_of_every_graph(store, built):
    base = built["settings"]["BASE_IRI"]
    found = labels(store)
    graphs = {graph for *_, graph in found}
    assert {f"{base}graph/ontology", f"{base}graph/inferred"} <= graphs
    assert any(lit.value == "Kim Il Sung" for _, _, lit, _ in found)
    assert any(lit.value == "김일성" and lit.language == "ko" for _, _, lit, _ in found)


def test_every_label_has_a_language_tag(store):
    untagged = [(s, p, lit.value, g) for s, p, lit, g in labels(store) if not lit.language]
    assert untagged == []


def test_no_label_is_a_name_as_written(store):
    wrong = [(s, lit.value, why) for s, _, lit, _ in labels(store) if (why := bad_form(lit.value))]
    assert wrong == []


def test_no_entity_label_has_a_translators_insertion(store):
    names = entities(store)
    wrong = [(s, lit.value) for s, _, lit, _ in labels(store) if s in names and "[" in lit.value]
    assert wrong == []


def test_no_bare_part_of_a_persons_longer_name_is_a_label(store):
    """"Kim" alone is a label of no one whose name is longer (Kim Il Sung, Kim Yeol)."""
    preferred = {r["p"].value: r["n"].value for r in store.query(
        f"SELECT ?p ?n WHERE {{ ?p a <{AKG}Person> ; <{AKG}name> ?n }}",
        use_default_graph_as_union=True)}
    wrong = []
    for subject, _, literal, _ in labels(store):
        name = preferred.get(subject)
        text = literal.value
        if name and " " not in text.strip() and text != name and text in re.split(r"[\s.]+", name):
            wrong.append((subject, text, name))
    assert wrong == []


@pytest.mark.parametrize("text, why", [
    ("Kim Il Sung’s", "a possessive"), ("Kim Yeol's", "a possessive"),
    ("the country", "a description with the definite article"), ("he", "a pronoun"),
    ("Cde. Molotov", "a name with an honorific"), ("Kim Il Sung", None),
    ("Korean People's Army", None),
])
def test_what_counts_as_a_name_as_written(text, why):
    assert bad_form(text) == why
