"""Gunicorn configuration for archivekg: ``gunicorn -c server/gunicorn.conf.py``.

The values come from archivekg.endpoint.gunicorn_config (the same ones `archivekg serve` uses)
and from the archivekg settings (ARCHIVEKG_* environment variables or ARCHIVEKG_CONFIG).
Command-line options override this file (``--bind 0.0.0.0:8000``, ``--workers 4``), and
two deployment knobs are read from the environment:

  WEB_CONCURRENCY       server processes                  (default 2; 1 when UPDATE_TOKEN is set)
  FORWARDED_ALLOW_IPS   proxies trusted for X-Forwarded-*  (default 127.0.0.1)
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from archivekg import settings as _settings
from archivekg.endpoint import gunicorn_config as _gunicorn_config

_values = _settings.load()
_default_workers = 1 if _gunicorn_config.updates_enabled(_values) else 2

globals().update(_gunicorn_config.options(
    _values,
    bind="127.0.0.1:8000",
    workers=int(os.environ.get("WEB_CONCURRENCY", _default_workers)),
))
wsgi_app = "wsgi:app"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
