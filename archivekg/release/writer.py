"""A release folder being written (see store.py): under a temporary name, locked, and renamed
when complete, with its manifest and ``graphs.json`` (where each graph's lines are in
``dataset.nq``: `archivekg publish` sends graphs from there); or removed, when the build
fails.  What goes in it is written by assemble.py."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from archivekg import __version__
from archivekg.release.blocks import NQUADS
from archivekg.release.store import RELEASES, WRITER_LOCK, lock_partial, remove_abandoned_partials

RANGES = "graphs.json"


class ReleaseWriter:
    def __init__(self, build_dir: Path):
        releases = Path(build_dir) / RELEASES
        releases.mkdir(parents=True, exist_ok=True)
        remove_abandoned_partials(releases)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.folder = releases / f".partial-{stamp}-{os.getpid()}"
        self.final = releases / stamp
        self.folder.mkdir()
        self._lock: int | None = lock_partial(self.folder)      # None once unlocked
        self.graphs: dict[str, int] = {}
        self.dumps: dict[str, dict] = {}
        self.ranges: dict[str, tuple[int, int]] = {}       # graph -> (start, end) in dataset.nq

    def finish(self, base: str, license_iri: str) -> Path:
        """Write the manifest, and give the release its final name."""
        manifest = {"version": __version__, "base_iri": base,
                    "built": datetime.now(UTC).isoformat(timespec="seconds"),
                    "triples": sum(self.graphs.values()), "graphs": dict(sorted(self.graphs.items())),
                    "dumps": self.dumps, "license": license_iri}
        (self.folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                                   encoding="utf-8")
        ranges = {"source": NQUADS, "graphs": {iri: list(self.ranges[iri]) for iri in sorted(self.ranges)}}
        (self.folder / RANGES).write_text(json.dumps(ranges) + "\n", encoding="utf-8")
        (self.folder / WRITER_LOCK).unlink()
        os.replace(self.folder, self.final)
        self._unlock()
        return self.final

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def abort(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self._unlock()
