"""Validation by the compiled shapes (compile/), on Oxigraph, over the whole store at once.

The scopes of shapes.py keep their meaning: per-node and whole-corpus shapes see the union of
the data graphs (the documents', the registries', the entailments'); per-graph shapes see
each asserted graph alone, with its document text as rdf:value.  Oxigraph's union of named
graphs is the union needed once the store holds nothing else, so the store is borrowed: the
graphs that are not data (the ontology, the default graph) are set aside for the union
pass, the texts are added for the per-graph pass, and everything is put back as it was.  A
read-only store (a published release) is copied into memory first; copying costs ~3 µs a
quad, so a store the caller owns is worth lending.

Results are the dictionaries engine.py makes of pySHACL's report (focus, path, value,
severity, shape, component, message), with pySHACL's rules for SPARQL-based results: the
focus is ?this, sh:value is ?value (else the focus node of a node shape), sh:resultPath is
?path (else the property shape's path), and {?var}/{$var} in the message take the row's
values.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS

from .compile import Check, Context, Program, compile_shapes
from .compile.literals import NOT_A_STRING, Corrections, pair_fails
from .shapes import ScopedShapes, ShapeLibrary
from .slices import Layout, Slice, Unit
from .terms import AKGSH, to_rdflib

_PROGRAMS: dict = {}
_SUBCLASS = f"<{RDFS.subClassOf}>"


def programs(library: ShapeLibrary) -> dict:
    """scope -> Program, compiled once per loaded library."""
    cached = _PROGRAMS.get(id(library))
    if cached is None or cached[0] is not library:
        compiled = {scope: compile_shapes(_graph(shapes), per_graph=scope == AKGSH.PerGraph)
                    for scope, shapes in library.scopes.items()}
        cached = _PROGRAMS[id(library)] = (library, compiled)
    return cached[1]


def _graph(shapes: ScopedShapes) -> rdflib.Graph:
    graph = rdflib.Graph()
    for part in (shapes.core, shapes.sparql):
        if part is not None:
            graph += part
    return graph


@dataclass
class Pass:
    """What one scope's checks found, and how long they took."""

    scope: str
    found: list = field(default_factory=list)      # (result dict, unit or None)
    seconds: float = 0.0


def validate(store: ox.Store, layout: Layout, library: ShapeLibrary, texts, notes: list,
             scopes=None) -> list[Pass]:
    """Every scope of ``library`` (or of ``scopes``) over ``store`` laid out as ``layout``."""
    compiled = programs(library)
    scopes = [s for s in (AKGSH.PerNode, AKGSH.WholeCorpus, AKGSH.PerGraph)
              if s in compiled and (scopes is None or s in scopes)]
    passes = []
    with _lent(store, layout) as data:
        union = [s for s in scopes if s != AKGSH.PerGraph]
        corrections = _corrections(data, [compiled[s] for s in scopes], per_graph=False) if scopes else None
        if union:
            ctx = Context(per_graph=False, subclass_free=not _has_subclasses(data, False, ()),
                          corrections=corrections)
            for scope in union:
                passes.append(_run_pass(data, compiled[scope], ctx, str(scope), layout))
        if AKGSH.PerGraph in scopes:
            excluded = (layout.inferred,) if layout.inferred else ()
            with _texts_added(data, layout, texts, notes):
                ctx = Context(per_graph=True, subclass_free=not _has_subclasses(data, True, excluded),
                              corrections=corrections, excluded_graphs=excluded)
                passes.append(_run_pass(data, compiled[AKGSH.PerGraph], ctx, str(AKGSH.PerGraph), layout))
    return passes


# ---------------------------------------------------------------------- the store, lent
@contextmanager
def _lent(store: ox.Store, layout: Layout):
    """The store with only the data graphs of ``layout``; restored on exit."""
    data = layout.data_graphs
    aside = [(graph, list(store.quads_for_pattern(None, None, None, graph)))
             for graph in store.named_graphs() if graph not in data]
    default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    try:
        for graph, _ in aside:
            store.remove_graph(graph)
        if default:
            store.clear_graph(ox.DefaultGraph())
        _probe(store)
    except RuntimeError:                 # read-only: work on a copy in memory
        copy = ox.Store()
        for graph in data:
            copy.extend(store.quads_for_pattern(None, None, None, graph))
        yield copy
        return
    try:
        yield store
    finally:
        for graph, quads in aside:
            store.add_graph(graph)
            store.extend(quads)
        store.extend(default)


def _probe(store: ox.Store) -> None:
    probe = ox.NamedNode("urn:archivekg:validation:probe")
    store.add(ox.Quad(probe, probe, probe, probe))
    store.remove_graph(probe)


@contextmanager
def _texts_added(store: ox.Store, layout: Layout, texts, notes: list):
    """Each document's text as rdf:value in its graph, for the per-graph shapes."""
    added = []
    for unit in layout.units:
        piece = Slice(unit)
        notes.extend(texts.add_to(piece, store, unit))
        graph = ox.NamedNode(unit.graph)
        for subject, predicate, obj in piece.triples:
            quad = ox.Quad(subject, predicate, obj, graph)
            if quad not in store:
                added.append(quad)
    store.extend(added)
    try:
        yield
    finally:
        for quad in added:
            store.remove(quad)


def _has_subclasses(store: ox.Store, per_graph: bool, excluded: tuple) -> bool:
    if not per_graph:
        return bool(store.query(f"ASK {{ ?a {_SUBCLASS} ?b }}", use_default_graph_as_union=True))
    not_in = f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in excluded)}))" if excluded else ""
    return bool(store.query(f"ASK {{ GRAPH ?g {{ ?a {_SUBCLASS} ?b }} {not_in} }}"))


# ---------------------------------------------------------------------- literal corrections
def _corrections(store: ox.Store, compiled: list[Program], per_graph: bool) -> Corrections:
    """The literals of the data on which a test's SPARQL form and pySHACL disagree
    (compile/literals.py)."""
    tests = sorted({t for p in compiled for t in p.compiler.tests}, key=lambda t: (t.kind, str(t.parameter)))
    predicates = sorted({str(p) for c in compiled for p in c.compiler.predicates})
    corrections = Corrections()
    if not tests or not predicates:
        return corrections
    columns = " ".join(f"({test.sparql('?v')} AS ?t{i})" for i, test in enumerate(tests))
    values = " ".join(f"<{p}>" for p in predicates)
    query = (f"SELECT ?v {columns} WHERE {{ {{ SELECT DISTINCT ?v WHERE {{ VALUES ?p {{ {values} }} "
             f"?s ?p ?v FILTER({NOT_A_STRING}) }} }} }}")
    for row in store.query(query, use_default_graph_as_union=True):
        literal = row["v"]
        as_rdflib = to_rdflib(literal)
        for i, test in enumerate(tests):
            if not test.may_disagree(literal, as_rdflib):
                continue
            answer = row[f"t{i}"]
            if answer is None:
                raise RuntimeError(f"the SPARQL form of {test} gave no answer for {literal}")
            if (answer.value == "true") != test.python(as_rdflib):
                corrections.flipped.setdefault(test, []).append(str(literal))
    return corrections


# ---------------------------------------------------------------------- running the checks
def _run_pass(store: ox.Store, program: Program, ctx: Context, scope: str, layout: Layout) -> Pass:
    started = time.perf_counter()
    found = Pass(scope)
    units = {unit.graph: unit for unit in layout.units}
    prologue = program.prologue
    kwargs = {} if ctx.per_graph else {"use_default_graph_as_union": True}
    for check in program.checks:
        query = prologue + check.render(ctx)
        try:
            rows = store.query(query, **kwargs)
        except SyntaxError as exc:       # a bug of the compiler, not of the data: say which query
            raise RuntimeError(f"compiled query of {check.shape.node} ({check.component}) does not "
                               f"parse: {exc}\n{query}") from exc
        variables = check.variables if check.variables is not None else [v.value for v in rows.variables]
        for row in rows:
            unit = units.get(row["__akg_g"].value) if ctx.per_graph else None
            for result in _results(check, row, variables):
                found.found.append((result, unit))
    found.seconds = time.perf_counter() - started
    return found


def _results(check: Check, row, variables: list[str]) -> list[dict]:
    shape = check.shape
    base = {"severity": shape.severity, "shape": shape.node, "component": check.component}
    if check.kind == "sparql":
        return _sparql_result(check, row, variables, base)
    value = to_rdflib(row["value"]) if check.kind != "focus" else None
    if check.kind == "pair" and not pair_fails(value, to_rdflib(row["other"]), strict=check.strict):
        return []
    return [dict(base, focus=to_rdflib(row["this"]), path=shape.path, value=value,
                 message=shape.message or "")]


def _sparql_result(check: Check, row, variables: list[str], base: dict) -> list[dict]:
    """A SPARQL-based result as pySHACL makes it from a row of its per-focus query."""
    shape = check.shape
    focus = to_rdflib(row["this"])       # bound by the focus nodes' join in every row
    seen = {name: to_rdflib(row[name]) for name in variables
            if name != "__akg_g" and row[name] is not None}
    if not check.this_projected:
        seen.pop("this", None)
    this, path, value = seen.pop("this", None), seen.pop("path", None), seen.pop("value", None)
    if this is None and path is None and value is None:
        return []                        # pySHACL makes no result of such a row
    if value is None and not shape.is_property:
        value = focus
    substitutions = dict(seen)
    for name, term in (("this", this), ("path", path), ("value", value)):
        if term is not None:
            substitutions[name] = term
    return [dict(base, focus=this or focus, path=path if path is not None else shape.path,
                 value=value, message=_substitute(shape.message or "", substitutions))]


def _substitute(message: str, values: dict) -> str:
    """{?name} and {$name} replaced by the values' text, in pySHACL's order and manner."""
    for name, term in values.items():
        pattern = "{[?$]" + name + "}"
        try:
            message = re.sub(pattern, str(term), message)
        except re.error:                 # pySHACL fails here; the text is put as it is
            message = re.sub(pattern, lambda _: str(term), message)
    return message
