"""What the index answers with: entries in, candidates out, and the scores of each kind of match."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

#: A candidate that scores at least this is a form of the entity's name (exact, transliterated,
#: reordered, initials, document number, Korean syllable key); below it, only similar.
STRONG_MATCH = 0.8


class MatchKind(enum.StrEnum):
    EXACT = "exact"
    TRANSLITERATION = "transliteration"
    REORDERED = "reordered"
    NUMBER = "number"
    INITIALS = "initials"
    PHONETIC = "phonetic"
    PARTIAL = "partial"
    FUZZY = "fuzzy"
    PREFIX = "prefix"
    WORD_PREFIX = "word prefix"
    PHONETIC_PREFIX = "phonetic prefix"


FIXED_SCORES = {MatchKind.EXACT: 1.0, MatchKind.TRANSLITERATION: 0.97, MatchKind.REORDERED: 0.95,
                MatchKind.NUMBER: 0.95, MatchKind.INITIALS: 0.9, MatchKind.PREFIX: 1.0,
                MatchKind.WORD_PREFIX: 0.9, MatchKind.PHONETIC_PREFIX: 0.8}


class Entry(NamedTuple):
    entity_id: str
    type: str
    names: Sequence[tuple[str, str | None]]
    weight: float = 0.0


@dataclass(frozen=True)
class Candidate:
    entity_id: str
    type: str
    score: float
    kind: MatchKind
    name: str               # the entity's name that matched, as the index was given it
    language: str | None
    weight: float
    detail: str             # what matched, for a person: the words, the key, the similarity

    @property
    def strong(self) -> bool:
        return self.score >= STRONG_MATCH

    @property
    def reason(self) -> str:
        return f"{self.kind.value} match with “{self.name}” ({self.detail})"


class IndexedName(NamedTuple):
    """What a query needs of an indexed name once the index is built (the rest of its
    ``NameForm`` went into the index's tables): small, so that a saved index loads fast."""
    entity: int             # position of its entry
    text: str               # as the index was given it
    lang: str | None
    latin: str              # NameForm.latin


class Best:
    """The best-scoring name of each entity offered so far, for one query."""

    def __init__(self, entities: Sequence[Entry], names: Sequence[IndexedName], types: frozenset[str] | None):
        self.entities, self.names, self.types = entities, names, types
        self.best: dict[int, tuple[float, int, MatchKind, str]] = {}

    def offer(self, number: int, kind: MatchKind, detail: str, score: float | None = None) -> bool:
        """Record a match of name ``number``; False if its entity is not of the types asked for."""
        name = self.names[number]
        if self.types is not None and self.entities[name.entity].type not in self.types:
            return False
        score = round(FIXED_SCORES[kind] if score is None else score, 4)
        current = self.best.get(name.entity)
        if current is None or score > current[0]:
            self.best[name.entity] = (score, number, kind, detail)
        return True

    def ranked(self, limit: int, shorter_first: bool = False) -> list[Candidate]:
        """The best ``limit`` entities: by score, then weight, (then shorter name), then id."""
        def order(item):
            entity, (score, number, _, _) = item
            length = len(self.names[number].latin) if shorter_first else 0
            return (-score, -self.entities[entity].weight, length, self.entities[entity].entity_id)

        candidates = []
        for entity, (score, number, kind, detail) in sorted(self.best.items(), key=order)[:limit]:
            entry, name = self.entities[entity], self.names[number]
            candidates.append(Candidate(entry.entity_id, entry.type, score, kind, name.text, name.lang,
                                        entry.weight, detail))
        return candidates
