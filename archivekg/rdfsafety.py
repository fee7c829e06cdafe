"""Checks that RDF from outside (a partner's file, a POST /validate body, a file given to
`archivekg serve`) can be parsed without taking the machine down, run before any parser
sees it.  Each check is one linear pass.

- RDF/XML: no DTD entity declarations and no external entities (defusedxml).  Oxigraph's
  RDF/XML parser expands internal entities, so a 941-byte "billion laughs" document grew a
  process to 17.9 GB.  RDF/XML has no need of them.
- JSON-LD: nesting bounded.  The JSON-LD parser recurses once per level; 10,000 levels
  (70 KB) overflow its stack and kill the process with no message.  3,000 levels parse on
  an 8 MB stack, so 512 leaves a wide margin and is far beyond any real document.
"""

from __future__ import annotations

import re
import xml.sax
import xml.sax.handler

from defusedxml import DefusedXmlException
from defusedxml import sax as defused_sax

from archivekg.errors import SourceError

MAX_JSON_DEPTH = 512
CHECKED = ("rdfxml", "jsonld")


def check(data: bytes, fmt: str, *, file: str) -> None:
    """Raise SourceError when ``data`` in format ``fmt`` (a rdfformats name) is unsafe to parse."""
    if fmt == "rdfxml":
        _check_xml(data, file)
    elif fmt == "jsonld":
        _check_json_depth(data, file)


def _check_xml(data: bytes, file: str) -> None:
    try:
        defused_sax.parseString(data, xml.sax.handler.ContentHandler(),
                                forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        name = getattr(exc, "name", None)     # EntitiesForbidden and its kin name the entity
        what = f"the entity {name!r}" if name else "an entity or DTD"
        raise SourceError(
            f"the XML declares {what}; RDF/XML needs no entities, and they are refused because "
            "expanding them can exhaust the machine's memory", file=file) from None
    except xml.sax.SAXParseException as exc:
        column = exc.getColumnNumber()
        where = f" (column {column + 1})" if column is not None else ""
        raise SourceError(f"not valid rdfxml: {exc.getMessage()}{where}",
                          file=file, line=exc.getLineNumber()) from None


_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*+"|[\[\]{}]', re.DOTALL)


def _check_json_depth(data: bytes, file: str) -> None:
    depth = 0
    for match in _JSON_TOKENS.finditer(data):
        token = match.group()
        if token in (b"{", b"["):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise SourceError(
                    f"the JSON nests deeper than {MAX_JSON_DEPTH} levels; no JSON-LD document "
                    "needs that, and parsing it could crash the parser",
                    file=file, line=data.count(b"\n", 0, match.start()) + 1)
        elif token in (b"}", b"]"):
            depth -= 1
