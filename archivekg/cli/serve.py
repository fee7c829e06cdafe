"""`archivekg serve [FILE...]`: the SPARQL endpoint on this machine, served by gunicorn.

Without FILE it serves the current build (or, with ``--store URL``, the external store it was
published into: archivekg/endpoint/store_backend.py); with files (Turtle, N-Triples, N-Quads, TriG,
JSON-LD, RDF/XML) it serves those instead.  ``python -m archivekg.cli.serve`` runs the
same command without the rest of the CLI.
"""

from __future__ import annotations

import errno
import socket
import sys

import click
from gunicorn.app.base import BaseApplication

from archivekg.endpoint import gunicorn_config
from archivekg.errors import ArchiveKGError, ConfigError
from archivekg.web.app import create_app

DEFAULT_WORKERS = 2


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help=f"Server processes [default: {DEFAULT_WORKERS}; 1 when updates are enabled]. "
                   "Each runs QUERY_WORKERS query processes.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="TOML file with settings (see `archivekg.settings`).")
@click.option("--store", "store_url", default=None, metavar="URL",
              help="Answer from the external triple store at this SPARQL endpoint (where "
                   "`archivekg publish --to URL` wrote the release) [default: the setting STORE_URL].")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def serve(host: str, port: int, workers: int | None, config_file: str | None, store_url: str | None,
          files: tuple[str, ...]):
    """Serve the SPARQL endpoint, for the current build, an external store or the RDF FILES given."""
    overrides: dict = {}
    if files:
        overrides["SERVE_FILES"] = list(files)
    if store_url:
        overrides["STORE_URL"] = store_url
    if files and store_url:
        raise ConfigError("give either RDF files to serve or --store, not both")
    app = create_app(overrides or None, config_file=config_file)
    settings = app.config
    if settings["SERVE_FILES"] and settings["STORE_URL"]:
        raise ConfigError("SERVE_FILES and STORE_URL are both set: serve either files or a store")
    engine = app.extensions["archivekg"]
    updates = gunicorn_config.updates_enabled(settings)
    if workers is None:
        workers = 1 if updates else DEFAULT_WORKERS
    elif updates and workers > 1:
        raise ConfigError("updates are enabled (UPDATE_TOKEN) and each server process holds its own "
                          "copy of the files: run with --workers 1")
    # Parse the files (or find the build) now, so that a mistake stops us before serving.
    engine.source.prepare()

    display_host = f"[{host}]" if ":" in host else host
    check_port_free(host, port)
    root = f"http://{display_host}:{port}/"

    def when_ready(server) -> None:
        click.echo(f"archivekg: serving {engine.source.describe()} at {root}sparql (SPARQL; pages and "
                   f"search at {root}) ({workers} process{'es' if workers > 1 else ''}; Ctrl-C to stop)")
        sys.stdout.flush()

    options = gunicorn_config.options(settings, bind=f"{display_host}:{port}", workers=workers)
    options["when_ready"] = when_ready
    _Gunicorn(app, options).run()


def check_port_free(host: str, port: int) -> None:
    """One sentence with the fix when the address is taken, instead of gunicorn's retries and
    traceback.  (Another process could still take the port in the instant before gunicorn
    binds it; gunicorn then reports it as before.)"""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(f"cannot listen on {host!r}: {exc.strerror}; give --host an address of this "
                          "machine, such as 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {port} on {host} is already in use (is another server running?): "
                                f"stop it, or serve on another port: archivekg serve --port {port + 1} "
                                f"(with make: make serve PORT={port + 1})") from None
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise PortInUse(f"this user may not listen on port {port}: choose a port above 1023, "
                                f"e.g. archivekg serve --port 8000") from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise ConfigError(f"{host} is not an address of this machine; give --host one of its "
                                  "addresses, such as 127.0.0.1") from None
            raise


class PortInUse(ConfigError):
    """The address to serve on cannot be taken."""


class _Gunicorn(BaseApplication):
    def __init__(self, app, options):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:     # settings differ between gunicorn versions
                self.cfg.set(key, value)

    def load(self):
        return self.application


def main() -> None:
    try:
        serve(standalone_mode=True)
    except ArchiveKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
