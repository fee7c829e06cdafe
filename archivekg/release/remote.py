"""HTTP to an external triple store: the requests of `archivekg publish` (Graph Store
Protocol, SPARQL Update) and of `archivekg serve --store` (SPARQL Protocol queries).

The standard library's ``http.client`` is used directly: the serving path needs kept-alive
connections, a deadline that covers the whole answer (not only the wait for each packet) and
the socket, to cut a request the moment the deadline passes.  Stores ask for HTTP Basic
(Fuseki, GraphDB) or Digest (Virtuoso) authentication; the first 401 says which, and later
requests answer it in advance, so that a streamed body is sent once.
"""

from __future__ import annotations

import base64
import http.client
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from archivekg.errors import ArchiveKGError

# A body: bytes, or a function that returns the body's blocks anew (a retry resends it).
Body = bytes | Callable[[], Iterable[bytes]] | None

BLOCK = 1 << 16


class StoreError(ArchiveKGError):
    """A request to the external store failed: what failed, and at which address."""

    exit_code = 3

    def __init__(self, message: str, *, url: str, status: int | None = None, detail: str = ""):
        self.url, self.status, self.message, self.detail = url, status, message, detail
        super().__init__(f"{message} ({url})" + (f": {detail}" if detail else ""))


class StoreTimeout(StoreError):
    """The store did not answer (or stopped answering) within the time allowed."""


class StoreUnreachable(StoreError):
    """No connection to the store could be made, or it broke."""


class Cancelled(Exception):
    """The caller gave up on the request (its own client hung up)."""


@dataclass(frozen=True)
class Credentials:
    user: str = ""
    password: str = ""
    token: str = ""         # sent as "Authorization: Bearer" on every request

    def __bool__(self) -> bool:
        return bool(self.user)


class _Challenge:
    """The authentication a store asked for, answered on every later request to it."""

    def __init__(self, header: str, credentials: Credentials):
        scheme, _, rest = header.strip().partition(" ")
        self.scheme = scheme.lower()
        self.params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        self._digest = urllib.request.AbstractDigestAuthHandler(_Passwords(credentials))
        self._credentials = credentials
        self._lock = threading.Lock()

    def header(self, method: str, url: str) -> str | None:
        if self.scheme == "basic":
            pair = f"{self._credentials.user}:{self._credentials.password}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        if self.scheme == "digest":
            with self._lock:      # the handler counts its uses of a nonce
                answer = self._digest.get_authorization(urllib.request.Request(url, method=method),
                                                        self.params)
            return f"Digest {answer}" if answer else None
        return None


class _Passwords(urllib.request.HTTPPasswordMgr):
    """The one user and password of this client, whatever the realm (a challenge comes only
    from the store we were told to talk to)."""

    def __init__(self, credentials: Credentials):
        super().__init__()
        self._pair = (credentials.user, credentials.password)

    def find_user_password(self, realm, authuri):
        return self._pair


def _pick(headers: list[str]) -> str | None:
    """The challenge to answer: Digest over Basic when a store offers both."""
    by_scheme = {h.strip().partition(" ")[0].lower(): h for h in headers}
    return by_scheme.get("digest") or by_scheme.get("basic")


class Response:
    """An answer whose body is read under the request's deadline; the connection goes back
    to the pool only when the body was read to its end."""

    _conn: http.client.HTTPConnection | None          # None once read to its end or closed

    def __init__(self, client: Client, origin: tuple, conn: http.client.HTTPConnection,
                 raw: http.client.HTTPResponse, url: str, deadline: float | None,
                 cancelled: Callable[[], bool] | None):
        self._client, self._origin, self._conn, self._raw = client, origin, conn, raw
        self.url, self.status, self.reason = url, raw.status, raw.reason
        self.headers = raw.headers
        self._deadline, self._cancelled = deadline, cancelled
        self.timed_out = self.cancelled = False

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all when -1); raises StoreTimeout or Cancelled."""
        if size is None or size < 0:
            parts: list[bytes] = []
            while True:
                block = self.read(BLOCK)
                if not block:
                    return b"".join(parts)
                parts.append(block)
        if self._conn is None:          # read to its end, or closed
            return b""
        if self._cancelled is not None and self._cancelled():
            self.cancelled = True
            self.close()
            raise Cancelled()
        self._arm()
        try:
            block = self._raw.read1(size) if size else b""
        except TimeoutError:
            self.timed_out = True
            self.close()
            raise StoreTimeout("the store's answer did not arrive in time", url=self.url) from None
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise StoreUnreachable("the connection broke while the answer was read", url=self.url,
                                   detail=str(exc)) from None
        if not block:
            self._finish()
        return block

    def readable(self) -> bool:     # a file for Oxigraph's parsers
        return True

    def text(self, limit: int = 2000) -> str:
        """The start of the body, for an error message."""
        try:
            return self.read(limit).decode("utf-8", "replace").strip()
        except (StoreError, Cancelled):
            return ""
        finally:
            self.close()

    def _arm(self) -> None:
        if self._deadline is None or self._conn is None or self._conn.sock is None:
            return
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            self.timed_out = True
            self.close()
            raise StoreTimeout("the store's answer did not arrive in time", url=self.url)
        self._conn.sock.settimeout(remaining)

    def _finish(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            self._raw.close()       # marks the exchange done; the socket stays with ``conn``
            if self._raw.will_close:
                conn.close()
            else:
                self._client._give_back(self._origin, conn)

    def close(self) -> None:
        """Drop the connection (the store sees its request cut) unless the body was read."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            self._raw.close()
            conn.close()

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Client:
    """Kept-alive connections to one or more stores, shared by the threads of a process
    (never across a fork: each process makes its own)."""

    def __init__(self, credentials: Credentials | None = None, *, timeout: float = 60.0):
        self.credentials = credentials if credentials is not None else Credentials()
        self.timeout = timeout
        self._idle: dict[tuple, list[http.client.HTTPConnection]] = {}
        self._challenges: dict[tuple, _Challenge] = {}
        self._lock = threading.Lock()

    def request(self, method: str, url: str, *, body: Body = None, headers: dict | None = None,
                timeout: float | None = None, deadline: float | None = None,
                cancelled: Callable[[], bool] | None = None, length: int | None = None) -> Response:
        """Send one request; the answer's status is the caller's to judge.  ``timeout``
        bounds each wait for the store, ``deadline`` (a monotonic time) the whole exchange."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError("not an http(s) address", url=url)
        origin = (parts.scheme, parts.hostname, parts.port)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        wait = self.timeout if timeout is None else timeout
        answered_challenge = False
        for _attempt in range(3):
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    raise StoreTimeout("no time was left to ask the store", url=url)
            conn, reused = self._connection(origin, wait)
            sent = dict(headers or {})
            if length is not None:
                sent["Content-Length"] = str(length)
            if self.credentials.token:
                sent["Authorization"] = f"Bearer {self.credentials.token}"
            challenge = self._challenges.get(origin)
            if challenge is not None and self.credentials:
                answer = challenge.header(method, url)
                if answer:
                    sent["Authorization"] = answer
            try:
                raw = self._exchange(conn, method, target, body, sent, url)
            except _Stale:
                conn.close()
                if reused:
                    # A kept-alive connection the store had closed meanwhile: the others that
                    # waited as long are closed too, so the next try opens a new one.
                    self._drop_idle(origin)
                    continue
                raise StoreUnreachable("the store closed the connection", url=url) from None
            if raw.status == 401 and self.credentials and not answered_challenge:
                offered = _pick(raw.headers.get_all("WWW-Authenticate") or [])
                raw.read()
                raw.close()
                if raw.will_close:
                    conn.close()
                else:
                    self._give_back(origin, conn)
                if offered is not None:
                    self._challenges[origin] = _Challenge(offered, self.credentials)
                    answered_challenge = True
                    continue
                return _Closed(url, raw)
            return Response(self, origin, conn, raw, url, deadline, cancelled)
        raise StoreUnreachable("the store kept closing the connection", url=url)

    def _exchange(self, conn, method, target, body, headers, url) -> http.client.HTTPResponse:
        data = body() if callable(body) else body
        try:
            conn.putrequest(method, target, skip_accept_encoding=True)
            chunked = data is not None and not isinstance(data, bytes) and "Content-Length" not in headers
            if isinstance(data, bytes):
                headers["Content-Length"] = str(len(data))
            elif data is None and method in ("POST", "PUT"):
                headers["Content-Length"] = "0"
            if chunked:
                headers["Transfer-Encoding"] = "chunked"
            for key, value in headers.items():
                conn.putheader(key, value)
            if isinstance(data, bytes):
                # Headers and body in one packet: one wake-up of the store, not two.
                conn.endheaders(message_body=data)
            else:
                conn.endheaders()
            if data is not None and not isinstance(data, bytes):
                for block in data:
                    if not block:
                        continue
                    conn.send(b"%X\r\n%s\r\n" % (len(block), block) if chunked else block)
                if chunked:
                    conn.send(b"0\r\n\r\n")
        except TimeoutError:
            conn.close()
            raise StoreTimeout("the store stopped reading the request before its end", url=url) from None
        except (BrokenPipeError, ConnectionResetError) as exc:
            # A store may answer (401, 413) before it has read the whole body, and close.
            try:
                return conn.getresponse()
            except (OSError, http.client.HTTPException):
                conn.close()
                raise _Stale() if isinstance(exc, BrokenPipeError) else StoreUnreachable(
                    "the store closed the connection while the request was sent", url=url,
                    detail=str(exc)) from None
        except ConnectionRefusedError:
            conn.close()
            raise StoreUnreachable("the store refused the connection (is it running?)", url=url) from None
        except OSError as exc:
            conn.close()
            raise StoreUnreachable("cannot connect to the store", url=url,
                                   detail=exc.strerror or str(exc)) from None
        try:
            return conn.getresponse()
        except TimeoutError:
            conn.close()
            raise StoreTimeout("the store did not answer in time", url=url) from None
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            raise _Stale() from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise StoreUnreachable("the connection to the store broke", url=url, detail=str(exc)) from None

    def _connection(self, origin: tuple, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            idle = self._idle.get(origin)
            conn = idle.pop() if idle else None
        if conn is not None:
            conn.sock.settimeout(timeout)
            return conn, True
        scheme, host, port = origin
        kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = kind(host, port, timeout=timeout)
        try:
            conn.connect()
        except TimeoutError:
            conn.close()
            raise StoreTimeout("the store did not accept a connection in time",
                               url=f"{scheme}://{host}:{port or ''}") from None
        except OSError as exc:
            conn.close()
            what = ("the store refused the connection (is it running?)"
                    if isinstance(exc, ConnectionRefusedError) else "cannot connect to the store")
            raise StoreUnreachable(what, url=f"{scheme}://{host}{':' + str(port) if port else ''}",
                                   detail="" if isinstance(exc, ConnectionRefusedError)
                                   else (exc.strerror or str(exc))) from None
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, False

    def _give_back(self, origin: tuple, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self._idle.setdefault(origin, []).append(conn)

    def _drop_idle(self, origin: tuple) -> None:
        with self._lock:
            idle = self._idle.pop(origin, [])
        for conn in idle:
            conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Stale(Exception):
    pass


class _Closed(Response):
    """A 401 with no challenge we can answer: its status, with the body already read."""

    def __init__(self, url: str, raw: http.client.HTTPResponse):
        self.url, self.status, self.reason, self.headers = url, raw.status, raw.reason, raw.headers
        self._conn = None
        self.timed_out = self.cancelled = False

    def read(self, size: int = -1) -> bytes:
        return b""

    def close(self) -> None:
        pass
