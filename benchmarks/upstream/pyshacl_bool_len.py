"""Reproduction for benchmarks/upstream/pyshacl-bool-len.md (needs only pyshacl, pyoxigraph, rdflib).

pySHACL writes each validation result with ``datagraph or shapes_graph``.  On an
Oxigraph-backed data graph, ``bool()`` falls back to ``__len__``, which runs a
``COUNT(DISTINCT TRIPLE(?s, ?p, ?o))`` over the whole store: the same results cost more the
larger the store.  Run:  python benchmarks/upstream/pyshacl_bool_len.py
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import rdflib
from pyshacl import validate
from pyshacl.graph_abstraction import DataGraph, OxigraphDataGraph

EX = "http://example.org/"
SHAPES = rdflib.Graph().parse(data=f"""
    @prefix sh: <http://www.w3.org/ns/shacl#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <{EX}Shape> a sh:NodeShape ; sh:targetSubjectsOf <{EX}value> ;
        sh:property [ sh:path <{EX}value> ; sh:datatype xsd:integer ] .
""", format="turtle")


def store(results: int, other_triples: int) -> ox.Store:
    """``results`` nodes whose value breaks the shape, and triples the shape does not read."""
    data = ox.Store()
    data.extend(ox.Quad(ox.NamedNode(f"{EX}n{i}"), ox.NamedNode(f"{EX}value"), ox.Literal("not a number"))
                for i in range(results))
    data.extend(ox.Quad(ox.NamedNode(f"{EX}o{i}"), ox.NamedNode(f"{EX}other"), ox.Literal(i))
                for i in range(other_triples))
    return data


class TrueDataGraph(OxigraphDataGraph):
    """The workaround: a data graph is true whatever its size."""

    def __bool__(self) -> bool:
        return True


def run(data_graph) -> tuple[int, float, int]:
    counted = []
    original = OxigraphDataGraph.__len__

    def counting_len(self, *args):
        counted.append(1)
        return original(self, *args)

    OxigraphDataGraph.__len__ = counting_len
    try:
        started = time.perf_counter()
        conforms, report, _ = validate(data_graph, shacl_graph=SHAPES, inference="none")
        seconds = time.perf_counter() - started
    finally:
        OxigraphDataGraph.__len__ = original
    results = len(list(report.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
    return results, seconds, len(counted)


if __name__ == "__main__":
    print("results  other triples  data graph            seconds  __len__ calls")
    for other in (0, 10_000, 40_000):
        data = store(200, other)
        for name, graph in (("DataGraph (pyshacl)", DataGraph.from_oxigraph_store(data)),
                            ("with __bool__ = True", TrueDataGraph(data))):
            results, seconds, calls = run(graph)
            print(f"{results:7d}  {other:13,d}  {name:20s}  {seconds:7.2f}  {calls:13d}")
