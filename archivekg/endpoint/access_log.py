"""One access-log line per request: who, what, status, how long, and for queries what ran."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

log = logging.getLogger("archivekg.access")


def _start() -> None:
    g.started = time.perf_counter()


def _line(response: Response) -> Response:
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    extra = ""
    form = g.get("query_form")
    if form:
        extra = f" form={form}"
        if g.get("result_count") is not None:
            extra += f" results={g.result_count}"
        if g.get("truncated"):
            extra += " truncated"
    log.info('%s "%s %s" %d %.1fms%s', request.remote_addr or "-", request.method,
             request.path, response.status_code, elapsed, extra)
    return response


def register(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_line)
