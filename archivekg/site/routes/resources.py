"""Dereferencing the IRIs of things (W3C "Cool URIs for the Semantic Web", 303 style).

``/id/x`` names the thing itself (a person, an event), which no HTTP answer can be; it
answers 303 See Other to a document about it: ``/page/x`` (HTML) or ``/data/x.<ext>``
(RDF), chosen by the Accept header, by ``format=`` or by an extension.  The documents
answer 200; ``/data/x`` without an extension negotiates among the RDF formats itself.
"""

from __future__ import annotations

import re

from flask import Response, redirect, request, url_for

from archivekg import rdfformats as formats
from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.negotiation import choose
from archivekg.site.render import describe as describing
from archivekg.site.render import document_page, entity_page, event_page, iris, pages, sparql, statement_page

bp = pages.blueprint("resources")

AKG = iris.ONTOLOGY_NS
HTML_NAMES = ("html", "htm", "text/html", "page")
# Turtle, JSON-LD, N-Triples and RDF/XML, and the two dataset formats that keep graph names.
EXTENSIONS = {formats.BY_NAME[name].extension: name
              for name in ("turtle", "jsonld", "ntriples", "rdfxml", "trig", "nquads")}
EXTENSION_OF = {name: ext for ext, name in EXTENSIONS.items()}
RDF_OFFERS = tuple(formats.BY_NAME[name] for name in EXTENSIONS.values())
_EXTENSION = re.compile(r"^(?P<path>.+)\.(?P<ext>[a-z]+)$")


class _Html:
    name = "html"
    media_types = pages.HTML_TYPES


OFFERS: tuple[_Html | formats.AnyFormat, ...] = (_Html(), *RDF_OFFERS)


def resource_iri(path: str) -> str:
    value = iris.resource_iri(path)
    try:
        sparql.iri(value)
    except ValueError:
        raise ApiError(404, "not-an-iri",
                       f"/id/{path} does not name a resource: {value!r} is not a valid IRI.") from None
    return value


def exists(value: str) -> bool:
    target = sparql.iri(value)
    return sparql.ask(f"ASK {{ {{ {target} ?p ?o }} UNION {{ ?s ?p {target} }} }}")


def unknown(value: str) -> ApiError:
    tail = value.rstrip("/").rsplit("/", 1)[-1].lower()
    words = sorted((w for w in re.split(r"[^a-z0-9]+", tail) if len(w) >= 3), key=len, reverse=True)
    suggestions = []
    if words:
        needle = words[0]           # [a-z0-9]+ only: safe inside a SPARQL string
        rows = sparql.select(f"""
            SELECT DISTINCT ?x ?l WHERE {{
              VALUES ?p {{ akg:name akg:label akg:title }} ?x ?p ?l
              FILTER(isIRI(?x) && (CONTAINS(LCASE(STR(?l)), "{needle}") || CONTAINS(LCASE(STR(?x)), "{needle}")))
            }} ORDER BY ?l LIMIT 8""")
        suggestions = [{"iri": sparql.bound(r, "x"), "label": sparql.bound(r, "l"), "page": iris.page_url(sparql.bound(r, "x"))}
                       for r in rows]
    return ApiError(404, "unknown-resource",
                    f"Nothing in this dataset has the IRI <{value}>. Check the address, or look for "
                    "the thing on the home page or with a query.",
                    iri=value, suggestions=suggestions)


def _split_extension(path: str) -> tuple[str, str | None]:
    match = _EXTENSION.match(path)
    if match and match.group("ext") in EXTENSIONS:
        return match.group("path"), EXTENSIONS[match.group("ext")]
    if match and match.group("ext") in ("html", "htm"):
        return match.group("path"), "html"
    return path, None


def _requested_format() -> str | None:
    value = request.args.get("format")
    if value is None:
        return None
    if value.strip().lower() in HTML_NAMES:
        return "html"
    fmt = formats.lookup(value, RDF_OFFERS)
    if fmt is None:
        raise ApiError(400, "unknown-format",
                       f"format={value!r} is not a format of this resource; use html or one of "
                       f"{', '.join(EXTENSIONS)}.", acceptable=["html", *EXTENSIONS])
    return fmt.name


def _not_acceptable() -> ApiError:
    media = [t for offer in OFFERS for t in offer.media_types[:1]]
    return ApiError(406, "not-acceptable",
                    "This resource is described in HTML and RDF only; acceptable: " + ", ".join(media)
                    + " (or add format=html|ttl|jsonld|nt|rdf).", acceptable=media)


@bp.get("/id/<path:path>")
def thing(path: str):
    value = resource_iri(path)
    choice = _requested_format()
    if not exists(value):
        bare, from_extension = _split_extension(path)
        if from_extension is None:
            raise unknown(value)
        if not exists(resource_iri(bare)):
            raise unknown(resource_iri(bare))
        path, choice = bare, choice or from_extension
    if choice is None:
        offer = choose(request.headers.get("Accept"), OFFERS)
        if offer is None:
            raise _not_acceptable()
        choice = offer.name
    if choice == "html":
        target = _page_url(iris.resource_iri(path))
    else:
        target = _data_url(iris.resource_iri(path), EXTENSION_OF[choice])
    response = redirect(target, code=303)
    response.vary.add("Accept")
    return response


@bp.get("/page/<path:path>")
def page(path: str):
    value = resource_iri(path)
    description = describing.describe(value)
    if not description.exists and not exists(value):
        raise unknown(value)
    template, build = _page_kind(description)
    context = build(description)
    return pages.page(template, iri=value, data_links=_data_links(value), index_link=_index_link(description),
                      **context)


#: The index page each kind of thing is listed on (browse.py), most specific class first.
INDEX_OF = (("ArchivalDocument", "documents"), ("Factoid", "statements"), ("Mention", "statements"),
            ("Decree", "decrees"), ("Person", "persons"), ("Group", "organizations"),
            ("Organization", "organizations"), ("Place", "places"), ("Event", "events"))


def _index_link(d: describing.Description) -> tuple[str, str] | None:
    from archivekg.site.routes.browse import INDEXES
    for cls, name in INDEX_OF:
        if d.is_a(AKG + cls):
            return f"All {INDEXES[name].title.lower()}", url_for("browse.listing", name=name)
    return None


def _page_kind(d: describing.Description):
    if d.is_a(AKG + "ArchivalDocument"):
        return "document.html", document_page.context
    if d.is_a(AKG + "Factoid") or d.is_a(AKG + "Mention"):
        return "statement.html", statement_page.context
    if d.is_a(AKG + "Event") or d.is_a(AKG + "Decree"):
        return "event.html", event_page.context
    return "entity.html", entity_page.context


def _data_links(value: str) -> list[tuple[str, str, str]]:
    return [(formats.BY_NAME[name].label, formats.BY_NAME[name].media_type, _data_url(value, ext))
            for ext, name in EXTENSIONS.items()]


def _page_url(value: str) -> str:
    url = iris.page_url(value)
    assert url is not None, "a resource IRI (<BASE>id/...) has a page"
    return url


def _data_url(value: str, extension: str) -> str:
    url = iris.data_url(value, extension)
    assert url is not None, "a resource IRI (<BASE>id/...) has data"
    return url


@bp.get("/data/<path:path>")
def data(path: str):
    value = resource_iri(path)
    choice = _requested_format()
    description = describing.describe(value)
    negotiated = False
    if not description.exists:
        bare, from_extension = _split_extension(path)
        if from_extension not in (None, "html"):
            candidate = describing.describe(resource_iri(bare))
            if not candidate.exists and not exists(candidate.iri):
                raise unknown(candidate.iri)
            value, description, path = candidate.iri, candidate, bare
            choice = choice or from_extension
        elif not exists(value):
            raise unknown(value)
    if choice == "html":
        return redirect(_page_url(value), code=303)
    if choice is None:
        fmt = choose(request.headers.get("Accept"), RDF_OFFERS)
        if fmt is None:
            raise _not_acceptable()
        choice, negotiated = fmt.name, True
    fmt = formats.BY_NAME[choice]
    document_url = _data_url(value, EXTENSION_OF[choice])
    quads = describing.rdf_quads(description, document_url, pages.license_iri())
    response = Response(describing.serialize(quads, choice), content_type=fmt.content_type)
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = document_url
    response.headers["Link"] = f'<{iris.page_url(value)}>; rel="alternate"; type="text/html"'
    return response
