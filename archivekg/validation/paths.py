"""SHACL property paths (sh:resultPath) as hashable values, SPARQL text and RDF again.

A path is an IRI (rdflib.URIRef) or a tuple ``(kind, parts)``: ``("inverse", p)``,
``("zeroOrMore", p)``, ``("oneOrMore", p)``, ``("zeroOrOne", p)``, ``("sequence", (p, …))``,
``("alternative", (p, …))``.
"""

from __future__ import annotations

from collections.abc import Callable

import rdflib
from rdflib.collection import Collection

from archivekg.validation.terms import SH

_UNARY = {SH.inversePath: "inverse", SH.zeroOrMorePath: "zeroOrMore",
          SH.oneOrMorePath: "oneOrMore", SH.zeroOrOnePath: "zeroOrOne"}
_UNARY_BY_KIND = {kind: predicate for predicate, kind in _UNARY.items()}
_SUFFIX = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}


def read(graph: rdflib.Graph, node):
    """The path that ``node`` stands for in ``graph``."""
    if node is None or isinstance(node, rdflib.URIRef):
        return node
    for predicate, kind in _UNARY.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return (kind, read(graph, inner))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return ("alternative", tuple(read(graph, item) for item in Collection(graph, alternatives)))
    if graph.value(node, rdflib.RDF.first) is not None:
        return ("sequence", tuple(read(graph, item) for item in Collection(graph, node)))
    raise ValueError(f"not a SHACL property path: {node!r}")


def write(graph: rdflib.Graph, path):
    """Adds ``path`` to ``graph``; returns the node that stands for it."""
    if isinstance(path, rdflib.URIRef):
        return path
    kind, parts = path
    node = rdflib.BNode()
    if kind in _UNARY_BY_KIND:
        graph.add((node, _UNARY_BY_KIND[kind], write(graph, parts)))
        return node
    items = [write(graph, part) for part in parts]
    if kind == "alternative":
        graph.add((node, SH.alternativePath, Collection(graph, rdflib.BNode(), items).uri))
        return node
    return Collection(graph, node, items).uri


def sparql(path, name: Callable[[rdflib.URIRef], str] = lambda iri: f"<{iri}>") -> str:
    """The path in SPARQL 1.1 property-path syntax."""
    if path is None:
        return ""
    if isinstance(path, rdflib.URIRef):
        return name(path)
    kind, parts = path
    if kind == "inverse":
        return "^" + _grouped(parts, name)
    if kind in _SUFFIX:
        return _grouped(parts, name) + _SUFFIX[kind]
    joiner = "|" if kind == "alternative" else "/"
    return joiner.join(_grouped(part, name) for part in parts)


def _grouped(path, name) -> str:
    text = sparql(path, name)
    return text if isinstance(path, rdflib.URIRef) or path[0] == "inverse" else f"({text})"
