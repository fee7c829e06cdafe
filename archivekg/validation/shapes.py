"""The shapes of shapes/: read once per folder, grouped by scope and split by backend.

Each file says with ``akgsh:scope`` how it applies (PerNode, PerGraph or WholeCorpus, see
shapes/vocabulary.ttl).  Within a scope, pyshacl runs two kinds of shape on two backends,
because each is slow on the other.  Measured with the provenance shapes: on the 1954 memo's
graph (3k triples) everything on rdflib took 18.9 s, on Oxigraph 1.6 s (rdflib's SPARQL engine
needs 10-20 ms per focus node); on the 1955 journal's graph (13k triples) everything on Oxigraph
took 59 s, mostly in pyshacl's adapter for core lookups, and split as below 0.6 s (core on
rdflib) + 1.5 s (SPARQL on Oxigraph).  So SHACL-Core shapes run over an rdflib graph and shapes
with SHACL-SPARQL constraints or targets over an Oxigraph store; a shape therefore has either
core constraints or SPARQL ones, never both, and ``load`` refuses a file that mixes them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF

from archivekg.errors import ConfigError
from archivekg.validation.terms import AKGSH, SH

SCOPES = (AKGSH.PerNode, AKGSH.PerGraph, AKGSH.WholeCorpus)
_SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)
_CORE_PARAMETERS = {
    SH.property, SH.path, SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength,
    SH.pattern, SH["in"], SH.hasValue, SH.node, SH["not"], SH["and"], SH["or"], SH.xone,
    SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint, SH.qualifiedValueShape, SH.closed,
    SH.languageIn, SH.uniqueLang,
}


@dataclass(frozen=True)
class ShapeInfo:
    name: str
    message: str
    severity: str
    file: str


@dataclass
class ScopedShapes:
    """The shapes of one scope: ``core`` for rdflib, ``sparql`` for Oxigraph (either may be None)."""

    scope: rdflib.URIRef
    core: rdflib.Graph | None
    sparql: rdflib.Graph | None
    advanced: bool                       # SPARQL-based targets need pyshacl's advanced mode
    target_classes: frozenset
    target_predicates: frozenset
    # Every IRI the shapes name (in their triples and in their SPARQL), as strings; None when
    # a shape reads more than it names (sh:closed): a change to data whose predicates and
    # classes are not among them cannot change what the shapes find.
    reads: frozenset | None = None


@dataclass
class ShapeLibrary:
    folder: Path
    files: list[Path]
    graph: rdflib.Graph                  # every shape of every file, as the files say
    scopes: dict[rdflib.URIRef, ScopedShapes]
    info: dict[rdflib.term.Node, ShapeInfo]

    def describe(self, shape) -> ShapeInfo:
        return self.info.get(shape) or ShapeInfo(str(shape), "", "Violation", "")


def load(folder: str | Path) -> ShapeLibrary:
    folder = Path(folder)
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ConfigError(f"{folder}: no shapes (*.ttl) in the shapes folder (setting SHAPES_DIR)")
    stamp = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    return _load(folder, stamp)


@functools.lru_cache(maxsize=4)
def _load(folder: Path, stamp: tuple) -> ShapeLibrary:
    files = [Path(entry[0]) for entry in stamp]
    everything = rdflib.Graph()
    parts: dict[rdflib.URIRef, list[tuple[rdflib.Graph, rdflib.Graph]]] = {s: [] for s in SCOPES}
    info: dict = {}
    for path in files:
        graph = _parse(path)
        everything += graph
        scope = _scope_of(graph, path)
        parts[scope].append(_split(graph, path))
        for shape in _named_shapes(graph):
            info[shape] = ShapeInfo(
                name=str(graph.value(shape, SH.name) or shape),
                message=str(graph.value(shape, SH.message) or ""),
                severity=str(graph.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1],
                file=path.name)
    scopes = {}
    for scope, pieces in parts.items():
        if not pieces:
            continue
        core, sparql = rdflib.Graph(), rdflib.Graph()
        for core_part, sparql_part in pieces:
            core += core_part
            sparql += sparql_part
        graphs = (core, sparql)
        scopes[scope] = ScopedShapes(
            scope=scope,
            core=core if any(_named_shapes(core)) else None,
            sparql=sparql if any(_named_shapes(sparql)) else None,
            advanced=(None, SH.target, None) in sparql,
            target_classes=frozenset(o for g in graphs for o in g.objects(None, SH.targetClass)),
            target_predicates=frozenset(o for g in graphs for o in g.objects(None, SH.targetSubjectsOf)),
            reads=_reads(core + sparql))
        if scope == AKGSH.WholeCorpus and scopes[scope].advanced:
            raise ConfigError("a SPARQL-based target (sh:target) is supported only in files of scope "
                              "akgsh:PerGraph; the whole-corpus pass selects its nodes by class and property")
    return ShapeLibrary(folder, files, everything, scopes, info)


_IRI_REF = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_PREFIXED = re.compile(r"(?<![\w<])([A-Za-z][\w.-]*)?:([\w-]+)")
# A triple pattern with a variable predicate (`?s ?p ?o`, `; ?p ?o`) reads every predicate.
_ANY_PREDICATE = re.compile(r"(?:[?$]\w+|;)\s+[?$]\w+\s+[?$<\"\w_:]")


def _reads(shapes: rdflib.Graph) -> frozenset | None:
    if (None, SH.closed, rdflib.Literal(True)) in shapes:
        return None
    # What shapes read is named as objects (sh:path, sh:class, sh:targetClass, sh:in, ...);
    # the predicates of a shapes graph are SHACL's own terms and annotations (rdfs:label).
    names = {str(term) for term in shapes.objects() if isinstance(term, rdflib.URIRef)}
    declared = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.subjects(SH.prefix, None)}
    for query in shapes.objects(None, SH.select):
        names.update(_IRI_REF.findall(str(query)))
        for prefix, local in _PREFIXED.findall(str(query)):
            if (prefix or "") in declared:
                names.add(declared[prefix or ""] + local)
        if _ANY_PREDICATE.search(str(query).split("{", 1)[-1]):
            return None
    names.add(str(RDF.type))               # SPARQL's `a`
    return frozenset(names)


def _parse(path: Path) -> rdflib.Graph:
    data = path.read_bytes()
    try:
        for _ in ox.parse(data, format=ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        raise ConfigError(f"{where}: the shapes file does not parse: {exc.msg}") from exc
    graph = rdflib.Graph()
    graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    return graph


def _scope_of(graph: rdflib.Graph, path: Path) -> rdflib.URIRef:
    declared = set(graph.objects(None, AKGSH.scope))
    if not declared:
        return AKGSH.PerNode
    if len(declared) > 1 or not declared <= set(SCOPES):
        raise ConfigError(f"{path}: akgsh:scope must be one of akgsh:PerNode, akgsh:PerGraph, "
                          f"akgsh:WholeCorpus (found {', '.join(sorted(map(str, declared)))})")
    scope = declared.pop()
    assert isinstance(scope, rdflib.URIRef)     # one of SCOPES
    return scope


def _named_shapes(graph: rdflib.Graph):
    for shape_type in _SHAPE_TYPES:
        for shape in graph.subjects(RDF.type, shape_type):
            if isinstance(shape, rdflib.URIRef):
                yield shape


def _split(graph: rdflib.Graph, path: Path) -> tuple[rdflib.Graph, rdflib.Graph]:
    """(core shapes, SPARQL shapes) of one file; prefix declarations go with both."""
    sparql_shapes = set(graph.subjects(SH.sparql, None)) | set(graph.subjects(SH.target, None))
    core, sparql = rdflib.Graph(), rdflib.Graph()
    for triple in graph:
        if triple[0] not in sparql_shapes:
            core.add(triple)
    for shape in sparql_shapes:
        mixed = {p for p in graph.predicates(shape, None) if p in _CORE_PARAMETERS}
        if mixed:
            raise ConfigError(f"{path}: shape {shape} has SPARQL constraints and core constraints "
                              f"({', '.join(sorted(str(p).rsplit('#', 1)[-1] for p in mixed))}); "
                              "split it into two shapes")
        _copy_description(graph, shape, sparql)
    for declaring in set(graph.subjects(SH.declare, None)) | set(graph.subjects(RDF.type, OWL.Ontology)):
        _copy_description(graph, declaring, sparql)
    return core, sparql


def _copy_description(source: rdflib.Graph, node, target: rdflib.Graph) -> None:
    """``node``'s triples and, recursively, those of the blank nodes they reach."""
    for predicate, obj in source.predicate_objects(node):
        if (node, predicate, obj) in target:
            continue
        target.add((node, predicate, obj))
        if isinstance(obj, rdflib.BNode):
            _copy_description(source, obj, target)
