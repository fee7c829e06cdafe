"""The parts of a release, each made from its own inputs and cached under their hash.

A part is a named graph the data makes: one per document (its record, text and annotations)
and one for the registries.  Its triples are a function of its files (mapping.py), cached
under the hash of the code, mappings, ontology and settings (state.fingerprint) and of the
files' contents; its share of the entailments is a function of its triples and of the facts
other graphs assert that the rules' NOT EXISTS reads (entailment.py), cached under the hash
of both.  ``make`` reads and checks the parts that changed, and takes each of their graphs
and entailments from the cache or makes it: for a full build, every part.

``BUILD_DIR/cache/graphs/`` and ``cache/entailed/`` hold one N-Triples file per key.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from archivekg.errors import ArchiveKGError
from archivekg.namespaces import ENTITIES, graph_iri, resource_iri
from archivekg.pipeline.entailment import Entailer, blob_of, lines_of
from archivekg.pipeline.ingest import Corpus, Ingest
from archivekg.pipeline.mapping import map_parts
from archivekg.rdfformats import serialized
from archivekg.release import workers
from archivekg.release.state import Change, Part, State

GRAPHS, ENTAILED = "graphs", "entailed"


class Cache:
    def __init__(self, build_dir: Path):
        self.folder = Path(build_dir) / "cache"

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / f"{key}.nt"

    def get(self, kind: str, key: str) -> bytes | None:
        try:
            return self._path(kind, key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, kind: str, key: str, blob: bytes) -> None:
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(blob)
        partial.replace(path)

    def prune(self, kind: str, keep: set[str]) -> None:
        """Delete the entries of ``kind`` whose key is not in ``keep``."""
        root = self.folder / kind
        if not root.is_dir():
            return
        for folder in os.scandir(root):
            for entry in os.scandir(folder.path):
                if entry.name.endswith(".nt") and entry.name[:-3] not in keep:
                    os.unlink(entry.path)


class _Unread(Cache):
    """A cache that is written but not read."""

    def __init__(self, cache: Cache):
        self.cache, self.folder = cache, cache.folder

    def get(self, kind: str, key: str) -> None:
        return None

    def put(self, kind: str, key: str, blob: bytes) -> None:
        self.cache.put(kind, key, blob)


@dataclass
class Made:
    corpus: Corpus                       # the parts read now (everything, for a full build)
    parts: dict[str, Part]               # every part of the new release, by graph IRI
    graphs: dict[str, bytes]             # graph -> its new triples, for each changed part
    before: dict[str, bytes]             # graph -> its previous triples, for each changed part
    entailed: dict[str, bytes]           # graph -> its new entailments, for each part entailed again
    entailed_before: dict[str, bytes]    # graph -> its previous entailments, likewise


def read(ingest: Ingest, state: State | None, change: Change, data_dir: Path) -> Corpus:
    """The changed parts, read and checked against the ids of the others.  An error is worded
    as a reading of all of data/ words it (which definition of an id comes second, which file
    refers to an id that is gone), so that a build says the same whatever it rebuilt."""
    if change.everything:
        return ingest.load()
    assert state is not None, "without a previous state everything changed"
    present = {d for d in change.documents if (data_dir / "documents" / f"{d}.yaml").is_file()}
    changed = {graph_iri(ingest.base_iri, d) for d in change.documents}
    if change.registries:
        changed.add(graph_iri(ingest.base_iri, ENTITIES))
    others = {i: where for graph, part in state.parts.items() if graph not in changed
              for i, where in part.defines.items()}
    try:
        corpus = ingest.load(present, change.registries, others)
        orphans = [d for d in change.documents - present if (data_dir / "annotations" / f"{d}.yaml").is_file()]
        before = {i for graph in changed if graph in state.parts for i in state.parts[graph].defines}
        gone = before - set(corpus.ids)
        referred = set().union(*(part.refers for graph, part in state.parts.items() if graph not in changed))
        if orphans or gone & referred:
            ingest.load()           # raises the error a whole reading finds
    except ArchiveKGError as error:
        ingest.load()
        raise error
    return corpus


def make(ingest: Ingest, corpus: Corpus, state: State | None, change: Change, entailer: Entailer,
         cache: Cache, fingerprint: str, mappings: Path, previous: ox.Store | None,
         progress, use_cache: bool = True) -> Made:
    """The changed parts' graphs and entailments, from the cache (unless ``use_cache`` is
    false: a build from an empty cache) or made now, and the new state of every part."""
    if not use_cache:
        cache = _Unread(cache)
    base = ingest.base_iri
    entities = graph_iri(base, ENTITIES)
    old = state.parts if state is not None else {}
    inputs = _inputs(corpus, base, change)
    keys = {graph: _key(fingerprint, graph, files) for graph, files in inputs.items()}
    changed = set(inputs) | {graph_iri(base, d) for d in change.documents}
    if change.everything:
        changed |= set(old)

    with progress.step(f"map {len(corpus.documents)} documents (JSON-LD)"):
        cached = {graph: cache.get(GRAPHS, key) for graph, key in keys.items()}
        missing = [graph for graph, blob in cached.items() if blob is None]
        made = _map(ingest, corpus, mappings, missing, entities)
        for graph, mapped in made.items():
            cache.put(GRAPHS, keys[graph], mapped)
        graphs = {graph: made[graph] if blob is None else blob for graph, blob in cached.items()}
        for graph in changed - set(graphs):
            graphs[graph] = b""                  # a removed document
        before = {graph: _previous_graph(cache, old.get(graph), graph, previous) for graph in changed}

    with progress.step("entail per document"):
        owner = _ownership(corpus, base)
        defined: dict[str, dict] = {}
        for i, where in corpus.ids.items():
            if where[0] in owner:
                defined.setdefault(owner[where[0]], {})[i] = where
        refers = {graph: _refers(corpus, graph, defined.get(graph, {}), base) for graph, blob in graphs.items() if blob}
        facts = {graph: blob_of(entailer.facts(blob)) for graph, blob in graphs.items()}
        every_fact = set().union(*(lines_of(p.facts) for g, p in old.items() if g not in graphs),
                                 *(lines_of(blob) for blob in facts.values()))
        old_facts = set().union(*(lines_of(p.facts) for p in old.values()))
        # Parts that did not change but whose NOT EXISTS may now answer otherwise.
        moved = set()
        if every_fact != old_facts:
            unchanged = {g: p.defines.keys() | p.refers for g, p in old.items() if g not in changed}
            naming = _naming(unchanged)
            moved = {graph for fact in every_fact ^ old_facts
                     for graph in _about(entailer, fact, naming, base, unchanged)}
        for graph in moved:
            graphs[graph] = before[graph] = _previous_graph(cache, old[graph], graph, previous)
        names = {graph: defined.get(graph, {}).keys() | refers.get(graph, frozenset()) for graph in graphs}
        for graph in moved:
            names[graph] = old[graph].defines.keys() | old[graph].refers
        injected = _injected(entailer, every_fact, facts | {g: old[g].facts for g in moved}, names, base)
        entailed_keys = {graph: hashlib.sha256(
            (keys.get(graph) or old[graph].key).encode() + b"\0" + injected[graph]).hexdigest()
            for graph in graphs if graphs[graph]}
        cached = {graph: cache.get(ENTAILED, key) for graph, key in entailed_keys.items()}
        missing = [graph for graph, blob in cached.items() if blob is None]
        made = _entail(entailer, {g: graphs[g] for g in missing}, injected) if missing else {}
        for graph, closed in made.items():
            cache.put(ENTAILED, entailed_keys[graph], closed)
        entailed = {graph: made[graph] if blob is None else blob for graph, blob in cached.items()}
        for graph in graphs:
            entailed.setdefault(graph, b"")
        entailed_before = {graph: _previous_entailed(cache, old.get(graph), before[graph], entailer)
                           for graph in graphs}

    parts = {graph: part for graph, part in old.items() if graph not in graphs}
    for graph, blob in graphs.items():
        if not blob:
            continue
        if graph in moved:
            parts[graph] = Part(**{**old[graph].__dict__, "entailed_key": entailed_keys[graph],
                                   "injected": injected[graph],
                                   "projection": _projection(entailer, blob, entailed[graph])})
            continue
        defines = defined.get(graph, {})
        parts[graph] = Part(graph, frozenset(inputs[graph][0]), keys[graph], entailed_keys[graph],
                            blob.count(b"\n"), defines, refers[graph],
                            facts[graph], injected[graph], _projection(entailer, blob, entailed[graph]))
    return Made(corpus, parts, {g: graphs[g] for g in changed}, {g: before[g] for g in changed},
                entailed, entailed_before)


def _inputs(corpus: Corpus, base: str, change: Change) -> dict[str, tuple[set[str], list]]:
    """graph -> (its data-relative files, the hashes of what was read of them)."""
    found = {}
    if change.registries or change.everything:
        found[graph_iri(base, ENTITIES)] = (
            {f"entities/{s.path.name}" for s in corpus.registries},
            [(s.display, s.sha256) for s in corpus.registries])
    for doc_id, doc in corpus.documents.items():
        files = {f"documents/{doc.record.path.name}", f"documents/{doc.text_path.name}"}
        digests = [(doc.record.display, doc.record.sha256),
                   (doc.text_path.name, hashlib.sha256(doc.text.encode("utf-8")).hexdigest())]
        if doc.annotations:
            files.add(f"annotations/{doc.annotations.path.name}")
            digests.append((doc.annotations.display, doc.annotations.sha256))
        found[graph_iri(base, doc_id)] = (files, digests)
    return found


def _key(fingerprint: str, graph: str, inputs: tuple[set[str], list]) -> str:
    digest = hashlib.sha256(f"{fingerprint}\0{graph}".encode())
    for display, sha in inputs[1]:
        digest.update(f"\0{display}\0{sha}".encode())
    return digest.hexdigest()


def _previous_graph(cache: Cache, part: Part | None, graph: str, previous: ox.Store | None) -> bytes:
    if part is None:
        return b""
    blob = cache.get(GRAPHS, part.key)
    if blob is None:            # pruned by hand: the previous release has it
        assert previous is not None, "a part of the previous state comes with its release"
        blob = blob_of(lines_of(serialized(previous.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)))))
    return blob


def _previous_entailed(cache: Cache, part: Part | None, triples: bytes, entailer: Entailer) -> bytes:
    if part is None:
        return b""
    blob = cache.get(ENTAILED, part.entailed_key)
    if blob is None:            # pruned by hand: made again from what it was made of
        blob = entailer.close_parts({part.graph: triples}, part.injected)[part.graph]
    return blob


def _map(ingest: Ingest, corpus: Corpus, mappings: Path, graphs: list[str], entities: str) -> dict[str, bytes]:
    """The graphs of these parts (documents and the registries), mapped in worker processes."""
    documents = [Path(graph).name for graph in graphs if graph != entities]
    sizes = {d: len(corpus.documents[d].text) + 1000 for d in documents}
    shares = workers.share(documents, sizes, 4 * workers.workers())
    if entities in graphs:
        shares.append([])
    if not shares:
        return {}

    def task(index: int) -> dict[str, bytes]:
        return map_parts(ingest, corpus, mappings, shares[index],
                         registries=entities in graphs and index == len(shares) - 1)[1]

    found: dict[str, bytes] = {}
    for result in workers.run(task, len(shares), len(graphs)):
        found.update(result)
    return found


def _entail(entailer: Entailer, graphs: dict[str, bytes], injected: dict[str, bytes]) -> dict[str, bytes]:
    """Each graph's entailments, closed in worker processes."""
    shares = workers.share(list(graphs), {g: len(b) for g, b in graphs.items()}, 4 * workers.workers())

    def task(index: int) -> dict[str, bytes]:
        share = shares[index]
        return entailer.close_parts({g: graphs[g] for g in share}, b"".join({injected[g] for g in share}))

    found: dict[str, bytes] = {}
    for result in workers.run(task, len(shares), len(graphs)):
        found.update(result)
    return found


def _naming(names: dict[str, set[str]]) -> dict[str, set[str]]:
    """id -> the parts whose graphs name it (``names``: part -> the ids its files define and
    refer to): a part's graph holds another part's node only where its files name its id."""
    found: dict[str, set[str]] = {}
    for graph, ids in names.items():
        for i in ids:
            found.setdefault(i, set()).add(graph)
    return found


def _about(entailer: Entailer, fact: bytes, naming: dict, base: str, parts: dict) -> set[str]:
    """The parts whose graphs hold a node a NOT EXISTS fact is about; every part, for a node
    that is not one of our ids (no part's files name it as such)."""
    found: set[str] = set()
    prefix = f"<{resource_iri(base, '')}".encode()
    for anchor in entailer.anchors(fact):
        local = anchor[len(prefix):-1].decode("utf-8") if anchor.startswith(prefix) else None
        if local is None or "/" in local:
            return set(parts) | {g for graphs in naming.values() for g in graphs}
        found |= naming.get(local, set())
    return found


def _injected(entailer: Entailer, facts: set[bytes], own: dict[str, bytes], names: dict[str, set[str]],
              base: str) -> dict[str, bytes]:
    """For each part entailed now (``names``: the ids its files name): the facts of other parts
    about its nodes (sorted)."""
    naming = _naming(names)
    found: dict[str, set[bytes]] = {graph: set() for graph in names}
    for fact in facts:
        for graph in _about(entailer, fact, naming, base, names):
            found[graph].add(fact)
    return {graph: blob_of(lines - set(lines_of(own.get(graph, b"")))) for graph, lines in found.items()}


def _projection(entailer: Entailer, triples: bytes, entailed: bytes) -> bytes:
    return blob_of(set(entailer.project(triples)) | set(entailer.project(entailed)))


def _ownership(corpus: Corpus, base: str) -> dict[str, str]:
    """Each data file (as displayed) -> the graph of the part it belongs to."""
    owner = {source.display: graph_iri(base, ENTITIES) for source in corpus.registries}
    for doc_id, doc in corpus.documents.items():
        owner[doc.record.display] = graph_iri(base, doc_id)
        if doc.annotations:
            owner[doc.annotations.display] = graph_iri(base, doc_id)
    return owner


def _refers(corpus: Corpus, graph: str, defines: dict, base: str) -> frozenset[str]:
    """The ids of other parts a part's files name (any string of them that is an id)."""
    if graph == graph_iri(base, ENTITIES):
        data = [source.data for source in corpus.registries]
    else:
        doc = corpus.documents[graph[len(graph_iri(base, "")):]]
        data = [doc.record.data] + ([doc.annotations.data] if doc.annotations else [])
    found: set[str] = set()
    stack = list(data)
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item in corpus.ids and item not in defines:
                found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return frozenset(found)
