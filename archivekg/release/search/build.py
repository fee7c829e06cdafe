"""Writing the search index of a release: in full, or from the previous release's index.

``<release>/search/`` holds ``text/`` (the Tantivy index of every hit: extract.py),
``names.pickle`` and ``names.json`` (the name index: names.py) and ``manifest.json`` (the
format, the counts, and which release it was built from).  A rebuild copies the previous
release's folder and replaces only the hits the changed documents touch: their passages and
statements, the entities they name (before and after the change: what the corpus says about
them changed), and the statements of other documents about the things they define.  The
hits are then those a full build makes (tested: ``tests/search/test_index_build.py``).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import tantivy

from archivekg.errors import BuildMissing
from archivekg.namespaces import graph_name, resource_iri
from archivekg.release.search import names as name_index
from archivekg.release.search.extract import REGISTRY, Reader, Record
from archivekg.release.search.schema import one_of, open_index
from archivekg.release.store import current_release

FORMAT = "archivekg-search/1"
TEXT = "text"
MANIFEST = "manifest.json"
WRITER_HEAP = 64_000_000


@dataclass
class Summary:
    hits: dict[str, int] = field(default_factory=dict)
    names: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    incremental: bool = False


def folder_of(release: Path) -> Path:
    return Path(release) / name_index.FOLDER


def build(store: ox.Store, release: Path, settings: dict) -> Summary:
    """The whole index of the release being written in ``release``, from its ``store``."""
    summary = Summary()
    started = time.perf_counter()
    folder = folder_of(release)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    reader = Reader(store, settings["BASE_IRI"], Path(settings["DATA_DIR"]))
    _write_documents(folder, reader.documents(None))
    entities = reader.entities(None)
    records = entities + reader.statements(None) + reader.passages(None)
    summary.seconds["read"] = time.perf_counter() - started
    index = open_index(folder / TEXT, create=True)
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    for record in records:
        writer.add_document(record.document())
    writer.commit()
    writer.wait_merging_threads()
    summary.seconds["write"] = time.perf_counter() - started - summary.seconds["read"]
    named = name_index.save(folder, name_index.entries(reader, entities), previous=_served_index(settings))
    summary.names = len(named)
    summary.hits = _counts(records)
    summary.seconds["names"] = time.perf_counter() - started - sum(summary.seconds.values())
    _manifest(folder, summary, None)
    return summary


def update(store: ox.Store, release: Path, previous: Path, changed_graphs: set[str], settings: dict) -> Summary:
    """The index of a rebuilt release: the previous one's, with the hits of the documents of
    ``changed_graphs`` (graph IRIs) and of what they touch made again from ``store``."""
    if not (folder_of(previous) / MANIFEST).is_file() or _format(previous) != FORMAT:
        return build(store, release, settings)
    summary = Summary(incremental=True)
    started = time.perf_counter()
    base = settings["BASE_IRI"]
    folder = folder_of(release)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(folder_of(previous), folder)
    reader = Reader(store, base, Path(settings["DATA_DIR"]))
    documents = {resource_iri(base, name) for g in changed_graphs if (name := graph_name(base, g))}
    # What every hit shows of the other documents is the previous build's (a person named in
    # every document would otherwise have all of them read again).
    known = _read_documents(folder)
    reader.remember_documents({iri: info for iri, info in known.items() if iri not in documents})
    present = set(reader.documents(documents))
    try:
        index = open_index(folder / TEXT)
    except BuildMissing:            # the previous index is of another schema
        return build(store, release, settings)
    searcher = index.searcher()

    named_before = {doc.get_first("iri") for doc in _hits(index, searcher, "document", documents, "entity")}
    affected = named_before | reader.mentioned_by(present) | present
    entities = reader.entities(affected)
    # Things these documents define (or defined) may be named in other documents' statements.
    things = {r.iri for r in entities if r.category not in REGISTRY} | \
        {doc.get_first("iri") for doc in _hits(index, searcher, "iri", affected, "entity")
         if doc.get_first("category") not in REGISTRY}
    others = {doc.get_first("key"): doc.get_first("document")
              for doc in _hits(index, searcher, "about", things, "statement")}
    others = {key: document for key, document in others.items() if document not in documents}

    writer = index.writer(heap_size=WRITER_HEAP // 4, num_threads=1)
    for document in sorted(documents):
        writer.delete_documents_by_term("source", document)
    for iri in sorted(affected):
        writer.delete_documents_by_term("key", f"entity {iri}")
    for key in sorted(others):
        writer.delete_documents_by_term("key", key)
    again = [r for r in reader.statements(set(others.values())) if r.key in others]
    records = entities + reader.statements(present) + reader.passages(present) + again
    for record in records:
        writer.add_document(record.document())
    writer.commit()
    writer.wait_merging_threads()
    summary.seconds["text"] = time.perf_counter() - started

    _write_documents(folder, {**{i: v for i, v in known.items() if i not in documents},
                              **reader.documents(present)})
    # The names never change in a rebuild (a changed registry means a full build); weights may.
    before = {entry.entity_id: entry.weight for entry in name_index.read_entries(folder)}
    changed = {r.iri: float(r.weight) for r in entities
               if r.category in REGISTRY and r.iri in before and before[r.iri] != float(r.weight)}
    if changed:
        name_index.write(folder, name_index.load_name_index(previous).reweighted(changed))
    summary.names = len(before)
    summary.hits = _counts(records)
    summary.seconds["names"] = time.perf_counter() - started - summary.seconds["text"]
    _manifest(folder, summary, previous.name)
    return summary


DOCUMENTS = "documents.json"


def _write_documents(folder: Path, documents: dict[str, dict]) -> None:
    """Title, dates and archives of every document, for the next rebuild."""
    (folder / DOCUMENTS).write_text(json.dumps(dict(sorted(documents.items())), ensure_ascii=False, sort_keys=True)
                                    + "\n", encoding="utf-8")


def _read_documents(folder: Path) -> dict[str, dict]:
    try:
        return json.loads((folder / DOCUMENTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _served_index(settings: dict) -> Path | None:
    """The search folder of the release being served, whose name index a build may reuse."""
    try:
        return folder_of(current_release(settings["BUILD_DIR"]))
    except BuildMissing:
        return None


def _hits(index: tantivy.Index, searcher: tantivy.Searcher, field_name: str, values, kind: str) -> list:
    """The stored hits of ``kind`` whose ``field_name`` holds one of ``values``."""
    if not values:
        return []
    query = tantivy.Query.boolean_query([
        (tantivy.Occur.Must, one_of(index.schema, field_name, sorted(values))),
        (tantivy.Occur.Must, tantivy.Query.term_query(index.schema, "kind", kind))])
    result = searcher.search(query, limit=max(1, searcher.num_docs), count=False)
    return [searcher.doc(address) for _, address in result.hits]


def _counts(records: list[Record]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record.category] = counts.get(record.category, 0) + 1
    return dict(sorted(counts.items()))


def _format(release: Path) -> str | None:
    try:
        return json.loads((folder_of(release) / MANIFEST).read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError):
        return None


def _manifest(folder: Path, summary: Summary, previous: str | None) -> None:
    text = {"format": FORMAT, "names": summary.names, "incremental_from": previous,
            "written": summary.hits}
    (folder / MANIFEST).write_text(json.dumps(text, indent=2) + "\n", encoding="utf-8")
