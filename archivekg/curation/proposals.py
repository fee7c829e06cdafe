"""``archivekg annotate``: the statements a document's words suggest, for a person to judge.

Each proposal is a statement ready for the annotations (quote, subject, claims, names), with
the things and registry entries it introduces, the words it rests on and their offsets in the
text, a confidence in [0, 1] and why.  Kinds: ``mention`` (an entity the registries know),
``new-name`` (one they do not: a proposed registry entry, its kind guessed), ``date`` (EDTF),
``figure`` (a number and its unit), ``number`` (a decree's or the document's number),
``meeting`` (who met whom, when, where) and ``post`` (a person's post).

What the annotations or the record already say, what a person accepted, and what a person
rejected (``<doc-id>.rejected.yaml``) is not proposed again.  The proposals are written to
``annotations/<doc-id>.proposals.yaml``, which the build does not read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from archivekg.curation import dates as date_reader
from archivekg.curation import document as document_module
from archivekg.curation import events, figures, mentions, numbers
from archivekg.curation.document import Analysed
from archivekg.curation.gazetteer import REGISTRY_OF, Gazetteer
from archivekg.curation.importer import slug
from archivekg.curation.quotes import Quote, quote
from archivekg.datalayout import proposals_name, rejected_name
from archivekg.names import document_numbers
from archivekg.pipeline.yamlload import load_yaml

KINDS = ("mention", "new-name", "date", "figure", "number", "meeting", "post")
EDTF_FIELDS = ("date", "dateNumbered", "dateStamped", "periodCovered")
FIGURE_FIELDS = ("quantityValue", "minValue", "maxValue", "numberOfFamilies", "numberOfPeople")


@dataclass
class Proposal:
    kind: str
    words: str
    at: tuple[int, int]
    quote: Quote
    confidence: float
    why: str
    statement: dict
    things: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)     # {"registry": ..., "entry": {...}}
    also: list[tuple[int, int]] = field(default_factory=list)
    value: object = None                                   # what is proposed, for comparing
    id: str = ""

    def key(self) -> str:
        """Stable across runs: the kind, the words and where they stand, and what is proposed."""
        basis = json.dumps([self.kind, self.quote.text, self.quote.occurrence, self.words,
                            _canonical(self.value)], ensure_ascii=False, sort_keys=True)
        return "p-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]

    def yaml(self) -> dict:
        data = {"id": self.id, "kind": self.kind, "words": self.words, "at": list(self.at),
                "confidence": self.confidence, "why": self.why, **self.quote.yaml(),
                "quoteAt": [self.quote.start, self.quote.end]}
        if self.also:
            data["also"] = [list(span) for span in self.also]
        if self.things:
            data["things"] = self.things
        if self.entities:
            data["entities"] = self.entities
        data["statement"] = self.statement
        return data


def _canonical(value):
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


@dataclass
class Existing:
    """What the record, the annotations and earlier reviews say already."""

    ids: set[str] = field(default_factory=set)              # every id of the corpus
    entities: set[str] = field(default_factory=set)         # entities this document refers to
    dates: set[str] = field(default_factory=set)
    figures: set[float] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    tenures: set[str] = field(default_factory=set)          # holders of posts already stated
    meetings: set[str] = field(default_factory=set)         # participants of meetings already stated
    decided: set[str] = field(default_factory=set)          # proposal ids accepted or rejected


def existing(data_dir: Path | None, doc: Analysed, gazetteer: Gazetteer) -> Existing:
    known = Existing()
    known.ids.update(gazetteer.ids)
    if data_dir is not None:
        rejected = Path(data_dir) / "annotations" / rejected_name(doc.doc_id)
        if rejected.is_file():
            for entry in load_yaml(rejected) or []:
                known.decided.add(entry["proposal"])
    known.ids.update(gazetteer.entities)
    known.entities |= doc.record_entities()
    for name in EDTF_FIELDS:
        if doc.record.get(name):
            known.dates.add(str(doc.record[name]))
    if doc.record.get("documentNumber"):
        known.numbers.update(document_numbers(f"No. {doc.record['documentNumber']}"))
    types = {}
    for thing in (doc.annotations or {}).get("things") or []:
        types[thing["id"]] = thing["type"]
    for statement in (doc.annotations or {}).get("statements") or []:
        claims = statement.get("claims") or {}
        accepted = statement.get("accepted")
        if isinstance(accepted, dict) and accepted.get("proposal"):
            known.decided.add(accepted["proposal"])
        known.entities.update(e for e in (statement.get("names") or {}).values())
        for key, value in claims.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item in gazetteer.entities:
                    known.entities.add(item)
                if key in EDTF_FIELDS:
                    known.dates.add(str(item))
                if key in FIGURE_FIELDS and isinstance(item, (int, float)):
                    known.figures.add(float(item))
                if key in ("decreeNumber", "documentNumber"):
                    known.numbers.update(document_numbers(f"No. {item}"))
        if types.get(statement["subject"]) == "Tenure" and claims.get("holder"):
            known.tenures.add(claims["holder"])
        if types.get(statement["subject"]) in ("Meeting", "Conversation"):
            for person in claims.get("participant") or []:
                known.meetings.add(person)
    return known


class Builder:
    """Turns what the readers found into proposals, with ids no one uses yet."""

    def __init__(self, doc: Analysed, known: Existing):
        self.doc, self.known = doc, known
        self.ids: set[str] = set(known.ids)
        self.proposals: list[Proposal] = []

    def new_id(self, base: str) -> str:
        base = slug(base)[:70].strip("-") or "thing"
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def sentence_quote(self, start: int, end: int) -> Quote | None:
        sentence = self.doc.sentence_at(start)
        if sentence is None or end > sentence.end:
            return quote(self.doc.text, start, end)
        return quote(self.doc.text, sentence.start, sentence.end) or quote(self.doc.text, start, end)

    def add(self, kind: str, start: int, end: int, confidence: float, why: str, statement: dict,
            **extra) -> Proposal | None:
        where = extra.pop("quote", None) or self.sentence_quote(start, end)
        if where is None:
            return None
        proposal = Proposal(kind, self.doc.text[start:end], (start, end), where, round(confidence, 2), why,
                            statement, **extra)
        proposal.id = proposal.key()
        if proposal.id in self.known.decided:
            return None
        self.proposals.append(proposal)
        return proposal


def propose(doc: Analysed, gazetteer: Gazetteer, data_dir: Path | None = None,
            known: Existing | None = None) -> list[Proposal]:
    known = known or existing(data_dir, doc, gazetteer)
    builder = Builder(doc, known)
    hits, new_names = mentions.find(doc, gazetteer)
    new_ids = _new_names(builder, gazetteer, new_names)
    _mentions(builder, hits)
    written = {(h.start, h.end): h.entity for h in hits}
    written.update({(s, e): new_ids[n.key] for n in new_names if n.key in new_ids for s, e, _ in n.occurrences})
    people = events.People(doc, written, gazetteer, new_ids, new_names)
    events.meetings(builder, people)
    events.posts(builder, people)
    _dates(builder)
    _figures(builder)
    _numbers(builder, gazetteer)
    return builder.proposals


def _mentions(builder: Builder, hits: list[mentions.Hit]) -> None:
    groups: dict[tuple[str, str], list[mentions.Hit]] = {}
    for hit in hits:
        if hit.entity and hit.entity not in builder.known.entities:
            groups.setdefault((hit.entity, hit.written), []).append(hit)
    for (entity, written), group in groups.items():
        best = max(group, key=lambda h: h.confidence)
        first = group[0]
        proposal = builder.add(
            "mention", first.start, first.end, best.confidence,
            best.why + (f"; written so {len(group)} times" if len(group) > 1 else ""),
            {"subject": builder.doc.doc_id, "claims": {"mentions": entity}, "names": {written: entity}},
            also=[(h.start, h.end) for h in group[1:]], value=entity)
        if proposal is not None and len({h.entity for h in group}) == 1 and best.confidence < first.confidence:
            proposal.confidence = first.confidence


def _new_names(builder: Builder, gazetteer: Gazetteer, new_names: list[mentions.NewName]) -> dict[str, str]:
    ids = {}
    for name in new_names:
        entity_id = builder.new_id(_entity_id(name.name, name.type))
        ids[name.key] = entity_id
        variants = sorted({w for _, _, w in name.occurrences})
        entry = {"id": entity_id, "type": name.type, "name": _clean_name(name.name), "variants": variants,
                 "note": f"Proposed from {builder.doc.doc_id} by `archivekg annotate` ({name.why})."}
        first = name.occurrences[0]
        builder.add("new-name", first[0], first[1], name.confidence,
                    f"not in the registries; {name.type.lower()}: {name.why}",
                    {"subject": builder.doc.doc_id, "claims": {"mentions": entity_id},
                     "names": {first[2]: entity_id}},
                    entities=[{"registry": REGISTRY_OF.get(name.type, "organizations"), "entry": entry}],
                    also=[(s, e) for s, e, _ in name.occurrences[1:]], value=(_clean_name(name.name), name.type))
    return ids


def _clean_name(name: str) -> str:
    return re.sub(r"[’']s$", "", " ".join(name.split())).strip(" ,.;:")


def _entity_id(name: str, kind: str) -> str:
    clean = _clean_name(name)
    words = clean.replace(".", ". ").split()
    if kind == "Person":
        initials = [w for w in words if re.fullmatch(r"[A-ZА-Я]\.", w)]
        others = [w for w in words if w not in initials]
        if initials and others:            # V. I. Ivanov → ivanov-v-i
            return slug(" ".join(others + [i.rstrip(".") for i in initials]))
        if len(words) == 2 and mentions.RUSSIAN_SURNAME.search(words[1]) and not mentions.korean_name(clean):
            return slug(f"{words[1]} {words[0]}")   # Genrikh Lyushkov → lyushkov-genrikh
    return slug(clean)


def _event_type(sentence: str, words: str = "", before: str = "") -> str:
    """The kind of event a date dates, when the words say it: "the April KWP CC plenum",
    "the decree of August 21, 1937", "the meeting on 3 March"; otherwise an Event."""
    lowered = (words + " " + re.sub(r"^.*?(\w+\s+(?:of|on|held\s+on|dated)\s*)$", r"\1", before)).lower()
    for pattern, kind in ((r"\bplenum\b", "Plenum"), (r"\b(?:meeting|met|visited|received|conference)\b", "Meeting"),
                          (r"\bconversation\b", "Conversation"), (r"\b(?:decree|resolution)\b", "Decree"),
                          (r"\bdeport", "Deportation"), (r"\bresettle", "Resettlement"),
                          (r"\barrest", "Arrest"), (r"\bappoint", "Appointment"), (r"\bexpel", "Expulsion")):
        if re.search(pattern, lowered):
            return kind
    return "Event"


def _label(text: str, limit: int = 140) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[:limit].rsplit(" ", 1)[0] + " …"


def _dates(builder: Builder) -> None:
    doc = builder.doc
    taken = [p.at for p in builder.proposals if p.kind == "meeting" and "date" in p.statement["claims"]]
    for sentence in doc.sentences:
        if sentence.segment not in ("body",):
            continue
        chunk = doc.text[sentence.start:sentence.end]
        if re.fullmatch(r"\s*[\w ,.]{1,30}\s*", chunk) and len(chunk.split()) <= 4 \
                and date_reader.find_dates(doc.text, sentence.start, sentence.end, document_year=doc.year):
            continue        # a dateline ("7 December"): the entry's date, which the record holds
        for mention in date_reader.find_dates(doc.text, sentence.start, sentence.end, document_year=doc.year):
            if mention.edtf in builder.known.dates or any(s <= mention.start < e for s, e in taken):
                continue
            kind = _event_type(chunk, mention.words, doc.text[max(sentence.start, mention.start - 40):mention.start])
            subject = builder.new_id(f"{kind.lower()}-{doc.doc_id}-{mention.edtf.replace('/', '-')}")
            label = _label(chunk)
            builder.add("date", mention.start, mention.end, mention.confidence, mention.why,
                        {"subject": subject, "claims": {"date": mention.edtf}},
                        things=[{"id": subject, "type": kind, "label": label}], value=mention.edtf)


def _clause(text: str, start: int, end: int, sentence, after: int = 0) -> str:
    left = max([text.rfind(mark, sentence.start, start) for mark in (",", ";", ":")] + [after - 1])
    left = sentence.start if left < sentence.start else left + 1
    right = min([i for i in (text.find(mark, end, sentence.end) for mark in (",", ";", ".")) if i >= 0] or
                [sentence.end])
    return _label(text[left:right], 160)


def _figures(builder: Builder) -> None:
    doc = builder.doc
    previous_end = 0
    for figure in figures.find_figures(doc):
        values = {v for v in (figure.value, figure.low, figure.high) if v is not None}
        sentence = doc.sentence_at(figure.start)
        # What a figure measures is said between the figure before it and itself ("from the
        # island of Changrindo (Ongjin District) 202 families"), or in its clause.
        measures = _clause(doc.text, figure.start, figure.end, sentence, previous_end) if sentence else figure.words
        previous_end = figure.end if sentence and previous_end < figure.end else previous_end
        if values & builder.known.figures:
            continue
        subject = builder.new_id(f"quantity-{doc.doc_id}-{slug(figure.words)[:30]}")
        builder.add("figure", figure.start, figure.end, figure.confidence, figure.why,
                    {"subject": subject, "claims": {**figure.claims, "measures": measures}},
                    things=[{"id": subject, "type": "Quantity", "label": _label(f"{figure.words}: {measures}")}],
                    value=figure.claims)


def _numbers(builder: Builder, gazetteer: Gazetteer) -> None:
    doc = builder.doc
    for number in numbers.find_numbers(doc):
        if number.key in builder.known.numbers:
            continue
        start, end, written = number.occurrences[0]
        also = [(s, e) for s, e, _ in number.occurrences[1:]]
        if number.kind == "decree":
            decree = gazetteer.decrees.get(number.key)
            things = []
            if decree is None:
                decree = builder.new_id(f"decree-{number.value}")
                things = [{"id": decree, "type": "Decree", "label": f"Decree No. {number.value}"}]
            if things:
                builder.add("number", start, end, number.confidence, number.why,
                            {"subject": decree, "claims": {"decreeNumber": number.value}},
                            things=things, also=also, value=number.value)
            else:            # a decree another document states: this one names it
                builder.add("number", start, end, number.confidence,
                            number.why + f"; the number of {decree}, which another document states",
                            {"subject": doc.doc_id, "claims": {"mentions": decree}, "names": {written: decree}},
                            also=also, value=number.value)
        elif doc.segment_at(start) == "distribution":
            builder.add("number", start, end, number.confidence, number.why,
                        {"subject": doc.doc_id, "claims": {"documentNumber": number.value}},
                        also=also, value=number.value)


# ---------------------------------------------------------------------------- the file

def write(data_dir: Path, doc: Analysed, proposals: list[Proposal], today: dt.date | None = None) -> Path:
    from archivekg.curation.review import write_checked
    from archivekg.curation.yamltext import block, list_item

    path = Path(data_dir) / "annotations" / proposals_name(doc.doc_id)
    lines = [f"# Proposed statements for {doc.doc_id}, made by `archivekg annotate`; the build does not",
             "# read this file.  Accept or reject them with `archivekg review` (or the review page).",
             *block({"document": doc.doc_id, "made": (today or dt.date.today()).isoformat(),
                     "textSha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest()}),
             "proposals:" if proposals else "proposals: []"]
    for proposal in proposals:
        lines += list_item(proposal.yaml(), 2)
    # Written by this code from JSON-quoted scalars; review reads it back with the build's loader.
    write_checked(path, "\n".join(lines) + "\n", check=False)
    return path


def read(data_dir: Path, doc_id: str) -> dict:
    from archivekg.errors import ReviewError

    path = Path(data_dir) / "annotations" / proposals_name(doc_id)
    if not path.is_file():
        raise ReviewError(f"no proposals for {doc_id}: run `archivekg annotate {doc_id}` first")
    return load_yaml(path)


def annotate(data_dir: Path, doc_id: str, gazetteer: Gazetteer | None = None) -> tuple[Path, list[Proposal]]:
    from archivekg.curation import gazetteer as gazetteer_module

    gazetteer = gazetteer or gazetteer_module.load(data_dir)
    doc = document_module.load(data_dir, doc_id)
    proposals = propose(doc, gazetteer, data_dir)
    return write(data_dir, doc, proposals), proposals
