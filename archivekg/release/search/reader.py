"""Answering from a release's search index: searches, index pages, completions.

A search is two lists in one ranking.  First the entities whose names the text may be a
form of (the name index: exact names, other romanizations, scripts, initials, typos), best
match first and then by how much the corpus says about them; then every other hit the words
find (entities by their names and notes, statements by their quotes, passages of the texts),
by BM25 weighted by how much the corpus says about the entity.  Facets filter both lists.
The text never reaches a query parser: words are taken by the index's own analyzer and
quoted phrases kept together, so no character is "syntax" and no input can be slow.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from archivekg.names import STRONG_MATCH, Candidate, NameIndex, document_numbers
from archivekg.release.search import names as name_index
from archivekg.release.search.build import TEXT, folder_of
from archivekg.release.search.extract import sort_key
from archivekg.release.search.schema import BOOSTS, TEXTS, UNDATED, analyzer, one_of, open_index

MAX_WORDS = 16
MAX_NAME_WORDS = 6            # longer texts are not names: the name index is not asked
WEAK_MATCH = 0.5              # below STRONG_MATCH: shown first only when nothing strong matched
NAME_CANDIDATES = 20
FACET_SIZE = 12
NUMBER_SCORE = 100.0
SNIPPET_CHARS = 240
SORTS = {"name": ("name_key", tantivy.Order.Asc), "date": ("first_day", tantivy.Order.Asc),
         "mentions": ("doc_count", tantivy.Order.Desc), "weight": ("weight", tantivy.Order.Desc)}
FACETS = ("category", "type", "document", "archive", "certainty", "status")
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Filters:
    """What a search or an index page is narrowed to; empty: everything."""
    categories: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    archives: tuple[str, ...] = ()
    certainty: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    parent: str | None = None
    date_from: int | None = None      # YYYYMMDD, inclusive
    date_to: int | None = None

    def fields(self) -> dict[str, tuple[str, ...]]:
        return {"category": self.categories, "type": self.types, "document": self.documents,
                "archive": self.archives, "certainty": self.certainty, "status": self.status,
                "kind": self.kinds, "parent": (self.parent,) if self.parent else ()}


@dataclass
class Hit:
    kind: str
    category: str
    type: str
    iri: str
    label: str
    score: float | None = None
    weight: float = 0.0
    doc_count: int = 0
    documents: list = field(default_factory=list)     # [iri, title, date] of the first few
    snippet: list[tuple[str, bool]] = field(default_factory=list)   # (text, highlighted)
    label_marks: list[tuple[str, bool]] = field(default_factory=list)
    match: str | None = None          # how the name index matched it
    matched_name: str | None = None
    certainty: str | None = None
    statuses: list[str] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    parent: str | None = None
    text: str = ""                    # the whole quote, passage or note
    extra: dict = field(default_factory=dict)


@dataclass
class Page:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    span: tuple[int | None, int | None] = (None, None)
    words: list[str] = field(default_factory=list)
    names_matched: int = 0            # how many of the hits came from the name index
    loose: bool = False               # no hit had every word: hits with similar words shown


class SearchIndex:
    """One release's index, opened once and shared by the threads of a process."""

    def __init__(self, release: str | Path):
        self.folder = folder_of(Path(release))
        self.index = open_index(self.folder / TEXT)
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.analyzer = analyzer()
        self._names: NameIndex | None = None
        self._lock = threading.Lock()

    @property
    def names(self) -> NameIndex:
        if self._names is None:
            with self._lock:
                if self._names is None:
                    self._names = name_index.load_name_index(self.folder.parent)
        return self._names

    # -- queries -------------------------------------------------------------------------
    def words(self, text: str) -> tuple[list[str], list[list[str]]]:
        """The words and quoted phrases of a search text, as the index reads them."""
        phrases = [self.analyzer.analyze(p) for p in _PHRASE.findall(text)]
        rest = _PHRASE.sub(" ", text).replace('"', " ")
        words = list(dict.fromkeys(self.analyzer.analyze(rest)))
        return words[:MAX_WORDS], [p for p in phrases if p][:MAX_WORDS]

    def _term(self, field_name: str, value) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field_name, value)

    def _any_field(self, word: str, *, fuzzy: bool = False) -> tantivy.Query:
        parts = []
        for name in TEXTS:
            if fuzzy:
                distance = 2 if len(word) >= 8 else 1
                query = tantivy.Query.fuzzy_term_query(self.schema, name, word, distance=distance)
            else:
                query = self._term(name, word)
            parts.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, BOOSTS[name])))
        return tantivy.Query.boolean_query(parts)

    def _phrase(self, words: list[str]) -> tantivy.Query:
        if len(words) == 1:
            return self._any_field(words[0])
        return tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.boost_query(
                # The stub wants list[str | tuple[int, str]]: a list[str] is one, but lists are invariant.
                tantivy.Query.phrase_query(self.schema, name, words), BOOSTS[name])) for name in TEXTS])  # type: ignore[arg-type]

    def text_query(self, text: str, *, also: Iterable[str] = (), loose: bool = False) -> tantivy.Query | None:
        """Every word and phrase of ``text`` (any word, similar spellings too, when ``loose``),
        or one of its document numbers, or one of the phrases ``also`` (names of the entities
        the text names)."""
        words, phrases = self.words(text)
        alternatives = []
        if words or phrases:
            occur = tantivy.Occur.Should if loose else tantivy.Occur.Must
            parts = [(occur, self._any_field(w, fuzzy=loose and len(w) >= 4)) for w in words]
            parts += [(occur, self._phrase(p)) for p in phrases]
            alternatives.append(tantivy.Query.boolean_query(parts))
        for number in document_numbers(text):
            # The number a decree or a document bears: above any count of words.
            alternatives.append(tantivy.Query.const_score_query(self._term("number", number), NUMBER_SCORE))
        for name in also:
            name_words = self.analyzer.analyze(name)
            if len(name_words) > 1:
                alternatives.append(self._phrase(name_words))
        if not alternatives:
            return None
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in alternatives])

    def filter_query(self, filters: Filters) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        parts = []
        for name, values in filters.fields().items():
            if values:
                parts.append((tantivy.Occur.Must, one_of(self.schema, name, list(values))))
        if filters.date_from is not None or filters.date_to is not None:
            low = filters.date_from if filters.date_from is not None else -UNDATED
            high = filters.date_to if filters.date_to is not None else UNDATED - 1
            own = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, tantivy.Query.range_query(self.schema, "start", tantivy.FieldType.Integer,
                                                               -UNDATED, high)),
                (tantivy.Occur.Must, tantivy.Query.range_query(self.schema, "end", tantivy.FieldType.Integer,
                                                               low, UNDATED))])
            named = tantivy.Query.range_query(self.schema, "doc_day", tantivy.FieldType.Integer, low, high)
            parts.append((tantivy.Occur.Must, tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, own), (tantivy.Occur.Should, named)])))
        return parts

    def _and(self, query: tantivy.Query | None, filters: Filters,
             excluded: Iterable[str] = ()) -> tantivy.Query:
        parts = self.filter_query(filters)
        if query is not None:
            parts.append((tantivy.Occur.Must, query))
        excluded = list(excluded)
        if excluded:
            parts.append((tantivy.Occur.MustNot, one_of(self.schema, "key", excluded)))
        if not parts:
            return tantivy.Query.all_query()
        if all(occur is tantivy.Occur.MustNot for occur, _ in parts):
            parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(parts)

    # -- search ----------------------------------------------------------------------------
    def search(self, text: str, filters: Filters = Filters(), *, offset: int = 0, limit: int = 20) -> Page:
        words, phrases = self.words(text)
        strong, weak = [], []
        if len(text.split()) <= MAX_NAME_WORDS and not phrases:
            candidates = self.names.match(text, limit=NAME_CANDIDATES)
            strong = [c for c in candidates if c.score >= STRONG_MATCH]
            weak = [c for c in candidates if WEAK_MATCH <= c.score < STRONG_MATCH][:5]
        # Entities whose names the text is a form of, kept if the filters keep them, in the
        # name index's order; names only similar to the text come first only when no hit has
        # all its words (a typo: "Kim Il Sugn").
        named = self._named(strong, filters)
        query = self.text_query(text, also=[c.name for c in strong][:3])
        count, rest_query = self._count(query, filters, named)
        if not named and count == 0 and weak:
            named = self._named(weak, filters)
            count, rest_query = self._count(query, filters, named)
        loose = False
        if count == 0 and not named and words:
            query = self.text_query(text, loose=True)
            count, rest_query = self._count(query, filters, named)
            loose = count > 0
        named_keys = [doc.get_first("key") for _, doc in named]
        total = len(named) + count
        hits: list[Hit] = []
        snippets = self._snippets(query)
        for candidate, doc in named[offset:offset + limit]:
            hit = self._hit(doc, snippets)
            hit.score, hit.match, hit.matched_name = candidate.score, candidate.reason, candidate.name
            hits.append(hit)
        remaining = limit - len(hits)
        if remaining > 0 and rest_query is not None and count:
            start = max(0, offset - len(named))
            result = self.searcher.search(rest_query, limit=remaining, offset=start, count=False,
                                          weight_by_field="weight")
            for score, address in result.hits:
                hit = self._hit(self.searcher.doc(address), snippets)
                hit.score = score
                hits.append(hit)
        facet_query = self._facet_query(query, named_keys, filters)
        page = Page(total, hits, words=words + [w for p in phrases for w in p], names_matched=len(named),
                    loose=loose)
        if facet_query is not None:
            page.facets, page.span = self._facets(facet_query)
        return page

    def _named(self, candidates, filters: Filters) -> list[tuple[Candidate, tantivy.Document]]:
        if not candidates:
            return []
        keys = [f"entity {c.entity_id}" for c in candidates]
        found = self._documents(self._and(one_of(self.schema, "key", keys), filters), len(keys))
        by_key = {doc.get_first("key"): doc for _, doc in found}
        return [(c, by_key[f"entity {c.entity_id}"]) for c in candidates if f"entity {c.entity_id}" in by_key]

    def _count(self, query, filters: Filters, named) -> tuple[int, tantivy.Query | None]:
        """How many hits ``query`` has beyond the ``named`` ones, and the query that finds them."""
        if query is None:
            return 0, None
        rest = self._and(query, filters, [doc.get_first("key") for _, doc in named])
        return self.searcher.search(rest, limit=1, count=True).count, rest  # type: ignore[attr-defined]  # the stub omits SearchResult.count

    def _facet_query(self, query, named_keys, filters) -> tantivy.Query | None:
        either = []
        if query is not None:
            either.append((tantivy.Occur.Should, query))
        if named_keys:
            either.append((tantivy.Occur.Should, one_of(self.schema, "key", named_keys)))
        if not either:
            return None
        return self._and(tantivy.Query.boolean_query(either), filters)

    # -- index pages -----------------------------------------------------------------------
    def browse(self, filters: Filters, *, sort: str = "name", text: str = "", offset: int = 0,
               limit: int = 50) -> Page:
        query = self.text_query(text) if text.strip() else None
        if text.strip() and query is None:
            return Page(0, [])
        full = self._and(query, filters)
        total, docs = self._ordered(full, sort, offset, limit)
        snippets = self._snippets(query) if query is not None else {}
        hits = [self._hit(doc, snippets) for doc in docs]
        facets, span = self._facets(full)
        return Page(total, hits, facets, span)

    def _ordered(self, query: tantivy.Query, sort: str, offset: int, limit: int) -> tuple[int, list]:
        """How many hits ``query`` has, and those at ``offset`` … ``offset + limit`` in ``sort``
        order.  Hits whose name keys tie (the same first letters) are ordered by their whole
        label: all hits of the page's first and last key are read to place them."""
        field_name, order = SORTS[sort]
        result = self.searcher.search(query, limit=max(1, offset + limit), count=True,
                                      order_by_field=field_name, order=order)
        ranked = result.hits
        if sort != "name" or not ranked[offset:]:
            return result.count, [self.searcher.doc(address) for _, address in ranked[offset:offset + limit]]  # type: ignore[attr-defined]  # the stub omits SearchResult.count
        first, last = ranked[offset][0], ranked[min(len(ranked), offset + limit) - 1][0]
        before = sum(1 for key, _ in ranked if key < first)
        edges = tantivy.Query.range_query(self.schema, "name_key", tantivy.FieldType.Integer, first, first)
        if last != first:
            edges = tantivy.Query.boolean_query([
                (tantivy.Occur.Should, edges),
                (tantivy.Occur.Should, tantivy.Query.range_query(self.schema, "name_key", tantivy.FieldType.Integer,
                                                                 last, last))])
        at_edges = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, edges)])
        tied = self.searcher.search(at_edges, limit=max(1, self.searcher.search(at_edges, limit=1).count),  # type: ignore[attr-defined]  # the stub omits SearchResult.count
                                    count=False, order_by_field=field_name, order=order)
        middle = [(key, address) for key, address in ranked if first < key < last]
        docs = [(key, self.searcher.doc(address)) for key, address in tied.hits + middle]
        docs.sort(key=lambda item: (item[0], sort_key(_text(item[1], "label")), _text(item[1], "label").casefold(),
                                    item[1].get_first("key")))
        start = offset - before
        return result.count, [doc for _, doc in docs[start:start + limit]]  # type: ignore[attr-defined]  # the stub omits SearchResult.count

    def all_hits(self, filters: Filters, *, sort: str = "name", text: str = "", limit: int) -> tuple[list[Hit], int]:
        """Every hit of an index page (a download), at most ``limit``; and how many there are."""
        query = self.text_query(text) if text.strip() else None
        if text.strip() and query is None:
            return [], 0
        total, docs = self._ordered(self._and(query, filters), sort, 0, limit)
        return [self._hit(doc, {}) for doc in docs], total

    def roots(self, filters: Filters, *, sort: str = "name", offset: int = 0, limit: int = 50) -> Page:
        """The hits of ``filters`` that are part of nothing else: the top of a hierarchy."""
        query = self._and(tantivy.Query.boolean_query([
            (tantivy.Occur.Must, tantivy.Query.all_query()),
            (tantivy.Occur.MustNot, tantivy.Query.exists_query("parent"))]), filters)
        total, docs = self._ordered(query, sort, offset, limit)
        facets, span = self._facets(query)
        return Page(total, [self._hit(doc, {}) for doc in docs], facets, span)

    def children(self, parents: list[str], filters: Filters) -> dict[str, int]:
        """How many hits under ``filters`` have each of ``parents`` as their parent."""
        if not parents:
            return {}
        query = self._and(one_of(self.schema, "parent", parents), filters)
        found = self.searcher.aggregate(query, {"p": {"terms": {"field": "parent", "size": len(parents)}}})
        return {b["key"]: b["doc_count"] for b in found["p"]["buckets"]}

    # -- completion ------------------------------------------------------------------------
    def complete(self, prefix: str, *, limit: int = 8) -> list[Hit]:
        hits: list[Hit] = []
        candidates = self.names.complete(prefix, limit=limit)
        if candidates:
            keys = [f"entity {c.entity_id}" for c in candidates]
            by_key = {doc.get_first("key"): doc for _, doc in self._documents(
                one_of(self.schema, "key", keys), len(keys))}
            for candidate in candidates:
                doc = by_key.get(f"entity {candidate.entity_id}")
                if doc is not None:
                    hit = self._hit(doc, {})
                    hit.matched_name, hit.score = candidate.name, candidate.score
                    hits.append(hit)
        words = self.analyzer.analyze(prefix)
        if len(hits) < limit and words and not prefix[-1:].isspace():
            # Documents, decrees and events by the words of their labels, the last one begun.
            if len(words) > 1:
                labelled = tantivy.Query.phrase_prefix_query(self.schema, "label", words)  # type: ignore[arg-type]  # as in _phrase
            else:
                labelled = tantivy.Query.regex_query(self.schema, "label", re.escape(words[0]) + ".*")
            query = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, labelled), (tantivy.Occur.Must, self._term("kind", "entity")),
                (tantivy.Occur.MustNot, one_of(self.schema, "key",
                                                                     [f"entity {h.iri}" for h in hits] or ["-"]))])
            result = self.searcher.search(query, limit=limit - len(hits), count=False, weight_by_field="weight")
            hits += [self._hit(self.searcher.doc(address), {}) for _, address in result.hits]
        return hits

    def known_types(self) -> frozenset[str]:
        """Every type of hit in the index (for checking a ``type=`` facet)."""
        if getattr(self, "_types", None) is None:
            found = self.searcher.aggregate(tantivy.Query.all_query(),
                                            {"t": {"terms": {"field": "type", "size": 1000}}})
            self._types = frozenset(b["key"] for b in found["t"]["buckets"])
        return self._types

    # -- labels ----------------------------------------------------------------------------
    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """Labels of entities of the index (documents, archives, places), by IRI."""
        iris = sorted({i for i in iris if i})
        if not iris:
            return {}
        query = tantivy.Query.boolean_query([
            (tantivy.Occur.Must, one_of(self.schema, "iri", iris)),
            (tantivy.Occur.Must, self._term("kind", "entity"))])
        return {_text(doc, "iri"): _text(doc, "label") for _, doc in self._documents(query, len(iris))}

    def entity(self, iri: str) -> Hit | None:
        found = self._documents(self._term("key", f"entity {iri}"), 1)
        return self._hit(found[0][1], {}) if found else None

    # -- helpers ---------------------------------------------------------------------------
    def _documents(self, query: tantivy.Query, limit: int) -> list[tuple[float, tantivy.Document]]:
        result = self.searcher.search(query, limit=max(1, limit), count=False)
        return [(score, self.searcher.doc(address)) for score, address in result.hits]

    def _snippets(self, query: tantivy.Query | None) -> dict[str, tantivy.SnippetGenerator]:
        if query is None:
            return {}
        generators = {}
        for name in ("label", "body"):
            generator = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, name)
            generator.set_max_num_chars(SNIPPET_CHARS if name == "body" else 1000)
            generators[name] = generator
        return generators

    def _hit(self, doc: tantivy.Document, snippets: dict) -> Hit:
        extra = json.loads(bytes(doc.get_first("extra") or b"{}"))
        hit = Hit(kind=_text(doc, "kind"), category=_text(doc, "category"), type=_text(doc, "type"),
                  iri=_text(doc, "iri"), label=_text(doc, "label"), weight=doc.get_first("weight") or 0.0,
                  doc_count=doc.get_first("doc_count") or 0, certainty=doc.get_first("certainty"),
                  statuses=doc.get_all("status"), start=doc.get_first("start"), end=doc.get_first("end"),
                  parent=doc.get_first("parent"), extra=extra)
        hit.text = doc.get_first("body") or ""
        hit.documents = extra.get("documents") or ([extra["document"]] if extra.get("document") else [])
        if "body" in snippets:
            hit.snippet = _marked(snippets["body"].snippet_from_doc(doc))
        if not hit.snippet and (text := doc.get_first("body")):
            hit.snippet = [(text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else ""), False)]
        if "label" in snippets:
            hit.label_marks = _marked(snippets["label"].snippet_from_doc(doc))
        if not any(marked for _, marked in hit.label_marks):
            hit.label_marks = [(hit.label, False)]
        return hit

    def _facets(self, query: tantivy.Query) -> tuple[dict[str, list[tuple[str, int]]], tuple]:
        spec = {name: {"terms": {"field": name, "size": FACET_SIZE if name in ("document", "archive") else 50}}
                for name in FACETS}
        spec.update({"first": {"min": {"field": "start"}}, "last": {"max": {"field": "end"}},
                     "first_named": {"min": {"field": "doc_day"}}, "last_named": {"max": {"field": "doc_day"}}})
        found = self.searcher.aggregate(query, spec)
        facets = {name: [(b["key"], b["doc_count"]) for b in found[name]["buckets"]] for name in FACETS}
        lows = [found[k]["value"] for k in ("first", "first_named") if found[k].get("value") is not None]
        highs = [found[k]["value"] for k in ("last", "last_named") if found[k].get("value") is not None]
        return facets, (int(min(lows)) if lows else None, int(max(highs)) if highs else None)


def _text(doc: tantivy.Document, name: str) -> str:
    """A text field that every document of the index stores (extract.Record.document)."""
    value = doc.get_first(name)
    assert isinstance(value, str), f"an indexed document without its {name}"
    return value


def _marked(snippet: tantivy.Snippet) -> list[tuple[str, bool]]:
    """A snippet as (text, highlighted) pieces; Tantivy counts its ranges in UTF-8 bytes."""
    raw = snippet.fragment().encode("utf-8")
    pieces, position = [], 0
    for span in sorted(snippet.highlighted(), key=lambda r: r.start):
        if span.start < position:
            continue
        if span.start > position:
            pieces.append((raw[position:span.start].decode("utf-8", "replace"), False))
        pieces.append((raw[span.start:span.end].decode("utf-8", "replace"), True))
        position = span.end
    if position < len(raw):
        pieces.append((raw[position:].decode("utf-8", "replace"), False))
    return pieces
