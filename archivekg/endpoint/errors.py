"""One error shape for the whole web API.

Every error answer carries ``{"ok": false, "status": <int>, "error": "<short-code>",
"message": "<what is wrong and what to do>"}`` plus optional keys (``position``,
``acceptable``, ...).  Clients that prefer HTML (browsers) get the same content as a
small page, clients that ask for text/plain get the message as text.  Blueprints raise
``ApiError``; anything else that escapes a view is our bug: logged with its traceback
and answered with 500.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from archivekg.endpoint.negotiation import choose

log = logging.getLogger("archivekg.web")

ERROR_TYPES = ("application/json", "text/html", "text/plain")

# Short codes for the HTTP errors werkzeug raises before our views run.
_HTTP_CODES = {
    400: "bad-request", 404: "not-found", 405: "method-not-allowed", 406: "not-acceptable",
    413: "request-too-large", 414: "uri-too-long", 415: "unsupported-media-type",
    431: "headers-too-large", 500: "internal-error", 501: "not-implemented",
}

_HTTP_MESSAGES = {
    404: "There is nothing at this address. The SPARQL endpoint is at /sparql.",
    405: "This address does not accept the {method} method; allowed: {allowed}.",
    413: "The request body is larger than the limit of {limit} bytes (setting MAX_UPLOAD_BYTES).",
}


class ApiError(Exception):
    """An error answer: the HTTP status, a short code, a message a user can act on."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict | None = None,
                 **extra: Any):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.extra = extra

    def payload(self) -> dict[str, Any]:
        return {"ok": False, "status": self.status, "error": self.code, "message": self.message,
                **self.extra}


def error_response(error: ApiError) -> Response:
    payload = error.payload()
    kind = choose(request.headers.get("Accept"), ERROR_TYPES, media_types=lambda t: (t,))
    if kind == "text/html":
        body = _html(payload)
        mimetype = "text/html"
    elif kind == "text/plain":
        body = f"{error.status} {error.code}: {error.message}\n"
        for key, value in payload.items():
            if key not in ("ok", "status", "error", "message"):
                body += f"{key}: {json.dumps(value, ensure_ascii=False)}\n"
        mimetype = "text/plain"
    else:
        body = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
        mimetype = "application/json"
    response = Response(body, status=error.status, mimetype=mimetype)
    response.headers.update(error.headers)
    response.vary.add("Accept")
    return response


def _html(payload: dict[str, Any]) -> str:
    extra = "".join(
        f"<dt>{html.escape(str(key))}</dt><dd><code>"
        f"{html.escape(json.dumps(value, ensure_ascii=False))}</code></dd>"
        for key, value in payload.items() if key not in ("ok", "status", "error", "message"))
    title = f"{payload['status']} {html.escape(payload['error'])}"
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"</head><body><h1>{title}</h1><p>{html.escape(payload['message'])}</p>"
            f"{'<dl>' + extra + '</dl>' if extra else ''}</body></html>\n")


def from_http_exception(exc: HTTPException) -> ApiError:
    status = exc.code or 500
    template = _HTTP_MESSAGES.get(status)
    headers = dict(exc.get_headers()) if status == 405 else {}
    headers.pop("Content-Type", None)
    if template:
        message = template.format(
            method=request.method, allowed=headers.get("Allow", ""),
            limit=request.max_content_length)
    else:
        message = exc.description or exc.name
    return ApiError(status, _HTTP_CODES.get(status, exc.name.lower().replace(" ", "-")), message,
                    headers=headers)


def register(app: Flask) -> None:
    app.register_error_handler(ApiError, error_response)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code and exc.code < 400:
            return exc
        return error_response(from_http_exception(exc))

    @app.errorhandler(Exception)
    def _bug(exc: Exception):
        log.exception("internal error on %s %s", request.method, request.path)
        return error_response(ApiError(
            500, "internal-error",
            "The server failed on this request; this is a bug in archivekg, and it was logged. "
            "Please report it with the request you sent."))
