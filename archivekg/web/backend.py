"""The per-process query engine of the app: the data source, its worker pool, cached counts.

Created lazily by the first request that needs it, in the process that serves it: under
gunicorn each worker process has its own pool (a pool must never be inherited through a
fork), while parsed files may be loaded once in the master and inherited.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import threading
from typing import Any

from flask import Flask, current_app

from ..errors import ArchiveKGError
from .errors import ApiError
from .pool import HARD_LIMIT_MARGIN, PoolBusy, QueryPool, QueryTimeout, StoreUnavailable, WorkerCrashed
from .source import DataSource

log = logging.getLogger("archivekg.web")

EXTENSION = "archivekg"


class Backend:
    def __init__(self, settings: dict[str, Any]):
        self.settings = settings
        self.source = DataSource(settings)
        self.timeout = float(settings["QUERY_TIMEOUT"])
        self.max_results = int(settings["MAX_RESULTS"])
        self._pool: QueryPool | None = None
        self._pool_pid: int | None = None
        self._lock = threading.Lock()
        self._stats: dict[str, Any] | None = None
        self._update_lock = threading.Lock()

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
                pool = QueryPool(self.settings["QUERY_WORKERS"], self.source.open_for_worker)
                atexit.register(pool.close)
                self._pool, self._pool_pid = pool, pid
                self._stats = None
        return self._pool

    def call(self, operation: str, args: dict[str, Any], *,
             timeout: float | None = None) -> tuple[str, dict, bytes | None]:
        """One operation on a worker, with every pool failure turned into an ApiError."""
        limit = self.timeout if timeout is None else timeout
        try:
            return self.pool().call(operation, args, timeout=limit, queue_timeout=self.timeout)
        except QueryTimeout:
            raise ApiError(
                503, "query-timeout",
                f"The query was stopped after the time limit of {limit:g} s (setting QUERY_TIMEOUT). "
                "Make it more selective: bind more variables, add LIMIT, avoid unconstrained "
                "patterns that multiply each other.", limit_seconds=limit) from None
        except PoolBusy:
            raise ApiError(
                503, "busy",
                f"Every query worker stayed busy for {self.timeout:g} s; try again shortly.",
                headers={"Retry-After": "5"}) from None
        except StoreUnavailable as exc:
            raise ApiError(503, "store-unavailable", f"The data cannot be opened: {exc}") from None
        except WorkerCrashed as exc:
            log.error("query worker crashed on %s %r: %s", operation,
                      str(args.get("query") or args.get("update") or "")[:500], exc)
            raise ApiError(
                500, "worker-crashed",
                "The process running this request died (it was logged, and replaced). "
                "If it happens again with the same query, please report it.") from None

    # -- cached statistics ---------------------------------------------------------------

    def statistics(self) -> dict[str, Any]:
        self.pool()
        stats = self._stats
        if stats is None:
            # Counting is a few full scans: allow more than an interactive query, still bounded.
            status, details, _ = self.call("stats", {"base_iri": self.settings["BASE_IRI"]},
                                           timeout=max(60.0, 10 * self.timeout))
            if status != "ok":
                raise worker_error(details)
            stats = self._stats = details
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
            # First run it in a throw-away worker, under the time limit: a runaway update is
            # stopped there, and a failing one reports its error, before the served data is touched.
            probe = pool.spawn_private()
            request = pickle.dumps(("update", {"update": text,
                                               "hard_limit": self.timeout + HARD_LIMIT_MARGIN}))
            try:
                status, details, _ = probe.exchange(request, self.timeout)
            except QueryTimeout:
                raise ApiError(503, "update-timeout",
                               f"The update was stopped after {self.timeout:g} s and not applied.") from None
            except WorkerCrashed as exc:
                raise ApiError(500, "worker-crashed", f"The update failed in its worker: {exc}") from None
            finally:
                pool.discard(probe)
            if status != "ok":
                raise worker_error(details)
            with pool.fork_lock:
                memory.update(text)
            self._stats = None
            pool.renew()


def worker_error(details: dict[str, Any]) -> ApiError:
    """The ApiError for an error a worker reported."""
    code = details.get("code")
    extra = {k: v for k, v in details.items() if k not in ("code", "message")}
    if code == "syntax-error":
        return ApiError(400, code, details["message"] + ". Check the query at the given position.",
                        **extra)
    if code == "query-error":
        return ApiError(400, code, details["message"])
    if code == "query-io-error":
        return ApiError(502, "query-io-error",
                        f"The query could not be completed: {details['message']}")
    log.error("query worker reported an internal error:\n%s", details.get("message"))
    return ApiError(500, "internal-error",
                    "The query failed because of a bug in archivekg; it was logged.")


def backend() -> Backend:
    return current_app.extensions[EXTENSION]


def install(app: Flask, settings: dict[str, Any]) -> Backend:
    instance = Backend(settings)
    app.extensions[EXTENSION] = instance
    return instance
