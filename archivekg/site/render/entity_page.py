"""The page of a person, an organization, a place or any other thing: its names as the
documents write them, posts held, events it took part in, the passages that speak of it."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import request

from archivekg.site.render import facts, iris, maps, network, sparql, timeline_model
from archivekg.site.render.describe import Description
from archivekg.site.render.labels import Labels, Link
from archivekg.site.render.values import Value, view

AKG = iris.ONTOLOGY_NS
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SKOS_CLOSE_MATCH = "http://www.w3.org/2004/02/skos/core#closeMatch"
LINK_SOURCE = AKG + "linkSource"
NAME_PROPERTIES = (AKG + "name", AKG + "nameVariant")
DOCUMENTS_PER_PAGE = 25


@dataclass
class Position:
    tenure: Link
    titles: list[str]
    organizations: list[Link]
    when: str | None
    start: str | None


@dataclass
class EventRow:
    event: Link
    kind: Link | None
    roles: list[Link]
    when: str | None
    start: str | None


def positions(iri: str) -> list[dict]:
    target = sparql.iri(iri)
    return sparql.select(f"""
        SELECT ?t ?title ?org ?edtf ?start WHERE {{
          {{ ?t akg:holder {target} }} UNION {{ {target} akg:heldPosition ?t }}
          OPTIONAL {{ ?t akg:positionTitle ?title }} OPTIONAL {{ ?t akg:inOrganization ?org }}
          OPTIONAL {{ ?t akg:date ?edtf }} OPTIONAL {{ ?t akg:earliestDate ?start }}
        }} ORDER BY ?start ?t""", limit=1000)


def events(iri: str) -> list[dict]:
    target = sparql.iri(iri)
    excluded = ", ".join(sparql.iri(p) for p in facts.BOOKKEEPING + (AKG + "holder",))
    return sparql.select(f"""
        SELECT ?e ?p ?start ?edtf WHERE {{
          GRAPH ?g {{ ?e ?p {target} }} FILTER(?g != {sparql.iri(iris.graph_iri('inferred'))})
          {{ ?e a akg:Event }} UNION {{ ?e a akg:Decree }}
          FILTER(?p NOT IN ({excluded}))
          FILTER NOT EXISTS {{ ?e a akg:Tenure }}
          OPTIONAL {{ ?e akg:earliestDate ?start }} OPTIONAL {{ ?e akg:date ?edtf }}
        }} ORDER BY ?start ?e""", limit=2000)


def kinds(iris_: list[str]) -> dict[str, str]:
    """The asserted (most specific) class of each thing: the one not in the inferred graph."""
    if not iris_:
        return {}
    rows = sparql.select(
        f"SELECT ?x ?c WHERE {{ {sparql.values('x', iris_)} GRAPH ?g {{ ?x a ?c }} "
        f"FILTER(?g != {sparql.iri(iris.graph_iri('inferred'))}) }} ORDER BY ?x ?c")
    return {sparql.bound(r, "x"): sparql.bound(r, "c") for r in rows}


def names_as_written(iri: str) -> list[dict]:
    return sparql.select(f"""
        SELECT ?name (COUNT(DISTINCT ?doc) AS ?docs) WHERE {{
          ?m akg:refersTo {sparql.iri(iri)} ; akg:nameAsWritten ?name ; akg:sourceDocument ?doc
        }} GROUP BY ?name ORDER BY DESC(?docs) ?name""", limit=500)


def context(d: Description) -> dict:
    page = max(1, request.args.get("page", 1, type=int) or 1)
    offset = (page - 1) * DOCUMENTS_PER_PAGE
    position_rows = positions(d.iri)
    event_rows = events(d.iri)
    event_kinds = kinds(sorted({r["e"].value for r in event_rows}))
    documents, total = facts.documents_mentioning(d.iri, limit=DOCUMENTS_PER_PAGE, offset=offset)
    passage_rows = facts.passages_about(d.iri, [doc for doc, _ in documents])
    written = names_as_written(d.iri)
    incoming = facts.incoming(d.iri)

    labels = Labels()
    facts.want_description(labels, d)
    for row in position_rows:
        labels.want(row["t"], row["org"])
    for row in event_rows:
        labels.want(row["e"], row["p"])
    labels.want(*event_kinds.values())
    facts.want_passages(labels, passage_rows)
    for subject, predicate in incoming:
        labels.want(subject, predicate)
    labels.want(d.iri)
    labels.resolve()

    tenures: dict[str, Position] = {}
    for row in position_rows:
        item = tenures.setdefault(row["t"].value, Position(
            labels.link(row["t"]), [], [], sparql.text(row["edtf"]), sparql.text(row["start"])))
        title = sparql.text(row["title"])
        if title and title not in item.titles:
            item.titles.append(title)
        if row["org"] is not None and all(o.iri != row["org"].value for o in item.organizations):
            item.organizations.append(labels.link(row["org"]))
    tenure_iris = set(tenures)

    grouped: dict[str, EventRow] = {}
    for row in event_rows:
        key = row["e"].value
        kind = event_kinds.get(key)
        event = grouped.setdefault(key, EventRow(
            labels.link(row["e"]), labels.link(kind) if kind else None, [],
            sparql.text(row["edtf"]), sparql.text(row["start"])))
        if all(r.iri != row["p"].value for r in event.roles):
            event.roles.append(labels.link(row["p"]))

    wikidata = [view(v, labels, predicate=AKG + "wikidata") for v in d.values(AKG + "wikidata")]
    wikidata += [Value(v.value, iris.wikidata_url(v.value), v.value, external=True)
                 for v in d.values(OWL_SAME_AS) if iris.wikidata_url(v.value)]
    seen: set[str] = set()
    unique_wikidata = []
    for value in wikidata:
        if value.href and value.href not in seen:
            seen.add(value.href)
            unique_wikidata.append(value)

    links = []
    for link_predicate, kind in ((OWL_SAME_AS, "same as"), (SKOS_CLOSE_MATCH, "close match")):
        for v in d.values(link_predicate):
            href = iris.href(v.value)
            if not isinstance(v, ox.NamedNode) or not href or href in seen or iris.is_ours(v.value):
                continue
            if link_predicate == OWL_SAME_AS and iris.wikidata_url(v.value) in seen:
                continue        # shown as its Wikidata id
            seen.add(href)
            links.append((kind, Value(v.value, href, v.value, external=True)))

    shown = set(NAME_PROPERTIES) | {AKG + "wikidata", OWL_SAME_AS, SKOS_CLOSE_MATCH, LINK_SOURCE}
    return {
        "map": maps.for_place(d.iri) if d.is_a(AKG + "Place") else None,
        "in_time": timeline_model.for_entity(d.iri, d.is_a(AKG + "Place")),
        "is_place": d.is_a(AKG + "Place"),
        "ego": network.ego(d.iri) if any(d.is_a(AKG + c) for c in ("Person", "Organization", "Group")) else None,
        "title": labels.label(d.iri),
        "types": facts.type_links(d, labels),
        "names": [v.value for v in d.values(AKG + "name")],
        "variants": [v.value for v in d.values(AKG + "nameVariant")],
        "scripts": sorted((v.value, v.language) for v in d.values(AKG + "nameInScript")
                          if isinstance(v, ox.Literal)),
        "written": [(sparql.text(r["name"]), sparql.integer(r["docs"])) for r in written],
        "positions": sorted(tenures.values(), key=lambda p: (p.start or "9999", p.tenure.label)),
        "events": sorted(grouped.values(), key=lambda e: (e.start or "9999", e.event.label)),
        "documents": facts.group_passages(passage_rows, documents, labels),
        "documents_total": total,
        "page_number": page,
        "pages": max(1, -(-total // DOCUMENTS_PER_PAGE)),
        "wikidata": unique_wikidata,
        "links": links,
        "link_sources": sorted(v.value for v in d.values(LINK_SOURCE)),
        "statements": facts.property_rows(d, labels, skip=shown),
        "inferred": facts.property_rows(d, labels, inferred=True),
        "incoming": facts.incoming_rows(
            [(s, p) for s, p in incoming if s.value not in tenure_iris and s.value not in grouped],
            labels),
    }
