"""The counts the service description, VoID and the pages show, computed from a store.

The embedded server computes them in a query worker over the store it serves; `archivekg
publish` computes them over the release it publishes and records them in the store, so that
a server in front of an external store describes exactly the dataset we published (the
store's own union of graphs may hold graphs of other owners)."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox


def _select(store: ox.Store, query: str, *, union: bool = False) -> ox.QuerySolutions:
    solutions = store.query(query, use_default_graph_as_union=union)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _count(store: ox.Store, query: str, *, union: bool = False) -> int:
    for solution in _select(store, query, union=union):
        return int(solution[0].value)
    return 0


def compute_statistics(store: ox.Store, base_iri: str) -> dict[str, Any]:
    graphs = {}
    for solution in _select(
            store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"):
        if isinstance(solution["g"], ox.NamedNode):
            graphs[solution["g"].value] = int(solution["n"].value)
    # JSON string syntax is valid SPARQL string syntax (same escapes).
    examples = [s["s"].value for s in _select(
        store, f"SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(isIRI(?s) && STRSTARTS(STR(?s), {json.dumps(base_iri)})) }} "
        "ORDER BY ?s LIMIT 3", union=True)]
    if not examples:
        examples = [s["s"].value for s in _select(
            store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 3", union=True)]
    return {
        "quads": len(store),
        "default_graph_triples": _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "union_triples": _count(
            store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }", union=True),
        "entities": _count(
            store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }", union=True),
        "classes": _count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }", union=True),
        "properties": _count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }", union=True),
        "distinct_subjects": _count(
            store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }", union=True),
        "distinct_objects": _count(
            store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }", union=True),
        "graphs": graphs,
        "examples": examples,
        "linksets": linksets(store, base_iri),
    }


LINK_PREDICATES = ("http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2004/02/skos/core#closeMatch")


def linksets(store: ox.Store, base: str) -> list[dict[str, Any]]:
    """Links from our resources to other datasets, counted by predicate and by the namespace of
    the target (its IRI up to the last / or #): VoID's linksets."""
    if not base:
        return []
    ours = json.dumps(base)
    predicates = " ".join(f"<{p}>" for p in LINK_PREDICATES)
    found = []
    for solution in _select(store, f"""
            SELECT ?p ?space (COUNT(*) AS ?n) WHERE {{
              {{ SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?o
                 FILTER(isIRI(?s) && isIRI(?o) && STRSTARTS(STR(?s), {ours}) && !STRSTARTS(STR(?o), {ours})) }} }}
              BIND(REPLACE(STR(?o), "[^/#]*$", "") AS ?space)
            }} GROUP BY ?p ?space ORDER BY ?p ?space""", union=True):
        found.append({"predicate": solution["p"].value, "target": solution["space"].value,
                      "triples": int(solution["n"].value)})
    return found
