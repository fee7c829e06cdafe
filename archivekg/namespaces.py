"""The names everything else uses: namespaces and their prefixes, the IRIs of the graph's
named graphs and resources, the build's internal graphs, and the licence of our statements.

Every layer imports from here and nothing here imports from the rest of archivekg, so a
graph IRI or a prefix is spelt once.
"""

from __future__ import annotations

AKG = "https://w3id.org/archivekg/ontology#"

PREFIXES = {
    "akg": AKG,
    "crm": "http://www.cidoc-crm.org/cidoc-crm/",
    "dcterms": "http://purl.org/dc/terms/",
    "edtf": "http://id.loc.gov/datatypes/edtf/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "http://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# Our statements about the documents (annotations, registries, ontology, the built graph).
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

# Graphs the build uses internally and never publishes.
RAW = "urn:archivekg:raw#"                    # the mapping's raw nodes (statements, bounds)
INFERRED_INTERNAL = "urn:archivekg:inferred"  # where the entailment rules write
TBOX = "urn:archivekg:tbox"                   # the OWL RL closure of the ontology

# The published named graphs, by name (a document's graph is named after its id).
ENTITIES = "entities"
INFERRED = "inferred"
ONTOLOGY = "ontology"
NOT_DOCUMENTS = frozenset({ENTITIES, INFERRED, ONTOLOGY})


def graph_iri(base: str, name: str) -> str:
    """``<BASE>graph/<name>``: a document's graph, or one of ENTITIES, INFERRED, ONTOLOGY."""
    return f"{base}graph/{name}"


def graph_name(base: str, iri: str) -> str | None:
    """The name of a published graph from its IRI, or None when it is not one of ours."""
    prefix = f"{base}graph/"
    return iri[len(prefix):] if iri.startswith(prefix) else None


def resource_iri(base: str, local: str) -> str:
    """``<BASE>id/<local>``: a thing the corpus names (``kim-il-sung``, ``memo-…/text``)."""
    return f"{base}id/{local}"


def id_namespace(base: str) -> str:
    return f"{base}id/"
