"""The shapes of one scope read into plain objects, refusing what the compiler cannot run.

Every triple a shape has is either understood here (a target, a path, a constraint parameter
the compiler turns into SPARQL, or an annotation that changes no result) or it stops the
compile with an error naming the shape and the parameter: a shape is never skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from archivekg.errors import ConfigError
from archivekg.validation import paths
from archivekg.validation.terms import SH

# Parameters whose value never changes which results a shape reports.
_ANNOTATIONS = {SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, SH.defaultValue}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.target}
# Constraint parameters the compiler has a SPARQL form for (core.py, sparql.py).
SUPPORTED = {
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent, SH.minLength: SH.MinLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent, SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH["in"]: SH.InConstraintComponent, SH.hasValue: SH.HasValueConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH["or"]: SH.OrConstraintComponent, SH["not"]: SH.NotConstraintComponent,
    SH.node: SH.NodeConstraintComponent, SH.sparql: SH.SPARQLConstraintComponent,
}
_STRUCTURE = {SH.path, SH.property}
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


class CompileError(ConfigError):
    """A shape uses SHACL the compiler has no SPARQL form for, or uses it in a way it cannot run."""

    def __init__(self, shape, what: str):
        self.shape, self.what = shape, what
        super().__init__(f"shape {_name(shape)}: {what} (archivekg/validation/compile cannot run it; "
                         "`archivekg validate --engine pyshacl` can)")


@dataclass(frozen=True)
class Constraint:
    """One constraint component of a shape with its parameter values."""

    parameter: rdflib.URIRef             # sh:class, sh:minCount, ... (the key of SUPPORTED)
    values: tuple                        # the objects of ``parameter`` on the shape (a list: its items)

    @property
    def component(self) -> rdflib.URIRef:
        return SUPPORTED[self.parameter]


@dataclass
class Target:
    kind: rdflib.URIRef                  # sh:targetClass, sh:targetSubjectsOf or sh:target
    value: rdflib.term.Node | str        # a class, a predicate, or the SPARQL of a SPARQLTarget
    prefixes: dict = field(default_factory=dict)


@dataclass
class Shape:
    node: rdflib.term.Node
    path: object | None                  # paths.read form; None for a node shape
    targets: list[Target]
    constraints: list[Constraint]
    properties: list[Shape]            # sh:property
    severity: str
    message: str | None
    sparql: list[Select] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path is not None


@dataclass
class Select:
    """A SPARQL-based constraint (sh:sparql) of a shape."""

    node: rdflib.term.Node
    text: str
    prefixes: dict


class Reader:
    """Reads shapes from one graph; ``shape(node)`` gives each node one object (shared
    between every parent that refers to it)."""

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.shapes: dict = {}
        self._reading: set = set()

    def top_level(self) -> list[Shape]:
        """Every shape with targets of its own, in a stable order."""
        nodes = {s for t in _TARGETS for s in self.graph.subjects(t, None)}
        for node in set(self.graph.subjects(RDF.type, SH.NodeShape)) | set(self.graph.subjects(RDF.type, SH.PropertyShape)):
            types = set(self.graph.objects(node, RDF.type))
            if RDFS.Class in types or OWL.Class in types:
                raise CompileError(node, "a shape that is also a class (implicit class target) is not supported")
            self.shape(node)          # every declared shape is read, so that every one is checked
        return [self.shape(node) for node in sorted(nodes, key=str)]

    def shape(self, node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        if node in self._reading:
            raise CompileError(node, "the shape refers to itself (recursive shapes are not supported)")
        self._reading.add(node)
        try:
            shape = self._read(node)
        finally:
            self._reading.discard(node)
        self.shapes[node] = shape
        return shape

    def _read(self, node) -> Shape:
        g = self.graph
        for predicate in sorted(set(g.predicates(node, None)), key=str):
            if str(predicate).startswith(str(SH)) and predicate not in (
                    _ANNOTATIONS | _TARGETS | _STRUCTURE | set(SUPPORTED)):
                raise CompileError(node, f"the parameter {_name(predicate)} is not supported")
        path_node = g.value(node, SH.path)
        path = paths.read(g, path_node) if path_node is not None else None
        if path is not None:
            _check_path(node, path)
        severities = set(g.objects(node, SH.severity)) or {SH.Violation}
        if len(severities) > 1 or not severities <= set(SEVERITIES):
            raise CompileError(node, "sh:severity must be one of sh:Violation, sh:Warning, sh:Info")
        severity = severities.pop()
        assert isinstance(severity, rdflib.URIRef)      # a key of SEVERITIES
        messages = list(g.objects(node, SH.message))
        if len(messages) > 1:
            raise CompileError(node, "more than one sh:message (one per result is reported)")
        shape = Shape(node=node, path=path, targets=self._targets(node), constraints=[],
                      properties=[], severity=SEVERITIES[severity],
                      message=str(messages[0]) if messages else None)
        for parameter in SUPPORTED:
            values = list(g.objects(node, parameter))
            if not values:
                continue
            if parameter == SH.sparql:
                shape.sparql = [self._select(node, value) for value in sorted(values, key=str)]
                continue
            if parameter in (SH["in"], SH["or"]):
                if len(values) != 1:
                    raise CompileError(node, f"{_name(parameter)} must have exactly one list")
                values = list(Collection(g, values[0]))
            if parameter in (SH["or"], SH["not"], SH.node):
                shapes = [self.shape(value) for value in values]
                shape.constraints.append(Constraint(parameter, tuple(sorted(shapes, key=_order))))
            else:
                shape.constraints.append(Constraint(parameter, tuple(sorted(values, key=_order))))
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        for child in shape.properties:
            if not child.is_property:
                raise CompileError(child.node, "a value of sh:property must be a property shape (sh:path)")
        if shape.properties and shape.is_property:
            raise CompileError(node, "sh:property on a property shape is not supported")
        return shape

    def _targets(self, node) -> list[Target]:
        g = self.graph
        targets = [Target(SH.targetClass, c) for c in sorted(g.objects(node, SH.targetClass), key=str)]
        targets += [Target(SH.targetSubjectsOf, p) for p in sorted(g.objects(node, SH.targetSubjectsOf), key=str)]
        for sparql_target in sorted(g.objects(node, SH.target), key=str):
            if (sparql_target, RDF.type, SH.SPARQLTarget) not in g:
                raise CompileError(node, "only sh:SPARQLTarget is supported as sh:target")
            select = self._select(node, sparql_target)
            targets.append(Target(SH.target, select.text, select.prefixes))
        for target in targets:
            if target.kind != SH.target and not isinstance(target.value, rdflib.URIRef):
                raise CompileError(node, f"{_name(target.kind)} must be an IRI")
        return targets

    def _select(self, shape, node) -> Select:
        g = self.graph
        for predicate in sorted(set(g.predicates(node, None)), key=str):
            if predicate not in (RDF.type, SH.select, SH.prefixes, SH.message, RDFS.comment, RDFS.label):
                raise CompileError(shape, f"{_name(predicate)} on a SPARQL constraint or target is not supported")
        if (node, SH.message, None) in g:
            raise CompileError(shape, "sh:message on a SPARQL constraint is not supported: put it on the shape")
        selects = list(g.objects(node, SH.select))
        if len(selects) != 1 or not isinstance(selects[0], rdflib.Literal):
            raise CompileError(shape, "a SPARQL constraint or target needs exactly one sh:select text")
        return Select(node, str(selects[0]), _prefixes(g, shape, node))


def _prefixes(g: rdflib.Graph, shape, node) -> dict:
    """The prefixes a SPARQL text may use: the sh:declare of the nodes its sh:prefixes names."""
    found: dict = {}
    for holder in g.objects(node, SH.prefixes):
        for declaration in g.objects(holder, SH.declare):
            prefix, namespace = g.value(declaration, SH.prefix), g.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise CompileError(shape, "a sh:declare needs sh:prefix and sh:namespace")
            if found.get(str(prefix), str(namespace)) != str(namespace):
                raise CompileError(shape, f"the prefix {prefix}: is declared twice with two namespaces")
            found[str(prefix)] = str(namespace)
    return found


def _check_path(shape, path) -> None:
    if isinstance(path, rdflib.URIRef):
        return
    kind, parts = path
    if kind in ("zeroOrMore", "oneOrMore", "zeroOrOne"):
        raise CompileError(shape, f"the property path sh:{kind}Path is not supported")
    for part in (parts if kind in ("sequence", "alternative") else (parts,)):
        if isinstance(part, rdflib.BNode):
            raise CompileError(shape, "a blank node in a property path that is not a path")
        _check_path(shape, part)


def _order(value) -> str:
    return str(value.node) if isinstance(value, Shape) else str(value)


def _name(term) -> str:
    text = str(term)
    for prefix, namespace in (("sh", str(SH)), ("akgsh", "https://w3id.org/archivekg/shapes#")):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return f"_:{text}" if isinstance(term, rdflib.BNode) else f"<{text}>"
