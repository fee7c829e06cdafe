"""A phonetic key where the spellings of one Korean name meet, whatever romanization or script.

김일성 is Kim Il Sung (customary), Kim Il-sŏng (McCune–Reischauer), Gim Il-seong (Revised
Romanization), Ким Ир Сен (the traditional Soviet transcription), Ким Ильсон (Kontsevich).  Once
the Hangul and the Cyrillic are read in Latin letters (``scripts.to_latin``), the spellings still
differ in every letter that the systems write differently: k/g, t/d, p/b, ch/j/ts, r/l and the
Russian н for final ㅇ, ŏ/eo/o/u/e, ŭ/eu/u/y, glides (yŏ/yeo/ё/e, wŏ/vo).  ``korean_keys``
parses the letters as Korean syllables (onset, vowel, coda) and writes each part as its class,
so those differences vanish: all five forms above give ``KiMiLSoN``.

Why our own table: no library on PyPI maps *between* romanizations.  The romanizers
(korean-romanizer, hangul-romanize, anyascii, koroman) go from Hangul to one system; the phonetic
encoders (jellyfish's Soundex, Metaphone and NYSIIS, ``phonetics``, abydos) follow English or
German spelling: they drop or merge the vowels that tell Korean names apart (Kim, Kang, Kong),
keep r apart from l, and know nothing of the Russian кх, пх, ц or of the silent initial r of
South Korean spelling.  The tables below are small; the comments beside them say which
spellings need the less obvious entries.

How coarse the key is, on purpose: the vowel classes are only ``a`` (ㅏ ㅑ ㅘ), ``i`` (ㅣ ㅢ ㅟ),
``e`` (ㅚ ㅙ ㅞ: Choe, Choi, Цой, Чвэ, which keeps 최 apart from 조 Cho) and ``o`` (every other
vowel), because the Soviet transcription writes 성 as "сен" and ㅕ as "е" where the others write
o, u, eo; final n and ng are one class, because Russian writes both as "н".  Names that differ
only there (Kim Sun-ho, Kim Sung-ho; Pae, Po) share a key: the index grades a phonetic match by
how close the letters are, so the closer spelling still ranks first.

The key has no mark of where syllables and words break ("Pak Il-u", "Pak Il U", "Pak Ilu" meet):
spreadsheets place hyphens and spaces at will.  Where a break is written it is used to read the
consonants around it (Pak Hon is k + h, Russian Хон is kh); where it is not, the shortest coda
is read, and "ng" before a vowel both ways (final ng in Pyongyang, n + g in Russian Ёнгон).
Only the first letter of the name is word-initial, where North Korean r/n before i or y is
silent in South Korean spelling (Ri/Yi/Lee, Rim/Im/Lim, Ryu/Yu).

A name that does not parse as Korean syllables (Ivanov: final v; Stalin: initial st; Goldberg:
ldb) gets no key: these merges would confuse Russian and English names with each other.
"""

from __future__ import annotations

import itertools
import re

#: Initial consonants: spelling → class.  kh is Russian х (ㅎ); kkh, pkh, tkh, chkh are the
#: Russian кх, пх, тх, чх of the aspirated ㅋ ㅍ ㅌ ㅊ; ts is ц, dzh is дж.
ONSETS = {
    "": "",
    "g": "K", "k": "K", "gg": "K", "kk": "K", "kkh": "K",
    "h": "H", "hh": "H", "kh": "H",
    "n": "N",
    "d": "T", "t": "T", "dd": "T", "tt": "T", "th": "T", "tkh": "T",
    "r": "L", "l": "L", "rh": "L",
    "m": "M",
    "b": "P", "p": "P", "bb": "P", "pp": "P", "ph": "P", "pkh": "P",
    "s": "S", "ss": "S", "sh": "S",
    "j": "C", "jj": "C", "ch": "C", "tch": "C", "chh": "C", "chkh": "C", "ts": "C", "tz": "C",
    "dzh": "C", "dj": "C",
}
#: Final consonants.  Final ㅅ ㅈ ㅊ are pronounced t (anyascii writes ㅅ as s, ㅈ as j).
CODAS = {
    "": "",
    "k": "K", "g": "K", "kk": "K",
    "t": "T", "d": "T", "s": "T", "j": "T", "ch": "T",
    "p": "P", "b": "P",
    "m": "M",
    "n": "N", "ng": "N",
    "l": "L", "r": "L", "ll": "L",
}
#: Vowels with their glides.  v before a vowel after a consonant is the Russian spelling of the
#: w glide (Квон, Чвэ) and is rewritten w before parsing; a lone y is Russian ы.
NUCLEI = {
    "a": "a", "ya": "a", "wa": "a",
    "i": "i", "ee": "i", "yi": "i", "ui": "i", "wi": "i", "eui": "i",
    "oe": "e", "oi": "e", "we": "e", "wae": "e",
    "e": "o", "ae": "o", "yae": "o", "ye": "o",
    "eo": "o", "yeo": "o", "weo": "o", "wo": "o", "o": "o", "yo": "o", "u": "o", "yu": "o",
    "oo": "o", "woo": "o", "ou": "o", "you": "o", "eu": "o", "y": "o",
}
_NUCLEI_LONGEST_FIRST = sorted(NUCLEI, key=len, reverse=True)
#: The longest name (in syllables) that we still take for Korean: four-syllable given names and
#: compound surnames exist, organisations' names are longer.
MAX_SYLLABLES = 8
_SILENT_INITIAL = frozenset({"r", "l", "rh", "n"})


_W_GLIDE = re.compile(r"(?<=[^aeiouyw])v(?=[aeiou])")
_SHORT_I = re.compile(r"(?<=[aeiou])y(?![aeiou])")


def _prepare(latin: str) -> str:
    if "v" in latin:
        latin = _W_GLIDE.sub("w", latin)
    # y after a vowel and before none is Russian й, an i: Цой → tsoy, Хегай → khegay.
    return _SHORT_I.sub("i", latin) if "y" in latin else latin


def _runs(latin: str) -> list[tuple[bool, int, int]]:
    """The letters grouped into (is_vowel, start, end) runs; y, and w before a vowel, are vowels."""
    def vowelish(i: int) -> bool:
        char = latin[i]
        return char in "aeiouy" or (char == "w" and i + 1 < len(latin) and latin[i + 1] in "aeiou")

    runs = []
    for is_vowel, group in itertools.groupby(range(len(latin)), key=vowelish):
        positions = list(group)
        runs.append((is_vowel, positions[0], positions[-1] + 1))
    return runs


_NUCLEUS = re.compile("|".join(_NUCLEI_LONGEST_FIRST))


def _nuclei(run: str) -> list[str] | None:
    """The vowels of a run, longest spelling first (yeo before yo before y)."""
    found = _NUCLEUS.findall(run)
    if sum(map(len, found)) != len(run):
        return None
    return [NUCLEI[nucleus] for nucleus in found]


def _medial(run: str, cut: int | None) -> list[list[str]] | None:
    """The readings of consonants between two vowels.  Where a word break falls in them
    (``cut``), it divides coda from onset; elsewhere the shortest coda that leaves a valid
    onset is taken, and "ng" before a vowel is read both as n + g (Russian Ёнгон) and as a
    final ng (Pyongyang)."""
    for coda_length in ([cut] if cut is not None else range(len(run) + 1)):
        coda, onset = run[:coda_length], run[coda_length:]
        if coda in CODAS and onset in ONSETS:
            readings = [[CODAS[coda], ONSETS[onset]]]
            if coda == "n" and onset == "g" and cut is None:
                readings.append([CODAS["ng"]])
            return readings
    return None


def korean_keys(words) -> frozenset[str]:
    """The phonetic keys of a name read in Latin letters, or an empty set if it does not parse
    as Korean syllables.

    ``words`` is a string of lower-case a-z words separated by spaces, or a list of such words.
    A break between words is always a break between syllables; where words are joined, the
    break is inferred.

    >>> korean_keys("kim il sung") == korean_keys("kim ir sen") == {"KiMiLSoN"}
    True
    """
    words = words.split() if isinstance(words, str) else list(words)
    words = [_prepare(word) for word in words]
    if not words or not all(word.isascii() and word.isalpha() for word in words):
        return frozenset()
    if not all(any(char in "aeiouy" for char in word) for word in words):
        return frozenset()          # an initial: no syllable to read
    latin = "".join(words)
    breaks = set(itertools.accumulate(len(word) for word in words[:-1]))
    runs = _runs(latin)
    parts: list[list[list[str]]] = []
    syllables = 0
    for index, (is_vowel, start, end) in enumerate(runs):
        run = latin[start:end]
        if is_vowel:
            nuclei: list[str] = []
            for piece in _split_at(run, start, breaks):
                piece_nuclei = _nuclei(piece)
                if piece_nuclei is None:
                    return frozenset()
                nuclei += piece_nuclei
            syllables += len(nuclei)
            parts.append([nuclei])
        elif index == 0:
            if run not in ONSETS:
                return frozenset()
            parts.append([[ONSETS[run]]])
        elif index == len(runs) - 1:
            if run not in CODAS:
                return frozenset()
            parts.append([[CODAS[run]]])
        else:
            cuts = [b - start for b in breaks if start <= b <= end]
            readings = _medial(run, cuts[0] if cuts else None)
            if readings is None:
                return frozenset()
            parts.append(readings)
    if syllables == 0 or syllables > MAX_SYLLABLES:
        return frozenset()
    _silence_initial(parts, latin, runs)
    return frozenset(_spell(itertools.chain.from_iterable(choice))
                     for choice in itertools.product(*parts))


def _split_at(run: str, start: int, breaks: set[int]) -> list[str]:
    if len(run) == 1:
        return [run]
    cuts = sorted(b - start for b in breaks if start < b < start + len(run))
    return [run[i:j] for i, j in zip([0] + cuts, cuts + [len(run)], strict=False)]


def _silence_initial(parts, latin: str, runs) -> None:
    """North Korean initial r (and n) before i or y is silent in South Korean spelling, and r is
    n before other vowels: Ri/Yi/Lee, Rim/Im, Ryu/Yu, Ro/No."""
    if runs[0][0]:
        return
    initial = latin[runs[0][1]:runs[0][2]]
    if initial not in _SILENT_INITIAL:
        return
    first_vowels = latin[runs[1][1]:runs[1][2]] if len(runs) > 1 else ""
    first_class = parts[1][0][0] if len(parts) > 1 else ""
    parts[0] = [[""]] if first_vowels.startswith("y") or first_class == "i" else [["N"]]


def _spell(classes) -> str:
    key: list[str] = []
    for cls in classes:
        # A doubled consonant class is one sound spelt twice (Il-lyong / Il-ryong / Illyong).
        if cls and not (key and cls.isupper() and key[-1] == cls):
            key.append(cls)
    return "".join(key)


def name_keys(words) -> frozenset[str]:
    """``korean_keys`` of the whole name or, for a name that mixes Korean words with others
    ("South Hamgyŏng", "Ongjin District", "Kim Il Sung Square"), the key of each run of Korean
    words with the other words kept as they are, joined by "|": ``{"south|HaMKoN"}``."""
    words = words.split() if isinstance(words, str) else list(words)
    whole = korean_keys(words)
    if whole or len(words) < 2:
        return whole
    parts: list[list[str]] = []
    run: list[str] = []
    korean_runs = 0
    for word in words + [None]:
        if word is not None and korean_keys([word]):
            run.append(word)
            continue
        if run:
            parts.append(sorted(korean_keys(run)))
            korean_runs += 1
            run = []
        if word is not None:
            parts.append([word])
    if korean_runs == 0 or korean_runs == len(parts):
        return frozenset()
    return frozenset("|".join(choice) for choice in itertools.product(*parts))


def is_korean_looking(latin: str) -> bool:
    """Whether a name read in Latin letters parses as Korean syllables."""
    return bool(korean_keys(latin))
