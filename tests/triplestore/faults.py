"""A proxy in front of a real store that fails on purpose: it passes every request through,
except the Nth Graph Store PUT, which it answers with an error status or stalls in the middle
of its body (the client's timeout must end the wait)."""

from __future__ import annotations

import http.client
import http.server
import threading
import urllib.parse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}


class FaultProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, *, fail_put: int, mode: str):
        """``mode``: "413" (answer 413 after 1 KiB of the body) or "stall" (read 1 KiB of the
        body, then neither read nor answer until released)."""
        self.upstream = urllib.parse.urlsplit(upstream)
        self.fail_put, self.mode = fail_put, mode
        self.puts = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.failed = threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _pass(self):
        server: FaultProxy = self.server
        length = int(self.headers.get("Content-Length") or 0)
        if self.command == "PUT":
            with server.lock:
                server.puts += 1
                number = server.puts
            # Digest's first, unauthorised try of a PUT does not count.
            if number == server.fail_put and self.headers.get("Authorization"):
                self._fail(length)
                return
            if not self.headers.get("Authorization"):
                with server.lock:
                    server.puts -= 1
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection(server.upstream.hostname, server.upstream.port, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _fail(self, length: int):
        server: FaultProxy = self.server
        self.rfile.read(min(length, 1024))
        server.failed.set()
        if server.mode == "stall":
            server.release.wait(120)
            self.close_connection = True
            return
        message = b"request entity too large\n"
        self.send_response(413, "Request Entity Too Large")
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(message)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(message)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _pass

    def log_message(self, *args):
        pass
