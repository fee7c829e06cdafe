"""Writing a release folder: the dumps, the on-disk store and the manifest (see store.py).

Everything is written under a temporary name and renamed when complete.  The N-Quads dump is
made first, from the build's in-memory store; the TriG dump and the on-disk store are made
from that file by Oxigraph itself, with no Python object per quad (for a million quads those
objects cost more time and memory than all the rest).  The on-disk store is bulk-loaded in a
thread, which Oxigraph runs without the GIL: the build validates meanwhile.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from archivekg import __version__
from archivekg.release.store import RELEASES, WRITER_LOCK, lock_partial, remove_abandoned_partials

NQUADS, TRIG = "dataset.nq", "dataset.trig"
# Where each graph's lines are in dataset.nq: `archivekg publish` sends graphs from there.
RANGES = "graphs.json"


class ReleaseWriter:
    def __init__(self, build_dir: Path):
        releases = Path(build_dir) / RELEASES
        releases.mkdir(parents=True, exist_ok=True)
        remove_abandoned_partials(releases)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.folder = releases / f".partial-{stamp}-{os.getpid()}"
        self.final = releases / stamp
        self.folder.mkdir()
        self._lock = lock_partial(self.folder)
        self.graphs: dict[str, int] = {}
        self.offsets: dict[str, tuple[int, int]] = {}
        self.dumps: dict[str, dict] = {}
        self._loader: threading.Thread | None = None
        self._failure: BaseException | None = None

    def write_dumps(self, store: ox.Store, prefixes: dict[str, str]) -> None:
        self.graphs, self.offsets, self.dumps[NQUADS] = write_nquads(store, self.folder / NQUADS)
        ox.serialize(ox.parse(path=str(self.folder / NQUADS), format=ox.RdfFormat.N_QUADS),
                     str(self.folder / TRIG), ox.RdfFormat.TRIG, prefixes=prefixes)
        self.dumps[TRIG] = {"bytes": (self.folder / TRIG).stat().st_size}

    def load_store(self) -> None:
        """Bulk-load the on-disk store from the N-Quads dump, in a thread (see ``finish``)."""
        def load():
            try:
                disk = ox.Store(str(self.folder / "store"))
                disk.bulk_load(path=str(self.folder / NQUADS), format=ox.RdfFormat.N_QUADS)
                disk.flush()
                disk.optimize()
                del disk
            except BaseException as exc:  # reported by finish()
                self._failure = exc
        self._loader = threading.Thread(target=load, name="archivekg-store-load", daemon=True)
        self._loader.start()

    def finish(self, base: str, license_iri: str) -> Path:
        """Wait for the store, write the manifest, and give the release its final name."""
        self._wait()
        manifest = {"version": __version__, "base_iri": base,
                    "built": datetime.now(UTC).isoformat(timespec="seconds"),
                    "triples": sum(self.graphs.values()), "graphs": dict(sorted(self.graphs.items())),
                    "dumps": self.dumps, "license": license_iri}
        (self.folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                                   encoding="utf-8")
        ranges = {"source": NQUADS, "graphs": {iri: list(self.offsets[iri]) for iri in sorted(self.offsets)}}
        (self.folder / RANGES).write_text(json.dumps(ranges) + "\n", encoding="utf-8")
        (self.folder / WRITER_LOCK).unlink()
        os.replace(self.folder, self.final)
        self._unlock()
        return self.final

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def abort(self) -> None:
        try:
            self._wait()
        except BaseException:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
        self._unlock()

    def _wait(self) -> None:
        if self._loader is not None:
            self._loader.join()
            self._loader = None
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure


def write_nquads(store: ox.Store, path: Path):
    """The dataset as N-Quads sorted by (graph, subject, predicate, object) term by term.

    One graph at a time: its N-Triples lines sorted as bytes are in (subject, predicate,
    object) order (terms are separated by a space, which sorts before any character that can
    continue a term, and UTF-8 sorts as code points), and the graph is added to every line by
    one replace (a line's only " .\\n" is its end: N-Triples escapes line breaks).  Returns
    the triples of each graph, where each graph's lines start and end, and the file's size.
    """
    graphs: dict[str, int] = {}
    offsets: dict[str, tuple[int, int]] = {}
    size = 0
    with path.open("wb") as out:
        for graph in sorted(store.named_graphs(), key=str):
            chunk, count = graph_chunk(store, graph)
            if not count:
                continue
            out.write(chunk)
            graphs[graph.value] = count
            offsets[graph.value] = (size, size + len(chunk))
            size += len(chunk)
    return graphs, offsets, {"bytes": size}


def graph_chunk(store: ox.Store, graph: ox.NamedNode, name: ox.NamedNode | None = None) -> tuple[bytes, int]:
    """One graph's sorted N-Quads lines (written with ``name`` as the graph if given)."""
    lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).split(b"\n")
    lines.pop()   # after the last line break
    if not lines:
        return b"", 0
    lines.sort()
    lines.append(b"")
    count = len(lines) - 1
    text = b"\n".join(lines)
    del lines     # the largest graph holds half the dataset: one copy at a time
    return text.replace(b" .\n", f" {name or graph} .\n".encode()), count
