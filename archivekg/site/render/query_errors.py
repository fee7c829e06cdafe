"""A SPARQL syntax error as a sentence a person can act on.

The engine says ``error at 2:18: expected one of Prefix not found, ['%'], ...``: a position
and the parser's list of tokens.  The page says where (line and column of the text the
person wrote, not of the prefixes declared for them), shows that line with a mark under the
place, and says in words what the list means where it can tell; the list itself stays
available, folded away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


@dataclass
class Explained:
    sentence: str
    line: int | None = None
    column: int | None = None
    source_line: str | None = None
    raw: str = ""


def explain(message: str, text: str, prologue_lines: int) -> Explained:
    """``message``: the worker's ("SPARQL syntax error: error at L:C: ..."); ``text`` the
    query as written; ``prologue_lines``: lines the page put in front of it."""
    match = _POSITION.search(message)
    if not match:
        return Explained(f"The query cannot be read: {message.removeprefix('SPARQL syntax error: ')}", raw=message)
    line, column, expected = int(match.group(1)) - prologue_lines, int(match.group(2)), match.group(3)
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        line = max(1, min(line, len(lines)))
    source = lines[line - 1].rstrip("\r")
    near = source[max(0, column - 1):max(0, column - 1) + 20].strip()
    where = f"at line {line}, column {column}"
    what = _meaning(expected, source, column)
    sentence = f"The query cannot be read {where}" + (f", near “{near}”" if near else ", at the end of the line") \
        + f": {what}"
    return Explained(sentence, line, column, source, expected.strip())


def _meaning(expected: str, source: str, column: int) -> str:
    if "Prefix not found" in expected:
        before = source[:max(0, column - 1)]
        prefix = re.search(r"([A-Za-z][\w.-]*)?:[\w-]*$", before)
        name = f"“{prefix.group(1) or ''}:”" if prefix else "a prefix"
        return (f"{name} is not a declared prefix. Declare it with a PREFIX line, or use one of those "
                "declared for you (akg:, id:, crm:, schema:, prov:, skos:, rdfs:, owl:, oa:, dcterms:, xsd:).")
    if '"\\""' in expected or "\"'\"" in expected:
        return "a string is not closed: a quote mark is missing."
    words = re.findall(r"\b[A-Z]{2,}\b", expected)
    if "DESCRIBE" in words and "SELECT" not in source.upper():
        return "a query begins with SELECT, ASK, CONSTRUCT or DESCRIBE (after its PREFIX lines)."
    if source[max(0, column - 2):].strip() in ("", "}", ")"):
        return "the query stops in the middle of something: a triple, a bracket or a FILTER is not finished."
    return "this is not what SPARQL allows at this place; check the words and brackets just before it."
