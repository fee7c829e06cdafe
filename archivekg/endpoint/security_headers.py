"""Headers that keep a browser from treating our answers as something else.

Every answer says ``nosniff``: a query result or an error echoing the user's text must never
be sniffed into HTML or script.  Answers that set no Content-Security-Policy of their own
(everything but the site's pages: query results, RDF, JSON errors, the plain HTML error of
the API) get the strictest one: nothing loads, nothing runs, nothing frames them.
"""

from __future__ import annotations

from flask import Flask, Response

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def add_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Content-Security-Policy", API_POLICY)
    return response


def register(app: Flask) -> None:
    app.after_request(add_headers)
