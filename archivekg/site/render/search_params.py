"""What a search or an index page is asked for, read from the URL and checked.

Every parameter is checked before the index is touched, and a wrong one gets a 400 that
says which parameter, what was given and what is accepted: an unknown facet, a date that is
not one, a page past the last, a text too long to be a search.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import request

from archivekg.endpoint.errors import ApiError
from archivekg.release.search.reader import Filters
from archivekg.site.render import iris

MAX_TEXT = 200                 # characters: a search, not a document
MAX_RESULTS_DEEP = 10_000      # no page starts past this hit: deep pages are a scan, not a search
PER_PAGE = {"search": (20, 100), "browse": (50, 200)}
CATEGORIES = {"person": "Persons", "organization": "Organizations", "group": "Groups", "place": "Places",
              "event": "Events", "decree": "Decrees", "document": "Documents", "statement": "Statements",
              "passage": "Passages of the texts"}
CERTAINTY = ("certain", "probable", "uncertain")
STATUS = ("planned", "executed", "cancelled", "draft", "adopted")
#: Parameter → what it filters; repeated parameters are alternatives (type=Person&type=Group).
FACET_PARAMETERS = {"category": "categories", "type": "types", "document": "documents", "archive": "archives",
                    "certainty": "certainty", "status": "status"}
COMMON = ("q", "page", "per_page", "from", "to", "format", *FACET_PARAMETERS)
_DATE = re.compile(r"^(-?\d{1,4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass
class Request:
    text: str
    filters: Filters
    page: int
    per_page: int
    format: str
    sort: str | None = None
    view: str | None = None
    within: str | None = None
    given: list[tuple[str, str]] = field(default_factory=list)      # the parameters, for links

    def value(self, key: str) -> str | None:
        return next((v for k, v in self.given if k == key), None)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def url(self, path: str, *, drop: tuple[str, ...] = ("page",), **changes) -> str:
        """``path`` with these parameters, ``changes`` applied (None removes a parameter; a
        tuple replaces all its values)."""
        return self._with(path, drop, changes)

    def _with(self, path: str, drop: tuple[str, ...], changes: dict[str, object]) -> str:
        pairs = [(k, v) for k, v in self.given if k not in drop and k not in changes]
        for key, value in changes.items():
            if value is None:
                continue
            values = value if isinstance(value, tuple) else (value,)
            pairs += [(key, str(v)) for v in values]
        return path + ("?" + urlencode(pairs) if pairs else "")

    def toggled(self, path: str, key: str, value: str) -> str:
        current = tuple(v for k, v in self.given if k == key)
        values = tuple(v for v in current if v != value) if value in current else current + (value,)
        return self._with(path, ("page",), {key: values or None})


def bad(code: str, message: str, **extra) -> ApiError:
    return ApiError(400, code, message, **extra)


def parse(kind: str, *, allowed: tuple[str, ...] = (), sorts: tuple[str, ...] = (),
          known_types: frozenset[str] | None = None, require_text: bool = False) -> Request:
    args = request.args
    unknown = sorted(set(args) - set(COMMON) - set(allowed))
    if unknown:
        raise bad("unknown-parameter", f"Unknown parameter {unknown[0]!r}; this page takes "
                  f"{', '.join(sorted(set(COMMON) | set(allowed)))}.", parameter=unknown[0])
    text = " ".join(args.get("q", "").split())
    if len(text) > MAX_TEXT:
        raise bad("search-too-long", f"The search text is {len(text)} characters long; the most a search "
                  f"takes is {MAX_TEXT}. Search for a name or a few words.", limit=MAX_TEXT)
    if require_text and not text:
        raise bad("empty-search", "Nothing to search for: give a name or some words as q=…")
    default, most = PER_PAGE[kind]
    per_page = _integer("per_page", default, 1, most)
    page = _integer("page", 1, 1, None)
    if (page - 1) * per_page >= MAX_RESULTS_DEEP:
        raise bad("page-out-of-range", f"page={page} starts past hit {MAX_RESULTS_DEEP:,}, the deepest a page "
                  "goes; narrow the search with a facet or a date instead.", limit=MAX_RESULTS_DEEP)
    fmt = args.get("format", "html").strip().lower() or "html"
    formats = ("html", "json", "csv") if kind == "browse" else ("html", "json")
    if fmt not in formats:
        raise bad("unknown-format", f"format={fmt!r} is not one of {', '.join(formats)}.", acceptable=list(formats))
    values: dict[str, tuple[str, ...]] = {}
    for parameter, attribute in FACET_PARAMETERS.items():
        chosen = tuple(dict.fromkeys(v.strip() for v in args.getlist(parameter) if v.strip()))
        values[attribute] = tuple(_facet_value(parameter, v, known_types) for v in chosen)
    date_from, date_to = _date("from", args.get("from"), first=True), _date("to", args.get("to"), first=False)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise bad("bad-date-range", f"from={args.get('from')} is after to={args.get('to')}.")
    sort = args.get("sort", sorts[0] if sorts else None)
    if sorts and sort not in sorts:
        raise bad("unknown-sort", f"sort={sort!r} is not one of {', '.join(sorts)}.", acceptable=list(sorts))
    filters = Filters(date_from=date_from, date_to=date_to, **values)  # type: ignore[arg-type]  # the keys are facet fields of Filters (FACET_PARAMETERS)
    given = [(k, v) for k, v in args.items(multi=True) if v.strip() and k != "format"]
    return Request(text, filters, page, per_page, fmt, sort, args.get("view"), args.get("within"), given)


def _integer(name: str, default: int, low: int, high: int | None) -> int:
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        return default
    if not raw.strip().isdigit() or len(raw.strip()) > 9:
        raise bad(f"bad-{name.replace('_', '-')}", f"{name}={raw!r} is not a whole number"
                  f"{f' from {low} to {high}' if high else f' from {low}'}.")
    value = int(raw)
    if value < low or (high is not None and value > high):
        raise bad(f"bad-{name.replace('_', '-')}", f"{name}={value} is out of range: give "
                  f"{f'{low} to {high}' if high else f'{low} or more'}.")
    return value


def _facet_value(parameter: str, value: str, known_types: frozenset[str] | None) -> str:
    if parameter == "category":
        if value not in CATEGORIES:
            raise bad("unknown-facet-value", f"category={value!r} is not one of {', '.join(CATEGORIES)}.",
                      parameter=parameter, acceptable=list(CATEGORIES))
    elif parameter == "certainty":
        if value not in CERTAINTY:
            raise bad("unknown-facet-value", f"certainty={value!r} is not one of {', '.join(CERTAINTY)}.",
                      parameter=parameter, acceptable=list(CERTAINTY))
    elif parameter == "status":
        if value not in STATUS:
            raise bad("unknown-facet-value", f"status={value!r} is not one of {', '.join(STATUS)}.",
                      parameter=parameter, acceptable=list(STATUS))
    elif parameter == "type":
        if known_types is not None and value not in known_types:
            raise bad("unknown-facet-value", f"type={value!r} is not a type of this dataset; its types are "
                      f"{', '.join(sorted(known_types))}.", parameter=parameter, acceptable=sorted(known_types))
    elif parameter in ("document", "archive"):
        return resource(value, parameter)
    return value


def resource(value: str, parameter: str) -> str:
    """An id (``memo-byakov-1954-12-20``) or a full IRI of this dataset, as an IRI."""
    if value.startswith(("http://", "https://")):
        return value
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._~/-]*", value) or len(value) > 300:
        raise bad("unknown-facet-value", f"{parameter}={value[:80]!r} is not the id of a {parameter} "
                  "(an id such as memo-byakov-1954-12-20, or its full IRI).", parameter=parameter)
    return iris.resource_iri(value)


def _date(name: str, raw: str | None, *, first: bool) -> int | None:
    if raw is None or not raw.strip():
        return None
    match = _DATE.match(raw.strip())
    month = int(match.group(2)) if match and match.group(2) else None
    day = int(match.group(3)) if match and match.group(3) else None
    if not match or (month is not None and not 1 <= month <= 12):
        raise bad("bad-date", f"{name}={raw!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD.", parameter=name)
    year = int(match.group(1))
    if month is None:
        month, day = (1, 1) if first else (12, 31)
    elif day is None:
        day = 1 if first else calendar.monthrange(max(year, 1), month)[1]
    if not 1 <= day <= calendar.monthrange(max(year, 1), month)[1]:
        raise bad("bad-date", f"{name}={raw!r} is not a day of the calendar.", parameter=name)
    value = abs(year) * 10000 + month * 100 + day
    return -value if year < 0 else value


def day_text(value: int | None) -> str | None:
    if value is None or abs(value) >= 99_999_999:
        return None
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


def span_text(start: int | None, end: int | None) -> str | None:
    first, last = day_text(start), day_text(end)
    if first is None:
        return None
    return first if last in (None, first) else f"{first} – {last}"
