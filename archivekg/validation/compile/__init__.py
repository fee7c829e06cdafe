"""Our SHACL shapes compiled to SPARQL, run by Oxigraph over the whole store.

pySHACL stays the reference for what a result is; this is the engine that runs at the size
of the store.  Each scope's shapes (shapes.py) become one query per constraint component and
shape, over all focus nodes at once (core.py; SHACL-SPARQL constraints and targets in
sparql.py); a shape or component without a compiled form stops the compile with an error
naming it (model.py).  tests/shapes/test_differential.py runs both engines on every case
and on generated corpora and compares them result for result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib

from archivekg.validation.compile.core import Check, Compiler, Context
from archivekg.validation.compile.model import CompileError, Reader
from archivekg.validation.compile.sparql import prefix_block

__all__ = ["CompileError", "Check", "Context", "Program", "compile_shapes", "context_key"]


@dataclass
class Program:
    checks: list[Check]
    compiler: Compiler

    # A check's query for a context, made once: its text depends on nothing else, and a
    # small file's validation spent half its time writing the same queries again.
    rendered: dict = field(default_factory=dict, repr=False)

    @property
    def prologue(self) -> str:
        return prefix_block(self.compiler.prefixes)

    def query(self, index: int, ctx: Context, ctx_key: tuple) -> str:
        """The whole text of check ``index`` for ``ctx`` (``ctx_key``: ``context_key(ctx)``,
        made once for all the checks of a pass)."""
        key = (index, ctx_key)
        text = self.rendered.get(key)
        if text is None:
            if len(self.rendered) > 100_000:
                self.rendered.clear()
            text = self.rendered[key] = self.prologue + self.checks[index].render(ctx)
        return text


def context_key(ctx: Context) -> tuple:
    """What of a context a check's text depends on."""
    return (ctx.per_graph, ctx.subclass_free, ctx.excluded_graphs,
            tuple(sorted((repr(test), tuple(map(str, terms))) for test, terms in ctx.corrections.flipped.items())))


def compile_shapes(graph: rdflib.Graph, *, per_graph: bool) -> Program:
    """The checks of one scope's shapes: over each named graph (``per_graph``) or the union."""
    reader = Reader(graph)
    compiler = Compiler(reader.top_level(), reader.shapes, per_graph=per_graph)
    checks = compiler.checks()
    for check in checks:              # every query renders, or the compile fails now
        check.render(Context(per_graph=per_graph))
    return Program(checks, compiler)
