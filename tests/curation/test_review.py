"""`archivekg review`: accepting moves a proposal into the data with the reviewer and the
date; rejecting is remembered; neither is proposed again; and a document imported and
annotated from scratch, all its proposals accepted, builds with no violation."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from archivekg import settings as settings_module
from archivekg.cli import main
from archivekg.curation import review
from archivekg.curation.importer import import_file
from archivekg.curation.proposals import annotate
from archivekg.errors import ReviewError
from archivekg.pipeline.yamlload import load_yaml
from archivekg.release.make import build

from .conftest import MAX_BYTES, PAGE, PAGE_ID, snapshot

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

DAY = dt.date(2026, 1, 3)


@pytest.fixture
def proposed(data):
    import_file(PAGE, data, max_bytes=MAX_BYTES, today=DAY)
    _, proposals = annotate(data, PAGE_ID)
    return data, {(p.kind, p.words): p.id for p in proposals}


def test_accepting_a_new_name_writes_the_registry_and_the_statement(proposed):
    data, ids = proposed
    persons = (data / "entities" / "persons.yaml").read_text(encoding="utf-8")
    review.accept(data, PAGE_ID, ids["new-name", "Ri Chol-ho"], "A. Curator", DAY)
    entry = next(e for e in load_yaml(data / "entities" / "persons.yaml") if e["id"] == "ri-chol-ho")
    assert (entry["type"], entry["name"], entry["variants"]) == ("Person", "Ri Chol-ho", ["Ri Chol-ho"])
    assert entry["note"].endswith("Accepted by A. Curator on 2026-01-03.")
    # The registry is edited, not rewritten: its comments and entries stay as they were.
    assert (data / "entities" / "persons.yaml").read_text(encoding="utf-8").startswith(persons.rstrip("\n"))
    annotations = load_yaml(data / "annotations" / f"{PAGE_ID}.yaml")
    (statement,) = annotations["statements"]
    assert statement["claims"] == {"mentions": "ri-chol-ho"}
    assert statement["names"] == {"Ri Chol-ho": "ri-chol-ho"}
    assert statement["accepted"] == {"by": "A. Curator", "on": "2026-01-03", "proposal": ids["new-name", "Ri Chol-ho"]}
    assert ids["new-name", "Ri Chol-ho"] not in {p["id"] for p in review.pending(data, PAGE_ID)}


def test_accepting_into_curated_annotations_keeps_their_comments(data):
    path = data / "annotations" / "journal-ivanov-1955-12-07.yaml"
    before = path.read_text(encoding="utf-8")
    _, proposals = annotate(data, "journal-ivanov-1955-12-07")
    chosen = next(p for p in proposals if p.things)
    review.accept(data, "journal-ivanov-1955-12-07", chosen.id, "A. Curator", DAY)
    after = path.read_text(encoding="utf-8")
    assert after.count("\n#") == before.count("\n#") and after.startswith(before.split("\nthings:")[0])
    loaded = load_yaml(path)
    assert chosen.things[0]["id"] in {t["id"] for t in loaded["things"]}
    assert loaded["statements"][-1]["accepted"]["proposal"] == chosen.id


def test_a_rejected_proposal_is_remembered_and_not_proposed_again(proposed):
    data, ids = proposed
    rejected = ids["figure", "2,000 tons"]
    review.reject(data, PAGE_ID, rejected, "A. Curator", DAY, reason="a delivery target, not a figure we keep")
    remembered = load_yaml(data / "annotations" / f"{PAGE_ID}.rejected.yaml")
    assert remembered == [{"proposal": rejected, "kind": "figure", "words": "2,000 tons",
                           "quote": "The decree will oblige the cooperative to deliver about 2,000 tons to "
                                    "Pyongyang by 1 June 1956.", "by": "A. Curator", "on": "2026-01-03",
                           "reason": "a delivery target, not a figure we keep"}]
    accepted = ids["figure", "340 families"]
    review.accept(data, PAGE_ID, accepted, "A. Curator", DAY)
    _, again = annotate(data, PAGE_ID)
    assert {rejected, accepted}.isdisjoint({p.id for p in again})
    assert len(again) == len(ids) - 2


def test_decisions_need_a_pending_proposal_and_a_reviewer(proposed):
    data, ids = proposed
    before = snapshot(data)
    with pytest.raises(ReviewError, match="has no pending proposal 'p-000000000000'"):
        review.accept(data, PAGE_ID, "p-000000000000", "A. Curator", DAY)
    with pytest.raises(ReviewError, match="say who reviews"):
        review.accept(data, PAGE_ID, ids["mention", "Pyongyang"], "  ", DAY)
    text = data / "documents" / f"{PAGE_ID}.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("two new piers", "three new piers"), encoding="utf-8")
    with pytest.raises(ReviewError, match="changed after the proposals were made"):
        review.accept(data, PAGE_ID, ids["mention", "Pyongyang"], "A. Curator", DAY)
    after = snapshot(data)
    assert {k: v for k, v in after.items() if not k.endswith(".txt")} == \
        {k: v for k, v in before.items() if not k.endswith(".txt")}


def test_review_command_lists_accepts_and_rejects(proposed):
    data, ids = proposed
    runner = CliRunner()
    listing = runner.invoke(main, ["review", PAGE_ID, "--data", str(data), "--list"])
    assert listing.exit_code == 0 and listing.output.endswith(f"{len(ids)} pending\n")
    assert "new Person 'Ri Chol-ho' (ri-chol-ho) in entities/persons.yaml" in listing.output
    decided = runner.invoke(main, ["review", PAGE_ID, "--data", str(data), "--reviewer", "A. Curator",
                                   "--accept", ids["mention", "Pyongyang"], "--reject", ids["date", "1 June 1956"]])
    assert decided.exit_code == 0, decided.output
    # One at a time in the terminal: the passage with the words marked, then the question.
    asked = runner.invoke(main, ["review", PAGE_ID, "--data", str(data), "--reviewer", "A. Curator"],
                          input="s\na\nq\n")
    assert asked.exit_code == 0, asked.output
    assert "[[" in asked.output and "proposes: " in asked.output and "why: " in asked.output
    assert len(review.pending(data, PAGE_ID)) == len(ids) - 3


def test_a_fourth_document_from_scratch_builds_with_no_violation(proposed, tmp_path):
    """Import, annotate, accept every proposal, build: the graph has the new document, its new
    persons and its statements, and no SHACL violation (the build raises on one)."""
    data, ids = proposed
    result = CliRunner().invoke(main, ["review", PAGE_ID, "--data", str(data), "--reviewer", "A. Curator",
                                       "--accept", "all"])
    assert result.exit_code == 0, result.output
    assert review.pending(data, PAGE_ID) == []
    settings = settings_module.load({"DATA_DIR": str(data), "BUILD_DIR": str(tmp_path / "build")}, environ={})
    built = build(settings)
    assert not [r for r in built.validation.found if r.severity == "Violation"]
    from archivekg.release.store import open_store

    store = open_store(built.release)
    base = settings["BASE_IRI"]
    answer = list(store.query(
        f"SELECT ?who WHERE {{ GRAPH <{base}graph/{PAGE_ID}> {{ ?m <{base}ontology#participant> ?who }} }}"))
    assert [str(row[0].value) for row in answer] == [f"{base}id/ri-chol-ho"]
    figures = list(store.query(f"SELECT ?v WHERE {{ GRAPH ?g {{ ?q <{base}ontology#quantityValue> ?v ; "
                               f"<{base}ontology#unit> <{base}ontology#unit-family> }} }}"))
    assert "340" in {row[0].value for row in figures}


def test_a_thing_whose_id_was_taken_since_is_refused(proposed):
    """Between annotate and review another document defined the id a proposal introduces: the
    build would refuse the duplicate, so the decision is refused first."""
    data, ids = proposed
    thing = "quantity-memo-sorokin-1956-03-05-340-families"
    other = data / "annotations" / "memo-byakov-1954-12-20.yaml"
    text = other.read_text(encoding="utf-8").replace(
        "things:\n", f"things:\n  - id: {thing}\n    type: Quantity\n    label: \"taken\"\n", 1)
    other.write_text(text, encoding="utf-8")
    before = snapshot(data)
    with pytest.raises(ReviewError, match=f"the id '{thing}' of this proposal is now defined elsewhere"):
        review.accept(data, PAGE_ID, ids["figure", "340 families"], "A. Curator", DAY)
    assert snapshot(data) == before
