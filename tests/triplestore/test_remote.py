"""The store client's authentication and deadlines against a small local HTTP server: Basic
after a challenge (Fuseki, GraphDB), a bearer token on every request (QLever), and a body
that stops arriving."""

from __future__ import annotations

import base64
import http.server
import threading
import time

import pytest

from archivekg.release.publish import PublishError, select
from archivekg.release.remote import Client, Credentials, StoreTimeout

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.seen: list[str | None] = []
        super().__init__(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        auth = self.headers.get("Authorization")
        self.server.seen.append(auth)
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"x" * 10)
            self.wfile.flush()
            time.sleep(3)
            return
        if self.path == "/basic" and auth != "Basic " + base64.b64encode(b"reader:secret").decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_POST(self):
        """A store that answers every query with an ASK's boolean."""
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"head": {}, "boolean": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    running = _Server()
    yield running
    running.shutdown()
    running.server_close()


@pytest.fixture
def closing():
    """Wraps the clients a test makes, and closes them after it (their kept-alive connections)."""
    made: list[Client] = []

    def keep(client: Client) -> Client:
        made.append(client)
        return client
    yield keep
    for client in made:
        client.close()


def test_basic_authentication_answers_the_challenge_then_goes_first(server, closing):
    client = closing(Client(Credentials("reader", "secret")))
    for _ in range(2):
        with client.request("GET", server.url + "/basic") as reply:
            assert reply.status == 200 and reply.read() == b"ok"
    assert server.seen[0] is None and server.seen[1].startswith("Basic ") and server.seen[2] == server.seen[1]


def test_a_bearer_token_goes_with_every_request(server, closing):
    client = closing(Client(Credentials(token="access-token-1")))
    with client.request("GET", server.url + "/open") as reply:
        assert reply.read() == b"ok"
    assert server.seen == ["Bearer access-token-1"]


def test_a_body_that_stops_arriving_is_cut_at_the_deadline(server, closing):
    client = closing(Client())
    started = time.monotonic()
    reply = client.request("GET", server.url + "/slow", deadline=time.monotonic() + 1)
    with pytest.raises(StoreTimeout):
        reply.read()
    assert time.monotonic() - started < 2.5


def test_a_boolean_answer_to_a_select_is_a_publish_error_not_a_traceback(server, closing):
    client = closing(Client())
    with pytest.raises(PublishError) as raised:
        select(client, server.url + "/sparql", "SELECT ?s WHERE { ?s ?p ?o }", what="reading the record")
    assert "reading the record: the store's answer is not SPARQL JSON results" in str(raised.value)
    assert "a boolean, where the query asks for solutions" in raised.value.detail
