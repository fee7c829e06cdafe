"""A rebuild validates only what the change can alter and keeps the previous results for the
rest (archivekg/validation/change.py): its report must be the report of a full validation of
the same data, result for result, whatever kind of change it is.  The corpus is built once;
each case starts from a copy of that build, and its reports are compared with a validation of
the whole rebuilt graph (that a rebuild writes the graph a full build writes is
tests/test_build.py's)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from archivekg import settings as settings_module
from archivekg.errors import ValidationFailed
from archivekg.pipeline.ingest import Ingest
from archivekg.pipeline.reasoning import ontology_files
from archivekg.release.make import build
from archivekg.validation.engine import validate_store
from benchmarks.generate import generate

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

ROOT = Path(__file__).resolve().parent.parent


def _seen(report) -> list[tuple]:
    return sorted((r.key, r.severity, r.group, str(r.document), tuple(map(str, r.sources)), r.message)
                  for r in report.results)


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, count=1)
    assert count == 1, f"{path.name}: {pattern!r} not found"
    path.write_text(edited, encoding="utf-8")


SHIPPED = {p.stem for p in (ROOT / "data" / "annotations").glob("*.yaml")}


def _statement_with(data: Path, needle: str) -> Path:
    for path in sorted((data / "annotations").glob("*.yaml")):
        if path.stem not in SHIPPED and needle in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError(f"no synthetic annotation file with {needle!r}")


CHANGES = {
    # a label: the per-node pass of one node
    "label": lambda data: _edit(_statement_with(data, "\n    label: "), r'(\n    label: "[^"\n]*)"',
                                r'\1 (revised)"'),
    # a doubt without its reason: a warning of the per-graph pass appears
    "doubt": lambda data: _edit(_statement_with(data, "\n  - quote: "), r'(\n  - quote: [^\n]*\n)',
                                r'\1    certainty: probable\n'),
    # a statement removed: its factoid, selectors and mentions go, with their results
    "removal": lambda data: _remove_statement_about_the_document(data),
    # a person no longer a participant (still named in the document): a registry node's
    # incoming triples change, its class stated by the document may go or stay
    "participant": lambda data: _edit(_statement_with(data, '\n      participant: ["'),
                                      r'(\n      participant: \["[\w-]+")(?:, "[\w-]+")+\]', r'\1]'),
}


def _remove_statement_about_the_document(data: Path) -> None:
    for path in sorted((data / "annotations").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        document = re.search(r"^document: (\S+)", text, re.MULTILINE).group(1)
        if document in SHIPPED:
            continue
        block = re.compile(rf"\n  - quote: [^\n]*\n    subject: {re.escape(document)}\n(?:    [^\n]*\n|      [^\n]*\n)+")
        if block.search(text):
            path.write_text(block.sub("\n", text, count=1), encoding="utf-8")
            return
    raise AssertionError("no statement about its own document to remove")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A 20-document corpus, built and validated once."""
    folder = tmp_path_factory.mktemp("incremental") / "work"
    generate(20, 3, folder)
    build(_settings(folder))
    return folder


def _settings(work: Path) -> dict:
    return settings_module.load({"DATA_DIR": str(work / "data"), "BUILD_DIR": str(work / "build")},
                                environ={})


def _copy(corpus: Path, tmp_path: Path) -> tuple[Path, dict]:
    work = tmp_path / "work"
    shutil.copytree(corpus, work, symlinks=True)
    return work / "data", _settings(work)


def _full_validation(settings: dict, release: Path):
    """A validation of the whole graph of ``release``, as a full build validates it."""
    store = ox.Store()
    store.load(path=str(release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    ingest = Ingest(Path(settings["DATA_DIR"]), Path(settings["MAPPINGS_DIR"]),
                    ontology_files(Path(settings["ONTOLOGY_DIR"])), settings["BASE_IRI"])
    return validate_store(store, settings, corpus=ingest.load())


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_rebuilds_report_is_a_full_validations_report(corpus, tmp_path, change):
    data, settings = _copy(corpus, tmp_path)
    CHANGES[change](data)
    rebuilt = build(settings)
    assert "validate (SHACL)" in rebuilt.timings
    assert any(step.startswith("read and check 1 changed") for step in rebuilt.timings), \
        "the rebuild was not incremental"
    assert "previous build" in rebuilt.validation.subject
    if change == "label":        # no predicate or class the identity shapes read
        assert "whole corpus" not in {part.name for part in rebuilt.validation.parts}
        assert "(1 node(s) it touches" in rebuilt.validation.subject
    assert _seen(rebuilt.validation) == _seen(_full_validation(settings, rebuilt.release))
    # and a second change on top of the first keeps agreeing
    CHANGES["label"](data)
    again = build(settings)
    assert "previous build" in again.validation.subject
    assert _seen(again.validation) == _seen(_full_validation(settings, again.release))


def test_a_violation_found_by_a_rebuild_fails_it_and_keeps_the_release(corpus, tmp_path):
    data, settings = _copy(corpus, tmp_path)
    served = (Path(settings["BUILD_DIR"]) / "current").resolve()
    path = _statement_with(data, "\n      tookPlaceAt: ")
    person = re.search(r'\n      hostedBy: "?([\w-]+)', "".join(
        p.read_text(encoding="utf-8") for p in sorted((data / "annotations").glob("*.yaml")))).group(1)
    _edit(path, r'(\n      tookPlaceAt: )"?[\w-]+"?', rf'\1"{person}"')
    with pytest.raises(ValidationFailed) as failed:
        build(settings)
    assert "tookPlaceAt" in str(failed.value) and person in str(failed.value)
    assert "the change of 1 document graph" in str(failed.value), "not found by the rebuild"
    assert (Path(settings["BUILD_DIR"]) / "current").resolve() == served


def test_the_whole_corpus_pass_is_redone_only_for_what_its_shapes_read():
    import pyoxigraph as ox

    from archivekg.validation.change import _reads_any
    from archivekg.validation.shapes import load
    from archivekg.validation.terms import AKGSH

    reads = load(ROOT / "shapes").scopes[AKGSH.WholeCorpus].reads
    akg, graph = "https://w3id.org/archivekg/ontology#", ox.NamedNode("urn:g")
    thing = ox.NamedNode("https://w3id.org/archivekg/id/x")

    def quad(predicate, obj):
        return ox.Quad(thing, ox.NamedNode(predicate), obj, graph)

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert _reads_any(reads, [quad(rdf_type, ox.NamedNode(akg + "Person"))])
    assert _reads_any(reads, [quad(akg + "wikidata", ox.Literal("Q1"))])
    assert _reads_any(reads, [quad(akg + "possiblySameAs", ox.NamedNode(akg + "y"))])
    assert not _reads_any(reads, [quad(rdf_type, ox.NamedNode(akg + "Meeting"))])
    assert not _reads_any(reads, [quad(akg + "label", ox.Literal("a label"))])
    assert not _reads_any(reads, [quad("http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("a label"))])
    assert _reads_any(None, [quad(akg + "label", ox.Literal("a label"))])     # sh:closed: all


def test_kept_results_are_unpickled_once_and_stored_once():
    import rdflib

    from archivekg.validation.report import Report, Result, Stored

    def result(n: int, severity: str = "Warning") -> Result:
        return Result(severity=severity, shape=rdflib.URIRef(f"urn:shape:{n}"), shape_name=f"shape {n}",
                      message="m", focus=rdflib.URIRef(f"urn:node:{n}"), path=None, value=None,
                      component=rdflib.URIRef("urn:c"), scope="urn:scope", graph="urn:g")

    report = Report("test", found=[result(1, "Violation")], kept=[Stored.of(result(2)), Stored.of(result(3))])
    assert (report.violations, report.warnings) == (1, 2)
    assert report._unpickled is None                        # counting unpickles nothing
    first = report.stored()
    assert [s.focus for s in first] == ["<urn:node:1>", "<urn:node:2>", "<urn:node:3>"]
    assert [r.focus for r in report.results] == [rdflib.URIRef(f"urn:node:{n}") for n in (1, 2, 3)]
    assert (report.violations, report.warnings) == (1, 2)      # and unpickling counts nothing twice
    again = report.stored()
    assert [s.focus for s in again] == [s.focus for s in first]
    assert again[1] is first[1] and again[2] is first[2]         # not pickled again
