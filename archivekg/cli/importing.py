"""``archivekg import``: documents as published (text files, saved web pages) into data/."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archivekg import settings as settings_module
from archivekg.errors import ArchiveKGError


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="The data/ folder.")
@click.option("--id", "doc_id", help="The document's id (one file only); default: from its kind, author and date.")
@click.option("--replace", is_flag=True,
              help="Overwrite a document imported before from a file of the same name whose text changed.")
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML file of settings.")
def import_documents(files, data_dir, doc_id, replace, config):
    """Write each FILE's text to data/documents/<id>.txt and its record (every catalogue field
    the text gives, with the words it was read from, and the text's segments) beside it.

    Importing the same text again changes nothing; a changed text of a document imported
    before is reported and not written unless --replace is given.  A file that is not a
    document's text (binary, empty, too large, a page with no body) is refused and nothing is
    written for it.  Exit codes: 0 all imported (or unchanged); 1 a document changed and was
    kept; 2 a file was refused.
    """
    from archivekg.curation import gazetteer as gazetteer_module
    from archivekg.curation.importer import import_file

    if doc_id and len(files) > 1:
        raise click.UsageError("--id names one document: give one FILE with it")
    settings = settings_module.load({"DATA_DIR": data_dir}, config_file=config)
    data = Path(settings["DATA_DIR"])
    gazetteer = gazetteer_module.load(data)
    worst = 0
    for path in files:
        try:
            done = import_file(path, data, max_bytes=settings["IMPORT_MAX_BYTES"], doc_id=doc_id,
                               replace=replace, gazetteer=gazetteer)
        except ArchiveKGError as exc:
            click.echo(f"error: {exc}", err=True)
            worst = max(worst, exc.exit_code)
            continue
        if done.status == "unchanged":
            click.echo(f"{path}: unchanged, imported before as {done.doc_id} (nothing written)")
            continue
        click.echo(f"{path}: {done.status} as {done.doc_id} ({done.text}, {done.record})")
        catalog = done.catalog
        assert catalog is not None, "only an unchanged import comes without its catalogue"
        read = [f"{name} ({field.value})" if isinstance(field.value, str) and len(field.value) < 40 else name
                for name, field in catalog.fields.items()]
        click.echo(f"  read: {', '.join(read)}")
        if catalog.unread:
            click.echo(f"  not found in the text: {', '.join(catalog.unread)}")
        for name, written in catalog.unknown:
            click.echo(f"  not in the registries: {name} {written!r} (left out; `archivekg annotate "
                       f"{done.doc_id}` proposes it)")
        click.echo(f"  segments: {', '.join(f'{s.kind}' for s in done.segments)}")
    if worst:
        sys.exit(worst)
