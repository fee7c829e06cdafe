"""The command line: ``archivekg build | publish | query | validate | serve | link | import | annotate | review``."""

from __future__ import annotations

import sys

import click

from archivekg import __version__
from archivekg.errors import ArchiveKGError


class _Group(click.Group):
    """Turns user mistakes (ArchiveKGError) into one clear line and their exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ArchiveKGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="archivekg")
def main() -> None:
    """archivekg: a knowledge graph of archival documents."""


def _register() -> None:
    # Commands live beside what they drive; importing them here keeps `archivekg --help` complete.
    from archivekg.cli.annotate import annotate
    from archivekg.cli.build import build
    from archivekg.cli.importing import import_documents
    from archivekg.cli.link import link
    from archivekg.cli.publish import publish
    from archivekg.cli.query import query
    from archivekg.cli.review import review
    from archivekg.cli.serve import serve
    from archivekg.cli.validate import validate

    main.add_command(build)
    main.add_command(link)
    main.add_command(publish)
    main.add_command(query)
    main.add_command(serve)
    main.add_command(validate)
    main.add_command(import_documents)
    main.add_command(annotate)
    main.add_command(review)


_register()

