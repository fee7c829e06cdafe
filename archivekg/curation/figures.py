"""Figures with their units: "153 families", "2,700,000-2,800,000 tons", "60-65%", "four million
won", "about 200 Soviet Koreans", "More than 172,000 Koreans", "tens of thousands of persons".

Found with spaCy's rule-based ``Matcher`` over the tokens (a number, a scale word, up to two
words before the unit noun), read with ``text2num`` where the number is written in words.  Only
the units of our vocabulary are proposed (family, person, tonne, won, percent, soldier, woman,
farm, cooperative, year, writer, official): a figure in another unit (kilometres) has no place
in the graph yet.  Why not quantulum3, the quantity extractor on PyPI: on the 1955 journal it
took 22 s (a thousand documents must take less than a minute), averaged every range
("2,700,000-2,800,000 tons" → 2,750,000; "60-65%" → 62.5), read "15-20,000 tons" as 10,007.5
and "1954 KWP" as kilowatt-poise, and has no unit for families or people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from archivekg.curation.document import Analysed
from archivekg.curation.quotes import number_word

UNITS = {
    "family": "family", "families": "family",
    "people": "person", "persons": "person", "person": "person", "residents": "person",
    "inhabitants": "person", "individuals": "person", "souls": "person", "men": "person",
    "tons": "tonne", "ton": "tonne", "tonnes": "tonne", "tonne": "tonne",
    "won": "won", "%": "percent", "percent": "percent", "per cent": "percent",
    "soldiers": "soldier", "soldier": "soldier", "servicemen": "soldier",
    "women": "woman", "woman": "woman",
    "farms": "farm", "farm": "farm", "households": "farm",
    "cooperatives": "cooperative", "cooperative": "cooperative",
    "years": "year", "year": "year",
    "writers": "writer", "writer": "writer",
    "officials": "official", "official": "official", "cadres": "official",
}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
QUALIFIERS = (("more than", "more-than"), ("over", "more-than"), ("above", "more-than"),
              ("upwards of", "more-than"), ("at least", "at-least"), ("no less than", "at-least"),
              ("not less than", "at-least"), ("up to", "up-to"), ("no more than", "up-to"),
              ("not more than", "up-to"), ("at most", "up-to"), ("about", "about"),
              ("approximately", "about"), ("around", "about"), ("some", "about"), ("roughly", "about"),
              ("nearly", "about"), ("almost", "about"), ("evidently", "exactly"))
_DEMONYM = r"^[A-Z][a-z]+(?:ans|ese|ks|hs|is)$"


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    words: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    qualifier: str | None
    confidence: float
    why: str

    @property
    def claims(self) -> dict:
        claims: dict = {}
        if self.value is not None:
            claims["quantityValue"] = _number(self.value)
        else:
            assert self.low is not None and self.high is not None, "a figure without a value is a range"
            claims["minValue"], claims["maxValue"] = _number(self.low), _number(self.high)
        claims["unit"] = self.unit
        if self.qualifier:
            claims["qualifier"] = self.qualifier
        return claims


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


@cache
def _matcher():
    from spacy.matcher import Matcher

    from archivekg.curation.document import nlp

    matcher = Matcher(nlp().vocab)
    unit = {"LOWER": {"IN": [u for u in UNITS if " " not in u]}}
    between = {"IS_ALPHA": True, "LOWER": {"NOT_IN": [*UNITS, *SCALES, "of", "the", "and", "in", "for",
                                                     "to", "a", "by", "from", "with", "on", "at"]},
               "OP": "{0,2}"}
    number = {"LIKE_NUM": True}
    dash = {"TEXT": {"IN": ["-", "–", "—", "to"]}}
    matcher.add("figure", [
        [number, {"LIKE_NUM": True, "OP": "?"}, between, unit],
        [number, dash, number, {"LOWER": {"IN": list(SCALES)}, "OP": "?"}, between, unit],
        [number, {"LIKE_NUM": True, "OP": "?"}, between, {"TEXT": {"REGEX": _DEMONYM}}],
        [number, {"LOWER": "per"}, {"LOWER": "cent"}],
    ])
    matcher.add("tens", [[{"LOWER": {"IN": ["tens", "hundreds"]}}, {"LOWER": "of"},
                          {"LOWER": {"IN": ["thousands", "millions"]}}, {"LOWER": "of", "OP": "?"},
                          between, unit]])
    return matcher


def find_figures(doc: Analysed) -> list[Figure]:
    found: list[Figure] = []
    matcher = _matcher()
    for sentence in doc.sentences:
        span = doc.tokens.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None:
            continue
        matches = matcher(span, as_spans=True)
        for match in sorted(matches, key=lambda m: (m.start, -len(m))):
            if any(match.start_char < f.end and f.start < match.end_char for f in found):
                continue
            figure = _read(doc, match)
            if figure is not None:
                found.append(figure)
    return sorted(found, key=lambda f: f.start)


def _read(doc: Analysed, match) -> Figure | None:
    tokens = list(match)
    words = doc.text[match.start_char:match.end_char]
    last = tokens[-1]
    unit_word = "per cent" if last.lower_ == "cent" else last.lower_
    unit = UNITS.get(unit_word) or ("person" if re.match(_DEMONYM, last.text) else None)
    if unit is None:
        return None
    before = doc.text[max(0, match.start_char - 20):match.start_char].lower()
    qualifier = next((q for phrase, q in QUALIFIERS if re.search(rf"\b{phrase}\s*$", before)), None)
    confidence, why = 0.9, f"a number and the unit '{last.text}'"
    if match.label_ == "tens":
        scale = SCALES[tokens[2].lower_.rstrip("s")]
        factor = 10 if tokens[0].lower_ == "tens" else 100
        return Figure(match.start_char, match.end_char, words, None, factor * scale,
                      factor * 10 * scale - 1, unit, None, 0.6,
                      f"'{tokens[0].text} of {tokens[2].text}': no number, read as "
                      f"{factor * scale:,} to {factor * 10 * scale - 1:,}")
    numbers = [t for t in tokens if t.like_num and t.lower_ not in SCALES]
    scale_words = [t for t in tokens if t.lower_ in SCALES]
    dash = any(t.text in ("-", "–", "—", "to") for t in tokens)
    if not numbers:
        return None
    if numbers[0].lower_ in ("one", "a") and tokens[1] is not last:
        return None          # "one takes agricultural cooperatives": a pronoun, not a figure
    if re.fullmatch(r"1[6-9]\d\d|20\d\d", numbers[0].text) and unit in ("person",) and last.text[0].isupper():
        return None          # "1937 Koreans": a year before a people, not a figure
    if dash and len(numbers) >= 2:
        low, high = _value([numbers[0]], scale_words), _value([numbers[-1]], scale_words)
        if low is None or high is None:
            return None
        if low < 1000 <= high and numbers[-1].text.endswith(",000") and "," not in numbers[0].text \
                and low * 1000 <= high:
            low *= 1000
            why += f"; '{numbers[0].text}-{numbers[-1].text}' read as {int(low):,} to {int(high):,}"
        if low >= high:
            return None
        return Figure(match.start_char, match.end_char, words, None, low, high, unit, qualifier or "exactly",
                      0.85, why + "; a range")
    value = _value(numbers, scale_words)
    if value is None:
        return None
    if unit == "person" and re.match(_DEMONYM, last.text):
        confidence, why = 0.75, f"a number and a people named in the plural ('{last.text}'): persons"
    return Figure(match.start_char, match.end_char, words, value, None, None, unit, qualifier or "exactly",
                  confidence, why)


def _value(numbers, scale_words) -> float | None:
    text = " ".join(t.text for t in numbers)
    if all(any(c.isdigit() for c in t.text) for t in numbers):
        try:
            value = float(numbers[0].text.replace(",", ""))
        except ValueError:
            return None
    else:
        written = number_word(" ".join([text] + [t.text for t in scale_words]).lower())
        return float(written) if written is not None else None
    for word in scale_words:
        value *= SCALES[word.lower_]
    return value
