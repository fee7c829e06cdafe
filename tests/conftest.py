"""Shared fixtures: the shipped corpus built once per session into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archivekg import settings as settings_module
from archivekg.release.make import build
from archivekg.release.store import current_release, open_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Settings of a fresh build of the shipped corpus (data/ as it is in the repository)."""
    build_dir = tmp_path_factory.mktemp("build")
    settings = settings_module.load({"BUILD_DIR": str(build_dir)}, environ={})
    result = build(settings)
    return {"settings": settings, "result": result}


@pytest.fixture(scope="session")
def store(built):
    return open_store(current_release(built["settings"]["BUILD_DIR"]))


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ (and a build folder) for tests that break the input."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    for path in data.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return data
