"""What the query editor completes: the prefixes declared for every query, and the classes and
properties of our ontology and of the vocabularies it aligns to (ontology/ and its imports),
each with its label and definition."""

from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from archivekg.namespaces import PREFIXES
from archivekg.site.render import turtle_files

CLASSES = (OWL.Class, RDFS.Class)
PROPERTIES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
              OWL.TransitiveProperty, OWL.SymmetricProperty)
INDIVIDUALS = (OWL.NamedIndividual, SKOS.Concept)


def terms(ontology_dir: str, prefixes: dict[str, str]) -> list[dict]:
    graph = turtle_files.load(ontology_dir).graph
    found: dict[str, dict] = {}
    for kind, types in (("class", CLASSES), ("property", PROPERTIES), ("value", INDIVIDUALS)):
        for declared in types:
            for subject in graph.subjects(RDF.type, declared):
                if not isinstance(subject, URIRef) or str(subject) in found:
                    continue
                iri = str(subject)
                namespace = next((ns for ns in sorted(prefixes.values(), key=len, reverse=True)
                                  if iri.startswith(ns)), None)
                if namespace is None or not iri[len(namespace):]:
                    continue
                label = graph.value(subject, RDFS.label) or graph.value(subject, SKOS.prefLabel)
                definition = graph.value(subject, SKOS.definition) or graph.value(subject, RDFS.comment)
                found[iri] = {"iri": iri, "namespace": namespace, "local": iri[len(namespace):], "kind": kind,
                              "label": str(label) if label else "",
                              "definition": str(definition) if definition else ""}
    return sorted(found.values(), key=lambda t: (t["namespace"], t["local"].lower()))


def vocabulary(ontology_dir: str, base_iri: str) -> dict:
    prefixes = dict(PREFIXES)
    prefixes["id"] = f"{base_iri}id/"
    return {"prefixes": prefixes, "terms": terms(ontology_dir, prefixes)}
