"""The text of a document cut into runs, so that every annotated passage can be marked.

Annotations carry W3C Web Annotation selectors: a TextPositionSelector (``oa:start`` and
``oa:end``, in Unicode code points, which is what Python indexes strings by) checked
against its TextQuoteSelector (``oa:exact``).  Passages may overlap or nest, and a page
cannot nest links, so the text is cut at every boundary of every passage and segment:
each run knows which passages cover it (its depth), which passage starts there (the
anchor the rest of the site links to) and which end there (where the note numbers go).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEGMENT_TITLES = {
    "catalog": "Catalogue record",
    "body": "Document",
    "distribution": "Distribution",
    "nondocument": "Not part of the document (added by the page that served it)",
}


@dataclass(frozen=True)
class Passage:
    key: str            # anchor name
    number: int         # note number, in text order
    start: int
    end: int
    aliases: tuple[str, ...] = ()   # anchors of other statements quoting the same words


@dataclass
class Run:
    text: str
    covering: list[Passage] = field(default_factory=list)
    starting: list[Passage] = field(default_factory=list)
    ending: list[Passage] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return min(len(self.covering), 3)


@dataclass
class Section:
    kind: str | None     # None for text outside every segment
    start: int
    end: int
    runs: list[Run] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.kind is None:
            return ""
        return SEGMENT_TITLES.get(self.kind, self.kind)

    @property
    def blank(self) -> bool:
        return all(not run.text.strip() for run in self.runs)


def placeable(text: str, start: int, end: int, exact: str | None) -> bool:
    """A selector can be drawn only if its position is in the text and shows its words."""
    if not 0 <= start < end <= len(text):
        return False
    return exact is None or text[start:end] == exact


def cut(text: str, segments: list[tuple[str, int, int]], passages: list[Passage]) -> list[Section]:
    segments = sorted((s for s in segments if 0 <= s[1] < s[2] <= len(text)), key=lambda s: s[1])
    spans: list[tuple[str | None, int, int]] = []
    position = 0
    for kind, start, end in segments:
        if start < position:          # overlapping segments: keep the first, clip the next
            start = position
            if start >= end:
                continue
        if start > position:
            spans.append((None, position, start))
        spans.append((kind, start, end))
        position = end
    if position < len(text):
        spans.append((None, position, len(text)))

    bounds = {0, len(text)}
    for _, start, end in spans:
        bounds.update((start, end))
    for p in passages:
        bounds.update((p.start, p.end))
    points = sorted(b for b in bounds if 0 <= b <= len(text))

    sections = [Section(kind, start, end) for kind, start, end in spans]
    started: set[str] = set()
    index = 0
    for a, b in zip(points, points[1:], strict=False):
        while index < len(sections) - 1 and a >= sections[index].end:
            index += 1
        covering = [p for p in passages if p.start <= a and b <= p.end]
        run = Run(text[a:b], covering,
                  [p for p in covering if p.key not in started],
                  [p for p in covering if p.end == b])
        started.update(p.key for p in run.starting)
        sections[index].runs.append(run)
    return sections
