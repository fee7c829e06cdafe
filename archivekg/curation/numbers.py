"""Decree and document numbers: "No. 1647-377cc", "#1428-326сс" (with Cyrillic с), "№ 701",
"Resolution No. 1428-326CC".  The spellings of one number meet in ``names.document_numbers``'s
key, which folds look-alike Cyrillic letters onto Latin ones; the number is proposed once, in
Latin letters, with every spelling the text uses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archivekg.curation.document import Analysed
from archivekg.names import document_numbers, homoglyph_fold

_NUMBER = re.compile(r"(?:(?P<sign>No\.?|Nr\.?|N[°º]\.?|№|#)\s*(?P<marked>\d[\w]*(?:[-/.]\w+)*)"
                     r"|(?<![\w-])(?P<bare>\d+(?:[-/]\d+)*[-/]?\d*[A-Za-zА-Яа-я]{1,4})(?![\w-]))")
NORMAL_FORM = re.compile(r"[0-9]+(?:[-/.][0-9]+)*[a-z]*")
DECREE_WORDS = re.compile(r"\b(?:decree|resolution|decision|order|directive|instruction|protocol|"
                          r"law|ordinance|edict|postanovlenie|prikaz)s?\b", re.IGNORECASE)


@dataclass
class Number:
    key: str
    value: str                     # in Latin letters, lower case: "1428-326cc"
    kind: str                      # "decree" or "document"
    occurrences: list[tuple[int, int, str]] = field(default_factory=list)
    confidence: float = 0.0
    why: str = ""


def find_numbers(doc: Analysed) -> list[Number]:
    found: dict[str, Number] = {}
    for sentence in doc.sentences:
        chunk = doc.text[sentence.start:sentence.end]
        for match in _NUMBER.finditer(chunk):
            written = match.group(0)
            number = match.group("marked") or match.group("bare")
            number = number.rstrip(".,")
            if match.group("bare") and not re.search(r"\d[-/]\d", number):
                continue            # "5th", "20s": not a document number
            if re.fullmatch(r"\d+(?:st|nd|rd|th)", number, re.IGNORECASE):
                continue
            keys = document_numbers(f"No. {number}")
            if not keys:
                continue
            start = sentence.start + match.start()
            end = start + len(written.rstrip(".,"))
            context = doc.text[max(sentence.start, start - 60):start]
            kind = "decree" if DECREE_WORDS.search(context) or DECREE_WORDS.search(
                doc.text[end:end + 40]) else "document"
            entry = found.get(keys[0])
            if entry is None:
                # The one form the data writes a number in: digits joined by - / . and a suffix
                # of lowercase Latin letters ("1428-326cc", "17cc" for "No. 17-сс").
                value = re.sub(r"[-/.](?=[a-z]+$)", "", homoglyph_fold(number).lower())
                if not NORMAL_FORM.fullmatch(value):
                    continue
                entry = found[keys[0]] = Number(keys[0], value, kind)
            if kind == "decree":
                entry.kind = "decree"
            entry.occurrences.append((start, end, doc.text[start:end]))
    numbers = []
    for entry in found.values():
        spellings = sorted({w for _, _, w in entry.occurrences})
        if entry.kind == "decree":
            entry.confidence, entry.why = 0.9, "a number beside 'decree', 'resolution' or the like"
        elif doc.segment_at(entry.occurrences[0][0]) == "distribution":
            entry.confidence, entry.why = 0.85, "a number in the distribution list: the document's own"
        else:
            entry.confidence, entry.why = 0.6, "a number after 'No.' with no word saying of what"
        if len(spellings) > 1:
            entry.why += "; written " + ", ".join(repr(s) for s in spellings)
        if any(re.search(r"[А-Яа-я]", s) for s in spellings):
            entry.why += "; Cyrillic letters read as the Latin ones they look like"
        numbers.append(entry)
    return numbers
