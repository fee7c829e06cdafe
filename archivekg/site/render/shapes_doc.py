"""The shapes page's content, generated from the shapes' Turtle: per file, every shape that
applies on its own (node shapes, and property shapes with a target), its targets,
constraints, severity and messages, and the property shapes it uses."""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from archivekg.site.render import iris
from archivekg.site.render.turtle_files import Files, Ref, first_label, ref, texts

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
CONSTRAINTS = (SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH["in"],
               SH.hasValue, SH.pattern, SH.flags, SH.minLength, SH.maxLength, SH.minInclusive,
               SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.node, SH.qualifiedValueShape,
               SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.uniqueLang, SH.languageIn,
               SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH["or"], SH["and"],
               SH["not"], SH.xone, SH.closed, SH.ignoredProperties)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def path_text(node, graph: rdflib.Graph) -> str:
    if isinstance(node, rdflib.URIRef):
        return iris.compact(str(node))
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "({})*"),
                                (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = graph.value(node, predicate)
        if inner is not None:
            return template.format(path_text(inner, graph))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return " | ".join(path_text(n, graph) for n in Collection(graph, alternatives))
    if graph.value(node, RDF.first) is not None:
        return " / ".join(path_text(n, graph) for n in Collection(graph, node))
    return "(path)"


def constraint_value(node, graph: rdflib.Graph) -> Ref:
    if isinstance(node, rdflib.BNode) and graph.value(node, RDF.first) is not None:
        return Ref(", ".join(constraint_value(n, graph).text for n in Collection(graph, node)), None)
    if isinstance(node, rdflib.BNode):
        path = graph.value(node, SH.path)
        if path is not None:
            return Ref("values of " + path_text(path, graph), None)
        parts = [f"{iris.compact(str(p))} {constraint_value(o, graph).text}"
                 for p, o in sorted(graph.predicate_objects(node)) if p != RDF.type]
        return Ref("[" + "; ".join(parts) + "]", None)
    return ref(node, graph)


@dataclass
class PropertyShape:
    anchor: str | None
    path: str
    name: str | None
    descriptions: list[str]
    constraints: list[tuple[str, Ref]]
    severity: str | None
    messages: list[str]


@dataclass
class Shape:
    anchor: str
    iri: str | None
    kind: str                       # "node" or "property"
    path: str | None
    label: str | None
    descriptions: list[str]
    targets: list[tuple[str, Ref]]
    severity: str | None
    messages: list[str]
    constraints: list[tuple[str, Ref]]
    properties: list[PropertyShape]
    sparql: list[tuple[list[str], str]]


def _anchor(node) -> str | None:
    if not isinstance(node, rdflib.URIRef):
        return None
    value = str(node)
    if value.startswith(iris.SHAPES_NS):
        return value[len(iris.SHAPES_NS):]
    return iris.local_name(value)


def _severity(graph, node) -> str | None:
    value = graph.value(node, SH.severity)
    return iris.local_name(str(value)) if value is not None else None


def _constraints(graph, node) -> list[tuple[str, Ref]]:
    return [(iris.compact(str(p)), constraint_value(o, graph)) for p in CONSTRAINTS
            for o in graph.objects(node, p)]


def _property(graph, node, top_level: set) -> PropertyShape:
    path = graph.value(node, SH.path)
    return PropertyShape(
        None if node in top_level else _anchor(node),
        path_text(path, graph) if path is not None else "(no path)",
        next((str(v) for v in graph.objects(node, SH.name)), None),
        texts(graph, node, (SH.description, RDFS.comment)), _constraints(graph, node),
        _severity(graph, node), [str(m) for m in graph.objects(node, SH.message)])


def _top_level(graph: rdflib.Graph) -> set:
    """Shapes that apply on their own: node shapes, and property shapes with a target."""
    found = set(graph.subjects(RDF.type, SH.NodeShape))
    for target in TARGETS:
        found.update(graph.subjects(target, None))
    return found


def shapes_model(files: Files) -> dict:
    merged = files.graph
    top_level = _top_level(merged)
    sections, count = [], 0
    for file in files.files:
        shapes = []
        for node in sorted(_top_level(file.graph), key=str):
            is_property = (node, RDF.type, SH.PropertyShape) in merged or \
                (merged.value(node, SH.path) is not None and (node, RDF.type, SH.NodeShape) not in merged)
            path = merged.value(node, SH.path) if is_property else None
            sparql_constraints = []
            for constraint in merged.objects(node, SH.sparql):
                messages = [str(m) for m in merged.objects(constraint, SH.message)]
                select = merged.value(constraint, SH.select) or merged.value(constraint, SH.ask)
                sparql_constraints.append((messages, str(select) if select is not None else ""))
            properties = sorted((_property(merged, p, top_level) for p in merged.objects(node, SH.property)),
                                key=lambda p: (p.path, p.name or ""))
            count += 1
            shapes.append(Shape(
                _anchor(node) or f"shape-{count}", str(node) if isinstance(node, rdflib.URIRef) else None,
                "property" if is_property else "node",
                path_text(path, merged) if path is not None else None,
                next((str(v) for v in merged.objects(node, SH.name)), None) or first_label(merged, node),
                texts(merged, node, (SH.description, RDFS.comment)),
                [(iris.compact(str(t)), ref(o, merged)) for t in TARGETS for o in merged.objects(node, t)],
                _severity(merged, node), [str(m) for m in merged.objects(node, SH.message)],
                _constraints(merged, node), properties, sparql_constraints))
        titles = [first_label(file.graph, o) for o in file.graph.subjects(RDF.type, OWL.Ontology)]
        sections.append({"file": file.path.name, "stem": file.path.stem, "title": next((t for t in titles if t), None),
                         "comment": file.comment, "shapes": shapes})
    return {"sections": sections, "count": count, "namespace": iris.SHAPES_NS}
