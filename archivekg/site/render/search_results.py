"""Search hits and facets as pages and JSON show them."""

from __future__ import annotations

import threading
from pathlib import Path

from archivekg.endpoint.errors import ApiError
from archivekg.errors import ArchiveKGError
from archivekg.release.search.reader import Hit, Page, SearchIndex
from archivekg.site.render import iris, pages
from archivekg.site.render.search_params import CATEGORIES, Request, span_text

FACET_TITLES = {"category": "Kind", "type": "Type", "document": "Document", "archive": "Archive",
                "certainty": "Certainty", "status": "Status"}
#: Facets whose values are resources of the dataset (their labels come from the index).
RESOURCE_FACETS = ("document", "archive")
TYPE_WORDS = {"ArchivalDocument": "Document", "Statement": "Statement", "Passage": "Passage of a text"}

_indexes: dict[str, SearchIndex] = {}
_lock = threading.Lock()


def search_index() -> SearchIndex:
    """The served release's search index, opened once per process."""
    release = pages.served_release()
    if release is None:
        raise ApiError(503, "search-unavailable",
                       "Search and the index pages need a built release: this server serves RDF files "
                       "(`archivekg serve FILE...`). Run `archivekg build` and `archivekg serve` to have them.")
    key = str(release)
    found = _indexes.get(key)
    if found is None:
        with _lock:
            found = _indexes.get(key)
            if found is None:
                if not (Path(release) / "search" / "manifest.json").is_file():
                    raise ApiError(503, "search-unavailable",
                                   f"The served release ({Path(release).name}) was built without a search "
                                   "index; run `archivekg build` again with this version of archivekg.")
                try:
                    found = SearchIndex(release)
                except ArchiveKGError as exc:
                    raise ApiError(503, "search-unavailable", f"Search is not available: {exc}.") from None
                _indexes.clear()
                _indexes[key] = found
    return found


def type_label(name: str) -> str:
    return TYPE_WORDS.get(name) or iris.humanize(name)


def href(hit: Hit) -> str | None:
    return iris.href(hit.iri)


def hit_view(hit: Hit) -> dict:
    documents = [{"iri": d[0], "title": d[1] or iris.id_path(d[0]) or d[0], "date": d[2] if len(d) > 2 else None,
                  "href": iris.href(d[0])} for d in hit.documents]
    return {"kind": hit.kind, "category": hit.category, "type": hit.type, "type_label": type_label(hit.type),
            "iri": hit.iri, "href": href(hit), "label": hit.label, "label_marks": hit.label_marks,
            "snippet": hit.snippet, "documents": documents, "doc_count": hit.doc_count,
            "date": hit.extra.get("date") or span_text(hit.start, hit.end), "certainty": hit.certainty,
            "statuses": hit.statuses, "match": hit.match, "matched_name": hit.matched_name,
            "weight": hit.weight, "subject": hit.extra.get("subject"), "parent": hit.parent}


def hit_json(hit: Hit) -> dict:
    view = hit_view(hit)
    return {
        "id": hit.iri, "label": hit.label, "kind": hit.kind, "category": hit.category, "type": hit.type,
        "page": view["href"], "score": None if hit.score is None else round(hit.score, 4),
        "match": hit.match, "matched_name": hit.matched_name,
        "text": "".join(text for text, _ in hit.snippet) or None,
        "highlighted": [text for text, marked in hit.snippet + hit.label_marks if marked],
        "documents": [{"id": d["iri"], "title": d["title"], "date": d["date"], "page": d["href"]}
                      for d in view["documents"]],
        "document_count": hit.doc_count, "date": view["date"], "certainty": hit.certainty,
        "status": hit.statuses, "weight": hit.weight, "part_of": hit.parent,
    }


def facet_views(index: SearchIndex, page: Page, req: Request, path: str) -> list[dict]:
    selected = {k: {v for key, v in req.given if key == k} for k in FACET_TITLES}
    selected["document"] = {iris.resource_iri(v) if not v.startswith("http") else v for v in selected["document"]}
    selected["archive"] = {iris.resource_iri(v) if not v.startswith("http") else v for v in selected["archive"]}
    wanted = {value for name in RESOURCE_FACETS for value, _ in page.facets.get(name, [])}
    wanted |= selected["document"] | selected["archive"]
    labels = index.labels(wanted)
    views = []
    for name, title in FACET_TITLES.items():
        counted = dict(page.facets.get(name, []))
        values = list(counted) + sorted(selected[name] - set(counted))
        if not values or (len(values) == 1 and not selected[name] and name != "category"):
            continue
        entries = []
        for value in values:
            shown = value
            if name in RESOURCE_FACETS:
                shown = iris.id_path(value) or value
            label = (CATEGORIES.get(value, value) if name == "category" else type_label(value) if name == "type"
                     else labels.get(value, shown) if name in RESOURCE_FACETS else value)
            entries.append({"value": shown, "label": label, "count": counted.get(value, 0),
                            "selected": value in selected[name], "href": req.toggled(path, name, shown)})
        views.append({"name": name, "title": title, "entries": entries})
    return views


def facets_json(views: list[dict]) -> dict:
    return {view["name"]: [{"value": e["value"], "label": e["label"], "count": e["count"], "selected": e["selected"]}
                           for e in view["entries"]] for view in views}


def pager(req: Request, total: int, path: str) -> dict:
    pages_count = max(1, -(-total // req.per_page))
    return {"page": req.page, "pages": pages_count, "total": total, "per_page": req.per_page,
            "first": req.offset + 1 if total else 0, "last": min(total, req.offset + req.per_page),
            "previous": req.url(path, page=req.page - 1) if req.page > 1 else None,
            "next": req.url(path, page=req.page + 1) if req.page < pages_count else None}


def check_page(req: Request, total: int, path: str) -> None:
    if req.page > 1 and req.offset >= total:
        last = max(1, -(-total // req.per_page))
        raise ApiError(400, "page-out-of-range",
                       f"page={req.page} is past the last page ({last}) of these {total} results.",
                       last_page=last, last_page_url=req.url(path, page=last))
