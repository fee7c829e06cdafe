"""What a build leaves beside its release for the next one, and what changed since.

``BUILD_DIR/cache/state.pickle`` describes the served release: the content hash of every data
file, and for each part (a document's graph, the registries' graph) the cache keys of its
triples and of its entailments (parts.py), the ids it defines and refers to, the triples of
it that the union-scoped rules and the NOT EXISTS patterns read; the entailments over the
union; how many parts entail each shared entailment; and where each block of every dump
lies (blocks.py).  A build compares data/ with it: the parts whose files changed are made
again (or taken from the cache), the others are the previous release's.  Without a state
that this code wrote for these settings (``fingerprint``) and for the served release,
everything has changed: a full build is that case, not another path.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from archivekg import __version__
from archivekg.datalayout import is_curation_file
from archivekg.errors import BuildMissing, UnexpectedFileError
from archivekg.release.store import current_release

STATE = "state.pickle"
DATA_FOLDERS = ("documents", "annotations", "entities")
# What each folder of data/ may hold; hidden entries (.gitkeep, editors' files) are not data.
LAYOUT = {"documents": (".yaml", ".txt"), "annotations": (".yaml",), "entities": (".yaml",)}
TOP_LEVEL_FILES = ("README.md",)
PACKAGE = Path(__file__).resolve().parent.parent
# The code the graph depends on: what it is made by, and the names it is made with.
# The code a release is a function of (the dumps' JSON-LD is jsonld.py's, the files data/ may
# hold are datalayout.py's): a change of it is a change of everything.
CODE = (PACKAGE / "pipeline", PACKAGE / "release", PACKAGE / "namespaces.py", PACKAGE / "jsonld.py",
        PACKAGE / "datalayout.py")


@dataclass
class Part:
    graph: str                           # the graph's IRI
    files: frozenset[str]                # data-relative paths it is made of
    key: str                             # its triples in the cache
    entailed_key: str                    # its entailments in the cache
    triples: int
    defines: dict[str, tuple[str, int]]  # id -> (file, line)
    refers: frozenset[str]               # ids of other parts it names
    facts: bytes                         # its triples that NOT EXISTS patterns read
    injected: bytes                      # other parts' such triples about its nodes
    projection: bytes                    # its triples and entailments union-scoped rules read


@dataclass
class BlockSpan:
    key: bytes | None                    # the first subject of a block of the inferred graph
    triples: int
    spans: dict[str, tuple[int, int]]    # dump -> (start, end) of its body


@dataclass
class GraphLayout:
    graph: str
    openings: dict[str, bytes]           # dump -> the graph's opening
    blocks: list[BlockSpan]


@dataclass
class State:
    fingerprint: str
    release: str                         # the release folder it describes
    files: dict[str, tuple]              # data-relative path -> (size, mtime, sha256)
    parts: dict[str, Part]               # by graph IRI: documents and the registries
    union: bytes                         # the entailments over the union (sorted N-Triples)
    shared: dict[bytes, int]             # entailment -> parts entailing it, where that matters
    layout: list[GraphLayout] = field(default_factory=list)
    dumps: dict[str, dict] = field(default_factory=dict)


def fingerprint(settings: dict) -> str:
    """What, besides data/, decides the graph: a change to any of it changes everything."""
    # The data folder's name is in the graph (akg:sourceFile "data/annotations/..."); where it
    # is is not: a checkout moved elsewhere keeps its cache.
    digest = hashlib.sha256(f"{__version__}\0{settings['BASE_IRI']}\0"
                            f"{Path(settings['DATA_DIR']).resolve().name}".encode())
    for root in (Path(settings["MAPPINGS_DIR"]), Path(settings["ONTOLOGY_DIR"]), *CODE):
        paths = [root] if root.is_file() else sorted(
            p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in paths:
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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


@dataclass
class Change:
    """What a build makes again: ``documents`` (ids, added, edited or removed) and whether the
    registries changed; ``everything`` when there is no usable state."""
    documents: set[str]
    registries: bool
    everything: bool


def changes(state: State | None, files: dict[str, tuple]) -> Change:
    if state is None:
        return Change(set(), True, True)
    texts = {f: Path(graph).name for graph, part in state.parts.items() for f in part.files
             if f.startswith("documents/") and f.endswith(".txt")}
    documents, registries = set(), False
    for path in set(files) | set(state.files):
        if path in files and path in state.files and files[path][2] == state.files[path][2]:
            continue
        folder, name = path.split("/", 1)
        if folder == "entities":
            registries = True
        elif name.endswith(".yaml"):
            documents.add(name[:-len(".yaml")])
        elif path in texts:
            documents.add(texts[path])
        # a text no record names is read by no build
    return Change(documents, registries, False)


def save(build_dir: Path, state: State) -> None:
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
        return None          # everything is made again, and the state written anew
    if not isinstance(state, State) or state.release != release.name \
            or state.fingerprint != fingerprint(settings):
        return None
    return state
