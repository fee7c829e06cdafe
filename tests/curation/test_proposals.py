"""`archivekg annotate`: what it proposes for a document, each proposal with its words, offsets,
quote and confidence; and what it leaves out because the data says it already."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from archivekg.cli import main
from archivekg.curation import gazetteer as gazetteer_module
from archivekg.curation.importer import import_file
from archivekg.curation.proposals import annotate, read
from archivekg.pipeline import texts
from archivekg.pipeline.yamlload import load_yaml

from .conftest import MAX_BYTES, PAGE, PAGE_ID


@pytest.fixture
def proposed(data):
    import_file(PAGE, data, max_bytes=MAX_BYTES, today=dt.date(2026, 1, 2))
    path, proposals = annotate(data, PAGE_ID)
    return data, path, proposals


def by_kind(proposals, kind):
    return [p for p in proposals if p.kind == kind]


def test_every_kind_is_proposed_with_its_value(proposed):
    data, path, proposals = proposed
    mentions = {(p.statement["claims"]["mentions"], p.words) for p in by_kind(proposals, "mention")}
    # One proposal per entity and written form: the addressee line and "the Embassy".
    assert mentions == {("soviet-embassy-dprk", "SOVIET EMBASSY IN THE DPRK"), ("soviet-embassy-dprk", "Embassy"),
                        ("dprk-cabinet-of-ministers", "DPRK Cabinet of Ministers"), ("pyongyang", "Pyongyang")}
    new = {p.entities[0]["entry"]["name"]: (p.entities[0]["entry"]["type"], p.entities[0]["entry"]["variants"])
           for p in by_kind(proposals, "new-name")}
    assert new == {"Ri Chol-ho": ("Person", ["Ri Chol-ho"]),
                   "V. P. Sorokin": ("Person", ["Sorokin", "V. P. Sorokin"])}
    assert {p.statement["claims"]["date"] for p in by_kind(proposals, "date")} == {"1956-06-01", "1956-04/1956-05"}
    figures = {p.words: p.statement["claims"] for p in by_kind(proposals, "figure")}
    assert {w: (c["quantityValue"], c["unit"], c["qualifier"]) for w, c in figures.items()} == {
        "1,200 tons": (1200, "tonne", "exactly"), "340 families": (340, "family", "exactly"),
        "2,000 tons": (2000, "tonne", "about")}
    (number,) = by_kind(proposals, "number")
    assert number.words == "No. 17-сс" and number.statement["claims"] == {"decreeNumber": "17cc"}
    assert "Cyrillic letters read as the Latin ones" in number.why
    (meeting,) = by_kind(proposals, "meeting")
    assert meeting.statement["claims"] == {"participant": ["ri-chol-ho"], "hostedBy": "ri-chol-ho",
                                           "date": "1956-03-03"}
    posts = {p.statement["claims"]["holder"]: p.statement["claims"]["positionTitle"] for p in by_kind(proposals, "post")}
    assert posts == {"ri-chol-ho": "Chairman of the Hamju fishing cooperative",
                     "sorokin-v-p": "Counsellor of the Embassy"}


def test_each_proposal_carries_its_words_offsets_quote_and_confidence(proposed):
    data, path, proposals = proposed
    written = read(data, PAGE_ID)
    text = (data / "documents" / f"{PAGE_ID}.txt").read_text(encoding="utf-8")
    assert len(written["proposals"]) == len(proposals) == 15
    for proposal in written["proposals"]:
        start, end = proposal["at"]
        assert text[start:end] == proposal["words"]
        located = texts.locate(text, proposal["quote"], proposal.get("occurrence"))
        assert [located.start, located.end] == proposal["quoteAt"]
        assert located.start <= start and end <= located.end
        assert 0 < proposal["confidence"] <= 1 and proposal["why"]
        for written_name in (proposal["statement"].get("names") or {}):
            assert texts.contains_words(proposal["quote"], written_name)


def test_what_the_annotations_state_is_not_proposed(data):
    """The shipped memo, annotated by its curators: its figures and the entities its
    statements name are not proposed again."""
    _, proposals = annotate(data, "memo-byakov-1954-12-20")
    annotated = load_yaml(data / "annotations" / "memo-byakov-1954-12-20.yaml")
    named = {e for s in annotated["statements"] for e in (s.get("names") or {}).values()}
    assert not by_kind(proposals, "figure")
    assert not {p.statement["claims"].get("mentions") for p in by_kind(proposals, "mention")} & named
    assert "pyongyang" in named


def test_the_journal_bare_kim_is_resolved_by_the_text(data):
    """Without the curated annotations, a bare "Kim" goes to the Kim the text names in full
    before it, and says so."""
    (data / "annotations" / "journal-ivanov-1955-12-07.yaml").unlink()
    gazetteer = gazetteer_module.load(data)
    _, proposals = annotate(data, "journal-ivanov-1955-12-07", gazetteer)
    bare = [p for p in by_kind(proposals, "mention") if p.words == "Kim"]
    assert {p.statement["claims"]["mentions"] for p in bare} <= {"kim-il-sung", "kim-yeol"}
    assert all("'Kim' is a name of kim-il-sung, kim-yeol" in p.why and p.confidence < 0.9 for p in bare)


def test_annotate_command(data):
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(PAGE), "--data", str(data)]).exit_code == 0
    result = runner.invoke(main, ["annotate", PAGE_ID, "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert f"{PAGE_ID}: 15 proposals (4 mention, 2 new-name, 2 date, 3 figure, 1 number, 1 meeting, 2 post)" \
        in result.output
    missing = runner.invoke(main, ["annotate", "no-such-document", "--data", str(data)])
    assert missing.exit_code == 2 and "no record data/documents/no-such-document.yaml" in missing.output
