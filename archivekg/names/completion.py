"""The prefix table behind ``NameIndex.complete``: every name's beginnings, sorted.

Each name gives keys in three tiers: 0, its whole Latin reading (and its own-script form);
1, the Latin reading from each later word on ("ivanov" in "V. I. Ivanov"); 2, its Korean
syllable keys.  A prefix is looked up with a binary search.  A prefix that begins many names
("k", "district") would make every keystroke rank hundreds of them, so the first entities of
each such prefix are ranked once, when the table is built.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

from .candidates import Best, Entry, IndexedName, MatchKind

BUSY_PREFIX = 64            # a prefix that begins more keys than this is ranked in advance
RANKED_AHEAD = 50           # ... for this many entities per tier
_KINDS = (MatchKind.PREFIX, MatchKind.WORD_PREFIX, MatchKind.PHONETIC_PREFIX)


class PrefixTable:
    def __init__(self, completions: list[tuple[str, int, int]], entities: Sequence[Entry],
                 names: Sequence[IndexedName]):
        """``completions``: (key, tier, name number) triples."""
        completions = sorted(completions)
        self.keys = [key for key, _, _ in completions]
        self.refs = [(tier, number) for _, tier, number in completions]
        self.ranked = self._rank_busy_prefixes(entities, names)

    def reranked(self, entities: Sequence[Entry], names: Sequence[IndexedName],
                 changed: set[int]) -> PrefixTable:
        """This table for new weights of the entities at positions ``changed``: only the busy
        prefixes of their keys are ranked again, as the whole table would rank them."""
        table = object.__new__(PrefixTable)
        table.keys, table.refs, table.ranked = self.keys, self.refs, dict(self.ranked)
        prefixes = {key[:length] for key, (_, number) in zip(self.keys, self.refs, strict=True)
                    if names[number].entity in changed for length in range(1, len(key) + 1)}
        for prefix in prefixes & self.ranked.keys():
            table.ranked[prefix] = table._rank_prefix(prefix, entities, names)
        return table

    def _rank_prefix(self, prefix: str, entities, names) -> tuple[list[tuple[int, int]], bool]:
        """One busy prefix's ranking, as ``_rank_busy_prefixes`` makes it for all of them."""
        start = bisect.bisect_left(self.keys, prefix)
        stop = bisect.bisect_left(self.keys, prefix + "\uffff", lo=start)

        def rank(position):
            tier, number = self.refs[position]
            name = names[number]
            entry = entities[name.entity]
            return (tier, -entry.weight, len(name.latin), entry.entity_id, number)

        kept: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()
        per_tier = [0, 0, 0]
        truncated = False
        for position in sorted(range(start, stop), key=rank):
            tier, number = self.refs[position]
            entity = names[number].entity
            if (entity, tier) in seen:
                continue
            if per_tier[tier] == RANKED_AHEAD:
                truncated = True
                continue
            seen.add((entity, tier))
            per_tier[tier] += 1
            kept.append((tier, number))
        return kept, truncated

    def _rank_busy_prefixes(self, entities, names) -> dict[str, tuple[list[tuple[int, int]], bool]]:
        """For each busy prefix, its first ``RANKED_AHEAD`` entities per tier in the order
        ``complete`` ranks them, and whether more were left out."""
        counts: dict[str, int] = defaultdict(int)
        for key in self.keys:
            for length in range(1, len(key) + 1):
                counts[key[:length]] += 1
        rank = []
        for tier, number in self.refs:
            name = names[number]
            entry = entities[name.entity]
            rank.append((tier, -entry.weight, len(name.latin), entry.entity_id, number))
        kept: dict[str, list[tuple[int, int]]] = {p: [] for p, count in counts.items() if count > BUSY_PREFIX}
        seen: dict[str, set[tuple[int, int]]] = {prefix: set() for prefix in kept}
        per_tier: dict[str, list[int]] = {prefix: [0, 0, 0] for prefix in kept}
        truncated: set[str] = set()
        # One pass over all keys in rank order fills every busy prefix's list.
        for position in sorted(range(len(rank)), key=rank.__getitem__):
            tier, number = self.refs[position]
            entity = names[number].entity
            key = self.keys[position]
            for length in range(1, len(key) + 1):
                prefix = key[:length]
                if prefix not in kept or (entity, tier) in seen[prefix]:
                    continue
                if per_tier[prefix][tier] == RANKED_AHEAD:
                    truncated.add(prefix)
                    continue
                seen[prefix].add((entity, tier))
                per_tier[prefix][tier] += 1
                kept[prefix].append((tier, number))
        return {prefix: (ranked, prefix in truncated) for prefix, ranked in kept.items()}

    def offer(self, key: str, tiers: tuple[int, ...], found: Best, limit: int) -> None:
        """Offer ``found`` the names of the given tiers whose keys begin with ``key``: all of
        them, or for a busy prefix enough of them to fill ``limit`` entities per tier."""
        detail = f"begins with “{key}”"
        if key in self.ranked:
            ranked, truncated = self.ranked[key]
            taken = dict.fromkeys(tiers, 0)
            for tier, number in ranked:
                if tier in taken and taken[tier] < limit and found.offer(number, _KINDS[tier], detail):
                    taken[tier] += 1
                    if all(count >= limit for count in taken.values()):
                        return
            if not truncated:
                return
            # The ranked ones ran out (a rare type, a large limit): scan the whole range.
        start = bisect.bisect_left(self.keys, key)
        stop = bisect.bisect_left(self.keys, key + "\uffff", lo=start)
        for tier, number in self.refs[start:stop]:
            if tier in tiers:
                found.offer(number, _KINDS[tier], detail)
