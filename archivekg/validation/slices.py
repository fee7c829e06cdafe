"""Which triples each validation pass sees, so that the cost grows with the data, linearly.

pyshacl needs ~8 s for 100k triples and ~70 s for a million in one graph, and more with our
SPARQL constraints; the build must stay fast at a million triples.  So the data is cut:

- per graph: each asserted graph (a document's graph, or a graph of an input file) alone, as
  asserted: provenance lives beside its triples;
- per node: every node has one *home*, the first asserted graph that types it (else the first
  where it is a subject; a node only the entailments mention lives with the node that points at
  it).  A node is validated once, in its home's pass, with every triple about it from every
  graph (the entailed ones included), the triples that point at it, and the classes of its
  neighbours.  Large homes are cut into chunks;
- whole corpus: the nodes that the corpus-wide shapes target, with every triple about them.

Shapes of a pass also fire on the neighbours it includes (their descriptions are partial
there); the engine keeps only the results about the pass's own nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CHUNK_NODES = 2000


@dataclass(frozen=True)
class Unit:
    """An asserted named graph, as the reports name it."""

    graph: str
    name: str
    document: str | None = None      # the IRI of the archival document the graph describes
    source: str | None = None        # the file it came from (an input file, a data file)


@dataclass
class Layout:
    units: list[Unit]                # asserted graphs, in the order homes are chosen
    inferred: str | None = None      # entailed and derived triples, validated with their nodes

    @property
    def extra(self) -> Unit | None:
        """Where nodes that only the entailments mention are validated."""
        return Unit(self.inferred, "entailed and derived triples") if self.inferred else None

    @property
    def data_graphs(self) -> set:
        graphs = {ox.NamedNode(unit.graph) for unit in self.units}
        if self.inferred:
            graphs.add(ox.NamedNode(self.inferred))
        return graphs


@dataclass
class Slice:
    unit: Unit | None
    triples: set = field(default_factory=set)      # Oxigraph (subject, predicate, object)
    focus: set | None = None                       # Oxigraph terms whose results count; None: all


def graph_slice(store: ox.Store, unit: Unit) -> Slice:
    graph = ox.NamedNode(unit.graph)
    return Slice(unit, {(q.subject, q.predicate, q.object)
                        for q in store.quads_for_pattern(None, None, None, graph)})


def node_slices(store: ox.Store, layout: Layout, chunk: int = CHUNK_NODES,
                home: dict | None = None) -> Iterator[Slice]:
    """The slices of every node, or of the nodes of ``home`` (node -> index of its home unit,
    as ``_homes`` gives it) when given."""
    units = list(layout.units) + ([layout.extra] if layout.extra else [])
    if home is None:
        home = _homes(store, layout)
    by_unit: dict[int, list] = {}
    for node, index in home.items():
        by_unit.setdefault(index, []).append(node)
    data = layout.data_graphs
    for index, unit in enumerate(units):
        nodes = sorted(by_unit.get(index, ()), key=str)
        for start in range(0, len(nodes), chunk):
            focus = set(nodes[start:start + chunk])
            yield Slice(unit, _describe(store, focus, data, incoming=True), focus)


def corpus_slice(store: ox.Store, layout: Layout, classes, predicates) -> Slice:
    """The nodes typed with one of ``classes`` or subject of one of ``predicates``, described."""
    data = layout.data_graphs
    focus: set[ox.NamedNode | ox.BlankNode | ox.Triple] = set()
    for cls in classes:
        focus.update(q.subject for q in store.quads_for_pattern(None, RDF_TYPE, _ox(cls))
                     if q.graph_name in data)
    for predicate in predicates:
        focus.update(q.subject for q in store.quads_for_pattern(None, _ox(predicate), None)
                     if q.graph_name in data)
    return Slice(None, _describe(store, focus, data, incoming=False), None)


def _describe(store: ox.Store, nodes: set, data: set, *, incoming: bool) -> set:
    triples, neighbours = set(), set()
    for node in nodes:
        for quad in store.quads_for_pattern(node, None, None):
            if quad.graph_name in data:
                triples.add((quad.subject, quad.predicate, quad.object))
                if not isinstance(quad.object, ox.Literal):
                    neighbours.add(quad.object)
        if incoming:
            for quad in store.quads_for_pattern(None, None, node):
                if quad.graph_name in data:
                    triples.add((quad.subject, quad.predicate, quad.object))
                    neighbours.add(quad.subject)
    for neighbour in neighbours - nodes:
        for quad in store.quads_for_pattern(neighbour, RDF_TYPE, None):
            if quad.graph_name in data:
                triples.add((quad.subject, quad.predicate, quad.object))
    return triples


def _homes(store: ox.Store, layout: Layout) -> dict:
    """node -> index of its home unit (see the module docstring)."""
    order = {unit.graph: index for index, unit in enumerate(layout.units)}
    home: dict = {}
    rows = store.query("SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s a ?class } }")
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        index = order.get(row["g"].value)
        if index is not None and index < home.get(row["s"], len(order)):
            home[row["s"]] = index
    typed = set(home)
    rows = store.query("SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        node = row["s"]
        index = order.get(row["g"].value)
        if index is not None and node not in typed and index < home.get(node, len(order)):
            home[node] = index
    if not layout.inferred:
        return home
    inferred = ox.NamedNode(layout.inferred)
    data = layout.data_graphs
    orphans = {q.subject for q in store.quads_for_pattern(None, None, None, inferred)} - set(home)
    while orphans:
        placed = {}
        for node in orphans:
            for quad in store.quads_for_pattern(None, None, node):
                if quad.graph_name in data and quad.subject in home:
                    placed[node] = home[quad.subject]
                    break
        if not placed:
            break
        home.update(placed)
        orphans -= set(placed)
    for node in orphans:
        home[node] = len(order)          # layout.extra
    return home


def _ox(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))
