"""Index pages: every person, organization and group, place, event, decree, document and
statement, paged (no silent cut), sortable, filtered by the same facets as search, and
downloadable as CSV and JSON with the same filters (``format=csv|json``).

Places are also shown as their hierarchy (``view=tree``): one level at a time, each place
with how many places it holds, ``within=`` the place whose parts are listed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from flask import Response, current_app, jsonify, url_for

from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.protocol import LIMIT_HEADER, TRUNCATED_HEADER
from archivekg.release.search.reader import Filters
from archivekg.site.render import iris, pages, search_params
from archivekg.site.render.search_results import (
    check_page,
    facet_views,
    hit_json,
    hit_view,
    pager,
    search_index,
    type_label,
)

bp = pages.blueprint("browse")


@dataclass(frozen=True)
class Index:
    title: str
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ("entity",)
    sorts: tuple[str, ...] = ("name", "mentions", "date")
    description: str = ""
    tree: bool = False


INDEXES = {
    "persons": Index("Persons", ("person",), description="Everyone the documents name."),
    "organizations": Index("Organizations and groups", ("organization", "group"),
                           description="Bodies, parties, ministries, and groups of people such as the Soviet Koreans."),
    "places": Index("Places", ("place",), tree=True,
                    description="Countries, republics, provinces, districts, cities and islands, each within its parent."),
    "events": Index("Events", ("event",), sorts=("date", "name", "mentions"),
                    description="Meetings, reports, resettlements and deportations, party actions and posts, by type."),
    "decrees": Index("Decrees", ("decree",), sorts=("date", "name", "mentions"),
                     description="Decrees, resolutions and decisions, draft or adopted."),
    "documents": Index("Documents", ("document",), sorts=("date", "name"),
                       description="The archival documents of the corpus."),
    "statements": Index("Statements", ("statement",), kinds=("statement",), sorts=("date", "name"),
                        description="What the documents state, each with the words that state it."),
}
CSV_COLUMNS = ("id", "label", "type", "date", "documents", "weight", "part_of", "certainty", "status", "quote",
               "document")


@bp.get("/browse")
def overview():
    index = search_index()
    counts = dict(index.browse(Filters(), limit=1).facets.get("category", []))
    rows = [(name, entry, sum(counts.get(c, 0) for c in entry.categories)) for name, entry in INDEXES.items()]
    return pages.page("browse_overview.html", title="Browse", indexes=rows)


@bp.get("/browse/<name>")
def listing(name: str):
    entry = INDEXES.get(name)
    if entry is None:
        raise ApiError(404, "unknown-index", f"There is no index of {name!r}; the indexes are "
                       f"{', '.join(INDEXES)}.", indexes=list(INDEXES))
    index = search_index()
    req = search_params.parse("browse", allowed=("sort", "view", "within"), sorts=entry.sorts,
                              known_types=index.known_types())
    path = url_for("browse.listing", name=name)
    categories = req.filters.categories
    if categories and not set(categories) <= set(entry.categories):
        raise ApiError(400, "unknown-facet-value", f"category={categories[0]!r} is not in the index of {name}; "
                       f"it holds {', '.join(entry.categories)}.", acceptable=list(entry.categories))
    view = req.view or "list"
    if view not in ("list", "tree") or (view == "tree" and not entry.tree):
        raise ApiError(400, "unknown-view", f"view={view!r} is not a view of this index; it has "
                       f"{'list and tree' if entry.tree else 'list'}.")
    filters = Filters(**{**req.filters.__dict__, "categories": categories or entry.categories, "kinds": entry.kinds})
    if req.format in ("csv", "json"):       # the whole list with these filters, whatever the view
        return _download(name, entry, filters, req)
    within = None
    if view == "tree":
        within = search_params.resource(req.within, "within") if req.within else None
        filters = Filters(**{**filters.__dict__, "parent": within})
    assert req.sort is not None, "every index has its sorts"
    if view == "tree" and within is None:
        result = index.roots(filters, sort=req.sort, offset=req.offset, limit=req.per_page)
    else:
        result = index.browse(filters, sort=req.sort, text=req.text, offset=req.offset, limit=req.per_page)
    check_page(req, result.total, path)
    facets = [f for f in facet_views(index, result, req, path) if f["name"] != "category" or len(entry.categories) > 1]
    hits = [hit_view(hit) for hit in result.hits]
    children = index.children([h["iri"] for h in hits], Filters(categories=("place",))) if entry.tree else {}
    parents = index.labels({h["parent"] for h in hits if h["parent"]})
    for hit in hits:
        hit["children"] = children.get(hit["iri"], 0)
        hit["parent_label"] = parents.get(hit["parent"]) if hit["parent"] else None
        hit["parent_href"] = iris.href(hit["parent"]) if hit["parent"] else None
        if hit["children"]:
            hit["tree_href"] = req.url(path, drop=("page", "within", "sort"), view="tree",
                                       within=iris.id_path(hit["iri"]) or hit["iri"])
    return pages.page(
        "browse.html", title=entry.title, name=name, entry=entry, req=req, result=result, hits=hits,
        facets=facets, pager=pager(req, result.total, path), view=view, trail=_trail(index, within, req, path),
        sorts=[(s, req.url(path, sort=s), s == req.sort) for s in entry.sorts],
        downloads=[(fmt.upper(), req.url(path, drop=("page", "per_page", "view", "within"), format=fmt))
                   for fmt in ("csv", "json")],
        views=[("list", req.url(path, drop=("page", "within"), view=None), view == "list"),
               ("tree", req.url(path, drop=("page", "within"), view="tree"), view == "tree")] if entry.tree else [],
        tree_url=req.url(path, drop=("page", "within"), view="tree"))


def _trail(index, within: str | None, req, path: str) -> list[tuple[str, str]]:
    """The places above ``within``, outermost first, each a link to its level."""
    trail: list[tuple[str, str]] = []
    seen: set[str] = set()
    current = within
    while current and current not in seen and len(trail) < 12:
        seen.add(current)
        hit = index.entity(current)
        if hit is None:
            if current == within:
                raise ApiError(404, "unknown-place", f"within={req.within!r} is not a place of this dataset.")
            break
        trail.append((hit.label, req.url(path, drop=("page", "within"), view="tree",
                                         within=iris.id_path(hit.iri) or hit.iri)))
        current = hit.parent
    return list(reversed(trail))


def _download(name: str, entry: Index, filters: Filters, req) -> Response:
    limit = int(current_app.config["MAX_RESULTS"])
    hits, total = search_index().all_hits(filters, sort=req.sort, text=req.text, limit=limit)
    filename = f"archivekg-{name}.{req.format}"
    if req.format == "json":
        response = jsonify({"index": name, "total": total, "results": [hit_json(hit) for hit in hits]})
    else:
        response = Response(_csv(hits), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if total > len(hits):
        response.headers[TRUNCATED_HEADER] = "true"
        response.headers[LIMIT_HEADER] = str(limit)
    return response


def _csv(hits) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        view = hit_view(hit)
        document = hit.extra.get("document") or [None]
        writer.writerow([hit.iri, hit.label, type_label(hit.type), view["date"] or "", hit.doc_count,
                         _number(hit.weight), hit.parent or "", hit.certainty or "", " ".join(hit.statuses),
                         hit.text if hit.kind == "statement" else "",
                         document[0] or ""])
    return out.getvalue()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else json.dumps(value)
