"""Dates in a text, as EDTF with the words that state them.

The date expressions are found by their shape (a day, a month name, a year, and the ranges
and phrases archival prose writes: "2-3 December", "from 4 through 15 December", "From
September to October 1937", "the 28th of September of that year", "31 Dec 55", "the April
KWP CC plenum"); a day the calendar does not have (31 April) is no date.  dateparser was tried
for reading them: it spent 30-50 ms on each new date string here (its locale patterns are
compiled per call), more than the whole time a document may take, and the patterns that find a
date already say which words are its day, month and year.  What the words leave out is
supplied and said: a year not written is the document's (or, after "that year", the last one
written), a two-digit year is in the document's century.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
MONTH = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
         r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[6-9][0-9]{2}|20[0-9]{2})"
SHORT_YEAR = r"(?:'?[0-9]{2})"
_B = r"(?<![\w-])"          # not inside a word or a number ("1428-326", "2,700,000")
_E = r"(?![\w]|[-/.,]\d)"
EVENT_NOUN = r"(?:plenum|plenary|session|congress|conference|meeting|elections?|offensive|campaign)"

PATTERNS = [
    # from 4 through 15 December (1955)
    ("day-range", rf"{_B}(?:from\s+)?(?P<d1>{DAY})\s+(?:through|to|till|until|-|–|—)\s+(?P<d2>{DAY})\s+"
                  rf"(?P<m>{MONTH})(?:\s*,?\s+(?P<y>{YEAR}))?{_E}"),
    # 2-3 December (1955)
    ("day-range", rf"{_B}(?P<d1>{DAY})\s*[-–—]\s*(?P<d2>{DAY})\s+(?P<m>{MONTH})(?:\s*,?\s+(?P<y>{YEAR}))?{_E}"),
    # From September to October 1937, September-October 1937
    ("month-range", rf"{_B}(?:from\s+)?(?P<m1>{MONTH})\s*(?:to|through|till|until|-|–|—)\s*(?P<m2>{MONTH})"
                    rf"\s*,?\s+(?P<y>{YEAR}){_E}"),
    # the 28th of September (of that year | 1937)
    ("day", rf"{_B}(?:the\s+)?(?P<d>{DAY})\s+of\s+(?P<m>{MONTH})(?:\s*,?\s+(?:(?P<that>of\s+(?:that|the\s+same)"
            rf"\s+year)|(?:of\s+)?(?P<y>{YEAR})))?{_E}"),
    # 20 December 1954, 31 Dec 55, 7 December
    ("day", rf"{_B}(?P<d>{DAY})\s+(?P<m>{MONTH})(?:\s*,?\s+(?:(?P<y>{YEAR})|(?P<yy>{SHORT_YEAR})(?![\d,])))?{_E}"),
    # December 20, 1954; August 21, 1937; Jan 1, 1938
    ("day", rf"{_B}(?P<m>{MONTH})\s+(?P<d>{DAY})(?:\s*,\s*(?P<y>{YEAR}))?{_E}(?!\s*[-–]\s*\d)"),
    # November 1954
    ("month", rf"{_B}(?P<m>{MONTH})\s*,?\s+(?P<y>{YEAR}){_E}"),
    # 1950-1953
    ("year-range", rf"{_B}(?P<y1>{YEAR})\s*[-–—]\s*(?P<y2>{YEAR}){_E}"),
    # the April KWP CC plenum, the December plenum
    ("month", rf"{_B}(?P<m>{MONTH})\s+(?:[A-Z][\w()]*\s+){{0,4}}{EVENT_NOUN}{_E}"),
    # in 1956, for 1956, by 1937, Pyongyang 1955
    ("year", rf"{_B}(?P<y>{YEAR}){_E}(?![.,]?\d)"),
]
_YEAR_ALONE = re.compile(rf"{_B}{YEAR}{_E}")
# Case matters only where capitalised words are what is looked for (the names before "plenum").
_COMPILED = [(kind, re.compile(pattern, 0 if EVENT_NOUN in pattern else re.IGNORECASE))
             for kind, pattern in PATTERNS]
# Lower-case "may" and "march" are verbs and nouns far more often than months.
_AMBIGUOUS = {"may", "march", "mar", "jun", "jul", "sep", "dec", "jan", "aug", "oct", "nov", "feb", "apr"}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    words: str
    edtf: str
    confidence: float
    why: str


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(i for i, month in enumerate(_MONTHS, 1) if month.startswith(name[:3]))


def _day(text: str) -> int:
    digits = re.match(r"\d+", text)
    assert digits is not None, f"the day group of a date pattern matched {text!r}"
    return int(digits.group(0))


def _iso(year: int, month: int, day: int | None) -> str | None:
    """The ISO date (or month), or None for a day the calendar does not have (31 April)."""
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if day else f"{year:04d}-{month:02d}"


def find_dates(text: str, start: int = 0, end: int | None = None, *, document_year: int | None = None,
               skip: Sequence[tuple[int, int]] = ()) -> list[DateMention]:
    """The dates written in ``text[start:end]``, longest expressions first where they overlap."""
    end = len(text) if end is None else end
    window = text[start:end]
    taken: list[tuple[int, int]] = list(skip)
    found: list[DateMention] = []
    last_year: list[tuple[int, int]] = [(m.start(), int(m.group(0)))
                                        for m in _YEAR_ALONE.finditer(text, 0, end)]
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(window):
            a, b = match.start() + start, match.end() + start
            if any(a < e and s < b for s, e in taken):
                continue
            mention = _read(kind, match, a, b, document_year, last_year)
            if mention is not None:
                found.append(mention)
                taken.append((a, b))
    return sorted(found, key=lambda m: m.start)


def _year_for(match, position: int, document_year: int | None,
              years: list[tuple[int, int]]) -> tuple[int | None, str]:
    groups = match.groupdict()
    if groups.get("y"):
        return int(groups["y"]), ""
    if groups.get("yy"):
        short = int(groups["yy"].lstrip("'"))
        century = (document_year // 100 * 100) if document_year else 1900
        return century + short, f"the two-digit year '{groups['yy']}' read in the {century}s"
    before = [year for at, year in years if at < position]
    if groups.get("that") and before:
        return before[-1], f"'that year' read as {before[-1]}, the last year written before it"
    if document_year:
        return document_year, f"no year written: the document's year ({document_year})"
    if before:
        return before[-1], f"no year written: the last year written before it ({before[-1]})"
    return None, ""


def _read(kind: str, match, a: int, b: int, document_year, years) -> DateMention | None:
    year: int | None
    groups = match.groupdict()
    words = match.group(0)
    for key in ("m", "m1", "m2"):
        month_word = groups.get(key)
        if month_word and month_word.lower().rstrip(".") in _AMBIGUOUS and month_word[0].islower():
            return None
    if re.search(r"(?:No\.?|N[°º]|№|#)\s*$", match.string[max(0, match.start() - 5):match.start()]):
        return None          # "No. 1647": a number, not a year
    if kind == "year":
        year = int(groups["y"])
        return DateMention(a, b, words, str(year), 0.8, "a year written alone")
    if kind == "year-range":
        y1, y2 = int(groups["y1"]), int(groups["y2"])
        if y2 <= y1:
            return None
        return DateMention(a, b, words, f"{y1}/{y2}", 0.85, "a range of years")
    year, supplied = _year_for(match, a, document_year, years)
    if year is None:
        return None
    confidence = 0.95 if not supplied else 0.7
    why = "a calendar date" if not supplied else supplied
    if kind == "day":
        value = _iso(year, _month_number(groups["m"]), _day(groups["d"]))
    elif kind == "month":
        value = _iso(year, _month_number(groups["m"]), None)
        why = "a month" + (f"; {supplied}" if supplied else "")
    elif kind == "day-range":
        month = _month_number(groups["m"])
        first, last = _iso(year, month, _day(groups["d1"])), _iso(year, month, _day(groups["d2"]))
        value = f"{first}/{last}" if first and last and first < last else None
        why = "a range of days" + (f"; {supplied}" if supplied else "")
    else:   # month-range
        first, last = _iso(year, _month_number(groups["m1"]), None), _iso(year, _month_number(groups["m2"]), None)
        value = f"{first}/{last}" if first and last and first < last else None
        why = "a range of months"
    if value is None:
        return None
    return DateMention(a, b, words, value, confidence, why)
