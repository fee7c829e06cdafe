"""The shipped corpus (data/) built once, without validation (the search index is all these
tests need of it), queried through Flask's test client and, for the browser tests, served
by a real server on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archivekg import settings as settings_module
from archivekg.release.make import build
from archivekg.release.store import current_release
from archivekg.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/archivekg/"
ID = BASE + "id/"


def build_shipped(folder: Path, data: Path | None = None) -> dict:
    """Build ``data`` (default: a copy of data/) into ``folder``; the settings used."""
    if data is None:
        data = folder / "data"
        shutil.copytree(ROOT / "data", data)
    values = {"DATA_DIR": str(data), "BUILD_DIR": str(folder / "build")}
    build(settings_module.load(values, environ={}), validate=False)
    return values


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> dict:
    return build_shipped(tmp_path_factory.mktemp("search"))


@pytest.fixture(scope="session")
def release(shipped) -> Path:
    return current_release(shipped["BUILD_DIR"])


@pytest.fixture(scope="session")
def app(shipped):
    return create_app(dict(shipped))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def shipped_server(shipped, tmp_path_factory):
    from tests.linkeddata.conftest import start_server
    running = start_server(tmp_path_factory.mktemp("search-server"), dict(shipped, BASE_IRI=BASE))
    yield running
    running.stop()
