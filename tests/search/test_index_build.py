"""The search index a rebuild writes from the previous release's is the one a full build
writes, hit for hit, whatever the change; and the name index is the reconciliation
service's contract (``load_name_index``)."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import tantivy

from archivekg import settings as settings_module
from archivekg.names import NameIndex
from archivekg.release.make import build
from archivekg.release.search import load_name_index
from archivekg.release.search.schema import open_index
from archivekg.release.store import current_release, open_store

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

ID = "https://w3id.org/archivekg/id/"


def hits(release: Path) -> list[dict]:
    """Every hit of a release's index with all its stored fields, in key order."""
    index = open_index(release / "search" / "text")
    searcher = index.searcher()
    found = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs), count=False)
    docs = [searcher.doc(address).to_dict() for _, address in found.hits]
    for doc in docs:
        doc["extra"] = [json.loads(bytes(value)) for value in doc["extra"]]
    return sorted(docs, key=lambda d: d["key"])


def names(release: Path) -> list:
    return json.loads((release / "search" / "names.json").read_text(encoding="utf-8"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, count=1)
    assert count == 1, f"{path.name}: {pattern!r} not found"
    path.write_text(edited, encoding="utf-8")


def _synthetic(data: Path) -> list[Path]:
    shipped = {p.stem for p in (ROOT / "data" / "annotations").glob("*.yaml")}
    return [p for p in sorted((data / "annotations").glob("*.yaml")) if p.stem not in shipped]


def _relabel_a_thing_other_documents_cite(data: Path) -> None:
    files = _synthetic(data)
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    for path, text in texts.items():
        for thing in re.findall(r"\n  - id: ([\w-]+)\n    type: \w+\n    label: ", text):
            if any(re.search(rf'\b{re.escape(thing)}\b', other) for p, other in texts.items() if p != path):
                _edit(path, rf'(\n  - id: {re.escape(thing)}\n    type: \w+\n    label: "[^"\n]*)"', r'\1 (revised)"')
                return
    raise AssertionError("no thing of one document cited by another")


def _remove_a_participant(data: Path) -> None:
    path = next(p for p in _synthetic(data) if '\n      participant: ["' in p.read_text(encoding="utf-8"))
    _edit(path, r'(\n      participant: \["[\w-]+")(?:, "[\w-]+")+\]', r'\1]')


def _remove_a_statement(data: Path) -> None:
    """A statement about a thing that others keep (its document), so the data stays valid."""
    for path in _synthetic(data):
        text = path.read_text(encoding="utf-8")
        document = re.search(r"^document: (\S+)", text, re.MULTILINE).group(1)
        head, *blocks = text.split("\n  - quote: ")
        about = [b for b in blocks if f"\n    subject: {document}\n" in b]
        if about and len(blocks) > 1:
            blocks.remove(about[0])
            path.write_text("\n  - quote: ".join([head, *blocks]), encoding="utf-8")
            return
    raise AssertionError("no statement about its own document beside another")


def _retitle_a_document(data: Path) -> None:
    record = sorted((data / "documents").glob("*.yaml"))[-1]
    _edit(record, r'(\ntitle: "[^"\n]*)"', r'\1, revised"')


CHANGES = {"cited thing relabelled": _relabel_a_thing_other_documents_cite,
           "participant removed": _remove_a_participant, "statement removed": _remove_a_statement,
           "document retitled": _retitle_a_document}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated corpus and its build, made once: each case changes a copy of both."""
    folder = tmp_path_factory.mktemp("search-incremental")
    data = generate(30, 1, folder / "data")    # seed 1: a decree one document makes and others cite
    build(settings_module.load({"DATA_DIR": str(data), "BUILD_DIR": str(folder / "build")}, environ={}),
          validate=False)
    return folder


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_rebuilt_index_is_the_full_builds_index(corpus, tmp_path, change):
    shutil.copytree(corpus, tmp_path / "work", symlinks=True)
    data = tmp_path / "work" / "data" / "data"
    settings = settings_module.load({"DATA_DIR": str(data), "BUILD_DIR": str(tmp_path / "work" / "build")},
                                    environ={})
    first = current_release(settings["BUILD_DIR"])
    before = hits(first)
    CHANGES[change](data)
    rebuilt = build(settings, validate=False)
    assert "search index (changed documents)" in rebuilt.timings, "the rebuild was not incremental"
    manifest = json.loads((rebuilt.release / "search" / "manifest.json").read_text())
    assert manifest["incremental_from"] == first.name
    full = build(dict(settings, BUILD_DIR=str(tmp_path / "full")), incremental=False, validate=False)
    after = hits(rebuilt.release)
    assert after != before, "the change changed no hit"
    assert after == hits(full.release)
    assert names(rebuilt.release) == names(full.release)
    documents = "search/documents.json"
    assert (rebuilt.release / documents).read_text() == (full.release / documents).read_text()
    assert load_name_index(rebuilt.release).entries == load_name_index(full.release).entries


def test_the_name_index_holds_the_registry_with_what_the_corpus_says(tmp_path):
    from tests.search.conftest import build_shipped
    values = build_shipped(tmp_path)
    release = current_release(values["BUILD_DIR"])
    index = load_name_index(release)
    assert isinstance(index, NameIndex)
    entries = {entry.entity_id: entry for entry in index.entries}
    registry = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "data" / "entities").glob("*.yaml"))
    assert set(entries) == {ID + i for i in re.findall(r"^- id: ([\w-]+)", registry, re.MULTILINE)}
    kim = entries[ID + "kim-il-sung"]
    assert kim.type == "Person" and ("Kim Il Sung", "en") in kim.names and ("김일성", "ko") in kim.names
    store = open_store(release)
    said = store.query(f"""SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{
        {{ ?f <https://w3id.org/archivekg/ontology#factSubject> <{ID}kim-il-sung> }}
        UNION {{ ?f <https://w3id.org/archivekg/ontology#factObject> <{ID}kim-il-sung> }}
        UNION {{ ?f <https://w3id.org/archivekg/ontology#refersTo> <{ID}kim-il-sung> }} }}""",
                       use_default_graph_as_union=True)
    assert kim.weight == int(next(iter(said))["n"].value) > 0
    assert entries[ID + "sunido"].type == "Island"
    assert index.match("Ким Ир Сен")[0].entity_id == ID + "kim-il-sung"


def test_an_unreadable_saved_index_is_built_again_from_its_entries(tmp_path):
    from tests.search.conftest import build_shipped
    release = current_release(build_shipped(tmp_path)["BUILD_DIR"])
    expected = load_name_index(release).match("Pak Ilu")
    (release / "search" / "names.pickle").write_bytes(b"not a pickle")
    assert load_name_index(release).match("Pak Ilu") == expected
