"""Search (``/search?q=…``) and its autocomplete (``/search/complete?q=…``).

The page works without JavaScript: the box is a plain form, facets and pages are links.
``static/search.js`` only adds suggestions under the box as one types.  The same results
come as JSON with ``format=json`` or ``Accept: application/json``.
"""

from __future__ import annotations

import time

from flask import jsonify, request, url_for

from archivekg.endpoint.errors import ApiError
from archivekg.site.render import pages, search_params
from archivekg.site.render.search_results import (
    check_page,
    facet_views,
    facets_json,
    hit_json,
    hit_view,
    pager,
    search_index,
)

bp = pages.blueprint("search")

COMPLETIONS = 8
MAX_PREFIX = 100


def wants_json(req_format: str) -> bool:
    if "format" in request.args:
        return req_format == "json"
    return not pages.prefers_html()


@bp.get("/search")
def search():
    index = search_index()
    req = search_params.parse("search", known_types=index.known_types())
    path = url_for("search.search")
    as_json = wants_json(req.format)
    if not req.text:
        if as_json:
            raise ApiError(400, "empty-search", "Nothing to search for: give a name or some words as q=…")
        return pages.page("search.html", title="Search", req=req, result=None, facets=[], pager=None,
                          browse=_browse_links())
    started = time.perf_counter()
    result = index.search(req.text, req.filters, offset=req.offset, limit=req.per_page)
    check_page(req, result.total, path)
    facets = facet_views(index, result, req, path)
    paging = pager(req, result.total, path)
    if as_json:
        response = jsonify({
            "query": req.text, "total": result.total, "page": req.page, "per_page": req.per_page,
            "pages": paging["pages"], "loose": result.loose, "words": result.words,
            "results": [hit_json(hit) for hit in result.hits], "facets": facets_json(facets),
            "dates": {"first": search_params.day_text(result.span[0]), "last": search_params.day_text(result.span[1])},
            "next": paging["next"], "previous": paging["previous"]})
        response.vary.add("Accept")
        return response
    response = pages.page(
        "search.html", title=f"Search: {req.text}", req=req, result=result, facets=facets, pager=paging,
        hits=[hit_view(hit) for hit in result.hits], browse=_browse_links(),
        span=(search_params.day_text(result.span[0]), search_params.day_text(result.span[1])),
        json_url=req.url(path, drop=(), format="json"), elapsed=time.perf_counter() - started)
    response.vary.add("Accept")
    return response


@bp.get("/search/complete")
def complete():
    """The best entities for what has been typed so far, as JSON for the search box."""
    prefix = " ".join(request.args.get("q", "").split())
    if len(prefix) > MAX_PREFIX:
        raise ApiError(400, "search-too-long", f"q is {len(prefix)} characters; completion takes at most "
                       f"{MAX_PREFIX}.", limit=MAX_PREFIX)
    hits = search_index().complete(prefix, limit=COMPLETIONS) if prefix else []
    response = jsonify({"query": prefix, "results": [
        {"id": hit.iri, "label": hit.label, "name": hit.matched_name or hit.label, "type": hit.type,
         "category": hit.category, "page": hit_view(hit)["href"]} for hit in hits]})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _browse_links() -> list[tuple[str, str]]:
    from archivekg.site.routes.browse import INDEXES
    return [(index.title, url_for("browse.listing", name=name)) for name, index in INDEXES.items()]
