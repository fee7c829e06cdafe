"""The serialisations the endpoint speaks, with their media types and short names.

Tables are in preference order: when a client accepts several formats equally, the
first one wins.  Short names are what ``format=`` takes in hand-typed links.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str                    # stable key, also the canonical ``format=`` value
    media_type: str              # what we send in Content-Type
    aliases: tuple[str, ...]     # other media types a client may ask for
    names: tuple[str, ...]       # other ``format=`` values
    text: bool = True            # add "; charset=utf-8" to Content-Type
    label: str = ""

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type


# SELECT and ASK results.
RESULTS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ("application/json",), ("srj",),
           label="SPARQL Results JSON"),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("srx",),
           label="SPARQL Results XML"),
    Format("csv", "text/csv", (), (), label="SPARQL Results CSV"),
    Format("tsv", "text/tab-separated-values", (), (), label="SPARQL Results TSV"),
)

# CONSTRUCT and DESCRIBE results, and our own descriptions (service description, VoID).
GRAPHS: tuple[Format, ...] = (
    # Turtle is also valid N3, which some clients ask for by that name.
    Format("turtle", "text/turtle", ("application/x-turtle", "application/turtle"), ("ttl", "n3"),
           label="Turtle"),
    Format("jsonld", "application/ld+json", ("application/json", "application/x-json+ld"),
           ("json-ld", "json"), label="JSON-LD"),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"),
           ("rdf", "xml", "owl", "rdf+xml"), label="RDF/XML"),
    Format("ntriples", "application/n-triples", (), ("nt", "n-triples"), label="N-Triples"),
    Format("nquads", "application/n-quads", (), ("nq", "n-quads"), label="N-Quads"),
    Format("trig", "application/trig", (), (), label="TriG"),
)

# W3C format IRIs (https://www.w3.org/ns/formats/) for the service description.
FORMAT_IRIS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
    "trig": "http://www.w3.org/ns/formats/TriG",
}

BY_NAME = {f.name: f for f in RESULTS + GRAPHS}


def lookup(value: str, table: tuple[Format, ...]) -> Format | None:
    """The format of ``table`` that a ``format=`` value names (short name or media type)."""
    value = value.strip().lower()
    for fmt in table:
        if value == fmt.name or value in fmt.names or value in fmt.media_types:
            return fmt
    return None


def known_format_value(value: str) -> bool:
    return lookup(value, RESULTS) is not None or lookup(value, GRAPHS) is not None


def format_values(table: tuple[Format, ...]) -> list[str]:
    return [fmt.name for fmt in table]
