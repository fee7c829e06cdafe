"""The full-text index's fields and its analyzer (Tantivy).

One Tantivy document per hit: an entity (person, organization, group, place, event,
decree, document), a statement (the quote of one annotation statement) or a passage of a
document's text.  Every facet is a field of the hit, so that a search, its facet counts and
an index page are each one query.  Text fields are read by one analyzer (words split on
anything that is not a letter or digit, lower case, accents folded): "Kim Il-sŏng" gives
kim, il, song.  Names in other scripts stay in their script; the name index (names.py)
meets them across scripts.
"""

from __future__ import annotations

from pathlib import Path

import tantivy

from archivekg.errors import BuildMissing

ANALYZER = "akg_words"
LONGEST_WORD = 60

#: Fields of raw values (ids, codes): facets, filters, sorting, deletion.
KEYWORDS = ("key", "kind", "category", "type", "iri", "source", "document", "archive", "certainty",
            "status", "parent", "number", "about")
HIDDEN: frozenset[str] = frozenset()
#: Facets that hold several values per hit.
MULTI = frozenset({"document", "archive", "status", "number", "about"})
TEXTS = ("label", "names", "body")
#: How much a word counts in each text field.
BOOSTS = {"label": 3.0, "names": 2.0, "body": 1.0}
UNDATED = 99_999_999


def analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(LONGEST_WORD))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in KEYWORDS:
        builder.add_text_field(name, stored=name not in HIDDEN,
                               fast=True, tokenizer_name="raw", index_option="basic")
    for name in TEXTS:
        builder.add_text_field(name, stored=True, tokenizer_name=ANALYZER, index_option="position")
    # Dates as YYYYMMDD: a hit's own span (events, decrees, documents, statements, passages),
    # or the day of each document that names it (persons, organizations, groups, places).
    for name in ("start", "end", "doc_day"):
        builder.add_integer_field(name, stored=True, indexed=True, fast=True)
    # The day an index page sorts by: the start, or the first document's; UNDATED sorts last.
    builder.add_integer_field("first_day", stored=False, indexed=False, fast=True)
    # The label's first letters as a number (extract.name_key): sorting by a text field costs
    # a dictionary look-up per hit, by a number nothing; the reader orders ties by the label.
    builder.add_integer_field("name_key", stored=False, indexed=True, fast=True)
    builder.add_float_field("weight", stored=True, indexed=False, fast=True)
    builder.add_integer_field("doc_count", stored=True, indexed=False, fast=True)
    builder.add_bytes_field("extra", stored=True)     # JSON: what a result shows beyond the fields
    return builder.build()


def open_index(folder: Path, *, create: bool = False) -> tantivy.Index:
    """The index in ``folder`` (a new one when ``create``); BuildMissing when there is none, or
    one of another schema (written by another version of archivekg)."""
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    elif not (folder / "meta.json").is_file():
        raise BuildMissing(f"{folder}: no search index here; build the release again")
    try:
        index = tantivy.Index(schema(), path=str(folder), reuse=not create)
    except ValueError as exc:
        raise BuildMissing(f"{folder}: the search index was written by another version of archivekg "
                           f"({exc}); build the release again") from None
    index.register_tokenizer(ANALYZER, analyzer())
    return index


def one_of(schema: tantivy.Schema, field_name: str, values) -> tantivy.Query:
    """Hits whose ``field_name`` holds any of ``values``.  (Tantivy's term-set query walks the
    field's whole term dictionary, a millisecond for a thousand keys and far more at ten
    thousand documents; a disjunction of term queries costs only the terms asked for.)"""
    terms = [tantivy.Query.term_query(schema, field_name, value) for value in sorted(set(values))]
    if len(terms) == 1:
        return terms[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, term) for term in terms])
