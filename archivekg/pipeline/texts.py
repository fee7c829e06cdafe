"""Document texts: their segments, and where a quote stands in them.

Curators copy quotes word for word but may write a line break or a run of spaces as one
space, so a quote is matched with every run of white space standing for any run of white
space.  What is recorded is the exact text found (W3C Web Annotation TextQuoteSelector with
prefix and suffix) and its position in code points (TextPositionSelector).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Located:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Segment:
    kind: str
    start: int
    end: int


def find_all(text: str, quote: str) -> list[Span]:
    """Every non-overlapping place of ``quote`` in ``text``, white space matched loosely.

    What the pattern ``word\\s+word...`` would find, found with ``str.find`` in the text with
    each run of white space written as one space (compiling a pattern for each of a corpus's
    quotes cost more than the whole rest of reading it).
    """
    words = quote.split()
    if not words:
        return []
    squeezed, runs = _squeezed(text)
    needle = " ".join(words)
    spans, at = [], squeezed.find(needle)
    while at >= 0:
        end = at + len(needle)
        spans.append(Span(_original(runs, at), _original(runs, end - 1) + 1))
        at = squeezed.find(needle, end)
    return spans


_WHITE = re.compile(r"\s+")


@lru_cache(maxsize=64)
def _squeezed(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with every run of white space as one space, and where the runs were: pairs
    (position in the squeezed text just after the run, position in ``text`` after it)."""
    pieces, runs, last, shift = [], [(0, 0)], 0, 0
    for match in _WHITE.finditer(text):
        pieces.append(text[last:match.start()])
        pieces.append(" ")
        shift += match.end() - match.start() - 1
        last = match.end()
        runs.append((last - shift, last))
    pieces.append(text[last:])
    return "".join(pieces), tuple(runs)


def _original(runs: tuple[tuple[int, int], ...], position: int) -> int:
    """The position in the original text of a (non-space) character of the squeezed one."""
    squeezed_start, original_start = runs[bisect_right(runs, (position, float("inf"))) - 1]
    return original_start + position - squeezed_start


def locate(text: str, quote: str, occurrence: int | None = None) -> Located | str:
    """Where ``quote`` stands in ``text``; a reason string when it cannot be placed."""
    spans = find_all(text, quote)
    if not spans:
        return "the quote is not in the document text"
    if occurrence is None:
        if len(spans) > 1:
            return (f"the quote occurs {len(spans)} times in the text; "
                    f"say which with `occurrence: N` (1 to {len(spans)})")
        span = spans[0]
    else:
        if not 1 <= occurrence <= len(spans):
            return f"`occurrence: {occurrence}` but the quote occurs {len(spans)} time(s)"
        span = spans[occurrence - 1]
    return Located(
        start=span.start, end=span.end, exact=text[span.start:span.end],
        prefix=text[max(0, span.start - CONTEXT_CHARS):span.start],
        suffix=text[span.end:span.end + CONTEXT_CHARS])


def contains_words(haystack: str, needle: str) -> bool:
    """True when ``needle`` occurs in ``haystack`` (white space matched loosely)."""
    return bool(find_all(haystack, needle))
