"""Shared pieces of resource pages: statements with their sources, incoming links,
passages of documents that speak of a thing."""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field

import pyoxigraph as ox

from archivekg.site.render import iris, sparql
from archivekg.site.render.describe import RDF_TYPE, Description, Source, anchor_of
from archivekg.site.render.labels import Labels, Link
from archivekg.site.render.values import Value, view

AKG = iris.ONTOLOGY_NS
CERTAIN = AKG + "certain"
# Links that say "this is mentioned" or "this is what a factoid is about": shown in their
# own sections (documents, passages), never as plain incoming links.
BOOKKEEPING = (AKG + "factSubject", AKG + "factObject", AKG + "refersTo", AKG + "mentions",
               AKG + "sourceDocument", AKG + "evidence", "http://www.w3.org/ns/oa#hasSource",
               "http://www.w3.org/2002/07/owl#sameAs")
INCOMING_LIMIT = 300


@dataclass
class SourceView:
    document: Link | None
    quote: str | None
    uncertain: str | None          # the certainty's label, unless certain
    passage_href: str | None
    factoid_href: str | None
    notes: list[str]


@dataclass
class ValueRow:
    value: Value
    sources: list[SourceView]
    inferred: bool
    graphs: list[Link]


@dataclass
class PropertyRow:
    predicate: Link
    values: list[ValueRow]


def want_description(labels: Labels, d: Description) -> None:
    for fact in d.facts:
        labels.want(fact.predicate, fact.value, *fact.graphs)
        for source in fact.sources:
            labels.want(source.document, source.certainty)


def source_view(source: Source, labels: Labels, here: str | None = None) -> SourceView:
    """``here``: the document whose page this is; its passages are linked within the page."""
    document = labels.link(source.document) if source.document else None
    passage = None
    if source.document == here and source.anchor:
        document, passage = None, f"#{source.anchor}"
    elif document is not None and document.href and source.anchor:
        passage = f"{document.href}#{source.anchor}"
    uncertain = None
    if source.certainty and source.certainty != CERTAIN:
        uncertain = labels.label(source.certainty)
    return SourceView(document, source.quote, uncertain, passage, iris.href(source.factoid),
                      source.notes)


def property_rows(d: Description, labels: Labels, *, only: tuple[str, ...] | None = None,
                  skip: Set[str] = frozenset(), inferred: bool = False,
                  here: str | None = None) -> list[PropertyRow]:
    """Rows of (property, values with sources); ``inferred`` selects the derived facts."""
    rows: dict[str, PropertyRow] = {}
    order = list(only) if only is not None else None
    for fact in d.facts:
        if fact.predicate in skip or (only is not None and fact.predicate not in only):
            continue
        if fact.inferred_only(d.inferred_graph) != inferred:
            continue
        row = rows.setdefault(fact.predicate, PropertyRow(labels.link(fact.predicate), []))
        row.values.append(ValueRow(
            view(fact.value, labels, predicate=fact.predicate),
            [source_view(s, labels, here) for s in fact.sources],
            fact.inferred_only(d.inferred_graph),
            [labels.link(g) for g in sorted(fact.graphs)]))
    if order is not None:
        return [rows[p] for p in order if p in rows]
    return sorted(rows.values(), key=lambda r: (r.predicate.iri != RDF_TYPE, r.predicate.label.lower()))


def type_links(d: Description, labels: Labels) -> list[Link]:
    return [labels.link(t) for t in d.asserted_types]


# -- incoming links -----------------------------------------------------------------------

@dataclass
class IncomingRow:
    predicate: Link
    subjects: list[Link]


def incoming(iri: str, *, skip: tuple[str, ...] = ()) -> list[tuple[ox.NamedNode, ox.NamedNode]]:
    excluded = ", ".join(sparql.iri(p) for p in BOOKKEEPING + skip)
    # Asserted links only: the inferred graph repeats them in other vocabularies.
    rows = sparql.select(
        f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {sparql.iri(iri)} }} FILTER(isIRI(?s)) "
        f"FILTER(?g != {sparql.iri(iris.graph_iri('inferred'))}) "
        f"FILTER(?p NOT IN ({excluded})) }} ORDER BY ?p ?s LIMIT {INCOMING_LIMIT}")
    found = []
    for r in rows:
        subject, predicate = r["s"], r["p"]
        assert isinstance(subject, ox.NamedNode) and isinstance(predicate, ox.NamedNode)    # FILTER(isIRI(?s))
        found.append((subject, predicate))
    return found


def incoming_rows(pairs, labels: Labels) -> list[IncomingRow]:
    grouped: dict[str, IncomingRow] = {}
    for subject, predicate in pairs:
        row = grouped.setdefault(predicate.value, IncomingRow(labels.link(predicate), []))
        row.subjects.append(labels.link(subject))
    for row in grouped.values():
        row.subjects.sort(key=lambda link: link.label.lower())
    return sorted(grouped.values(), key=lambda r: r.predicate.label.lower())


# -- passages of documents -----------------------------------------------------------------

@dataclass
class Claim:
    subject: Link
    predicate: Link
    value: Value
    factoid_href: str | None


@dataclass
class Passage:
    evidence: str
    href: str | None                     # the passage on its document's page
    prefix: str
    parts: list[tuple[str, bool]]        # the exact words, with the names as written marked
    suffix: str
    start: int
    names: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass
class DocumentPassages:
    document: Link
    date: str | None
    passages: list[Passage]


def one_line(text: str) -> str:
    """A passage shown inline: line breaks and runs of spaces read as one space."""
    return re.sub(r"\s+", " ", text)


def mark_names(exact: str, names: list[str]) -> list[tuple[str, bool]]:
    """The exact words cut so that each name as written can be shown marked."""
    patterns = [r"\s+".join(re.escape(w) for w in name.split()) for name in names if name.split()]
    if not patterns:
        return [(exact, False)]
    found = re.compile("|".join(sorted(patterns, key=len, reverse=True)))
    parts, position = [], 0
    for match in found.finditer(exact):
        if match.start() > position:
            parts.append((exact[position:match.start()], False))
        parts.append((match.group(), True))
        position = match.end()
    if position < len(exact):
        parts.append((exact[position:], False))
    return parts


def documents_mentioning(iri: str, *, limit: int, offset: int) -> tuple[list[tuple[str, str | None]], int]:
    target = sparql.iri(iri)
    total = sparql.select(f"SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE {{ ?doc akg:mentions {target} }}")
    # Ordered outside the grouping subquery, which Virtuoso needs too (server/stores.md).
    rows = sparql.select(
        f"SELECT ?doc ?date WHERE {{ {{ SELECT ?doc (MIN(?d) AS ?date) WHERE {{ ?doc akg:mentions {target} "
        f"OPTIONAL {{ ?doc akg:earliestDate ?d }} }} GROUP BY ?doc }} }} ORDER BY DESC(BOUND(?date)) ?date ?doc "
        f"LIMIT {int(limit)} OFFSET {int(offset)}")
    return ([(sparql.bound(r, "doc"), sparql.text(r["date"])) for r in rows],
            (sparql.integer(total[0]["n"]) or 0) if total else 0)


def passages_about(iri: str, documents: list[str]) -> list[dict]:
    if not documents:
        return []
    target = sparql.iri(iri)
    return sparql.select(f"""
        SELECT ?doc ?ev ?exact ?prefix ?suffix ?start ?name ?f ?fs ?fp ?fo WHERE {{
          {sparql.values('doc', documents)}
          {{ ?m akg:refersTo {target} ; akg:sourceDocument ?doc ; akg:evidence ?ev ; akg:nameAsWritten ?name }}
          UNION {{ ?f akg:factSubject {target} ; akg:sourceDocument ?doc ; akg:evidence ?ev ;
                   akg:factProperty ?fp ; akg:factObject ?fo . BIND({target} AS ?fs) }}
          UNION {{ ?f akg:factObject {target} ; akg:sourceDocument ?doc ; akg:evidence ?ev ;
                   akg:factProperty ?fp ; akg:factSubject ?fs . BIND({target} AS ?fo) }}
          ?ev oa:hasSelector ?qs . ?qs oa:exact ?exact .
          OPTIONAL {{ ?qs oa:prefix ?prefix }} OPTIONAL {{ ?qs oa:suffix ?suffix }}
          OPTIONAL {{ ?ev oa:hasSelector ?ps . ?ps oa:start ?start }}
        }}""")


def want_passages(labels: Labels, rows: list[dict]) -> None:
    for row in rows:
        labels.want(row["doc"], row["fs"], row["fp"], row["fo"])


def group_passages(rows: list[dict], documents: list[tuple[str, str | None]],
                   labels: Labels) -> list[DocumentPassages]:
    # Statements that quote the same words of a document share one passage.
    by_doc: dict[str, dict[tuple, Passage]] = {doc: {} for doc, _ in documents}
    names: dict[tuple, set[str]] = {}
    for row in sorted(rows, key=lambda r: r["ev"].value):
        doc, evidence = row["doc"].value, row["ev"].value
        span = (doc, sparql.integer(row["start"]), row["exact"].value)
        passages = by_doc.setdefault(doc, {})
        passage = passages.get(span)
        if passage is None:
            link = labels.link(row["doc"])
            anchor = anchor_of(evidence)
            passage = passages[span] = Passage(
                evidence, f"{link.href}#{anchor}" if link.href and anchor else None,
                one_line(sparql.text(row["prefix"]) or "").lstrip(), [],
                one_line(sparql.text(row["suffix"]) or "").rstrip(), sparql.integer(row["start"]) or 0)
            passage.parts = [(one_line(row["exact"].value), False)]
        if row["name"] is not None:
            names.setdefault(span, set()).add(row["name"].value)
        if row["f"] is not None:
            href = iris.href(row["f"].value)
            if all(c.factoid_href != href for c in passage.claims):
                passage.claims.append(Claim(labels.link(row["fs"]), labels.link(row["fp"]),
                                            view(row["fo"], labels, predicate=row["fp"].value), href))
    out = []
    for doc, date in documents:
        found = by_doc.get(doc, {})
        for span, passage in found.items():
            passage.names = sorted(names.get(span, ()))
        in_order = sorted(found.values(), key=lambda p: p.start)
        for passage in in_order:
            passage.parts = mark_names(passage.parts[0][0], passage.names)
        out.append(DocumentPassages(labels.link(doc), date, in_order))
    return out
