"""Where a place is drawn, and the outline map it is drawn on.

A place is drawn at its own point (registry ``location``, a WGS84 point with the reference that
gives it) or, without one, at the point of the nearest place it is part of (``partOfPlace``),
and the page says so; a place with neither is not drawn.  Nothing here invents a position.

The outlines are Natural Earth's countries (public domain) as ``make assets`` installs them from
the npm package world-atlas; they are projected (equirectangular, scaled by the cosine of the
middle latitude, which keeps shapes fair over the few tens of degrees our maps span) and drawn
as SVG paths on the server, so that a map needs no script and no tile server.
"""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from archivekg.site.render import iris, pages, sparql

AKG = iris.ONTOLOGY_NS
BASEMAPS = pages.HERE / "static" / "vendor" / "basemap"
BASEMAP, COARSE_BASEMAP = BASEMAPS / "countries-50m.geojson", BASEMAPS / "countries-110m.geojson"
# Above this many degrees of longitude, the 1:110m outlines show as much as the 1:50m ones.
COARSE_ABOVE = 30.0


@dataclass(frozen=True)
class Placement:
    iri: str
    lat: float
    lon: float
    via: str | None          # the larger place whose point is used, or None for its own point

    @property
    def key(self) -> tuple[float, float]:
        return (round(self.lat, 5), round(self.lon, 5))


@dataclass(frozen=True)
class Point:
    coordinates: str          # the IRI of the akg:Coordinates node
    lat: float
    lon: float
    source: str | None
    as_given: str | None


def _points() -> dict[str, Point]:
    rows = sparql.select("""
        SELECT ?place ?c ?lat ?lon ?source ?given WHERE {
          ?place akg:location ?c . ?c akg:latitude ?lat ; akg:longitude ?lon .
          OPTIONAL { ?c akg:coordinatesSource ?source } OPTIONAL { ?c akg:coordinatesAsGiven ?given }
        }""")
    found: dict[str, Point] = {}
    for row in rows:
        try:
            lat, lon = float(sparql.bound(row, "lat")), float(sparql.bound(row, "lon"))
        except ValueError:
            continue
        found.setdefault(sparql.bound(row, "place"), Point(sparql.bound(row, "c"), lat, lon, sparql.text(row["source"]),
                                                   sparql.text(row["given"])))
    return found


def _parents() -> dict[str, list[str]]:
    # Asserted links only: the inferred graph holds the transitive closure, and the nearest
    # larger place is the one to draw through.
    rows = sparql.select(f"""
        SELECT DISTINCT ?place ?parent WHERE {{
          GRAPH ?g {{ ?place akg:partOfPlace ?parent }}
          FILTER(?g != {sparql.iri(iris.graph_iri('inferred'))}) FILTER(isIRI(?parent))
        }} ORDER BY ?place ?parent""")
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(sparql.bound(row, "place"), []).append(sparql.bound(row, "parent"))
    return found


def points() -> dict[str, Point]:
    return pages.cached("geo-points", _points)


def parents() -> dict[str, list[str]]:
    return pages.cached("geo-parents", _parents)


def place(iri: str, known: dict[str, Point] | None = None,
          up: dict[str, list[str]] | None = None) -> Placement | None:
    """Where ``iri`` is drawn: its own point, else the nearest larger place's (breadth first
    along partOfPlace), else None."""
    known = points() if known is None else known
    up = parents() if up is None else up
    if iri in known:
        p = known[iri]
        return Placement(iri, p.lat, p.lon, None)
    seen, queue = {iri}, deque(up.get(iri, ()))
    while queue:
        candidate = queue.popleft()
        if candidate in seen:
            continue
        seen.add(candidate)
        if candidate in known:
            p = known[candidate]
            return Placement(iri, p.lat, p.lon, candidate)
        queue.extend(up.get(candidate, ()))
    return None


def placements(place_iris) -> dict[str, Placement]:
    known, up = points(), parents()
    found = {}
    for iri in place_iris:
        where = place(iri, known, up)
        if where is not None:
            found[iri] = where
    return found


# -- projection --------------------------------------------------------------------------

@dataclass(frozen=True)
class Frame:
    """A map frame: the area shown (degrees) and its size in SVG units."""
    west: float
    south: float
    east: float
    north: float
    width: int
    height: int

    @property
    def scale(self) -> float:
        return self.width / ((self.east - self.west) * math.cos(math.radians((self.north + self.south) / 2)))

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        k = math.cos(math.radians((self.north + self.south) / 2))
        return ((lon - self.west) * k * self.scale, (self.north - lat) * self.scale)

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


def frame_for(spots: list[tuple[float, float]], width: int, *, min_span: float = 8.0, pad: float = 0.15,
              aspect: tuple[float, float] = (0.45, 0.8)) -> Frame:
    """A frame around ``spots`` (lat, lon) with a margin, at least ``min_span`` degrees wide,
    its height between aspect[0] and aspect[1] times its width."""
    if not spots:
        spots = [(0.0, 0.0)]
    lats, lons = [s[0] for s in spots], [s[1] for s in spots]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    lat_span = max(north - south, min_span * 0.5)
    lon_span = max(east - west, min_span)
    mid_lat, mid_lon = (north + south) / 2, (east + west) / 2
    lat_span *= 1 + 2 * pad
    lon_span *= 1 + 2 * pad
    k = math.cos(math.radians(max(-80.0, min(80.0, mid_lat))))
    ratio = lat_span / (lon_span * k)
    if ratio < aspect[0]:
        lat_span = aspect[0] * lon_span * k
    elif ratio > aspect[1]:
        lon_span = lat_span / (aspect[1] * k)
    south, north = max(-85.0, mid_lat - lat_span / 2), min(85.0, mid_lat + lat_span / 2)
    west, east = max(-180.0, mid_lon - lon_span / 2), min(180.0, mid_lon + lon_span / 2)
    k = math.cos(math.radians((north + south) / 2))
    height = round(width * (north - south) / ((east - west) * k))
    return Frame(round(west, 4), round(south, 4), round(east, 4), round(north, 4), width, max(1, height))


# -- the outlines ------------------------------------------------------------------------

@dataclass
class Country:
    name: str
    bbox: tuple[float, float, float, float]        # west, south, east, north
    rings: list[list[tuple[float, float]]] = field(default_factory=list)


@lru_cache(maxsize=2)
def _countries(path: Path = BASEMAP) -> tuple[Country, ...] | None:
    try:
        with path.open(encoding="utf-8") as handle:
            collection = json.load(handle)
    except FileNotFoundError:
        return None
    countries = []
    for item in collection.get("features", []):
        geometry = item.get("geometry") or {}
        polygons = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        elif geometry.get("type") != "MultiPolygon":
            continue
        rings = [[(float(x), float(y)) for x, y in ring] for polygon in polygons for ring in polygon]
        if not rings:
            continue
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        countries.append(Country((item.get("properties") or {}).get("name", ""),
                                 (min(xs), min(ys), max(xs), max(ys)), rings))
    return tuple(countries)


def preload() -> None:
    """Reads the outlines now rather than at the first map."""
    _countries(COARSE_BASEMAP)
    _countries(BASEMAP)


def basemap_installed() -> bool:
    return BASEMAP.is_file() and COARSE_BASEMAP.is_file()


@lru_cache(maxsize=64)
def outlines(frame: Frame) -> tuple[tuple[str, str], ...]:
    """(country name, SVG path data) of every country in the frame, simplified to what the
    frame's resolution shows (points closer than half a unit to the last kept are dropped)."""
    countries = _countries(COARSE_BASEMAP if frame.east - frame.west > COARSE_ABOVE else BASEMAP) or ()
    margin = (frame.east - frame.west) * 0.05
    drawn = []
    for country in countries:
        west, south, east, north = country.bbox
        if east < frame.west - margin or west > frame.east + margin \
                or north < frame.south - margin or south > frame.north + margin:
            continue
        parts = []
        for ring in country.rings:
            xs = [lon for lon, _ in ring]
            if max(xs) < frame.west - margin or min(xs) > frame.east + margin:
                continue
            kept: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = frame.xy(lat, lon)
                if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 0.5:
                    kept.append((x, y))
            if len(kept) < 3:
                continue
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
        if parts:
            drawn.append((country.name, "".join(parts)))
    return tuple(drawn)


# -- markers -----------------------------------------------------------------------------

@dataclass
class Cluster:
    x: float
    y: float
    members: list = field(default_factory=list)


def cluster(items, position, cell: float) -> list[Cluster]:
    """Items whose positions fall in the same ``cell``-sized square drawn as one marker
    (what keeps a map of thousands of places readable); ``position(item)`` gives (x, y)."""
    cells: dict[tuple[int, int], Cluster] = {}
    for item in items:
        x, y = position(item)
        key = (int(x // cell), int(y // cell))
        found = cells.get(key)
        if found is None:
            found = cells[key] = Cluster(0.0, 0.0)
        found.members.append((item, x, y))
    out = []
    for found in cells.values():
        n = len(found.members)
        found.x = sum(x for _, x, _ in found.members) / n
        found.y = sum(y for _, _, y in found.members) / n
        found.members = [item for item, _, _ in found.members]
        out.append(found)
    return sorted(out, key=lambda c: (c.y, c.x))


def radius(count: int, smallest: float = 4.0, largest: float = 16.0, most: int = 1) -> float:
    """A marker radius whose area grows with ``count`` (relative to the ``most`` of the map)."""
    if count <= 0 or most <= 0:
        return smallest
    return smallest + (largest - smallest) * math.sqrt(min(count, most) / most)
