"""One SPARQL query per constraint component and shape, over every focus node at once.

The queries are written for one scope's data: the union of the data graphs (its default
graph), or each named graph on its own (every pattern inside ``GRAPH ?__akg_g``).  A few
things are known only when the data is: whether it has rdfs:subClassOf triples (without
them, ``rdf:type/rdfs:subClassOf*`` is a plain ``rdf:type`` lookup, much faster), and the
literals on which rdflib and Oxigraph disagree (literals.py); ``Context`` carries them and
each check renders its query from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF, RDFS, XSD

from archivekg.validation import paths
from archivekg.validation.compile import sparql
from archivekg.validation.compile.literals import CANONICAL_INTEGER, Corrections, Test, any_of, sparql_string
from archivekg.validation.compile.model import CompileError, Constraint, Shape
from archivekg.validation.terms import SH

G = "?__akg_g"
_NODE_KINDS = {
    SH.IRI: "!isIRI({v})", SH.Literal: "!isLiteral({v})", SH.BlankNode: "!isBlank({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})", SH.BlankNodeOrLiteral: "isIRI({v})", SH.IRIOrLiteral: "isBlank({v})",
}


@dataclass
class Context:
    per_graph: bool                      # each named graph alone, or the union (default graph)
    subclass_free: bool = False          # the data has no rdfs:subClassOf triple
    corrections: Corrections = field(default_factory=Corrections)
    excluded_graphs: tuple = ()          # named graphs the per-graph scope does not validate


@dataclass
class Check:
    """One query: the results of one constraint component of one shape."""

    shape: Shape
    component: rdflib.URIRef
    kind: str                            # value, focus, pair, sparql
    render: Callable[[Context], str]
    strict: bool = True                  # pair: sh:lessThan (True) or sh:lessThanOrEquals
    variables: list | None = None        # sparql: the projected variables (None: SELECT *)
    this_projected: bool = True          # sparql: the query as written selects ?this
    counts: list = field(default_factory=list)   # counts: (shape, constraint, count, path index)


class _Names:
    def __init__(self):
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"?__akg_v{self.count}"


def _iri(term) -> str:
    return f"<{term}>"


def _path(path) -> str:
    return paths.sparql(path)


def _in(ctx: Context, pattern: str) -> str:
    """``pattern`` read from the scope's data: the union, or the named graph ?__akg_g.

    Every pattern is qualified on its own and no sub-SELECT is put inside ``GRAPH ?g``:
    Oxigraph 0.5 evaluates a sub-SELECT there without regard to the graph ?g stands for."""
    return f"GRAPH {G} {{ {pattern} }}" if ctx.per_graph else pattern


def _scan(ctx: Context, pattern: str, variables: str) -> str:
    """``pattern`` as a sub-SELECT of its own: Oxigraph evaluates it once and hash-joins it,
    where a plain pattern would be looked up row by row (a lookup costs ~8 µs in its
    in-memory store, a scanned row ~1 µs)."""
    return f"{{ SELECT DISTINCT {_graph_var(ctx)}{variables} WHERE {{ {_in(ctx, pattern)} }} }}"


def _graph_var(ctx: Context) -> str:
    return f"{G} " if ctx.per_graph else ""


class Compiler:
    """Checks of the shapes of one scope."""

    def __init__(self, shapes: list[Shape], all_shapes: dict, *, per_graph: bool):
        self.shapes = shapes
        self.per_graph = per_graph
        self.parents: dict = {}
        for shape in all_shapes.values():
            for child in shape.properties:
                self.parents.setdefault(child.node, []).append(shape)
        # Every literal test, with the predicates whose values it may test (None: any), so
        # that the corrections (literals.py) look at those values only.
        self.tests: dict[Test, frozenset | None] = {}
        self.prefixes: dict = {}

    # ------------------------------------------------------------------ which shapes report
    def reported(self) -> list[Shape]:
        """Shapes with focus nodes: their own targets, or a parent's (sh:property)."""
        found, seen = [], set()

        def visit(shape: Shape):
            if shape.node in seen:
                return
            seen.add(shape.node)
            found.append(shape)
            for child in shape.properties:
                visit(child)

        for shape in self.shapes:
            visit(shape)
        return found

    def checks(self) -> list[Check]:
        checks: list[Check | None] = []
        counted: dict[str, list] = {}        # the count constraints of shapes with the same focus nodes
        for shape in self.reported():
            if shape.message is None and (shape.constraints or shape.sparql):
                raise CompileError(shape.node, "a shape that reports results needs its sh:message")
            for constraint in shape.constraints:
                if constraint.parameter in (SH.minCount, SH.maxCount):
                    if not shape.is_property:
                        raise CompileError(shape.node, f"{constraint.parameter} is allowed only on property shapes")
                    if len(constraint.values) != 1:
                        raise CompileError(shape.node, f"{constraint.parameter} must have exactly one value")
                    key = self.focus(shape, Context(per_graph=self.per_graph))
                    counted.setdefault(key, []).append((shape, constraint))
                    continue
                checks += self._constraint_checks(shape, constraint)
            for select in shape.sparql:
                checks.append(self._sparql_check(shape, select))
        checks += [self._count_check(members) for members in counted.values()]
        return [check for check in checks if check is not None]

    # ------------------------------------------------------------------ focus and value nodes
    def focus(self, shape: Shape, ctx: Context) -> str:
        """A sub-SELECT binding ?this (and, per graph, ?__akg_g) to every focus node of ``shape``."""
        union = " UNION ".join("{ " + _in(ctx, p) + " }" for p in self._focus_patterns(shape, ctx))
        restriction = ""
        if ctx.per_graph and ctx.excluded_graphs:
            restriction = f" FILTER({G} NOT IN ({', '.join(_iri(g) for g in ctx.excluded_graphs)}))"
        return f"{{ SELECT DISTINCT {_graph_var(ctx)}?this WHERE {{ {union}{restriction} }} }}"

    def _focus_patterns(self, shape: Shape, ctx: Context, seen=()) -> list[str]:
        if shape.node in seen:
            raise CompileError(shape.node, "sh:property forms a cycle")
        patterns = []
        for target in shape.targets:
            if target.kind == SH.targetClass:
                patterns.append(self._instance("?this", target.value, ctx))
            elif target.kind == SH.targetSubjectsOf:
                patterns.append(f"?this {_iri(target.value)} ?__akg_o")
            else:
                self.prefixes = sparql.merge_prefixes(shape.node, self.prefixes, target.prefixes)
                assert isinstance(target.value, str)        # a SPARQLTarget's text
                patterns.append(sparql.parse_select(target.value, shape.node, target=True).body)
        for parent in self.parents.get(shape.node, ()):
            patterns += self._focus_patterns(parent, ctx, seen + (shape.node,))
        if not patterns:
            raise CompileError(shape.node, "the shape has no focus nodes")
        return patterns

    def _instance(self, var: str, cls, ctx: Context) -> str:
        if ctx.subclass_free:
            return f"{var} <{RDF.type}> {_iri(cls)}"
        return f"{var} <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(cls)}"

    def _values(self, shape: Shape, ctx: Context) -> str:
        if shape.is_property:
            return _scan(ctx, f"?this {_path(shape.path)} ?value", "?this ?value")
        return "BIND(?this AS ?value)"

    # ------------------------------------------------------------------ top-level checks
    def _constraint_checks(self, shape: Shape, constraint: Constraint) -> list[Check]:
        parameter = constraint.parameter
        if parameter == SH.hasValue:
            return [self._has_value_check(shape, value) for value in constraint.values]
        if parameter in (SH.lessThan, SH.lessThanOrEquals):
            return [self._pair_check(shape, constraint, value) for value in constraint.values]
        return [self._value_check(shape, constraint, value) for value in self._rules(shape, constraint)]

    def _rules(self, shape: Shape, constraint: Constraint) -> list:
        """The values that give separate results: each sh:class, sh:pattern, sh:minInclusive,
        sh:not; the whole list of sh:in and sh:or; the single sh:datatype, sh:nodeKind,
        sh:minLength (pySHACL refuses several)."""
        parameter, values = constraint.parameter, constraint.values
        if parameter in (SH.datatype, SH.nodeKind, SH.minLength) and len(values) != 1:
            raise CompileError(shape.node, f"{parameter} must have exactly one value")
        if parameter in (SH["in"], SH["or"]):
            return [values]
        return list(values)

    def _value_check(self, shape: Shape, constraint: Constraint, rule) -> Check:
        def render(ctx: Context) -> str:
            names = _Names()
            focus = _Relation(self.focus(shape, ctx), "?this", _vars(ctx, "?this"), self._focus_sources(shape))
            if shape.is_property:
                values = focus.join(_scan(ctx, f"?this {_path(shape.path)} ?value", "?this ?value"), "?value",
                                    _last_predicates(shape.path))
            else:
                values = _Relation(f"{focus.text} BIND(?this AS ?value)", "?value", focus.variables + ["?value"],
                                   focus.sources)
            found = self._violating(values, shape, constraint.parameter, rule, ctx, names)
            return f"SELECT DISTINCT {_graph_var(ctx)}?this ?value WHERE {{ {found.text} }}"
        return Check(shape, constraint.component, "value", render)

    def _count_check(self, members: list) -> Check | None:
        """One query for the sh:minCount and sh:maxCount of shapes with the same focus nodes:
        the focus nodes once, each path's values counted once (for every subject, then joined)."""
        paths, counts, simple = [], [], []
        for shape, constraint in members:
            count = _count(shape, constraint.values[0])
            if constraint.parameter == SH.minCount and count == 0:
                continue
            path = _path(shape.path)
            if path not in paths:
                paths.append(path)
                simple.append(isinstance(shape.path, rdflib.URIRef))
            counts.append((shape, constraint, count, paths.index(path)))
        if not counts:
            return None
        first = counts[0][0]

        def render(ctx: Context) -> str:
            gv = _graph_var(ctx)
            # Within one graph a predicate gives each value once; over the union (a triple in
            # several graphs) or along a longer path, values repeat and are counted once.
            optionals = " ".join(
                f"OPTIONAL {{ SELECT {gv}?this (COUNT({'' if ctx.per_graph and simple[i] else 'DISTINCT '}"
                f"?__akg_c{i}) AS ?__akg_n{i}) WHERE {{ {_in(ctx, f'?this {path} ?__akg_c{i}')} }} "
                f"GROUP BY {gv}?this }}"
                for i, path in enumerate(paths))
            tests = " || ".join(f"COALESCE(?__akg_n{i}, 0) {'<' if c.parameter == SH.minCount else '>'} {n}"
                                for _, c, n, i in counts)
            numbers = " ".join(f"?__akg_n{i}" for i in range(len(paths)))
            return (f"SELECT {gv}?this {numbers} WHERE {{ {self.focus(first, ctx)} {optionals} "
                    f"FILTER({tests}) }}")
        return Check(first, SH.MinCountConstraintComponent, "counts", render, counts=counts)

    def _has_value_check(self, shape: Shape, value) -> Check:
        _plain_iri(shape, value, SH.hasValue)

        def render(ctx: Context) -> str:
            if shape.is_property:
                condition = f"MINUS {_scan(ctx, f'?this {_path(shape.path)} {_iri(value)}', '?this')}"
            else:
                condition = f"FILTER(!sameTerm(?this, {_iri(value)}))"
            return f"SELECT DISTINCT {_graph_var(ctx)}?this WHERE {{ {self.focus(shape, ctx)} {condition} }}"
        return Check(shape, SH.HasValueConstraintComponent, "focus", render)

    def _pair_check(self, shape: Shape, constraint: Constraint, other) -> Check:
        if not shape.is_property:
            raise CompileError(shape.node, f"{constraint.parameter} is allowed only on property shapes")
        if not isinstance(other, rdflib.URIRef):
            raise CompileError(shape.node, f"{constraint.parameter} must be an IRI")
        strict = constraint.parameter == SH.lessThan
        operator = "<" if strict else "<="
        integer = _iri(XSD.integer)
        canonical = sparql_string(CANONICAL_INTEGER)
        # Rows that certainly pass (two integers both readers read alike) are left out;
        # every other pair is decided in Python as pySHACL decides it (literals.pair_fails).
        passes = (f"COALESCE(isLiteral(?value) && isLiteral(?other) && DATATYPE(?value) = {integer} "
                  f"&& DATATYPE(?other) = {integer} && REGEX(STR(?value), {canonical}) "
                  f"&& REGEX(STR(?other), {canonical}) && ?value {operator} ?other, false)")

        def render(ctx: Context) -> str:
            pattern = (_scan(ctx, f"?this {_path(shape.path)} ?value", "?this ?value")
                       + _scan(ctx, f"?this {_iri(other)} ?other", "?this ?other"))
            body = f"{self.focus(shape, ctx)} {pattern} FILTER(!{passes})"
            return f"SELECT DISTINCT {_graph_var(ctx)}?this ?value ?other WHERE {{ {body} }}"
        return Check(shape, constraint.component, "pair", render, strict=strict)

    def _sparql_check(self, shape: Shape, select) -> Check:
        path_text = _path(shape.path) if shape.is_property else None
        parsed = sparql.parse_select(select.text, shape.node, path_text=path_text,
                                     focus_outside=self.per_graph)
        self.prefixes = sparql.merge_prefixes(shape.node, self.prefixes, select.prefixes)

        def render(ctx: Context) -> str:
            # LATERAL evaluates the query once per focus node with ?this (and the graph)
            # bound, as pySHACL's pre-binding does, instead of over every node and then
            # joined; per graph the focus nodes cannot share the GRAPH group (see _in).
            inner = f"GRAPH {G} {{ {parsed.body} }}" if ctx.per_graph else parsed.body
            body = f"{self.focus(shape, ctx)} LATERAL {{ {inner} }}"
            return f"SELECT {parsed.distinct}{_graph_var(ctx)}{parsed.projection} WHERE {{ {body} }}"
        return Check(shape, SH.SPARQLConstraintComponent, "sparql", render,
                     variables=None if parsed.star else parsed.variables,
                     this_projected=parsed.this_projected)

    # ------------------------------------------------------------------ conditions as relations
    # A condition on a node is computed over a relation (the rows that bind the node), as
    # the rows that break it: tests of the value alone are FILTER expressions; what needs
    # other triples (a class, the values of a nested shape, counts) is a scan joined by
    # hash, or subtracted with MINUS, never a lookup per row.
    def _violating(self, rel: _Relation, shape: Shape, parameter, rule, ctx: Context,
                   names: _Names) -> _Relation:
        """The rows of ``rel`` whose node breaks ``parameter`` with ``rule``."""
        expression = self._expression(shape, parameter, rule, rel.node, ctx, rel.sources)
        if expression is not None:
            return rel.where(expression)
        if parameter == SH["class"]:
            instances = _scan(ctx, self._instance(rel.node, rule, ctx), rel.node)
            return rel.minus(instances)
        if parameter == SH.node:
            return self._nonconforming(rel, rule, ctx, names)
        if parameter == SH["not"]:
            return self._conforming(rel, rule, ctx, names)
        if parameter == SH["or"]:
            members = [self._node_set(member, rel.node, ctx) for member in rule]
            if all(members):
                return rel.minus(_union(ctx, rel.node, members))
            found = rel
            for member in rule:
                found = found.minus("{ " + self._conforming(rel, member, ctx, names).text + " }")
            return found
        raise CompileError(shape.node, f"{parameter} has no SPARQL form")

    def _conforming(self, rel: _Relation, shape: Shape, ctx: Context, names: _Names) -> _Relation:
        if self._plain(shape):
            return rel.where(self._conforms(shape, rel.node, ctx, rel.sources))
        nodes = self._node_set(shape, rel.node, ctx)
        if nodes is not None:
            return rel.join(nodes, rel.node, rel.sources)
        return rel.minus("{ " + self._nonconforming(rel, shape, ctx, names).text + " }")

    def _node_set(self, shape: Shape, var: str, ctx: Context) -> str | None:
        """The nodes that conform to ``shape``, as a sub-SELECT binding ``var`` on its own,
        when the shape is made of sh:class (and sh:or of such shapes): then sh:not and sh:or
        are one join or one MINUS, not the relation repeated in each branch."""
        if shape.is_property or shape.properties or shape.sparql or not shape.constraints:
            return None
        pieces = []
        for constraint in shape.constraints:
            if constraint.parameter == SH["class"]:
                for cls in constraint.values:
                    _plain_iri(shape, cls, SH["class"])
                    pieces.append(_scan(ctx, self._instance(var, cls, ctx), var))
            elif constraint.parameter == SH["or"]:
                members = [self._node_set(member, var, ctx) for member in constraint.values]
                if not all(members):
                    return None
                pieces.append(_union(ctx, var, members))
            else:
                return None
        return pieces[0] if len(pieces) == 1 else f"{{ SELECT DISTINCT {_graph_var(ctx)}{var} WHERE {{ {' '.join(pieces)} }} }}"

    def _nonconforming(self, rel: _Relation, shape: Shape, ctx: Context, names: _Names) -> _Relation:
        """The rows of ``rel`` whose node does not conform to ``shape`` (may repeat rows)."""
        if shape.sparql:
            raise CompileError(shape.node, "a shape with SPARQL constraints cannot be used in "
                                           "sh:node, sh:or or sh:not")
        if self._plain(shape):
            return rel.where(f"!{self._conforms(shape, rel.node, ctx, rel.sources)}")
        nodes = self._node_set(shape, rel.node, ctx)
        if nodes is not None:
            return rel.minus(nodes)
        parts = []
        for constraint in shape.constraints:
            parameter = constraint.parameter
            if parameter in (SH.lessThan, SH.lessThanOrEquals):
                raise CompileError(shape.node, f"{parameter} inside sh:node, sh:or or sh:not is not supported")
            if not shape.is_property:
                if parameter in (SH.minCount, SH.maxCount):
                    raise CompileError(shape.node, f"{parameter} is allowed only on property shapes")
                values = constraint.values if parameter == SH.hasValue else self._rules(shape, constraint)
                for rule in values:
                    parts.append(self._violating(rel, shape, parameter, rule, ctx, names))
                continue
            parts += self._property_parts(rel, shape, constraint, ctx, names)
        for child in shape.properties:
            parts.append(self._nonconforming(rel, child, ctx, names))
        if not parts:
            return rel.where("false")
        return _Relation(" UNION ".join("{ " + part.text + " }" for part in parts), rel.node, rel.variables,
                         rel.sources)

    def _property_parts(self, rel: _Relation, shape: Shape, constraint: Constraint, ctx: Context,
                        names: _Names) -> list[_Relation]:
        """The rows of ``rel`` whose node, through the path of ``shape``, breaks ``constraint``."""
        parameter, path = constraint.parameter, _path(shape.path)
        if parameter in (SH.minCount, SH.maxCount):
            count = _count(shape, constraint.values[0])
            value = names()
            if parameter == SH.minCount and count == 0:
                return []
            if parameter == SH.minCount and count == 1:
                return [rel.minus(_scan(ctx, f"{rel.node} {path} {value}", rel.node))]
            joined = (f"{rel.text} OPTIONAL {_scan(ctx, f'{rel.node} {path} {value}', f'{rel.node} {value}')}"
                      if parameter == SH.minCount else
                      f"{rel.text} {_scan(ctx, f'{rel.node} {path} {value}', f'{rel.node} {value}')}")
            test = f"< {count}" if parameter == SH.minCount else f"> {count}"
            grouped = " ".join(rel.variables)
            return [_Relation(f"{{ SELECT {grouped} WHERE {{ {joined} }} GROUP BY {grouped} "
                              f"HAVING (COUNT(DISTINCT {value}) {test}) }}", rel.node, rel.variables, rel.sources)]
        if parameter == SH.hasValue:
            found = []
            for value in constraint.values:
                _plain_iri(shape, value, parameter)
                found.append(rel.minus(_scan(ctx, f"{rel.node} {path} {_iri(value)}", rel.node)))
            return found
        found = []
        for rule in self._rules(shape, constraint):
            value = names()
            values = rel.join(_scan(ctx, f"{rel.node} {path} {value}", f"{rel.node} {value}"), value,
                              _last_predicates(shape.path))
            broken = self._violating(values, shape, parameter, rule, ctx, names)
            found.append(_Relation(f"{{ SELECT DISTINCT {' '.join(rel.variables)} WHERE {{ {broken.text} }} }}",
                                   rel.node, rel.variables, rel.sources))
        return found

    # ------------------------------------------------------------------ tests of a value alone
    def _plain(self, shape: Shape) -> bool:
        """A node shape whose every constraint tests the node alone (no other triple)."""
        if shape.is_property or shape.properties or shape.sparql:
            return False
        for constraint in shape.constraints:
            if constraint.parameter in (SH["class"], SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals):
                return False
            if constraint.parameter in (SH["or"], SH["not"], SH.node):
                if not all(self._plain(member) for member in constraint.values):
                    return False
        return True

    def _conforms(self, shape: Shape, v: str, ctx: Context, sources) -> str:
        """A SPARQL boolean: ``v`` conforms to the plain node shape ``shape``."""
        parts = []
        for constraint in shape.constraints:
            values = constraint.values if constraint.parameter == SH.hasValue else self._rules(shape, constraint)
            for rule in values:
                parts.append(f"!({self._expression(shape, constraint.parameter, rule, v, ctx, sources)})")
        return "(" + (" && ".join(parts) or "true") + ")"

    def _expression(self, shape: Shape, parameter, rule, v: str, ctx: Context, sources) -> str | None:
        """A SPARQL boolean for "``v`` breaks the constraint", when the node alone decides it;
        ``sources``: the predicates whose values ``v`` may be (None: any)."""
        if parameter == SH.datatype:
            _plain_iri(shape, rule, parameter)
            if rule in (RDFS.Literal, RDFS.Datatype):
                raise CompileError(shape.node, f"sh:datatype {rule} is not supported")
            return self._test(Test("datatype", rule), v, ctx, sources)
        if parameter == SH.nodeKind:
            if rule not in _NODE_KINDS:
                raise CompileError(shape.node, f"unknown sh:nodeKind {rule}")
            return _NODE_KINDS[rule].format(v=v)
        if parameter == SH.minLength:
            _count(shape, rule)
            return self._test(Test("minLength", rule), v, ctx, sources)
        if parameter == SH.pattern:
            if not isinstance(rule, rdflib.Literal) or not isinstance(rule.value, str):
                raise CompileError(shape.node, "sh:pattern must be a string")
            try:
                Test("pattern", str(rule)).sparql(v)
            except ValueError as exc:
                raise CompileError(shape.node, str(exc)) from exc
            return self._test(Test("pattern", str(rule)), v, ctx, sources)
        if parameter in (SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive):
            kind = str(parameter)[len(str(SH)):]
            if not isinstance(rule, rdflib.Literal) or isinstance(rule.value, str) or rule.value is None:
                raise CompileError(shape.node, f"sh:{kind} is supported with a number or a date only")
            return self._test(Test(kind, rule), v, ctx, sources)
        if parameter == SH["in"]:
            for member in rule:
                _plain_iri(shape, member, parameter)
            return "!" + any_of([f"sameTerm({v}, {_iri(m)})" for m in rule])
        if parameter == SH.hasValue and not shape.is_property:
            _plain_iri(shape, rule, parameter)
            return f"!sameTerm({v}, {_iri(rule)})"
        if parameter == SH["or"] and all(self._plain(member) for member in rule):
            return "!(" + (" || ".join(self._conforms(m, v, ctx, sources) for m in rule) or "false") + ")"
        if parameter == SH["not"] and self._plain(rule):
            return self._conforms(rule, v, ctx, sources)
        if parameter == SH.node and self._plain(rule):
            return f"!{self._conforms(rule, v, ctx, sources)}"
        if parameter in (SH["class"], SH["or"], SH["not"], SH.node):
            return None
        raise CompileError(shape.node, f"{parameter} has no SPARQL form")

    def _test(self, test: Test, v: str, ctx: Context, sources) -> str:
        if not test.exact_in_sparql():
            known = self.tests.get(test, frozenset())
            self.tests[test] = None if known is None or sources is None else known | sources
        return ctx.corrections.condition(test, v)

    def _focus_sources(self, shape: Shape):
        """The predicates whose values a focus node of ``shape`` may be: none (the targets of
        classes and subjects are never literals) unless a SPARQL target may select one."""
        if any(target.kind == SH.target for target in shape.targets):
            return None
        for parent in self.parents.get(shape.node, ()):
            if self._focus_sources(parent) is None:
                return None
        return frozenset()


@dataclass
class _Relation:
    """A group graph pattern (without its braces) whose rows bind ``node``."""

    text: str
    node: str
    variables: list
    sources: frozenset | None            # the predicates whose values the node may be (None: any)

    def where(self, expression: str) -> _Relation:
        return _Relation(f"{self.text} FILTER({expression})", self.node, self.variables, self.sources)

    def minus(self, group: str) -> _Relation:
        return _Relation(f"{self.text} MINUS {group}", self.node, self.variables, self.sources)

    def join(self, group: str, node: str, sources) -> _Relation:
        return _Relation(f"{self.text} {group}", node, self.variables + [node], sources)


def _union(ctx: Context, var: str, node_sets: list) -> str:
    return (f"{{ SELECT DISTINCT {_graph_var(ctx)}{var} WHERE {{ "
            + " UNION ".join("{ " + nodes + " }" for nodes in node_sets) + " } }")


def _vars(ctx: Context, *names: str) -> list:
    return ([G] if ctx.per_graph else []) + list(names)


def _count(shape: Shape, value) -> int:
    if not isinstance(value, rdflib.Literal) or not isinstance(value.value, int) or value.value < 0:
        raise CompileError(shape.node, f"{value!r} is not a count (a non-negative xsd:integer)")
    return int(value.value)


def _plain_iri(shape: Shape, value, parameter) -> None:
    if not isinstance(value, rdflib.URIRef):
        raise CompileError(shape.node, f"{parameter} with a value that is not an IRI ({value!r}) is not supported")


def _last_predicates(path) -> frozenset:
    """The predicates whose objects a path ends on (an inverse step ends on subjects, never
    literals)."""
    if isinstance(path, rdflib.URIRef):
        return frozenset({path})
    kind, parts = path
    if kind == "inverse":
        return frozenset()
    if kind == "sequence":
        return _last_predicates(parts[-1])
    return frozenset().union(*(_last_predicates(part) for part in parts))
