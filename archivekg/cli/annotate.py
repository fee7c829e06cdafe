"""``archivekg annotate``: propose statements for documents, for a person to review."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from archivekg import settings as settings_module


@click.command("annotate")
@click.argument("documents", nargs=-1, required=True)
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="The data/ folder.")
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML file of settings.")
def annotate(documents, data_dir, config):
    """Propose statements for each DOCUMENT (an id of data/documents/): mentions of the
    entities of the registries, new names, dates, figures, document numbers, meetings and
    posts, each with its quote, offsets and confidence.  They are written to
    data/annotations/<id>.proposals.yaml, which the build does not read; review them with
    `archivekg review`.  What the annotations already state, and what was accepted or
    rejected before, is not proposed again."""
    from archivekg.curation import gazetteer as gazetteer_module
    from archivekg.curation.proposals import KINDS
    from archivekg.curation.proposals import annotate as run

    settings = settings_module.load({"DATA_DIR": data_dir}, config_file=config)
    data = Path(settings["DATA_DIR"])
    gazetteer = gazetteer_module.load(data)
    for doc_id in documents:
        path, proposals = run(data, doc_id, gazetteer)
        counts = Counter(p.kind for p in proposals)
        summary = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k]) or "nothing new"
        click.echo(f"{doc_id}: {len(proposals)} proposals ({summary}) in {path}")
