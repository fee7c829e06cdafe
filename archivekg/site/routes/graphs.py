"""Named graph IRIs (``<BASE>graph/<name>``): a graph is itself a document (a set of
triples), so its IRI answers 200 with content negotiation: a page saying what the graph
holds, or its triples in any RDF format (``.ttl``, ``.trig``, … or ``format=``)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, request

from archivekg import rdfformats as formats
from archivekg.endpoint.backend import backend
from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.negotiation import choose
from archivekg.endpoint.protocol import LIMIT_HEADER, TRUNCATED_HEADER
from archivekg.site.render import iris, pages, sparql
from archivekg.site.render.describe import serialize
from archivekg.site.render.labels import Labels
from archivekg.site.routes.resources import EXTENSION_OF, EXTENSIONS, HTML_NAMES, OFFERS, RDF_OFFERS

bp = pages.blueprint("graphs")

SAMPLE_SUBJECTS = 50


def _format(extension: str | None) -> tuple[str, bool]:
    if extension is not None:
        if extension in ("html", "htm"):
            return "html", False
        if extension not in EXTENSIONS:
            raise ApiError(404, "unknown-extension",
                           f"No such format .{extension}; use one of {', '.join('.' + e for e in EXTENSIONS)}.")
        return EXTENSIONS[extension], False
    requested = request.args.get("format")
    if requested is not None:
        if requested.strip().lower() in HTML_NAMES:
            return "html", False
        fmt = formats.lookup(requested, RDF_OFFERS)
        if fmt is None:
            raise ApiError(400, "unknown-format", f"format={requested!r} is not html or one of "
                           f"{', '.join(EXTENSIONS)}.", acceptable=["html", *EXTENSIONS])
        return fmt.name, False
    offer = choose(request.headers.get("Accept"), OFFERS)
    if offer is None:
        raise ApiError(406, "not-acceptable", "Acceptable: text/html and the RDF formats "
                       + ", ".join(f.media_type for f in RDF_OFFERS),
                       acceptable=["text/html", *(f.media_type for f in RDF_OFFERS)])
    return offer.name, True


@bp.get("/graph/<path:name>")
def graph(name: str):
    extension = None
    if "." in name.rsplit("/", 1)[-1]:
        stem, _, ext = name.rpartition(".")
        if ext in EXTENSIONS or ext in ("html", "htm"):
            name, extension = stem, ext
    value = iris.graph_iri(name)
    try:
        target = sparql.iri(value)
    except ValueError:
        raise ApiError(404, "unknown-graph", f"{value!r} is not a graph IRI.") from None
    counts = backend().statistics()["graphs"]
    if value not in counts:
        raise ApiError(404, "unknown-graph",
                       f"This dataset has no graph <{value}>; its graphs are listed on the "
                       "download page and in the VoID description.", graphs=sorted(counts))
    choice, negotiated = _format(extension)
    if choice == "html":
        return _page(value, target, counts[value])
    limit = backend().max_results
    if formats.BY_NAME[choice].name in ("trig", "nquads"):
        body, truncated = sparql.construct("CONSTRUCT WHERE { ?s ?p ?o }", fmt="ntriples",
                                           limit=limit, default_graph=[value])
        graph_node = ox.NamedNode(value)
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph_node)
                 for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        body = serialize(quads, choice)
    else:
        body, truncated = sparql.construct("CONSTRUCT WHERE { ?s ?p ?o }", fmt=choice, limit=limit,
                                           default_graph=[value])
    response = Response(body, content_type=formats.BY_NAME[choice].content_type)
    if truncated:
        response.headers[TRUNCATED_HEADER] = "true"
        response.headers[LIMIT_HEADER] = str(limit)
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = iris.data_url(value, EXTENSION_OF[choice])
    return response


def _page(value: str, target: str, count: int):
    document = None
    name = iris.graph_name(value)
    assert name is not None, "a graph's IRI is <BASE>graph/name"
    candidate = iris.resource_iri(name)
    if sparql.ask(f"ASK {{ {sparql.iri(candidate)} a akg:ArchivalDocument }}"):
        document = candidate
    subjects = sparql.select(f"SELECT DISTINCT ?s WHERE {{ GRAPH {target} {{ ?s ?p ?o }} FILTER(isIRI(?s)) }} "
                             f"ORDER BY ?s LIMIT {SAMPLE_SUBJECTS}")
    labels = Labels()
    labels.want(document, *[r["s"] for r in subjects])
    labels.resolve()
    return pages.page("graph.html", title=f"Graph {name}", iri=value, count=count,
                     document=labels.link(document) if document else None,
                     subjects=[labels.link(r["s"]) for r in subjects], sample=SAMPLE_SUBJECTS,
                     data_links=[(formats.BY_NAME[n].label, formats.BY_NAME[n].media_type,
                                  iris.data_url(value, ext)) for ext, n in EXTENSIONS.items()])
