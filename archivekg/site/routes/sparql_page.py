"""The page a browser gets at /sparql: the query form and what the endpoint offers.

SPARQL clients never see it: they ask /sparql for results or for the service description
in an RDF format, and get them as before.  The page is installed into the protocol's
blueprint by ``install`` (endpoint.protocol.HTML_PAGE), so the endpoint layer does not
depend on the site's templates.
"""

from __future__ import annotations

from flask import Flask, current_app, request, url_for

from archivekg import rdfformats as formats
from archivekg.endpoint.protocol import HTML_PAGE
from archivekg.site.render import examples, pages, sparql


def page():
    settings = current_app.config
    endpoint = request.base_url
    return pages.page(
        "sparql.html", title="SPARQL endpoint", endpoint=endpoint, settings=settings,
        results=formats.RESULTS, graphs=formats.GRAPHS, starter=sparql.user_prologue() + "\n" +
        "SELECT ?person ?name WHERE {\n  ?person a akg:Person ; akg:name ?name .\n}\nORDER BY ?name\nLIMIT 20\n",
        descriptions=[(fmt.label, url_for("sparql.sparql", format=fmt.name)) for fmt in formats.GRAPHS],
        example=examples.all_examples()[0], updates=bool(settings["UPDATE_TOKEN"]),
        allowlist=list(settings["SERVICE_ALLOWLIST"]))


def install(app: Flask) -> None:
    app.extensions[HTML_PAGE] = page
