"""/map: every place with a point and every population movement of the corpus, drawn as SVG
on the server (no script needed) over the Natural Earth outlines, with the table the markers
and lines link to; /map.json: the same for the interactive layer (static/map.js, Leaflet)."""

from __future__ import annotations

from flask import current_app, jsonify, url_for

from archivekg.site.render import maps, pages

bp = pages.blueprint("maps")


@bp.get("/map")
def corpus():
    model = maps.corpus_map()
    return pages.page("map.html", title="Map", **model, json_href=url_for("maps.data"),
                      tiles=current_app.config.get("MAP_TILES") or "",
                      tiles_attribution=current_app.config.get("MAP_TILES_ATTRIBUTION") or "")


@bp.get("/map.json")
def data():
    model = maps.corpus_map()
    places = [{"id": row.anchor, "label": row.link.label, "href": row.link.href,
               "lat": row.placement.lat, "lon": row.placement.lon,
               "via": row.via.label if row.via else None, "events": row.events, "documents": row.documents,
               "row": "#" + row.anchor if row.anchor in model["listed"] else (row.link.href or "#places")}
              for row in model["placed_rows"]]
    flows = [{"id": row.anchor, "status": row.status, "row": "#" + row.anchor,
              "from": [row.origin_at.lat, row.origin_at.lon],
              "to": [row.destination_at.lat, row.destination_at.lon],
              "origin": row.origin.label, "destination": row.destination.label,
              "families": row.families, "people": row.people,
              "movements": [m.label for m in row.movements]}
             for row in model["flows"] if row.origin and row.destination]
    response = jsonify({"places": places, "flows": flows,
                        "basemap": url_for("ld_assets.static", filename="vendor/basemap/countries-110m.geojson")})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
