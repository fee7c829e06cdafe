"""The ontology and the SHACL shapes, documented from their Turtle files.

Both are hash namespaces (``…/ontology#Person``, ``…/shapes#PersonShape``): a client
dereferencing a term asks for ``/ontology`` (the fragment never reaches the server), and
gets the page, whose anchors are the terms, or the Turtle.  Pages are generated from the
files on every change of the files, so they cannot drift from what the build reads.
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from flask import Response, current_app, redirect, request
from rdflib.namespace import OWL, RDF

from archivekg import jsonld, rdfformats
from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.negotiation import choose
from archivekg.site.render import iris, pages
from archivekg.site.render.ontology_doc import ontology_model
from archivekg.site.render.shapes_doc import shapes_model
from archivekg.site.render.turtle_files import load

bp = pages.blueprint("vocabularies")

# The ontology and the shapes are one graph each: the four graph formats, from the registry.
OFFERED = tuple(rdfformats.BY_NAME[name] for name in ("turtle", "jsonld", "ntriples", "rdfxml"))
RDF_FORMATS = {fmt.name: (fmt.rdflib, fmt.media_type) for fmt in OFFERED}
EXTENSIONS = {fmt.extension: fmt.name for fmt in OFFERED}
HTML_NAMES = ("html", "text/html")


class _Offer:
    def __init__(self, name: str, media: str):
        self.name, self.media_types = name, (media,)


OFFERS = (_Offer("html", "text/html"), _Offer("html", "application/xhtml+xml"),
          *(_Offer(name, media) for name, (_, media) in RDF_FORMATS.items()))


def _choice(extension: str | None) -> tuple[str, bool]:
    if extension is not None:
        if extension not in EXTENSIONS:
            raise ApiError(404, "unknown-extension",
                           f"No such format .{extension}; use .ttl, .jsonld, .nt or .rdf.")
        return EXTENSIONS[extension], False
    requested = request.args.get("format")
    if requested is not None:
        value = requested.strip().lower()
        found = rdfformats.lookup(value, OFFERED)
        name = "html" if value in HTML_NAMES else found.name if found else None
        if name is None:
            raise ApiError(400, "unknown-format", f"format={requested!r} is not html, ttl, jsonld, nt or rdf.",
                           acceptable=["html", *EXTENSIONS])
        return name, False
    offer = choose(request.headers.get("Accept"), OFFERS)
    if offer is None:
        raise ApiError(406, "not-acceptable", "Acceptable: text/html, " +
                       ", ".join(media for _, media in RDF_FORMATS.values()),
                       acceptable=["text/html", *(m for _, m in RDF_FORMATS.values())])
    return offer.name, True


def _serve(kind: str, extension: str | None, folder: str, template: str, build, title: str):
    choice, negotiated = _choice(extension)
    files = load(folder)
    if not files.paths:
        raise ApiError(404, f"no-{kind}", f"No {kind} files (*.ttl) in {Path(folder).name}/ on this server.")
    if choice == "html":
        response = pages.page(template, title=title, files=[p.name for p in files.paths],
                             data_links=[(label, RDF_FORMATS[name][1], f"{request.url_root}{kind}.{ext}")
                                         for ext, name, label in _LINKS],
                             **build(files))
    else:
        serializer, media = RDF_FORMATS[choice]
        if choice == "turtle" and len(files.paths) == 1:
            body = files.paths[0].read_bytes()        # the file itself, with its comments
        else:
            assert serializer is not None, "rdflib writes every format OFFERED"
            body = files.graph.serialize(format=serializer, encoding="utf-8")
        response = Response(body, content_type=f"{media}; charset=utf-8")
        if negotiated:
            ext = next(e for e, n in EXTENSIONS.items() if n == choice)
            response.headers["Content-Location"] = f"{request.url_root}{kind}.{ext}"
    if negotiated:
        response.vary.add("Accept")
    return response


_LINKS = tuple((fmt.extension, fmt.name, fmt.label) for fmt in OFFERED)


@bp.get("/ontology", defaults={"extension": None})
@bp.get("/ontology.<extension>")
def ontology(extension):
    return _serve("ontology", extension, current_app.config["ONTOLOGY_DIR"], "ontology.html",
                  ontology_model, "Ontology")


@bp.get("/shapes", defaults={"extension": None})
@bp.get("/shapes.<extension>")
def shapes(extension):
    return _serve("shapes", extension, current_app.config["SHAPES_DIR"], "shapes.html",
                  shapes_model, "Shapes")


def _declaring_file(files, iri: str):
    """The file that declares ``iri`` as its ontology (or as the ontology's version IRI)."""
    node = rdflib.URIRef(iri)
    for file in files.files:
        if (node, RDF.type, OWL.Ontology) in file.graph or (None, OWL.versionIRI, node) in file.graph:
            return file
    return None


@bp.get("/ontology/<path:part>", defaults={"kind": "ontology"})
@bp.get("/shapes/<path:part>", defaults={"kind": "shapes"})
def vocabulary_part(kind: str, part: str):
    """IRIs below the namespaces: the IRI of each shapes file (``…/shapes/events``) and the
    version IRI of the ontology.  The page is the section of the whole; the data is the file."""
    namespace = iris.ONTOLOGY_NS if kind == "ontology" else iris.SHAPES_NS
    folder = current_app.config["ONTOLOGY_DIR" if kind == "ontology" else "SHAPES_DIR"]
    files = load(folder)
    extension = None
    stem, dot, tail = part.rpartition(".")
    if dot and tail in EXTENSIONS:
        part, extension = stem, tail
    iri = namespace.rstrip("#/") + "/" + part
    file = _declaring_file(files, iri)
    if file is None:
        raise ApiError(404, "unknown-vocabulary-part",
                       f"No {kind} file declares <{iri}>; the whole {kind} is at /{kind}.", iri=iri)
    choice, negotiated = _choice(extension)
    if choice == "html":
        anchor = f"#file-{file.path.stem}" if kind == "shapes" else ""
        response = redirect(f"{request.url_root}{kind}{anchor}", code=303)
    else:
        serializer, media = RDF_FORMATS[choice]
        body = file.path.read_bytes() if choice == "turtle" else \
            file.graph.serialize(format=serializer, encoding="utf-8")
        response = Response(body, content_type=f"{media}; charset=utf-8")
    if negotiated:
        response.vary.add("Accept")
    return response


@bp.get("/context.jsonld")
def context():
    """The JSON-LD context our data is written and published with, at a stable URL."""
    path = Path(current_app.config["MAPPINGS_DIR"]) / jsonld.CONTEXT_FILE
    response = Response(path.read_bytes(), content_type="application/ld+json; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
