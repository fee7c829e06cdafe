"""The review page behind the update token: login, CSRF, origin, decisions written with the
reviewer's name; and off when the server has no token."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from archivekg.curation.importer import import_file
from archivekg.curation.proposals import annotate
from archivekg.pipeline.yamlload import load_yaml
from archivekg.web import create_app

from .conftest import MAX_BYTES, PAGE, PAGE_ID, snapshot

TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def proposed(data):
    import_file(PAGE, data, max_bytes=MAX_BYTES, today=dt.date(2026, 1, 2))
    _, proposals = annotate(data, PAGE_ID)
    return data, {(p.kind, p.words): p.id for p in proposals}


def client_for(data, tmp_path, token=TOKEN):
    app = create_app({"DATA_DIR": str(data), "BUILD_DIR": str(tmp_path / "build"), "UPDATE_TOKEN": token})
    return app.test_client()


def login(client, name="A. Curator", token=TOKEN):
    page = client.get("/review")
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post("/review/login", data={"nonce": nonce, "reviewer": name, "token": token})


def csrf_of(client, path):
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_without_a_token_the_pages_do_not_exist(proposed, tmp_path):
    data, _ = proposed
    client = client_for(data, tmp_path, token="")
    assert client.get("/review", headers={"Accept": "text/html"}).status_code == 404
    assert client.post("/review/login", data={"token": ""}).status_code == 404


def test_login_sets_a_strict_http_only_session(proposed, tmp_path):
    data, _ = proposed
    client = client_for(data, tmp_path)
    first = client.get("/review")
    assert first.status_code == 200 and "Update token" in first.get_data(as_text=True)
    assert first.headers["Cache-Control"] == "no-store"
    wrong = login(client, token="guess")
    assert wrong.status_code == 403 and "not the update token" in wrong.get_data(as_text=True)
    done = login(client)
    assert done.status_code == 303
    cookie = next(h for h in done.headers.getlist("Set-Cookie") if h.startswith("akg_review="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/review" in cookie
    index = client.get("/review").get_data(as_text=True)
    assert "A. Curator" in index and f'href="/review/{PAGE_ID}"' in index


def test_login_form_needs_its_own_nonce(proposed, tmp_path):
    data, _ = proposed
    client = client_for(data, tmp_path)
    forged = client.post("/review/login", data={"reviewer": "Mallory", "token": TOKEN})
    assert forged.status_code == 403 and "stale or did not come from this site" in forged.get_data(as_text=True)


def test_a_decision_needs_the_session_the_csrf_token_and_this_site(proposed, tmp_path):
    data, ids = proposed
    client = client_for(data, tmp_path)
    target = f"/review/{PAGE_ID}/{ids['mention', 'Pyongyang']}"
    before = snapshot(data)
    assert client.post(target, data={"decision": "accept"}).status_code == 403          # no session
    login(client)
    assert client.post(target, data={"decision": "accept", "csrf": "forged"}).status_code == 403
    csrf = csrf_of(client, f"/review/{PAGE_ID}")
    elsewhere = client.post(target, data={"decision": "accept", "csrf": csrf},
                            headers={"Origin": "https://attacker.example"})
    assert elsewhere.status_code == 403
    assert snapshot(data) == before
    accepted = client.post(target, data={"decision": "accept", "csrf": csrf})
    assert accepted.status_code == 303 and accepted.headers["Location"].endswith(f"/review/{PAGE_ID}")
    statement = load_yaml(data / "annotations" / f"{PAGE_ID}.yaml")["statements"][-1]
    assert statement["accepted"]["by"] == "A. Curator"
    assert statement["claims"] == {"mentions": "pyongyang"}
    again = client.post(target, data={"decision": "accept", "csrf": csrf})
    assert again.status_code == 409


def test_the_document_page_shows_each_proposal_in_its_passage(proposed, tmp_path):
    data, ids = proposed
    client = client_for(data, tmp_path)
    login(client)
    page = client.get(f"/review/{PAGE_ID}").get_data(as_text=True)
    assert page.count('<section class="proposal"') == len(ids)
    assert "<mark>Ri Chol-ho</mark>" in page
    assert "new Person &#39;Ri Chol-ho&#39; (ri-chol-ho)" in page
