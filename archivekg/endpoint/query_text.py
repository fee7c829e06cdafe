"""What a SPARQL request is, read from its tokens before anything runs it.

Oxigraph parses the query for real; this module only needs the few facts that decide
how the request is handled, and must get them in microseconds on every request:

- the form (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update operation),
- whether the query has its own dataset (FROM / FROM NAMED), because Oxigraph's
  union-default-graph option would silently override it,
- every SERVICE endpoint and LOAD, to refuse them with a clear message,
- the PREFIX declarations, reused to write readable Turtle,
- how deeply brackets nest, because the engine's parser recurses on them.

This reading is for messages and routing, not for safety: a second reading of the text can
be made to disagree with the engine's parser, so the network is closed to query workers by
the kernel (sandbox.py), and the one path that opens it (an allowlisted SERVICE) is checked
again by a full parser (network_check.py).

The scanner takes every token in time proportional to its length and never scans the same
text twice (a regular expression that backtracks over a long run made a 64 KB query cost
15 s).  An unterminated string stops it: the query is then a syntax error for the engine.
Like Oxigraph, it decodes \\u escapes inside IRIs but not in keywords, and reads a keyword
glued to a prefixed name (``SERVICE:x``, ``SERVICE SILENT:x``) as the engine does: the
keyword, then ``:x``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                          "COPY", "WITH"})

_WS = re.compile(r"\s++")
_COMMENT = re.compile(r"#[^\r\n]*+")
_STRING_BODY = {
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*+", re.DOTALL),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*+', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\r\n]|\\.)*+"),
    '"': re.compile(r'(?:[^"\\\r\n]|\\.)*+'),
}
_IRI_BODY = re.compile(r"(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+")
_VAR = re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F\u2040]++")
_BNODE = re.compile(r"_:[\w.\-\u00B7]*+")
_LANG = re.compile(r"@[A-Za-z]++(?:-[A-Za-z0-9]++)*+")
_NAME_RUN = re.compile(r"[^\W\d_][\w.\-\u00B7]*+")
_LOCAL = re.compile(r"(?:[\w:%\-\u00B7]|\\[_~.\-!$&'()*+,;=/?\#@%]|\.(?=[\w:%\-]))*+")
_WORDS = re.compile(r"[^\W\d]\w*+|.", re.DOTALL)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_OPEN, _CLOSE = "{([", "})]"


@dataclass
class QueryInfo:
    form: str | None = None                     # upper-case keyword, None if unrecognised
    has_dataset: bool = False                   # FROM or FROM NAMED present
    services: list[str | None] = field(default_factory=list)   # None: endpoint not a fixed IRI
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None
    mentions_load: bool = False                 # a LOAD operation anywhere in an update
    depth: int = 0                              # deepest nesting of { ( [
    complete: bool = True                       # False: an unterminated string stopped the scan

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def loads(self) -> bool:
        return self.form == "LOAD" or self.mentions_load


class _Unterminated(Exception):
    pass


def _at(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str]:
    """The match of ``pattern`` at ``pos``, where it cannot fail (it may match nothing, or
    the text at ``pos`` begins it)."""
    match = pattern.match(text, pos)
    assert match is not None, f"{pattern.pattern} does not match at {pos}"
    return match


def tokens(text: str):
    """(kind, text) for every token but whitespace and comments; stops at an unterminated string."""
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char.isspace():
            pos = _at(_WS, text, pos).end()
        elif char == "#":
            pos = _at(_COMMENT, text, pos).end()
        elif char in "'\"":
            quote = text[pos:pos + 3] if text.startswith(char * 3, pos) else char
            body_end = _at(_STRING_BODY[quote], text, pos + len(quote)).end()
            if not text.startswith(quote, body_end):
                raise _Unterminated()
            yield "string", text[pos:body_end + len(quote)]
            pos = body_end + len(quote)
        elif char == "<":
            body_end = _at(_IRI_BODY, text, pos + 1).end()
            if body_end < end and text[body_end] == ">":
                yield "iri", text[pos:body_end + 1]
                pos = body_end + 1
            else:                       # the operator "<", or "<=": the run is read as tokens next
                yield "other", char
                pos += 1
        elif char in "?$":
            match = _VAR.match(text, pos)
            if match:
                yield "var", match.group()
                pos = match.end()
            else:
                yield "other", char
                pos += 1
        elif char == "_" and text.startswith("_:", pos):
            match = _at(_BNODE, text, pos)
            yield "bnode", match.group()
            pos = match.end()
        elif char == "@":
            match = _LANG.match(text, pos)
            if match:
                yield "lang", match.group()
                pos = match.end()
            else:
                yield "other", char
                pos += 1
        elif char == ":":
            local_end = _at(_LOCAL, text, pos + 1).end()
            yield "pname", text[pos:local_end]
            pos = local_end
        else:
            match = _NAME_RUN.match(text, pos)
            if match is None:
                yield "other", char
                pos += 1
                continue
            run_end = match.end()
            if run_end < end and text[run_end] == ":" and not match.group().endswith("."):
                local_end = _at(_LOCAL, text, run_end + 1).end()
                yield "pname", text[pos:local_end]
                pos = local_end
            else:
                # Not a prefix: the whole run is words and dots, taken at once so that a long
                # run is never scanned again from each of its dots.
                for piece in _WORDS.finditer(match.group()):
                    word = piece.group()
                    yield ("word" if word[0].isalpha() else "other"), word
                pos = run_end


def inspect(text: str) -> QueryInfo:
    info = QueryInfo()
    lowered = text.lower()
    # Most queries mention none of these words; then the prologue, the form and the depth are
    # all that is needed.
    need_all = "service" in lowered or "from" in lowered or "load" in lowered
    pending: str | None = None            # keyword waiting for its argument
    pending_prefix: str | None = None
    depth = 0
    try:
        for kind, value in _glued_keywords(tokens(text)):
            if kind == "other":
                if value in _OPEN:
                    depth += 1
                    info.depth = max(info.depth, depth)
                elif value in _CLOSE:
                    depth -= 1
                continue
            if info.form is not None and not need_all:
                continue
            upper = value.upper() if kind == "word" else ""
            if pending == "BASE":
                if kind == "iri":
                    info.base = resolve(value[1:-1], info.base)
                pending = None
                continue
            if pending == "PREFIX":
                if kind == "pname" and pending_prefix is None:
                    pending_prefix = value[:-1] if value.endswith(":") else value.split(":", 1)[0]
                    continue
                if kind == "iri" and pending_prefix is not None:
                    info.prefixes[pending_prefix] = resolve(value[1:-1], info.base)
                pending, pending_prefix = None, None
                continue
            if pending == "SERVICE":
                if upper == "SILENT":
                    continue
                info.services.append(_endpoint(kind, value, info))
                pending = None
                continue
            if upper in ("BASE", "PREFIX"):
                pending = upper
            elif info.form is None and kind == "word":
                info.form = upper
            elif upper == "SERVICE":
                pending = "SERVICE"
            elif upper == "FROM":
                info.has_dataset = True
            elif upper == "LOAD":
                info.mentions_load = True
    except _Unterminated:
        info.complete = False
    if pending == "SERVICE":
        info.services.append(None)
    if info.form is not None and info.form not in QUERY_FORMS | UPDATE_FORMS:
        info.form = None
    return info


def _glued_keywords(stream):
    """Split ``SERVICE:x`` into SERVICE and ``:x`` where the engine reads it so.  The engine's
    parser matches a keyword without looking at the character after it: ``SERVICE:x { }`` is
    a SERVICE call on ``:x`` (even when a prefix ``SERVICE:`` is declared) while
    ``?s service:p ?o`` is a triple; ``SERVICE SILENT:x`` calls ``:x``; and an update has no
    use for ``LOAD:x`` but the LOAD of ``:x``."""
    held: str | None = None
    after_service = False
    for kind, value in stream:
        if held is not None:
            yield from _split(held) if value == "{" else (("pname", held),)
            held = None
        if kind == "pname":
            prefix = value.split(":", 1)[0].upper()
            if prefix == "LOAD" or (prefix == "SILENT" and after_service):
                yield from _split(value)
                after_service = False
                continue
            if prefix == "SERVICE":
                held = value
                after_service = False
                continue
        after_service = kind == "word" and value.upper() == "SERVICE"
        yield kind, value
    if held is not None:
        yield "pname", held


def _split(glued: str):
    keyword, _, local = glued.partition(":")
    yield "word", keyword
    yield "pname", ":" + local


def resolve(iri: str, base: str | None) -> str:
    """An IRI as written between < >, with \\u escapes decoded and resolved against ``base``
    by Oxigraph's own IRI resolution (RFC 3986, for every scheme, ``urn:`` and ``tag:`` too)."""
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)
    if not base:
        return decoded
    try:
        quads = ox.parse(f"<{iri}> <urn:x:p> <urn:x:o> .".encode(),
                         format=ox.RdfFormat.TURTLE, base_iri=base)
        return next(iter(quads)).subject.value
    except (SyntaxError, ValueError, StopIteration):
        return decoded


def _endpoint(kind: str, value: str, info: QueryInfo) -> str | None:
    if kind == "iri":
        return resolve(value[1:-1], info.base)
    if kind == "pname":
        prefix, _, local = value.partition(":")
        namespace = info.prefixes.get(prefix)
        if namespace is None:
            return None
        return namespace + _LOCAL_ESCAPE.sub(r"\1", local)
    return None
