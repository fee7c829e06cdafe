"""The engine with the build: a violation stops the build with file and line, texts are read
back to check quotes, and the passes give the same results on one core or several."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archivekg import settings as settings_module
from archivekg.errors import ValidationFailed
from archivekg.release.make import build
from archivekg.release.store import current_release, open_store
from archivekg.validation.engine import validate_store

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

MEMO = "memo-byakov-1954-12-20"


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


def test_a_violation_stops_the_build_with_file_and_line(data_copy, tmp_path):
    annotations = data_copy / "annotations" / f"{MEMO}.yaml"
    source = annotations.read_text(encoding="utf-8")
    assert "numberOfPeople: 556" in source
    annotations.write_text(source.replace("numberOfPeople: 556", "numberOfPeople: 100"), encoding="utf-8")
    statement_line = _line_of(annotations, '- quote: "from the island of [Sunido]')
    settings = settings_module.load({"DATA_DIR": str(data_copy), "BUILD_DIR": str(tmp_path / "build")},
                                    environ={})
    with pytest.raises(ValidationFailed) as failed:
        build(settings)
    assert failed.value.exit_code == 1
    message = str(failed.value)
    assert "1 violation(s)" in message and "FAILED" in message
    assert f"== {MEMO} (" in message
    assert "No more families than people [akgsh:FamiliesAtMostPeople]" in message
    assert f"at data/annotations/{MEMO}.yaml:{statement_line}" in message
    assert failed.value.report.violations == 1
    assert not (tmp_path / "build" / "current").exists(), "a build that failed validation published a release"


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory):
    """A build of a copy of data/ whose texts a test may then change."""
    import shutil
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(Path(__file__).resolve().parents[2] / "data", root / "data")
    settings = settings_module.load({"DATA_DIR": str(root / "data"), "BUILD_DIR": str(root / "build")},
                                    environ={})
    build(settings)
    return settings


def test_quotes_are_checked_against_the_texts_under_data(built_copy):
    """Without the build's corpus, texts come from akg:textFile under DATA_DIR: a text edited
    after the build no longer has the quoted words at their positions."""
    settings = built_copy
    record = (Path(settings["DATA_DIR"]) / "documents" / f"{MEMO}.yaml").read_text(encoding="utf-8")
    text_file = Path(settings["DATA_DIR"]) / "documents" / re.search(r"^text: (\S+)", record, re.M).group(1)
    original = text_file.read_text(encoding="utf-8")
    assert "153 families, 556 people" in original
    text_file.write_text(original.replace("153 families, 556 people", "135 families, 556 people"), encoding="utf-8")
    try:
        report = validate_store(open_store(current_release(settings["BUILD_DIR"])), settings)
    finally:
        text_file.write_text(original, encoding="utf-8")
    found = {(str(r.shape).rsplit("#")[1], r.group) for r in report.results if r.severity == "Violation"}
    assert ("TextUnchanged", MEMO) in found
    assert ("QuoteAtItsPosition", MEMO) in found
    assert {shape for shape, _ in found} <= {"TextUnchanged", "QuoteAtItsPosition", "QuoteContextInText"}


def test_a_missing_text_is_said_not_hidden(built_copy, tmp_path):
    settings = dict(built_copy, DATA_DIR=str(tmp_path / "elsewhere" / "data"))
    report = validate_store(open_store(current_release(settings["BUILD_DIR"])), settings)
    assert report.violations == 0
    documents = [part for part in report.parts if part.name not in ("registries", "whole corpus")]
    assert sum("is not at hand: its quotes were not checked" in note for note in report.notes) == len(documents)


def test_one_core_or_two_give_the_same_report(built):
    store = open_store(current_release(built["settings"]["BUILD_DIR"]))
    serial = validate_store(store, built["settings"], workers=1)
    parallel = validate_store(store, built["settings"], workers=2)
    assert serial.results and sorted(r.key for r in serial.results) == sorted(r.key for r in parallel.results)
    assert [r.sources for r in serial.sorted_results()] == [r.sources for r in parallel.sorted_results()]
