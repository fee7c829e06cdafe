"""JSON-LD that people can use: compacted with our context, one node object per resource,
named graphs as ``@graph``, and the context referred to by its URL.

The context is the one the data is written with (``mappings/context.jsonld``): its terms are
our ontology's (``name``, ``movedFrom``, ``date``), with the prefixes of the standard
vocabularies for the rest (``crm:``, ``schema:``, ``prov:``).  It is served at a stable URL
(``<BASE>context.jsonld``), so a document names it instead of repeating it.

PyLD (the JSON-LD API's reference implementation for Python) does the compaction: rdflib's
serializer puts an untagged string under a term whose context gives a default language, so the
string comes back tagged when the document is expanded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyld import jsonld as pyld

CONTEXT_FILE = "context.jsonld"


def load_context(mappings_dir: str | Path) -> dict:
    """The ``@context`` object of ``mappings/context.jsonld``."""
    document = json.loads((Path(mappings_dir) / CONTEXT_FILE).read_text(encoding="utf-8"))
    return document["@context"]


def compact(quads: Iterable[ox.Quad], context: dict, context_url: str) -> bytes:
    """The quads as compacted JSON-LD; quads in the default graph are top-level nodes, those of
    a named graph are the ``@graph`` of a node named after the graph."""
    nquads = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS).decode("utf-8")
    expanded = pyld.from_rdf(nquads, {"format": "application/n-quads"})
    document = pyld.compact(expanded, {"@context": context})
    document["@context"] = context_url
    if "@graph" not in document:     # a single node: keep one shape for every document
        node = {k: v for k, v in document.items() if k != "@context"}
        document = {"@context": context_url, "@graph": [node] if node else []}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _rdf_term(term) -> dict:
    """A pyoxigraph term as PyLD's RDF dataset object has it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": "_:" + term.value}
    found = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if term.language:
        found["language"] = term.language
    return found


def _nodes(quads: list[ox.Quad], context: dict) -> list[dict]:
    """The node objects of some quads' triples, compacted with ``context``.  PyLD is given the
    RDF dataset as objects: its N-Quads reader removes duplicates by comparing every triple
    with every other (quadratic), and a store has none."""
    quads = sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
    dataset = {"@default": [{"subject": _rdf_term(q.subject), "predicate": _rdf_term(q.predicate),
                             "object": _rdf_term(q.object)} for q in quads]}
    expanded = pyld.from_rdf(dataset, {})
    document = pyld.compact(expanded, {"@context": context}, {"skipExpansion": True})
    nodes = document.get("@graph")
    if nodes is None:
        node = {k: v for k, v in document.items() if k != "@context"}
        nodes = [node] if node else []
    return sorted(nodes, key=lambda node: str(node.get("id", node.get("@id", ""))))


def node_objects(triples: bytes, context: dict) -> list[dict]:
    """The node objects of some distinct triples (N-Triples), compacted with ``context``, in a
    fixed order: the body of a graph (or of a run of its subjects) in the JSON-LD dump the
    build assembles from blocks (release/blocks.py)."""
    return _nodes(list(ox.parse(triples, format=ox.RdfFormat.N_TRIPLES)), context)


def expand_with(document: bytes | str, context: dict, context_url: str) -> rdflib.Dataset:
    """A compacted document read back, its context URL resolved to ``context`` (no fetch)."""
    data = json.loads(document)
    if data.get("@context") == context_url:
        data["@context"] = context
    dataset = rdflib.Dataset()
    dataset.parse(data=json.dumps(data), format="json-ld")
    return dataset
