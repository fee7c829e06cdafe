"""Shared fixtures: the shipped corpus built once per session into a temporary folder.

A test is marked ``slow`` (``pytestmark = pytest.mark.slow`` for a module, or the decorator)
when it starts a process of its own (a server, a browser, Virtuoso, a JVM, the command line)
or builds a corpus of its own: ``pytest -m "not slow"`` is the quick loop (the unit tests,
the shape cases, Flask's test client over the session's build), ``make test`` runs both.
"""

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


# -- an external triple store (issue 16) ------------------------------------------------------
# A real Virtuoso from Debian's packages (`.ci/run` installs it), started on 127.0.0.1 on free
# ports with its database in a temporary folder.  A test that needs it fails when it is not
# installed: it never skips.

class TripleStore:
    """One running Virtuoso and the addresses and settings archivekg uses for it."""

    USER = PASSWORD = "dba"         # the fresh database's administrator, on loopback only

    def __init__(self, folder: Path):
        import socket
        import sys

        sys.path.insert(0, str(ROOT))
        from benchmarks.virtuoso.server import Virtuoso

        ports = []
        for _ in range(2):
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                ports.append(sock.getsockname()[1])
        self.server = Virtuoso(folder, ports[0], ports[1], memory_bytes=256 << 20)
        self.server.start(folder)
        self.root = f"http://127.0.0.1:{ports[1]}"

    @property
    def query_url(self) -> str:
        """The anonymous, read-only SPARQL endpoint: what `archivekg serve --store` uses."""
        return self.root + "/sparql"

    def publish_settings(self) -> dict[str, str]:
        """Settings of `archivekg publish` for this store (Digest authentication)."""
        return {"STORE_URL": self.root + "/sparql-auth",
                "STORE_GRAPH_STORE_URL": self.root + "/sparql-graph-crud-auth",
                "STORE_USER": self.USER, "STORE_PASSWORD": self.PASSWORD}

    def select(self, query: str) -> list[dict]:
        """Rows of a query asked of the store directly, as {variable: value}."""
        import json as json_module
        import urllib.parse
        import urllib.request

        request = urllib.request.Request(
            self.query_url, data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = json_module.loads(response.read())
        if "boolean" in payload:
            return [{"boolean": payload["boolean"]}]
        return [{k: v["value"] for k, v in row.items()} for row in payload["results"]["bindings"]]

    def graph_counts(self, prefix: str) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                           f"FILTER(STRSTARTS(STR(?g), \"{prefix}\")) }} GROUP BY ?g")
        return {row["g"]: int(row["n"]) for row in rows}

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="session")
def triple_stores(tmp_path_factory):
    """Start a store per name on first use (one per dataset base IRI: a store holds one
    publication of each base)."""
    started: dict[str, TripleStore] = {}

    def get(name: str) -> TripleStore:
        if name not in started:
            started[name] = TripleStore(tmp_path_factory.mktemp(f"virtuoso-{name}"))
        return started[name]

    yield get
    for store_ in started.values():
        store_.stop()


@pytest.fixture(scope="session")
def published(built, triple_stores):
    """The shipped corpus's build published into its own store."""
    from archivekg.release.publish import publish

    triple_store = triple_stores("corpus")
    settings = settings_module.load({**built["settings"], **triple_store.publish_settings()},
                                    environ={})
    result = publish(settings)
    return {"store": triple_store, "settings": settings, "result": result}
