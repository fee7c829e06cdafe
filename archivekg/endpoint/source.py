"""Where the served data comes from: the current build, or RDF files the user names.

Files are parsed into an in-memory Oxigraph store in the serving process before query
workers fork from it, so workers share those pages copy-on-write and a replaced worker
starts in milliseconds.  A build is never opened by the serving process itself: each query
worker opens the on-disk store read-only after it has forked, because a RocksDB handle
must not cross a fork.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from archivekg import rdfsafety
from archivekg.errors import BuildMissing, SourceError
from archivekg.rdfformats import FORMATS, known_extensions, name_for
from archivekg.release import store as build_store


def rdf_format(path: Path) -> ox.RdfFormat:
    name = name_for(path)
    if name is None:
        raise SourceError(f"cannot tell the RDF format from the extension {path.suffix!r} "
                          f"(known extensions: {known_extensions()})", file=str(path))
    return FORMATS[name]


def load_files(paths: list[str]) -> ox.Store:
    """An in-memory store with every file; triples go to the default graph, quads keep theirs."""
    store = ox.Store()
    for name in paths:
        path = Path(name)
        fmt = rdf_format(path)
        if not path.is_file():
            raise SourceError("no such file", file=str(path))
        name_of_format = name_for(path)
        if name_of_format in rdfsafety.CHECKED:
            rdfsafety.check(path.read_bytes(), name_of_format, file=str(path))
        try:
            store.load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        except SyntaxError as exc:
            line = exc.lineno if isinstance(exc.lineno, int) else None
            message = exc.msg if isinstance(exc.msg, str) else str(exc)
            raise SourceError(f"not valid {fmt.name}: {message}", file=str(path), line=line) from exc
        except (OSError, ValueError) as exc:
            raise SourceError(f"cannot load as {fmt.name}: {exc}", file=str(path)) from exc
    return store


class DataSource:
    """The served dataset.  ``prepare`` does the work that can fail, before serving starts."""

    def __init__(self, settings: dict[str, Any]):
        self.files: list[str] = list(settings["SERVE_FILES"])
        self.build_dir = settings["BUILD_DIR"]
        self._memory: ox.Store | None = None
        self._release: Path | None = None

    @property
    def kind(self) -> str:
        return "files" if self.files else "build"

    def prepare(self) -> None:
        """Parse the files, or find the release; raises SourceError / BuildMissing."""
        if self.files:
            if self._memory is None:
                self._memory = load_files(self.files)
        elif self._release is None:
            release = build_store.current_release(self.build_dir)
            if not (release / "store").is_dir():
                raise BuildMissing(f"{release}: the release has no store/ folder")
            build_store.hold(release)     # a later build must not delete what we serve
            self._release = release

    def open_for_worker(self) -> ox.Store:
        """The store a freshly forked worker queries."""
        self.prepare()
        if self._memory is not None:
            return self._memory
        assert self._release is not None, "prepare() found the release"
        return build_store.open_store(self._release, read_only=True)

    @property
    def memory_store(self) -> ox.Store | None:
        return self._memory

    def manifest(self) -> dict | None:
        if self.files:
            return None
        self.prepare()
        assert self._release is not None, "prepare() found the release"
        try:
            return build_store.manifest(self._release)
        except (OSError, ValueError):
            return None

    def describe(self) -> str:
        if self.files:
            return ", ".join(os.path.basename(f) for f in self.files)
        return str(self._release) if self._release else f"{self.build_dir}/{build_store.CURRENT}"
