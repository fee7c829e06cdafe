"""/timeline: every dated event and decree, and every event dated only by its document (marked
so), drawn as SVG on the server with the same events as a list, filtered by kind, person or
organization, place and document, over a period from decades down to days."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from flask import request, url_for

from archivekg.endpoint.errors import ApiError
from archivekg.site.render import pages
from archivekg.site.render import timeline_model as model
from archivekg.site.render.labels import Labels

bp = pages.blueprint("timeline")
LISTED_OPTIONS = 300
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _filters() -> model.Filters:
    try:
        since = model.period(request.args.get("from"), end=False)
        until = model.period(request.args.get("to"), end=True)
    except ValueError as exc:
        raise ApiError(400, "bad-period", f"{exc.args[0]!r} is not a year, a month or a day "
                       "(1937, 1937-09, 1937-09-21).") from None
    family = request.args.get("type") or None
    if family is not None and family not in dict(model.LEGEND):
        raise ApiError(400, "unknown-type", f"type={family!r} is not one of: {', '.join(dict(model.LEGEND))}.")
    return model.Filters(family, request.args.get("person") or None, request.args.get("place") or None,
                         request.args.get("document") or None, since, until)


def _href(**changes) -> str:
    # Any: url_for's own keywords (_external ...) are not str, and mypy cannot tell them apart.
    args: dict[str, Any] = {k: v for k, v in request.args.items() if v}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for("timeline.timeline", **args)


def _zoom(events: list[model.Event], filters: model.Filters) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """Links to the periods one can zoom to: decades, the years of a decade, the months of a
    year, (a month then shows its days)."""
    current = (request.args.get("from"), request.args.get("to"))
    years = sorted({int(ev.start[:4]) for ev in events} | {int(ev.end[:4]) for ev in events})
    levels = []
    decades = sorted({y - y % 10 for y in years})
    levels.append(("Decades", [(f"{d}s", _href(**{"from": str(d), "to": str(d + 9)}),
                                current == (str(d), str(d + 9))) for d in decades]))
    since, until = filters.since, filters.until
    if since and until:
        first, last = date.fromisoformat(since), date.fromisoformat(until)
        if last.year - first.year >= 1:
            shown = [y for y in years if first.year <= y <= last.year]
            levels.append(("Years", [(str(y), _href(**{"from": str(y), "to": str(y)}), current == (str(y), str(y)))
                                     for y in shown]))
        elif (last - first).days > 31:
            months = sorted({ev.start[:7] for ev in events if since <= ev.start <= until} |
                            {ev.end[:7] for ev in events if since <= ev.end <= until})
            levels.append(("Months", [(f"{MONTHS[int(m[5:]) - 1]} {m[:4]}", _href(**{"from": m, "to": m}),
                                       current == (m, m)) for m in months]))
    elif len(years) <= 12:
        levels.append(("Years", [(str(y), _href(**{"from": str(y), "to": str(y)}), False) for y in years]))
    return [level for level in levels if len(level[1]) > 0]


@bp.get("/timeline")
def timeline():
    filters = _filters()
    found = model.data()
    labels = Labels.known(found.labels)
    unfiltered = [ev for ev in found.events
                  if model.Filters(filters.family, filters.agent, filters.place, filters.document).keep(ev, found.within)]
    selected = [ev for ev in unfiltered if filters.keep(ev, found.within)]
    shown = selected[:model.MAX_EVENTS]
    drawn = model.chart(shown, labels, since=filters.since, until=filters.until)

    agents: Counter[str] = Counter()
    places: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for ev in found.events:
        for x in ev.involved:
            (places if x in found.places else agents)[x] += 1
        documents.update(ev.documents)
    options = {
        "person": _options(agents, labels, filters.agent),
        "place": _options(places, labels, filters.place),
        "document": _options(documents, labels, filters.document),
    }
    return pages.page("timeline.html", title="Timeline", chart=drawn, items=drawn["bars"] if drawn else [],
                      total=len(found.events) + len(found.undated), selected=len(selected), limit=model.MAX_EVENTS,
                      undated=[labels.link(e) for e in found.undated], legend=model.LEGEND,
                      zoom=_zoom(unfiltered or found.events, filters), filters=filters, options=options,
                      by_document=sum(1 for ev in shown if ev.by_document),
                      since=request.args.get("from") or "", until=request.args.get("to") or "",
                      all_href=url_for("timeline.timeline"), period_reset=_href(**{"from": None, "to": None}))


def _options(counts: Counter, labels: Labels, chosen: str | None) -> list[tuple[str, str, int, bool]]:
    ranked = sorted(counts, key=lambda x: (-counts[x], labels.label(x).lower()))[:LISTED_OPTIONS]
    if chosen and chosen not in ranked:
        ranked.append(chosen)
    return sorted(((x, labels.label(x), counts.get(x, 0), x == chosen) for x in ranked),
                  key=lambda o: o[1].lower())
