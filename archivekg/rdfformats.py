"""The RDF formats archivekg reads from files, by name and by file extension (one table for
`archivekg validate` and `archivekg serve FILE...`)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
}
EXTENSIONS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig",
    ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "rdfxml", ".owl": "rdfxml", ".xml": "rdfxml",
}


def name_for(path: Path) -> str | None:
    """The format's name (a key of FORMATS) for the file's extension; None if unknown."""
    return EXTENSIONS.get(Path(path).suffix.lower())


def known_extensions() -> str:
    return ", ".join(sorted(EXTENSIONS))
