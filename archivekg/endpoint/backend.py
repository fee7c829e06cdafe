"""The per-process query engine of the app: the data source, its worker pool, cached counts.

Created lazily by the first request that needs it, in the process that serves it: under
gunicorn each worker process has its own pool (a pool must never be inherited through a
fork), while parsed files may be loaded once in the master and inherited.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from archivekg.endpoint.errors import ApiError
from archivekg.endpoint.pool import (
    ClientGone,
    MemoryLimitExceeded,
    PoolBusy,
    QueryPool,
    QueryTimeout,
    StoreUnavailable,
    WorkerCrashed,
)
from archivekg.endpoint.source import DataSource
from archivekg.endpoint.worker import PingRequest, QueryRequest, Reply, StatsRequest, UpdateRequest
from archivekg.errors import ArchiveKGError

if TYPE_CHECKING:       # store_backend builds on this module
    from archivekg.endpoint.store_backend import StoreSource

log = logging.getLogger("archivekg.web")

EXTENSION = "archivekg"


class Backend:
    def __init__(self, settings: dict[str, Any]):
        self.settings = settings
        self.source: DataSource | StoreSource = DataSource(settings)
        self.timeout = float(settings["QUERY_TIMEOUT"])
        self.max_results = int(settings["MAX_RESULTS"])
        self.memory_limit = int(settings["QUERY_MEMORY_MB"]) * 2**20
        self._pool: QueryPool | None = None
        self._pool_pid: int | None = None
        self._lock = threading.Lock()
        self._stats: dict[str, Any] | None = None
        self._update_lock = threading.Lock()
        self._bare: tuple[int, QueryPool] | None = None

    # -- the pool ------------------------------------------------------------------------

    def pool(self) -> QueryPool:
        pid = os.getpid()
        if self._pool is not None and self._pool_pid == pid:
            return self._pool
        with self._lock:
            if self._pool is None or self._pool_pid != pid:
                try:
                    self.source.prepare()
                except ArchiveKGError as exc:
                    raise ApiError(503, "store-unavailable", f"The data cannot be opened: {exc}") from exc
                assert isinstance(self.source, DataSource), "a StoreBackend has a pool of its own"
                pool = QueryPool(self.settings["QUERY_WORKERS"], self.source.open_for_worker,
                                 max_size=self.settings["QUERY_WORKERS_MAX"],
                                 seal=bool(self.settings["QUERY_NETWORK_SANDBOX"]),
                                 memory_limit=self.memory_limit)
                atexit.register(pool.close)
                self._pool, self._pool_pid = pool, pid
                self._stats = None
        return self._pool

    def bare_pool(self) -> QueryPool:
        """Forks store-less workers (validation): it needs no data, so no build either."""
        pid = os.getpid()
        if self._bare is None or self._bare[0] != pid:
            self._bare = (pid, QueryPool(1, None, seal=bool(self.settings["QUERY_NETWORK_SANDBOX"]),
                                         memory_limit=self.memory_limit))
        return self._bare[1]

    def call(self, request: Any, *, timeout: float | None = None,
             cancelled: Callable[[], bool] | None = None, private: str | None = None,
             limit_setting: str = "QUERY_TIMEOUT") -> Reply:
        """One request on a worker, with every pool failure turned into an ApiError.

        ``private``: None runs it on the pool; "network" on an unsealed worker forked for it
        (an allowlisted SERVICE); "no-store" on a sealed worker without the data (validation)."""
        limit = self.timeout if timeout is None else timeout
        pool = self.bare_pool() if private == "no-store" else self.pool()
        try:
            if private is None:
                reply = pool.call(request, timeout=limit, queue_timeout=self.timeout,
                                  cancelled=cancelled)
                if reply.code == "needs-network" and isinstance(request, QueryRequest):
                    reply = self._call_remote(pool, replace(request, network=True), limit, cancelled,
                                              reply.meta.get("endpoints") or [])
                return reply
            return pool.call_private(request, timeout=limit, seal=private != "network",
                                     with_store=private != "no-store", cancelled=cancelled)
        except QueryTimeout:
            raise timeout_error(limit, limit_setting) from None
        except MemoryLimitExceeded as exc:
            raise ApiError(
                503, "memory-limit",
                f"The request was stopped when it had allocated {exc.used // 2**20} MiB, past the "
                f"limit of {exc.limit // 2**20} MiB per request (setting QUERY_MEMORY_MB). Sort, "
                "group or join fewer rows: add LIMIT, bind more variables, avoid ORDER BY over "
                "large results.", limit_mb=exc.limit // 2**20) from None
        except ClientGone:
            raise client_gone_error() from None
        except PoolBusy:
            raise ApiError(
                503, "busy",
                f"Every query worker stayed busy for {self.timeout:g} s; try again shortly.",
                headers={"Retry-After": "5"}) from None
        except StoreUnavailable as exc:
            raise ApiError(503, "store-unavailable", f"The data cannot be opened: {exc}") from None
        except WorkerCrashed as exc:
            text = getattr(request, "query", None) or getattr(request, "update", None) or ""
            log.error("query worker crashed on %s %r: %s", type(request).__name__, str(text)[:500], exc)
            raise ApiError(
                500, "worker-crashed",
                "The process running this request died (it was logged, and replaced). "
                "If it happens again with the same query, please report it.") from None

    @staticmethod
    def _call_remote(pool: QueryPool, request: QueryRequest, limit: float,
                     cancelled: Callable[[], bool] | None, endpoints: list[str]) -> Reply:
        """An allowlisted SERVICE query, on a worker of its own.  Oxigraph's SERVICE client
        waits for the remote without a limit of its own: the time limit stops it, and the
        client learns which remote it was waiting for."""
        try:
            return pool.call_private(request, timeout=limit, seal=False, cancelled=cancelled)
        except QueryTimeout:
            named = ", ".join(f"<{e}>" for e in endpoints) or "a remote endpoint"
            raise ApiError(
                504, "service-timeout",
                f"The query calls the remote SPARQL endpoint {named} and was stopped after the time "
                f"limit of {limit:g} s (setting QUERY_TIMEOUT): the remote did not answer in time, or "
                "the query as a whole took too long. Ask the remote for less (bind more inside SERVICE, "
                "add LIMIT), or try again when it answers.", limit_seconds=limit, endpoints=endpoints) from None

    # -- cached statistics ---------------------------------------------------------------

    def statistics(self) -> dict[str, Any]:
        self.pool()
        stats = self._stats
        if stats is None:
            # Counting is a few full scans: allow more than an interactive query, still bounded.
            reply = self.call(StatsRequest(self.settings["BASE_IRI"]),
                              timeout=max(60.0, 10 * self.timeout))
            if not reply.ok:
                raise worker_error(reply.meta)
            stats = self._stats = reply.meta
        return stats

    # -- updates -------------------------------------------------------------------------

    def apply_update(self, text: str) -> None:
        """Apply an update to the served in-memory data; raises ApiError when it cannot."""
        memory = self.source.memory_store
        pool = self.pool()
        if memory is None:
            raise ApiError(
                403, "read-only-release",
                "The served data is a built release, which never changes once built: change the "
                "sources and run `archivekg build`. Updates apply to `archivekg serve FILE...` only.")
        with self._update_lock:
            # First check and run it in a throw-away sealed worker, under the limits: a runaway
            # update is stopped there, and a refused or failing one reports its error, before
            # the served data is touched.
            reply = self.call(UpdateRequest(text, tuple(self.settings["SERVICE_ALLOWLIST"])),
                              private="sealed")
            if not reply.ok:
                raise worker_error(reply.meta)
            with pool.fork_lock:
                memory.update(text)
            self._stats = None
            pool.renew()

    def ping(self) -> Reply:
        return self.pool().call(PingRequest(), timeout=min(5.0, self.timeout), queue_timeout=0.0)


def timeout_error(limit: float, limit_setting: str = "QUERY_TIMEOUT") -> ApiError:
    return ApiError(
        503, "query-timeout",
        f"The request was stopped after the time limit of {limit:g} s (setting {limit_setting}). "
        "Make it more selective: bind more variables, add LIMIT, avoid unconstrained "
        "patterns that multiply each other.", limit_seconds=limit)


def client_gone_error() -> ApiError:
    return ApiError(499, "client-closed-request",
                    "The client closed the connection; the request was stopped.")


def worker_error(details: dict[str, Any], *, updates_enabled: bool = False) -> ApiError:
    """The ApiError for an error a worker reported."""
    code = details.get("code")
    extra = {k: v for k, v in details.items() if k not in ("code", "message", "form")}
    form = details.get("form")
    if code == "update-as-query":
        how = ("send it as 'update' (form POST) or as an application/sparql-update body, "
               "with the bearer token" if updates_enabled else "this endpoint is read-only")
        return ApiError(400 if updates_enabled else 403, code,
                        f"This is a SPARQL Update ({form}), not a query: {how}.")
    if code == "query-as-update":
        return ApiError(400, code, "The 'update' parameter holds no SPARQL Update operation; "
                        "send queries as 'query'.")
    if code == "load-not-allowed":
        return ApiError(403, code, "LOAD is refused: this server never fetches data from the "
                        "network. Serve the file with `archivekg serve FILE...` or INSERT DATA "
                        "its triples.")
    if code == "service-not-allowed":
        return ApiError(403, code, details["message"], **extra)
    if code == "query-too-deep":
        return ApiError(400, code, details["message"])
    if code == "bad-rdf":
        where = f" (line {details['line']})" if details.get("line") else ""
        return ApiError(400, code, f"The request body cannot be read{where}: {details['message']}",
                        **extra)
    if code == "syntax-error":
        return ApiError(400, code, details["message"] + ". Check the query at the given position.",
                        **extra)
    if code == "query-error":
        return ApiError(400, code, details["message"])
    if code == "service-error":
        return ApiError(502, code, details["message"], **extra)
    if code == "query-io-error":
        return ApiError(502, "query-io-error",
                        f"The query could not be completed: {details['message']}")
    log.error("query worker reported an internal error:\n%s", details.get("message"))
    return ApiError(500, "internal-error",
                    "The query failed because of a bug in archivekg; it was logged.")


def backend() -> Backend:
    return current_app.extensions[EXTENSION]


def install(app: Flask, settings: dict[str, Any]) -> Backend:
    if settings.get("STORE_URL"):
        # An external store answers instead of the embedded one (store_backend.py).
        from archivekg.endpoint.store_backend import StoreBackend
        instance: Backend = StoreBackend(settings)
    else:
        instance = Backend(settings)
    app.extensions[EXTENSION] = instance
    return instance
