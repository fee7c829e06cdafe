"""HTTP content negotiation: an Accept parser with q-values and wildcards (RFC 9110 §12.5.1).

Each offered format gets the q-value of the most specific media range that matches it;
the highest q wins, then an explicitly named type over a wildcard, then our preference
order (the order of the table).  A browser's ``text/html,...,*/*;q=0.8`` therefore still
gets an answer, and ``*/*`` gets our default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, TypeVar, overload

T = TypeVar("T")


class Offer(Protocol):
    """What a Format offers (or anything else that names its media types)."""

    @property
    def media_types(self) -> Sequence[str]: ...


OfferT = TypeVar("OfferT", bound=Offer)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


@lru_cache(maxsize=512)
def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """The media ranges of an Accept header; malformed ranges are skipped, not fatal."""
    if not header or not header.strip():
        return (MediaRange("*", "*", 1.0),)
    ranges = []
    for item in _split_outside_quotes(header, ","):
        parts = _split_outside_quotes(item, ";")
        media = parts[0].strip().lower()
        main, slash, sub = media.partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip().strip('"'))
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            ranges.append(MediaRange(main, sub, q))
    return tuple(ranges)


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return [part for part in text.split(sep) if part.strip()]
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part.strip()]


def quality(ranges: Sequence[MediaRange], media_types: Sequence[str]) -> tuple[float, int]:
    """(q, specificity) of an offer under ``ranges``; q 0 means not acceptable.

    ``media_types[0]`` is the offer's own type and takes its q from the most specific range
    that matches it, wildcards included.  The others are aliases (``application/json``
    for SPARQL JSON results) and count only when the client names them exactly, so that
    ``text/*`` means CSV rather than XML-as-text/xml.
    """
    best = (0.0, -1)
    canonical = media_types[0]
    matching = [r for r in ranges if r.matches(canonical)]
    if matching:
        top = max(r.specificity for r in matching)
        best = (max(r.q for r in matching if r.specificity == top), top)
    for alias in media_types[1:]:
        for r in ranges:
            if r.specificity == 2 and r.matches(alias):
                best = max(best, (r.q, 2))
    return best


@overload
def choose(header: str | None, offers: Sequence[OfferT], media_types: None = None) -> OfferT | None: ...


@overload
def choose(header: str | None, offers: Sequence[T], media_types: Callable[[T], Sequence[str]]) -> T | None: ...


def choose(header: str | None, offers: Sequence[Any],
           media_types: Callable[[Any], Sequence[str]] | None = None) -> Any:
    """The offer the client prefers, or None when it accepts none of them.

    ``offers`` are Format-like objects with ``media_types``, or anything with a
    ``media_types`` function to name their types.  Clients repeat the same Accept header,
    so answers for hashable offer tuples are cached.
    """
    if media_types is None and isinstance(offers, tuple):
        try:
            return _choose_cached(header, offers)
        except TypeError:       # unhashable offers: no cache
            pass
    return _choose(header, offers, media_types or (lambda offer: offer.media_types))


@lru_cache(maxsize=1024)
def _choose_cached(header: str | None, offers: tuple):
    return _choose(header, offers, lambda offer: offer.media_types)


def _choose(header, offers, media_types):
    ranges = parse_accept(header)
    best, best_key = None, None
    for rank, offer in enumerate(offers):
        q, specificity = quality(ranges, media_types(offer))
        if q <= 0:
            continue
        key = (q, specificity, -rank)
        if best_key is None or key > best_key:
            best, best_key = offer, key
    return best
