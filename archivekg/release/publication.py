"""What is published in an external store, said by the store itself.

Beside our graphs, the store holds one small graph of ours, ``<BASE_IRI>publication``: a few
descriptive triples (release, version, date, licence, size) and one JSON literal with the
SHA-256 of every published graph and the counts the service description shows.  `archivekg
publish` reads it to send only the graphs whose digest changed and replaces it in the same
atomic switch as the graphs; `archivekg serve --store` reads it to describe the dataset.

A graph's digest is the SHA-256 of its lines in the release's ``dataset.nq`` (sorted N-Quads,
byte-identical between builds), found by the ranges the build records in ``graphs.json``.
The digests are computed by the first publish of a release and kept in ``digests.json`` beside
it (a release never changes), which costs a build nothing.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from archivekg.errors import ArchiveKGError
from archivekg.rdfformats import serialized
from archivekg.release.writer import NQUADS, RANGES

DIGESTS = "digests.json"
STATE = "urn:archivekg:publication#state"          # the JSON literal's property
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"
STAGING = "urn:archivekg:staging:"


class ReleaseUnreadable(ArchiveKGError):
    """The release to publish lacks what publishing needs."""

    exit_code = 2


class RecordUnreadable(ArchiveKGError):
    """The store holds a publication record we cannot read."""

    exit_code = 3


@dataclass(frozen=True)
class Part:
    """One graph of a release: its lines in dataset.nq and their digest."""
    iri: str
    start: int
    end: int
    triples: int
    sha256: str


def record_iri(base_iri: str) -> str:
    return f"{base_iri}publication"


def staging_prefix(base_iri: str) -> str:
    """Where a publish of this dataset stages its graphs before the switch."""
    return f"{STAGING}{hashlib.sha256(base_iri.encode()).hexdigest()[:12]}:"


def release_parts(release: Path, manifest: dict[str, Any]) -> dict[str, Part]:
    """Every graph of ``release`` with its byte range and digest (computed once, then kept)."""
    try:
        ranges = json.loads((release / RANGES).read_text(encoding="utf-8"))["graphs"]
    except FileNotFoundError:
        raise ReleaseUnreadable(f"{release}: no {RANGES} (the release was built by an older "
                                "archivekg): run `archivekg build` again before publishing") from None
    except (OSError, ValueError, KeyError) as exc:
        raise ReleaseUnreadable(f"{release / RANGES}: cannot be read: {exc}") from None
    digests = _digests(release, ranges)
    counts = manifest["graphs"]
    if set(counts) != set(ranges):
        raise ReleaseUnreadable(f"{release}: manifest.json and {RANGES} list different graphs")
    return {iri: Part(iri, ranges[iri][0], ranges[iri][1], int(counts[iri]), digests[iri])
            for iri in sorted(ranges)}


def _digests(release: Path, ranges: dict[str, list[int]]) -> dict[str, str]:
    path = release / DIGESTS
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
        if set(known) == set(ranges):
            return known
    except (OSError, ValueError):
        pass
    digests = {}
    with (release / NQUADS).open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        try:
            for iri, (start, end) in sorted(ranges.items(), key=lambda item: item[1][0]):
                if end > size:
                    raise ReleaseUnreadable(f"{release / NQUADS}: shorter than {RANGES} says")
                digests[iri] = hashlib.sha256(data[start:end]).hexdigest()
        finally:
            if isinstance(data, mmap.mmap):
                data.close()
    tmp = path.with_name(f".{DIGESTS}.{os.getpid()}")
    try:
        tmp.write_text(json.dumps(digests, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)    # a read-only release: computed again next time
    return digests


def record_ntriples(base_iri: str, state: dict[str, Any]) -> bytes:
    """The record graph as N-Triples."""
    subject = ox.NamedNode(record_iri(base_iri))
    triples = [
        ox.Triple(subject, ox.NamedNode(DCT + "identifier"), ox.Literal(state["release"])),
        ox.Triple(subject, ox.NamedNode(DCT + "modified"), ox.Literal(state["built"])),
        ox.Triple(subject, ox.NamedNode(VOID + "triples"),
                  ox.Literal(str(state["triples"]), datatype=ox.NamedNode(XSD + "integer"))),
        ox.Triple(subject, ox.NamedNode(STATE),
                  ox.Literal(json.dumps(state, sort_keys=True, ensure_ascii=False),
                             datatype=ox.NamedNode(RDF_JSON))),
    ]
    if state.get("license"):
        triples.append(ox.Triple(subject, ox.NamedNode(DCT + "license"), ox.NamedNode(state["license"])))
    return serialized(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


def record_query(base_iri: str) -> str:
    """A query for the record's JSON literal (one row, or none when nothing is published)."""
    record = record_iri(base_iri)
    return f"SELECT ?state WHERE {{ GRAPH <{record}> {{ <{record}> <{STATE}> ?state }} }}"


def parse_state(text: str, *, where: str) -> dict[str, Any]:
    try:
        state = json.loads(text)
        if not isinstance(state, dict) or not isinstance(state.get("graphs"), dict):
            raise ValueError("it has no 'graphs'")
        return state
    except ValueError as exc:
        raise RecordUnreadable(f"{where}: the publication record of the store cannot be read ({exc}); "
                                "publish again to replace it") from None
