"""The derived dumps of a release: gzip N-Quads, Turtle and JSON-LD beside the build's own
N-Quads and TriG, with their sizes and SHA-256 in ``downloads.json``.

A release never changes, so each file is made once.  The build can call ``write_dumps``
(or run ``python -m archivekg.release.dumps RELEASE MAPPINGS``); until it does, the server runs
that command the first time the files are asked for, in a process of its own (the work
needs memory the serving process should not keep, and it must not run in a process that
forks query workers).  A file lock lets concurrent server processes wait for one another.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

INDEX = "downloads.json"
SOURCE = "dataset.nq"
BUILT = ("dataset.nq", "dataset.trig")                  # written by the build itself
DERIVED = ("dataset.nq.gz", "dataset.ttl", "dataset.jsonld")
GENERATION_TIMEOUT = 1800


def file_digest(path: Path) -> dict:
    """Size and SHA-256 of a file, read in blocks."""
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
            size += len(block)
    return {"bytes": size, "sha256": sha.hexdigest()}


def _replace(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)


def _gzip(source: Path, target: Path) -> None:
    tmp = target.with_name(target.name + ".partial")
    # mtime=0: the same release gives a byte-identical archive, and so the same checksum.
    with source.open("rb") as raw, open(tmp, "wb") as out, \
            gzip.GzipFile(filename=source.name, mode="wb", fileobj=out, mtime=0) as packed:
        shutil.copyfileobj(raw, packed, 1 << 20)
    _replace(tmp, target)


def _turtle(store: ox.Store, target: Path, prefixes: dict) -> None:
    # Turtle has no named graphs: the union of all graphs, each triple once.
    tmp = target.with_name(target.name + ".partial")
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                          use_default_graph_as_union=True)
    ox.serialize(triples, str(tmp), ox.RdfFormat.TURTLE, prefixes=prefixes)
    _replace(tmp, target)


def _jsonld(store: ox.Store, target: Path, mappings_dir: Path) -> None:
    # Compacted with the context the data is written with, as /data/<id>.jsonld is.
    from archivekg import jsonld
    tmp = target.with_name(target.name + ".partial")
    jsonld.write_dump(store, tmp, jsonld.load_context(mappings_dir))
    _replace(tmp, target)


def write_dumps(release: str | os.PathLike, mappings_dir: str | os.PathLike) -> dict:
    """Make the derived dumps of ``release`` (if missing) and return the index of all;
    ``mappings_dir`` holds the JSON-LD context the JSON-LD dump is compacted with."""
    from archivekg.namespaces import PREFIXES
    release = Path(release)
    with open(release / ".downloads.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        index_path = release / INDEX
        if index_path.is_file():
            return json.loads(index_path.read_text(encoding="utf-8"))
        source = release / SOURCE
        _gzip(source, release / "dataset.nq.gz")
        store = ox.Store()
        store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
        _turtle(store, release / "dataset.ttl", PREFIXES)
        _jsonld(store, release / "dataset.jsonld", Path(mappings_dir))
        del store
        index = {name: file_digest(release / name) for name in BUILT + DERIVED if (release / name).is_file()}
        tmp = index_path.with_name(INDEX + ".partial")
        tmp.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
        _replace(tmp, index_path)
        return index


def ensure(release: Path, mappings_dir: str | os.PathLike) -> dict:
    """The index of the release's dumps, made by a separate process when missing."""
    index_path = release / INDEX
    if not index_path.is_file():
        completed = subprocess.run([sys.executable, "-m", __name__, str(release), str(mappings_dir)],
                                   capture_output=True, text=True, timeout=GENERATION_TIMEOUT)
        if completed.returncode != 0:
            raise RuntimeError(completed.stderr.strip().splitlines()[-1] if completed.stderr.strip()
                               else f"exit status {completed.returncode}")
    return json.loads(index_path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m archivekg.release.dumps RELEASE_FOLDER MAPPINGS_FOLDER")
    write_dumps(sys.argv[1], sys.argv[2])
