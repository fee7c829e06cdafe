"""What the curated data says a document states, per kind of proposal, and how proposals are
scored against it (benchmarks/curation_bench.py runs it).

The truth is the document's curated record and annotations; a registry entity counts only
where the text writes one of its names (a proposer cannot find an entity the words never
name).  Per kind:

* **mentions**: the registry entities the document's record and annotations refer to, as a
  set per document; found = those the imported record refers to and the mention proposals
  name.  Also, per written name of the annotations' ``names``, whether a mention proposal
  stands on it with the same entity (span-level).
* **new names**: the entities the document refers to that the registries given to the proposer
  lack; a proposal finds one when its words stand where the text writes one of its names.
* **dates**, **figures**: each EDTF claim (``date``, ``periodCovered``, ...) or figure claim
  (``quantityValue``/``minValue``/``maxValue`` with ``unit``; ``numberOfFamilies``,
  ``numberOfPeople``) with its quote's place in the text; a proposal finds it when its words lie
  in that quote and its value is the same.  The record's dates are compared field by field.
  Curators quote a passage for what they state, not every date or figure of a text, so
  precision counts only proposals that stand in a passage where the curators stated one of
  that kind ("judged"); the others are counted apart.
* **numbers**: the decree and document numbers the annotations and the record state, per
  document (one number, however many spellings).
* **meetings**: each Meeting or Conversation thing, its statements' quotes and participants; a
  proposal finds it when their quotes overlap and they share a participant.  **posts**: each
  Tenure, its holder and title; a proposal finds it with the same holder and a word of the
  title in common.  Every proposal of these three kinds is judged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from archivekg.names import document_numbers
from archivekg.pipeline import texts

EDTF_FIELDS = ("date", "dateNumbered", "dateStamped", "periodCovered")
ENTITY_TYPES = ("Person", "Organization", "Group", "Place", "Country", "Republic", "Region", "Province",
                "District", "City", "Island", "Zone")
_STOP = {"of", "the", "to", "at", "in", "for", "a", "and"}
# Words that write a date: a month's name or a year.  A quote without them states a date the
# curator inferred (a document's date carried over to a post "newly elected"), which no reader
# of the words alone could propose.
_WRITES_DATE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b|\b1[6-9]\d\d\b|\b20\d\d\b")


@dataclass
class Score:
    found: int = 0          # truth items found
    truth: int = 0
    right: int = 0          # proposals that are right
    judged: int = 0         # proposals judged
    unjudged: int = 0

    def add(self, other: Score) -> None:
        for name in ("found", "truth", "right", "judged", "unjudged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float | None:
        return self.right / self.judged if self.judged else None

    @property
    def recall(self) -> float | None:
        return self.found / self.truth if self.truth else None


@dataclass
class Truth:
    entities: set[str] = field(default_factory=set)
    new: dict[str, list[tuple[int, int]]] = field(default_factory=dict)     # id → where written
    types: dict[str, str] = field(default_factory=dict)
    names: list[tuple[int, int, str]] = field(default_factory=list)
    dates: list[tuple[int, int, str]] = field(default_factory=list)
    dates_written: list[tuple[int, int, str]] = field(default_factory=list)   # quotes that write a date
    record_dates: dict[str, str] = field(default_factory=dict)
    figures: list[tuple[int, int, tuple]] = field(default_factory=list)
    numbers: set[str] = field(default_factory=set)
    meetings: list[tuple[list[tuple[int, int]], set[str]]] = field(default_factory=list)
    posts: list[tuple[str, str]] = field(default_factory=list)


def _strings(value) -> set[str]:
    found, stack = set(), [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def references(record: dict, annotations: dict | None, registry: dict) -> set[str]:
    """The registry entities a document's record and annotations refer to."""
    found = _strings({k: v for k, v in record.items() if k not in ("segments", "evidence", "note")})
    if annotations:
        found |= _strings(annotations.get("statements") or [])
        for statement in annotations.get("statements") or []:
            found.add(statement["subject"])
            found |= set((statement.get("names") or {}).values())
    return {s for s in found if s in registry}


def written_at(text: str, names: list[str], outside: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = []
    for name in names:
        words = " ".join(name.split())
        if not words:
            continue
        pattern = r"(?<![\w])" + r"\s+".join(re.escape(w) for w in words.split()) + r"(?![\w])"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if not any(s <= match.start() < e for s, e in outside):
                spans.append((match.start(), match.end()))
    return spans


def truth(text: str, record: dict, annotations: dict | None, registry: dict, known: set[str],
          segments: list, decrees: dict[str, str] | None = None) -> Truth:
    """``registry``: id → (type, names) of every entity; ``known``: the ids the proposer was given;
    ``decrees``: decree id → its number, as any document states it (a document that cites a
    decree by its number names that number too)."""
    outside = [(s.start, s.end) for s in segments if s.kind == "nondocument"]
    result = Truth()
    for entity in references(record, annotations, registry):
        kind, names = registry[entity]
        spans = written_at(text, names, outside)
        if not spans:
            continue
        if entity in known:
            result.entities.add(entity)
        elif kind in ENTITY_TYPES:
            result.new[entity] = spans
            result.types[entity] = kind
    for name in EDTF_FIELDS:
        if record.get(name):
            result.record_dates[name] = str(record[name])
    if record.get("documentNumber"):
        result.numbers.update(document_numbers(f"No. {record['documentNumber']}")[:1])
    things = {t["id"]: t["type"] for t in (annotations or {}).get("things") or []}
    meetings: dict[str, tuple[list, set]] = defaultdict(lambda: ([], set()))
    tenures: dict[str, dict] = defaultdict(dict)
    for statement in (annotations or {}).get("statements") or []:
        located = texts.locate(text, statement["quote"], statement.get("occurrence"))
        if isinstance(located, str):
            raise ValueError(f"{statement['quote']!r}: {located}")
        span = (located.start, located.end)
        claims = statement["claims"]
        for written, entity in (statement.get("names") or {}).items():
            if entity in known:
                inner = texts.find_all(text[span[0]:span[1]], written)
                if inner:
                    result.names.append((span[0] + inner[0].start, span[0] + inner[0].end, entity))
        for name in EDTF_FIELDS:
            for value in _list(claims.get(name)):
                result.dates.append((*span, str(value)))
                if _WRITES_DATE.search(text[span[0]:span[1]]):
                    result.dates_written.append((*span, str(value)))
        unit = claims.get("unit")
        if "quantityValue" in claims and unit:
            result.figures.append((*span, (float(claims["quantityValue"]), unit)))
        if "minValue" in claims and "maxValue" in claims and unit:
            result.figures.append((*span, ((float(claims["minValue"]), float(claims["maxValue"])), unit)))
        for key, unit in (("numberOfFamilies", "family"), ("numberOfPeople", "person")):
            if key in claims:
                result.figures.append((*span, (float(claims[key]), unit)))
        for value in _list(claims.get("decreeNumber")) + _list(claims.get("documentNumber")):
            result.numbers.update(document_numbers(f"No. {value}")[:1])
        for value in _strings(claims):
            if decrees and value in decrees:
                key = document_numbers(f"No. {decrees[value]}")[:1]
                if key and key[0] in document_numbers(text):
                    result.numbers.update(key)
        kind = things.get(statement["subject"])
        if kind in ("Meeting", "Conversation"):
            meetings[statement["subject"]][0].append(span)
            meetings[statement["subject"]][1].update(_list(claims.get("participant")))
            meetings[statement["subject"]][1].update(_list(claims.get("hostedBy")))
        if kind == "Tenure":
            tenures[statement["subject"]].update({k: claims[k] for k in ("holder", "positionTitle") if k in claims})
    result.meetings = [(spans, people) for spans, people in meetings.values() if people]
    result.posts = [(t["holder"], t["positionTitle"]) for t in tenures.values() if "holder" in t
                    and "positionTitle" in t]
    return result


def _list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _title_words(title: str) -> set[str]:
    return {w for w in re.findall(r"\w+", title.lower()) if w not in _STOP}


def score(gold: Truth, proposals: list[dict], record: dict, known: set[str]) -> dict[str, Score]:
    """Scores per kind of one document's proposals (as written to the proposals file) and
    imported record against its truth."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for proposal in proposals:
        by_kind[proposal["kind"]].append(proposal)
    scores = {kind: Score() for kind in ("mention", "names", "new-name", "new-name type", "date",
                                         "date written", "figure", "number", "meeting", "post")}

    # Known entities, per document.
    found = {p["statement"]["claims"]["mentions"] for p in by_kind["mention"]}
    found |= references(record, None, {e: None for e in known})
    s = scores["mention"]
    s.truth, s.found = len(gold.entities), len(gold.entities & found)
    s.judged, s.right = len(found), len(found & gold.entities)
    # ... and per written name.
    placed = [(span, p["statement"]["claims"]["mentions"]) for p in by_kind["mention"]
              for span in [tuple(p["at"]), *map(tuple, p.get("also") or [])]]
    s = scores["names"]
    s.truth = len(gold.names)
    for start, end, entity in gold.names:
        on = [e for span, e in placed if _overlap(span, (start, end))]
        if on:
            s.judged += 1
            s.right += entity in on
        s.found += entity in on

    # New names: the held-out entity each proposal stands on.
    mapping: dict[str, str] = {}
    s, typed = scores["new-name"], scores["new-name type"]
    s.truth = typed.truth = len(gold.new)
    matched = set()
    for proposal in by_kind["new-name"]:
        entry = proposal["entities"][0]["entry"]
        spans = [tuple(proposal["at"]), *map(tuple, proposal.get("also") or [])]
        overlaps = defaultdict(int)
        for entity, written in gold.new.items():
            for span in spans:
                for other in written:
                    if _overlap(span, other):
                        overlaps[entity] += min(span[1], other[1]) - max(span[0], other[0])
        s.judged += 1
        if overlaps:
            entity = max(overlaps, key=overlaps.get)
            s.right += 1
            mapping[entry["id"]] = entity
            matched.add(entity)
            typed.judged += 1
            typed.right += _same_kind(entry["type"], gold.types[entity])
    s.found = typed.found = len(matched)

    def person(entity: str) -> str:
        return mapping.get(entity, entity)

    # Dates: in the quotes of the annotations, and the record's fields.
    _spans_and_values(scores["date"], gold.dates, [
        (tuple(p["at"]), p["statement"]["claims"]["date"]) for p in by_kind["date"]] + [
        (tuple(p["quoteAt"]), p["statement"]["claims"]["date"]) for p in by_kind["meeting"] + by_kind["post"]
        if "date" in p["statement"]["claims"]], _same_date)
    written = scores["date written"]
    date_outputs = [(tuple(p["at"]), p["statement"]["claims"]["date"]) for p in by_kind["date"]] + [
        (tuple(p["quoteAt"]), p["statement"]["claims"]["date"]) for p in by_kind["meeting"] + by_kind["post"]
        if "date" in p["statement"]["claims"]]
    written.truth = len(gold.dates_written)
    written.found = sum(any(_overlap(span, (a, b)) and _same_date(v, value) for span, v in date_outputs)
                        for a, b, value in gold.dates_written)
    s = scores["date"]
    written.judged, written.right, written.unjudged = s.judged, s.right, s.unjudged
    for name, value in gold.record_dates.items():
        s.truth += 1
        s.found += record.get(name) == value
    for name in EDTF_FIELDS:
        if record.get(name):
            s.judged += name in gold.record_dates
            s.right += gold.record_dates.get(name) == str(record[name])
            s.unjudged += name not in gold.record_dates
    for name, value in gold.record_dates.items():
        written.truth += 1
        written.found += record.get(name) == value
    written.judged, written.right = s.judged, s.right

    # Figures.
    outputs = []
    for proposal in by_kind["figure"]:
        claims = proposal["statement"]["claims"]
        value = float(claims["quantityValue"]) if "quantityValue" in claims else \
            (float(claims["minValue"]), float(claims["maxValue"]))
        outputs.append((tuple(proposal["at"]), (value, claims["unit"])))
    _spans_and_values(scores["figure"], gold.figures, outputs, lambda a, b: a == b)

    # Numbers, per document.
    s = scores["number"]
    found = set()
    for proposal in by_kind["number"]:
        found.update(document_numbers(proposal["words"] if re.match(r"\D", proposal["words"])
                                      else f"No. {proposal['words']}")[:1])
    if record.get("documentNumber"):
        found.update(document_numbers(f"No. {record['documentNumber']}")[:1])
    s.truth, s.found = len(gold.numbers), len(gold.numbers & found)
    s.judged, s.right = len(found), len(found & gold.numbers)

    # Meetings: proposals of one subject are one meeting.
    s = scores["meeting"]
    proposed: dict[str, tuple[list, set]] = defaultdict(lambda: ([], set()))
    for proposal in by_kind["meeting"]:
        subject = proposal["statement"]["subject"]
        proposed[subject][0].append(tuple(proposal["quoteAt"]))
        proposed[subject][1].update(person(p) for p in _list(proposal["statement"]["claims"].get("participant")))
    s.truth = len(gold.meetings)
    hit = set()
    for spans, people in proposed.values():
        s.judged += 1
        for index, (gold_spans, gold_people) in enumerate(gold.meetings):
            if people & gold_people and any(_overlap(a, b) for a in spans for b in gold_spans):
                s.right += 1
                hit.add(index)
                break
    s.found = len(hit)

    # Posts.
    s = scores["post"]
    s.truth = len(gold.posts)
    hit = set()
    for proposal in by_kind["post"]:
        claims = proposal["statement"]["claims"]
        s.judged += 1
        for index, (holder, title) in enumerate(gold.posts):
            if person(claims["holder"]) == holder and _title_words(claims["positionTitle"]) & _title_words(title):
                s.right += 1
                hit.add(index)
                break
    s.found = len(hit)
    return scores


def _same_kind(guessed: str, true: str) -> bool:
    places = set(ENTITY_TYPES) - {"Person", "Organization", "Group"}
    return guessed == true or (guessed in places and true in places) or \
        ({guessed, true} == {"Organization", "Group"})


def _same_date(proposed: str, true: str) -> bool:
    """The same EDTF value; an interval the curator left open at one end ("1955-12/..", a post
    held from then on) is found by its known end."""
    return proposed == true or (true.endswith("/..") and true[:-3] == proposed) or \
        (true.startswith("../") and true[3:] == proposed)


def _spans_and_values(s: Score, gold: list, outputs: list, same) -> None:
    s.truth += len(gold)
    for start, end, value in gold:
        s.found += any(_overlap(span, (start, end)) and same(v, value) for span, v in outputs)
    for span, value in outputs:
        around = [v for start, end, v in gold if _overlap(span, (start, end))]
        if around:
            s.judged += 1
            s.right += any(same(value, v) for v in around)
        else:
            s.unjudged += 1
