"""The review page: each proposal of ``archivekg annotate`` in its passage, to accept or reject.

Behind the update token (setting ``UPDATE_TOKEN``; without one the pages do not exist).  A
browser cannot send a bearer header from a form, so the token is typed once into a login form,
with the reviewer's name, and the server answers with a session cookie: the name and an expiry,
signed with an HMAC keyed by the token (changing the token ends every session).  The cookie is
``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no other site's page sends it) and
scoped to ``/review``; it is ``Secure`` when the page is served over HTTPS.  Every form that
changes data carries a CSRF token derived from the session, and a request whose ``Origin`` is
another site's is refused, so that a page elsewhere cannot accept a proposal in a reviewer's
name.  The login form has its own CSRF token (a random value in a cookie and in the form).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, redirect, request, url_for

from archivekg.curation import review as decisions
from archivekg.datalayout import PROPOSALS_SUFFIX
from archivekg.endpoint.errors import ApiError
from archivekg.errors import ReviewError
from archivekg.pipeline.yamlload import load_yaml
from archivekg.site.render import pages

bp = pages.blueprint("review")

SESSION = "akg_review"
LOGIN_NONCE = "akg_review_login"
SESSION_SECONDS = 8 * 3600
PATH = "/review"


def _token() -> str:
    token = current_app.config.get("UPDATE_TOKEN") or ""
    if not token:
        raise ApiError(404, "review-disabled",
                       "The review pages are off: the server has no update token (setting UPDATE_TOKEN).")
    return token


def _sign(token: str, message: str) -> str:
    return hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()


def _session_value(token: str, reviewer: str) -> str:
    name = base64.urlsafe_b64encode(reviewer.encode()).decode().rstrip("=")
    expiry = str(int(time.time()) + SESSION_SECONDS)
    return f"{name}.{expiry}.{_sign(token, f'review-session|{name}|{expiry}')}"


def _reviewer(token: str) -> str | None:
    """The reviewer of a valid session cookie, or None."""
    value = request.cookies.get(SESSION, "")
    parts = value.split(".")
    if len(parts) != 3:
        return None
    name, expiry, signature = parts
    if not hmac.compare_digest(signature, _sign(token, f"review-session|{name}|{expiry}")):
        return None
    if not expiry.isdigit() or int(expiry) < time.time():
        return None
    try:
        return base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def _csrf(token: str) -> str:
    return _sign(token, "review-csrf|" + request.cookies.get(SESSION, ""))


def _check_form(token: str) -> str:
    """The reviewer of a state-changing request that passes every check; 403 otherwise."""
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        raise ApiError(403, "review-cross-origin", "A request from another site cannot change the data.")
    reviewer = _reviewer(token)
    if reviewer is None:
        raise ApiError(403, "review-login", "Log in to review: the session is missing or has expired.")
    if not hmac.compare_digest(request.form.get("csrf", ""), _csrf(token)):
        raise ApiError(403, "review-csrf", "The form is stale or did not come from this site: reload the page.")
    return reviewer


def _page(template: str, status: int = 200, **context):
    response = pages.page(template, status=status, **context)
    response.headers["Cache-Control"] = "no-store"
    return response


def _data() -> Path:
    return Path(current_app.config["DATA_DIR"])


def _login_form(token: str, error: str | None = None, status: int = 200):
    nonce = secrets.token_urlsafe(24)
    response = _page("review_login.html", status=status, title="Review: log in", error=error, nonce=nonce)
    response.set_cookie(LOGIN_NONCE, nonce, httponly=True, samesite="Strict", path=PATH, secure=request.is_secure,
                        max_age=3600)
    return response


@bp.route(PATH, methods=["GET"])
def index():
    token = _token()
    reviewer = _reviewer(token)
    if reviewer is None:
        return _login_form(token)
    documents = []
    for path in sorted((_data() / "annotations").glob(f"*{PROPOSALS_SUFFIX}")):
        made = load_yaml(path) or {}
        count = len(made.get("proposals") or [])
        documents.append((made.get("document") or path.name[:-len(PROPOSALS_SUFFIX)], count))
    return _page("review_index.html", title="Review", reviewer=reviewer, documents=documents, csrf=_csrf(token))


@bp.route(f"{PATH}/login", methods=["POST"])
def login():
    token = _token()
    nonce = request.cookies.get(LOGIN_NONCE, "")
    if not nonce or not hmac.compare_digest(request.form.get("nonce", ""), nonce):
        return _login_form(token, "The form is stale or did not come from this site: try again.", 403)
    reviewer = " ".join(request.form.get("reviewer", "").split())
    given = request.form.get("token", "")
    if not hmac.compare_digest(given.encode(), token.encode()):
        return _login_form(token, "That is not the update token.", 403)
    if not reviewer:
        return _login_form(token, "Give your name: it is recorded with every decision.", 400)
    response = redirect(url_for("review.index"), code=303)
    response.set_cookie(SESSION, _session_value(token, reviewer[:200]), httponly=True, samesite="Strict",
                        path=PATH, secure=request.is_secure, max_age=SESSION_SECONDS)
    response.delete_cookie(LOGIN_NONCE, path=PATH)
    return response


@bp.route(f"{PATH}/logout", methods=["POST"])
def logout():
    _check_form(_token())
    response = redirect(url_for("review.index"), code=303)
    response.delete_cookie(SESSION, path=PATH)
    return response


@bp.route(f"{PATH}/<doc_id>", methods=["GET"])
def document(doc_id: str):
    token = _token()
    reviewer = _reviewer(token)
    if reviewer is None:
        return redirect(url_for("review.index"), code=303)
    data = _data()
    try:
        pending = decisions.pending(data, doc_id)
        record = load_yaml(data / "documents" / f"{doc_id}.yaml")
        text = (data / "documents" / record["text"]).read_text(encoding="utf-8")
        shown = [(proposal, decisions.passage(text, proposal, 140), _describe(proposal)) for proposal in pending]
    except (ReviewError, OSError) as exc:
        raise ApiError(404, "review-no-proposals", str(exc)) from None
    return _page("review_document.html", title=f"Review {doc_id}", reviewer=reviewer, doc_id=doc_id,
                 record=record, shown=shown, csrf=_csrf(token))


@bp.route(f"{PATH}/<doc_id>/<proposal_id>", methods=["POST"])
def decide(doc_id: str, proposal_id: str):
    token = _token()
    reviewer = _check_form(token)
    decision = request.form.get("decision")
    try:
        if decision == "accept":
            decisions.accept(_data(), doc_id, proposal_id, reviewer)
        elif decision == "reject":
            decisions.reject(_data(), doc_id, proposal_id, reviewer,
                             reason=" ".join(request.form.get("reason", "").split()) or None)
        else:
            raise ApiError(400, "review-decision", "Say 'accept' or 'reject'.")
    except ReviewError as exc:
        raise ApiError(409, "review-conflict", str(exc)) from None
    return redirect(url_for("review.document", doc_id=doc_id), code=303)


def _describe(proposal: dict) -> str:
    return decisions.describe(proposal)
