"""Reading the RDF a user gives to ``archivekg validate`` or ``POST /validate`` into a store.

Each file's default graph becomes a named graph of its own (named after the file), and named
graphs of TriG, N-Quads and JSON-LD are kept: a graph is the unit of provenance.  Every
problem is a SourceError naming the file and, for syntax errors, the line and column.  Files
are measured before they are read, so an oversized file is refused without being loaded.
"""

from __future__ import annotations

import sys
import xml.parsers.expat
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from archivekg import rdfsafety
from archivekg.errors import SourceError
from archivekg.rdfformats import BY_MEDIA_TYPE, FORMATS, known_extensions, name_for
from archivekg.validation.slices import Unit

MEDIA_TYPES = {media: fmt.name for media, fmt in BY_MEDIA_TYPE.items()}


@dataclass
class Loaded:
    store: ox.Store
    units: list[Unit]
    triples: int


def format_for(path: Path, given: str | None) -> str:
    if given:
        return given
    name = name_for(path)
    if name is None:
        known = known_extensions()
        raise SourceError(f"cannot tell the RDF format from the extension {path.suffix or '(none)'!r}; "
                          f"name the file with one of {known}, or give --input-format", file=str(path))
    return name


def read_files(paths: list[Path], *, input_format: str | None, max_bytes: int) -> Loaded:
    store, units, total = ox.Store(), [], 0
    for path in paths:
        display = str(path)
        fmt = format_for(path, input_format)
        data = _read_limited(path, display, max_bytes)
        graph = Path(path).resolve().as_uri() if display != "-" else "urn:archivekg:input:stdin"
        added, graphs = _parse_into(store, data, fmt, display, graph, base_iri=graph)
        total += added
        units.extend(_units(store, graphs, display, graph))
    return Loaded(store, units, total)


def read_bytes(data: bytes, fmt: str, *, name: str) -> Loaded:
    if not data.strip():
        raise SourceError("the request body is empty: there is no RDF to validate", file=name)
    store = ox.Store()
    graph = "urn:archivekg:input:upload"
    added, graphs = _parse_into(store, data, fmt, name, graph, base_iri=None)
    return Loaded(store, _units(store, graphs, name, graph), added)


def _read_limited(path: Path, display: str, max_bytes: int) -> bytes:
    if display == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SourceError(f"standard input is larger than the limit of {_size(max_bytes)} "
                              "(--max-size)", file="-")
    else:
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise SourceError("is a folder, not an RDF file", file=display)
            if size > max_bytes:
                raise SourceError(f"the file is {_size(size)}, more than the {_size(max_bytes)} that "
                                  "archivekg validate reads at once (--max-size); validate it in parts, "
                                  "or raise the limit if the machine has the memory", file=display)
            with path.open("rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise SourceError("no such file", file=display) from None
        except PermissionError:
            raise SourceError("cannot read the file: permission denied", file=display) from None
        except IsADirectoryError:
            raise SourceError("is a folder, not an RDF file", file=display) from None
        except OSError as exc:
            raise SourceError(f"cannot read the file: {exc.strerror or exc}", file=display) from None
    if not data.strip():
        raise SourceError("the file is empty: there is no RDF to validate", file=display)
    return data


def _parse_into(store: ox.Store, data: bytes, fmt: str, display: str, graph: str, *,
                base_iri: str | None) -> tuple[int, set]:
    rdfsafety.check(data, fmt, file=display)
    default = ox.NamedNode(graph)
    quads, graphs = [], set()
    try:
        for quad in ox.parse(data, format=FORMATS[fmt], base_iri=base_iri):
            name = quad.graph_name
            if isinstance(name, ox.DefaultGraph):
                name = default
            elif isinstance(name, ox.BlankNode):    # a TriG graph labelled _:g keeps its own graph
                name = ox.NamedNode(f"{graph}#graph-{name.value}")
            graphs.add(name.value)
            quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, name))
    except SyntaxError as exc:
        raise _syntax_error(exc, data, fmt, display) from None
    if not quads:
        raise SourceError(f"the file parses as {fmt} but contains no triples: there is nothing to "
                          "validate", file=display)
    store.extend(quads)
    return len(quads), graphs


def _syntax_error(exc: SyntaxError, data: bytes, fmt: str, display: str) -> SourceError:
    message = exc.msg or str(exc)
    line, column = exc.lineno, exc.offset
    if "LoadDocumentCallback" in message:
        message = ("the JSON-LD uses a remote @context, which archivekg validate does not fetch "
                   "from the web; put the context in the file")
    elif fmt == "rdfxml" and line is None:
        line, column = _xml_position(data)
    where = f" (column {column})" if line and column else ""
    return SourceError(f"not valid {fmt}: {message}{where}", file=display, line=line)


def _xml_position(data: bytes) -> tuple[int | None, int | None]:
    """Where an XML parser stops in ``data`` (Oxigraph's RDF/XML errors carry no position)."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    return None, None


def _units(store: ox.Store, graphs: set, display: str, default_graph: str) -> list[Unit]:
    units = []
    for graph in sorted(graphs, key=lambda g: (g != default_graph, g)):
        rows = store.query(
            "SELECT ?g ?d WHERE { GRAPH ?g { ?d a <https://w3id.org/archivekg/ontology#ArchivalDocument> } } LIMIT 1",
            substitutions={ox.Variable("g"): ox.NamedNode(graph)})
        assert isinstance(rows, ox.QuerySolutions)
        document = next((row["d"].value for row in rows), None)
        name = display if graph == default_graph else f"{display} graph <{graph}>"
        units.append(Unit(graph, name, document, display))
    return units


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB"

