"""`archivekg publish --to URL`: the current release written into an external triple store
(SPARQL 1.1 Graph Store Protocol for the graphs, one SPARQL Update request for the switch).

Credentials come from the settings STORE_USER and STORE_PASSWORD (or ARCHIVEKG_STORE_PASSWORD),
never from the command line, where other users of the machine could read them.
"""

from __future__ import annotations

import click

from archivekg import settings as settings_module
from archivekg.release.publish import publish as run_publish


@click.command()
@click.option("--to", "store_url", default=None, metavar="URL",
              help="The store's SPARQL query endpoint [default: the setting STORE_URL]. Its update "
                   "and Graph Store endpoints are STORE_UPDATE_URL and STORE_GRAPH_STORE_URL "
                   "(default: the same URL).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="TOML file with settings (see `archivekg.settings`).")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def publish(store_url: str | None, config_file: str | None, quiet: bool):
    """Publish the current build into an external store, sending only the graphs that changed.

    Exit codes: 0 published (or already there); 2 a setting or the release is wrong; 3 the
    store failed, and still serves what it served before."""
    overrides = {"STORE_URL": store_url} if store_url else None
    settings = settings_module.load(overrides, config_file=config_file)
    echo = None if quiet else (lambda message: click.echo(message, err=True))
    result = run_publish(settings, echo=echo)
    if not quiet:
        timings = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.seconds.items())
        click.echo(f"published release {result.release}: {len(result.sent)} graphs sent, "
                   f"{len(result.removed)} dropped, {result.unchanged} unchanged ({timings})")
