"""Linked Data and pages for people: dereferenceable IRIs (/id → /page, /data), named
graphs, the ontology and shapes, the home page, the query page, a timeline, charts, the
downloads and the reconciliation service.  ``register(app)`` adds them to the app that
``archivekg.web.create_app`` makes; they query through that app's worker pool."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    # Imported here, so that importing the package (as the build and the commands do) does
    # not load the web layer.
    from archivekg.site.render import not_found, pages, warmup
    from archivekg.site.routes import (
        browse,
        charts,
        downloads,
        graphs,
        landing,
        maps,
        network,
        query_page,
        query_tools,
        reconcile,
        resources,
        review,
        search,
        sparql_page,
        timeline,
        vocabularies,
    )
    for blueprint in (pages.assets, landing.bp, resources.bp, graphs.bp, vocabularies.bp,
                      downloads.bp, query_page.bp, timeline.bp, charts.bp, search.bp, browse.bp, reconcile.bp,
                      maps.bp, network.bp, query_tools.bp, review.bp):
        app.register_blueprint(blueprint)
    sparql_page.install(app)
    not_found.install(app)
    warmup.install(app)


__all__ = ["register"]
