"""The timeline: every event and decree with a date, and every one dated only by the document
that states it (placed at that document's date, and marked so), each drawn from the earliest to
the latest day its date can mean (an EDTF interval or a month is a span, an uncertain or
approximate date is marked).  Filters by kind, person or organization, place (with the places
within it) and document; a period from decades down to days.

The events are read once per release; each request filters and lays them out, twice: wide for a
screen and narrow for a phone (the page shows the one that fits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from archivekg.site.render import iris, pages, sparql, svg
from archivekg.site.render.labels import Labels, Link, fetch

AKG = iris.ONTOLOGY_NS
MAX_EVENTS = 1000
# Families of classes, for the colour of a bar; any other class is drawn as "other".
FAMILIES = (("movement", AKG + "PopulationMovement"), ("action", AKG + "PartyAction"),
            ("decree", AKG + "Decree"), ("meeting", AKG + "Meeting"), ("meeting", AKG + "Conversation"),
            ("meeting", AKG + "Plenum"), ("report", AKG + "Report"), ("tenure", AKG + "Tenure"))
LEGEND = (("movement", "population movement"), ("action", "party or state action"),
          ("decree", "decree"), ("meeting", "meeting, plenum, conversation"), ("report", "report"),
          ("tenure", "post held"), ("other", "other event"))
AGENTS = (AKG + "Person", AKG + "Organization", AKG + "Group")


@dataclass
class Event:
    iri: str
    family: str
    kind: str | None                  # its asserted class
    edtf: str | None
    start: str                        # ISO day
    end: str                          # ISO day
    open_start: bool = False          # an EDTF interval open at its start (../1955)
    open_end: bool = False
    uncertain: bool = False           # ?, ~ or % in its EDTF date
    planned: bool = False
    by_document: str | None = None    # the document whose date places it
    involved: set[str] = field(default_factory=set)      # agents and places it names
    documents: set[str] = field(default_factory=set)


@dataclass
class Data:
    events: list[Event]                # placed in time, ordered
    undated: list[str]                 # events with no date, stated only in undated documents
    within: dict[str, set[str]]        # place -> the places within it (transitively)
    labels: dict[str, str]
    places: set[str] = field(default_factory=set)   # the involved things that are places


def _not_inferred() -> str:
    return f"FILTER(?g != {sparql.iri(iris.graph_iri('inferred'))})"


def _families(event_iris: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The family (for the colour) and the asserted class of each event."""
    rank = {c: i for i, (_, c) in enumerate(FAMILIES)}
    best: dict[str, str] = {}
    for row in sparql.select(f"SELECT ?e ?c WHERE {{ {sparql.values('c', [c for _, c in FAMILIES])} ?e a ?c }}"):
        e, c = sparql.bound(row, "e"), sparql.bound(row, "c")
        if e not in best or rank[c] < rank[best[e]]:
            best[e] = c
    names = dict((c, f) for f, c in FAMILIES)
    kinds = {sparql.bound(r, "e"): sparql.bound(r, "c") for r in sparql.select(
        f"SELECT ?e ?c WHERE {{ {{ ?e a akg:Event }} UNION {{ ?e a akg:Decree }} GRAPH ?g {{ ?e a ?c }} {_not_inferred()} }}")}
    return {e: names[c] for e, c in best.items()}, kinds


def _uncertain(edtf: str | None) -> bool:
    return bool(edtf and any(mark in edtf for mark in ("?", "~", "%", "X")))


def _build() -> Data:
    rows = sparql.select("""
        SELECT ?e (MIN(?s) AS ?start) (MAX(?t) AS ?end) (SAMPLE(?d) AS ?edtf) (SAMPLE(?st) AS ?status) WHERE {
          { ?e a akg:Event } UNION { ?e a akg:Decree }
          OPTIONAL { ?e akg:earliestDate ?s } OPTIONAL { ?e akg:latestDate ?t }
          OPTIONAL { ?e akg:date ?d } OPTIONAL { ?e akg:executionStatus ?st }
        } GROUP BY ?e""")
    doc_dates: dict[str, tuple[str, str, str]] = {}
    for row in sparql.select("""
            SELECT DISTINCT ?e ?doc ?s ?t WHERE {
              { ?e a akg:Event } UNION { ?e a akg:Decree }
              FILTER NOT EXISTS { ?e akg:earliestDate ?x } FILTER NOT EXISTS { ?e akg:latestDate ?y }
              { ?f akg:factSubject ?e } UNION { ?f akg:factObject ?e }
              ?f akg:sourceDocument ?doc . ?doc akg:earliestDate ?s ; akg:latestDate ?t .
            }"""):
        e, found = sparql.bound(row, "e"), (sparql.bound(row, "s")[:10], sparql.bound(row, "t")[:10], sparql.bound(row, "doc"))
        if e not in doc_dates or found < doc_dates[e]:
            doc_dates[e] = found       # the earliest document that states it
    all_iris = sorted({sparql.bound(r, "e") for r in rows})
    family_of, kind_of = _families(all_iris)
    events, undated, places = {}, [], set()
    for row in rows:
        e = sparql.bound(row, "e")
        start, end = sparql.text(row["start"]), sparql.text(row["end"])
        event = Event(e, family_of.get(e, "other"), kind_of.get(e), sparql.text(row["edtf"]), "", "",
                      planned=sparql.text(row["status"]) == AKG + "planned")
        if start or end:
            event.start, event.end = (start or end or "")[:10], (end or start or "")[:10]
            event.open_start, event.open_end = start is None, end is None
            event.uncertain = _uncertain(event.edtf)
        elif e in doc_dates:
            event.start, event.end, event.by_document = doc_dates[e]
        else:
            undated.append(e)
            continue
        events[e] = event
    for row in sparql.select(f"""
            SELECT DISTINCT ?e ?x ?c WHERE {{
              {{ ?e a akg:Event }} UNION {{ ?e a akg:Decree }}
              GRAPH ?g {{ ?e ?p ?x }} {_not_inferred()} FILTER(isIRI(?x))
              VALUES ?c {{ akg:Person akg:Organization akg:Group akg:Place }} ?x a ?c
            }}"""):
        if sparql.bound(row, "e") in events:
            events[sparql.bound(row, "e")].involved.add(sparql.bound(row, "x"))
            if sparql.bound(row, "c") == AKG + "Place":
                places.add(sparql.bound(row, "x"))
    for row in sparql.select("""
            SELECT DISTINCT ?e ?doc WHERE {
              { ?e a akg:Event } UNION { ?e a akg:Decree }
              { ?f akg:factSubject ?e } UNION { ?f akg:factObject ?e } ?f akg:sourceDocument ?doc
            }"""):
        if sparql.bound(row, "e") in events:
            events[sparql.bound(row, "e")].documents.add(sparql.bound(row, "doc"))
    within: dict[str, set[str]] = {}
    for row in sparql.select("SELECT DISTINCT ?inner ?outer WHERE { ?inner akg:partOfPlace ?outer }"):
        within.setdefault(sparql.bound(row, "outer"), set()).add(sparql.bound(row, "inner"))
    ordered = sorted(events.values(), key=lambda ev: (ev.start, ev.end, ev.iri))
    wanted = set(events) | set(undated) | {k for ev in events.values() for k in (ev.kind, ev.by_document) if k}
    wanted |= {x for ev in events.values() for x in ev.involved | ev.documents}
    return Data(ordered, sorted(undated), within, fetch(wanted), places)


def data() -> Data:
    return pages.cached("timeline-events", _build)


# -- filters and periods --------------------------------------------------------------------

@dataclass
class Filters:
    family: str | None = None
    agent: str | None = None
    place: str | None = None
    document: str | None = None
    since: str | None = None          # ISO day
    until: str | None = None          # ISO day

    def keep(self, event: Event, within: dict[str, set[str]]) -> bool:
        if self.family and event.family != self.family:
            return False
        if self.agent and self.agent not in event.involved:
            return False
        if self.place and not ({self.place} | within.get(self.place, set())) & event.involved:
            return False
        if self.document and self.document not in event.documents:
            return False
        if self.since and event.end < self.since:
            return False
        return not (self.until and event.start > self.until)


def period(text: str | None, end: bool) -> str | None:
    """An ISO day from a year, a month or a day (the first or last day it can mean); ValueError
    for anything else."""
    if not text:
        return None
    parts = text.strip().split("-")
    if len(parts) > 3 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"
    month = int(parts[1])
    if not 1 <= month <= 12:
        raise ValueError(text)
    if len(parts) == 2:
        first = date(year, month, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return (last if end else first).isoformat()
    return date(year, month, int(parts[2])).isoformat()


# -- layout ------------------------------------------------------------------------------

@dataclass
class Bar:
    event: Event
    link: Link
    kind: Link | None
    document: Link | None
    x: float = 0
    width: float = 0
    y: float = 0
    label: str = ""
    label_x: float = 0
    anchor: str = "start"


def _ticks(first: int, last: int, left: float, inner: float) -> tuple[list[tuple[str, float]], str]:
    """Axis ticks for the days first..last: decades, years, months or days, whichever gives a
    readable number of them."""
    span = max(1, last - first)
    scale = inner / span
    start, stop = date.fromordinal(first), date.fromordinal(last)
    ticks: list[tuple[str, float]] = []
    if span > 3 * 366:
        years = stop.year - start.year + 1
        step = max(1, int(svg.nice_step(years, 8)))
        for year in range(start.year - start.year % step, stop.year + 1, step):
            day = date(year, 1, 1).toordinal()
            if first <= day <= last:
                ticks.append((str(year), left + (day - first) * scale))
        return ticks, "year"
    if span > 62:
        months = (stop.year - start.year) * 12 + stop.month - start.month + 1
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 12)
        cursor = date(start.year, start.month, 1)
        while cursor <= stop:
            if (cursor.month - 1) % step == 0 and first <= cursor.toordinal() <= last:
                ticks.append((cursor.strftime("%b %Y") if cursor.month == 1 or not ticks else cursor.strftime("%b"),
                              left + (cursor.toordinal() - first) * scale))
            cursor = (cursor + timedelta(days=32)).replace(day=1)
        return ticks, "month"
    step = next(s for s in (1, 2, 5, 7, 14) if span / s <= 14)
    for day in range(first, last + 1, step):
        ticks.append((date.fromordinal(day).strftime("%d %b"), left + (day - first) * scale))
    return ticks, "day"


def layout(bars: list[Bar], width: int, first: int, last: int, *, narrow: bool) -> dict:
    left, right, top = 8, 8, 34
    row = 30 if narrow else 26
    inner = width - left - right
    span = max(1, last - first)
    length = 44 if narrow else 90
    for index, bar in enumerate(bars):
        a, b = svg.day_number(bar.event.start), svg.day_number(bar.event.end) + 1
        bar.x = left + (a - first) / span * inner
        bar.width = max(4.0, (b - a) / span * inner)
        bar.y = top + index * row
        when = bar.event.edtf or bar.event.start
        if bar.event.by_document:
            when = f"{bar.event.start} (document)"
        bar.label = svg.shorten(f"{when} — {bar.link.label}", length)
        if narrow or bar.x <= width / 2:
            bar.label_x, bar.anchor = (left if narrow else bar.x), "start"
        else:
            bar.label_x, bar.anchor = min(bar.x + bar.width, width - right), "end"
    ticks, unit = _ticks(first, last, left, inner)
    return {"width": width, "height": top + len(bars) * row + 8, "ticks": ticks, "unit": unit,
            "bars": [Bar(b.event, b.link, b.kind, b.document, b.x, b.width, b.y, b.label, b.label_x, b.anchor)
                     for b in bars]}


def chart(events: list[Event], labels: Labels, *, since: str | None = None, until: str | None = None,
          wide: int = 960, narrow: int = 360) -> dict | None:
    if not events:
        return None
    bars = [Bar(ev, labels.link(ev.iri), labels.link(ev.kind) if ev.kind else None,
                labels.link(ev.by_document) if ev.by_document else None) for ev in events]
    first = svg.day_number(since) if since else min(svg.day_number(ev.start) for ev in events)
    last = (svg.day_number(until) + 1) if until else max(svg.day_number(ev.end) + 1 for ev in events)
    first = min(first, last - 1)
    return {"wide": layout(bars, wide, first, last, narrow=False),
            "narrow": layout(bars, narrow, first, last, narrow=True), "bars": bars}


def for_entity(iri: str, is_place: bool) -> dict | None:
    """The events of a person's, an organization's or a place's page, in time."""
    found = data()
    if is_place:
        filters = Filters(place=iri)
    else:
        filters = Filters(agent=iri)
    events = [ev for ev in found.events if filters.keep(ev, found.within)][:MAX_EVENTS]
    if not events:
        return None
    drawn = chart(events, Labels.known(found.labels), wide=900, narrow=360)
    assert drawn is not None, "there are events to draw"
    drawn["count"] = len(events)
    return drawn
