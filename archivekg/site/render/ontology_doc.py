"""The ontology page's content, generated from the ontology's Turtle: every term of our
namespace with its label, definition, place in our hierarchy, domain and range, and its
alignments (super-classes, super-properties, equivalences and matches in other
vocabularies)."""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from archivekg.site.render import iris
from archivekg.site.render.turtle_files import Files, Ref, first_label, ref, texts

COMMENTS = (RDFS.comment, SKOS.definition, DCTERMS.description, SKOS.scopeNote, SKOS.note,
            SKOS.example, SKOS.editorialNote)
ALIGNMENTS = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
              SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch,
              OWL.sameAs)
KIND_ORDER = ((OWL.Class, "Classes"), (RDFS.Class, "Classes"), (OWL.ObjectProperty, "Object properties"),
              (OWL.DatatypeProperty, "Datatype properties"), (OWL.AnnotationProperty, "Annotation properties"),
              (RDF.Property, "Properties"), (OWL.NamedIndividual, "Individuals and concepts"),
              (SKOS.Concept, "Individuals and concepts"), (SKOS.ConceptScheme, "Individuals and concepts"))
FOREIGN_SHOWN = 500
CHARACTERISTICS = (OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty,
                   OWL.InverseFunctionalProperty, OWL.AsymmetricProperty, OWL.ReflexiveProperty,
                   OWL.IrreflexiveProperty)


@dataclass
class Term:
    anchor: str
    iri: str
    label: str | None
    kinds: list[Ref]
    comments: list[str]
    alignments: list[tuple[str, Ref]]
    parents: list[tuple[str, Ref]]
    children: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    inverse: list[Ref] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    other: list[tuple[Ref, Ref]] = field(default_factory=list)
    inherited: list[tuple[str, Ref, Ref]] = field(default_factory=list)   # (predicate, target, via)


def inherited_alignments(graph: rdflib.Graph, node: rdflib.URIRef, terms: dict) -> list:
    """Alignments a term has through its ancestors in our namespace (a Resettlement is a
    crm:E9_Move because a PopulationMovement is), each with the ancestor that gives it."""
    seen: set[rdflib.term.Node] = {node}
    queue: list[rdflib.term.Node] = [node]
    found = []
    direct = {(str(p), str(o)) for p in ALIGNMENTS for o in graph.objects(node, p)}
    while queue:
        current = queue.pop(0)
        for predicate in (RDFS.subClassOf, RDFS.subPropertyOf):
            for parent in sorted(graph.objects(current, predicate), key=str):
                if str(parent) not in terms or parent in seen:
                    continue
                seen.add(parent)
                queue.append(parent)
                for aligned in ALIGNMENTS:
                    for target in sorted(graph.objects(parent, aligned), key=str):
                        key = (str(aligned), str(target))
                        if str(target) in terms or key in direct:
                            continue
                        direct.add(key)
                        found.append((iris.compact(str(aligned)), ref(target, graph), ref(parent, graph)))
    return found


def ontology_model(files: Files) -> dict:
    graph = files.graph
    namespace = iris.ONTOLOGY_NS
    shown = {RDF.type, RDFS.label, SKOS.prefLabel, RDFS.domain, RDFS.range, OWL.inverseOf,
             RDFS.isDefinedBy, *COMMENTS, *ALIGNMENTS}
    subjects = sorted({s for s in graph.subjects() if isinstance(s, rdflib.URIRef)
                       and str(s).startswith(namespace) and str(s) != namespace})
    terms: dict[str, Term] = {}
    for node in subjects:
        name = str(node)[len(namespace):]
        # Every node of a graph is an Identifier: ordered as rdflib orders terms.
        types = sorted(t for t in graph.objects(node, RDF.type) if isinstance(t, rdflib.term.Identifier))
        parents: list[tuple[str, Ref]] = []
        alignments: list[tuple[str, Ref]] = []
        for predicate in ALIGNMENTS:
            for target in sorted(graph.objects(node, predicate), key=str):
                entry = (iris.compact(str(predicate)), ref(target, graph))
                internal = isinstance(target, rdflib.URIRef) and str(target).startswith(namespace)
                (parents if internal else alignments).append(entry)
        term = Term(name, str(node), first_label(graph, node),
                    [ref(t, graph) for t in types if t not in CHARACTERISTICS],
                    texts(graph, node, COMMENTS), alignments, parents,
                    domain=[ref(o, graph) for o in graph.objects(node, RDFS.domain)],
                    range=[ref(o, graph) for o in graph.objects(node, RDFS.range)],
                    inverse=[ref(o, graph) for o in graph.objects(node, OWL.inverseOf)],
                    characteristics=[iris.compact(str(t)) for t in types if t in CHARACTERISTICS])
        term.other = [(ref(p, graph), ref(o, graph)) for p, o in sorted(graph.predicate_objects(node))
                      if p not in shown]
        terms[str(node)] = term
    for iri, term in terms.items():
        for predicate in (RDFS.subClassOf, RDFS.subPropertyOf):
            for child in sorted(graph.subjects(predicate, rdflib.URIRef(iri)), key=str):
                if str(child) in terms:
                    term.children.append(ref(child, graph))
        term.inherited = inherited_alignments(graph, rdflib.URIRef(iri), terms)

    groups: dict[str, list[Term]] = {}
    for iri, term in terms.items():
        classes = set(graph.objects(rdflib.URIRef(iri), RDF.type))
        title = next((t for kind, t in KIND_ORDER if kind in classes), "Other terms")
        groups.setdefault(title, []).append(term)
    order = [t for _, t in KIND_ORDER] + ["Other terms"]
    ordered = [(title, sorted(groups[title], key=lambda t: t.anchor.lower()))
               for title in dict.fromkeys(order) if title in groups]

    headers = []
    for ontology in graph.subjects(RDF.type, OWL.Ontology):
        headers.append({
            "iri": str(ontology),
            "title": first_label(graph, ontology),
            "descriptions": texts(graph, ontology, (DCTERMS.description, RDFS.comment)),
            "version": [str(v) for v in graph.objects(ontology, OWL.versionInfo)],
            "license": [ref(v, graph) for v in graph.objects(ontology, DCTERMS.license)],
            "creators": [ref(v, graph) for v in graph.objects(ontology, DCTERMS.creator)],
            "imports": [ref(v, graph) for v in graph.objects(ontology, OWL.imports)],
        })
    foreign = sorted(((ref(s, graph), ref(p, graph), ref(o, graph)) for s, p, o in graph
                      if isinstance(s, rdflib.URIRef) and not str(s).startswith(namespace)
                      and (s, RDF.type, OWL.Ontology) not in graph),
                     key=lambda t: (t[0].text, t[1].text, t[2].text))
    return {"headers": headers, "groups": ordered, "foreign": foreign[:FOREIGN_SHOWN],
            "foreign_total": len(foreign), "namespace": namespace, "count": len(terms),
            "notes": [(f.path.name, f.comment) for f in files.files if f.comment]}
