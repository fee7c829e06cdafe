"""The build: data/ → checked JSON-LD → named graphs → entailments → SHACL → store and dumps.

One path for every build.  The parts whose files changed since the served release are read
and checked, and their graphs and entailments taken from the cache or made (parts.py); the
entailments over the union of the graphs follow (pipeline/entailment.py), then the inferred
graph (inferred.py).  The release is assembled from blocks (blocks.py): those of the parts
that did not change are copied from the served release's dumps, the others rendered
(assemble.py).  A full build is the case where everything changed: no state, or
``incremental=False``, which also leaves the cache unread.

The new release is written in a folder of its own, which replaces ``BUILD_DIR/current`` only
when every step succeeded: a failed build changes nothing that is served.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import mmap
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from archivekg.jsonld import load_context
from archivekg.namespaces import INFERRED, LICENSE, ONTOLOGY, PREFIXES, graph_iri
from archivekg.pipeline import reasoning, rules
from archivekg.pipeline.entailment import Entailer, as_quads, blob_of, lines_of
from archivekg.pipeline.ingest import Ingest
from archivekg.rdfformats import serialized
from archivekg.release import parts as parts_module
from archivekg.release import state as states
from archivekg.release.assemble import Block, Graph, StoreLoader, graph_ranges, patch_store, write_dumps
from archivekg.release.blocks import NQUADS, TRIG, cut, graph_key, starts_block, subject_of
from archivekg.release.dumps import INDEX
from archivekg.release.inferred import inferred_change
from archivekg.release.search import write_search_index
from archivekg.release.store import RELEASES, current_release, remove_if_unused, switch_current
from archivekg.release.writer import ReleaseWriter

KEEP_RELEASES = 3
VALIDATION = "validation.pickle"


@dataclass
class BuildResult:
    release: Path
    triples: int
    graphs: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    validation: object = None


class Progress:
    """Step lines with their duration on stderr; quiet when asked."""

    def __init__(self, echo: Callable[[str], None] | None):
        self.echo = echo
        self.timings: dict[str, float] = {}

    def step(self, name: str):
        progress = self

        class _Step:
            def __enter__(self):
                self.start = time.perf_counter()
                return self

            def __exit__(self, *exc):
                elapsed = time.perf_counter() - self.start
                progress.timings[name] = elapsed
                if progress.echo and exc[0] is None:
                    progress.echo(f"  {name:<34} {elapsed:7.2f} s")
        return _Step()


def build(settings: dict, *, echo: Callable[[str], None] | None = None,
          validate: bool = True, incremental: bool = True) -> BuildResult:
    """Build the release of DATA_DIR, redoing what changed since the served release (all of
    it the first time, or with ``incremental=False``); the release is the same, byte for byte,
    whatever was redone."""
    progress = Progress(echo)
    base = settings["BASE_IRI"]
    build_dir, data_dir = Path(settings["BUILD_DIR"]), Path(settings["DATA_DIR"])
    mappings = Path(settings["MAPPINGS_DIR"])
    ontology = reasoning.ontology_files(Path(settings["ONTOLOGY_DIR"]))
    # Hashed before anything is read: a file changed during the build is seen as changed next time.
    with progress.step("find what changed"):
        fingerprint = states.fingerprint(settings)
        state = states.load(build_dir, settings) if incremental else None
        files = states.scan(data_dir, state.files if state else None)
        change = states.changes(state, files)
    ingest = Ingest(data_dir, mappings, ontology, base)
    with progress.step(_reading(change)):
        corpus = parts_module.read(ingest, state, change, data_dir)
    with progress.step("close the ontology (owlrl)"):
        entailer = Entailer(rules.load(mappings), reasoning.tbox_axioms(ontology, build_dir / "cache"))

    previous = current_release(build_dir) if state is not None else None
    previous_store = ox.Store.read_only(str(previous / "store")) if previous is not None else None
    cache = parts_module.Cache(build_dir)
    made = parts_module.make(ingest, corpus, state, change, entailer, cache, fingerprint, mappings,
                             previous_store, progress, use_cache=incremental)
    inferred_iri = graph_iri(base, INFERRED)
    with progress.step("entail over the union"):
        projection_moved = state is None or any(
            made.parts.get(g) is None or state.parts.get(g) is None
            or made.parts[g].projection != state.parts[g].projection for g in made.entailed)
        union = entailer.close_union(blob_of({line for part in made.parts.values()
                                               for line in lines_of(part.projection)})) \
            if projection_moved or state is None else state.union
    ontology_iri = graph_iri(base, ONTOLOGY)
    ontology_blob = _ontology(ontology, ontology_iri)
    with progress.step("the inferred graph"):
        # An entailment the ontology states as written is not repeated in the inferred graph:
        # no triple is stated in two graphs (docs/graph-model.md, "Each triple once").
        inferred = inferred_change(
            entailed=made.entailed, entailed_before=made.entailed_before, graphs=made.graphs,
            graphs_before=made.before, union=union, union_before=state.union if state else b"",
            shared=state.shared if state else {}, previous=previous_store, inferred_graph=inferred_iri,
            not_data=frozenset({ontology_iri}), also_asserted=frozenset(lines_of(ontology_blob)))

    report, loader, store = None, None, None
    writer = ReleaseWriter(build_dir)
    try:
        with progress.step("write the dumps"):
            graphs, counts = _plan(state, made, inferred, base, ontology_blob, previous)
            written = write_dumps(writer.folder, graphs, previous, PREFIXES, load_context(mappings))
            (writer.folder / INDEX).write_text(json.dumps(written.dumps, indent=2) + "\n", encoding="utf-8")
            del graphs
            made.entailed = made.entailed_before = {}      # what is left needs memory less than validation
            if previous_store is None:
                made.graphs = made.before = {}
                inferred.added = set()
        if previous_store is not None:
            with progress.step("write the store from the previous one"):
                store = patch_store(previous_store, writer.folder, made.graphs, inferred_iri,
                                    inferred.added, inferred.removed)
        else:
            loader = StoreLoader(writer.folder)
        if validate:
            with progress.step("validate (SHACL)"):
                report = _validate(settings, state, previous, made, inferred, store, writer.folder,
                                   change, counts)
                report.raise_for_violations()
        if loader is not None:
            with progress.step("write the on-disk store (rest)"):
                loader.wait()
            store = ox.Store(str(writer.folder / "store"))
        # The index of the previous release, with the hits of the changed documents made again,
        # unless the registries changed too (every document's hits name their entities).
        partly = previous is not None and not change.everything and not change.registries
        with progress.step("search index (changed documents)" if partly else "search index"):
            write_search_index(store, writer.folder, settings, previous=previous if partly else None,
                               changed_graphs=set(made.graphs) if partly else None)
        del store
        with progress.step("write the manifest"):
            writer.graphs, writer.ranges = counts, graph_ranges(written.layout)
            writer.dumps = {name: {"bytes": written.dumps[name]["bytes"]} for name in (NQUADS, TRIG)}
            release = writer.finish(base, LICENSE)
    except BaseException:
        if loader is not None:
            try:
                loader.wait()
            except BaseException:
                pass
        writer.abort()
        raise
    switch_current(build_dir, release)
    _prune(build_dir, keep=release)
    with progress.step("remember what was built"):
        new_state = states.State(fingerprint, release.name, files, made.parts, union, inferred.shared,
                                 written.layout, written.dumps)
        states.save(build_dir, new_state)
        _save_validation(build_dir, release, settings, report)
        for kind, attribute in ((parts_module.GRAPHS, "key"), (parts_module.ENTAILED, "entailed_key")):
            keep = {getattr(part, attribute) for part in made.parts.values()}
            if state is not None:
                keep |= {getattr(part, attribute) for part in state.parts.values()}
            cache.prune(kind, keep)
    return BuildResult(release, sum(counts.values()), counts, progress.timings, report)


def _reading(change: states.Change) -> str:
    if change.everything:
        return "read and check data/"
    what = f"read and check {len(change.documents)} changed document(s)"
    return what + (" and the registries" if change.registries else "")


# ---------------------------------------------------------------------- the release's blocks
def _plan(state, made, inferred, base: str, ontology_blob: bytes, previous: Path | None):
    """The graphs of the new release in the dumps' order, each with its blocks, and their sizes."""
    layout = {graph.graph: graph for graph in state.layout} if state is not None else {}
    order, number = {}, 0
    for graph in (state.layout if state is not None else []):
        for block in graph.blocks:
            order[id(block)] = number
            number += 1

    def kept(graph: str) -> Graph:
        old = layout[graph]
        return Graph(graph, [Block(b.key, b.triples, kept=b, order=order[id(b)]) for b in old.blocks],
                     old.openings)

    graphs, counts = [], {}
    for iri, part in made.parts.items():
        if iri in made.graphs:
            graphs.append(Graph(iri, [Block(None, part.triples, blob=made.graphs[iri])]))
        else:
            graphs.append(kept(iri))
        counts[iri] = part.triples
    ontology_iri = graph_iri(base, ONTOLOGY)
    if ontology_iri in layout:
        graphs.append(kept(ontology_iri))
    else:
        graphs.append(Graph(ontology_iri, [Block(None, ontology_blob.count(b"\n"), blob=ontology_blob)]))
    counts[ontology_iri] = sum(block.triples for block in graphs[-1].blocks)
    inferred_iri = graph_iri(base, INFERRED)
    blocks = _inferred_blocks(layout.get(inferred_iri), previous, inferred_iri, inferred, order)
    if blocks:
        graphs.append(Graph(inferred_iri, blocks, layout[inferred_iri].openings if inferred_iri in layout else {}))
        counts[inferred_iri] = sum(block.triples for block in blocks)
    graphs.sort(key=lambda g: graph_key(g.graph))
    return graphs, dict(sorted(counts.items()))


def _ontology(files: list[Path], graph: str) -> bytes:
    store = ox.Store()
    for path in files:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    return blob_of(lines_of(serialized(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)))))


def _inferred_blocks(old, previous: Path | None, graph: str, inferred, order: dict) -> list[Block]:
    """The inferred graph's blocks: the previous release's, with those the change touches cut
    again (the same cuts a full build makes: ``blocks.cut`` is a function of the lines)."""
    if old is None or not old.blocks:
        return [_new_block(lines) for lines in cut(sorted(inferred.added))]
    assert previous is not None, "a previous layout comes with its release"
    keys = [block.key for block in old.blocks]
    changes: dict[int, tuple[list, set]] = {}
    for line in inferred.added:
        changes.setdefault(max(0, bisect.bisect_right(keys, subject_of(line)) - 1), ([], set()))[0].append(line)
    for line in inferred.removed:
        changes.setdefault(max(0, bisect.bisect_right(keys, subject_of(line)) - 1), ([], set()))[1].add(line)
    suffix = f" <{graph}> .".encode()
    with (previous / NQUADS).open("rb") as handle, \
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        def old_lines(index: int) -> list[bytes]:
            start, end = old.blocks[index].spans[NQUADS]
            return [line[:-len(suffix)] + b" ." for line in data[start:end].split(b"\n")[:-1]]

        lines = {}
        for index, (added, removed) in changes.items():
            lines[index] = sorted([line for line in old_lines(index) if line not in removed] + added)
        # A block whose first subject went must join the block before it.
        moved = True
        while moved:
            moved = False
            for index in sorted(lines):
                if index and (not lines[index] or not starts_block(subject_of(lines[index][0]))) \
                        and index - 1 not in lines:
                    lines[index - 1] = old_lines(index - 1)
                    moved = True
    result, index = [], 0
    while index < len(old.blocks):
        if index not in lines:
            block = old.blocks[index]
            result.append(Block(block.key, block.triples, kept=block, order=order[id(block)]))
            index += 1
            continue
        run = []
        while index in lines:
            run.extend(lines[index])
            index += 1
        result.extend(_new_block(piece) for piece in cut(run))
    return result


def _new_block(lines: list[bytes]) -> Block:
    return Block(subject_of(lines[0]), len(lines), blob=b"\n".join(lines) + b"\n")


# ---------------------------------------------------------------------- validation
def _validate(settings: dict, state, previous: Path | None, made, inferred, store, folder: Path,
              change, counts: dict[str, int]):
    """What the change can alter, with the previous results for the rest; all of it when there
    are no previous results to keep (a full build, or a previous release not validated)."""
    base = settings["BASE_IRI"]
    kept = _stored_validation(Path(settings["BUILD_DIR"]), previous, settings) if state is not None else None
    if kept is not None:
        from archivekg.validation.change import validate_change
        return validate_change(store, settings, corpus=made.corpus, graphs=set(made.graphs),
                               changed=_difference(made, inferred, graph_iri(base, INFERRED)),
                               previous=kept, names=list(counts))
    from archivekg.validation.engine import validate_store
    memory = ox.Store()
    memory.load(path=str(folder / NQUADS), format=ox.RdfFormat.N_QUADS)
    # Everything was read now: the build's corpus gives the texts and the lines of the files.
    return validate_store(memory, settings, corpus=made.corpus if change.everything else None)


def _difference(made, inferred, inferred_iri: str) -> list[ox.Quad]:
    """The quads the change adds or removes, asserted and entailed."""
    quads: list[ox.Quad] = []
    for graph, blob in made.graphs.items():
        lines = set(lines_of(blob)) ^ set(lines_of(made.before.get(graph, b"")))
        if lines:
            quads.extend(ox.parse(as_quads(b"\n".join(lines) + b"\n", graph), format=ox.RdfFormat.N_QUADS))
    lines = inferred.added | inferred.removed
    if lines:
        quads.extend(ox.parse(as_quads(b"\n".join(lines) + b"\n", inferred_iri), format=ox.RdfFormat.N_QUADS))
    return sorted(quads, key=str)


def validation_fingerprint(settings: dict) -> str:
    """What, besides the graph, decides a validation's results: the shapes and the code."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for root in (Path(settings["SHAPES_DIR"]), package / "validation"):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _stored_validation(build_dir: Path, previous: Path | None, settings: dict):
    try:
        with (build_dir / "cache" / VALIDATION).open("rb") as handle:
            stored = pickle.load(handle)
    except Exception:        # none yet, or written by other code
        return None
    if previous is None or stored.get("release") != previous.name \
            or stored.get("fingerprint") != validation_fingerprint(settings):
        return None
    return stored["results"]


def _save_validation(build_dir: Path, release: Path, settings: dict, report) -> None:
    path = build_dir / "cache" / VALIDATION
    if report is None:
        path.unlink(missing_ok=True)
        return
    stored = {"release": release.name, "fingerprint": validation_fingerprint(settings),
              "results": report.stored()}
    with path.with_suffix(".tmp").open("wb") as handle:
        pickle.dump(stored, handle, protocol=pickle.HIGHEST_PROTOCOL)
    path.with_suffix(".tmp").replace(path)


def _prune(build_dir: Path, keep: Path) -> None:
    """Keep the newest releases, and every release a server still serves."""
    releases = sorted(p for p in (build_dir / RELEASES).iterdir()
                      if p.is_dir() and not p.name.startswith("."))
    for old in releases[:-KEEP_RELEASES]:
        if old.resolve() != keep.resolve():
            remove_if_unused(old)     # a release a server still has open stays


def default_echo(message: str) -> None:
    print(message, file=sys.stderr, flush=True)

