"""Each kind of bad input stops the build with a message that says what and where, and
leaves the previous build untouched (the served link and its files)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from archivekg import settings as settings_module
from archivekg.errors import (
    DuplicateIdError,
    MalformedValueError,
    QuoteNotFoundError,
    SchemaError,
    SourceError,
    UnknownEntityError,
    YamlSyntaxError,
)
from archivekg.release.make import build

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

CASE = Path(__file__).parent / "mapping" / "cases" / "basic" / "data"
ANNOTATIONS = "annotations/memo-test-1950.yaml"
RECORD = "documents/memo-test-1950.yaml"


@pytest.fixture
def workspace(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(CASE, data)
    settings = settings_module.load({"DATA_DIR": str(data), "BUILD_DIR": str(tmp_path / "build")},
                                    environ={})
    first = build(settings, validate=False)
    return data, settings, first.release


def _replace(data: Path, relative: str, old: str, new: str) -> None:
    path = data / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _snapshot(build_dir: Path) -> tuple[str, dict[str, bytes]]:
    current = build_dir / "current"
    files = {p.name: p.read_bytes() for p in current.iterdir() if p.is_file()}
    return os.readlink(current), files


CASES = [
    # (name, file, old text, new text, error type, words the message must contain, line)
    ("quote-not-in-text", ANNOTATIONS, '"Kim reported."', '"Kim declared."',
     QuoteNotFoundError, ["not in the document text", "Kim declared."], 15),
    ("unknown-entity", ANNOTATIONS, "movedFrom: testo", "movedFrom: atlantis",
     UnknownEntityError, ["unknown id", "atlantis"], 24),
    ("malformed-date", ANNOTATIONS, '"1950-03-02/1950-03-03"', '"1950-13-45"',
     MalformedValueError, ["not a valid EDTF date", "1950-13-45"], 13),
    ("malformed-number", ANNOTATIONS, "numberOfPeople: 40", "numberOfPeople: forty",
     MalformedValueError, ["whole number", "forty"], 26),
    ("negative-number", ANNOTATIONS, "numberOfFamilies: 12", "numberOfFamilies: -12",
     MalformedValueError, ["cannot be negative"], 25),
    ("yaml-syntax", ANNOTATIONS, "claims: {participant: [kim-il-sung]}",
     "claims: {participant: [kim-il-sung}", YamlSyntaxError, ["YAML syntax error"], 17),
    ("unknown-property", ANNOTATIONS, "tookPlaceAt: pyongyang", "tookPlaceIn: pyongyang",
     SourceError, ["unknown property", "tookPlaceIn"], 14),
    ("concept-used-as-property", ANNOTATIONS, "tookPlaceAt: pyongyang", "person: pyongyang",
     SourceError, ["unknown property", "person"], 14),
    ("unknown-class", ANNOTATIONS, "type: Plenum", "type: Plenary",
     SourceError, ["unknown class", "Plenary"], 4),
    ("name-not-in-quote", ANNOTATIONS, '{"Kim": kim-il-sung}', '{"Kim Il Sung": kim-il-sung}',
     QuoteNotFoundError, ["not written in the quote", "Kim Il Sung"], 18),
    ("duplicate-id", "entities/places.yaml", "- id: pyongyang", "- id: testo",
     DuplicateIdError, ["already defined", "testo"], 4),
    ("schema-missing-claims", ANNOTATIONS, "    claims: {participant: [kim-il-sung]}\n", "",
     SchemaError, ["'claims' is a required property"], 15),
    ("segment-not-found", RECORD, 'from: "TO Cde."', 'from: "TO Comrade"',
     QuoteNotFoundError, ["segment start", "TO Comrade"], 15),
]


@pytest.mark.parametrize("name,relative,old,new,error,words,line", CASES,
                         ids=[c[0] for c in CASES])
def test_bad_input_stops_the_build_and_keeps_the_last_one(workspace, name, relative, old, new,
                                                          error, words, line):
    data, settings, _ = workspace
    build_dir = Path(settings["BUILD_DIR"])
    before = _snapshot(build_dir)
    _replace(data, relative, old, new)
    with pytest.raises(error) as caught:
        build(settings, validate=False)
    message = str(caught.value)
    assert f"data/{relative}:{line}:" in message, message
    for word in words:
        assert word in message, message
    assert _snapshot(build_dir) == before
    assert not [p for p in (build_dir / "releases").iterdir() if p.name.startswith(".partial")]


def test_quote_in_a_nondocument_segment_is_refused(workspace):
    data, settings, _ = workspace
    text = data / "documents" / "memo.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\nFamous quotes: Kim reported.\n",
                    encoding="utf-8")
    _replace(data, RECORD, "evidence:", "  - kind: nondocument\n    from: \"Famous quotes:\"\n"
             "    to: \"Kim reported.\"\nevidence:")
    _replace(data, ANNOTATIONS, 'quote: "Kim reported."', 'quote: "Kim reported."\n    occurrence: 2')
    with pytest.raises(QuoteNotFoundError, match="not the document"):
        build(settings, validate=False)


def test_building_twice_gives_byte_identical_dumps(workspace):
    data, settings, first = workspace
    second = build(settings, validate=False).release
    assert second != first
    for name in ("dataset.nq", "dataset.trig"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
