"""What the query editor of /query reads: /query/vocabulary.json, the prefixes and the terms it
completes."""

from __future__ import annotations

from flask import current_app, jsonify

from archivekg.site.render import pages
from archivekg.site.render.query_vocabulary import vocabulary as read_vocabulary

bp = pages.blueprint("query_tools")


@bp.get("/query/vocabulary.json")
def vocabulary():
    found = read_vocabulary(current_app.config["ONTOLOGY_DIR"], current_app.config["BASE_IRI"])
    response = jsonify(found)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
