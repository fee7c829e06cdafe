"""The dates a reconciliation query compares: a day, a month, a year, an EDTF interval, or
the timestamp OpenRefine sends for a date cell (``1955-12-07T00:00:00Z``), as the first and
last day it can mean.

The common forms are read directly; anything else goes to the ``edtf`` library (approximate
and uncertain dates: ``1950~``, ``1950?``), which takes ~10 ms a value, so a batch of fifty
rows with dates would otherwise spend half a second there.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

Bounds = tuple[dt.date | None, dt.date | None]

_DAY = re.compile(r"(-?[0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_TIMESTAMP = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?")


class NotADate(ValueError):
    pass


@lru_cache(maxsize=4096)
def bounds(text: str) -> Bounds:
    """The earliest and latest day ``text`` can mean; None for an open end ("../1955")."""
    text = text.strip()
    timestamp = _TIMESTAMP.fullmatch(text)
    if timestamp:
        text = timestamp.group(1)
    if "/" in text:
        start, _, end = text.partition("/")
        low = (None, None) if start in ("..", "") else _plain(start)
        high = (None, None) if end in ("..", "") else _plain(end)
        if low is not None and high is not None:
            return low[0], high[1]
    else:
        plain = _plain(text)
        if plain is not None:
            return plain
    return _library(text)


def _plain(text: str) -> Bounds | None:
    match = _DAY.fullmatch(text)
    if not match or match.group(1).startswith("-"):
        return None
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day:
            date = dt.date(year, int(month), int(day))
            return date, date
        if month:
            last = calendar.monthrange(year, int(month))[1]
            return dt.date(year, int(month), 1), dt.date(year, int(month), last)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def _library(text: str) -> Bounds:
    import edtf

    try:
        parsed = edtf.parse_edtf(text)
        low, high = parsed.lower_strict(), parsed.upper_strict()
    except Exception as exc:     # the library raises several kinds of exception
        raise NotADate(f"{text!r} is not a date (write 1955, 1955-12, 1955-12-07 or an EDTF "
                       f"interval such as 1955-12/1956)") from exc

    def day(bound) -> dt.date | None:
        if not hasattr(bound, "tm_year"):
            return None
        return dt.date(bound.tm_year, bound.tm_mon, bound.tm_mday)

    return day(low), day(high)


def overlap(a: Bounds, b: Bounds, slack_days: int = 0) -> bool:
    """Whether two spans share a day (an open end reaches as far as needed), each widened by
    ``slack_days`` on both sides."""
    slack = dt.timedelta(days=slack_days)
    a_low, a_high = a
    b_low, b_high = b
    if a_high is not None and b_low is not None and a_high + slack < b_low - slack:
        return False
    return not (b_high is not None and a_low is not None and b_high + slack < a_low - slack)


def parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
