"""Meetings (who met whom, when, where) and posts (the title a text gives a person).

Both rest on the persons the mention finder placed in the text (known or proposed as new)
and on the wording around them: "I visited X", "X received Y", "a meeting between X and Y",
"... were present"; "Adviser to the DPRK MVD Cde. F. I. Veselov", "First Secretary of the
Embassy (I. Byakov)", "Pak Il-u, a former member of the KWP CC Political Council", "X was
appointed Chief of the CC Organization Department".  "I" is the document's author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archivekg.curation import dates as date_reader
from archivekg.curation.document import Analysed
from archivekg.curation.gazetteer import PLACE_TYPES, Gazetteer
from archivekg.curation.importer import slug

TITLE_WORDS = (r"(?:[Aa]mbassador|[Ss]ecretary|[Aa]dvis[eo]r|[Cc]hairm[ae]n|[Cc]hair|[Cc]hief|[Hh]ead|"
               r"[Mm]inister|[Mm]embers?|[Rr]epresentative|[Ii]nterpreter|[Dd]irector|[Cc]ommander|"
               r"[Cc]onsul|[Cc]ounsell?or|[Aa]ttach[ée]|[Cc]harg[ée] d['’][Aa]ffaires|[Pp]remier|"
               r"[Pp]resident|[Ii]nspector|[Oo]rgani[sz]er|[Ee]ditor|[Pp]rosecutor|[Cc]andidate member)")
_TITLE = re.compile(TITLE_WORDS)
# The words a post's body may have after its title ("of the KWP CC Political Council", "of the
# Party committee of the province of South Hamgyeong", "to the DPRK MVD"): names and the nouns
# bodies are made of, never a verb ("... of the KWP CC he recommended").
_BODY_WORD = (r"(?:[A-Z][\w()\[\]'’.-]*|of|the|and|for|to|committee|department|province|party|council|"
              r"commission|ministry|cooperative|cooperatives|troops|army|headquarters|fight|embezzlement|"
              r"communications|unions|staff|rear|bureau|office|embassy|district|city|fishing|industry|"
              r"affairs|culture|trade|internal|foreign|state|people's|workers'|central|joint|regional|"
              r"provincial|city|county|security|planning|agriculture)")
_TAIL = rf"(?:\s+(?:of|to|at|in|for)\s+{_BODY_WORD}(?:\s+{_BODY_WORD})*)?"
_TITLE_AFTER = re.compile(rf"^\s*,\s*(?:as\s+)?(?:(?:a|the|then)\s+)?(?P<former>former\s+)?"
                          rf"(?P<title>(?:[A-Z][\w-]*\s+){{0,3}}?{TITLE_WORDS}{_TAIL})(?=\s*[,;.)]|\s+who\b|\s*$)")
_APPOINTED = re.compile(rf"^\s+(?:was|has been|had been|is|became)\s+(?:appointed\s+|elected\s+|made\s+)"
                        rf"(?:to\s+the\s+post\s+of\s+|as\s+|the\s+)?(?P<title>(?:[A-Z][\w-]*\s+){{0,3}}?"
                        rf"{TITLE_WORDS}{_TAIL})(?=\W|$)")
# "for the post of Chief of ...", "as chairman of ...", "was in the post of ...", anywhere after
# the name (before another person is named); "When in the post of Minister of the MVD, X ...".
_POST_OF = re.compile(rf"\b(?:(?:for|in|to)\s+the\s+post\s+of|as)\s+(?:an?\s+|the\s+)?"
                      rf"(?P<title>(?:[A-Z][\w-]*\s+){{0,3}}?{TITLE_WORDS}{_TAIL})(?=\W|$)")
_POST_BEFORE = re.compile(rf"\bin\s+the\s+post\s+of\s+(?P<title>(?:[A-Z][\w-]*\s+){{0,3}}?{TITLE_WORDS}{_TAIL})"
                          rf"\s*,\s*$")
_MET = re.compile(r"\b(?P<verb>visited|met(?:\s+with)?|received|called\s+on|had\s+a\s+(?:conversation|meeting|talk)"
                  r"\s+with|talked\s+with|spoke\s+with|conferred\s+with)\s+(?:(?:Cde\.|Comrade|Ambassador|Mr\.|Dr\.)\s+)?$")
_MEETING_OF = re.compile(r"\b(?:meeting|conversation|talks?)\s+(?:between|of|with)\s+"
                         r"(?:(?:Cde\.|Comrade|Ambassador|Mr\.|Dr\.)\s+)?$")
_PRESENT = re.compile(r"\b(?:were|was)\s+(?:also\s+)?present\b|\b(?:also\s+)?present\s+were\b|\battended\b",
                      re.IGNORECASE)


@dataclass
class Person:
    start: int
    end: int
    entity: str
    written: str


class People:
    """The persons (and bodies and places) the mention finder placed in the text."""

    def __init__(self, doc: Analysed, written: dict[tuple[int, int], str | None], gazetteer: Gazetteer,
                 new_ids: dict[str, str], new_names):
        self.doc = doc
        types = {e.id: e.type for e in gazetteer.entities.values()}
        for name in new_names:
            if name.key in new_ids:
                types[new_ids[name.key]] = name.type
        self.types = types
        self.names = {e.id: e.name for e in gazetteer.entities.values()}
        for name in new_names:
            if name.key in new_ids:
                self.names[new_ids[name.key]] = name.name
        self.spans = sorted((s, e, entity) for (s, e), entity in written.items() if entity)
        self.new = {v: k for k, v in new_ids.items()}
        self.new_names = {n.key: n for n in new_names}

    def of_type(self, start: int, end: int, types: tuple[str, ...]) -> list[Person]:
        return [Person(s, e, entity, self.doc.text[s:e]) for s, e, entity in self.spans
                if start <= s and e <= end and self.types.get(entity) in types]

    def entities_for(self, ids) -> list[dict]:
        """Registry entries of the new names among ``ids``, for a proposal that uses them."""
        from archivekg.curation.gazetteer import REGISTRY_OF

        found = []
        for entity in dict.fromkeys(ids):
            if entity in self.new:
                name = self.new_names[self.new[entity]]
                found.append({"registry": REGISTRY_OF.get(name.type, "organizations"),
                              "entry": {"id": entity, "type": name.type, "name": name.name,
                                        "variants": sorted({w for _, _, w in name.occurrences}),
                                        "note": f"Proposed from {self.doc.doc_id} by `archivekg annotate` "
                                                f"({name.why})."}})
        return found


def meetings(builder, people: People) -> None:
    doc = builder.doc
    author = doc.record.get("author")
    last_meeting: tuple[str, int, set] | None = None
    for sentence in doc.sentences:
        if sentence.segment != "body":
            continue
        text = doc.text[sentence.start:sentence.end]
        persons = people.of_type(sentence.start, sentence.end, ("Person",))
        found = None
        for index, person in enumerate(persons):
            before = doc.text[sentence.start:person.start]
            met = _MET.search(before)
            if met:
                subject = _subject(doc, people, sentence.start, sentence.start + met.start(), author)
                if subject is None and not _first_person(doc, sentence.start, sentence.start + met.start()):
                    continue
                host = person.entity if met.group("verb") == "visited" else \
                    subject if met.group("verb") == "received" else None
                found = (met, [subject, person.entity], host, f"'{met.group(0).strip()}'")
                break
            meeting_of = _MEETING_OF.search(before)
            if meeting_of and index + 1 < len(persons) and re.fullmatch(
                    r"\s*and\s*", doc.text[person.end:persons[index + 1].start]):
                found = (meeting_of, [person.entity, persons[index + 1].entity], None,
                         f"'{meeting_of.group(0).strip()} ... and ...'")
                break
        if found is not None:
            match, named, host, words = found
            unnamed_author = None in named
            participants = list(dict.fromkeys(p for p in named if p))
            if set(participants) <= builder.known.meetings:
                continue
            if unnamed_author:
                words += "; 'I' is the author, whom the record does not name yet"
            claims: dict = {"participant": participants}
            if host:
                claims["hostedBy"] = host
            date = _date_of(doc, sentence)
            if date:
                claims["date"] = date
            places = people.of_type(sentence.start, sentence.end, PLACE_TYPES)
            if places:
                claims["tookPlaceAt"] = places[0].entity
            names = {p.written: p.entity for p in persons if p.entity in participants}
            label = "Meeting of " + " with ".join(people.names.get(p, p) for p in participants[:2]) + \
                (f", {date}" if date else "")
            subject = builder.new_id(f"meeting-{date or doc.doc_id}-" + "-".join(p.split("-")[0] for p in participants[:2]))
            proposal = builder.add(
                "meeting", sentence.start, sentence.end, 0.75 if author in participants or host else 0.65,
                f"a meeting: {words}" + ("; 'I' is the author" if author in participants else ""),
                {"subject": subject, "claims": claims, **({"names": names} if names else {})},
                things=[{"id": subject, "type": "Meeting", "label": label}],
                entities=people.entities_for(participants), value={"participants": sorted(participants),
                                                                   "date": date})
            if proposal is not None:
                last_meeting = (subject, sentence.end, set(participants))
            continue
        if last_meeting and _PRESENT.search(text) and sentence.start - last_meeting[1] < 400 and persons:
            subject, _, already = last_meeting
            others = [p for p in persons if p.entity not in already]
            if others:
                participants = list(dict.fromkeys(p.entity for p in others))
                builder.add("meeting", sentence.start, sentence.end, 0.7,
                            "persons 'present' at the meeting of the sentence before",
                            {"subject": subject, "claims": {"participant": participants},
                             "names": {p.written: p.entity for p in others}},
                            entities=people.entities_for(participants),
                            value={"participants": sorted(participants), "date": None, "of": subject})
                already.update(participants)


def _first_person(doc: Analysed, start: int, end: int) -> bool:
    return bool(re.search(r"(?:^|\W)(?:I|we|We)\s*$", doc.text[start:end]))


def _subject(doc: Analysed, people: People, start: int, end: int, author: str | None) -> str | None:
    """Who did the meeting: "I" or "we" (the author), or the last person named before the verb."""
    before = doc.text[start:end]
    if re.search(r"(?:^|\W)(?:I|we|We)\s*$", before) and author:
        return author
    persons = people.of_type(start, end, ("Person",))
    if persons and re.fullmatch(r"[\s,]*", doc.text[persons[-1].end:end]):
        return persons[-1].entity
    return None


def _date_of(doc: Analysed, sentence) -> str | None:
    dates = date_reader.find_dates(doc.text, sentence.start, sentence.end, document_year=doc.year)
    if dates:
        return dates[0].edtf
    # A dateline just before ("7 December" heading an entry).
    for earlier in reversed([s for s in doc.sentences if s.end <= sentence.start][-3:]):
        chunk = doc.text[earlier.start:earlier.end]
        if len(chunk.split()) <= 4:
            found = date_reader.find_dates(doc.text, earlier.start, earlier.end, document_year=doc.year)
            if found and len(found[0].edtf) == 10 and sentence.start - earlier.end < 200:
                return found[0].edtf
    return None


def posts(builder, people: People) -> None:
    doc = builder.doc
    seen: set[tuple[str, str]] = set()
    for sentence in doc.sentences:
        if sentence.segment == "nondocument":
            continue
        persons = people.of_type(sentence.start, sentence.end, ("Person",))
        for index, person in enumerate(persons):
            for title, start, end, how, former in _titles(doc, sentence, person, persons, index):
                title, end = title.rstrip("."), end - (len(title) - len(title.rstrip(".")))
                key = (person.entity, slug(title))
                if key in seen or person.entity in builder.known.tenures:
                    continue
                seen.add(key)
                claims: dict = {"holder": person.entity, "positionTitle": title}
                bodies = people.of_type(start, end, ("Organization",))
                if bodies:
                    claims["inOrganization"] = bodies[-1].entity
                names = {person.written: person.entity}
                names.update({b.written: b.entity for b in bodies[-1:]})
                subject = builder.new_id(f"tenure-{person.entity}-{slug(title)[:40]}")
                label = f"{people.names.get(person.entity, person.written)}, {title}" + (" (former)" if former else "")
                quote_start, quote_end = min(start, person.start), max(end, person.end)
                if doc.text[quote_end:quote_end + 1] == ")":
                    quote_end += 1
                dateline = _dateline_after(doc, quote_end)
                if dateline is not None:
                    # A signature: the post is attested on the date under it.
                    quote_end, claims["date"] = dateline
                from archivekg.curation.quotes import quote

                where = quote(doc.text, quote_start, quote_end) or builder.sentence_quote(quote_start, quote_end)
                builder.add("post", person.start, person.end, 0.75 if how != "appointed" else 0.7,
                            f"a post: {how}", {"subject": subject, "claims": claims, "names": names},
                            quote=where, things=[{"id": subject, "type": "Tenure", "label": label}],
                            entities=people.entities_for([person.entity, *claims.values()]),
                            value={"holder": person.entity, "title": title})


def _dateline_after(doc: Analysed, position: int) -> tuple[int, str] | None:
    """(end, EDTF) of a line holding only a date right after ``position`` (the date under a
    signature)."""
    match = re.match(r"\s*\n\s*([^\n]{6,30})\s*(?:\n|$)", doc.text[position:position + 60])
    if not match:
        return None
    start = position + match.start(1)
    found = date_reader.find_dates(doc.text, start, position + match.end(1))
    if len(found) == 1 and found[0].start == start and len(found[0].edtf) == 10 \
            and not doc.text[found[0].end:position + match.end(1)].strip():
        return found[0].end, found[0].edtf
    return None


def _titles(doc: Analysed, sentence, person: Person, persons: list[Person], index: int):
    text = doc.text
    limit = persons[index - 1].end if index else sentence.start
    before = text[limit:person.start]
    # Title before the name: "Adviser to the DPRK MVD Cde. F. I. Veselov", "First Secretary of
    # the Embassy (I. Byakov)", "Deputy KWP CC chairmen Choe Yong-geon and Pak Geum-cheol".
    joined = re.search(r"(?:Cde\.|Comrade|\()\s*$|\s$", before)
    if joined:
        head = before[:joined.start()].rstrip()
        titles = list(_TITLE.finditer(head))
        if titles:
            title = titles[-1]
            tail = head[title.end():]
            if re.fullmatch(_TAIL, tail):
                begin = title.start()
                while True:   # capitalised words before the title word belong to it (Soviet, Deputy, KWP CC)
                    previous = re.search(r"([A-Z][\w.()'’-]*)\s+$", head[:begin])
                    if not previous or previous.group(1) in ("I", "The", "Journal", "Memo", "From", "To"):
                        break
                    begin = previous.start(1)
                written = head[begin:].strip()
                if written and written[0].islower() and begin > 0 and head[begin - 1] not in " (":
                    written = ""
                if written:
                    yield (written, limit + begin, limit + len(head), "the title before the name", False)
                    return
    # "X and Y" after a plural title: the title of the name before.
    if index and re.fullmatch(r"\s+and\s+", before):
        prior = persons[index - 1]
        for title, start, end, how, former in _titles(doc, sentence, prior, persons, index - 1):
            if re.search(r"(?:men|s)\b", title.split(" of ")[0]):
                yield title, start, end, how + " (and the name after it)", former
        return
    after = text[person.end:sentence.end]
    match = _TITLE_AFTER.match(after)
    if match:
        yield (match.group("title").strip(), person.end + match.start("title"), person.end + match.end("title"),
               "the title after the name", bool(match.group("former")))
        return
    match = _APPOINTED.match(after)
    if match:
        yield (match.group("title").strip(), person.end + match.start("title"), person.end + match.end("title"),
               "appointed", False)
        return
    match = _POST_BEFORE.search(before)
    if match:
        yield (match.group("title").strip(), limit + match.start("title"), limit + match.end("title"),
               "'in the post of' before the name", False)
        return
    until = persons[index + 1].start if index + 1 < len(persons) else sentence.end
    match = _POST_OF.search(text[person.end:until])
    if match and "," not in text[person.end:person.end + match.start()]:     # no clause between
        yield (match.group("title").strip(), person.end + match.start("title"), person.end + match.end("title"),
               f"'{match.group(0).split()[0]} ... {match.group('title').split()[0]}' after the name", False)
