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
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDFS

from archivekg.validation.compile import Check, Context, Program, compile_shapes, context_key
from archivekg.validation.compile.literals import NOT_A_STRING, Corrections, pair_fails
from archivekg.validation.shapes import ScopedShapes, ShapeLibrary
from archivekg.validation.slices import Layout, Slice
from archivekg.validation.terms import AKGSH, SH, to_rdflib

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
        corrections = _corrections(data, [compiled[s] for s in scopes], per_graph=False) if scopes else Corrections()
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
    """The store with only the data graphs of ``layout``; restored on exit.  A store that
    cannot be written (a published release) is copied into memory instead."""
    data = layout.data_graphs
    if not _writable(store):
        copy = ox.Store()
        for graph in data:
            copy.extend(store.quads_for_pattern(None, None, None, graph))
        yield copy
        return
    aside = [(graph, list(store.quads_for_pattern(None, None, None, graph)))
             for graph in store.named_graphs() if graph not in data]
    default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    try:
        for graph, _ in aside:
            store.remove_graph(graph)
        if default:
            store.clear_graph(ox.DefaultGraph())
        yield store
    finally:
        for graph, quads in aside:
            store.add_graph(graph)
            store.extend(quads)
        store.extend(default)


def _writable(store: ox.Store) -> bool:
    probe = ox.NamedNode("urn:archivekg:validation:probe")
    try:
        store.add(ox.Quad(probe, probe, probe, probe))
    except RuntimeError:                 # "Transaction are only possible on read-write instances"
        return False
    store.remove_graph(probe)
    return True


@contextmanager
def _texts_added(store: ox.Store, layout: Layout, texts, notes: list):
    """Each document's text as rdf:value in its graph, for the per-graph shapes."""
    # Every graph's texts in one query (engine.py asks one graph at a time).
    from archivekg.validation.engine import _TEXTS_QUERY

    added = []
    rows: dict = {}
    solutions = store.query(_TEXTS_QUERY)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        rows.setdefault(row["g"].value, []).append((row["document"], row["text"], row["file"]))
    for unit in layout.units:
        piece = Slice(unit)
        notes.extend(texts.add_to(piece, store, unit, rows.get(unit.graph, [])))
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
    (compile/literals.py): rdflib decides the literals the SPARQL form may judge otherwise,
    and Oxigraph answers the SPARQL form for those whose answer is not known already."""
    sources: dict = {}
    for program in compiled:
        for test, predicates in program.compiler.tests.items():
            known = sources.get(test, frozenset())
            sources[test] = None if known is None or predicates is None else known | predicates
    tests = sorted(sources, key=lambda t: (t.kind, str(t.parameter)))
    corrections = Corrections()
    if not tests:
        return corrections
    if any(predicates is None for predicates in sources.values()):
        domain = f"SELECT DISTINCT ?v WHERE {{ ?s ?p ?v FILTER({NOT_A_STRING}) }}"
    else:
        values = " ".join(f"<{p}>" for p in sorted(set().union(*sources.values()), key=str))
        if not values:
            return corrections
        domain = f"SELECT DISTINCT ?v WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?v FILTER({NOT_A_STRING}) }}"
    # pySHACL's answer to a bound is the same for every literal of a datatype that is not a
    # number and not the bound's (rdflib then compares the datatypes' IRIs): asked once.
    by_datatype: dict = {}
    asked: dict = {}                         # test -> {literal: pySHACL's answer}
    solutions = store.query(domain, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        literal = row["v"]
        as_rdflib = to_rdflib(literal)
        for test in tests:
            if not test.may_disagree(literal, as_rdflib):
                continue
            key = test.datatype_key(as_rdflib)
            if key is None:
                python = test.python(as_rdflib)
            elif key in by_datatype:
                python = by_datatype[key]
            else:
                python = by_datatype[key] = test.python(as_rdflib)
            known = test.sparql_answer(literal)
            if known is None:
                asked.setdefault(test, {})[literal] = python
            elif known != python:
                corrections.flipped.setdefault(test, []).append(str(literal))
    for test, answers in asked.items():
        listed = " ".join(str(literal) for literal in answers)
        query = f"SELECT ?v ({test.sparql('?v')} AS ?t) WHERE {{ VALUES ?v {{ {listed} }} }}"
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            if row["t"] is None:
                raise RuntimeError(f"the SPARQL form of {test} gave no answer for {row['v']}")
            if (row["t"].value == "true") != answers[row["v"]]:
                corrections.flipped.setdefault(test, []).append(str(row["v"]))
    return corrections


# ---------------------------------------------------------------------- running the checks
def _run_pass(store: ox.Store, program: Program, ctx: Context, scope: str, layout: Layout) -> Pass:
    """The checks of one scope, one after the other, in this process.  Forked workers (as the
    pyshacl engine uses) were measured at 10,000 documents: 23% more CPU in all, and 1.4 GB
    of the store's pages copied into the workers."""
    started = time.perf_counter()
    found = Pass(scope)
    units = {unit.graph: unit for unit in layout.units}
    key = context_key(ctx)
    for index, check in enumerate(program.checks):
        found.found += [(result, units.get(graph) if graph is not None else None)
                        for result, graph in _run_check(store, program.query(index, ctx, key), ctx, check)]
    found.seconds = time.perf_counter() - started
    return found


def _run_check(store: ox.Store, query: str, ctx: Context, check: Check) -> list[tuple[dict, str | None]]:
    """The results of one check (its ``query``), each with the graph it was found in (per graph)."""
    try:
        rows = store.query(query, use_default_graph_as_union=not ctx.per_graph)
    except SyntaxError as exc:           # a bug of the compiler, not of the data: say which query
        raise RuntimeError(f"compiled query of {check.shape.node} ({check.component}) does not "
                           f"parse: {exc}\n{query}") from exc
    assert isinstance(rows, ox.QuerySolutions)
    variables = check.variables if check.variables is not None else [v.value for v in rows.variables]
    terms = _Terms()
    found = []
    for row in rows:
        graph = row["__akg_g"].value if ctx.per_graph else None
        found += [(result, graph) for result in _results(check, row, variables, terms)]
    return found


class _Terms(dict):
    """rdflib's form of each Oxigraph term, made once (results repeat their nodes)."""

    def __missing__(self, term):
        made = self[term] = to_rdflib(term)
        return made


def _results(check: Check, row, variables: list[str], terms: _Terms) -> list[dict]:
    shape = check.shape
    base = {"severity": shape.severity, "shape": shape.node, "component": check.component}
    if check.kind == "sparql":
        return _sparql_result(check, row, variables, base, terms)
    if check.kind == "counts":
        focus = terms[row["this"]]
        found = []
        for shape, constraint, count, index in check.counts:
            number = row[f"__akg_n{index}"]
            number = int(number.value) if number is not None else 0
            if number < count if constraint.parameter == SH.minCount else number > count:
                found.append({"severity": shape.severity, "shape": shape.node, "component": constraint.component,
                              "focus": focus, "path": shape.path, "value": None, "message": shape.message or ""})
        return found
    value = terms[row["value"]] if check.kind != "focus" else None
    if check.kind == "pair" and not pair_fails(value, terms[row["other"]], strict=check.strict):
        return []
    return [dict(base, focus=terms[row["this"]], path=shape.path, value=value,
                 message=shape.message or "")]


def _sparql_result(check: Check, row, variables: list[str], base: dict, terms: _Terms) -> list[dict]:
    """A SPARQL-based result as pySHACL makes it from a row of its per-focus query."""
    shape = check.shape
    focus = terms[row["this"]]           # bound by the focus nodes' join in every row
    bound = {name: row[name] for name in variables if name != "__akg_g" and row[name] is not None}
    if not check.this_projected:
        bound.pop("this", None)
    this, path, value = (terms[bound.pop(name)] if name in bound else None for name in ("this", "path", "value"))
    if this is None and path is None and value is None:
        return []                        # pySHACL makes no result of such a row
    if value is None and not shape.is_property:
        value = focus
    substitutions = dict(bound)
    for name, term in (("this", this), ("path", path), ("value", value)):
        if term is not None:
            substitutions[name] = term
    return [dict(base, focus=this or focus, path=path if path is not None else shape.path,
                 value=value, message=_substitute(shape.message or "", substitutions, terms))]


_STRINGS = (ox.NamedNode("http://www.w3.org/2001/XMLSchema#string"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"))


def _text(term, terms: _Terms) -> str:
    """str() of the term as pySHACL has it (rdflib's); rdflib writes IRIs, blank nodes and
    strings as Oxigraph does, and other literals its own (normalised) way."""
    if isinstance(term, (ox.NamedNode, ox.BlankNode)) or (isinstance(term, ox.Literal) and term.datatype in _STRINGS):
        return term.value
    return str(terms[term] if isinstance(term, ox.Literal) else term)


def _substitute(message: str, values: dict, terms: _Terms) -> str:
    """{?name} and {$name} replaced by the values' text (rdflib's), in pySHACL's order and
    manner (a value's text may itself hold a later name's placeholder)."""
    for name, term in values.items():
        if "{?" + name + "}" not in message and "{$" + name + "}" not in message:
            continue
        text = _text(term, terms)
        pattern = "{[?$]" + name + "}"
        try:
            message = re.sub(pattern, text, message)
        except re.error:                 # pySHACL fails here; the text is put as it is
            message = re.sub(pattern, _literally(text), message)
    return message


def _literally(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement for re.sub that puts ``text`` as it is (no group references read in it)."""
    return lambda _: text
