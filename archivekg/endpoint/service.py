"""Describing the service: VoID at /.well-known/void, and /health for load balancers."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, request

from archivekg import rdfformats as formats
from archivekg.endpoint import description
from archivekg.endpoint.backend import backend
from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.pool import PoolBusy, PoolError
from archivekg.endpoint.protocol import negotiate_format, not_acceptable
from archivekg.release import dumps

bp = Blueprint("service", __name__)


@bp.get("/.well-known/void")
def void():
    requested = [v.strip() for v in request.args.getlist("format") if v.strip()]
    fmt = negotiate_format(formats.GRAPHS, requested, request.headers.get("Accept"))
    if fmt is None:
        raise not_acceptable(formats.GRAPHS, requested)
    engine = backend()
    stats = engine.statistics()
    manifest = engine.source.manifest()
    if manifest is not None:
        title = f"archivekg {manifest.get('version', '')}".strip()
    else:
        title = f"RDF served by archivekg ({engine.source.describe()})"
    # The dumps are listed where their release folder is served; a server answering from an
    # external triple store has no release folder (the machine that has it serves the dumps).
    served_folder = manifest is not None and engine.source.kind != "store"
    downloads = dumps.index(Path(engine.source.describe())) if served_folder else {}
    triples = description.void_description(
        void_url=request.base_url, root=request.url_root, stats=stats,
        settings=current_app.config, manifest=manifest, title=title, downloads=downloads)
    response = Response(description.serialize(triples, fmt.name), content_type=fmt.content_type)
    response.vary.add("Accept")
    return response


@bp.get("/health")
def health():
    engine = backend()
    pool = engine.pool()
    try:
        # Never queue behind running queries: a busy pool is a live pool.
        engine.ping()
        state = "ok"
    except PoolBusy:
        state = "busy"
    except PoolError as exc:
        raise ApiError(503, "store-unavailable", f"The data cannot be queried: {exc}") from None
    return {"ok": True, "status": 200, "state": state, "source": engine.source.kind,
            "workers": pool.status()}
