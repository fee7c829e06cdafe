"""SHACL-SPARQL constraints and targets, rewritten to run once for every focus node at once.

pySHACL runs a constraint's SELECT once per focus node with ``$this`` pre-bound (SHACL 5.3.1:
the variable is replaced by the node everywhere).  Here the focus nodes are joined instead:
the query's WHERE group gets the focus nodes' pattern first, so ``?this`` is bound before
anything in the group is evaluated, and FILTERs and EXISTS see it.  A join gives the same
solutions as the substitution as long as every group that reads ``$this`` in an expression
either is the WHERE group itself, an EXISTS (which substitutes the current solution), an
OPTIONAL (whose condition sees the left side), or binds ``$this`` itself in a triple; a
query that breaks this, or that uses what SHACL-SPARQL forbids or the compiler does not
support (VALUES, MINUS, SERVICE, sub-SELECTs, solution modifiers, $currentShape,
$shapesGraph), stops the compile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archivekg.validation.compile.model import CompileError

_LEXER = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<space>\s+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?|:[A-Za-z0-9_\-.]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_FORBIDDEN = {"VALUES", "MINUS", "SERVICE", "SELECT", "GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING"}
RESERVED = "__akg_"


@dataclass
class Token:
    kind: str
    text: str

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    @property
    def name(self) -> str:
        return self.text[1:] if self.kind == "var" else ""


def tokens(text: str) -> list[Token]:
    found, position = [], 0
    while position < len(text):
        match = _LEXER.match(text, position)
        # Its last alternative takes any one character: every position starts a token.
        assert match is not None and match.lastgroup is not None
        found.append(Token(match.lastgroup, match.group()))
        position = match.end()
    return found


def _significant(items: list[Token]) -> list[int]:
    return [i for i, t in enumerate(items) if t.kind not in ("space", "comment")]


@dataclass
class Rewritten:
    distinct: str                # "", "DISTINCT " or "REDUCED "
    projection: str              # the projection as written, with ?this added when missing
    variables: list[str]         # projected variable names, in order (None for *)
    body: str                    # the WHERE group's content, without its braces
    star: bool
    this_projected: bool = True  # the query as written selects ?this (or *)


def parse_select(text: str, shape, *, path_text: str | None = None, target: bool = False,
                 focus_outside: bool = False) -> Rewritten:
    """A constraint's (or target's) SELECT, checked and taken apart."""
    items = tokens(text)
    for token in items:
        if token.kind == "var" and token.name.startswith(RESERVED):
            raise CompileError(shape, f"the SPARQL uses the reserved variable {token.text}")
        if token.kind == "var" and token.name in ("currentShape", "shapesGraph"):
            raise CompileError(shape, f"the SPARQL uses {token.text}, which is not supported")
        if token.kind == "var" and token.text == "$PATH":
            if path_text is None:
                raise CompileError(shape, "the SPARQL uses $PATH but the shape has no sh:path")
            token.kind, token.text = "path", path_text
        elif token.kind == "var":
            token.text = "?" + token.name          # $x and ?x are one variable
    significant = _significant(items)
    if not significant or items[significant[0]].upper != "SELECT":
        raise CompileError(shape, "a SPARQL constraint or target must be a SELECT query "
                                  "(prefixes come from sh:prefixes)")
    position = 1
    distinct = ""
    if position < len(significant) and items[significant[position]].upper in ("DISTINCT", "REDUCED"):
        distinct = items[significant[position]].upper + " "
        position += 1
    start = position
    depth = 0
    while position < len(significant):
        token = items[significant[position]]
        if depth == 0 and (token.upper == "WHERE" or token.text == "{"):
            break
        depth += token.text == "("
        depth -= token.text == ")"
        position += 1
    if position >= len(significant) or depth:
        raise CompileError(shape, "the SELECT has no WHERE group")
    projection_tokens = [items[i] for i in significant[start:position]]
    if items[significant[position]].upper == "WHERE":
        position += 1
    open_index = significant[position]
    if items[open_index].text != "{":
        raise CompileError(shape, "the SELECT has no WHERE group")
    close_index = _matching(items, open_index, shape)
    after = any(items[i].kind not in ("space", "comment") for i in range(close_index + 1, len(items)))
    if after and not target:
        raise CompileError(shape, "a SPARQL constraint with solution modifiers or VALUES after its "
                                  "WHERE group is not supported")
    body = items[open_index + 1:close_index]
    if not target:
        _check_body(body, shape, focus_outside)
    star = any(t.text == "*" for t in projection_tokens)
    variables = _projected(projection_tokens, shape)
    if "failure" in variables:
        raise CompileError(shape, "?failure in a SPARQL constraint is not supported")
    this_projected = star or "this" in variables
    if not this_projected:
        if target:
            raise CompileError(shape, "a SPARQL target must select ?this")
        variables.insert(0, "this")
        projection_tokens.insert(0, Token("var", "?this "))
    if target:
        # A target's WHERE group is put into the focus nodes' own sub-SELECT, which selects
        # DISTINCT ?this: anything else it selects or modifies would be lost.
        if star or variables != ["this"] or after:
            raise CompileError(shape, "a SPARQL target is supported as SELECT [DISTINCT] ?this WHERE { ... } "
                                      "without modifiers")
        return Rewritten("", "", variables, "".join(t.text for t in body), False)
    return Rewritten(distinct, " ".join(t.text.strip() for t in projection_tokens), variables,
                     "".join(t.text for t in body), star, this_projected)


def _matching(items: list[Token], open_index: int, shape) -> int:
    depth = 0
    for index in range(open_index, len(items)):
        depth += items[index].text == "{"
        depth -= items[index].text == "}"
        if depth == 0:
            return index
    raise CompileError(shape, "the SPARQL has an unclosed {")


def _projected(projection: list[Token], shape) -> list[str]:
    names, depth = [], 0
    for index, token in enumerate(projection):
        depth += token.text == "("
        depth -= token.text == ")"
        if token.kind != "var":
            continue
        previous = next((t for t in reversed(projection[:index]) if t.kind not in ("space", "comment")), None)
        if depth == 0 or (previous is not None and previous.upper == "AS"):
            if previous is not None and previous.upper == "AS" and token.name == "this":
                raise CompileError(shape, "a SPARQL constraint must not bind ?this with AS")
            names.append(token.name)
    return names


@dataclass
class _Group:
    kind: str                    # where, exists, optional, plain
    binds_this: bool = False     # $this in a triple of the group itself
    reads_this: bool = False     # $this in an expression, or inside an EXISTS, of the group
    parens: int = 0


def _check_body(body: list[Token], shape, focus_outside: bool) -> None:
    """Refuses what SHACL-SPARQL forbids, and groups whose $this a join would not bind.

    Inside an EXISTS every $this is the enclosing solution's, and an OPTIONAL's condition
    sees its left side: what they read must be bound by the group around them.  The WHERE
    group is joined with the focus nodes, unless they are joined from outside it
    (``focus_outside``, per graph: see core._in)."""
    stack = [_Group("where")]
    previous: list[Token] = []
    for token in body:
        if token.kind in ("space", "comment"):
            continue
        if token.upper in _FORBIDDEN:
            raise CompileError(shape, f"the SPARQL constraint uses {token.upper}, which is not supported here")
        group = stack[-1]
        if token.text == "{":
            before = previous[-1].upper if previous else ""
            kind = "exists" if before == "EXISTS" or group.kind == "exists" else (
                "optional" if before == "OPTIONAL" else "plain")
            stack.append(_Group(kind))
        elif token.text == "}":
            _close(stack.pop(), stack[-1], shape)
        elif token.text == "(":
            group.parens += 1
        elif token.text == ")":
            group.parens -= 1
        elif token.kind == "var" and token.name == "this":
            if previous and previous[-1].upper == "AS":
                raise CompileError(shape, "the SPARQL binds $this with AS")
            if group.parens or group.kind == "exists":
                group.reads_this = True
            else:
                group.binds_this = True
        previous.append(token)
    where = stack[0]
    if focus_outside and where.reads_this and not where.binds_this:
        raise CompileError(shape, "the SPARQL reads $this in its WHERE group without binding it there "
                                  "in a triple; per graph the compiler joins the focus nodes from outside")


def _close(closed: _Group, parent: _Group, shape) -> None:
    if not closed.reads_this or closed.binds_this:
        return
    if closed.kind in ("exists", "optional"):
        parent.reads_this = True
        return
    raise CompileError(shape, "the SPARQL reads $this in a nested group that does not bind it; "
                              "the compiler cannot join the focus nodes into it")


def prefix_block(prefixes: dict) -> str:
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(prefixes.items()))


def merge_prefixes(shape, *dicts: dict) -> dict:
    merged: dict = {}
    for found in dicts:
        for prefix, namespace in found.items():
            if merged.get(prefix, namespace) != namespace:
                raise CompileError(shape, f"the prefix {prefix}: means two namespaces in one query")
            merged[prefix] = namespace
    return merged
