"""The partner's sheet: 50 names as another project's spreadsheet writes them (initials, other
romanizations, Cyrillic, Hangul, surname first), with types and properties, sent as one batch
to the service over the shipped corpus.  At least 95% must have the right entity first, and no
candidate that is not the right one may be called a match.  The figure is in the README."""

from __future__ import annotations

import csv
import json

from . import schemas
from .conftest import HERE, reconcile

SHEET = HERE / "partner_sheet.tsv"


def rows() -> list[dict[str, str]]:
    with SHEET.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_sheet_has_fifty_names_in_the_forms_a_partner_writes():
    sheet = rows()
    assert len(sheet) == 50
    assert len({row["query"] for row in sheet}) == 50
    text = " ".join(row["query"] for row in sheet)
    assert any("\u0400" <= c <= "\u04ff" for c in text) and any("\uac00" <= c <= "\ud7a3" for c in text)
    assert sum(bool(row["properties"]) for row in sheet) >= 8


def test_a_batch_of_fifty_names_is_matched_right_first_and_never_matched_wrongly(ours, record_property):
    sheet = rows()
    batch = {}
    for number, row in enumerate(sheet):
        query = {"query": row["query"], "type": row["type"], "type_strict": "should", "limit": 5}
        if row["properties"]:
            query["properties"] = json.loads(row["properties"])
        batch[f"q{number}"] = query
    schemas.check("reconciliation-query-batch", batch)
    reply = reconcile(ours, batch)
    assert reply.status == 200, reply.text
    answer = reply.json()
    schemas.check("reconciliation-result-batch", answer)
    right, matched, wrong = 0, 0, []
    for number, row in enumerate(sheet):
        candidates = answer[f"q{number}"]["result"]
        if candidates and candidates[0]["id"] == row["expected"]:
            right += 1
        for candidate in candidates:
            if candidate["match"]:
                matched += 1
                if candidate["id"] != row["expected"]:
                    wrong.append((row["query"], candidate["id"]))
    share = right / len(sheet)
    figure = f"{right}/{len(sheet)} right first ({share:.0%}); match: true on {matched}, {len(wrong)} of them wrong"
    record_property("partner_sheet", figure)
    print(figure)
    assert share >= 0.95, figure
    assert wrong == [], figure
