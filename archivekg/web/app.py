"""The Flask application factory.

``create_app`` validates the configuration and wires the blueprints; it opens nothing.
The data is opened by the first request that needs it (see backend.py), in the process
that serves the request.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from archivekg import settings as settings_module
from archivekg import site
from archivekg.endpoint import access_log, cors, errors, protocol, security_headers, service
from archivekg.endpoint.backend import install
from archivekg.web.validate import blueprint as validation_blueprint


def create_app(config: Mapping[str, Any] | None = None, *, config_file: str | None = None) -> Flask:
    settings = settings_module.load(config, config_file=config_file)
    app = Flask(__name__)
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_UPLOAD_BYTES"]
    assert isinstance(app.json, DefaultJSONProvider)     # sort_keys is an attribute of Flask's default provider
    app.json.sort_keys = False
    _configure_logging(settings["LOG_LEVEL"])

    install(app, settings)
    errors.register(app)
    access_log.register(app)
    cors.register(app)
    security_headers.register(app)
    app.register_blueprint(protocol.bp)
    app.register_blueprint(service.bp)
    site.register(app)
    app.register_blueprint(validation_blueprint)
    return app


def _configure_logging(level: str) -> None:
    # The app logs under "archivekg"; give it a handler unless the host (a test runner,
    # an embedding application) already routes those records somewhere.
    logger = logging.getLogger("archivekg")
    logger.setLevel(level.upper())
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
