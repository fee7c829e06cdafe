"""The SPARQL 1.1 Service Description and the VoID description, as RDF.

Both are rebuilt per request from cached counts, because they name the URLs the client
used (``sd:endpoint`` must be the address the client reached, whatever proxy is in front).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from archivekg import rdfformats as formats
from archivekg.rdfformats import FORMATS as GRAPH_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
OWL = "http://www.w3.org/2002/07/owl#"
ENTAILMENT = "http://www.w3.org/ns/entailment/"

PREFIXES = {"sd": SD, "void": VOID, "dcterms": DCT, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
            "foaf": FOAF, "owl": OWL, "skos": "http://www.w3.org/2004/02/skos/core#",
            "formats": "http://www.w3.org/ns/formats/"}

Triple = ox.Triple


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_n(XSD + "integer"))


def _a(subject, cls: str) -> Triple:
    return Triple(subject, _n(RDF + "type"), _n(cls))


def serialize(triples: Iterable[Triple], fmt_name: str) -> bytes:
    # Grouped by subject (in order of first appearance), so Turtle writes each node once.
    order: dict = {}
    for triple in triples:
        order.setdefault(triple.subject, []).append(triple)
    grouped = [triple for group in order.values() for triple in group]
    return formats.serialized(ox.serialize(grouped, format=GRAPH_FORMATS[fmt_name], prefixes=PREFIXES))


def service_description(*, endpoint: str, void_url: str, stats: dict[str, Any],
                        settings: dict[str, Any], update_enabled: bool) -> list[Triple]:
    service, dataset, default_graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    out = [
        _a(service, SD + "Service"),
        Triple(service, _n(SD + "endpoint"), _n(endpoint)),
        Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        Triple(service, _n(SD + "defaultEntailmentRegime"), _n(ENTAILMENT + "Simple")),
        Triple(service, _n(RDFS + "seeAlso"), _n(void_url)),
        Triple(service, _n(DCT + "description"), ox.Literal(
            f"{'SPARQL 1.1 endpoint (updates need a bearer token)' if update_enabled else 'Read-only SPARQL 1.1 endpoint'}. "
            f"Queries are stopped after {settings['QUERY_TIMEOUT']:g} s; "
            f"a response carries at most {settings['MAX_RESULTS']} results (header "
            "X-ArchiveKG-Truncated: true when cut). The default graph is the union of all graphs.")),
        Triple(service, _n(SD + "defaultDataset"), dataset),
        _a(dataset, SD + "Dataset"),
        Triple(dataset, _n(SD + "defaultGraph"), default_graph),
        _a(default_graph, SD + "Graph"),
        Triple(default_graph, _n(VOID + "triples"), _int(stats["union_triples"])),
    ]
    if update_enabled:
        out.append(Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")))
    if settings["SERVICE_ALLOWLIST"]:
        out.append(Triple(service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    for fmt in formats.RESULTS + formats.GRAPHS:
        out.append(Triple(service, _n(SD + "resultFormat"), _n(fmt.iri)))
    for index, (graph, count) in enumerate(sorted(stats["graphs"].items())):
        named, described = ox.BlankNode(f"named{index}"), ox.BlankNode(f"graph{index}")
        out += [
            Triple(dataset, _n(SD + "namedGraph"), named),
            _a(named, SD + "NamedGraph"),
            Triple(named, _n(SD + "name"), _n(graph)),
            Triple(named, _n(SD + "graph"), described),
            _a(described, SD + "Graph"),
            Triple(described, _n(VOID + "triples"), _int(count)),
        ]
    return out


def void_description(*, void_url: str, root: str, stats: dict[str, Any], settings: dict[str, Any],
                     manifest: dict[str, Any] | None, title: str,
                     downloads: Iterable[str] = ()) -> list[Triple]:
    document, dataset = _n(void_url), _n(void_url + "#dataset")
    out = [
        _a(document, VOID + "DatasetDescription"),
        Triple(document, _n(DCT + "title"), ox.Literal(f"VoID description of {title}")),
        Triple(document, _n(FOAF + "primaryTopic"), dataset),
        _a(dataset, VOID + "Dataset"),
        Triple(dataset, _n(DCT + "title"), ox.Literal(title)),
        Triple(dataset, _n(VOID + "sparqlEndpoint"), _n(root + "sparql")),
        Triple(dataset, _n(VOID + "triples"), _int(stats["quads"])),
        Triple(dataset, _n(VOID + "entities"), _int(stats["entities"])),
        Triple(dataset, _n(VOID + "classes"), _int(stats["classes"])),
        Triple(dataset, _n(VOID + "properties"), _int(stats["properties"])),
        Triple(dataset, _n(VOID + "distinctSubjects"), _int(stats["distinct_subjects"])),
        Triple(dataset, _n(VOID + "distinctObjects"), _int(stats["distinct_objects"])),
    ]
    for example in stats["examples"]:
        out.append(Triple(dataset, _n(VOID + "exampleResource"), _n(example)))
    if manifest is not None:
        out.append(Triple(dataset, _n(VOID + "uriSpace"), ox.Literal(settings["BASE_IRI"])))
        if manifest.get("license"):
            out.append(Triple(dataset, _n(DCT + "license"), _n(manifest["license"])))
        if manifest.get("version"):
            out.append(Triple(dataset, _n(OWL + "versionInfo"), ox.Literal(str(manifest["version"]))))
        if manifest.get("built"):
            out.append(Triple(dataset, _n(DCT + "modified"), ox.Literal(str(manifest["built"]))))
        for name in sorted(downloads):
            out.append(Triple(dataset, _n(VOID + "dataDump"), _n(f"{root}download/{name}")))
    for index, (graph, count) in enumerate(sorted(stats["graphs"].items())):
        subset = ox.BlankNode(f"subset{index}")
        out += [
            Triple(dataset, _n(VOID + "subset"), subset),
            _a(subset, VOID + "Dataset"),
            Triple(subset, _n("http://www.w3.org/ns/sparql-service-description#name"), _n(graph)),
            Triple(subset, _n(VOID + "triples"), _int(count)),
        ]
    out += linksets(dataset, stats.get("linksets", ()))
    return out


def linksets(dataset: ox.NamedNode, found) -> list[Triple]:
    """One void:Linkset per link predicate and target namespace (owl:sameAs to Wikidata,
    skos:closeMatch to another archivekg, ...), each a subset of the dataset."""
    out: list[Triple] = []
    for index, item in enumerate(found):
        linkset, target = ox.BlankNode(f"linkset{index}"), ox.BlankNode(f"target{index}")
        out += [
            Triple(dataset, _n(VOID + "subset"), linkset),
            _a(linkset, VOID + "Linkset"),
            Triple(linkset, _n(VOID + "linkPredicate"), _n(item["predicate"])),
            Triple(linkset, _n(VOID + "subjectsTarget"), dataset),
            Triple(linkset, _n(VOID + "objectsTarget"), target),
            Triple(linkset, _n(VOID + "triples"), _int(item["triples"])),
            _a(target, VOID + "Dataset"),
            Triple(target, _n(VOID + "uriSpace"), ox.Literal(item["target"])),
        ]
    return out
