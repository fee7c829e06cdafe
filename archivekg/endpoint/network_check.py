"""Where a query or update would reach the network, read by a full SPARQL parser.

Query workers are sealed off the network (sandbox.py).  The two operations that need it
pass through here first, in the worker, under the time and memory limits:

- a query whose SERVICE endpoints are all allowlisted runs in an unsealed worker, and only
  when this parser and the endpoint's scanner (query_text.py) find the same endpoints;
- an update (token holders, served files only) is applied by the serving process after a
  dry run, and is refused when this parser finds a LOAD or a SERVICE not allowlisted.

rdflib's parser is a second, independent reading: it agrees with Oxigraph on the known
traps (``SERVICE:x``, ``SERVICE SILENT:x``, ``LOAD:x``, escapes, comments, case), and where
the two readings differ or rdflib cannot read the text, the request is refused.  Only the
prologue and the prefixed names are translated: rdflib's full algebra translation recurses
without end on nested SERVICE groups.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field


class Unchecked(Exception):
    """The text could not be read by the checking parser; the caller refuses it."""


@dataclass
class Targets:
    services: list[str | None] = field(default_factory=list)   # None: a variable endpoint
    loads: list[str] = field(default_factory=list)


def _read_service_without_rescan(parser) -> None:
    """rdflib (7.6) builds each SERVICE pattern it reads by searching the whole query text
    again for the pattern's source; when a prefixed name comes before SERVICE that search finds
    nothing and fails (IndexError), so any federated query written with prefixes could not be
    read and was refused.  The source text is only for rdflib's own evaluation, which is never
    run here: build the pattern from what was parsed, as rdflib does for every other one."""
    from rdflib.plugins.sparql.parserutils import CompValue, ParamValue

    pattern = parser.ServiceGraphPattern
    if getattr(pattern, "_archivekg_without_rescan", False):
        return

    def post_parse(instring, loc, tokens):
        value = CompValue(pattern.name)
        for token in tokens:
            if isinstance(token, ParamValue):
                if token.isList:
                    value.setdefault(token.name, []).append(token.tokenList)
                else:
                    value[token.name] = token.tokenList
        return value

    pattern.postParse = post_parse
    pattern._archivekg_without_rescan = True


def targets(text: str, *, update: bool) -> Targets:
    from rdflib.plugins.sparql import algebra, parser
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    _read_service_without_rescan(parser)

    try:
        if update:
            update_tree = parser.parseUpdate(text)
            parts, prologue = [], None
            for declared, request in zip(update_tree.prologue, update_tree.request or [], strict=False):
                prologue = algebra.translatePrologue(declared, None, None, prologue)
                parts.append(algebra.traverse(
                    request, visitPost=functools.partial(algebra.translatePName, prologue=prologue)))
        else:
            tree = parser.parseQuery(text)
            prologue = algebra.translatePrologue(tree[0], None, None)
            parts = [algebra.traverse(
                tree[1], visitPost=functools.partial(algebra.translatePName, prologue=prologue))]
    except RecursionError:
        raise Unchecked("it nests too deeply to be checked") from None
    except Exception as exc:   # pyparsing's ParseException, an undeclared prefix, ...
        raise Unchecked(str(exc).splitlines()[0][:300]) from None

    found = Targets()
    stack: list = list(parts)
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.services.append(str(term) if isinstance(term, URIRef) else None
                                      if isinstance(term, Variable) else str(term))
            elif node.name == "Load":
                found.loads.append(str(node.get("iri")))
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif hasattr(node, "asList") and not isinstance(node, str):
            stack.extend(node.asList())
    return found
