"""Reading a request body with a size limit that is never silently applied.

werkzeug's request stream stops at MAX_CONTENT_LENGTH without an error when the body comes
without Content-Length (chunked): the first bytes of a larger body would reach the parser as
if they were all of it — a truncated query that may still parse, with another meaning.  So the
body is read here, and anything past the limit is answered with 413.
"""

from __future__ import annotations

from flask import current_app, request

from archivekg.endpoint.errors import ApiError


def request_body(advice: str) -> bytes:
    """The whole body, or ApiError 413 (with ``advice`` for what to do instead)."""
    limit = int(current_app.config["MAX_UPLOAD_BYTES"])
    if request.content_length is not None:
        if request.content_length > limit:
            raise too_large(limit, request.content_length, advice)
        return request.get_data(cache=True)
    if not request.environ.get("wsgi.input_terminated"):
        return b""
    if "archivekg.body" not in request.environ:
        data = request.environ["wsgi.input"].read(limit + 1)
        if len(data) > limit:
            raise too_large(limit, None, advice)
        request.environ["archivekg.body"] = data
    return request.environ["archivekg.body"]


def too_large(limit: int, size: int | None, advice: str) -> ApiError:
    sent = f"The body sent is {size} bytes; " if size is not None else \
        "The body sent is larger than the limit; "
    return ApiError(413, "request-too-large",
                    f"{sent}this address accepts up to {limit} bytes (setting MAX_UPLOAD_BYTES). "
                    f"{advice}")
