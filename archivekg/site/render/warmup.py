"""Reading what the map, the network and the timeline draw takes seconds on a large graph (it is
then kept for the release).  The first request a server process answers (often the health check
of whoever started it) starts that reading in a background thread, so that a reader's first
visit to /map or /network finds it done."""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger("archivekg.site")


def _warm(app: Flask) -> None:
    from archivekg.site.render import geo, labels, maps, network, pages, timeline_model
    try:
        with app.test_request_context("/"):
            if pages.served_release() is not None:
                pages.cached("labels-ours", labels.label_table)
            maps.corpus_data()
            network.graph()
            timeline_model.data()
            geo.preload()
    except Exception as exc:          # a page that needs the data will read it itself and report
        log.warning("warming the views' data failed: %s", exc)


def install(app: Flask) -> None:
    started = threading.Event()

    @app.before_request
    def _start_warming() -> None:
        if not started.is_set():
            started.set()
            threading.Thread(target=_warm, args=(app,), name="archivekg-warm-views", daemon=True).start()
