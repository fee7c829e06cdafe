"""Where a build lives on disk, and how to open it.

A build is a folder ``BUILD_DIR/releases/<name>/`` holding

- ``store/``         an on-disk Oxigraph store with every named graph,
- ``dataset.nq``     the whole dataset as N-Quads (sorted, byte-identical between builds),
- ``dataset.trig``   the same as TriG,
- ``manifest.json``  what was built: counts per graph, the dumps' sizes, the version.

The dumps' SHA-256 checksums are computed once, with the derived dumps, by
``linkeddata/dumps.py`` for /download/: a rebuild rewrites 0.7 GB of dumps at ten thousand
documents, and hashing them would cost it a second and a half.

``BUILD_DIR/current`` is a symbolic link to the release being served.  A build writes a
new release and then replaces the link in one ``rename``: readers see the old graph or the
new one, never half of one, and a failed build leaves the link where it was.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox

from .errors import BuildMissing

CURRENT = "current"
RELEASES = "releases"


def current_release(build_dir: str | os.PathLike) -> Path:
    """The folder of the served release; BuildMissing when nothing was built yet."""
    link = Path(build_dir) / CURRENT
    if not link.exists():
        raise BuildMissing(
            f"no built graph in {Path(build_dir)} (run `archivekg build` first)")
    return link.resolve()


def open_store(release: str | os.PathLike, *, read_only: bool = True) -> ox.Store:
    """Open the Oxigraph store of a release.  Read-only opens can be shared by many processes."""
    path = Path(release) / "store"
    if not path.is_dir():
        raise BuildMissing(f"{release}: the release has no store/ folder")
    return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))


def manifest(release: str | os.PathLike) -> dict:
    with (Path(release) / "manifest.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def switch_current(build_dir: str | os.PathLike, release: str | os.PathLike) -> None:
    """Point BUILD_DIR/current at ``release`` atomically (rename of a fresh symlink)."""
    build_dir = Path(build_dir)
    target = os.path.relpath(Path(release).resolve(), build_dir.resolve())
    tmp = build_dir / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, build_dir / CURRENT)
