"""CORS on every response, preflights included: the data is public and read-only, so any
origin may read it (browser clients such as YASGUI run on other origins)."""

from __future__ import annotations

import re

from flask import Flask, Response, request

EXPOSED = ("X-ArchiveKG-Truncated", "X-ArchiveKG-Result-Limit", "X-ArchiveKG-Result-Count",
           "Warning", "Retry-After", "Content-Length")
DEFAULT_HEADERS = ("Accept", "Authorization", "Content-Type", "Cache-Control", "X-Requested-With")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
MAX_AGE = "86400"


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = headers.get("Allow") or "GET, POST, OPTIONS"
        asked = [name.strip() for name in request.headers.get("Access-Control-Request-Headers", "").split(",")]
        names = list(DEFAULT_HEADERS) + [n for n in asked if n and _HEADER_NAME.match(n)
                                         and n.lower() not in {d.lower() for d in DEFAULT_HEADERS}]
        headers["Access-Control-Allow-Headers"] = ", ".join(names)
        headers["Access-Control-Max-Age"] = MAX_AGE
    return response


def register(app: Flask) -> None:
    app.after_request(add_headers)
