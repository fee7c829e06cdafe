"""/network: persons and organizations and what links them, filterable by kind of relation,
document and date.  The page lists every relation as text with its statements (it needs no
script); static/network.js draws the same edges with Cytoscape.js from /network.json."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from archivekg.endpoint.errors import ApiError
from archivekg.site.render import network, pages

bp = pages.blueprint("network")

DEFAULT_NODES, MOST_NODES = 100, 1000
LISTED = 500           # relations listed as text on the page


def _date(name: str, end: bool) -> str | None:
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    parts = value.split("-")
    if not all(p.isdigit() for p in parts) or len(parts) > 3 or len(parts[0]) != 4:
        raise ApiError(400, "bad-date", f"{name}={value!r} is not a year, a month or a day "
                       "(1937, 1937-09, 1937-09-21).", parameter=name)
    if len(parts) == 3:
        return value
    if len(parts) == 2:
        return f"{value}-31" if end else f"{value}-01"
    return f"{value}-12-31" if end else f"{value}-01-01"


def _filters() -> network.Filters:
    relations = {r for r in request.args.getlist("relation") if r in network.RELATIONS}
    unknown = [r for r in request.args.getlist("relation") if r not in network.RELATIONS]
    if unknown:
        raise ApiError(400, "unknown-relation", f"relation={unknown[0]!r} is not one of: "
                       + ", ".join(network.RELATIONS) + ".", relations=list(network.RELATIONS))
    return network.Filters(relations, request.args.get("document") or None, _date("from", False),
                           _date("to", True), request.args.get("focus") or None)


def _size() -> int:
    return max(10, min(MOST_NODES, request.args.get("nodes", DEFAULT_NODES, type=int) or DEFAULT_NODES))


@bp.get("/network")
def page():
    filters = _filters()
    model = network.view(filters, most_nodes=_size())
    args: dict[str, Any] = request.args.to_dict(flat=False)     # Any: as timeline._href says
    present = sorted({e.relation for e in network.graph().edges}, key=network.RELATIONS.index)
    return pages.page("network.html", title="Network", **model, filters=filters, relations=present,
                      json_href=url_for("network.data", **args),
                      nodes_limit=_size(), listed_limit=LISTED)


@bp.get("/network.json")
def data():
    model = network.view(_filters(), most_nodes=_size())
    nodes = [{"data": {"id": n.id, "label": n.link.label, "href": n.link.href, "kind": n.kind,
                       "degree": n.degree}} for n in model["nodes"]]
    ids = {n.link.iri: n.id for n in model["nodes"]}
    edges = [{"data": {"id": e.id, "source": ids[e.source.iri], "target": ids[e.target.iri],
                       "relation": e.relation, "directed": e.directed, "row": "#" + e.id,
                       "label": f"{e.source.label} — {e.relation} — {e.target.label}",
                       "statements": [{"quote": q, "document": d.label, "documentHref": d.href, "href": h}
                                      for q, d, h in e.statements],
                       "more": max(0, e.said - len(e.statements))}} for e in model["edges"]]
    response = jsonify({"nodes": nodes, "edges": edges, "total": model["total_nodes"]})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
