"""Fixtures of the Linked Data tests: the test corpus (corpus/) built into a temporary
folder and served by a real server process on 127.0.0.1, and an HTTP client that does not
follow redirects (the tests look at the 303s themselves)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from archivekg import settings as settings_module
from archivekg.release.make import build
from archivekg.release.store import current_release

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ROOT = HERE.parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
PUBLIC_BASE = "https://w3id.org/archivekg/"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def media_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path
    base_iri: str
    release: Path
    corpus: Path

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def get(self, path: str, accept: str | None = None, headers: dict | None = None,
            params: dict | None = None, method: str = "GET", body: bytes | None = None) -> Reply:
        """One request, redirects not followed; ``path`` may be a full URL on this server."""
        if path.startswith("http"):
            parsed = urllib.parse.urlsplit(path)
            assert parsed.port == self.port, f"{path} is not on the test server"
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if params:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(params)
        all_headers = dict(headers or {})
        if accept is not None:
            all_headers["Accept"] = accept
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                         response.read())
        finally:
            connection.close()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_corpus(folder: Path, base_iri: str) -> dict:
    """Copy the test corpus into ``folder`` and build it there; the settings used."""
    shutil.copytree(CORPUS, folder / "corpus")
    corpus = folder / "corpus"
    values = {"BASE_IRI": base_iri, "DATA_DIR": str(corpus / "data"),
              "ONTOLOGY_DIR": str(corpus / "ontology"), "SHAPES_DIR": str(corpus / "shapes"),
              "BUILD_DIR": str(folder / "build")}
    build(settings_module.load(values, environ={}), validate=False)
    return values


def start_server(folder: Path, values: dict) -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVEKG_")}
    env.update({f"ARCHIVEKG_{k}": v for k, v in values.items()})
    env.update({"ARCHIVEKG_LOG_LEVEL": "INFO", "ARCHIVEKG_QUERY_TIMEOUT": "20",
                "PYTHONUNBUFFERED": "1"})
    log_path = folder / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "archivekg.cli.serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", "1"],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT), start_new_session=True)
    server = Server(process, port, log_path, values["BASE_IRI"],
                    current_release(values["BUILD_DIR"]), Path(values["DATA_DIR"]).parent)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{server.log()}")
        try:
            if server.get("/health").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the server did not become healthy:\n{server.log()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The test corpus, minted with the public base, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("linkeddata")
    running = start_server(folder, build_corpus(folder, PUBLIC_BASE))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
