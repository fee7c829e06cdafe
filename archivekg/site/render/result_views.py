"""Views of a query's results beside the table, chosen by the shape of the result (as the
Wikidata Query Service does): a bar chart when a row has a label and a number, a map when it has
coordinates (a WKT point, a latitude and a longitude, or a place of ours that has a point), a
timeline when it has dates, a graph when it has two resources.  All are drawn as SVG on the
server, so they need no script."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyoxigraph as ox

from archivekg.namespaces import PREFIXES
from archivekg.site.render import geo, iris, svg
from archivekg.site.render.labels import Labels

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short",
                             "nonNegativeInteger", "positiveInteger", "unsignedInt")}
DATES = {XSD + "date", XSD + "dateTime", XSD + "gYear", XSD + "gYearMonth"}
EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
POINT = re.compile(r"^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$", re.IGNORECASE)
LATITUDE = re.compile(r"^(lat|latitude)$", re.IGNORECASE)
LONGITUDE = re.compile(r"^(lon|long|lng|longitude)$", re.IGNORECASE)
MOST_BARS, MOST_POINTS, MOST_EVENTS, MOST_NODES = 60, 2000, 300, 120
VOCABULARIES = tuple(PREFIXES.values())


@dataclass
class Views:
    chart: dict | None = None
    map: dict | None = None
    timeline: dict | None = None
    graph: dict | None = None
    kinds: list[str] = field(default_factory=list)


def _number(term) -> float | None:
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
        try:
            value = float(term.value)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None


def _day(term) -> str | None:
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        text = term.value.strip()
        if datatype in DATES and re.match(r"^-?\d{4}", text):
            return (text + "-01-01")[:10] if datatype == XSD + "gYear" else (text + "-01")[:10]
    return None


def _columns(variables: list[str], rows: list[dict], test) -> list[str]:
    """The variables for which ``test`` holds of every bound value (and of at least one)."""
    found = []
    for name in variables:
        values = [row.get(name) for row in rows if row.get(name) is not None]
        if values and all(test(v) for v in values):
            found.append(name)
    return found


def _text(term, labels: Labels) -> str:
    if isinstance(term, ox.NamedNode):
        return labels.label(term.value)
    return "" if term is None else term.value


def _href(term) -> str | None:
    return iris.href(term.value) if isinstance(term, ox.NamedNode) else None


def build(variables: list[str], rows: list[dict], kind: str) -> Views:
    views = Views()
    if kind != "select" or not rows:
        return views
    labels = Labels()
    for row in rows[:MOST_POINTS]:
        labels.want(*[t for t in row.values() if isinstance(t, ox.NamedNode)])
    labels.resolve()
    numbers = _columns(variables, rows, lambda t: _number(t) is not None)
    dates = _columns(variables, rows, lambda t: _day(t) is not None)
    # Things, not terms of a vocabulary (a column of properties or classes is no graph).
    resources = _columns(variables, rows, lambda t: isinstance(t, ox.NamedNode) and
                         not t.value.startswith(VOCABULARIES))
    wkt = _columns(variables, rows, lambda t: isinstance(t, ox.Literal) and bool(POINT.match(t.value)))
    texts = [v for v in variables if v not in numbers and v not in dates and v not in wkt]
    views.chart = _chart(rows, texts, numbers, labels)
    views.map = _map(variables, rows, numbers, wkt, resources, texts, labels)
    views.timeline = _timeline(rows, dates, texts, labels)
    views.graph = _graph(rows, resources, labels)
    views.kinds = [k for k in ("chart", "map", "timeline", "graph") if getattr(views, k)]
    return views


def _chart(rows, texts, numbers, labels) -> dict | None:
    if not numbers or not texts:
        return None
    label_column, value_column = texts[0], numbers[0]
    bars: list[dict[str, Any]] = []          # what chart.html draws of each bar
    for row in rows[:MOST_BARS]:
        value = _number(row.get(value_column))
        if value is None:
            continue
        bars.append({"label": svg.shorten(_text(row.get(label_column), labels) or "—", 40),
                     "href": _href(row.get(label_column)), "value": value})
    if not bars:
        return None
    width, left, row_height, top = 960, 260, 22, 10
    most = max(abs(b["value"]) for b in bars) or 1
    usable = width - left - 70
    for index, bar in enumerate(bars):
        bar["y"] = top + index * row_height
        bar["width"] = max(1.0, abs(bar["value"]) / most * usable)
        bar["text"] = f"{bar['value']:,.0f}" if bar["value"] == int(bar["value"]) else f"{bar['value']:,.2f}"
    return {"bars": bars, "width": width, "left": left, "height": top + len(bars) * row_height + 6,
            "label": label_column, "value": value_column, "cut": len(rows) > MOST_BARS}


def _map(variables, rows, numbers, wkt, resources, texts, labels) -> dict | None:
    points: list[dict[str, Any]] = []
    lat = next((v for v in numbers if LATITUDE.match(v)), None)
    lon = next((v for v in numbers if LONGITUDE.match(v)), None)
    known = geo.points()
    places = [v for v in resources if any(row.get(v) is not None and row[v].value in known for row in rows)]
    for row in rows[:MOST_POINTS]:
        label_term = row.get(texts[0]) if texts else None
        where: tuple[float, float] | None = None
        if wkt:
            match = POINT.match(row[wkt[0]].value) if row.get(wkt[0]) is not None else None
            if match:
                where = (float(match.group(2)), float(match.group(1)))
        elif lat and lon and row.get(lat) is not None and row.get(lon) is not None:
            y, x = _number(row[lat]), _number(row[lon])
            where = (y, x) if y is not None and x is not None else None
        elif places:
            term = row.get(places[0])
            if term is not None and term.value in known:
                found = known[term.value]
                where, label_term = (found.lat, found.lon), term
        if where is None or not (-90 <= where[0] <= 90 and -180 <= where[1] <= 180):
            continue
        points.append({"lat": where[0], "lon": where[1], "label": _text(label_term, labels) or
                       f"{where[0]:.3f}, {where[1]:.3f}", "href": _href(label_term)})
    if not points:
        return None
    frame = geo.frame_for([(p["lat"], p["lon"]) for p in points], 960, min_span=10)
    clusters = geo.cluster(points, lambda p: frame.xy(p["lat"], p["lon"]), 12)
    markers = [{"x": c.x, "y": c.y, "r": geo.radius(len(c.members), most=max(len(k.members) for k in clusters)),
                "title": ", ".join(p["label"] for p in c.members[:8]) + (f" and {len(c.members) - 8} more"
                                                                         if len(c.members) > 8 else ""),
                "href": c.members[0]["href"], "count": len(c.members)} for c in clusters]
    return {"frame": frame, "outlines": geo.outlines(frame), "markers": markers, "count": len(points),
            "basemap": geo.basemap_installed()}


def _timeline(rows, dates, texts, labels) -> dict | None:
    if not dates:
        return None
    start_column = dates[0]
    end_column = dates[1] if len(dates) > 1 else None
    items: list[dict[str, Any]] = []         # what the timeline draws of each row
    for row in rows[:MOST_EVENTS]:
        start = _day(row.get(start_column))
        if start is None:
            continue
        end = _day(row.get(end_column)) if end_column else None
        end = end if end and end >= start else start
        label_term = row.get(texts[0]) if texts else None
        items.append({"start": start, "end": end, "label": _text(label_term, labels) or start,
                      "href": _href(label_term)})
    if not items:
        return None
    items.sort(key=lambda i: (i["start"], i["end"]))
    first = min(svg.day_number(i["start"]) for i in items)
    last = max(svg.day_number(i["end"]) + 1 for i in items)
    width, left, right, top, row_height = 960, 8, 8, 30, 24
    span, inner = max(1, last - first), width - left - right
    for index, item in enumerate(items):
        a, b = svg.day_number(item["start"]), svg.day_number(item["end"]) + 1
        item["x"] = left + (a - first) / span * inner
        item["width"] = max(4.0, (b - a) / span * inner)
        item["y"] = top + index * row_height
        item["text"] = svg.shorten(f"{item['start']} — {item['label']}", 80)
        item["anchor"] = "end" if item["x"] > width / 2 else "start"
        item["text_x"] = min(item["x"] + item["width"], width - right) if item["anchor"] == "end" else item["x"]
    first_year, last_year = svg.year_of(first), svg.year_of(last)
    step = max(1, int(svg.nice_step(last_year - first_year + 1, 8)))
    ticks = []
    for year in range(first_year - first_year % step, last_year + 2, step):
        day = date(year, 1, 1).toordinal()
        if first <= day <= last:
            ticks.append((year, left + (day - first) / span * inner))
    return {"events": items, "width": width, "height": top + len(items) * row_height + 6, "ticks": ticks,
            "column": start_column}


def _graph(rows, resources, labels) -> dict | None:
    if len(resources) < 2:
        return None
    a, b = resources[0], resources[1]
    edges: dict[tuple[str, str], int] = {}
    degree: dict[str, int] = {}
    for row in rows:
        s, o = row.get(a), row.get(b)
        if s is None or o is None or s.value == o.value:
            continue
        edges[(s.value, o.value)] = edges.get((s.value, o.value), 0) + 1
        for x in (s.value, o.value):
            degree[x] = degree.get(x, 0) + 1
    if not edges:
        return None
    nodes = sorted(degree, key=lambda n: (-degree[n], labels.label(n)))[:MOST_NODES]
    chosen = set(nodes)
    size = 640
    centre, ring = size / 2, size / 2 - 90
    where = {}
    for index, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / len(nodes)
        where[node] = (centre + ring * math.cos(angle), centre + ring * math.sin(angle), angle)
    drawn_nodes = [{"x": x, "y": y, "label": svg.shorten(labels.label(n), 28), "href": iris.href(n),
                    "label_x": x + 10 * math.cos(t), "label_y": y + 10 * math.sin(t) + 4,
                    "anchor": "middle" if abs(math.cos(t)) < 0.2 else ("start" if math.cos(t) > 0 else "end")}
                   for n, (x, y, t) in where.items()]
    drawn_edges = [{"x1": where[s][0], "y1": where[s][1], "x2": where[o][0], "y2": where[o][1],
                    "title": f"{labels.label(s)} → {labels.label(o)}" + (f" ({n} rows)" if n > 1 else "")}
                   for (s, o), n in edges.items() if s in chosen and o in chosen]
    return {"nodes": drawn_nodes, "edges": drawn_edges, "width": size + 240, "height": size, "shift": 120,
            "from": a, "to": b, "cut": len(degree) > MOST_NODES}
