"""Validating what a change of a few documents can alter, and keeping the rest.

A full validation of the built graph costs minutes at ten thousand documents; a rebuild after
one changed document must take seconds.  Each pass of slices.py sees a known part of the data,
so a change alters only the results of the passes whose part it alters:

- per graph: the changed documents' graphs;
- per node: the nodes with a changed triple about them or pointing at them (asserted or
  entailed; a triple another graph still states is not a change, see ``union_changes``), the
  neighbours of a node whose classes changed (a node's pass sees its neighbours' classes),
  and the subjects of every changed quad (their home may change).  They are validated with
  the same slices as in a full validation;
- whole corpus: redone when a changed triple has a predicate (or, for rdf:type, a class)
  its shapes name (shapes.ScopedShapes.reads), else kept.

Every other result of the previous validation is kept as it was.  The rebuild tests compare
the report with that of a full validation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from archivekg.validation.attribution import Attribution
from archivekg.validation.engine import _CorpusTexts, _Job, _validate, store_layout
from archivekg.validation.report import Report, Stored
from archivekg.validation.shapes import load as load_shapes
from archivekg.validation.slices import RDF_TYPE, Layout, corpus_slice, graph_slice, node_slices
from archivekg.validation.terms import AKGSH, to_rdflib


def validate_change(store: ox.Store, settings: dict, *, corpus, graphs: set[str],
                    changed: Iterable[ox.Quad], previous: list[Stored],
                    names: Iterable[str] | None = None) -> Report:
    """Validate ``store`` (the new release) after a change of the document ``graphs`` (IRIs)
    whose quads differ by ``changed`` (the symmetric difference, asserted and entailed),
    keeping the ``previous`` results (of the release before) the change cannot alter.
    ``names``: every graph IRI of the store, if known."""
    base = settings["BASE_IRI"]
    library = load_shapes(settings["SHAPES_DIR"])
    layout = store_layout(store, base, corpus, names)
    quads = list(changed)
    in_union = union_changes(store, layout, quads)
    # A node's home (the unit its results are reported under) depends on the graphs that
    # state its triples, so every subject of a changed quad is validated again.
    nodes = _affected_nodes(store, layout, in_union) | {quad.subject for quad in quads}
    whole = library.scopes.get(AKGSH.WholeCorpus)
    redo_corpus = whole is not None and _reads_any(whole.reads, in_union)

    named = {to_rdflib(node).n3() for node in nodes}
    per_graph, per_node, whole_corpus = str(AKGSH.PerGraph), str(AKGSH.PerNode), str(AKGSH.WholeCorpus)
    kept = [r for r in previous
            if not (r.scope == per_graph and r.graph in graphs)
            and not (r.scope == per_node and r.focus in named)
            and not (r.scope == whole_corpus and redo_corpus)]
    units = [unit for unit in layout.units if unit.graph in graphs]
    report_notes: list[str] = []

    def jobs() -> Iterator[_Job]:
        shapes_dir = str(settings["SHAPES_DIR"])
        texts = _CorpusTexts(corpus, base)
        if AKGSH.PerGraph in library.scopes:
            for unit in units:
                piece = graph_slice(store, unit)
                report_notes.extend(texts.add_to(piece, store, unit))
                yield _Job(str(AKGSH.PerGraph), piece, shapes_dir)
        if AKGSH.PerNode in library.scopes:
            for piece in node_slices(store, layout, home=_homes_of(store, layout, nodes)):
                yield _Job(str(AKGSH.PerNode), piece, shapes_dir)
        if whole is not None and redo_corpus:
            piece = corpus_slice(store, layout, whole.target_classes, whole.target_predicates)
            yield _Job(str(AKGSH.WholeCorpus), piece, shapes_dir)

    attribution = Attribution(store, layout, base_iri=base, corpus=corpus,
                              mappings_dir=Path(settings["MAPPINGS_DIR"]))
    subject = (f"the change of {len(graphs)} document graph(s) of {settings['DATA_DIR']} "
               f"({len(nodes)} node(s) it touches; the other results are those of the previous build)")
    report = _validate(store, layout, settings, None, attribution, subject, workers=1,
                       jobs=jobs(), units=units, kept=kept)
    report.notes.extend(report_notes)
    return report


def union_changes(store: ox.Store, layout: Layout, changed: list[ox.Quad]) -> list[ox.Triple]:
    """The triples whose presence in the union of the data graphs the change altered.

    Slices hold triples, not quads: a triple a changed document states or stops stating while
    another graph still states it (a registry's class of a person the document names, an
    entailment) alters no slice, and the nodes it links need no new validation."""
    data = layout.data_graphs
    differing = set(changed)
    by_triple: dict = {}
    for quad in changed:
        by_triple.setdefault(ox.Triple(quad.subject, quad.predicate, quad.object), []).append(quad)
    found = []
    for triple, quads in by_triple.items():
        now = {q for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object)
               if q.graph_name in data}
        before = any(q not in differing for q in now) or any(q not in now for q in quads)
        if before != bool(now):
            found.append(triple)
    return found


def _affected_nodes(store: ox.Store, layout: Layout, changed: list[ox.Triple]) -> set:
    """The nodes whose per-node slice (slices._describe) the changed triples alter."""
    data = layout.data_graphs
    nodes, retyped = set(), set()
    for quad in changed:
        nodes.add(quad.subject)
        if not isinstance(quad.object, ox.Literal):
            nodes.add(quad.object)
        if quad.predicate == RDF_TYPE:
            retyped.add(quad.subject)
    for node in retyped:
        for stated in store.quads_for_pattern(node, None, None):
            if stated.graph_name in data and not isinstance(stated.object, ox.Literal):
                nodes.add(stated.object)
        for stated in store.quads_for_pattern(None, None, node):
            if stated.graph_name in data:
                nodes.add(stated.subject)
    return {node for node in nodes if not isinstance(node, ox.Literal)}


def _homes_of(store: ox.Store, layout: Layout, nodes: set) -> dict:
    """slices._homes for ``nodes`` only: node -> index of its home unit (nodes without one,
    which no graph describes, are left out)."""
    order = {unit.graph: index for index, unit in enumerate(layout.units)}
    data, inferred = layout.data_graphs, ox.NamedNode(layout.inferred) if layout.inferred else None
    homes: dict = {}

    def home(node, visiting: set) -> int | None:
        # The first unit that types it, else the first where it is a subject; a node only the
        # entailments describe goes with a node that points at it.
        if node in homes:
            return homes[node]
        found = None
        for pattern in ((node, RDF_TYPE, None), (node, None, None)):
            indexes = [order[q.graph_name.value] for q in store.quads_for_pattern(*pattern)
                       if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in order]
            if indexes:
                found = min(indexes)
                break
        if found is None and inferred is not None \
                and any(True for _ in store.quads_for_pattern(node, None, None, inferred)):
            visiting.add(node)
            for quad in store.quads_for_pattern(None, None, node):
                if quad.graph_name in data and quad.subject not in visiting:
                    found = home(quad.subject, visiting)
                    if found is not None:
                        break
            if found is None:
                found = len(order)            # layout.extra
        homes[node] = found
        return found

    return {node: index for node in nodes if (index := home(node, set())) is not None}


def _reads_any(reads: frozenset | None, changed: list) -> bool:
    if reads is None:
        return bool(changed)
    for quad in changed:
        if quad.predicate.value in reads and (
                quad.predicate != RDF_TYPE or getattr(quad.object, "value", None) in reads):
            return True
    return False
