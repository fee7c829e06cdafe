"""A timeline of every dated event (and the dates decrees bear), drawn from the graph as
SVG on the server, with the same events as a list for reading and for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import request

from archivekg.site.render import iris, pages, sparql, svg
from archivekg.site.render.entity_page import kinds
from archivekg.site.render.labels import Labels, Link

bp = pages.blueprint("timeline")

AKG = iris.ONTOLOGY_NS
WIDTH, ROW, TOP, LEFT, RIGHT = 960, 26, 34, 12, 12
MAX_EVENTS = 2000
# Families of classes, for the colour of a bar; any other class is drawn as "other".
FAMILIES = (("movement", AKG + "PopulationMovement"), ("action", AKG + "PartyAction"),
            ("decree", AKG + "Decree"), ("meeting", AKG + "Meeting"), ("meeting", AKG + "Conversation"),
            ("meeting", AKG + "Plenum"), ("report", AKG + "Report"), ("tenure", AKG + "Tenure"))
LEGEND = (("movement", "population movement"), ("action", "party or state action"),
          ("decree", "decree"), ("meeting", "meeting, plenum, conversation"), ("report", "report"),
          ("tenure", "post held"), ("other", "other event"))


@dataclass
class Item:
    link: Link
    kind: Link | None
    family: str
    edtf: str | None
    start: str
    end: str
    planned: bool
    x: float = 0
    width: float = 0
    y: float = 0
    label: str = ""
    label_x: float = 0
    anchor: str = "start"


def rows() -> list[dict]:
    return sparql.select(f"""
        SELECT ?e ?start ?end (SAMPLE(?d) AS ?edtf) (SAMPLE(?s) AS ?status) WHERE {{
          {{ ?e a akg:Event }} UNION {{ ?e a akg:Decree }}
          ?e akg:earliestDate ?start ; akg:latestDate ?end .
          OPTIONAL {{ ?e akg:date ?d }} OPTIONAL {{ ?e akg:executionStatus ?s }}
        }} GROUP BY ?e ?start ?end ORDER BY ?start ?end ?e LIMIT {MAX_EVENTS}""")


def families(event_iris: list[str]) -> dict[str, str]:
    if not event_iris:
        return {}
    found = sparql.select(f"SELECT ?e ?c WHERE {{ {sparql.values('e', event_iris)} "
                          f"{sparql.values('c', [c for _, c in FAMILIES])} ?e a ?c }}")
    rank = {c: i for i, (_, c) in enumerate(FAMILIES)}
    best: dict[str, str] = {}
    for row in found:
        e, c = row["e"].value, row["c"].value
        if e not in best or rank[c] < rank[best[e]]:
            best[e] = c
    names = dict((c, f) for f, c in FAMILIES)
    return {e: names[c] for e, c in best.items()}


def _data():
    found = rows()
    event_iris = sorted({r["e"].value for r in found})
    return found, families(event_iris), kinds(event_iris)


def layout(items: list[Item], first: int, last: int) -> dict:
    span = max(1, last - first)
    inner = WIDTH - LEFT - RIGHT
    for index, item in enumerate(items):
        a, b = svg.day_number(item.start), svg.day_number(item.end) + 1
        item.x = LEFT + (a - first) / span * inner
        item.width = max(5.0, (b - a) / span * inner)
        item.y = TOP + index * ROW
        item.label = svg.shorten(f"{item.edtf or item.start} — {item.link.label}", 90)
        if item.x > WIDTH / 2:
            item.label_x, item.anchor = min(item.x + item.width, WIDTH - RIGHT), "end"
        else:
            item.label_x, item.anchor = item.x, "start"
    first_year, last_year = svg.year_of(first), svg.year_of(last)
    step = max(1, int(svg.nice_step(last_year - first_year + 1, 8)))
    ticks = []
    for year in range(first_year - first_year % step, last_year + 2, step):
        day = date(year, 1, 1).toordinal()
        if first <= day <= last:
            ticks.append((year, LEFT + (day - first) / span * inner))
    return {"width": WIDTH, "height": TOP + len(items) * ROW + 8, "ticks": ticks}


@bp.get("/timeline")
def timeline():
    found, family_of, kind_of = pages.cached("timeline", _data)
    years = sorted({int(r["start"].value[:4]) for r in found if r["start"].value[:4].isdigit()})
    since = request.args.get("from", type=int)
    until = request.args.get("to", type=int)
    selected = [r for r in found
                if (since is None or int(r["end"].value[:4]) >= since)
                and (until is None or int(r["start"].value[:4]) <= until)]

    labels = Labels()
    for row in selected:
        labels.want(row["e"], kind_of.get(row["e"].value))
    labels.resolve()
    items = [Item(labels.link(r["e"]),
                  labels.link(kind_of[r["e"].value]) if r["e"].value in kind_of else None,
                  family_of.get(r["e"].value, "other"), sparql.text(r["edtf"]),
                  r["start"].value, r["end"].value,
                  sparql.text(r["status"]) == AKG + "planned") for r in selected]
    chart = None
    if items:
        first = min(svg.day_number(i.start) for i in items)
        last = max(svg.day_number(i.end) + 1 for i in items)
        chart = layout(items, first, last)
    decades = sorted({y - y % 10 for y in years})
    return pages.page("timeline.html", title="Timeline", items=items, chart=chart, years=years,
                     decades=decades, since=since, until=until, legend=LEGEND, total=len(found),
                     limit=MAX_EVENTS)
