"""The SPARQL 1.1 Protocol at /sparql: query by GET and POST, updates refused or guarded,
the service description when no query is given."""

from __future__ import annotations

import hmac
import select
import socket
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, request

from archivekg import rdfformats as formats
from archivekg.endpoint import description
from archivekg.endpoint.backend import backend, worker_error
from archivekg.endpoint.body import request_body
from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.negotiation import choose
from archivekg.endpoint.worker import QueryRequest
from archivekg.rdfformats import Format

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
POST_TYPES = [QUERY_BODY, FORM, UPDATE_BODY]
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
UPDATE_DATASET_PARAMS = ("using-graph-uri", "using-named-graph-uri")

#: ``app.extensions[HTML_PAGE]``: a view the site layer installs, answering a browser that asks
#: /sparql for HTML with a page (the query form and what the endpoint offers) instead of the
#: service description as a file.  Clients that do not put HTML first keep the description.
HTML_PAGE = "archivekg.sparql_page"

TRUNCATED_HEADER = "X-ArchiveKG-Truncated"
LIMIT_HEADER = "X-ArchiveKG-Result-Limit"
COUNT_HEADER = "X-ArchiveKG-Result-Count"


@dataclass
class Params:
    values: dict[str, list[str]] = field(default_factory=dict)

    def add(self, pairs: list[tuple[str, str]]) -> None:
        for key, value in pairs:
            self.values.setdefault(key, []).append(value)

    def all(self, key: str) -> list[str]:
        return self.values.get(key, [])

    def one(self, key: str) -> str | None:
        found = self.values.get(key)
        if not found:
            return None
        if len(found) > 1:
            raise ApiError(400, f"repeated-{key}",
                           f"The request gives the parameter '{key}' {len(found)} times; give it once.")
        return found[0]

    def __contains__(self, key: str) -> bool:
        return key in self.values


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    params = _read_params()
    if "query" in params and "update" in params:
        raise ApiError(400, "query-and-update",
                       "The request carries both 'query' and 'update'; send one operation per request.")
    if "update" in params:
        return _update(params)
    text = params.one("query")
    if text is None:
        if request.method == "GET" and not any(key in params for key in DATASET_PARAMS):
            return _service_description(params)
        raise ApiError(400, "missing-query",
                       "No SPARQL query in the request: send it as the 'query' parameter "
                       "(GET or form POST) or as an application/sparql-query body.")
    return _query(text, params)


# -- reading the request --------------------------------------------------------------------

def _body() -> bytes:
    return request_body("Send a shorter query, or ask the operator to raise the limit.")


def _read_params() -> Params:
    params = Params()
    url_pairs = _parse_pairs(request.query_string, "the URL")
    params.add(url_pairs)
    if request.method != "POST":
        return params
    mimetype = request.mimetype
    if mimetype == FORM:
        body_pairs = _parse_pairs(_body(), "the request body")
        in_url = {key for key, _ in url_pairs}
        for key in ("query", "update"):
            if key in in_url and any(k == key for k, _ in body_pairs):
                raise ApiError(400, f"{key}-in-body-and-url",
                               f"The request has '{key}' both in the URL and in the body; "
                               "send it in one place only.")
        params.add(body_pairs)
    elif mimetype in (QUERY_BODY, UPDATE_BODY):
        key = "query" if mimetype == QUERY_BODY else "update"
        if "query" in params or "update" in params:
            raise ApiError(400, f"{key}-in-body-and-url",
                           f"The {mimetype} body is the {key}, and the URL carries another "
                           "'query' or 'update' parameter; send the operation in one place only.")
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8", "us-ascii", "ascii"):
            raise ApiError(415, "unsupported-charset",
                           f"The body is declared as {charset}; send SPARQL in UTF-8.",
                           acceptable=["utf-8"])
        params.add([(key, _utf8(_body(), "the request body"))])
    else:
        given = mimetype or "no Content-Type"
        raise ApiError(415, "unsupported-media-type",
                       f"POST to /sparql takes {', '.join(POST_TYPES)}; this request has {given}.",
                       acceptable=POST_TYPES)
    return params


def _parse_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    # By hand rather than urllib's parse_qsl, which replaces undecodable bytes silently.
    pairs = []
    for item in raw.split(b"&"):
        if not item:
            continue
        key, _, value = item.partition(b"=")
        pairs.append((_utf8(unquote_to_bytes(key.replace(b"+", b" ")), where),
                      _utf8(unquote_to_bytes(value.replace(b"+", b" ")), where)))
    return pairs


def _utf8(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "not-utf8",
                       f"{where.capitalize()} is not valid UTF-8 (byte {exc.start}); "
                       "percent-encode the query as UTF-8.") from None


# -- queries ------------------------------------------------------------------------------

def _query(text: str, params: Params):
    if not text.strip():
        raise ApiError(400, "missing-query", "The 'query' parameter is empty.")
    settings = current_app.config
    check_length(text, "query")
    default_graphs = [_graph_iri(v, "default-graph-uri") for v in params.all("default-graph-uri")]
    named_graphs = [_graph_iri(v, "named-graph-uri") for v in params.all("named-graph-uri")]
    dataset_given = bool(default_graphs or named_graphs)

    requested = format_values(params)
    accept = request.headers.get("Accept")
    results_format = negotiate_format(formats.RESULTS, requested, accept)
    graph_format = negotiate_format(formats.GRAPHS, requested, accept)

    reply = backend().call(QueryRequest(
        query=text,
        results_format=results_format.name if results_format else None,
        graph_format=graph_format.name if graph_format else None,
        max_results=settings["MAX_RESULTS"],
        base_iri=request.base_url,
        default_graphs=tuple(default_graphs) if dataset_given else None,
        named_graphs=tuple(named_graphs) if dataset_given else None,
        allowlist=tuple(settings["SERVICE_ALLOWLIST"]),
        updates_enabled=bool(settings["UPDATE_TOKEN"]),
    ), cancelled=client_gone())
    g.query_form = reply.meta.get("form")
    if not reply.ok:
        if reply.code == "not-acceptable":
            table = formats.GRAPHS if reply.meta["kind"] == "graph" else formats.RESULTS
            raise not_acceptable(table, requested)
        raise worker_error(reply.meta, updates_enabled=bool(settings["UPDATE_TOKEN"]))
    meta = reply.meta
    g.result_count, g.truncated = meta["count"], meta["truncated"]
    fmt = formats.BY_NAME[meta["format"]]
    response = Response(reply.body, content_type=fmt.content_type)
    headers = response.headers
    headers["Vary"] = "Accept"
    headers[COUNT_HEADER] = str(meta["count"])
    if meta["truncated"]:
        limit = settings["MAX_RESULTS"]
        headers[TRUNCATED_HEADER] = "true"
        headers[LIMIT_HEADER] = str(limit)
        headers["Warning"] = (
            f'199 archivekg "results truncated to the first {limit} (MAX_RESULTS); '
            'use LIMIT and OFFSET to page through them"')
    return response


def check_length(text: str, what: str) -> None:
    """Refuse a text past MAX_QUERY_BYTES before anything reads it (413)."""
    limit = int(current_app.config["MAX_QUERY_BYTES"])
    # A character is at most 4 bytes: most texts are decided without encoding them.
    if len(text) * 4 > limit and len(text.encode("utf-8")) > limit:
        raise ApiError(413, f"{what}-too-large",
                       f"The {what} is {len(text.encode('utf-8'))} bytes, more than the limit of "
                       f"{limit} (setting MAX_QUERY_BYTES). Split it, or move long VALUES lists "
                       "into a file served with the data.", limit_bytes=limit)


def client_gone():
    """A check that the client of this request has hung up (None where the server does not
    give us its socket, as in Flask's test client)."""
    sock = request.environ.get("gunicorn.socket")
    if sock is None:
        return None

    def gone() -> bool:
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            if not readable:
                return False
            return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except (OSError, ValueError):
            return True
    return gone


def format_values(params: Params) -> list[str]:
    # Clients such as SPARQLWrapper send format= several times, empty, or as a list.
    return [value.strip() for raw in params.all("format") for value in raw.split(",") if value.strip()]


def negotiate_format(table: tuple[Format, ...], requested: list[str], accept: str | None) -> Format | None:
    """The format to write: the first ``format=`` value that fits ``table``, else the Accept
    header.  None when the request names only formats of the other kind."""
    if not requested:
        return choose(accept, table)
    for value in requested:
        fmt = formats.lookup(value, table)
        if fmt is not None:
            return fmt
    if not any(formats.known_format_value(value) for value in requested):
        names = formats.format_values(formats.RESULTS) + formats.format_values(formats.GRAPHS)
        raise ApiError(400, "unknown-format",
                       f"format={requested[0]!r} is not a format this endpoint writes; use one of "
                       f"{', '.join(names)} (or a media type).", acceptable=names)
    return None


def not_acceptable(table: tuple[Format, ...], requested: list[str]) -> ApiError:
    kinds = "SELECT/ASK results" if table is formats.RESULTS else "CONSTRUCT/DESCRIBE results"
    asked = (f"format={','.join(requested)}" if requested
             else f"Accept: {request.headers.get('Accept', '')}")
    return ApiError(406, "not-acceptable",
                    f"{kinds} cannot be written in any format the request accepts ({asked}). "
                    f"Acceptable: {', '.join(f.media_type for f in table)} "
                    f"(or format={'|'.join(f.name for f in table)}).",
                    acceptable=[f.media_type for f in table])


def _graph_iri(value: str, param: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError:
        raise ApiError(400, "invalid-graph-uri",
                       f"{param}={value!r} is not an absolute IRI.") from None


# -- updates ------------------------------------------------------------------------------

def _update(params: Params):
    token = current_app.config["UPDATE_TOKEN"]
    if not token:
        raise ApiError(403, "read-only",
                       "This SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, ...) are "
                       "not accepted. Query it with 'query' instead.")
    if request.method != "POST":
        raise ApiError(400, "update-needs-post",
                       "Send updates with POST (form field 'update' or an application/sparql-update body).")
    given = request.headers.get("Authorization", "")
    scheme, _, credentials = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(credentials.strip().encode(),
                                                              token.encode()):
        raise ApiError(403, "update-forbidden",
                       "Updates need the header 'Authorization: Bearer <token>' with the configured token.",
                       headers={"WWW-Authenticate": 'Bearer realm="archivekg"'})
    for key in UPDATE_DATASET_PARAMS:
        if key in params:
            raise ApiError(400, "unsupported-parameter",
                           f"'{key}' is not supported; use WITH or USING inside the update.")
    text = params.one("update") or ""
    if not text.strip():
        raise ApiError(400, "missing-update", "The 'update' parameter is empty.")
    check_length(text, "update")
    backend().apply_update(text)
    return {"ok": True, "status": 200, "message": "The update was applied."}


# -- service description -------------------------------------------------------------------

class _Html:
    name = "html"
    media_types = ("text/html", "application/xhtml+xml")


#: The description's formats, then a page: HTML wins only where the client ranks it above them.
_DESCRIPTION_OFFERS: tuple[formats.AnyFormat | _Html, ...] = (*formats.GRAPHS, _Html())


def _service_description(params: Params):
    requested = format_values(params)
    page = current_app.extensions.get(HTML_PAGE)
    if page is not None:
        wants_page = requested == ["html"] if requested else \
            isinstance(choose(request.headers.get("Accept"), _DESCRIPTION_OFFERS), _Html)
        if wants_page:
            response = page()
            response.vary.add("Accept")
            return response
    fmt = negotiate_format(formats.GRAPHS, requested, request.headers.get("Accept"))
    if fmt is None:
        raise not_acceptable(formats.GRAPHS, requested)
    settings = current_app.config
    triples = description.service_description(
        endpoint=request.base_url, void_url=request.url_root + ".well-known/void",
        stats=backend().statistics(), settings=settings,
        update_enabled=bool(settings["UPDATE_TOKEN"]))
    response = Response(description.serialize(triples, fmt.name), content_type=fmt.content_type)
    response.vary.add("Accept")
    return response
