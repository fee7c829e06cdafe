"""The catalogue fields of a document, each with the words it was read from.

Every reader looks for what a field's words say (a label, "Translated by", "Copy No. 2", "Five
copies printed", "F. 0102, Op. 11", "drafted by"), in the part of the text where the field is
written (the catalogue, the body's opening or signature, the distribution list).  Persons and
bodies are looked up in the registries: one that is not there is left out of the record and
said (``archivekg annotate`` then proposes the name as a new entry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archivekg.curation import dates as date_reader
from archivekg.curation.gazetteer import PLACE_TYPES, Gazetteer
from archivekg.curation.layout import CITATION, COPY_NUMBER, RIGHTS, Block, is_date_line, label_of
from archivekg.curation.quotes import Quote, number_word, quote

DOCUMENT_TYPES = (  # words of a title → documentType, most specific first
    ("record of conversation", "record of conversation"), ("memorandum of conversation", "record of conversation"),
    ("record of a conversation", "record of conversation"), ("journal", "journal entry"),
    ("diary", "journal entry"), ("memorandum", "memo"), ("memo", "memo"), ("telegram", "telegram"),
    ("cable", "telegram"), ("ciphered telegram", "telegram"), ("letter", "letter"), ("report", "report"),
    ("minutes", "minutes"), ("protocol", "minutes"), ("transcript", "transcript"), ("resolution", "resolution"),
    ("decree", "decree"), ("directive", "directive"), ("instruction", "directive"), ("note", "note"),
    ("information", "information"), ("speech", "speech"), ("statement", "statement"),
)
PERSON_OR_BODY = ("Person", "Organization", "Group")
_NAME = r"(?:(?:Cde\.|Comrade|Ambassador|Mr\.|Dr\.)\s+)?(?:[A-Z]\.\s*){0,3}[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
_URL = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass
class Field:
    name: str
    value: object
    quote: Quote | None
    note: str | None = None


@dataclass
class Catalog:
    fields: dict[str, Field] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)        # what the text did not give
    unknown: list[tuple[str, str]] = field(default_factory=list)   # (field, name) not in the registries

    def add(self, name: str, value, where: Quote | None, note: str | None = None) -> None:
        if name not in self.fields and value not in (None, "", []):
            self.fields[name] = Field(name, value, where, note)

    def value(self, name: str):
        return self.fields[name].value if name in self.fields else None


def read_catalog(text: str, blocks: list[Block], gazetteer: Gazetteer, page_title: str | None = None) -> Catalog:
    found = Catalog()
    catalog = [b for b in blocks if b.kind == "catalog"]
    body = [b for b in blocks if b.kind == "body"]
    distribution = [b for b in blocks if b.kind == "distribution"]

    title_block = _title(text, blocks, page_title, found)
    _date(text, catalog, body, found, title_block)
    year = int(found.value("date")[:4]) if found.value("date") else None
    _document_type(text, found, title_block)
    _labelled(text, catalog, gazetteer, found)
    _citation(text, catalog, gazetteer, found)
    _opening(text, body, gazetteer, found, year)
    _signature(text, body, gazetteer, found, title_block)
    _distribution(text, distribution, gazetteer, found, year)
    for name in ("title", "date", "author", "citation", "translator", "rights"):
        if name not in found.fields:
            found.unread.append(name)
    return found


def _person(gazetteer: Gazetteer, name: str, types=PERSON_OR_BODY) -> str | None:
    from archivekg.curation.gazetteer import name_key

    exact = [e for e in gazetteer.exact(name_key(name)) if gazetteer.entities[e].type in types]
    if len(exact) == 1:          # the registry's own form: no need to rank candidates
        return exact[0]
    candidates = gazetteer.match(name, types)
    if candidates and (len(candidates) == 1 or candidates[0].score > candidates[1].score):
        return candidates[0].entity_id
    return None


def _entity_field(found: Catalog, gazetteer: Gazetteer, name: str, written: str, where: Quote | None,
                  types=PERSON_OR_BODY) -> None:
    entity = _person(gazetteer, written, types)
    if entity:
        found.add(name, entity, where)
    elif name not in found.fields:
        found.unknown.append((name, written))


def _title(text: str, blocks: list[Block], page_title: str | None, found: Catalog) -> Block | None:
    candidates = [b for b in blocks if b.kind in ("catalog", "body") and b.label is None and b.field is None
                  and not is_date_line(b)]
    chosen = None
    if page_title:
        chosen = next((b for b in candidates if b.clean.lower() == " ".join(page_title.split()).lower()), None)
    if chosen is None:
        chosen = next((b for b in candidates if b.kind == "catalog" and b.words <= 40), None)
    if chosen is None:
        chosen = next((b for b in candidates if b.words <= 25 and not b.prose), None)
    if chosen is not None:
        found.add("title", chosen.clean.strip("*_ "), quote(text, chosen.start, chosen.end))
    return chosen


def _date(text: str, catalog: list[Block], body: list[Block], found: Catalog, title: Block | None) -> None:
    for block in catalog[:4] + body[-3:]:
        if is_date_line(block):
            dates = date_reader.find_dates(text, block.start, block.end)
            if dates and len(dates[0].edtf) == 10:
                found.add("date", dates[0].edtf, quote(text, dates[0].start, dates[0].end))
                return
    if title is not None:
        dates = [d for d in date_reader.find_dates(text, title.start, title.end) if len(d.edtf) == 10]
        if dates:
            found.add("date", dates[0].edtf, quote(text, dates[0].start, dates[0].end))


def _document_type(text: str, found: Catalog, title: Block | None) -> None:
    if title is None:
        return
    lowered = title.raw.lower()
    for words, kind in DOCUMENT_TYPES:
        match = re.search(rf"\b{re.escape(words)}\b", lowered)
        if match and match.start() < 12:     # the title begins with what the document is
            span = re.search(r"\S+(?:\s+\S+)*", title.raw[match.start():match.end()])
            assert span is not None, "the words of DOCUMENT_TYPES are not blank"
            where = quote(text, title.start + match.start(), title.start + match.start() + span.end())
            found.add("documentType", kind, where)
            return


def _labelled(text: str, catalog: list[Block], gazetteer: Gazetteer, found: Catalog) -> None:
    for index, block in enumerate(catalog):
        value_block = None
        if block.label and label_of(block)[1]:
            value_block = block
        elif block.label and index + 1 < len(catalog) and catalog[index + 1].label is None:
            value_block = catalog[index + 1]
        if value_block is None or not block.field:
            continue
        value = label_of(value_block)[1] if value_block is block else value_block.clean
        start = value_block.start + (value_block.raw.find(value.split()[0]) if value_block is block else 0)
        where = quote(text, start, value_block.end)
        if block.field == "summary":
            found.add("summary", value, where)
        elif block.field == "credits":
            found.add("credits", value, where)
            support = re.search(r"support (?:from|of) (?:the )?(.+?)\.?$", value)
            if support:
                _entity_field(found, gazetteer, "supportedBy", support.group(1), where, ("Organization",))
        elif block.field == "originalLanguage" and value.split()[0].isalpha() and len(value.split()) <= 3:
            found.add("originalLanguage", value, quote(text, block.start, value_block.end))
        elif block.field == "rights":
            found.add("rights", value, where)
    rights = [b for b in catalog if b.label is None and b.field is None and RIGHTS.search(b.clean)
              and not CITATION.search(b.clean)]
    if rights and "rights" not in found.fields:
        found.add("rights", " ".join(b.clean for b in rights), quote(text, rights[0].start, rights[0].end),
                  note="read from the page's rights statement" + (f" ({len(rights)} paragraphs)"
                                                                 if len(rights) > 1 else ""))
    for block in catalog:
        url = _URL.search(block.raw)
        if url:
            found.add("sourceUrl", url.group(0).rstrip(".,;"),
                      quote(text, block.start + url.start(), block.start + url.start() + len(url.group(0).rstrip(".,;"))))
            break


_ARCHIVE_PARTS = (("fond", r"(?:Fond|F\.)\s*(\d[\w/-]*)"), ("opis", r"(?:Opis|Op\.)\s*(\d[\w/-]*)"),
                  ("papka", r"(?:Papka|P\.)\s*(\d[\w/-]*)"), ("delo", r"(?:Delo|D\.)\s*(\d[\w/-]*)"))


def _citation(text: str, catalog: list[Block], gazetteer: Gazetteer, found: Catalog) -> None:
    for block in catalog:
        match = re.search(r"(?P<archive>[A-Z][^,\n]*?)?[ ,]*(?<!\w)(?:Fond|F\.)\s*\d[^\n]*?(?:Delo|D\.)\s*\d[\w/-]*\.?",
                          " ".join(block.raw.split()))
        if not match:
            continue
        flat = " ".join(block.raw.split())
        citation: dict = {"type": "Citation"}
        archive = (match.group("archive") or "").strip() or None
        if archive:
            entity = _person(gazetteer, archive, ("Organization",))
            if entity:
                citation["archive"] = entity
            else:
                found.unknown.append(("archive", archive))
        for key, pattern in _ARCHIVE_PARTS:
            part = re.search(pattern, match.group(0))
            if part:
                citation[key] = part.group(1).rstrip(".")
        url = _URL.search(flat)
        citation_text = flat[:url.start()].rstrip(" <(") if url else flat
        citation_text = re.sub(r"^\*\*Citation:\*\*\s*|^Citation:\s*", "", citation_text)
        citation["citationText"] = citation_text
        archival = flat[match.start():]
        end_words = archival[:url.start() - match.start()].rstrip(" <(") if url else archival
        where = quote(text, block.start, block.end) if not end_words else _find_in(text, block, end_words)
        found.add("citation", citation, where)
        translated = re.search(r"Translated\s+(?:for\s+(?P<org>[\w&. -]+?)\s+)?by\s+(?P<who>" + _NAME + ")", flat)
        if translated:
            where = _find_in(text, block, translated.group(0))
            _entity_field(found, gazetteer, "translator", translated.group("who"), where, ("Person",))
            if translated.group("org"):
                _entity_field(found, gazetteer, "translationPublisher", translated.group("org"), where,
                              ("Organization",))
        return


def _find_in(text: str, block: Block, words: str) -> Quote | None:
    """The quote of ``words`` (white space loose) inside ``block``."""
    from archivekg.pipeline import texts

    for span in texts.find_all(text[block.start:block.end], words):
        return quote(text, block.start + span.start, block.start + span.end)
    return None


def _opening(text: str, body: list[Block], gazetteer: Gazetteer, found: Catalog, year: int | None) -> None:
    """What the first lines of the body say: classification, copy number, addressee, stamp,
    period, place of writing."""
    from archivekg.curation.layout import ADDRESSEE, CLASSIFICATION

    for index, block in enumerate(body[:12]):
        clean = block.clean
        if CLASSIFICATION.match(clean):
            found.add("classification", clean, quote(text, block.start, block.end))
        elif COPY_NUMBER.match(clean):
            number = re.search(r"\d+", clean)
            assert number is not None, "COPY_NUMBER matches a number"
            found.add("copyNumber", int(number.group(0)), quote(text, block.start, block.start + len(
                block.raw.split("\n")[0].rstrip())))
        elif ADDRESSEE.match(clean) or re.match(r"^to\s+(?:Cde\.|Comrade)\s", clean, re.IGNORECASE):
            person = re.search(rf"(?:Cde\.|Comrade)\s+(?P<who>{_NAME})", clean)
            if person is None and index + 1 < len(body):
                following = body[index + 1]
                person = re.search(r"^to\s+(?:Cde\.|Comrade)\s+(?P<who>.+)$", following.clean, re.IGNORECASE)
                if person:
                    where = quote(text, block.start, following.end)
                    _entity_field(found, gazetteer, "addressee", person.group("who"), where, ("Person",))
                    continue
            if person:
                _entity_field(found, gazetteer, "addressee", person.group("who"),
                              quote(text, block.start, block.end), ("Person",))
        elif "stamp" in clean.lower():
            stamp_end = body[index + 1].end if index + 1 < len(body) and "]" not in clean else block.end
            for mention in date_reader.find_dates(text, block.start, stamp_end, document_year=year):
                if len(mention.edtf) == 10:
                    found.add("dateStamped", mention.edtf, quote(text, block.start, stamp_end))
                    break
        elif re.match(r"^for the period\b", clean, re.IGNORECASE):
            for mention in date_reader.find_dates(text, block.start, block.end, document_year=year):
                if "/" in mention.edtf:
                    found.add("periodCovered", mention.edtf, quote(text, block.start, block.end))
        else:
            place = re.match(r"^(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}),?\s+(?:\d{4}|\d{1,2}\s+\w+\s+\d{4})$",
                             clean)
            if place:
                entity = _person(gazetteer, place.group("place"), PLACE_TYPES)
                if entity:
                    found.add("placeOfWriting", entity, quote(text, block.start, block.end))


def _signature(text: str, body: list[Block], gazetteer: Gazetteer, found: Catalog, title: Block | None) -> None:
    """The author: the signature at the body's end ("First Secretary of the Embassy (I.
    Byakov)"), else the title ("Memo from I. Byakov to ...", "Journal of ... V. I. Ivanov")."""
    for block in reversed(body[-4:]):
        signed = re.search(rf"\((?P<who>{_NAME})\)\s*$", block.clean)
        if signed:
            _entity_field(found, gazetteer, "author", signed.group("who"), quote(text, block.start, block.end),
                          ("Person",))
            return
    if title is None:
        return
    flat = title.clean
    for pattern in (rf"\bfrom\s+(?P<who>{_NAME})\s+to\b", r"\b(?:Journal|Diary)\s+of\s+.*?(?P<who>(?:[A-Z]\.\s*)+[A-Z][\w'’-]+)",
                    rf"\bby\s+(?P<who>{_NAME})"):
        match = re.search(pattern, flat)
        if match:
            where = _find_in(text, title, match.group(0))
            _entity_field(found, gazetteer, "author", match.group("who"), where, ("Person",))
            addressee = re.search(rf"\bto\s+(?:the\s+)?(?P<who>{_NAME})", flat[match.end() - 3:])
            if addressee and "addressee" not in found.fields:
                entity = _person(gazetteer, addressee.group("who"), ("Person",))
                if entity:
                    found.add("addressee", entity, where)
            return


def _distribution(text: str, distribution: list[Block], gazetteer: Gazetteer, found: Catalog,
                  year: int | None) -> None:
    if not distribution:
        return
    lines: list[tuple[int, int, str]] = []
    for block in distribution:
        position = block.start
        for raw in block.raw.split("\n"):
            stripped = raw.strip()
            if stripped:
                start = text.index(stripped, position)
                lines.append((start, start + len(stripped), stripped))
                position = start + len(stripped)
    copies, copy_lines = [], []
    for index, (start, end, line) in enumerate(lines):
        total = re.match(r"^(\w+)\s+copies\b", line, re.IGNORECASE)
        listed = re.match(r"^(\d+(?:\s*,\s*\d+)*)\s*[-–—]\s*(.+?)\.?$", line)
        made_by = re.match(r"^(drafted|typed)\s+by\s+(.+?)\.?$", line, re.IGNORECASE)
        number = re.match(r"^(?:N[°ºo]\.?|№|No\.?)\s*(\d[\w/-]*)$", line)
        if total and number_word(total.group(1)):
            found.add("numberOfCopies", number_word(total.group(1)), quote(text, start, end))
        elif listed:
            copy_lines.append((start, end))
            who = re.sub(r"^(?:Cde\.|Comrade)\s+", "", listed.group(2))
            for n in (int(x) for x in re.findall(r"\d+", listed.group(1))):
                copy = {"id": "", "type": "Copy", "copyNumber": n}
                if re.fullmatch(r"(?:to\s+)?(?:the\s+)?file", who, re.IGNORECASE):
                    copy["copyNote"] = who
                else:
                    entity = _person(gazetteer, who)
                    if entity:
                        copy["recipient"] = entity
                    else:
                        copy["copyNote"] = listed.group(2)
                        found.unknown.append(("copies", who))
                copies.append(copy)
        elif made_by:
            key = "draftedBy" if made_by.group(1).lower() == "drafted" else "typedBy"
            _entity_field(found, gazetteer, key, made_by.group(2), quote(text, start, end), ("Person",))
        elif number:
            found.add("documentNumber", number.group(1), quote(text, start, end))
            if index + 1 < len(lines):
                n_start, n_end, following = lines[index + 1]
                mention = date_reader.find_dates(text, n_start, n_end, document_year=year)
                if mention and len(mention[0].edtf) == 10:
                    found.add("dateNumbered", mention[0].edtf, quote(text, start, n_end))
    if copies:
        found.add("copies", copies, quote(text, copy_lines[0][0], copy_lines[-1][1]))
