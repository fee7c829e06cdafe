"""No triple is stated in two named graphs (docs/graph-model.md, "Each triple once").

The served default graph is the union of the named graphs, and a union returns a triple once
per graph that holds it: a triple in two graphs would be counted twice by any COUNT or SUM
written without GRAPH or DISTINCT.  So a registry does not repeat what a document states, and
the inferred graph repeats neither an asserted triple nor the ontology.  The one allowance:
two documents that both state a claim each keep its plain triple in their own graph, beside
the factoid that quotes them (a document's graph is its whole account).
"""

from __future__ import annotations

import pyoxigraph as ox

AKG = "https://w3id.org/archivekg/ontology#"


def stated_twice(store: ox.Store) -> list[tuple]:
    return [(r["s"], r["p"], r["o"], r["graphs"].value.split(" ")) for r in store.query(
        """SELECT ?s ?p ?o (GROUP_CONCAT(STR(?g); separator=" ") AS ?graphs)
           WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1)""")]


def quoted_in(store: ox.Store, graph: str, s, p, o) -> bool:
    """The graph holds a factoid for the triple: its document states it, with a quote."""
    return bool(store.query(
        f"""ASK {{ GRAPH <{graph}> {{ ?f a <{AKG}Factoid> ; <{AKG}factSubject> {s} ;
                   <{AKG}factProperty> {p} ; <{AKG}factObject> {o} }} }}"""))


def test_no_triple_is_stated_in_two_graphs(store, built):
    base = built["settings"]["BASE_IRI"]
    shared = {f"{base}graph/{name}" for name in ("entities", "inferred", "ontology")}
    wrong = []
    for s, p, o, graphs in stated_twice(store):
        allowed = not (set(graphs) & shared) and all(quoted_in(store, g, s, p, o) for g in graphs)
        if not allowed:
            wrong.append((str(s), str(p), str(o), graphs))
    assert wrong == []


def test_the_check_sees_a_triple_stated_twice():
    """A registry repeating a document's partOfPlace (as the registries once did) is found."""
    store = ox.Store()
    island, part, district = (ox.NamedNode(f"urn:x:{n}") for n in ("sunido", "p", "ongjin"))
    for graph in ("urn:g:entities", "urn:g:memo"):
        store.add(ox.Quad(island, part, district, ox.NamedNode(graph)))
    ((s, p, o, graphs),) = stated_twice(store)
    assert (s, p, o) == (island, part, district) and sorted(graphs) == ["urn:g:entities", "urn:g:memo"]
