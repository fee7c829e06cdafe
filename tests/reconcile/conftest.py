"""Fixtures of the reconciliation, link and federation tests: the shipped corpus built once
(tests/conftest.py) and served by a real `archivekg serve` on 127.0.0.1 ("ours"), and a second
archivekg serving a partner's dataset (data/partner.ttl) as another project would."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from sparql.conftest import Reply, Server, start_server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PARTNER = HERE / "data" / "partner.ttl"
PARTNER_BASE = "https://partner.example/"


def reconcile(server: Server, queries: dict, *, method: str = "POST") -> Reply:
    """A query batch sent as OpenRefine sends it: a form field ``queries`` (or a GET parameter)."""
    text = json.dumps(queries, ensure_ascii=False)
    if method == "GET":
        return server.get("/reconcile", params={"queries": text})
    return server.post("/reconcile", urllib.parse.urlencode({"queries": text}).encode(),
                       "application/x-www-form-urlencoded")


@pytest.fixture(scope="session")
def ours(built, tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("reconcile-ours"), settings={
        "BUILD_DIR": built["settings"]["BUILD_DIR"], "QUERY_WORKERS": "2"}, workers=1)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def partner(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("reconcile-partner"), files=[PARTNER],
                       settings={"BASE_IRI": PARTNER_BASE}, workers=1)
    yield srv
    srv.stop()
