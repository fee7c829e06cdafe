"""Gunicorn settings shared by `archivekg serve` and server/gunicorn.conf.py.

Threaded workers (gthread): a request waiting for its query worker only holds a thread,
so one slow query never blocks a whole server process.  The app is preloaded in the
master, so files given to `archivekg serve FILE...` are parsed once and shared by every
process copy-on-write.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("archivekg.web")


def options(settings: dict[str, Any], *, bind: str, workers: int) -> dict[str, Any]:
    timeout = float(settings["QUERY_TIMEOUT"])
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        # A thread per request that may be waiting on a query worker, with room to spare: a
        # lookup must find a free thread while slow queries hold every extra lane.
        "threads": max(8, 2 * int(settings["QUERY_WORKERS_MAX"]) + 2),
        # Heartbeat timeout of a server process; queries have their own limit, far below.
        "timeout": int(timeout) + 30,
        # On SIGTERM, let running queries finish (they cannot run longer than this).
        "graceful_timeout": int(timeout) + 5,
        "keepalive": 5,
        "preload_app": True,
        "accesslog": None,           # the app writes its own access log (archivekg.access)
        "errorlog": "-",
        "loglevel": str(settings["LOG_LEVEL"]).lower(),
        "limit_request_line": 8190,  # the largest gunicorn allows; longer queries must be POSTed
        "proc_name": "archivekg",
        # gunicorn >= 24 opens a control socket in the home directory by default; two
        # servers on one machine would fight over it, and nothing here uses it.
        "control_socket_disable": True,
        "post_worker_init": post_worker_init,
        "on_starting": _refuse_copies_with_updates(settings),
    }


def updates_enabled(settings: dict[str, Any]) -> bool:
    """Updates change served files in memory; each server process holds its own copy."""
    return bool(settings["UPDATE_TOKEN"]) and bool(settings["SERVE_FILES"])


def _refuse_copies_with_updates(settings: dict[str, Any]):
    def on_starting(server) -> None:
        workers = int(server.cfg.workers)
        if updates_enabled(settings) and workers > 1:
            # gunicorn prints a RuntimeError as "Error: ..." and exits with status 1.
            raise RuntimeError(
                f"updates are enabled (UPDATE_TOKEN) and each of the {workers} server processes "
                "would hold its own copy of the served files, so an update would reach only one "
                "of them: run with one server process (--workers 1 / WEB_CONCURRENCY=1)")
    return on_starting


def post_worker_init(worker) -> None:
    """Fork the query workers now, while the server process is still single-threaded."""
    app = getattr(worker, "wsgi", None)
    engine = getattr(app, "extensions", {}).get("archivekg")
    if engine is None:
        return
    try:
        engine.pool().start()
    except Exception as exc:  # reported by /health and by every query until it is fixed
        log.error("query workers could not start: %s", getattr(exc, "message", exc))
