"""Linked Data and pages for people: dereferenceable IRIs (/id → /page, /data), named
graphs, the ontology and shapes, the home page, the query page, a timeline, charts and
the downloads.  ``register(app)`` adds them to the app that ``archivekg.web.create_app``
makes; they query through that app's worker pool."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from archivekg.site.render import pages
    from archivekg.site.routes import charts, downloads, graphs, landing, query_page, resources, timeline, vocabularies
    for blueprint in (pages.assets, landing.bp, resources.bp, graphs.bp, vocabularies.bp,
                      downloads.bp, query_page.bp, timeline.bp, charts.bp):
        app.register_blueprint(blueprint)


__all__ = ["register"]
