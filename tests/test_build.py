"""One build path: a build after a change redoes only the parts that changed and writes the
release a build from an empty cache writes, byte for byte: every dump, the downloads index,
the manifest (but its time) and the store's quads.  Each kind of change is a case: documents
edited, removed and added back, the registries, dates and classes that the union-scoped rules
join across graphs, a transitive chain, and a NOT EXISTS that one document answers for
another."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from archivekg import settings as settings_module
from archivekg.namespaces import PREFIXES
from archivekg.release.blocks import DUMPS, NQUADS, TRIG
from archivekg.release.dumps import INDEX
from archivekg.release.make import build
from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
BASIC = ROOT / "tests" / "mapping" / "cases" / "basic" / "data"


def _settings(data: Path, build_dir: Path) -> dict:
    return settings_module.load({"DATA_DIR": str(data), "BUILD_DIR": str(build_dir)}, environ={})


def _with_tbox(source: Path, target: Path) -> None:
    """The closed ontology of an earlier build (owlrl takes seconds; it is not a part)."""
    (target / "cache").mkdir(parents=True, exist_ok=True)
    for path in (source / "cache").glob("tbox-*.nt"):
        shutil.copy(path, target / "cache" / path.name)


def _release(release: Path) -> dict:
    files = {name: (release / name).read_bytes() for name in (*DUMPS, INDEX)}
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("built")
    store = ox.Store.read_only(str(release / "store"))
    return {"files": files, "manifest": manifest, "store": sorted(map(str, store))}


def _same_as_a_full_build(rebuilt, settings: dict, folder: Path) -> None:
    _with_tbox(Path(settings["BUILD_DIR"]), folder)
    full = build(dict(settings, BUILD_DIR=str(folder)), validate=False, incremental=False)
    got, want = _release(rebuilt.release), _release(full.release)
    for name in want["files"]:
        assert got["files"][name] == want["files"][name], f"{name} differs from a full build's"
    assert got["manifest"] == want["manifest"]
    assert got["store"] == want["store"]
    assert rebuilt.graphs == full.graphs


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first(data: Path, folder: str, needle: str) -> Path:
    for path in sorted((data / folder).glob("*.yaml")):
        if needle in path.read_text(encoding="utf-8") and path.stem not in SHIPPED:
            return path
    raise AssertionError(f"no {folder} file with {needle!r}")


SHIPPED = {p.stem for p in (ROOT / "data" / "documents").glob("*.yaml")}


def _remove(data: Path) -> None:
    memo = _first(data, "annotations", "\n  - quote: ").stem
    for folder in ("annotations", "documents"):
        (data / folder / f"{memo}.yaml").rename(data.parent / f"{folder}-{memo}.yaml")


def _add_back(data: Path) -> None:
    _remove(data)
    build(_settings(data, data.parent / "build"), validate=False)
    for kept in data.parent.glob("*-*.yaml"):
        folder, _, name = kept.name.partition("-")
        kept.rename(data / folder / name)


CHANGES = {
    "label": lambda data: _edit(_first(data, "annotations", "\n    label: "), '\n    label: "', '\n    label: "Revised: '),
    "removed-document": _remove,
    "document-added": _add_back,
    "registry-name": lambda data: _edit(data / "entities" / "persons.yaml", "name: ", "name: Revised "),
    "record-date": lambda data: _shift_date(_first(data, "documents", '\ndate: "')),
    "class-of-an-event": lambda data: _edit(_first(data, "annotations", "type: Conversation"),
                                            "type: Conversation", "type: Meeting"),
    "transitive-chain": lambda data: _edit(data / "entities" / "places.yaml", "partOfPlace: ", "partOfPlace: pyongyang\n  note: was "),
    "nothing": lambda data: None,
}


def _shift_date(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'\ndate: "(\d{4})', lambda m: f'\ndate: "{int(m[1]) - 1}', text, count=1), encoding="utf-8")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A generated corpus of 12 documents beside the shipped ones, built once."""
    folder = tmp_path_factory.mktemp("pristine")
    data = generate(12, 3, folder / "corpus")
    build(_settings(data, folder / "corpus" / "build"), validate=False)
    return folder / "corpus"


@pytest.mark.slow
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_rebuild_writes_what_a_full_build_writes(pristine, tmp_path, change):
    work = tmp_path / "corpus"
    shutil.copytree(pristine, work, symlinks=True)
    data = work / "data"
    settings = _settings(data, work / "build")
    CHANGES[change](data)
    rebuilt = build(settings, validate=False)
    if change != "nothing":
        assert not any(step == "read and check data/" for step in rebuilt.timings), "not a rebuild"
    _same_as_a_full_build(rebuilt, settings, tmp_path / "full")


def _two_documents(data: Path) -> None:
    """The basic case with a figure its memo types as a quantity and a second memo names."""
    shutil.copytree(BASIC, data)
    _edit(data / "annotations" / "memo-test-1950.yaml", "statements:\n", '''  - id: testo-families
    type: Quantity
    label: "12 families of Testo"
statements:
  - quote: "12 families"
    subject: testo-families
    claims: {quantityValue: 12}
''')
    text = (data / "documents" / "memo.txt").read_text(encoding="utf-8")
    (data / "documents" / "memo-b.txt").write_text(text.replace("Kim reported.", "The families were counted."),
                                                   encoding="utf-8")
    record = (data / "documents" / "memo-test-1950.yaml").read_text(encoding="utf-8")
    (data / "documents" / "memo-test-1951.yaml").write_text(
        record.replace("memo-test-1950", "memo-test-1951").replace("memo.txt", "memo-b.txt"), encoding="utf-8")
    (data / "annotations" / "memo-test-1951.yaml").write_text('''document: memo-test-1951
things:
  - id: count-1950
    type: Meeting
    label: "The count of the families"
statements:
  - quote: "The families were counted."
    subject: count-1950
    claims: {hasQuantity: testo-families}
''', encoding="utf-8")


@pytest.mark.slow
def test_regression_a_not_exists_one_document_answers_for_another(tmp_path):
    """memo-test-1951 names a figure memo-test-1950 types as a quantity, so it does not
    mention it; when memo-test-1950 stops typing it so, memo-test-1951 must be entailed again
    though none of its files changed."""
    data = tmp_path / "data"
    _two_documents(data)
    settings = _settings(data, tmp_path / "build")
    first = build(settings, validate=False)
    mention = (b"<https://w3id.org/archivekg/id/memo-test-1951> <https://w3id.org/archivekg/ontology#mentions> "
               b"<https://w3id.org/archivekg/id/testo-families>")
    assert mention not in (first.release / NQUADS).read_bytes()
    _edit(data / "annotations" / "memo-test-1950.yaml", "type: Quantity", "type: Group")
    rebuilt = build(settings, validate=False)
    assert "read and check 1 changed document(s)" in rebuilt.timings
    assert mention in (rebuilt.release / NQUADS).read_bytes()
    _same_as_a_full_build(rebuilt, settings, tmp_path / "full")
    _edit(data / "annotations" / "memo-test-1950.yaml", "type: Group", "type: Quantity")
    again = build(settings, validate=False)
    assert mention not in (again.release / NQUADS).read_bytes()
    _same_as_a_full_build(again, settings, tmp_path / "full-again")


@pytest.mark.slow
def test_a_part_taken_from_the_cache_gives_the_same_release(tmp_path):
    """An edit undone: the document's graph and entailments come from the cache."""
    data = tmp_path / "data"
    shutil.copytree(BASIC, data)
    settings = _settings(data, tmp_path / "build")
    first = build(settings, validate=False)
    path = data / "annotations" / "memo-test-1950.yaml"
    _edit(path, '"Plenum of 2-3 March 1950"', '"Plenum"')
    build(settings, validate=False)
    _edit(path, '"Plenum"', '"Plenum of 2-3 March 1950"')
    undone = build(settings, validate=False)
    assert _release(undone.release) == _release(first.release)


@pytest.mark.slow
def test_building_twice_from_empty_caches_gives_the_same_release(tmp_path):
    first = build(_settings(BASIC, tmp_path / "a"), validate=False)
    _with_tbox(tmp_path / "a", tmp_path / "b")
    second = build(_settings(BASIC, tmp_path / "b"), validate=False)
    assert _release(first.release) == _release(second.release)


@pytest.mark.slow
def test_blocks_rendered_by_workers_give_the_dumps_of_one_process(built, tmp_path, monkeypatch):
    """Above a size (assemble.PARALLEL_FROM_BYTES) forked workers render the dumps' blocks;
    the shipped corpus, rendered that way, gives the session build's dumps byte for byte."""
    from archivekg.release import assemble, workers
    assert workers.workers() > 1, "this machine forks no worker: the parallel path is not tested"
    monkeypatch.setattr(assemble, "PARALLEL_FROM_BYTES", 0)
    forked = []
    monkeypatch.setattr(workers.Ordered, "__enter__", _counting(workers.Ordered.__enter__, forked))
    rendered = build(_settings(ROOT / "data", tmp_path / "build"))
    assert forked and forked[-1] > 1
    release = built["result"].release
    for name in (*DUMPS, INDEX):
        assert (rendered.release / name).read_bytes() == (release / name).read_bytes(), name


def _counting(enter, forked: list):
    def counted(self):
        entered = enter(self)
        forked.append(self.processes if self.pool is not None else 1)
        return entered
    return counted


def test_the_downloads_index_gives_each_dumps_size_and_checksum(built):
    release = built["result"].release
    index = json.loads((release / INDEX).read_text(encoding="utf-8"))
    assert list(index) == list(DUMPS)
    for name, info in index.items():
        data = (release / name).read_bytes()
        assert info == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}, name
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dumps"] == {name: {"bytes": index[name]["bytes"]} for name in (NQUADS, TRIG)}


def test_the_dumps_are_what_oxigraph_writes_of_the_dataset(built):
    """TriG is made of Turtle blocks indented (blocks.render): the same bytes Oxigraph writes
    for the whole dataset; the other dumps hold the same quads (Turtle: the same triples)."""
    release = built["result"].release
    nquads = (release / NQUADS).read_bytes()
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    assert (release / TRIG).read_bytes() == ox.serialize(quads, None, ox.RdfFormat.TRIG, prefixes=PREFIXES)
    import gzip
    assert gzip.decompress((release / "dataset.nq.gz").read_bytes()) == nquads
    jsonld = ox.Store()
    jsonld.load(path=str(release / "dataset.jsonld"), format=ox.RdfFormat.JSON_LD)
    assert set(jsonld) == set(quads)
    turtle = {q.triple for q in ox.parse(path=str(release / "dataset.ttl"), format=ox.RdfFormat.TURTLE)}
    assert turtle == {q.triple for q in quads}
