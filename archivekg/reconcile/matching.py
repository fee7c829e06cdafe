"""Candidates for reconciliation queries, their scores, and when one of them is clearly right.

A candidate's score (0–100) is its name's score from the name index (exact 100,
transliteration 97, reordered 95, initials 90, Korean syllable key 80–92, partial and fuzzy
below 75: ``archivekg.names``) multiplied by a factor for each thing the query adds:

========================== ====== ================================================================
the query's ...            factor
========================== ====== ================================================================
property agrees            ≤ 1.0  (1.0 for an identical value, a little less for a similar post)
property cannot be checked 0.9    the entity has no such fact here, or it says nothing either way
property differs (weak)    0.75   e.g. another larger place: we may not know all of them
property differs (strong)  0.3    another Wikidata id: another entity
type differs ("should")    0.7    with ``type_strict`` "any" or "all" such candidates are left out
========================== ====== ================================================================

So entities that share a name get the same score until a property tells them apart, and a
property never makes up for a name that does not match.

``match`` is true for the first candidate only when it is clearly right: its name is a form of
the query (or the query is its id), its type is the one asked for, no property differs, and it
is at least ``MARGIN`` points ahead of the next candidate.  Where another candidate's name fits
the query as well (namesakes), or the name that matched is a person's one word ("Kim", "Pak",
"Ivanov"), a decisive property must agree too: an identifier (Wikidata id, link), a document
that names it, a place, or a post named in two words or more.  A date, a body or a one-word post
("Chairman") raises the score but never decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz import fuzz

from archivekg.names import STRONG_MATCH, Candidate, MatchKind, NameIndex, compact, name_form, normalize, to_latin
from archivekg.reconcile import dates
from archivekg.reconcile.properties import (
    BY_ID,
    DOCUMENT,
    PERSON,
    PLACE,
    ROOT_TYPES,
    Facts,
)
from archivekg.reconcile.protocol import BadRequest, Condition, EntityValue, Query

MARGIN = 8.0                    # points between the first candidate and the next for a match
AGREE_POST = 90                 # rapidfuzz token-set similarity at which a post agrees
UNKNOWN, WEAK_CONFLICT, STRONG_CONFLICT, TYPE_CONFLICT = 0.9, 0.75, 0.3, 0.7
_WIKIDATA = re.compile(r"^(?:https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$")
#: Properties a query without a name can start from: each names entities of its own.
LOOKUP_PROPERTIES = ("wikidata", "link", "document", "place", "partOfPlace", "organization")
IDENTIFIERS = ("wikidata", "link")
FUNCTION_WORDS = frozenset({"of", "the", "and", "in", "for", "to", "at", "on", "a", "an"})


# -- what the service knows about its entities ------------------------------------------------

@dataclass(frozen=True)
class TypeInfo:
    id: str                     # the class's local name in our ontology: Person, Island
    name: str
    parents: tuple[str, ...]    # direct superclasses among reconcilable types
    root: str


class TypeTable:
    """The reconcilable classes of the ontology with their hierarchy."""

    def __init__(self, types: Iterable[TypeInfo], namespace: str):
        self.namespace = namespace
        self.types = {info.id: info for info in types}
        self._members: dict[str, set[str]] = {tid: {tid} for tid in self.types}
        for tid in self.types:
            for ancestor in self.ancestors(tid):
                self._members.setdefault(ancestor, {ancestor}).add(tid)

    def ancestors(self, tid: str) -> list[str]:
        found, stack = [], list(self.types[tid].parents) if tid in self.types else []
        while stack:
            parent = stack.pop(0)
            if parent not in found and parent in self.types:
                found.append(parent)
                stack.extend(self.types[parent].parents)
        return found

    def members(self, tid: str) -> frozenset[str]:
        return frozenset(self._members.get(tid, {tid}))

    def resolve(self, text: str) -> str | None:
        """The type a client means by ``Person``, ``akg:Person`` or the class's IRI."""
        for prefix in (self.namespace, "akg:"):
            if text.startswith(prefix):
                text = text[len(prefix):]
        if text in self.types:
            return text
        folded = {tid.casefold(): tid for tid in self.types}
        return folded.get(text.casefold())

    def label(self, tid: str) -> str:
        return self.types[tid].name if tid in self.types else tid

    def json(self, tid: str) -> dict:
        return {"id": tid, "name": self.label(tid)}


@dataclass(frozen=True)
class Card:
    """What a candidate shows of an entity, known for every entity in advance."""

    iri: str
    id: str                     # the reconciliation id: our short id, or the IRI
    name: str
    types: tuple[str, ...]      # our classes, most specific first
    description: str | None
    weight: int                 # documents that name it

    @property
    def root(self) -> str | None:
        return next((t for t in reversed(self.types) if t in ROOT_TYPES), None)


class Catalogue:
    def __init__(self, cards: Iterable[Card], types: TypeTable, id_space: str):
        self.types = types
        self.id_space = id_space
        self.cards: dict[str, Card] = {card.iri: card for card in cards}
        self.by_id: dict[str, str] = {card.id: card.iri for card in self.cards.values()}

    def __len__(self) -> int:
        return len(self.cards)

    def resolve_id(self, text: str) -> str | None:
        """The IRI of the entity whose id or IRI ``text`` is."""
        text = text.strip()
        if text in self.by_id:
            return self.by_id[text]
        if text in self.cards:
            return text
        return None


class NameParts:
    """The name indexes of the service, each for some root types, built when first needed: the
    registry's persons, bodies and places in one (small, asked most), events, decrees and
    documents in another (their labels are many and long).  A query whose types name only
    one part is matched there alone."""

    def __init__(self, parts: Sequence[tuple[frozenset[str], Callable[[], NameIndex]]]):
        self._parts = [(roots, load) for roots, load in parts]
        self._loaded: dict[int, NameIndex] = {}

    def index(self, number: int) -> NameIndex:
        if number not in self._loaded:
            self._loaded[number] = self._parts[number][1]()
        return self._loaded[number]

    def numbers(self, roots: frozenset[str] | None) -> tuple[list[int], list[int]]:
        """The parts that hold entities of ``roots`` (all for None), and the others."""
        chosen = [n for n, (held, _) in enumerate(self._parts) if roots is None or held & roots]
        return chosen, [n for n in range(len(self._parts)) if n not in chosen]

    def match(self, text: str, parts: Sequence[int], *, type=None, limit: int) -> list[Candidate]:
        found = [c for n in parts for c in self.index(n).match(text, type=type, limit=limit)]
        return sorted(found, key=lambda c: (-c.score, -c.weight, c.entity_id))[:limit]

    def complete(self, text: str, parts: Sequence[int], *, type=None, limit: int) -> list[Candidate]:
        found = [c for n in parts for c in self.index(n).complete(text, type=type, limit=limit)]
        return sorted(found, key=lambda c: (-c.score, -c.weight, len(c.name), c.entity_id))[:limit]


class FactSource(Protocol):
    def facts(self, wanted: Mapping[str, Sequence[str]], *, documents: Sequence[str] | None = None,
              limit: int | None = None) -> dict[str, Facts]:
        """The facts of each property id of ``wanted`` for the entities (IRIs) it maps to;
        for "document", only the documents among ``documents`` when it is given, at most
        ``limit`` per entity."""

    def lookup(self, pid: str, values: Sequence[str]) -> set[str]:
        """The entities whose ``pid`` has one of ``values`` (entity IRIs, or literal values
        for wikidata)."""


# -- what the service answers -------------------------------------------------------------

@dataclass
class Verdict:
    pid: str
    outcome: int                # 1 agrees, 0 cannot be checked, -1 differs
    factor: float
    detail: str
    decisive: bool = False      # an agreement that can tell namesakes apart


@dataclass
class Scored:
    card: Card
    name_score: float           # 0..1
    name_strong: bool
    reason: str
    type_ok: bool | None        # None when the query gave no type
    matched: str | None = None  # the entity's name that matched (None: its id did)
    verdicts: list[Verdict] = field(default_factory=list)
    score: float = 0.0
    namesakes: int = 0
    match: bool = False

    def features(self) -> list[dict]:
        found = [{"id": "name", "value": round(self.name_score, 4)},
                 {"id": "name_is_a_form", "value": self.name_strong}]
        if self.type_ok is not None:
            found.append({"id": "type_match", "value": self.type_ok})
        seen: dict[str, int] = {}
        for verdict in self.verdicts:
            # A property given twice gets two features: their ids must differ.
            seen[verdict.pid] = seen.get(verdict.pid, 0) + 1
            suffix = f"_{seen[verdict.pid]}" if seen[verdict.pid] > 1 else ""
            found.append({"id": f"property_{verdict.pid}{suffix}", "value": verdict.outcome})
        found += [{"id": "documents", "value": self.card.weight},
                  {"id": "namesakes", "value": self.namesakes}]
        return found

    def explanation(self) -> str:
        parts = [self.reason] + [f"{v.pid}: {v.detail}" for v in self.verdicts]
        if self.type_ok is False:
            parts.append("not of the type asked for")
        if self.namesakes:
            parts.append(f"{self.namesakes} other candidate{'s' if self.namesakes > 1 else ''} "
                         "with the same name")
        return "; ".join(parts)


class Matcher:
    def __init__(self, names: NameParts, catalogue: Catalogue, source: FactSource):
        self.names, self.catalogue, self.source = names, catalogue, source

    # ---------------------------------------------------------------- queries
    def reconcile(self, queries: Sequence[Query]) -> dict[str, list[Scored]]:
        """Candidates for each query, by its key; each query is answered on its own."""
        for query in queries:
            self._check(query)
        found = {query.key: self._candidates(query) for query in queries}
        wanted: dict[str, set[str]] = {}          # property id → the candidates to check it on
        documents: set[str] = set()
        resolved: dict[tuple[str, int], list[set[str] | None]] = {}
        for query in queries:
            for number, condition in enumerate(query.conditions):
                roots = _value_roots(condition.pid)
                resolved[query.key, number] = [self._resolve(value, roots) if roots else None
                                               for value in condition.values]
                if condition.pid == "document":
                    documents.update(i for ids in resolved[query.key, number] for i in ids or ())
            for condition in query.conditions:
                wanted.setdefault(condition.pid, set()).update(s.card.iri for s in found[query.key])
        facts: dict[str, Facts] = {}
        if wanted:
            facts = self.source.facts({pid: sorted(iris) for pid, iris in wanted.items()},
                                      documents=sorted(documents))
        answers = {}
        for query in queries:
            candidates = found[query.key]
            for scored in candidates:
                entity = facts.get(scored.card.iri, Facts())
                scored.verdicts = [self._judge(condition, resolved[query.key, number], entity, scored.card)
                                   for number, condition in enumerate(query.conditions)]
                factor = 1.0
                for verdict in scored.verdicts:
                    factor *= verdict.factor
                if scored.type_ok is False:
                    factor *= TYPE_CONFLICT
                scored.score = round(100 * scored.name_score * factor, 2)
            candidates.sort(key=lambda s: (-s.score, -s.card.weight, s.card.name, s.card.id))
            self._decide(query, candidates)
            answers[query.key] = candidates[:query.limit]
        return answers

    def _check(self, query: Query) -> None:
        for type_id in query.types:
            if self.catalogue.types.resolve(type_id) is None:
                known = ", ".join(sorted(self.catalogue.types.types))
                raise BadRequest(f"queries[{query.key!r}].type: unknown type {type_id!r} (types here: {known})")
        for condition in query.conditions:
            if condition.pid not in BY_ID:
                raise BadRequest(f"queries[{query.key!r}].properties: unknown property {condition.pid!r} "
                                 f"(properties here: {', '.join(BY_ID)})")
            if condition.pid == "date":
                for value in condition.values:
                    try:
                        dates.bounds(str(value.id if isinstance(value, EntityValue) else value))
                    except dates.NotADate as exc:
                        raise BadRequest(f"queries[{query.key!r}].properties (date): {exc}") from None
        if query.text is None and not any(c.pid in LOOKUP_PROPERTIES for c in query.conditions):
            raise BadRequest(f"queries[{query.key!r}]: a query without a name needs one of the "
                             f"properties {', '.join(LOOKUP_PROPERTIES)} to find candidates by")

    def _type_sets(self, query: Query) -> tuple[list[frozenset[str]], frozenset[str] | None]:
        table = self.catalogue.types
        sets = []
        for t in query.types:
            type_id = table.resolve(t)
            assert type_id is not None, "_check refuses a query naming an unknown type"
            sets.append(table.members(type_id))
        allowed = frozenset().union(*sets) if sets else None
        return sets, allowed

    def _type_ok(self, query: Query, sets: list[frozenset[str]], card: Card) -> bool | None:
        if not sets:
            return None
        own = set(card.types)
        if query.type_strict == "all":
            return all(own & members for members in sets)
        return any(own & members for members in sets)

    def _candidates(self, query: Query) -> list[Scored]:
        sets, allowed = self._type_sets(query)
        hard = query.type_strict in ("any", "all")
        reach = max(2 * query.limit, 10)
        found: dict[str, Scored] = {}
        card: Card | None
        if query.text is not None:
            own = self.catalogue.resolve_id(query.text)
            if own is not None:
                card = self.catalogue.cards[own]
                found[own] = Scored(card, 1.0, True, f"the query is its id “{query.text}”",
                                    self._type_ok(query, sets, card))
            roots = frozenset(self.catalogue.types.types[t].root for t in allowed) if allowed else None
            chosen, others = self.names.numbers(roots)
            candidates = self.names.match(query.text, chosen, type=allowed if hard else None, limit=reach)
            if not hard and others and not any(c.strong for c in candidates):
                # "should": entities of other types, when none of the types asked for fits.
                candidates += self.names.match(query.text, others, limit=reach)
            for candidate in candidates:
                card = self.catalogue.cards.get(candidate.entity_id)
                if card is None or card.iri in found:
                    continue
                surname = None if candidate.strong else _surname_beside_initials(query.text, candidate.name, card)
                found[card.iri] = Scored(card, candidate.score, candidate.strong or surname is not None,
                                         candidate.reason, self._type_ok(query, sets, card), surname or candidate.name)
        else:
            for iri in self._lookup(query):
                card = self.catalogue.cards.get(iri)
                if card is not None:
                    found[iri] = Scored(card, 1.0, False, "found by its properties",
                                        self._type_ok(query, sets, card))
        scored = list(found.values())
        if hard and sets:
            scored = [s for s in scored if s.type_ok]
        counts: dict[float, int] = {}
        for item in scored:
            if item.name_strong:
                counts[item.name_score] = counts.get(item.name_score, 0) + 1
        for item in scored:
            if item.name_strong:
                item.namesakes = counts[item.name_score] - 1
        return scored

    def _lookup(self, query: Query) -> set[str]:
        found: set[str] | None = None
        for condition in query.conditions:
            if condition.pid not in LOOKUP_PROPERTIES:
                continue
            if condition.pid in ("wikidata", "link"):
                keys = [_wikidata(v) or _text(v) for v in condition.values] if condition.pid == "wikidata" \
                    else [_text(v) for v in condition.values]
            else:
                keys = sorted({i for v in condition.values for i in self._resolve(v, _value_roots(condition.pid))})
            hits = self.source.lookup(condition.pid, [k for k in keys if k]) if keys else set()
            found = hits if found is None else found & hits
        return found or set()

    def _resolve(self, value, roots: frozenset[str]) -> set[str]:
        """The entities of the given root types a property value names: an id, an IRI, or a
        name that is a form of theirs."""
        table = self.catalogue.types
        if isinstance(value, EntityValue):
            own = self.catalogue.resolve_id(value.id)
            if own is not None:
                return {own}
            text = value.name or ""
        else:
            text = str(value)
            own = self.catalogue.resolve_id(text)
            if own is not None:
                return {own}
        if not text.strip():
            return set()
        allowed = frozenset().union(*(table.members(root) for root in roots))
        parts, _ = self.names.numbers(frozenset(roots))
        candidates = [c for c in self.names.match(text, parts, type=allowed, limit=5) if c.strong]
        if not candidates:
            # A long name (a document's title) is often given by its beginning: accept one
            # whose name begins so, when only one does.
            begun = [c for c in self.names.complete(text, parts, type=allowed, limit=2)
                     if c.kind is MatchKind.PREFIX]
            return {begun[0].entity_id} if len(begun) == 1 else set()
        best = candidates[0].score
        return {c.entity_id for c in candidates if c.score >= best - 0.03}

    # ---------------------------------------------------------------- properties
    def _judge(self, condition: Condition, resolved: list[set[str] | None], facts: Facts,
               card: Card) -> Verdict:
        prop = BY_ID[condition.pid]
        if card.root not in prop.roots:
            return Verdict(prop.id, 0, UNKNOWN, f"a {card.types[0] if card.types else 'thing'} has no {prop.name.lower()}")
        judge = getattr(self, f"_judge_{prop.id}")
        outcome, similarity, detail = judge(condition, resolved, facts, card)
        if outcome > 0:
            return Verdict(prop.id, 1, 1.0 - 0.1 * (1.0 - similarity), detail, _decisive(condition))
        if outcome < 0 and prop.conflict != "none":
            return Verdict(prop.id, -1, STRONG_CONFLICT if prop.conflict == "strong" else WEAK_CONFLICT, detail)
        return Verdict(prop.id, 0, UNKNOWN, detail)

    @staticmethod
    def _entities(resolved, held: dict, what: str):
        wanted = set().union(*(ids for ids in resolved if ids))
        if not wanted:
            return 0, 0.0, f"no {what} of ours is named so"
        shared = wanted & set(held)
        if shared:
            return 1, 1.0, "agrees (" + ", ".join(sorted(_name(held[i]) for i in shared)) + ")"
        if not held:
            return 0, 0.0, f"no {what} known here"
        return -1, 0.0, "differs (" + ", ".join(sorted(_name(v) for v in held.values()))[:200] + ")"

    def _judge_document(self, condition, resolved, facts, card):
        return self._entities(resolved, facts.documents, "document")

    def _judge_place(self, condition, resolved, facts, card):
        return self._entities(resolved, facts.places, "place")

    def _judge_partOfPlace(self, condition, resolved, facts, card):
        ancestors = {iri: name for iri, (name, _) in facts.places.items()} or facts.part_of
        return self._entities(resolved, ancestors, "place")

    def _judge_organization(self, condition, resolved, facts, card):
        held = dict(facts.organizations)
        for post in facts.posts:
            held.update(post.organizations)
        return self._entities(resolved, held, "body")

    def _judge_post(self, condition, resolved, facts, card):
        if not facts.posts:
            return 0, 0.0, "no post known here"
        best, best_post = 0.0, None
        for value in condition.values:
            if isinstance(value, EntityValue):
                own = self.catalogue.resolve_id(value.id)
                for post in facts.posts:
                    if own is not None and own in post.organizations:
                        return 1, 1.0, f"agrees ({post.text()})"
                value = value.name or ""
            text = normalize(str(value))
            if not text:
                continue
            for post in facts.posts:
                similarity = fuzz.token_set_ratio(text, normalize(post.text())) / 100
                if similarity > best:
                    best, best_post = similarity, post
        if best_post is not None and best * 100 >= AGREE_POST:
            return 1, best, f"agrees ({best_post.text()})"
        return -1, 0.0, "differs (" + "; ".join(p.text() for p in facts.posts)[:200] + ")"

    def _judge_date(self, condition, resolved, facts, card):
        if not facts.dates:
            return 0, 0.0, "no date known here"
        spans = [(dates.parse_iso(first), dates.parse_iso(last)) for _, first, last in facts.dates]
        # An agent or a place lives beyond the documents that name it: a year's slack, and a
        # date outside says nothing.
        slack = 0 if facts.own_date else 366
        for value in condition.values:
            wanted = dates.bounds(str(value.id if isinstance(value, EntityValue) else value))
            for (edtf, _, _), span in zip(facts.dates, spans, strict=True):
                if dates.overlap(wanted, span, slack):
                    return 1, 1.0, f"agrees ({edtf})"
        shown = ", ".join(edtf for edtf, _, _ in facts.dates[:5])
        if not facts.own_date:
            return 0, 0.0, f"the documents name it at other dates ({shown})"
        return -1, 0.0, f"differs ({shown})"

    def _judge_wikidata(self, condition, resolved, facts, card):
        wanted = {_wikidata(v) for v in condition.values} - {None}
        if not facts.wikidata:
            return 0, 0.0, "no Wikidata id known here"
        if wanted & facts.wikidata:
            return 1, 1.0, f"agrees ({', '.join(sorted(wanted & facts.wikidata))})"
        return -1, 0.0, f"differs ({', '.join(sorted(facts.wikidata))})"

    def _judge_link(self, condition, resolved, facts, card):
        wanted = {_text(v) for v in condition.values}
        if not facts.links:
            return 0, 0.0, "no link known here"
        if wanted & set(facts.links):
            return 1, 1.0, "agrees"
        return 0, 0.0, "other links"

    def _judge_variant(self, condition, resolved, facts, card):
        names = facts.names or [card.name]
        keys = {compact(n) for n in names} | {to_latin(n).replace(" ", "") for n in names}
        for value in condition.values:
            text = _text(value)
            if compact(text) in keys or to_latin(text).replace(" ", "") in keys:
                return 1, 1.0, f"agrees ({text})"
        return -1, 0.0, "no such name"

    # ---------------------------------------------------------------- the decision
    def _decide(self, query: Query, candidates: list[Scored]) -> None:
        if not candidates:
            return
        best, others = candidates[0], candidates[1:]
        runner_up = others[0].score if others else 0.0
        decisive = any(v.decisive for v in best.verdicts)
        if query.text is None:
            identified = any(v.outcome > 0 and v.pid in IDENTIFIERS for v in best.verdicts)
            best.match = identified and not others
            return
        # Entities whose names the query fits as well are told apart only by a decisive
        # property, never by one that merely could not be checked on the others.
        closest_name = max((other.name_score for other in others), default=0.0)
        names_differ = 100 * (best.name_score - closest_name) >= MARGIN
        best.match = (
            best.name_strong
            and best.type_ok is not False
            and not any(v.outcome < 0 for v in best.verdicts)
            and best.score - runner_up >= MARGIN
            and (names_differ or decisive)
            and (decisive or _says_enough(best))
        )


def _decisive(condition: Condition) -> bool:
    """Whether agreeing on this condition picks one entity out of namesakes: an identifier,
    a document (our documents list every entity they name), a place, or a post named in
    words enough to be a particular one ("Chief of the Rear", not "Chairman")."""
    if condition.pid in IDENTIFIERS or condition.pid in ("document", "place", "partOfPlace"):
        return True
    if condition.pid == "post":
        return any(len([w for w in normalize(_text(v) if not isinstance(v, EntityValue) else v.name or "").split()
                        if w not in FUNCTION_WORDS]) >= 2 for v in condition.values)
    return False


def _surname_beside_initials(text: str, name: str, card: Card) -> str | None:
    """The query when it is the surname of a person whose name is that surname and initials
    ("Бяков" for "I. Byakov"): the one word of the name that is not an initial is the
    surname, so the query names the person as a one-word name does, and like one it needs a
    decisive property (``_says_enough``)."""
    if card.root != PERSON:
        return None
    asked = name_form(text).latin_words
    words = name_form(name).latin_words
    full = [w for w in words if not w.abbreviated]
    if len(asked) == 1 and not asked[0].abbreviated and len(words) > 1 and len(full) == 1 \
            and full[0].text == asked[0].text:
        return text
    return None


def _says_enough(scored: Scored) -> bool:
    """Whether the name alone can pick the entity: not when it matched a person's name of
    one word (a surname such as "Kim", "Ivanov" or "Hegai", which others bear too)."""
    if scored.card.root != PERSON or scored.matched is None:
        return True
    return len(name_form(scored.matched).latin_words) >= 2


def _value_roots(pid: str) -> frozenset[str]:
    return {"document": frozenset({DOCUMENT}), "place": frozenset({PLACE}),
            "partOfPlace": frozenset({PLACE}),
            "organization": frozenset({"Organization", "Group"})}.get(pid, frozenset())


def _wikidata(value) -> str | None:
    match = _WIKIDATA.match(_text(value).strip())
    return match.group(1) if match else None


def _text(value) -> str:
    if isinstance(value, EntityValue):
        return value.id
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _name(held) -> str:
    return held[0] if isinstance(held, tuple) else str(held)


# -- suggest --------------------------------------------------------------------------------

def suggest_entities(names: NameParts, catalogue: Catalogue, prefix: str, *, types: frozenset[str] | None,
                     cursor: int, limit: int) -> list[Card]:
    cards: list[Card] = []
    own = catalogue.resolve_id(prefix)
    if own is not None and (types is None or set(catalogue.cards[own].types) & types):
        cards.append(catalogue.cards[own])
    roots = frozenset(catalogue.types.types[t].root for t in types if t in catalogue.types.types) if types else None
    parts, _ = names.numbers(roots)
    for candidate in names.complete(prefix, parts, type=types, limit=cursor + limit + 1):
        card = catalogue.cards.get(candidate.entity_id)
        if card is not None and card not in cards:
            cards.append(card)
    return cards[cursor:cursor + limit]


def suggest_by_words(items: Iterable[tuple[str, str, str]], prefix: str) -> list[tuple[str, str, str]]:
    """(id, name, description) triples whose id, name or a word of the name begins with the
    prefix, those whose id or name does first."""
    wanted = normalize(prefix)
    first, later = [], []
    for item in items:
        tid, name, _ = item
        id_words, name_words = normalize(tid), normalize(name)
        if not wanted or id_words.startswith(wanted) or name_words.startswith(wanted):
            first.append(item)
        elif any(word.startswith(wanted) for word in name_words.split() + id_words.split()):
            later.append(item)
    return first + later


__all__ = ["STRONG_MATCH", "Card", "Catalogue", "FactSource", "Matcher", "NameParts", "Scored", "TypeInfo", "TypeTable",
           "suggest_by_words", "suggest_entities"]
