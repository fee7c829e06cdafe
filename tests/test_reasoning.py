"""Our SPARQL entailment of the data gives what owlrl's full OWL RL closure gives.

The build closes only the ontology with owlrl and applies the closed axioms to the data with
SPARQL (owlrl on the whole data would not scale).  Here owlrl closes ontology + data of the
shipped corpus the slow way, and every triple it entails about our resources must be in the
served graph.  Left out on purpose, as in the build: owl:sameAs replication onto Wikidata IRIs
(eq-rep-*: it would copy every triple about a person onto wd:Q…), and the trivial typing of
everything as owl:Thing / rdfs:Resource.
"""

from __future__ import annotations

from pathlib import Path

import owlrl
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDFS

from archivekg.pipeline.reasoning import ontology_files

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}


def _to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value)
                              if term.language is None else None, lang=term.language)
    return rdflib.BNode(str(term))


def test_owlrl_full_closure_is_in_the_served_graph(store, built):
    base = built["settings"]["BASE_IRI"]
    asserted = rdflib.Graph()
    served = set()
    for quad in store:
        triple = (_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object))
        served.add(triple)
        if not quad.graph_name.value.endswith(("/graph/inferred", "/graph/ontology")):
            asserted.add(triple)
    asserted_data = set(asserted)
    for path in ontology_files(ROOT / "ontology"):
        asserted.parse(path, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(asserted)

    by_subject_property: dict = {}
    for s, p, o in served:
        by_subject_property.setdefault((s, p), set()).add(str(o))
    missing = []
    for s, p, o in asserted:
        if (s, p, o) in asserted_data or not str(s).startswith(base + "id/"):
            continue
        if p == OWL.sameAs or o in TRIVIAL or isinstance(o, rdflib.BNode):
            continue
        if str(p).startswith((str(OWL), str(RDFS))) and p != RDFS.label:
            continue
        if isinstance(o, rdflib.Literal):
            # owlrl re-types literals (e.g. "1"^^xsd:integer into other numeric types); compare lexically
            if str(o) in by_subject_property.get((s, p), ()):
                continue
        if (s, p, o) not in served:
            missing.append((s, p, o))
    assert not missing, f"{len(missing)} OWL RL entailments missing, e.g. {missing[:5]}"
