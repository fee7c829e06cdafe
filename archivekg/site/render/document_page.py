"""The page of a document: its archival record, and its full text with every annotated
passage marked and linked to the statements and entities it supports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from flask import current_app

from archivekg.site.render import facts, highlight, iris, sparql
from archivekg.site.render.describe import Description, anchor_of, describe
from archivekg.site.render.labels import Labels, Link
from archivekg.site.render.values import view

AKG = iris.ONTOLOGY_NS
# Parts of a record that are nodes of their own (a citation, numbered copies): shown inline.
NESTED = (AKG + "citation", AKG + "copies")
RECORD_FIRST = tuple(AKG + n for n in (
    "title", "documentType", "date", "author", "addressee", "summary", "classification",
    "documentNumber", "dateNumbered", "dateStamped", "originalLanguage", "translator",
    "translationPublisher", "rights", "credits")) + ("http://schema.org/url",)


@dataclass
class Note:
    key: str
    number: int
    exact: str
    aliases: list[str] = field(default_factory=list)
    claims: list[facts.Claim] = field(default_factory=list)
    names: list[tuple[str, Link]] = field(default_factory=list)
    uncertain: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Nested:
    link: Link
    rows: list[facts.PropertyRow]


@dataclass
class Text:
    available: bool
    problem: str | None
    sections: list[highlight.Section]
    notes: list[Note]
    file: str | None
    skipped: int = 0


def text_facts(text_iri: str) -> list[dict]:
    return sparql.select(f"""
        SELECT ?file ?sha ?kind ?start ?end WHERE {{
          {sparql.iri(text_iri)} akg:textFile ?file .
          OPTIONAL {{ {sparql.iri(text_iri)} akg:sha256 ?sha }}
          OPTIONAL {{ {sparql.iri(text_iri)} akg:hasSegment ?seg .
                      ?seg akg:segmentKind ?kind ; oa:start ?start ; oa:end ?end }}
        }}""")


@dataclass
class Annotations:
    selectors: list[dict]
    factoids: list[dict]
    mentions: list[dict]


def annotations_of(text_iri: str) -> Annotations:
    # Three simple joins: one query with the factoids and mentions as OPTIONAL alternatives
    # of each passage was 4 to 10 times slower on the on-disk store.
    text = sparql.iri(text_iri)
    return Annotations(
        sparql.select(f"""SELECT ?ev ?start ?end ?exact WHERE {{
            ?ev oa:hasSource {text} ; oa:hasSelector ?ps , ?qs .
            ?ps oa:start ?start ; oa:end ?end . ?qs oa:exact ?exact }}"""),
        sparql.select(f"""SELECT ?ev ?x ?s ?p ?o ?certainty ?note WHERE {{
            ?ev oa:hasSource {text} .
            ?x akg:evidence ?ev ; akg:factSubject ?s ; akg:factProperty ?p ; akg:factObject ?o .
            OPTIONAL {{ ?x akg:certainty ?certainty }} OPTIONAL {{ ?x skos:note ?note }} }}"""),
        sparql.select(f"""SELECT ?ev ?x ?o ?name WHERE {{
            ?ev oa:hasSource {text} . ?x akg:evidence ?ev ; akg:refersTo ?o ; akg:nameAsWritten ?name }}"""))


def read_text(file: str, sha256: str | None) -> tuple[str | None, str | None]:
    """The text the selectors point into, found beside the data and checked against the
    checksum the build recorded (positions into a changed text would mark wrong words)."""
    data_dir = Path(current_app.config["DATA_DIR"]).resolve()
    candidates = [data_dir.parent / file, data_dir / "documents" / Path(file).name]
    for path in candidates:
        path = path.resolve()
        if not path.is_relative_to(data_dir) or not path.is_file():
            continue
        raw = path.read_bytes()
        if sha256 and hashlib.sha256(raw).hexdigest() != sha256:
            return None, (f"The text file {file} has changed since the graph was built; "
                          "it is not shown, because the marked passages would no longer match.")
        return raw.decode("utf-8"), None
    return None, f"The text file {file} is not available on this server."


@dataclass
class Loaded:
    text: Text
    found: Annotations | None
    content: str | None = None
    segments: list[tuple[str, int, int]] = field(default_factory=list)


def load_text(text_iri: str | None, labels: Labels) -> Loaded:
    """The text and its annotations; labels of what they name are added to ``labels``."""
    if text_iri is None:
        return Loaded(Text(False, "The graph records no text for this document.", [], [], None), None)
    rows = text_facts(text_iri)
    if not rows:
        return Loaded(Text(False, "The graph records no text file for this document.", [], [], None), None)
    file, sha = rows[0]["file"].value, sparql.text(rows[0]["sha"])
    segments = sorted({(r["kind"].value, int(r["start"].value), int(r["end"].value))
                       for r in rows if r["kind"] is not None}, key=lambda s: s[1])
    content, problem = read_text(file, sha)
    found = annotations_of(text_iri)
    for row in found.factoids:
        labels.want(row["s"], row["p"], row["o"], row["certainty"])
    for row in found.mentions:
        labels.want(row["o"])
    return Loaded(Text(content is not None, problem, [], [], file), found, content, segments)


def fill_text(loaded: Loaded, labels: Labels) -> None:
    """Notes for the passages, one per stretch of text: statements that quote the same
    words share a note (and each keeps its own anchor, for links from other pages)."""
    text, content, found = loaded.text, loaded.content, loaded.found
    assert content is not None and found is not None, "called for a text that was read"
    by_span: dict[tuple[int, int], Note] = {}
    note_of: dict[str, Note] = {}
    skipped: set[str] = set()
    for row in sorted(found.selectors, key=lambda r: r["ev"].value):
        evidence = row["ev"].value
        start, end, exact = int(row["start"].value), int(row["end"].value), row["exact"].value
        if not highlight.placeable(content, start, end, exact):
            skipped.add(evidence)
            continue
        key = _anchor(evidence)
        note = by_span.get((start, end))
        if note is None:
            note = by_span[(start, end)] = Note(key, 0, exact)
        elif key != note.key and key not in note.aliases:
            note.aliases.append(key)
        note_of[key] = note
    for row in found.factoids:
        note = note_of.get(_anchor(row["ev"].value))
        if note is None:
            continue
        href = iris.href(row["x"].value)
        if all(c.factoid_href != href for c in note.claims):
            note.claims.append(facts.Claim(labels.link(row["s"]), labels.link(row["p"]),
                                           view(row["o"], labels, predicate=row["p"].value), href))
        certainty = sparql.text(row["certainty"])
        if certainty and certainty != facts.CERTAIN:
            note.uncertain = labels.label(certainty)
        if row["note"] is not None and row["note"].value not in note.notes:
            note.notes.append(row["note"].value)
    for row in found.mentions:
        note = note_of.get(_anchor(row["ev"].value))
        entry = (row["name"].value, labels.link(row["o"]))
        if note is not None and entry not in note.names:
            note.names.append(entry)
    ordered = [by_span[span] for span in sorted(by_span)]
    passages = []
    for number, (span, note) in enumerate(sorted(by_span.items()), 1):
        note.number = number
        passages.append(highlight.Passage(note.key, number, *span, tuple(note.aliases)))
    text.sections = highlight.cut(content, loaded.segments, passages)
    text.notes = ordered
    text.skipped = len(skipped)


def _anchor(evidence: str) -> str:
    anchor = anchor_of(evidence)
    assert anchor is not None, "an evidence IRI is not empty"
    return anchor


def nested_title(item: Description, labels: Labels) -> Link:
    """A citation or a copy has no name of its own: call it by its class (and number)."""
    link = labels.link(item.iri)
    if link.labelled:
        return link
    kinds = [labels.label(t) for t in item.asserted_types]
    number = item.first(AKG + "copyNumber")
    title = " ".join([kinds[0] if kinds else link.label] + ([f"no. {number.value}"] if number is not None else []))
    return Link(link.iri, title, link.href, True)


def context(d: Description) -> dict:
    text_iri = d.first(AKG + "hasText")
    text_iri = text_iri.value if isinstance(text_iri, ox.NamedNode) else None
    nested_iris = [v.value for p in NESTED for v in d.values(p) if isinstance(v, ox.NamedNode)]
    nested = {iri: describe(iri) for iri in nested_iris}
    incoming = facts.incoming(d.iri)

    labels = Labels()
    facts.want_description(labels, d)
    for item in nested.values():
        facts.want_description(labels, item)
        labels.want(*item.asserted_types)
    for subject, predicate in incoming:
        labels.want(subject, predicate)
    labels.want(d.iri)
    loaded = load_text(text_iri, labels)
    labels.resolve()
    if loaded.content is not None:
        fill_text(loaded, labels)

    skip = {facts.RDF_TYPE, AKG + "hasText", *NESTED}
    record = facts.property_rows(d, labels, only=RECORD_FIRST, here=d.iri)
    record += facts.property_rows(d, labels, skip=skip | set(RECORD_FIRST), here=d.iri)
    rights = [v.value for v in d.values(AKG + "rights")]
    return {
        "title": labels.label(d.iri),
        "types": facts.type_links(d, labels),
        "record": record,
        "nested": [Nested(nested_title(item, labels),
                          facts.property_rows(item, labels, skip={facts.RDF_TYPE}, here=d.iri))
                   for item in nested.values()],
        "rights": rights,
        "text": loaded.text,
        "text_link": labels.link(text_iri) if text_iri else None,
        "inferred": facts.property_rows(d, labels, inferred=True),
        "incoming": facts.incoming_rows(incoming, labels),
    }

