"""The dumps of a release and the blocks they are made of.

Every dump the download page offers is written by the build: N-Quads (``dataset.nq``, sorted
by graph, then subject, predicate and object, byte for byte the same for the same data), TriG,
N-Quads compressed with gzip, Turtle (the union of the graphs: a triple two graphs hold
appears twice, which a Turtle reader reads as one) and JSON-LD (compacted with our context,
one object per named graph holding its node objects: archivekg/jsonld.py).

Each dump is a header, then for each graph (in the order of the N-Quads) an opening, its
blocks' bodies and a closing, then a footer.  A block is a run of one graph's sorted
triples: a whole document graph, the registries', the ontology's, or a run of subjects of
the large inferred graph, cut where a subject's hash says (``cut``), so that a change moves
only the blocks it touches.  Each body is rendered from the block's triples alone, and is
the very bytes the whole dataset's serialization holds there: a release is written from the
bodies of the previous release that did not change (release/assemble.py), and ``gzip``
members concatenate into one valid ``.gz`` file.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass

import pyoxigraph as ox

from archivekg import jsonld
from archivekg.pipeline.entailment import as_quads
from archivekg.rdfformats import serialized

NQUADS, TRIG, NQUADS_GZ, TURTLE, JSONLD = "dataset.nq", "dataset.trig", "dataset.nq.gz", "dataset.ttl", "dataset.jsonld"
DUMPS = (NQUADS, TRIG, NQUADS_GZ, TURTLE, JSONLD)      # in the order downloads.json lists them
CUT_ONE_IN = 64          # a block of the inferred graph starts at one subject in this many
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Dump:
    name: str
    separator: bytes = b""          # between two blocks of a graph
    close: bytes = b""              # after a graph's blocks
    between: bytes = b""            # between two graphs
    footer: bytes = b""

    def header(self, prefixes: dict[str, str], context: dict) -> bytes:
        if self.name in (TRIG, TURTLE):
            return prefix_lines(prefixes)
        if self.name == JSONLD:       # the context inline: a dump is read offline
            return ('{"@context": ' + json.dumps(context, ensure_ascii=False) + ',\n "@graph": [').encode()
        return b""

    def finish(self, body: bytes) -> bytes:
        """What is written of a rendered body: a gzip member of the N-Quads for the .gz dump
        (run in the writing thread: zlib frees the GIL)."""
        if self.name != NQUADS_GZ:
            return body
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)     # 31: a gzip member, mtime 0
        return packer.compress(body) + packer.flush()


def render(graph: str, triples: bytes, prefixes: dict[str, str], context: dict) -> dict[str, bytes]:
    """A block's body in every dump (the gzip member is made by ``Dump.finish``), from its
    sorted N-Triples, parsed once.  TriG's body is Turtle's, indented inside its graph: what
    Oxigraph writes (a test compares the two on the shipped corpus).  JSON-LD's is the block's
    node objects, compacted with ``context`` and sorted by their ids (archivekg/jsonld.py)."""
    parsed = list(ox.parse(triples, format=ox.RdfFormat.N_TRIPLES))
    turtle = _after_prefixes(serialized(ox.serialize(parsed, None, ox.RdfFormat.TURTLE, prefixes=prefixes)))
    nodes = jsonld.node_objects(triples, context)
    quads = as_quads(triples, graph)
    return {NQUADS: quads, NQUADS_GZ: quads, TURTLE: turtle,
            JSONLD: ", ".join(json.dumps(node, ensure_ascii=False) for node in nodes).encode("utf-8"),
            TRIG: b"\t" + turtle[:-1].replace(b"\n", b"\n\t") + b"\n"}


def openings(graph: str, prefixes: dict[str, str]) -> dict[str, bytes]:
    """How each dump opens a graph (TriG may write its name with a prefix)."""
    quad = [ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.NamedNode(graph))]
    trig = _after_prefixes(serialized(ox.serialize(quad, None, ox.RdfFormat.TRIG, prefixes=prefixes)))
    found = {name: b"" for name in DUMPS}
    found[TRIG] = trig[:trig.index(b"\n") + 1]
    found[JSONLD] = ('\n  {"@id": ' + json.dumps(graph, ensure_ascii=False) + ', "@graph": [').encode("utf-8")
    return found


FORMATS = {
    NQUADS: Dump(NQUADS),
    TRIG: Dump(TRIG, close=b"}\n"),
    NQUADS_GZ: Dump(NQUADS_GZ),
    TURTLE: Dump(TURTLE),
    JSONLD: Dump(JSONLD, separator=b", ", close=b"]}", between=b",", footer=b"\n]}\n"),
}


def prefix_lines(prefixes: dict[str, str]) -> bytes:
    """The @prefix lines Oxigraph writes at the head of a TriG or Turtle file."""
    text = serialized(ox.serialize([ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.NamedNode("urn:x"))],
                                   None, ox.RdfFormat.TURTLE, prefixes=prefixes))
    return text[:len(text) - len(_after_prefixes(text))]


def _after_prefixes(text: bytes) -> bytes:
    at = 0
    while text.startswith(b"@prefix", at):
        at = text.index(b"\n", at) + 1
    return text[at:]


def graph_key(iri: str) -> bytes:
    """The order of the graphs in the dumps: their IRIs as N-Quads writes them."""
    return f"<{iri}>".encode()


def subject_of(line: bytes) -> bytes:
    return line[:line.index(b" ")]


def starts_block(subject: bytes) -> bool:
    digest = hashlib.blake2b(subject, digest_size=8).digest()
    return int.from_bytes(digest, "big") % CUT_ONE_IN == 0


def cut(lines: list[bytes]) -> list[list[bytes]]:
    """Sorted lines as blocks: a block starts at the first line, and at every subject that
    ``starts_block`` (a pure function of the subject, so a change moves only the blocks
    around it)."""
    blocks: list[list[bytes]] = []
    previous = None
    for line in lines:
        subject = subject_of(line)
        if not blocks or (subject != previous and starts_block(subject)):
            blocks.append([])
        blocks[-1].append(line)
        previous = subject
    return blocks
