"""Fixtures of the curation tests: a writable copy of data/ and the documents written for them."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DOCUMENTS = Path(__file__).resolve().parent / "documents"
PAGE = DOCUMENTS / "memo-sorokin-fishing.html"
PAGE_ID = "memo-sorokin-1956-03-05"
MAX_BYTES = 10 * 1024 * 1024


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data/ that a test may change."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes (hidden lock files aside)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}
