"""Rebuilding after a few changed documents, in seconds rather than minutes.

Every build leaves beside its release what a later build needs to redo only what changed
(``BUILD_DIR/cache/incremental.pickle``): the content hash of every data file, the ids each
document defines and refers to, and where each graph lies in the N-Quads dump.  When only
documents changed (records, texts, annotations: not the registries, the mappings, the
ontology, the build's code or the settings), the next build

1. reads and checks the changed documents only, against the ids the others define;
2. maps them (JSON-LD and the document rules) in a scratch store: their new graphs;
3. recomputes the entailments the change touches (delta.py) and keeps the others;
4. writes the new release from the previous one (splice.py): the bytes a full build writes.

Anything else — or an error, which the full build then reports in its usual words — falls
back to the full build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from archivekg import __version__
from archivekg.datalayout import is_curation_file
from archivekg.errors import ArchiveKGError, BuildMissing, UnexpectedFileError
from archivekg.namespaces import INFERRED, graph_iri
from archivekg.pipeline import delta, reasoning
from archivekg.release import splice
from archivekg.release.store import current_release
from archivekg.release.store import manifest as read_manifest

STATE = "incremental.pickle"
MAX_CHANGED = 50
DATA_FOLDERS = ("documents", "annotations", "entities")


@dataclass
class DocumentState:
    files: set[str]                      # data-relative paths: record, text, annotations
    defines: set[str]
    refers: set[str]


@dataclass
class State:
    fingerprint: str
    release: str                         # the release folder it describes
    files: dict[str, tuple]              # data-relative path -> (size, mtime, sha256)
    ids: dict[str, tuple[str, int]]      # every id -> (file, line) where it is defined
    documents: dict[str, DocumentState]
    registry_refers: set[str]
    offsets: dict[str, tuple[int, int]]  # N-Quads byte range of each graph
    validation: list | None = None       # the release's validation results (None: not validated)


def fingerprint(settings: dict) -> str:
    """What, besides data/, decides the build: a change to any of it means a full build."""
    digest = hashlib.sha256(f"{__version__}\0{settings['BASE_IRI']}\0"
                            f"{Path(settings['DATA_DIR']).resolve()}".encode())
    # The shapes and the validation code too: a rebuild keeps the previous validation results.
    folders = [Path(settings["MAPPINGS_DIR"]), Path(settings["ONTOLOGY_DIR"]), Path(settings["SHAPES_DIR"]),
               Path(__file__).parent, Path(__file__).parent.parent / "validation"]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# What each folder of data/ may hold; hidden entries (.gitkeep, editors' files) are not data,
# and neither are the curation files beside the annotations (datalayout.py): they are allowed
# by name, and no build reads or hashes them.
LAYOUT = {"documents": (".yaml", ".txt"), "annotations": (".yaml",), "entities": (".yaml",)}
TOP_LEVEL_FILES = ("README.md",)


def check_layout(data_dir: Path) -> None:
    """Refuse anything in data/ that the build would not read: a folder where a file belongs
    (an annotation file replaced by a folder once dropped that document's statements without
    a word), a file of an unknown kind, a missing folder.  Proposals and rejections beside the
    annotations (``<doc-id>.proposals.yaml``, ``<doc-id>.rejected.yaml``) are allowed."""
    display = data_dir.name or str(data_dir)
    if not data_dir.is_dir():
        raise UnexpectedFileError("the data folder does not exist", file=str(data_dir))
    for entry in sorted(os.scandir(data_dir), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.name in LAYOUT:
            if not entry.is_dir(follow_symlinks=True):
                raise UnexpectedFileError("must be a folder", file=f"{display}/{entry.name}")
        elif entry.name in TOP_LEVEL_FILES and entry.is_file():
            continue
        else:
            raise UnexpectedFileError(
                f"not part of the data layout (data/ holds {', '.join(sorted(LAYOUT))} and "
                f"{', '.join(TOP_LEVEL_FILES)}); move it elsewhere", file=f"{display}/{entry.name}")
    for folder, extensions in LAYOUT.items():
        if not (data_dir / folder).is_dir():
            raise UnexpectedFileError("the folder is missing", file=f"{display}/{folder}")
        for entry in sorted(os.scandir(data_dir / folder), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            where = f"{display}/{folder}/{entry.name}"
            if is_curation_file(folder, entry.name) and entry.is_file(follow_symlinks=True):
                continue
            if not entry.is_file(follow_symlinks=True):
                raise UnexpectedFileError("is a folder (or a special file), not a file; the build "
                                          f"reads only {' and '.join(extensions)} files here", file=where)
            if not entry.name.endswith(extensions):
                raise UnexpectedFileError(f"is not a {' or '.join(extensions)} file, the only kind "
                                          f"{folder}/ holds", file=where)


def scan(data_dir: Path, known: dict[str, tuple] | None = None) -> dict[str, tuple]:
    """(size, modification time, content hash) of every file a build reads from data/.  A
    file whose size and time are those ``known`` keeps its known hash unread (as git does);
    a file modified in the last seconds may change again within the same time stamp, so its
    time is not recorded and it is read again next time."""
    found, known = {}, known or {}
    recent = time.time_ns() - 2_000_000_000
    check_layout(Path(data_dir))
    for folder in DATA_FOLDERS:
        with os.scandir(Path(data_dir) / folder) as entries:
            for entry in entries:
                if entry.name.startswith(".") or is_curation_file(folder, entry.name):
                    continue
                path, info = f"{folder}/{entry.name}", entry.stat()
                before = known.get(path)
                if before and before[:2] == (info.st_size, info.st_mtime_ns):
                    found[path] = before
                else:
                    with open(entry.path, "rb") as handle:
                        digest = hashlib.sha256(handle.read()).hexdigest()
                    stamp = info.st_mtime_ns if info.st_mtime_ns < recent else -1
                    found[path] = (info.st_size, stamp, digest)
    return found


def save(build_dir: Path, release: Path, settings: dict, files: dict[str, tuple], corpus,
         offsets: dict[str, tuple[int, int]], previous: State | None = None,
         removed: set[str] = frozenset(), validation: list | None = None) -> None:
    """Record the state of a full build (``corpus`` complete) or of a rebuild (``previous``
    updated with the changed documents of ``corpus`` and without the ``removed`` ones)."""
    if previous is None:
        documents, ids = {}, dict(corpus.ids)
        registry_refers = {s for source in corpus.registries for s in _strings(source.data) if s in ids}
    else:
        documents, ids, registry_refers = dict(previous.documents), dict(previous.ids), previous.registry_refers
        for doc_id in removed | set(corpus.documents):
            if doc_id in documents:
                for gone in documents.pop(doc_id).defines:
                    ids.pop(gone, None)
    by_file: dict[str, set[str]] = {}
    for i, (file, _) in corpus.ids.items():
        by_file.setdefault(file, set()).add(i)
    for doc_id, doc in corpus.documents.items():
        defines = by_file.get(doc.record.display, set()) | \
            (by_file.get(doc.annotations.display, set()) if doc.annotations else set())
        refers = {s for s in _strings(doc.record.data) | (_strings(doc.annotations.data)
                                                          if doc.annotations else set())
                  if s in corpus.ids}
        relative = {f"documents/{doc.record.path.name}", f"documents/{doc.text_path.name}"}
        if doc.annotations:
            relative.add(f"annotations/{doc.annotations.path.name}")
        documents[doc_id] = DocumentState(relative, defines, refers - defines)
        ids.update({i: corpus.ids[i] for i in defines})
    state = State(fingerprint(settings), release.name, files, ids, documents, registry_refers, offsets,
                  validation)
    cache = Path(build_dir) / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / f"{STATE}.tmp").open("wb") as handle:
        pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
    (cache / f"{STATE}.tmp").replace(cache / STATE)


def load(build_dir: Path, settings: dict) -> State | None:
    """The state of the served release, if it was built by this code from these settings."""
    try:
        with (Path(build_dir) / "cache" / STATE).open("rb") as handle:
            state = pickle.load(handle)
        release = current_release(build_dir)
    except BuildMissing:
        return None
    except Exception:        # a state another version of the code wrote, or a damaged one:
        return None          # a full build, which writes it anew
    if not isinstance(state, State) or state.release != release.name \
            or state.fingerprint != fingerprint(settings):
        return None
    return state


def changed_documents(state: State, files: dict[str, tuple]) -> set[str] | None:
    """The documents whose files changed (added, edited, removed); None when something else
    changed (a registry), which only a full build handles."""
    texts = {f: doc_id for doc_id, doc in state.documents.items() for f in doc.files
             if f.endswith(".txt")}
    changed = set()
    for path in set(files) | set(state.files):
        if path in files and path in state.files and files[path][2] == state.files[path][2]:
            continue
        folder, name = path.split("/", 1)
        if folder == "entities":
            return None
        if name.endswith(".yaml"):
            changed.add(name[:-len(".yaml")])
        elif path in texts:
            changed.add(texts[path])
        # a text no record names is read by no build
    return changed


def rebuild(settings: dict, state: State, changed: set[str], ingest, progress):
    """The new release, written but for its manifest (``Rebuilt``), or None when only a full
    build can do it (or say in its own words what is wrong)."""
    from archivekg.namespaces import PREFIXES
    from archivekg.pipeline.mapping import entail, map_documents
    from archivekg.release.writer import ReleaseWriter
    base = settings["BASE_IRI"]
    build_dir = Path(settings["BUILD_DIR"])
    data_dir = Path(settings["DATA_DIR"])
    present = {d for d in changed if (data_dir / "documents" / f"{d}.yaml").is_file()}
    with progress.step(f"read and check {len(changed)} changed document(s)"):
        before = set().union(*(state.documents[d].defines for d in changed if d in state.documents))
        others = {i: where for i, where in state.ids.items() if i not in before}
        try:
            corpus = ingest.load_documents(present, others)
        except ArchiveKGError:
            return None          # the full build words the error as always
        if any((data_dir / "annotations" / f"{d}.yaml").is_file() for d in changed - present):
            return None          # annotations of a removed record: the full build says so
        after = {i for i, (file, _) in corpus.ids.items() if i not in others}
        gone = before - after
        unchanged = [doc for d, doc in state.documents.items() if d not in changed]
        if gone & (state.registry_refers | set().union(*(doc.refers for doc in unchanged))):
            return None          # an id others refer to was removed: the full build says where

    previous = current_release(build_dir)
    old = ox.Store.read_only(str(previous / "store"))
    tbox = reasoning.tbox_axioms(reasoning.ontology_files(Path(settings["ONTOLOGY_DIR"])),
                                 build_dir / "cache")
    mappings = Path(settings["MAPPINGS_DIR"])
    with progress.step("map the changed documents"):
        scratch = ox.Store()
        map_documents(scratch, ingest, corpus, mappings)
        changes = []
        for doc_id in sorted(changed):
            graph = ox.NamedNode(graph_iri(base, doc_id))
            changes.append(delta.Change(graph, list(old.quads_for_pattern(None, None, None, graph)),
                                        list(scratch.quads_for_pattern(None, None, None, graph))))
    with progress.step("entailments the change touches"):
        try:
            touched, entailments = delta.recompute(old, changes, base=base, tbox=tbox,
                                                   mappings=mappings, ingest=ingest, entail=entail)
        except delta.TooLarge:
            return None
    edit = splice.Edit({c.graph.value: c.after for c in changes}, graph_iri(base, INFERRED), touched,
                       len(f"{base}id/"), entailments)
    writer = ReleaseWriter(build_dir)
    try:
        with progress.step("write the release from the previous one"):
            offsets, counts, writer.dumps = splice.splice(previous, writer.folder, state.offsets,
                                                          edit, PREFIXES)
            new = splice.apply_to_store(old, writer.folder / "store", edit)
            graphs = dict(read_manifest(previous)["graphs"])
            graphs[edit.inferred] += len(entailments) - len(edit.removed)
            for iri, count in counts.items():
                if count:
                    graphs[iri] = count
                else:
                    graphs.pop(iri, None)
            writer.graphs, writer.offsets = graphs, offsets
    except BaseException:
        writer.abort()
        raise
    return Rebuilt(writer, corpus, new, {c.graph.value for c in changes}, _difference(changes, edit))


@dataclass
class Rebuilt:
    writer: object                       # release.ReleaseWriter, to finish or abort
    corpus: object                       # the changed documents (ingest.Corpus)
    store: ox.Store                      # the new release's store, open
    graphs: set[str]                     # the changed graphs' IRIs
    changed: list[ox.Quad]               # the quads added or removed, asserted and entailed


def _difference(changes: list, edit) -> list[ox.Quad]:
    """The symmetric difference of the previous and the new release."""
    found: set = set()
    for change in changes:
        found |= set(change.before) ^ set(change.after)
    inferred = ox.NamedNode(edit.inferred)
    removed = set(ox.parse(b"".join(edit.removed), format=ox.RdfFormat.N_QUADS))
    added = {ox.Quad(t.subject, t.predicate, t.object, inferred) for t in edit.entailments}
    return sorted(found | (removed ^ added), key=str)


def _strings(data) -> set[str]:
    """Every string in a loaded YAML file (ids among them)."""
    found: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
