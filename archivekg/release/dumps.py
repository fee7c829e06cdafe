"""The dumps of a release as the download page and VoID list them: ``downloads.json``, which
the build writes beside them with each file's size and SHA-256 (release/blocks.py says what
each file holds).  A release is never written to once published: the server only reads."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from archivekg.release.store import manifest

INDEX = "downloads.json"


def file_digest(path: Path) -> dict:
    """Size and SHA-256 of a file, read in blocks."""
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
            size += len(block)
    return {"bytes": size, "sha256": sha.hexdigest()}


def index(release: Path) -> dict[str, dict]:
    """name -> {"bytes", "sha256"} of every dump of ``release``.  A release an older build
    wrote has no index: its manifest's dumps are listed, without checksums."""
    path = Path(release) / INDEX
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {name: {"bytes": info.get("bytes"), "sha256": info.get("sha256")}
            for name, info in (manifest(release).get("dumps") or {}).items()}
