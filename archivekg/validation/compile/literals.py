"""Literal tests as pySHACL decides them, and the SPARQL that decides them the same way.

pySHACL judges a literal through rdflib, which parses and normalises it ("1_000"^^xsd:integer
is 1000 for rdflib, ill-typed for Oxigraph; " 7 " is 7 for one and an error for the other),
while the compiled queries judge it through Oxigraph.  On strings, IRIs and blank nodes the
SPARQL forms here are exact.  On the other literals (numbers, dates, EDTF...) a query first
decides every such literal of the data with the SPARQL form, then rdflib decides each one as
pySHACL would; where they disagree, the literal joins the check's corrections, and the
compiled condition flips its answer for exactly those literals.  There are few such literals
(distinct numbers and dates), so this costs little, and the result is pySHACL's by
construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import rdflib
from rdflib.namespace import RDF, RDFS, XSD

from archivekg.validation.compile import regex

STRING_TYPES = (str(XSD.string), str(RDF.langString))
# Literals that the SPARQL forms do not decide alone: all but strings.
NOT_A_STRING = (f"isLiteral(?v) && DATATYPE(?v) != <{XSD.string}> && DATATYPE(?v) != <{RDF.langString}>")
_PYTHON_TYPES: dict[rdflib.URIRef, type | tuple[type, ...]] = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
                 XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date,
                 XSD.time: time, XSD.dateTime: datetime}
_NUMERIC = frozenset(rdflib.term._NUMERIC_LITERAL_TYPES)
# The numeric datatypes of SPARQL (XSD's numbers and the types derived from them): the same.
_NUMERIC_IRIS = frozenset(str(t) for t in _NUMERIC)
# The value range parameters: the value must stand so to the bound.
RANGES = {"minInclusive": ">=", "minExclusive": ">", "maxInclusive": "<=", "maxExclusive": "<"}
# An integer both rdflib and Oxigraph read as the same number (Oxigraph writes integers so).
CANONICAL_INTEGER = "^-?(0|[1-9][0-9]*)$"


def any_of(conditions: list[str]) -> str:
    """``a || b || c ...`` as a balanced tree: a flat chain of thousands (the corrections of a
    10,000-document corpus) is an expression as deep as it is long, and Oxigraph evaluates it
    recursively: it overflowed the stack (a segmentation fault, not an error)."""
    if not conditions:
        return "false"
    if len(conditions) == 1:
        return conditions[0]
    middle = len(conditions) // 2
    return f"({any_of(conditions[:middle])} || {any_of(conditions[middle:])})"


def sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


@dataclass(frozen=True)
class Test:
    """A test of one value node: true when the node violates it."""

    kind: str                            # datatype, a bound (RANGES), minLength, pattern
    parameter: rdflib.URIRef | rdflib.Literal | str   # the rdflib term or text the shape gives

    def sparql(self, var: str) -> str:
        """The SPARQL form (a boolean, never an error); exact unless the node is a literal
        that is not a string."""
        v = var
        if self.kind == "datatype":
            return f"!(isLiteral({v}) && DATATYPE({v}) = <{self.parameter}>)"
        if self.kind in RANGES:
            assert isinstance(self.parameter, rdflib.Literal)      # a bound
            return f"COALESCE(!({v} {RANGES[self.kind]} {self.parameter.n3()}), true)"
        if self.kind == "minLength":
            if int(self.parameter) == 0:
                return "false"
            return f"(isBlank({v}) || STRLEN(STR({v})) < {int(self.parameter)})"
        if self.kind == "pattern":
            return f"(isBlank({v}) || !REGEX(STR({v}), {sparql_string(regex.translate(str(self.parameter)))}))"
        raise ValueError(self.kind)

    def may_disagree(self, literal, value: rdflib.Literal) -> bool:
        """False where the SPARQL form is known to give pySHACL's answer for this literal
        (Oxigraph's ``literal``, rdflib's ``value``), so that rdflib need not be asked:
        a datatype test on a literal of another datatype (both fail it); a length or a
        pattern on a literal that rdflib writes as Oxigraph does; a bound on an integer or
        decimal that both read as the same number."""
        if self.kind == "datatype":
            return literal.datatype.value == str(self.parameter)
        same_text = str(value) == literal.value
        if self.kind in ("minLength", "pattern"):
            return not same_text
        if self.kind in RANGES:
            return not (same_text and value.value is not None
                        and literal.datatype.value in (str(XSD.integer), str(XSD.decimal)))
        return True

    def exact_in_sparql(self) -> bool:
        """A datatype test of xsd:string or rdf:langString: its SPARQL form is exact on every
        node (a literal that is not a string has another datatype for rdflib too)."""
        return self.kind == "datatype" and str(self.parameter) in STRING_TYPES

    def sparql_answer(self, literal):
        """The SPARQL form's answer for an Oxigraph literal that is not a string, where it is
        known without asking Oxigraph: a datatype test of the literal's own datatype passes;
        a bound compared with a literal that is not a number is a type error, a result."""
        if self.kind == "datatype" and literal.datatype.value == str(self.parameter):
            return False
        if self.kind in RANGES and literal.datatype.value not in _NUMERIC_IRIS:
            return True
        return None

    def datatype_key(self, value: rdflib.Literal):
        """A key that every literal with the same pySHACL answer shares, when the answer
        depends on the datatype alone (a bound and a literal that is not a number of the
        bound's datatype: rdflib orders them by their datatypes' IRIs); else None."""
        if self.kind not in RANGES:
            return None
        assert isinstance(self.parameter, rdflib.Literal)          # a bound
        if value.datatype in _NUMERIC or value.datatype == self.parameter.datatype:
            return None
        return (self, value.datatype, isinstance(value.value, str))

    def python(self, value: rdflib.Literal) -> bool:
        """pySHACL's answer for a literal, as rdflib reads it."""
        if self.kind == "datatype":
            return not _datatype_matches(value, self.parameter)
        if self.kind in RANGES:
            assert isinstance(self.parameter, rdflib.Literal)      # a bound
            return not _within(value, self.parameter, RANGES[self.kind])
        if self.kind == "minLength":
            minimum = int(self.parameter)
            return minimum != 0 and len(_as_string(value)) < minimum
        if self.kind == "pattern":
            return re.search(str(self.parameter), _as_string(value)) is None
        raise ValueError(self.kind)


@dataclass
class Corrections:
    """For each test, the literals on which its SPARQL form and pySHACL disagree."""

    flipped: dict = field(default_factory=dict)      # Test -> list of Oxigraph literals

    def condition(self, test: Test, var: str) -> str:
        base = test.sparql(var)
        flipped = self.flipped.get(test)
        if not flipped:
            return base
        member = any_of([f"sameTerm({var}, {term})" for term in flipped])
        return f"IF({member}, !({base}), {base})"


# --------------------------------------------------------------------------- pySHACL's rules
def _datatype_matches(value: rdflib.Literal, rule) -> bool:
    """pySHACL's DatatypeConstraintComponent on one literal."""
    if value.datatype == rule:
        if getattr(value, "ill_typed", None) is True:
            return False
        return _actual(value, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and rule == XSD.string:
        return _actual(value, rule)
    if rule == RDF.langString and value.language:
        return _actual(value, rule)
    return False


def _actual(value: rdflib.Literal, rule) -> bool:
    expected = _PYTHON_TYPES.get(rule)
    return True if expected is None else isinstance(value.value, expected)


def _within(value: rdflib.Literal, bound: rdflib.Literal, operator: str) -> bool:
    """pySHACL's Min/MaxInclusive/ExclusiveConstraintComponent on one literal: whether
    ``value operator bound`` holds."""
    from pyshacl.rdfutil.compare import compare_literal

    bound_is_string, value_is_string = isinstance(bound.value, str), isinstance(value.value, str)
    if bound_is_string != value_is_string:
        return False
    try:
        order = compare_literal(value, bound)
    except (TypeError, NotImplementedError):
        return False


    return {">=": order >= 0, ">": order > 0, "<=": order <= 0, "<": order < 0}[operator]


def _as_string(value) -> str:
    from pyshacl.constraints.core.string_based_constraints import StringBasedConstraintBase

    return StringBasedConstraintBase.value_node_to_string(value)


def pair_fails(value, other, *, strict: bool) -> bool:
    """pySHACL's LessThan (``strict``) or LessThanOrEquals for one value and one value of the
    other property (rdflib terms).  pySHACL stops on a blank node; here it is a result."""
    if isinstance(value, rdflib.BNode) or isinstance(other, rdflib.BNode):
        return True
    left, left_string = _comparable(value)
    right, right_string = _comparable(other)
    if left_string != right_string:
        return True
    try:
        return not (left < right if strict else left <= right)
    except TypeError:
        return True


def _comparable(term):
    if isinstance(term, rdflib.URIRef):
        return str(term), True
    if isinstance(term, rdflib.Literal) and isinstance(term.value, str):
        return term.value, True
    return term, False
