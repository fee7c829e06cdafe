"""Regression: validating the 10,000-document corpus with the compiled engine crashed the
process (SIGSEGV).  A check's literal corrections were one flat chain of ``sameTerm(...) ||``
as long as the literals were many, and Oxigraph evaluates such an expression recursively, past
the end of its stack.  The chain is now a balanced tree.  The query runs in a child process,
so that a crash fails this test instead of killing the test run."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import rdflib

from archivekg.validation.compile.literals import Corrections, any_of
from archivekg.validation.compile.literals import Test as LiteralTest

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

CHILD = """
import sys
import pyoxigraph as ox
condition = sys.stdin.read()
store = ox.Store()
integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                  ox.Literal("7", datatype=integer)))
store.add(ox.Quad(ox.NamedNode("http://example.org/t"), ox.NamedNode("http://example.org/p"),
                  ox.Literal("-1", datatype=integer)))
rows = store.query("SELECT ?s WHERE { ?s <http://example.org/p> ?v FILTER(" + condition + ") }")
print(sorted(row["s"].value for row in rows))
"""


def _run(condition: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD], input=condition, capture_output=True, text=True,
                          timeout=120)


def test_regression_thousands_of_corrections_do_not_crash_the_engine():
    test = LiteralTest("minInclusive", rdflib.Literal(0))
    flipped = [ox.Literal(str(n), datatype=ox.NamedNode(XSD_INTEGER)) for n in range(20_000)]
    corrections = Corrections({test: flipped})
    condition = corrections.condition(test, "?v")
    done = _run(condition)
    assert done.returncode == 0, done.stderr[-2000:]
    # 7 is among the flipped literals: its answer (not below 0) is flipped to "violates";
    # -1 is not flipped: it violates the bound as it stands.
    assert done.stdout.strip() == "['http://example.org/s', 'http://example.org/t']"


def test_any_of_is_balanced_and_keeps_every_condition():
    conditions = [f"c{i}" for i in range(1000)]
    expression = any_of(conditions)
    assert all(f"c{i})" in expression or f"c{i} " in expression for i in range(1000))
    depth = deepest = 0
    for char in expression:
        depth += char == "("
        depth -= char == ")"
        deepest = max(deepest, depth)
    assert deepest <= 11          # log2(1000) rounded up, plus one
    assert any_of([]) == "false" and any_of(["only"]) == "only"
