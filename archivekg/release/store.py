"""Where a build lives on disk, and how to open it.

A build is a folder ``BUILD_DIR/releases/<name>/`` holding

- ``store/``         an on-disk Oxigraph store with every named graph,
- ``dataset.nq``     the whole dataset as N-Quads (sorted, byte-identical between builds),
- ``dataset.trig``, ``dataset.nq.gz``, ``dataset.ttl``, ``dataset.jsonld``   the same in the
  other formats the download page offers (blocks.py),
- ``downloads.json`` every dump's size and SHA-256,
- ``manifest.json``  what was built: counts per graph, the N-Quads and TriG sizes, the version.
- ``search/``        the search index: full text and names (``release/search/``).

All of it is written by the build (assemble.py); nothing writes into a published release.

``BUILD_DIR/current`` is a symbolic link to the release being served.  A build writes a
new release and then replaces the link in one ``rename``: readers see the old graph or the
new one, never half of one, and a failed build leaves the link where it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from archivekg.errors import BuildMissing

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


# -- releases in use -----------------------------------------------------------------------
# A serving process holds a shared lock on the manifest of the release it serves, for as long
# as it lives (its forked workers share the lock); a build removes an old release only when it
# can take that lock exclusively.  The lock is on a file the release already has, so holding
# it never writes to a published release.
_held: dict[str, int] = {}


def hold(release: str | os.PathLike) -> None:
    """Mark ``release`` as in use by this process until it exits."""
    key = str(Path(release).resolve())
    if key in _held:
        return
    try:
        fd = os.open(Path(key) / "manifest.json", os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise BuildMissing(f"{key}: the release has no readable manifest.json ({exc.strerror})") from exc
    fcntl.flock(fd, fcntl.LOCK_SH)
    _held[key] = fd


def remove_if_unused(release: Path) -> bool:
    """Delete an old release unless a server holds it; True when it was deleted."""
    try:
        fd = os.open(release / "manifest.json", os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        shutil.rmtree(release, ignore_errors=True)
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    shutil.rmtree(release, ignore_errors=True)
    return True


# -- releases being written ----------------------------------------------------------------
WRITER_LOCK = ".writer.lock"


def lock_partial(folder: Path) -> int:
    """Taken by the build writing ``folder`` (released when that process ends, however)."""
    fd = os.open(folder / WRITER_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def remove_abandoned_partials(releases: Path) -> list[Path]:
    """Delete the ``.partial-*`` folders of builds that were killed: those whose writer lock
    nobody holds.  A folder without a lock is a build's first instant, or one killed at it:
    its process id (the name's last part) tells which."""
    removed = []
    for folder in sorted(releases.glob(".partial-*")):
        lock = folder / WRITER_LOCK
        if lock.exists():
            fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            finally:
                os.close(fd)
        elif _process_alive(folder.name.rsplit("-", 1)[-1]):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _process_alive(pid_text: str) -> bool:
    try:
        os.kill(int(pid_text), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
