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
        "threads": max(4, 4 * int(settings["QUERY_WORKERS"])),
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
    }


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
