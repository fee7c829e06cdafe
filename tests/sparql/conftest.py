"""Fixtures that run the real endpoint: `python -m archivekg.cli.serve` (gunicorn) on
127.0.0.1 on a free port, as a separate process, stopped at the end of the session."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample.trig"
EXTRA = DATA / "extra.ttl"
EX = "http://example.org/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environ(settings: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVEKG_")}
    env.update({f"ARCHIVEKG_{k}": str(v) for k, v in settings.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip()

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Server:
    """A running `archivekg serve` process and a tiny HTTP client for it."""

    process: subprocess.Popen
    port: int
    log_path: Path
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"

    def request(self, method: str, path: str, *, params=None, data: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 30.0) -> Reply:
        url = self.base + path
        if params is not None:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return Reply(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers.items()), error.read())

    def get(self, path: str = "/sparql", params=None, headers=None, **kw) -> Reply:
        return self.request("GET", path, params=params, headers=headers, **kw)

    def query(self, query: str, accept: str | None = None, **params) -> Reply:
        headers = {"Accept": accept} if accept else {}
        return self.get("/sparql", params={"query": query, **params}, headers=headers)

    def post(self, path: str, data: bytes, content_type: str | None, headers=None, params=None) -> Reply:
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        return self.request("POST", path, data=data, headers=all_headers, params=params)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def descendants(self) -> list[int]:
        return _descendants(self.process.pid)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        return self.process.returncode


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def start_server(tmp: Path, *, files=(), settings=None, workers: int = 1,
                 wait: bool = True) -> Server:
    port = free_port()
    settings = {"LOG_LEVEL": "INFO", **(settings or {})}
    log_path = tmp / f"server-{port}.log"
    command = [sys.executable, "-m", "archivekg.cli.serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), *map(str, files)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   env=clean_environ(settings), start_new_session=True)
    server = Server(process, port, log_path, settings)
    if wait:
        wait_healthy(server)
    return server


def wait_healthy(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{server.log()}")
        try:
            if server.get("/health", timeout=5).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not become healthy:\n{server.log()}")


class Recorder(http.server.ThreadingHTTPServer):
    """A local HTTP server that records every request: the network a query must not reach,
    and, for the allowlist tests, a tiny remote SPARQL endpoint."""

    daemon_threads = True

    def __init__(self):
        self.hits: list[str] = []
        super().__init__(("127.0.0.1", 0), _RecorderHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _RecorderHandler(http.server.BaseHTTPRequestHandler):
    RESULT = {"head": {"vars": ["remote"]},
              "results": {"bindings": [{"remote": {"type": "uri", "value": EX + "from-remote"}}]}}

    def _answer(self):
        self.server.hits.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.path.startswith("/sparql"):
            body = json.dumps(self.RESULT).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
        else:
            body = b"<http://example.org/fetched> <http://example.org/p> <http://example.org/o> .\n"
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def recorder():
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, recorder):
    """The sample data served from files, with a small upload limit and the recorder's
    /sparql as the one allowlisted SERVICE endpoint."""
    srv = start_server(tmp_path_factory.mktemp("server"), files=[SAMPLE], settings={
        "QUERY_TIMEOUT": "10", "MAX_UPLOAD_BYTES": str(64 * 1024), "QUERY_WORKERS": "2",
        "SERVICE_ALLOWLIST": recorder.url + "/sparql"}, workers=2)
    yield srv
    srv.stop()


def write_generated(path: Path, triples: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(f"@prefix ex: <{EX}> .\n")
        for graph in range(2):
            out.write(f"ex:bulk{graph} {{\n")
            for i in range(triples // 2):
                n = graph * triples + i
                out.write(f'  ex:item{n} ex:value {n} ; ex:label "item {n}" .\n'
                          if i % 2 else f"  ex:item{n} a ex:Item .\n")
            out.write("}\n")
    return path


@pytest.fixture(scope="session")
def big_server(tmp_path_factory):
    """Thousands of triples, a 3 s time limit and at most 100 results per response;
    one server process, so concurrent requests share its two query workers."""
    tmp = tmp_path_factory.mktemp("big")
    data = write_generated(tmp / "generated.trig", 4000)
    srv = start_server(tmp, files=[data], settings={
        "QUERY_TIMEOUT": "3", "MAX_RESULTS": "100", "QUERY_WORKERS": "2"}, workers=1)
    yield srv
    srv.stop()


UPDATE_TOKEN = "test-token-0123456789"


@pytest.fixture(scope="session")
def update_server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("update"), files=[SAMPLE, EXTRA], settings={
        "UPDATE_TOKEN": UPDATE_TOKEN, "QUERY_WORKERS": "2", "QUERY_TIMEOUT": "5"}, workers=1)
    yield srv
    srv.stop()


LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def make_release(build_dir: Path) -> Path:
    """A release laid out like `archivekg build` writes one, from the sample data."""
    release = build_dir / "releases" / "r1"
    release.mkdir(parents=True)
    store = ox.Store(str(release / "store"))
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    store.flush()
    quads = len(store)
    graphs = {}
    for quad in store:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs[quad.graph_name.value] = graphs.get(quad.graph_name.value, 0) + 1
    del store
    # Every dump the build writes, with their index (release/blocks.py, release/dumps.py).
    names = ("dataset.nq", "dataset.trig", "dataset.nq.gz", "dataset.ttl", "dataset.jsonld")
    for name in names:
        (release / name).write_bytes(b"")
    (release / "downloads.json").write_text(json.dumps(
        {name: {"bytes": 0, "sha256": hashlib.sha256(b"").hexdigest()} for name in names}))
    (release / "manifest.json").write_text(json.dumps({
        "version": "0.1.0", "base_iri": "http://example.org/", "built": "2024-01-01T00:00:00Z",
        "triples": quads, "graphs": graphs,
        "dumps": {"dataset.nq": {"bytes": 0, "sha256": ""}, "dataset.trig": {"bytes": 0, "sha256": ""}},
        "license": LICENSE}))
    os.symlink(os.path.relpath(release, build_dir), build_dir / "current")
    return release


@pytest.fixture(scope="session")
def build_server(tmp_path_factory):
    build_dir = tmp_path_factory.mktemp("build")
    make_release(build_dir)
    srv = start_server(build_dir, settings={"BUILD_DIR": str(build_dir), "BASE_IRI": EX,
                                            "QUERY_WORKERS": "2"}, workers=2)
    yield srv
    srv.stop()
