"""What a SPARQL request is, read from its tokens before anything runs it.

Oxigraph parses the query for real; this module only needs the few facts that decide
how the request is handled, and must get them in microseconds on every request:

- the form (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update operation),
- whether the query has its own dataset (FROM / FROM NAMED), because Oxigraph's
  union-default-graph option would silently override it,
- every SERVICE endpoint, because Oxigraph would call it over HTTP,
- the PREFIX declarations, reused to write readable Turtle.

The tokenizer follows the SPARQL 1.1 terminals for strings, IRIs, comments, prefixed
names and language tags, so a keyword inside a literal, an IRI or a comment is never
mistaken for one.  Like Oxigraph, it decodes \\u escapes inside IRIs but not in keywords.
When it cannot tell where a SERVICE points, the endpoint is reported as None, which the
caller refuses: an unclear case fails closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                          "COPY", "WITH"})

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
             | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '(?:[^'\\\r\n]|\\.)*'
             | "(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
  | (?P<bnode>_:[\w.\-\u00B7]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d_][\w.\-\u00B7]*)?:(?:[\w:%\-\u00B7]|\\[_~.\-!$&'()*+,;=/?\#@%]|\.(?=[\w:%\-]))*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass
class QueryInfo:
    form: str | None = None                     # upper-case keyword, None if unrecognised
    has_dataset: bool = False                   # FROM or FROM NAMED present
    services: list[str | None] = field(default_factory=list)   # None: endpoint not a fixed IRI
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None
    mentions_load: bool = False                 # a LOAD operation anywhere in an update

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def loads(self) -> bool:
        return self.form == "LOAD" or self.mentions_load


def _tokens(text: str):
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, match.group()


def inspect(text: str) -> QueryInfo:
    info = QueryInfo()
    lowered = text.lower()
    # Most queries mention none of these words; then the prologue and form are all we need.
    need_all = "service" in lowered or "from" in lowered or "load" in lowered
    tokens = _tokens(text)
    pending: str | None = None            # keyword waiting for its argument
    pending_prefix: str | None = None
    for kind, value in tokens:
        upper = value.upper() if kind == "word" else ""
        if pending == "BASE":
            if kind == "iri":
                info.base = _resolve(_iri_value(value), info.base)
            pending = None
            continue
        if pending == "PREFIX":
            if kind == "pname" and pending_prefix is None:
                pending_prefix = value[:-1] if value.endswith(":") else value.split(":", 1)[0]
                continue
            if kind == "iri" and pending_prefix is not None:
                info.prefixes[pending_prefix] = _resolve(_iri_value(value), info.base)
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
            continue
        if info.form is None and kind == "word":
            info.form = upper
            if not need_all:
                break
            continue
        if upper == "SERVICE":
            pending = "SERVICE"
        elif upper == "FROM":
            info.has_dataset = True
        elif upper == "LOAD":
            info.mentions_load = True
    if pending == "SERVICE":
        info.services.append(None)
    if info.form is not None and info.form not in QUERY_FORMS | UPDATE_FORMS:
        info.form = None
    return info


def _iri_value(token: str) -> str:
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


def _endpoint(kind: str, value: str, info: QueryInfo) -> str | None:
    if kind == "iri":
        return _resolve(_iri_value(value), info.base)
    if kind == "pname":
        prefix, _, local = value.partition(":")
        namespace = info.prefixes.get(prefix)
        if namespace is None:
            return None
        return namespace + _LOCAL_ESCAPE.sub(r"\1", local)
    return None
