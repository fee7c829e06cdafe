"""Servers of the store tests: the shipped corpus served from a real Virtuoso by a server
with no build to fall back on, and the same corpus served by the embedded store."""

from __future__ import annotations

import pytest
from sparql.conftest import start_server


@pytest.fixture(scope="session")
def store_server(published, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-store")
    server = start_server(folder, settings={
        "BUILD_DIR": str(folder / "no-build"), "STORE_URL": published["store"].query_url,
        "QUERY_TIMEOUT": "20", "QUERY_WORKERS": "2"})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def embedded_server(built, tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("serve-embedded"),
                          settings={"BUILD_DIR": built["settings"]["BUILD_DIR"], "QUERY_WORKERS": "2",
                                    "QUERY_TIMEOUT": "20"})
    yield server
    server.stop()


