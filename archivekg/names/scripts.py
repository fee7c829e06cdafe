"""Latin forms of names in other scripts, and identifiers freed of look-alike letters.

Two different jobs, two different tools:

* **Transliteration** (a name *read* in Latin letters: Бяков → byakov, 김일성 → gimilseong).
  Cyrillic goes through ``iuliia``'s *Wikipedia* schema: it is made for Russian alone and
  reproduces the spellings English-language books give Russian names (Разуваев → Razuvayev,
  Хегай → Khegay, soft signs dropped), where ``anyascii`` gives Razuvaev and Khegaj-like forms and
  ``transliterate``/``cyrtranslit`` follow Serbian-style or GOST tables (Kazahstan, SHty'kov).
  Hangul, and any other script, goes through ``anyascii``: it romanizes Hangul syllable by
  syllable (Revised Romanization letters, 김일성 → GimIlSeong), which is how personal names are
  romanized, whereas ``korean-romanizer`` applies sound changes across syllables (박일우 →
  bagiru) that break names apart.  Letters that iuliia's Russian tables lack (Ukrainian ї) are
  read by ``anyascii`` after it.
* **Homoglyph folding** (an identifier *looked at*: "1-сс" typed with Cyrillic с is "1-cc").
  Unicode's confusables table, through ``confusable_homoglyphs``, maps each Cyrillic or Greek
  letter that looks like a Latin one onto it.  Transliteration would turn "сс" into "ss", which
  is not what a typist who mixed keyboards meant.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import iuliia
from anyascii import anyascii

from .normalize import fold

_CYRILLIC = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_NOT_LATIN_ALNUM = re.compile(r"[^0-9a-z]+")
_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def to_latin(text: str) -> str:
    """A lower-case ASCII reading of ``text``: words of letters and digits separated by single
    spaces, each Hangul syllable a word of its own (김일성 → ``"gim il seong"``).

    Cyrillic is read as Russian, the language of the corpus's Cyrillic sources; other Slavic
    languages would need their own tables (not needed so far).
    """
    text = fold(text)
    if has_cyrillic(text):
        text = iuliia.WIKIPEDIA.translate(text)
    # Each Hangul syllable its own word: a syllable break is known there, and the Korean key
    # uses it to read the consonants around it (박헌영 is bak|heon, not ba|kheon).
    text = _HANGUL_SYLLABLE.sub(lambda match: f" {anyascii(match.group(0))} ", text)
    latin = anyascii(text).lower()
    return " ".join(part for part in _NOT_LATIN_ALNUM.split(latin) if part)


@cache
def _homoglyph(char: str) -> str:
    if char.isascii() or not char.isalpha():
        return char
    # Imported here: its table is large and only identifiers need it.
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            # Only one-letter Latin look-alikes: "Ы" → "bl" would be a reading, not a glyph.
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalnum():
                return glyph["c"]
    return char


def homoglyph_fold(text: str) -> str:
    """``text`` with every Cyrillic or Greek letter that looks like a Latin one replaced by it.

    Case matters to the look (Cyrillic В is Latin B, в is no Latin letter), so the replacement
    is made before case folding: ``homoglyph_fold("1-СС") == "1-CC"``.
    """
    return "".join(_homoglyph(char) for char in unicodedata.normalize("NFKC", text))


_NUMBER_BODY = r"[0-9][0-9a-z]*(?:[-/.][0-9a-z]+)*"
_NUMBER = re.compile(
    rf"(?<![0-9a-z])(?:(?P<marker>no|nr|n|#)\.?\s*(?P<marked>{_NUMBER_BODY})|(?P<bare>{_NUMBER_BODY}))"
    r"(?![0-9a-z])")


def document_numbers(text: str) -> list[str]:
    """The document or decree numbers in ``text``, each as a key where "No. 1-сс" (Cyrillic),
    "No. 1-cc" and "№ 1сс" meet: ``"1cc"``.

    A number is a run that starts with a digit and either follows a number sign (No., Nr., №, #)
    or holds a letter or a separator ("1428-326cc", "17/5"); a bare integer such as a year or a
    day is not one.
    """
    folded = homoglyph_fold(text).casefold()
    numbers = []
    for match in _NUMBER.finditer(folded):
        number = (match.group("marked") or match.group("bare")).rstrip(".")
        if match.group("marked") or not number.isdigit():
            numbers.append(re.sub(r"[-/.]", "", number))
    return numbers
