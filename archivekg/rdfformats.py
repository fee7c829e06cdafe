"""Every RDF and SPARQL-results format archivekg reads or writes, in one table.

Each format has a stable name, its media type and the other media types clients ask for it
by, the short names ``format=`` and the command line take, its file extensions, the W3C
format IRI of service descriptions, and how Oxigraph and rdflib read and write it.  Every
command and route takes its formats from here: a new format is one row.

The tables are in preference order: when a client accepts several formats equally, the
first one wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pyoxigraph as ox

W3C = "http://www.w3.org/ns/formats/"

# Oxigraph reads and writes graphs and query results with two kinds of format object.
OxFormat = TypeVar("OxFormat", bound=ox.RdfFormat | ox.QueryResultsFormat, covariant=True)


@dataclass(frozen=True)
class Format(Generic[OxFormat]):
    name: str                           # stable key, also the canonical ``format=`` value
    media_type: str                     # what we send in Content-Type
    aliases: tuple[str, ...]            # other media types a client may ask for
    names: tuple[str, ...]              # other ``format=`` / ``--format`` values
    label: str
    iri: str                            # https://www.w3.org/ns/formats/
    oxigraph: OxFormat
    extensions: tuple[str, ...] = ()    # file extensions, the canonical one first
    rdflib: str | None = None           # rdflib's parser and serializer name
    datasets: bool = False              # holds named graphs
    text: bool = True                   # add "; charset=utf-8" to Content-Type

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type

    @property
    def extension(self) -> str:
        """The canonical file extension, without the dot ("ttl")."""
        return self.extensions[0].lstrip(".")


# SELECT and ASK results.
RESULTS: tuple[Format[ox.QueryResultsFormat], ...] = (
    Format("json", "application/sparql-results+json", ("application/json",), ("srj",),
           "SPARQL Results JSON", W3C + "SPARQL_Results_JSON", ox.QueryResultsFormat.JSON, (".srj",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("srx",),
           "SPARQL Results XML", W3C + "SPARQL_Results_XML", ox.QueryResultsFormat.XML, (".srx",)),
    Format("csv", "text/csv", (), (), "SPARQL Results CSV", W3C + "SPARQL_Results_CSV",
           ox.QueryResultsFormat.CSV, (".csv",)),
    Format("tsv", "text/tab-separated-values", (), (), "SPARQL Results TSV",
           W3C + "SPARQL_Results_TSV", ox.QueryResultsFormat.TSV, (".tsv",)),
)

# RDF: CONSTRUCT and DESCRIBE results, documents, dumps, files to serve or validate.
GRAPHS: tuple[Format[ox.RdfFormat], ...] = (
    # Turtle is also valid N3, which some clients ask for by that name.
    Format("turtle", "text/turtle", ("application/x-turtle", "application/turtle"), ("ttl", "n3"),
           "Turtle", W3C + "Turtle", ox.RdfFormat.TURTLE, (".ttl", ".turtle"), "turtle"),
    Format("jsonld", "application/ld+json", ("application/json", "application/x-json+ld"),
           ("json-ld", "json"), "JSON-LD", W3C + "JSON-LD", ox.RdfFormat.JSON_LD,
           (".jsonld", ".json"), "json-ld", datasets=True),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"),
           ("rdf", "xml", "owl", "rdf+xml"), "RDF/XML", W3C + "RDF_XML", ox.RdfFormat.RDF_XML,
           (".rdf", ".owl", ".xml"), "xml"),
    Format("ntriples", "application/n-triples", (), ("nt", "n-triples"), "N-Triples",
           W3C + "N-Triples", ox.RdfFormat.N_TRIPLES, (".nt",), "nt"),
    Format("nquads", "application/n-quads", (), ("nq", "n-quads"), "N-Quads", W3C + "N-Quads",
           ox.RdfFormat.N_QUADS, (".nq",), "nquads", datasets=True),
    Format("trig", "application/trig", (), (), "TriG", W3C + "TriG", ox.RdfFormat.TRIG,
           (".trig",), "trig", datasets=True),
)

AnyFormat = Format[ox.RdfFormat | ox.QueryResultsFormat]
ALL: tuple[AnyFormat, ...] = (*RESULTS, *GRAPHS)

BY_NAME: dict[str, AnyFormat] = {f.name: f for f in ALL}
# What a file's extension says it holds (RDF only: result files are never read).
BY_EXTENSION: dict[str, Format[ox.RdfFormat]] = {ext: f for f in GRAPHS for ext in f.extensions}
# Media types a request body of RDF may be sent as (the first format that claims one wins).
BY_MEDIA_TYPE: dict[str, Format[ox.RdfFormat]] = {}
for _fmt in GRAPHS:
    for _media in _fmt.media_types:
        if _media not in ("application/json", "application/xml", "text/xml"):
            BY_MEDIA_TYPE.setdefault(_media, _fmt)
del _fmt, _media
FORMAT_IRIS = {f.name: f.iri for f in ALL}


def lookup(value: str, table: tuple[Format[OxFormat], ...]) -> Format[OxFormat] | None:
    """The format of ``table`` that a ``format=`` value names (short name or media type)."""
    value = value.strip().lower()
    for fmt in table:
        if value == fmt.name or value in fmt.names or value in fmt.media_types:
            return fmt
    return None


def known_format_value(value: str) -> bool:
    return lookup(value, RESULTS) is not None or lookup(value, GRAPHS) is not None


def format_values(table: tuple[AnyFormat, ...]) -> list[str]:
    return [fmt.name for fmt in table]


def for_path(path: str | Path) -> Format[ox.RdfFormat] | None:
    """The RDF format a file's extension names; None if unknown."""
    return BY_EXTENSION.get(Path(path).suffix.lower())


def name_for(path: str | Path) -> str | None:
    """The format's name for the file's extension; None if unknown."""
    fmt = for_path(path)
    return fmt.name if fmt else None


def known_extensions() -> str:
    return ", ".join(sorted(BY_EXTENSION))


def serialized(data: bytes | None) -> bytes:
    """What an Oxigraph serializer (``serialize``, ``Store.dump``) called without an output
    returned: the bytes.  Its signature says ``bytes | None`` because, given an output, it
    writes there and returns None."""
    if data is None:
        raise TypeError("an Oxigraph serializer called without an output returned None")
    return data


# By name, for the readers and writers that take Oxigraph's format objects.
FORMATS: dict[str, ox.RdfFormat] = {f.name: f.oxigraph for f in GRAPHS}
