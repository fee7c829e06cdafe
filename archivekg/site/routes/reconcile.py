"""The reconciliation service (W3C Entity Reconciliation CG, Reconciliation Service API 0.2):
what OpenRefine and other tools use to ask "which of these names are yours?".

- ``GET /reconcile``: the service manifest; with ``queries=`` (GET or form POST) a batch of
  reconciliation queries; with ``extend=`` a data extension query;
- ``GET /reconcile/suggest/entity|type|property?prefix=…&cursor=…``: auto-completion;
- ``GET /reconcile/preview?id=…``: a small HTML card of an entity with its sources;
- ``GET /reconcile/properties?type=…&limit=…``: the properties worth fetching for a type.

The matching itself is ``archivekg.reconcile.matching``; the names, cards and facts come from
``archivekg.site.render.entity_index``.  CORS is open on every path (``endpoint/cors.py``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from archivekg import __version__
from archivekg.endpoint.errors import ApiError
from archivekg.namespaces import AKG
from archivekg.reconcile import protocol
from archivekg.reconcile.matching import Matcher, Scored, suggest_by_words, suggest_entities
from archivekg.reconcile.properties import BY_ID, PROPERTIES, for_root
from archivekg.site.render import entity_index, facts, iris, pages
from archivekg.site.render.labels import Labels

bp = Blueprint("reconcile", __name__, template_folder=str(pages.HERE / "templates"))

BATCH_SIZE = 100
MAX_EXTEND_IDS = 500
SUGGESTIONS = 10
PREVIEW_WIDTH, PREVIEW_HEIGHT = 420, 320
PREVIEW_DOCUMENTS = 3
DEFAULT_VALUES = 10          # values per cell of a data extension column, unless the client asks
# The preview is made to be framed by the client (OpenRefine runs on its own origin); it
# loads only our stylesheet and runs nothing.
PREVIEW_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
                  "form-action 'none'; frame-ancestors *")


def _bad(exc: protocol.BadRequest) -> ApiError:
    code = "reconcile-batch-too-large" if exc.status == 413 else "bad-reconcile-request"
    return ApiError(exc.status, code, str(exc))


def _parameter(name: str) -> str | None:
    """A parameter from the query string or the form body (POST)."""
    value = request.form.get(name) if request.method == "POST" else None
    return value if value is not None else request.args.get(name)


@bp.route("/reconcile", methods=["GET", "POST"])
def service():
    queries, extend = _parameter("queries"), _parameter("extend")
    try:
        if queries is not None and extend is not None:
            raise protocol.BadRequest("send either queries or extend, not both")
        if queries is not None:
            return jsonify(_reconcile(protocol.parse_batch(queries, max_queries=BATCH_SIZE)))
        if extend is not None:
            return jsonify(_extend(protocol.parse_extend(extend, max_ids=MAX_EXTEND_IDS)))
    except protocol.BadRequest as exc:
        raise _bad(exc) from None
    if request.method == "POST":
        raise ApiError(400, "bad-reconcile-request",
                       "A POST to /reconcile carries a form field queries (a batch of reconciliation "
                       "queries) or extend (a data extension query).")
    return jsonify(manifest())


def manifest() -> dict:
    root = iris.root()
    service_url = root.rstrip("/")
    table = entity_index.type_table()
    return {
        "versions": list(protocol.VERSIONS),
        "name": f"archivekg ({request.host})",
        "identifierSpace": iris.base() + "id/",
        "schemaSpace": AKG,
        "documentation": root,
        "serviceVersion": __version__,
        "defaultTypes": [_type_json(table, root_type) for root_type in _root_types(table)],
        "view": {"url": root + "id/{{id}}"},
        "preview": {"url": root + "reconcile/preview?id={{id}}", "width": PREVIEW_WIDTH,
                    "height": PREVIEW_HEIGHT},
        "suggest": {kind: {"service_url": service_url, "service_path": f"/reconcile/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
        "extend": {
            "propose_properties": {"service_url": service_url, "service_path": "/reconcile/properties"},
            "property_settings": [{
                "name": "limit", "label": "Values per cell", "type": "number", "default": DEFAULT_VALUES,
                "help_text": "At most this many values in each cell (0: all of them)."}],
        },
        "batchSize": BATCH_SIZE,
    }


def _root_types(table) -> list[str]:
    return [tid for tid, info in table.types.items() if tid == info.root]


def _type_json(table, tid: str) -> dict:
    found = table.json(tid)
    parents = table.types[tid].parents if tid in table.types else ()
    if parents:
        found["broader"] = [_type_json(table, parent) for parent in parents]
    return found


def matcher() -> Matcher:
    snapshot = entity_index.snapshot()
    return Matcher(entity_index.name_parts(), snapshot.catalogue, entity_index.GraphFacts(snapshot))


def _reconcile(queries: list[protocol.Query]) -> dict:
    answers = matcher().reconcile(queries)
    table = entity_index.type_table()
    return {key: {"result": [_candidate(table, scored) for scored in found]} for key, found in answers.items()}


def _candidate(table, scored: Scored) -> dict:
    card = scored.card
    found: dict[str, Any] = {"id": card.id, "name": card.name}      # JSON
    if card.description:
        found["description"] = card.description
    found.update({
        "type": [table.json(tid) for tid in card.types],
        "score": scored.score,
        "features": scored.features(),
        "match": scored.match,
        # Not in the specification (clients ignore it): why this candidate, in words.
        "reason": scored.explanation(),
    })
    return found


# -- data extension -----------------------------------------------------------------------

def _extend(query: protocol.ExtendQuery) -> dict:
    snapshot = entity_index.snapshot()
    catalogue = snapshot.catalogue
    limits = {}
    for pid, settings in query.properties:
        if pid not in BY_ID:
            raise protocol.BadRequest(f"extend.properties: unknown property {pid!r} (properties here: "
                                      f"{', '.join(BY_ID)})")
        limits[pid] = _limit_setting(pid, settings)
    found = {i: catalogue.resolve_id(i) for i in query.ids}
    known = sorted({iri for iri in found.values() if iri is not None})
    wanted = set(limits)
    document_limit = limits.get("document")
    facts_by_iri = entity_index.GraphFacts(snapshot).facts(
        dict.fromkeys(wanted, known), limit=document_limit or None) if known and wanted else {}
    table = entity_index.type_table()
    meta = []
    for pid, _ in query.properties:
        prop = BY_ID[pid]
        entry: dict[str, Any] = {"id": pid, "name": prop.name}     # JSON
        if pid == "document":
            entry["type"] = table.json("ArchivalDocument")
        elif pid in ("place", "partOfPlace"):
            entry["type"] = table.json("Place")
        meta.append(entry)
    rows = {}
    for given, iri in found.items():
        entity = facts_by_iri.get(iri) if iri is not None else None
        rows[given] = {pid: _cells(pid, entity, limits[pid]) if entity is not None else []
                       for pid, _ in query.properties}
    return {"meta": meta, "rows": rows}


def _limit_setting(pid: str, settings: dict) -> int:
    raw = settings.get("limit", DEFAULT_VALUES)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise protocol.BadRequest(f"extend.properties ({pid}).settings.limit: must be a whole number, "
                                  f"not {raw!r}") from None
    if value < 0:
        raise protocol.BadRequest(f"extend.properties ({pid}).settings.limit: cannot be negative")
    return value


def _cells(pid: str, entity, limit: int) -> list[dict]:
    def entity_cell(iri: str, name: str) -> dict:
        return {"id": entity_index.reconcile_id(iri), "name": name}

    if pid == "document":
        cells = [entity_cell(iri, name) for iri, name in entity.documents.items()]
    elif pid == "post":
        cells = [{"str": post.text()} for post in entity.posts]
    elif pid == "organization":
        cells = [entity_cell(iri, name) for iri, name in sorted(entity.organizations.items(), key=lambda i: i[1])]
    elif pid == "date":
        cells = [{"str": edtf} for edtf, _, _ in entity.dates]
    elif pid == "place":
        cells = [entity_cell(iri, name) for iri, (name, direct) in sorted(entity.places.items(), key=lambda i: i[1])
                 if direct]
    elif pid == "partOfPlace":
        cells = [entity_cell(iri, name) for iri, name in sorted(entity.part_of.items(), key=lambda i: i[1])]
    elif pid == "wikidata":
        cells = [{"str": q} for q in sorted(entity.wikidata)]
    elif pid == "link":
        cells = [{"str": iri} for iri in sorted(entity.links)]
    else:
        cells = [{"str": name} for name in entity.names]
    return cells[:limit] if limit else cells


@bp.get("/reconcile/properties")
def propose_properties():
    table = entity_index.type_table()
    wanted = request.args.get("type")
    if not wanted:
        raise ApiError(400, "bad-reconcile-request", "Give the type whose properties you want: ?type=Person")
    tid = table.resolve(wanted)
    if tid is None:
        raise ApiError(400, "bad-reconcile-request",
                       f"Unknown type {wanted!r}; types here: {', '.join(sorted(table.types))}.")
    found: dict[str, Any] = {"type": wanted, "properties": [     # JSON
        {"id": prop.id, "name": prop.name, "description": prop.description}
        for prop in for_root(table.types[tid].root)]}
    limit = request.args.get("limit")
    if limit is not None:
        if not limit.isdigit() or int(limit) < 1:
            raise ApiError(400, "bad-reconcile-request", f"limit must be a positive whole number, not {limit!r}")
        found["limit"] = int(limit)
        found["properties"] = found["properties"][:int(limit)]
    return jsonify(found)


# -- suggest --------------------------------------------------------------------------------

def _suggest_arguments() -> tuple[str, int, int]:
    try:
        cursor = protocol.parse_cursor(request.args.get("cursor"))
        limit = protocol.parse_cursor(request.args.get("limit")) or SUGGESTIONS
    except protocol.BadRequest as exc:
        raise _bad(exc) from None
    return request.args.get("prefix", ""), cursor, min(limit, protocol.MAX_LIMIT)


@bp.get("/reconcile/suggest/entity")
def suggest_entity():
    prefix, cursor, limit = _suggest_arguments()
    snapshot = entity_index.snapshot()
    table = snapshot.catalogue.types
    types = None
    wanted = request.args.get("type")
    if wanted:
        tid = table.resolve(wanted)
        if tid is None:
            raise ApiError(400, "bad-reconcile-request",
                           f"Unknown type {wanted!r}; types here: {', '.join(sorted(table.types))}.")
        types = table.members(tid)
    cards = suggest_entities(entity_index.name_parts(), snapshot.catalogue, prefix, types=types,
                             cursor=cursor, limit=limit) if prefix.strip() else []
    return jsonify({"result": [
        {"id": card.id, "name": card.name, **({"description": card.description} if card.description else {}),
         "notable": [table.json(tid) for tid in card.types[:1]]} for card in cards]})


@bp.get("/reconcile/suggest/type")
def suggest_type():
    prefix, cursor, limit = _suggest_arguments()
    table = entity_index.type_table()
    items = [(tid, info.name, "") for tid, info in sorted(table.types.items())]
    found = suggest_by_words(items, prefix)[cursor:cursor + limit]
    return jsonify({"result": [_type_json(table, tid) for tid, _, _ in found]})


@bp.get("/reconcile/suggest/property")
def suggest_property():
    prefix, cursor, limit = _suggest_arguments()
    table = entity_index.type_table()
    wanted = request.args.get("type")
    tid = table.resolve(wanted) if wanted else None
    chosen = for_root(table.types[tid].root) if tid else list(PROPERTIES)
    items = [(prop.id, prop.name, prop.description) for prop in chosen]
    found = suggest_by_words(items, prefix)[cursor:cursor + limit]
    return jsonify({"result": [{"id": pid, "name": name, "description": description}
                               for pid, name, description in found]})


# -- preview --------------------------------------------------------------------------------

@bp.get("/reconcile/preview")
def preview():
    wanted = request.args.get("id", "")
    snapshot = entity_index.snapshot()
    iri = snapshot.catalogue.resolve_id(wanted)
    if iri is None:
        raise ApiError(404, "unknown-entity", f"No entity of this service has the id {wanted!r}.")
    card = snapshot.catalogue.cards[iri]
    table = snapshot.catalogue.types
    entity = entity_index.GraphFacts(snapshot).facts(dict.fromkeys(("post", "date", "wikidata"), [iri]))[iri]
    documents, total = facts.documents_mentioning(iri, limit=PREVIEW_DOCUMENTS, offset=0)
    rows = facts.passages_about(iri, [doc for doc, _ in documents])
    labels = Labels()
    facts.want_passages(labels, rows)
    labels.want(*(doc for doc, _ in documents))
    labels.resolve()
    grouped = facts.group_passages(rows, documents, labels)
    description = card.description or ""
    if card.types and description.startswith(table.label(card.types[0])):
        description = description[len(table.label(card.types[0])):].lstrip(" ·")
    body = render_template(
        "reconcile_preview.html", card=card, description=description, page=iris.href(iri),
        types=[table.label(tid) for tid in card.types], posts=[post.text() for post in entity.posts[:4]],
        dates=[edtf for edtf, _, _ in entity.dates[:1]], wikidata=sorted(entity.wikidata),
        documents=grouped, documents_total=total)
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    response.headers["Referrer-Policy"] = "same-origin"
    return response

