"""JSON-LD that people can use: compacted with our context, one node object per resource,
named graphs as ``@graph``, and the context referred to by its URL.

The context is the one the data is written with (``mappings/context.jsonld``): its terms are
our ontology's (``name``, ``movedFrom``, ``date``), with the prefixes of the standard
vocabularies for the rest (``crm:``, ``schema:``, ``prov:``).  It is served at a stable URL
(``<BASE>context.jsonld``), so a document names it instead of repeating it.

PyLD (the JSON-LD API's reference implementation for Python) does the compaction: rdflib's
serializer puts an untagged string under a term whose context gives a default language, so the
string comes back tagged when the document is expanded.  Its IRI compaction looks for the
shortest compact IRI by trying every term of the context on every IRI, three quarters of the
time of a dump; ``_Processor`` remembers its answers (tests/test_jsonld.py compares it with
PyLD's own on the shipped corpus).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyld import jsonld as pyld

from archivekg.rdfformats import serialized

CONTEXT_FILE = "context.jsonld"
MEMO_LIMIT = 1_000_000       # entries, then the memo starts again (a few hundred MB at most)

# The keys a value may have for the compacted IRI to depend on nothing but the value's kind,
# language, direction, datatype and node IRI (not on the lexical form): what PyLD's
# _compact_iri and _select_term read of a value.  Anything else (lists, @index, graphs) is
# asked of PyLD every time.
_PLAIN = frozenset({"@value", "@language", "@type", "@direction"})


def _signature(value) -> tuple | None:
    if value is None:
        return ()
    if not isinstance(value, dict):
        return None
    if "@id" in value:
        return ("@id", value["@id"]) if len(value) == 1 and isinstance(value["@id"], str) else None
    if "@value" not in value or not value.keys() <= _PLAIN:
        return None
    return tuple(sorted((k, v) for k, v in value.items() if k != "@value" and isinstance(v, str))) \
        + (("@value", len(value)),)


class _Processor(pyld.JsonLdProcessor):
    """PyLD's processor with its IRI compaction remembered, per processed context (PyLD names
    each by a ``_uuid`` and keeps it for the same context: its inverse-context cache relies on
    that too).  The answer is a pure function of what the key holds."""

    memo: dict = {}

    def _compact_iri(self, active_ctx, iri, value=None, vocab=False, base=None, reverse=False):
        signature = _signature(value)
        uuid = active_ctx.get("_uuid")
        if signature is None or uuid is None or not isinstance(base, str | None):
            return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        key = (uuid, iri, signature, vocab, base, reverse)
        found = self.memo.get(key, self)
        if found is self:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            found = self.memo[key] = super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        return found


def load_context(mappings_dir: str | Path) -> dict:
    """The ``@context`` object of ``mappings/context.jsonld``."""
    document = json.loads((Path(mappings_dir) / CONTEXT_FILE).read_text(encoding="utf-8"))
    return document["@context"]


def compact(quads: Iterable[ox.Quad], context: dict, context_url: str) -> bytes:
    """The quads as compacted JSON-LD; quads in the default graph are top-level nodes, those of
    a named graph are the ``@graph`` of a node named after the graph."""
    nquads = serialized(ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)).decode("utf-8")
    processor = _Processor()
    expanded = processor.from_rdf(nquads, {"format": "application/n-quads"})
    document = processor.compact(expanded, {"@context": context}, {})
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
    processor = _Processor()
    expanded = processor.from_rdf(dataset, {})
    document = processor.compact(expanded, {"@context": context}, {"skipExpansion": True})
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
