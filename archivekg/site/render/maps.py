"""The maps: of the whole corpus (/map), of one place and of one movement.

What is drawn: every place that has a point (its own, or the point of a larger place it is part
of, said so) with the number of events and documents at it, and every population movement from
its origin to its destination, planned, executed and cancelled ones told apart.  Each marker and
each line links to a row of the table under the map, which gives the figures and the statements
(with their quotes) that put the event or the movement there.

The data is read once per release (``pages.cached``); each request only lays it out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from archivekg.site.render import geo, iris, pages, sparql
from archivekg.site.render.labels import Labels, Link, fetch

AKG = iris.ONTOLOGY_NS
PLACE_LINKS = (AKG + "tookPlaceAt", AKG + "movedFrom", AKG + "movedTo")
STATUSES = {AKG + "planned": "planned", AKG + "executed": "executed", AKG + "cancelled": "cancelled"}
STATEMENTS_PER_ROW = 4
WIDTH = 960
PLACES_LISTED, FLOWS_LISTED = 150, 150


def _not_inferred() -> str:
    return f"FILTER(?g != {sparql.iri(iris.graph_iri('inferred'))})"


# -- the data, read once per release -----------------------------------------------------

@dataclass(frozen=True)
class Said:
    """A statement (factoid) behind a drawn element, with its quote."""
    factoid: str
    subject: str
    predicate: str
    value: str
    quote: str
    document: str


@dataclass
class MovementData:
    iri: str
    status: str | None = None
    families: int | None = None
    people: int | None = None
    origins: list[str] = field(default_factory=list)
    destinations: list[str] = field(default_factory=list)
    said: list[Said] = field(default_factory=list)


@dataclass
class CorpusData:
    places: list[str]
    events_at: dict[str, int]
    documents_at: dict[str, int]
    said_at: dict[str, list[Said]]          # statements that put events at a place
    movements: dict[str, MovementData]
    labels: dict[str, str]


def _said(rows) -> list[Said]:
    return [Said(r["f"].value, r["s"].value, r["p"].value, r["o"].value, r["quote"].value, r["doc"].value)
            for r in rows if r["f"] is not None]


def _movements() -> dict[str, MovementData]:
    found: dict[str, MovementData] = {}
    for row in sparql.select("""
            SELECT ?m (SAMPLE(?st) AS ?status) (SAMPLE(?fam) AS ?families) (SAMPLE(?ppl) AS ?people) WHERE {
              ?m a akg:PopulationMovement .
              OPTIONAL { ?m akg:executionStatus ?st } OPTIONAL { ?m akg:numberOfFamilies ?fam }
              OPTIONAL { ?m akg:numberOfPeople ?ppl }
            } GROUP BY ?m ORDER BY ?m"""):
        found[sparql.bound(row, "m")] = MovementData(sparql.bound(row, "m"), STATUSES.get(sparql.text(row["status"]) or ""),
                                             sparql.integer(row["families"]), sparql.integer(row["people"]))
    for row in sparql.select(f"""
            SELECT DISTINCT ?m ?p ?place WHERE {{
              ?m a akg:PopulationMovement . VALUES ?p {{ akg:movedFrom akg:movedTo }}
              GRAPH ?g {{ ?m ?p ?place }} {_not_inferred()} FILTER(isIRI(?place))
            }} ORDER BY ?m ?p ?place"""):
        movement = found.get(sparql.bound(row, "m"))
        if movement is not None:
            ends = movement.origins if sparql.bound(row, "p") == AKG + "movedFrom" else movement.destinations
            ends.append(sparql.bound(row, "place"))
    for said in _said(sparql.select("""
            SELECT ?f ?s ?p ?o ?quote ?doc WHERE {
              VALUES ?p { akg:movedFrom akg:movedTo akg:numberOfFamilies akg:numberOfPeople akg:executionStatus }
              ?f akg:factSubject ?s ; akg:factProperty ?p ; akg:factObject ?o ; akg:quote ?quote ;
                 akg:sourceDocument ?doc .
              ?s a akg:PopulationMovement .
            } ORDER BY ?s ?p ?f""")):
        movement = found.get(said.subject)
        if movement is not None:
            movement.said.append(said)
    return found


def _corpus() -> CorpusData:
    places = [sparql.bound(r, "place") for r in sparql.select(
        "SELECT DISTINCT ?place WHERE { ?place a akg:Place FILTER(isIRI(?place)) } ORDER BY ?place")]
    events_at = {sparql.bound(r, "place"): sparql.integer(r["n"]) or 0 for r in sparql.select(f"""
        SELECT ?place (COUNT(DISTINCT ?e) AS ?n) WHERE {{
          VALUES ?p {{ {' '.join(sparql.iri(p) for p in PLACE_LINKS)} }}
          GRAPH ?g {{ ?e ?p ?place }} {_not_inferred()}
        }} GROUP BY ?place""")}
    documents_at = {sparql.bound(r, "place"): sparql.integer(r["n"]) or 0 for r in sparql.select("""
        SELECT ?place (COUNT(DISTINCT ?d) AS ?n) WHERE {
          ?place a akg:Place . ?d akg:mentions ?place . ?d a akg:ArchivalDocument
        } GROUP BY ?place""")}
    said_at: dict[str, list[Said]] = {}
    for said in _said(sparql.select(f"""
            SELECT ?f ?s ?p ?o ?quote ?doc WHERE {{
              VALUES ?p {{ {' '.join(sparql.iri(p) for p in PLACE_LINKS)} }}
              ?f akg:factProperty ?p ; akg:factObject ?o ; akg:factSubject ?s ; akg:quote ?quote ;
                 akg:sourceDocument ?doc .
            }} ORDER BY ?o ?s ?f""")):
        said_at.setdefault(said.value, []).append(said)
    movements = _movements()
    wanted = set(places)
    for movement in movements.values():
        wanted.add(movement.iri)
        wanted.update(movement.origins + movement.destinations)
    for group in said_at.values():
        for said in group:
            wanted.update((said.subject, said.document, said.predicate))
    for movement in movements.values():
        for said in movement.said:
            wanted.update((said.document, said.predicate))
    wanted.update(STATUSES)
    return CorpusData(places, events_at, documents_at, said_at, movements, fetch(wanted))


def corpus_data() -> CorpusData:
    return pages.cached("map-corpus", _corpus)


# -- what a page shows -------------------------------------------------------------------

@dataclass
class Statement:
    """The words of a document and the statements (factoids) made from them."""
    quote: str
    document: Link
    claims: list[tuple[str, str | None]]        # (what is stated, link to the statement)


@dataclass
class Marker:
    x: float
    y: float
    r: float
    href: str
    title: str
    own: bool                     # False: some member is drawn through a larger place
    count: int                    # places in this marker


@dataclass
class Line:
    d: str
    status: str
    href: str
    title: str


@dataclass
class PlaceRow:
    anchor: str
    link: Link
    placement: geo.Placement | None
    via: Link | None
    point: geo.Point | None
    events: int
    documents: int
    statements: list[Statement]
    more: int


@dataclass
class FlowRow:
    anchor: str
    status: str
    origin: Link | None
    destination: Link | None
    movements: list[Link]
    families: int | None
    people: int | None
    statements: list[Statement]
    more: int
    origin_at: geo.Placement | None = None
    destination_at: geo.Placement | None = None


@dataclass
class MapView:
    frame: geo.Frame
    outlines: tuple
    markers: list[Marker]
    lines: list[Line]
    basemap: bool
    caption: str = ""


def anchor(prefix: str, iri: str) -> str:
    local = iris.id_path(iri) or iri
    return prefix + "-" + re.sub(r"[^A-Za-z0-9_-]+", "-", local).strip("-")


def add_statement(found: list[Statement], said: Said, labels: Labels, limit: int) -> bool:
    """Adds ``said`` under its quote; False when the list is full (the caller counts the rest)."""
    claim = (labels.label(said.predicate), iris.href(said.factoid))
    for item in found:
        if item.quote == said.quote and item.document.iri == said.document:
            if claim not in item.claims:
                item.claims.append(claim)
            return True
    if len(found) >= limit:
        return False
    found.append(Statement(said.quote, labels.link(said.document), [claim]))
    return True


def statements(said: list[Said], labels: Labels, limit: int = STATEMENTS_PER_ROW) -> tuple[list[Statement], int]:
    found: list[Statement] = []
    more = 0
    for item in said:
        if not add_statement(found, item, labels, limit):
            more += 1
    return found, more


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    # A slight bend, always to the same side of the direction of travel, keeps a movement
    # and its reverse (or two plans between the same places) apart.
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    bend = 0.12
    cx, cy = mx - dy * bend, my + dx * bend
    return f"M{x1:.1f},{y1:.1f}Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"


def flows(data: CorpusData, where: dict[str, geo.Placement], labels: Labels,
          only: set[str] | None = None) -> list[FlowRow]:
    """Movements grouped by (origin drawn, destination drawn, status): one line each."""
    grouped: dict[tuple, FlowRow] = {}
    for movement in data.movements.values():
        if only is not None and movement.iri not in only:
            continue
        origins: list[str | None] = [o for o in movement.origins if o in where] or [None]
        destinations: list[str | None] = [d for d in movement.destinations if d in where] or [None]
        for origin in origins:
            for destination in destinations:
                if origin is None and destination is None:
                    continue
                key = (where[origin].key if origin else None, where[destination].key if destination else None,
                       movement.status, origin, destination)
                row = grouped.get(key)
                if row is None:
                    row = grouped[key] = FlowRow(
                        f"flow-{len(grouped) + 1}", movement.status or "unknown",
                        labels.link(origin) if origin else None,
                        labels.link(destination) if destination else None, [], None, None, [], 0,
                        where[origin] if origin else None, where[destination] if destination else None)
                if all(m.iri != movement.iri for m in row.movements):
                    row.movements.append(labels.link(movement.iri))
                    for attribute in ("families", "people"):
                        value = getattr(movement, attribute)
                        if value is not None:
                            setattr(row, attribute, (getattr(row, attribute) or 0) + value)
                    for said in movement.said:
                        if said.predicate in (AKG + "movedFrom", AKG + "movedTo") and \
                                said.value not in (origin, destination):
                            continue
                        if not add_statement(row.statements, said, labels, STATEMENTS_PER_ROW):
                            row.more += 1
    return sorted(grouped.values(), key=lambda r: (r.origin is None or r.destination is None,
                                                   -(r.people or 0), -(r.families or 0), r.anchor))


def draw(frame: geo.Frame, rows: list[PlaceRow], flow_rows: list[FlowRow],
         where: dict[str, geo.Placement], *, cell: float = 14.0, href_of=None) -> MapView:
    placed = [row for row in rows if row.placement is not None and frame.contains(row.placement.lat,
                                                                                     row.placement.lon)]
    clusters = geo.cluster(placed, lambda row: frame.xy(row.placement.lat, row.placement.lon), cell)
    most = max([sum(m.events + m.documents for m in c.members) for c in clusters] + [1])
    markers = []
    for found in clusters:
        members = sorted(found.members, key=lambda r: (-(r.events + r.documents), r.link.label))
        weight = sum(m.events + m.documents for m in members)
        names = ", ".join(m.link.label for m in members[:6]) + (f" and {len(members) - 6} more"
                                                                  if len(members) > 6 else "")
        drawn_via = [m for m in members if m.via is not None]
        title = f"{names}: {sum(m.events for m in members)} events, {sum(m.documents for m in members)} documents"
        if drawn_via:
            title += "; drawn at the point of " + ", ".join(sorted({m.via.label for m in drawn_via})) + \
                     ", which " + ("it is" if len(members) == 1 else "they are") + " part of"
        first = members[0]
        href = href_of(first) if href_of else f"#{first.anchor}"
        markers.append(Marker(found.x, found.y, geo.radius(weight, most=most), href, title,
                              not drawn_via, len(members)))
    lines = []
    for row in flow_rows:
        if row.origin is None or row.destination is None:
            continue
        ends = (row.origin.iri, row.destination.iri)
        (x1, y1), (x2, y2) = (frame.xy(where[e].lat, where[e].lon) for e in ends)
        if math.hypot(x2 - x1, y2 - y1) < 1:
            continue
        figures = ", ".join(f"{n:,} {w}" for n, w in ((row.families, "families"), (row.people, "people"))
                            if n is not None)
        title = (f"{row.origin.label} → {row.destination.label} ({row.status})"
                 + (f": {figures}" if figures else "") + " · " + "; ".join(m.label for m in row.movements[:3]))
        lines.append(Line(_curve(x1, y1, x2, y2), row.status, f"#{row.anchor}", title))
    return MapView(frame, geo.outlines(frame), markers, lines, geo.basemap_installed())


def place_rows(data: CorpusData, where: dict[str, geo.Placement], labels: Labels,
               only: list[str] | None = None) -> list[PlaceRow]:
    known = geo.points()
    rows = []
    for place in (data.places if only is None else only):
        placement = where.get(place)
        shown, more = statements(data.said_at.get(place, []), labels)
        rows.append(PlaceRow(anchor("place", place), labels.link(place), placement,
                             labels.link(placement.via) if placement and placement.via else None,
                             known.get(place), data.events_at.get(place, 0), data.documents_at.get(place, 0),
                             shown, more))
    rows.sort(key=lambda r: (r.placement is None, -(r.events + r.documents), r.link.label.lower()))
    return rows


def corpus_map() -> dict:
    """The map of /map, laid out once per release (and per address the pages are served at)."""
    return pages.cached(f"map-view {iris.root()}", _corpus_map)


def _corpus_map() -> dict:
    data = corpus_data()
    labels = Labels.known(data.labels)
    where = geo.placements(data.places)
    rows = place_rows(data, where, labels)
    flow_rows = flows(data, where, labels)
    # Thousands of rows make neither a readable table nor a readable map: the largest
    # movements and the places with the most events are listed (every place is still drawn,
    # markers close together are drawn as one).
    drawn_flows = [f for f in flow_rows if f.origin and f.destination][:FLOWS_LISTED]
    listed_flows = drawn_flows + [f for f in flow_rows if not (f.origin and f.destination)][
        :max(0, FLOWS_LISTED - len(drawn_flows))]
    placed = [r for r in rows if r.placement is not None]
    spots = [(p.lat, p.lon) for p in where.values()]
    listed_places = placed[:PLACES_LISTED]
    listed = {row.anchor for row in listed_places}
    view = draw(geo.frame_for(spots, WIDTH, min_span=20), placed, drawn_flows, where,
                href_of=lambda row: f"#{row.anchor}" if row.anchor in listed else (row.link.href or "#places"))
    return {"view": view, "places": listed_places, "placed_rows": placed, "listed": listed,
            "places_total": len(placed), "flows": listed_flows,
            "flows_total": len(flow_rows), "placed": len(placed),
            "through": sum(1 for r in placed if r.via is not None),
            "unplaced": [r for r in rows if r.placement is None]}


def small_map(places: list[str], movements: set[str] | None, *, focus: set[str]) -> dict | None:
    """The map of a place or a movement page: ``places`` and the movements given; markers link
    to the pages of the places; None when nothing can be drawn."""
    data = corpus_data()
    labels = Labels.known(data.labels)
    involved = set(places)
    for movement in data.movements.values():
        if movements is not None and movement.iri in movements:
            involved.update(movement.origins + movement.destinations)
    where = geo.placements(sorted(involved))
    if not where:
        return None
    rows = place_rows(data, where, labels, only=sorted(involved))
    flow_rows = flows(data, where, labels, only=movements or set())
    spots = [(p.lat, p.lon) for p in where.values()]
    view = draw(geo.frame_for(spots, 480, min_span=6, aspect=(0.55, 0.9)), rows, flow_rows, where, cell=10,
                href_of=lambda row: row.link.href or f"#{row.anchor}")
    drawn = [r for r in rows if r.placement is not None]
    return {"view": view, "places": drawn, "flows": flow_rows,
            "focus": [r for r in drawn if r.link.iri in focus]}


def for_place(iri: str) -> dict | None:
    """The small map of a place's page: the place and every movement from or to it (or to a
    place drawn through it, such as an island of a district)."""
    data = corpus_data()
    where = geo.placements(data.places)
    related = {p for p, found in where.items() if p == iri or found.via == iri}
    movements = {m.iri for m in data.movements.values() if related & set(m.origins + m.destinations)}
    return small_map([iri], movements, focus={iri})


def for_event(iri: str, places: list[str]) -> dict | None:
    """The small map of an event's page: where it took place, or where a movement went."""
    data = corpus_data()
    movement = data.movements.get(iri)
    if movement is not None:
        return small_map(movement.origins + movement.destinations, {iri},
                         focus=set(movement.origins + movement.destinations))
    return small_map(places, None, focus=set(places)) if places else None
