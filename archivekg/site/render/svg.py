"""Small helpers for the charts drawn on the server as SVG (no script, no fetched library)."""

from __future__ import annotations

from datetime import date


def day_number(text: str) -> int:
    """Days since 0001-01-01 of an xsd:date (a year or month alone means its first day)."""
    parts = [int(p) for p in text.lstrip("-")[:10].split("-") if p.isdigit()]
    year, month, day = (parts + [1, 1])[:3]
    return date(max(1, year), month, day).toordinal()


def year_of(day: int) -> int:
    return date.fromordinal(day).year


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def nice_step(span: float, target: int = 6) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``target`` ticks."""
    if span <= 0:
        return 1
    raw = span / target
    power = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power
