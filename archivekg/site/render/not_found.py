"""The site's own page for the errors that happen before any view runs (an unknown path, a
method the address does not take): styled like every page, with the search box.  Clients
that do not ask for HTML keep the shared JSON (or text) error shape."""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from archivekg.endpoint.errors import error_response, from_http_exception
from archivekg.site.render import pages


def _answer(exc: HTTPException):
    error = from_http_exception(exc)
    if not pages.prefers_html():
        return error_response(error)
    words = " ".join(w for w in re.split(r"[^\w]+", request.path.rsplit("/", 1)[-1]) if len(w) > 1)[:100]
    response = pages.page("error.html", status=error.status, error=error, payload=error.payload(),
                          search_words=words if error.status == 404 else None)
    response.headers.update(error.headers)
    response.vary.add("Accept")
    return response


def install(app: Flask) -> None:
    for status in (404, 405):
        app.register_error_handler(status, _answer)
