"""A passage of a text as a quote the build can place: its words (runs of white space as one
space, as curators write them) and, where the same words recur, which occurrence it is."""

from __future__ import annotations

from dataclasses import dataclass

from archivekg.pipeline import texts


@dataclass(frozen=True)
class Quote:
    text: str
    start: int
    end: int
    occurrence: int | None = None

    def yaml(self) -> dict:
        data: dict = {"quote": self.text}
        if self.occurrence:
            data["occurrence"] = self.occurrence
        return data


def quote(text: str, start: int, end: int) -> Quote | None:
    """The quote of ``text[start:end]``; None when the build could not place it there (the same
    words overlap an earlier occurrence of themselves)."""
    words = " ".join(text[start:end].split())
    if not words:
        return None
    spans = texts.find_all(text, words)
    starts = [span.start for span in spans]
    if start not in starts:
        return None
    return Quote(words, start, end, None if len(spans) == 1 else starts.index(start) + 1)


def number_word(word: str) -> int | None:
    """A whole number written in digits or in English words ("Five", "three thousand")."""
    cleaned = word.replace(",", "").strip()
    if cleaned.isdigit():
        return int(cleaned)
    from text_to_num import text2num

    try:
        return int(text2num(cleaned.lower(), "en"))
    except ValueError:
        return None
