"""An in-memory index of the names of entities: who is "Ким Ир Сен", which entity does "Pyong"
begin?

``NameIndex(entries)`` takes ``(entity_id, type, names, weight)`` entries, ``names`` a list of
``(text, language tag or None)``, ``weight`` how much the corpus says about the entity.
``match(query)`` ranks the entities whose names the query may be a form of; ``complete(prefix)``
those whose names begin with it.  Each candidate says which of its names matched and how, so that
a page can explain it, and carries a score in [0, 1]:

=============== ======== =====================================================================
kind            score    the query and the name are ...
=============== ======== =====================================================================
exact           1.0      the same once normalised (case, accents, punctuation, honorifics)
transliteration 0.97     the same once read in Latin letters (Иванов, Ivanov)
reordered       0.95     the same words in another order (Ivanov V. I., V. I. Ivanov)
number          0.95     the same document number (No. 1-сс, № 1сс, No. 1-cc)
initials        0.9      one surname, initials that agree with the other's given names
phonetic        0.8-0.92 the same Korean syllable key (Ким Ир Сен, Kim Il Sung), graded by
                         how close the Latin letters are
partial         0.4-0.75 sharing words (Kazakhstan, Kazakhstan region), graded by how much
fuzzy           <0.75    similar letters (a typo), graded by rapidfuzz's ratio
=============== ======== =====================================================================

A score of at least ``STRONG_MATCH`` (0.8) says the query is a form of that name; below it, the
candidate is only similar and a person must judge.  The scores are those of the name: entities
that share a name get the same score, and the tie is broken by weight for display only.
"""

from __future__ import annotations

import bisect
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

from .candidates import Best, Candidate, Entry, IndexedName, MatchKind
from .completion import PrefixTable
from .forms import NameForm, name_form
from .korean import korean_keys, name_keys
from .normalize import Token

_FUZZY_CUTOFF = 60          # rapidfuzz ratio below which letters are not "similar"
_FUZZY_CEILING = 0.75
_COMMON_WORD = 100          # a word in more names than this (Kim, district) says too little to
                            # rank by: the partial tier skips it and leaves such names to fuzzy
_PREFIX_WORD = 4            # shortest word that counts as the stem of a longer one (Uzbek-istan)


class NameIndex:
    """Names of entities, ready for ``match`` and ``complete``.  Read-only once built."""

    def __init__(self, entries: Iterable[Entry | tuple]):
        self._entities: list[Entry] = []
        self._names: list[IndexedName] = []
        forms: list[NameForm] = []
        seen: dict[str, int] = {}
        for position, raw in enumerate(entries):
            entry = _checked_entry(raw, position)
            if entry.entity_id in seen:
                raise ValueError(f"entry {position}: entity {entry.entity_id!r} is already entry "
                                 f"{seen[entry.entity_id]}; give each entity one entry with all its names")
            seen[entry.entity_id] = position
            for text, lang in entry.names:
                form = name_form(text, lang)
                if not form.latin:
                    raise ValueError(f"entry {position} ({entry.entity_id}): the name {text!r} has "
                                     "no letter or digit to match once titles and punctuation are removed")
                self._names.append(IndexedName(len(self._entities), text, lang, form.latin))
                forms.append(form)
            self._entities.append(entry)
        self._build(forms)

    def __len__(self) -> int:
        return len(self._entities)

    @property
    def entries(self) -> list[Entry]:
        """The entries the index was built from, in their order."""
        return list(self._entities)

    def reweighted(self, weights: Mapping[str, float]) -> NameIndex:
        """The same names with other weights (entity id → weight; entities not named keep
        theirs): what a rebuild needs when documents changed how much the corpus says about
        an entity, without recomputing any name's forms.  Equal to a fresh index of the
        reweighted entries."""
        entities, changed = [], set()
        for position, entry in enumerate(self._entities):
            if entry.entity_id in weights and weights[entry.entity_id] != entry.weight:
                entry = _checked_entry(entry._replace(weight=weights[entry.entity_id]), position)
                changed.add(position)
            entities.append(entry)
        copy = object.__new__(NameIndex)
        copy.__dict__.update(self.__dict__)
        copy._entities = entities
        copy._prefixes = self._prefixes.reranked(entities, self._names, changed)
        return copy

    def save(self, path: str | os.PathLike) -> None:
        """Write the index to ``path`` (see storage.py): ``NameIndex.load`` reads it back in a
        fraction of the time building takes."""
        from .storage import save
        save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> NameIndex:
        from .storage import load
        return load(path)

    # ------------------------------------------------------------------ building
    def _build(self, forms: list[NameForm]) -> None:
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._latin: dict[str, list[int]] = defaultdict(list)
        self._rotated: dict[str, list[int]] = defaultdict(list)
        self._phonetic: dict[str, list[tuple[int, bool]]] = defaultdict(list)
        # surname → (name, its other words): all names of several words, and those with an
        # initial apart, for queries without one ("Vladimir Ivanov" for "V. I. Ivanov").
        # Keyed by the surname and the first letter of the first given name, which must agree.
        self._surnames: dict[tuple[str, str], list[tuple[int, tuple[Token, ...]]]] = defaultdict(list)
        self._surnames_with_initials: dict[tuple[str, str], list[tuple[int, tuple[Token, ...]]]] = \
            defaultdict(list)
        self._words: dict[str, list[int]] = defaultdict(list)
        self._numbers: dict[str, list[int]] = defaultdict(list)
        fuzzy_choices: dict[str, list[int]] = defaultdict(list)
        completions: list[tuple[str, int, int]] = []
        for number, form in enumerate(forms):
            self._exact[form.key].append(number)
            self._latin[form.latin].append(number)
            fuzzy_choices[form.latin].append(number)
            for key in form.phonetic:
                self._phonetic[key].append((number, False))
                completions.append((key, 2, number))
            for rotation in form.rotations():
                self._rotated["".join(word.text for word in rotation)].append(number)
                for key in name_keys([word.text for word in rotation]) - form.phonetic:
                    self._phonetic[key].append((number, True))
            words = form.latin_words
            for position, word in enumerate(words):
                if not word.abbreviated:
                    self._words[word.text].append(number)
                    if len(words) > 1:
                        given = words[:position] + words[position + 1:]
                        self._surnames[word.text, given[0].text[0]].append((number, given))
                        if any(token.abbreviated for token in given):
                            self._surnames_with_initials[word.text, given[0].text[0]].append((number, given))
                completions.append(("".join(w.text for w in words[position:]), 0 if position == 0 else 1, number))
            if form.key != form.latin:
                completions.append((form.key, 0, number))
            for key in form.numbers:
                self._numbers[key].append(number)
        self._fuzzy_keys = list(fuzzy_choices)
        self._fuzzy_names = [sorted(set(fuzzy_choices[key])) for key in self._fuzzy_keys]
        self._sorted_words = sorted(self._words)
        self._prefixes = PrefixTable(completions, self._entities, self._names)

    # ------------------------------------------------------------------ matching
    def match(self, query: str, type: str | Iterable[str] | None = None, limit: int = 10) -> list[Candidate]:
        """The entities whose names ``query`` may be a form of, best first (at most ``limit``).

        ``type`` keeps only entities of that type (or of any of those types): the index knows no
        class hierarchy, so a caller that wants every Place passes its subclasses too.
        """
        _check_limit(limit)
        types = _types(type)
        found = Best(self._entities, self._names, types)
        query_form = name_form(query)
        if not query_form.latin:
            return []
        for number in self._exact.get(query_form.key, ()):
            found.offer(number, MatchKind.EXACT, "the same name once normalised")
        for number in self._latin.get(query_form.latin, ()):
            found.offer(number, MatchKind.TRANSLITERATION, f"both read “{query_form.latin}”")
        for number in self._rotated.get(query_form.latin, ()):
            found.offer(number, MatchKind.REORDERED, "the same words in another order")
        for key in query_form.numbers:
            for number in self._numbers.get(key, ()):
                found.offer(number, MatchKind.NUMBER, f"document number {key}")
        self._match_initials(query_form, found)
        for key in query_form.phonetic:
            for number, rotated in self._phonetic.get(key, ()):
                similarity = fuzz.ratio(query_form.latin, self._names[number].latin) / 100
                order = ", words reordered" if rotated else ""
                found.offer(number, MatchKind.PHONETIC, f"Korean syllable key {key}{order}",
                            score=0.8 + 0.12 * similarity)
        self._match_words(query_form, found)
        self._match_fuzzy(query_form, found, limit)
        return found.ranked(limit)

    def _match_initials(self, query_form: NameForm, found: Best) -> None:
        words = query_form.latin_words
        # Without an initial in the query, only names with one can agree with it.
        surnames = self._surnames if any(w.abbreviated for w in words) else self._surnames_with_initials
        for position, word in enumerate(words):
            if word.abbreviated:
                continue
            given = words[:position] + words[position + 1:]
            if not given:
                continue
            for number, other_given in surnames.get((word.text, given[0].text[0]), ()):
                if _initials_agree(given, other_given):
                    shown = " ".join(w.text for w in given)
                    found.offer(number, MatchKind.INITIALS, f"surname {word.text}, given names {shown}")

    def _match_words(self, query_form: NameForm, found: Best) -> None:
        # name → query word → (length of the overlap, the name's word)
        shared: dict[int, dict[str, tuple[int, str]]] = defaultdict(dict)
        for word in {w.text for w in query_form.latin_words if not w.abbreviated}:
            related = [(word, len(word))]
            if len(word) >= _PREFIX_WORD:
                start = bisect.bisect_left(self._sorted_words, word)
                for other in self._sorted_words[start:start + _COMMON_WORD]:
                    if not other.startswith(word):
                        break
                    if other != word:
                        related.append((other, len(word)))
                related += [(word[:cut], cut) for cut in range(_PREFIX_WORD, len(word))
                            if word[:cut] in self._words]
            if sum(len(self._words.get(other, ())) for other, _ in related) > _COMMON_WORD:
                continue
            for other, length in related:
                for number in self._words.get(other, ()):
                    # Each word of the query counts once per name, by its longest overlap.
                    if length > shared[number].get(word, (0, ""))[0]:
                        shared[number][word] = (length, other)
        for number, overlaps in shared.items():
            latin = self._names[number].latin
            coverage = sum(length for length, _ in overlaps.values()) / max(len(query_form.latin), len(latin))
            words = sorted({other for _, other in overlaps.values()})
            found.offer(number, MatchKind.PARTIAL, "shares " + ", ".join(f"“{w}”" for w in words),
                        score=0.4 + 0.35 * min(coverage, 1.0))

    def _match_fuzzy(self, query_form: NameForm, found: Best, limit: int) -> None:
        hits = process.extract(query_form.latin, self._fuzzy_keys, scorer=fuzz.ratio,
                               score_cutoff=_FUZZY_CUTOFF, limit=max(50, 5 * limit))
        for _, similarity, choice in hits:
            for number in self._fuzzy_names[choice]:
                found.offer(number, MatchKind.FUZZY, f"{similarity:.0f}% similar letters",
                            score=_FUZZY_CEILING * similarity / 100)

    # ------------------------------------------------------------------ completion
    def complete(self, prefix: str, type: str | Iterable[str] | None = None, limit: int = 10) -> list[Candidate]:
        """The entities with a name that begins with ``prefix`` (or one of whose words does),
        best first: whole names before later words, then by weight, then shorter names."""
        _check_limit(limit)
        types = _types(type)
        form = name_form(prefix)
        if not form.latin:
            return []
        found = Best(self._entities, self._names, types)
        for key in {form.latin, form.key}:
            self._prefixes.offer(key, (0, 1), found, limit)
        if len(found.best) < limit:
            # Other spellings of a Korean name only where the letters found too few: a short
            # phonetic key begins thousands of names.
            words = [w.text for w in form.latin_words if any(c in "aeiouy" for c in w.text)]
            for key in korean_keys(words):
                self._prefixes.offer(key, (2,), found, limit)
        return found.ranked(limit, shorter_first=True)

def _initials_agree(given: tuple[Token, ...], other: tuple[Token, ...]) -> bool:
    """Whether two lists of given names (or initials) can be the same person's, with at least one
    initial among them: V. I. / Vladimir I. / V. agree, Chaek / Chan do not.  Where one list is
    longer, what it adds must be initials (V. M. Molotov, Vyacheslav Molotov): a longer name
    ("VKP(b) Central Committee" for "VKP(b)") is another name, not a fuller form."""
    if not given or not other:
        return False
    shorter, longer = sorted((given, other), key=len)
    if not all(token.abbreviated for token in longer[len(shorter):]):
        return False
    used_initial = len(shorter) < len(longer)
    for mine, theirs in zip(given, other, strict=False):
        if mine.abbreviated or theirs.abbreviated:
            used_initial = True
            short_text, long_text = sorted((mine.text, theirs.text), key=len)
            if not long_text.startswith(short_text):
                return False
        elif mine.text != theirs.text:
            return False
    return used_initial


def _checked_entry(raw, position: int) -> Entry:
    try:
        entry = Entry(*raw)
    except TypeError:
        raise ValueError(f"entry {position}: expected (entity_id, type, names, weight), got {raw!r}") from None
    where = f"entry {position} ({entry.entity_id!r})"
    if not isinstance(entry.entity_id, str) or not entry.entity_id:
        raise ValueError(f"entry {position}: the entity id must be a non-empty string, not {entry.entity_id!r}")
    if not isinstance(entry.type, str) or not entry.type:
        raise ValueError(f"{where}: the type must be a non-empty string, not {entry.type!r}")
    if isinstance(entry.weight, bool) or not isinstance(entry.weight, (int, float)) \
            or not math.isfinite(entry.weight) or entry.weight < 0:
        raise ValueError(f"{where}: the weight must be a finite number >= 0, not {entry.weight!r}")
    if isinstance(entry.names, (str, bytes)) or not entry.names:
        raise ValueError(f"{where}: names must be a non-empty list of (text, language) pairs, "
                         f"not {entry.names!r}")
    names = []
    for name in entry.names:
        if not (isinstance(name, (tuple, list)) and len(name) == 2 and isinstance(name[0], str)
                and (name[1] is None or isinstance(name[1], str))):
            raise ValueError(f"{where}: each name must be a (text, language tag or None) pair, not {name!r}")
        names.append((name[0], name[1]))
    return entry._replace(names=tuple(names))


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be a positive integer, not {limit!r}")


def _types(type_: str | Iterable[str] | None) -> frozenset[str] | None:
    if type_ is None:
        return None
    return frozenset([type_]) if isinstance(type_, str) else frozenset(type_)
