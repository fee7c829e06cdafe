"""What every blueprint of this package shares: templates, assets, the HTML error page,
the security headers of pages, and facts about the served release."""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, g, render_template, request

from archivekg.endpoint.backend import backend
from archivekg.endpoint.errors import ApiError, error_response
from archivekg.endpoint.negotiation import choose
from archivekg.endpoint.store_backend import StoreSource
from archivekg.namespaces import LICENSE

HERE = Path(__file__).resolve().parent.parent     # archivekg/site: templates/ and static/
HTML = "text/html"
HTML_TYPES = (HTML, "application/xhtml+xml")

# Pages run no inline script or style, so the policy can forbid both: a label that slipped
# through escaping would still not run.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")

def content_security_policy() -> str:
    """The policy, letting images come from the map tile server when one is configured
    (setting MAP_TILES), and the style elements of a page's own scripts in when the page asked
    for a nonce (the query editor's); nothing else is ever loaded from elsewhere."""
    policy = CONTENT_SECURITY_POLICY
    tiles = current_app.config.get("MAP_TILES") or ""
    origin = re.match(r"^(https?://[^/{}]+)", tiles)
    if origin is not None:
        policy = policy.replace("img-src 'self' data:", f"img-src 'self' data: {origin.group(1)}")
    nonce = g.get("style_nonce")
    if nonce:
        policy = policy.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")
    return policy


assets = Blueprint("ld_assets", __name__, static_folder=str(HERE / "static"),
                   static_url_path="/assets")


@assets.app_template_global()
def style_nonce() -> str:
    """A nonce for the style elements that a page's script adds (CodeMirror mounts its styles
    as <style> elements with this nonce); one per response, put into its policy by page()."""
    nonce = g.get("style_nonce")
    if nonce is None:
        nonce = g.style_nonce = secrets.token_urlsafe(18)
    return nonce


def blueprint(name: str) -> Blueprint:
    bp = Blueprint(name, __name__, template_folder=str(HERE / "templates"))
    bp.register_error_handler(ApiError, render_error)
    return bp


def prefers_html() -> bool:
    kind = choose(request.headers.get("Accept"), ("application/json", HTML, "text/plain"),
                  media_types=lambda t: (t,))
    return kind == HTML


def render_error(error: ApiError) -> Response:
    """The shared error answer; browsers get it as a page of this site."""
    if not prefers_html():
        return error_response(error)
    response = page("error.html", status=error.status, error=error, payload=error.payload())
    response.headers.update(error.headers)
    response.vary.add("Accept")
    return response


def page(template: str, *, status: int = 200, **context: Any) -> Response:
    response = Response(render_template(template, **context), status=status, mimetype=HTML)
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


# -- the served release ----------------------------------------------------------------

def served_release() -> Path | None:
    """The release folder the query workers read, or None when files are served."""
    engine = backend()
    if isinstance(engine.source, StoreSource):
        return engine.source.release_folder()
    if engine.source.kind != "build":
        return None
    engine.pool()            # finds the release (or answers 503 when there is none)
    return Path(engine.source.describe())


def manifest() -> dict | None:
    return backend().source.manifest()


def license_iri() -> str:
    found = manifest()
    return (found or {}).get("license") or LICENSE


_cache: dict[tuple, Any] = {}
_cache_lock = threading.Lock()


def cached(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per release: a built release never changes.  Served files can
    be updated, so nothing is cached for them."""
    engine = backend()
    version = engine.source.cache_key() if isinstance(engine.source, StoreSource) else served_release()
    if version is None:
        return compute()
    key = (str(version), current_app.config["BASE_IRI"], name)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    value = compute()
    with _cache_lock:
        for old in [k for k in _cache if k[0] != key[0]]:
            del _cache[old]
        _cache[key] = value
    return value
