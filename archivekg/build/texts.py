"""Document texts: their segments, and where a quote stands in them.

Curators copy quotes word for word but may write a line break or a run of spaces as one
space, so a quote is matched with every run of white space standing for any run of white
space.  What is recorded is the exact text found (W3C Web Annotation TextQuoteSelector with
prefix and suffix) and its position in code points (TextPositionSelector).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def _pattern(quote: str) -> re.Pattern:
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def find_all(text: str, quote: str) -> list[Span]:
    if not quote.split():
        return []
    return [Span(m.start(), m.end()) for m in _pattern(quote).finditer(text)]


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
