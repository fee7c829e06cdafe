"""Writing a release's dumps from its blocks (blocks.py), and its on-disk store.

Every block is either new (rendered from its triples) or unchanged since the previous release,
whose dumps then hold its body in every format at a place the previous state recorded: it is
copied from there, runs of unchanged blocks at once.  A full build has no previous release,
so every block is new; a rebuild after one changed document renders a few blocks and copies
the rest.  New blocks are rendered by forked workers (release/workers.py ``Ordered``) when
there are enough of them, and given back in order; each dump is written, and its SHA-256
computed, by a thread of its own (hashing, compressing and writing free the GIL).  At 1,000
generated documents the dumps took 13.5 s in one process and 8.3 s with two workers.

The store is the previous release's store (a hard-linked backup) with the change applied,
or, without a previous release, bulk-loaded from the N-Quads dump in a thread.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from archivekg.pipeline.entailment import as_quads
from archivekg.rdfformats import serialized
from archivekg.release import workers
from archivekg.release.blocks import DUMPS, FORMATS, NQUADS, NQUADS_GZ, TRIG, Dump, graph_key, render
from archivekg.release.blocks import openings as make_openings
from archivekg.release.dumps import INDEX
from archivekg.release.state import BlockSpan, GraphLayout

# New blocks are rendered by forked workers (release/workers.py) from this many bytes of
# N-Triples on (a fork and the pickling of the bodies cost more below it: the shipped corpus).
PARALLEL_FROM_BYTES = 16 << 20


@dataclass
class Block:
    key: bytes | None                    # its first subject (blocks of the inferred graph)
    triples: int
    blob: bytes | None = None            # new: its sorted N-Triples
    kept: BlockSpan | None = None        # unchanged: where the previous dumps hold it
    order: int = -1                      # its place in the previous release's sequence of blocks


@dataclass
class Graph:
    graph: str
    blocks: list[Block]
    openings: dict[str, bytes] = field(default_factory=dict)   # the previous release's


@dataclass
class Written:
    layout: list[GraphLayout]
    dumps: dict[str, dict]               # name -> {"bytes": n, "sha256": hex}


class _Output(threading.Thread):
    """One dump: pieces in, bytes out, hashed on the way; the place of each block's body."""

    failure: BaseException | None

    def __init__(self, dump: Dump, path: Path, previous: Path | None):
        super().__init__(name=f"archivekg-{dump.name}", daemon=True)
        self.dump, self.path, self.previous = dump, path, previous
        self.pieces: queue.Queue = queue.Queue(maxsize=256)
        self.spans: dict[int, tuple[int, int]] = {}
        self.size, self.sha256, self.failure = 0, hashlib.sha256(), None

    def run(self) -> None:
        source = view = None
        try:
            if self.previous is not None and self.previous.stat().st_size:
                with self.previous.open("rb") as handle:
                    source = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                view = memoryview(source)
            with self.path.open("wb") as out:
                while (piece := self.pieces.get()) is not None:
                    kind, value, tags = piece
                    data: bytes | memoryview
                    if kind == "copy":
                        assert view is not None, "copies are asked for only from a previous dump"
                        data = view[value[0]:value[1]]
                    elif kind == "render":
                        data = self.dump.finish(value)
                        tags = [(tags[0][0], 0, len(data))]
                    else:
                        data = value
                    for block, start, end in tags:
                        self.spans[block] = (self.size + start, self.size + end)
                    self.sha256.update(data)
                    out.write(data)
                    self.size += len(data)
                    del data
        except BaseException as exc:     # reported by write_dumps
            self.failure = exc
            while self.pieces.get() is not None:
                pass
        finally:
            if view is not None:
                view.release()
            if source is not None:
                source.close()


def write_dumps(folder: Path, graphs: list[Graph], previous: Path | None, prefixes: dict[str, str],
                context: dict) -> Written:
    """Write every dump of ``graphs`` (in order) into ``folder``; kept blocks come from the
    dumps of the ``previous`` release folder.  ``context``: the JSON-LD dump's."""
    new = [(graph.graph, block.blob) for graph in graphs for block in graph.blocks if block.blob is not None]
    parallel = sum(len(blob) for _, blob in new) >= PARALLEL_FROM_BYTES
    with workers.Ordered(lambda i: render(*new[i], prefixes, context), len(new), parallel=parallel) as bodies:
        return _write(folder, graphs, previous, prefixes, context, iter(bodies))


def _write(folder: Path, graphs: list[Graph], previous: Path | None, prefixes: dict[str, str],
           context: dict, bodies) -> Written:
    outputs = {name: _Output(FORMATS[name], folder / name, previous / name if previous else None)
               for name in DUMPS}
    for output in outputs.values():
        output.start()
    openings: dict[str, dict[str, bytes]] = {}
    try:
        for name, output in outputs.items():
            output.pieces.put(("bytes", FORMATS[name].header(prefixes, context), []))
        pending: dict[str, list] = {name: [] for name in DUMPS}     # a run of kept blocks
        number, last = 0, None
        for index, graph in enumerate(graphs):
            rendered = [next(bodies) if block.blob is not None else None for block in graph.blocks]
            opening = graph.openings or make_openings(graph.graph, prefixes)
            openings[graph.graph] = opening
            for position, block in enumerate(graph.blocks):
                for name, output in outputs.items():
                    dump = FORMATS[name]
                    run = pending[name]
                    if block.kept is not None and run and run[-1][0] + 1 == block.order:
                        run.append((block.order, number, block.kept.spans[name]))
                        continue
                    _flush(output, run)
                    if position == 0:
                        before = (dump.close + dump.between if index else b"") + opening[name]
                    else:
                        before = dump.separator
                    if before:
                        output.pieces.put(("bytes", before, []))
                    if block.kept is not None:
                        run.append((block.order, number, block.kept.spans[name]))
                    else:
                        bodies_of_block = rendered[position]
                        assert bodies_of_block is not None, "a block not kept has a blob, rendered"
                        body = bodies_of_block[name]
                        if name == NQUADS_GZ:
                            output.pieces.put(("render", body, [(number, 0, 0)]))
                        else:
                            output.pieces.put(("bytes", body, [(number, 0, len(body))]))
                number += 1
            last = graph
        for name, output in outputs.items():
            _flush(output, pending[name])
            dump = FORMATS[name]
            output.pieces.put(("bytes", (dump.close if last is not None else b"") + dump.footer, []))
    finally:
        for output in outputs.values():
            output.pieces.put(None)
        for output in outputs.values():
            output.join()
    for output in outputs.values():
        if output.failure is not None:
            raise output.failure
    layout, number = [], 0
    for graph in graphs:
        spans = []
        for block in graph.blocks:
            spans.append(BlockSpan(block.key, block.triples,
                                   {name: outputs[name].spans[number] for name in DUMPS}))
            number += 1
        layout.append(GraphLayout(graph.graph, openings[graph.graph], spans))
    return Written(layout, {name: {"bytes": output.size, "sha256": output.sha256.hexdigest()}
                            for name, output in outputs.items()})


def graph_ranges(layout: list[GraphLayout]) -> dict[str, tuple[int, int]]:
    """Where each graph's lines start and end in the N-Quads dump (which has no wrappers)."""
    return {graph.graph: (graph.blocks[0].spans[NQUADS][0], graph.blocks[-1].spans[NQUADS][1])
            for graph in layout if graph.blocks}


def write_store_release(writer, store: ox.Store, prefixes: dict[str, str], context: dict) -> None:
    """Every named graph of ``store`` into the release ``writer`` writes, dumps and on-disk
    store, as a full build writes them (a graph is one block): for releases made of given
    graphs rather than of data/ (tests of publishing)."""
    graphs, counts = [], {}
    for node in sorted(store.named_graphs(), key=lambda g: graph_key(g.value)):
        lines = sorted(serialized(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)).splitlines(keepends=True))
        if lines:
            graphs.append(Graph(node.value, [Block(None, len(lines), blob=b"".join(lines))]))
            counts[node.value] = len(lines)
    written = write_dumps(writer.folder, graphs, None, prefixes, context)
    (writer.folder / INDEX).write_text(json.dumps(written.dumps, indent=2) + "\n", encoding="utf-8")
    writer.graphs, writer.ranges = counts, graph_ranges(written.layout)
    writer.dumps = {name: {"bytes": written.dumps[name]["bytes"]} for name in (NQUADS, TRIG)}
    StoreLoader(writer.folder).wait()


def _flush(output: _Output, run: list) -> None:
    """A run of blocks kept in a row: one copy of the previous dump, wrappers and all."""
    if run:
        start, end = run[0][2][0], run[-1][2][1]
        output.pieces.put(("copy", (start, end), [(n, a - start, b - start) for _, n, (a, b) in run]))
        run.clear()


# ---------------------------------------------------------------------- the store
class StoreLoader:
    """The store bulk-loaded from the release's N-Quads dump, in a thread (Oxigraph frees the
    GIL): the build validates meanwhile."""

    def __init__(self, folder: Path):
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._load, args=(folder,), name="archivekg-store-load",
                                       daemon=True)
        self.thread.start()

    def _load(self, folder: Path) -> None:
        try:
            disk = ox.Store(str(folder / "store"))
            disk.bulk_load(path=str(folder / NQUADS), format=ox.RdfFormat.N_QUADS)
            disk.flush()
            disk.optimize()
            del disk
        except BaseException as exc:  # reported by wait()
            self.failure = exc

    def wait(self) -> None:
        self.thread.join()
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure


def patch_store(previous: ox.Store, folder: Path, graphs: dict[str, bytes], inferred_graph: str,
                added: set[bytes], removed: set[bytes]) -> ox.Store:
    """A hard-linked backup of the previous release's store with the change applied: the
    changed graphs replaced (``graphs``: IRI -> N-Triples, empty for a removed graph) and the
    inferred graph's lines ``added`` and ``removed``.  Returned open."""
    previous.backup(str(folder / "store"))
    store = ox.Store(str(folder / "store"))
    for graph, blob in graphs.items():
        node = ox.NamedNode(graph)
        if store.contains_named_graph(node):
            store.remove_graph(node)
        if blob:
            store.load(as_quads(blob, graph), format=ox.RdfFormat.N_QUADS)
    if removed:
        for quad in ox.parse(as_quads(b"\n".join(removed) + b"\n", inferred_graph), format=ox.RdfFormat.N_QUADS):
            store.remove(quad)
    if added:
        store.load(as_quads(b"\n".join(added) + b"\n", inferred_graph), format=ox.RdfFormat.N_QUADS)
    store.flush()
    return store
