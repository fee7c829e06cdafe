"""`archivekg import`: a saved page and a text file into data/documents/, with the catalogue
fields the text gives (each with its words), its segments, and nothing written for bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from archivekg.cli import main
from archivekg.curation.importer import import_file
from archivekg.errors import ImportConflict, ImportRefused
from archivekg.pipeline import texts
from archivekg.pipeline.yamlload import load_yaml

from .conftest import MAX_BYTES, PAGE, PAGE_ID, ROOT, snapshot

TODAY = dt.date(2026, 1, 2)


def test_saved_page_gives_the_text_and_a_record_with_evidence(data):
    done = import_file(PAGE, data, max_bytes=MAX_BYTES, today=TODAY)
    assert (done.doc_id, done.status) == (PAGE_ID, "imported")
    text = done.text.read_text(encoding="utf-8")
    # The page's visible text: the menu, the script and the style are not text a reader reads.
    assert "Home" not in text and "analytics" not in text and "font-family" not in text
    assert text.startswith("Skip to content\n\nTest Digital Archive\n\nMarch 5, 1956\n\n")
    record = load_yaml(done.record)
    assert record["title"] == "Memo from V. P. Sorokin on the Hamju Fishing Cooperative"
    assert (record["date"], record["documentType"], record["classification"]) == ("1956-03-05", "memo", "SECRET")
    assert (record["copyNumber"], record["numberOfCopies"], record["documentNumber"]) == (1, 3, "88")
    assert record["translator"] == "goldberg-gary"
    assert record["citation"]["archive"] == "avprf"
    assert (record["citation"]["fond"], record["citation"]["opis"], record["citation"]["papka"],
            record["citation"]["delo"]) == ("0102", "12", "68", "7")
    assert record["sourceUrl"] == "https://archive.example.org/document/900001"
    assert [c.get("recipient") or c.get("copyNote") for c in record["copies"]] == \
        ["fedorenko", "Cde. Sorokin", "to file"]
    # Every field the text states has its words, and the build finds them in the text.
    for field, evidence in record["evidence"].items():
        assert field in record
        quote = evidence if isinstance(evidence, str) else evidence["quote"]
        found = texts.locate(text, quote, None if isinstance(evidence, str) else evidence.get("occurrence"))
        assert not isinstance(found, str), (field, found)
    # What it could not read, it says.
    notes = " ".join(record["note"])
    assert "Not found in the text: author, rights." in notes
    assert "'V. P. Sorokin', who is not in the registries" in notes
    # The segments: the page's banner and footer are not the document; the body and the
    # distribution list are found by their wording.
    kinds = [(s["kind"], s["from"]) for s in record["segments"]]
    assert kinds == [("nondocument", "Skip to content"), ("catalog", "March 5, 1956"), ("body", "SECRET"),
                     ("distribution", "Three copies printed"), ("nondocument", "Test Digital Archive ·")]


@pytest.mark.parametrize("name, expected", [
    ("000_b3f1237716c58f4c.txt", {"id": "memo-byakov-1954-12-20", "author": "byakov-i", "addressee": "petrov-a-m",
                                  "date": "1954-12-20", "documentNumber": "701", "typedBy": "verina",
                                  "numberOfCopies": 5, "translationPublisher": "nkidp"}),
    ("001_233c5a65db9d4a8b.txt", {"id": "journal-ivanov-1955-12-07", "author": "ivanov-v-i",
                                  "dateStamped": "1955-12-31", "periodCovered": "1955-12-04/1955-12-15",
                                  "placeOfWriting": "pyongyang", "dateNumbered": "1955-12-21"}),
])
def test_shipped_texts_give_the_curated_fields(data, name, expected):
    """Imported again, the two archive documents give the values their curators recorded."""
    curated = load_yaml(ROOT / "data" / "documents" / f"{expected['id']}.yaml")
    for path in (data / "documents").iterdir():
        path.unlink()
    done = import_file(ROOT / "data" / "documents" / name, data, max_bytes=MAX_BYTES, today=TODAY)
    record = load_yaml(done.record)
    for field, value in expected.items():
        assert record[field] == value == curated[field], field
    assert [c.get("recipient") for c in record["copies"]] == [c.get("recipient") for c in curated["copies"]]


def test_the_same_file_again_changes_nothing(data):
    import_file(PAGE, data, max_bytes=MAX_BYTES, today=TODAY)
    before = snapshot(data)
    again = import_file(PAGE, data, max_bytes=MAX_BYTES, today=TODAY + dt.timedelta(days=3))
    assert (again.doc_id, again.status) == (PAGE_ID, "unchanged")
    assert snapshot(data) == before


def test_a_changed_file_is_reported_not_overwritten(data, tmp_path):
    import_file(PAGE, data, max_bytes=MAX_BYTES, today=TODAY)
    before = snapshot(data)
    changed = tmp_path / "edited" / PAGE.name
    changed.parent.mkdir()
    changed.write_text(PAGE.read_text(encoding="utf-8").replace("1,200 tons", "1,300 tons"), encoding="utf-8")
    with pytest.raises(ImportConflict, match=rf"{PAGE_ID!r} was imported before from a different text.*"
                                             r"first difference at line 34.*--replace"):
        import_file(changed, data, max_bytes=MAX_BYTES, today=TODAY)
    assert snapshot(data) == before
    replaced = import_file(changed, data, max_bytes=MAX_BYTES, replace=True, today=TODAY)
    assert replaced.status == "replaced"
    assert "1,300 tons" in replaced.text.read_text(encoding="utf-8")


def test_another_document_with_the_same_id_gets_its_own(data, tmp_path):
    """Two memos of one author on one day are two documents, not a changed file."""
    import_file(PAGE, data, max_bytes=MAX_BYTES, today=TODAY)
    other = tmp_path / "second-memo.html"
    other.write_text(PAGE.read_text(encoding="utf-8").replace("two new piers", "three new piers"), encoding="utf-8")
    done = import_file(other, data, max_bytes=MAX_BYTES, today=TODAY)
    assert done.doc_id == f"{PAGE_ID}-2"


def _bad_inputs(tmp_path):
    png = tmp_path / "scan.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    binary = tmp_path / "dump.txt"
    binary.write_bytes(b"\x00\x01\x02 binary \x00\xff\xfe" * 50)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Memo from the Charg\u00e9 d'Affaires\n\nText.".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n\t \n", encoding="utf-8")
    no_body = tmp_path / "no-body.html"
    no_body.write_text("<!DOCTYPE html><html><head><title>Page</title></head><body><nav><a href='/'>Home</a>"
                       "</nav><header>Test Digital Archive</header><footer>Terms of use</footer></body></html>",
                       encoding="utf-8")
    large = tmp_path / "large.txt"
    with large.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return [(png, "a PNG image, not a text"), (binary, "NUL bytes: a binary file, not a text"),
            (latin, "not UTF-8 text"), (empty, "the file is empty"), (blank, "the file is empty"),
            (no_body, "no document body found"), (large, "52,428,800 bytes, more than the 10,485,760"),
            (tmp_path / "missing.txt", "no such file")]


def test_bad_input_is_refused_and_nothing_is_written(data, tmp_path):
    before = snapshot(data)
    for path, message in _bad_inputs(tmp_path):
        with pytest.raises(ImportRefused, match=message):
            import_file(path, data, max_bytes=MAX_BYTES)
        assert snapshot(data) == before, path.name


def test_import_command(data, tmp_path):
    runner = CliRunner()
    first = runner.invoke(main, ["import", str(PAGE), "--data", str(data)])
    assert first.exit_code == 0, first.output
    assert f"imported as {PAGE_ID}" in first.output
    assert "not in the registries: author 'V. P. Sorokin'" in first.output
    again = runner.invoke(main, ["import", str(PAGE), "--data", str(data)])
    assert again.exit_code == 0 and f"unchanged, imported before as {PAGE_ID}" in again.output
    before = snapshot(data)
    bad = runner.invoke(main, ["import", *(str(p) for p, _ in _bad_inputs(tmp_path)), "--data", str(data)])
    assert bad.exit_code == 2
    assert bad.output.count("error: ") == 8
    assert "large.txt: 52,428,800 bytes" in bad.output
    assert snapshot(data) == before
