"""``POST /validate``: partners check their RDF against our shapes before federating it.

The body is RDF in the format its Content-Type names (inputs.MEDIA_TYPES); ``?inference=``
takes none, rdfs or owlrl (default owlrl, as ``archivekg validate``).  The answer is the
report in the format the Accept header prefers: JSON (the default), the SHACL report graph
in Turtle, JUnit XML, or text; status 200 whether or not the data conforms (the report and
the ``ArchiveKG-Violations`` header say).  Errors use the project's JSON error shape: 413 past
MAX_UPLOAD_BYTES, 415 for a body that is not one of the RDF formats, 406 for an Accept we
cannot meet, 400 for RDF that does not parse (with its line).  Document texts are never read
here: a request cannot make the server open files.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from archivekg.endpoint.backend import backend, worker_error
from archivekg.endpoint.body import request_body
from archivekg.endpoint.errors import ApiError, error_response
from archivekg.endpoint.negotiation import choose
from archivekg.endpoint.worker import ValidateRequest
from archivekg.validation import inputs
from archivekg.validation.engine import DEFAULT_INFERENCE, INFERENCE
from archivekg.validation.report import MEDIA_TYPES

blueprint = Blueprint("validate", __name__)
blueprint.register_error_handler(ApiError, error_response)

# (report format, media types that ask for it), in our order of preference.
_REPORTS = (
    ("json", ("application/json",)),
    ("turtle", ("text/turtle", "application/x-turtle")),
    ("junit", ("application/xml", "text/xml", "application/junit+xml")),
    ("text", ("text/plain",)),
)


@blueprint.post("/validate")
def validate() -> Response:
    fmt = inputs.MEDIA_TYPES.get(request.mimetype)
    if fmt is None:
        sent = request.mimetype or "no Content-Type"
        raise ApiError(415, "unsupported-media-type",
                       f"Send RDF with its media type as Content-Type ({sent} is not one of "
                       f"{', '.join(sorted(inputs.MEDIA_TYPES))}).",
                       acceptable=sorted(inputs.MEDIA_TYPES))
    report_format = choose(request.headers.get("Accept"), _REPORTS, media_types=lambda offer: offer[1])
    if report_format is None:
        raise ApiError(406, "not-acceptable",
                       "The report is available as " + ", ".join(t for _, types in _REPORTS for t in types[:1]) + ".",
                       acceptable=[types[0] for _, types in _REPORTS])
    inference = request.args.get("inference", DEFAULT_INFERENCE)
    if inference not in INFERENCE:
        raise ApiError(400, "bad-parameter",
                       f"inference={inference!r} is not one of {', '.join(INFERENCE)}.")
    body = request_body("Validate larger data with `archivekg validate FILE`, or send it in parts.")
    if not body.strip():
        raise ApiError(400, "empty-body", "The request body is empty: send the RDF to validate.")
    settings = current_app.config
    # In a worker of its own, without the data and without the network: a bomb or a slow
    # validation costs that process its time and memory limits, never the server.
    engine = backend()
    reply = engine.call(ValidateRequest(body, fmt, inference, report_format[0],
                                        tuple(_worker_settings(settings).items())),
                        timeout=float(settings["VALIDATE_TIMEOUT"]), private="no-store",
                        limit_setting="VALIDATE_TIMEOUT")
    if not reply.ok:
        raise worker_error(reply.meta)
    name = report_format[0]
    response = Response(reply.body, status=200, mimetype=MEDIA_TYPES[name])
    response.headers["ArchiveKG-Violations"] = str(reply.meta["violations"])
    response.headers["ArchiveKG-Warnings"] = str(reply.meta["warnings"])
    response.vary.add("Accept")
    return response




def _worker_settings(settings) -> dict:
    # Only plain values cross the pipe (Flask's config holds objects too).
    return {key: value for key, value in settings.items()
            if key.isupper() and isinstance(value, (str, int, float, bool, list, tuple, type(None)))}
