"""Normalising a name for comparison, in whatever script it is written.

``normalize("Cde. Kim Il Sung’s")`` is ``"kim il sung"``: Unicode NFKC, case folding, the
diacritics of Latin letters removed (ŏ→o, ŭ→u, é→e), possessives and apostrophes removed (the
apostrophe of McCune–Reischauer aspiration, P'yŏngyang, joins its word), every other punctuation a
word break, and the honorifics and titles that lead a name dropped.  ``compact`` joins the words,
so that the hyphens and spaces inside Korean given names ("Pak Il-u", "Pak Il U", "Pak Ilu") stop
mattering.

Cyrillic й keeps its breve (it is a letter of its own, not и with an accent); ё is written е, as
Russian print usually does.  Hangul syllables come back composed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Forms of address dropped wherever they lead a name ("Cde. Fedorenko", "тов. Штыков").
HONORIFICS = frozenset({
    "cde", "comrade", "tov", "tovarishch", "tovarisch", "mr", "mrs", "ms", "dr", "messrs",
    "gospodin", "товарищ", "тов", "господин",
})
#: Titles dropped where they lead a person's name ("Ambassador V. I. Ivanov"), but not where an
#: organization's name begins with them ("Minister of Heavy Industry"): see ``_drop_leading``.
TITLES = frozenset({
    "ambassador", "marshal", "premier", "chairman", "minister", "president", "colonel",
    "lieutenant", "captain", "admiral", "professor", "prof", "academician",
    "посол", "маршал", "премьер", "председатель", "министр", "генерал", "полковник",
    "профессор", "академик",
})
_FUNCTION_WORDS = frozenset({"of", "the", "for", "and", "in", "on", "to", "at", "de", "du", "der"})
_APOSTROPHES = "'’ʼʻ`´‘"
_POSSESSIVE = re.compile(rf"(?<=[^\W_])[{_APOSTROPHES}]s(?![^\W_])")
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
_WORD = re.compile(r"[^\W_]+(\.)?")
_LATIN_RANGES = (("\u0000", "\u036f"), ("\u1e00", "\u1eff"))


@dataclass(frozen=True)
class Token:
    """One word of a normalised name; ``abbreviated`` for an initial ("V.", "I", "Yu.")."""

    text: str
    abbreviated: bool = False


def _is_latin(char: str) -> bool:
    return any(low <= char <= high for low, high in _LATIN_RANGES)


def fold(text: str) -> str:
    """NFKC, case folding, the diacritics of Latin letters removed, ё→е; nothing else."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    kept: list[str] = []
    base_is_latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = _is_latin(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).replace("ё", "е")


def _drop_leading(tokens: list[Token]) -> list[Token]:
    start = 0
    while start < len(tokens) - 1:
        word, following = tokens[start].text, tokens[start + 1].text
        if word in HONORIFICS or word == "the" or (word in TITLES and following not in _FUNCTION_WORDS):
            start += 1
        else:
            break
    return tokens[start:]


def name_tokens(text: str) -> list[Token]:
    """The words of a name, normalised, with honorifics and leading titles dropped."""
    if not isinstance(text, str):
        raise TypeError(f"a name must be a string, not {type(text).__name__}: {text!r}")
    folded = _POSSESSIVE.sub("", fold(text))
    folded = _APOSTROPHE.sub("", folded)
    tokens = []
    for match in _WORD.finditer(folded):
        word = match.group(0).rstrip(".")
        abbreviated = word.isalpha() and (len(word) == 1 or (match.group(1) is not None and len(word) == 2))
        tokens.append(Token(word, abbreviated))
    return _drop_leading(tokens)


def normalize(text: str) -> str:
    """The name as words separated by single spaces: ``"Kim Il-sŏng’s"`` → ``"kim il song"``."""
    return " ".join(token.text for token in name_tokens(text))


def compact(text: str) -> str:
    """The normalised name without spaces: ``"Pak Il-u"``, ``"Pak Il U"`` → ``"pakilu"``."""
    return "".join(token.text for token in name_tokens(text))
