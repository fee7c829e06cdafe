"""A document's text cut into passages: what a word search finds and shows.

Paragraphs (text between blank lines) of the segments that are the document (its body and
its distribution list: not the catalogue, which the document's record already gives, nor
what is not the document).  Short paragraphs are joined up to ``SHORTEST`` characters, long
ones cut at a sentence end near ``LONGEST``; each passage keeps its position in the text
(code points, as the annotations' selectors count them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

INDEXED_SEGMENTS = ("body", "distribution")
SHORTEST = 200
LONGEST = 1200
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?;:]\s+")


def paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    for match in _PARAGRAPH.finditer(text, start, end):
        yield from _trimmed(text, position, match.start())
        position = match.end()
    yield from _trimmed(text, position, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > LONGEST:
        cut = None
        for match in _SENTENCE_END.finditer(text, start + LONGEST // 2, start + LONGEST):
            cut = match.end()
        if cut is None:
            space = text.rfind(" ", start + LONGEST // 2, start + LONGEST)
            cut = space + 1 if space > start else start + LONGEST
        yield from _trimmed(text, start, cut)
        start = cut
    yield from _trimmed(text, start, end)


def passages(text: str, segments: Iterable[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """(segment kind, start, end) of each passage of the indexed segments, in text order."""
    found: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(segments, key=lambda s: s[1]):
        if kind not in INDEXED_SEGMENTS:
            continue
        pending: tuple[int, int] | None = None
        for para_start, para_end in paragraphs(text, start, min(end, len(text))):
            if pending is not None:
                para_start = pending[0]
            if para_end - para_start < SHORTEST:
                pending = (para_start, para_end)
                continue
            pending = None
            found += [(kind, s, e) for s, e in _cut_long(text, para_start, para_end)]
        if pending is not None:
            found.append((kind, *pending))
    return found
