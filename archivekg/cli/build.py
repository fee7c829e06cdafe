"""`archivekg build`."""

from __future__ import annotations

import click

from archivekg import settings as settings_module
from archivekg.release.make import build as run_build
from archivekg.release.make import default_echo


@click.command()
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML file of settings.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="The data/ folder.")
@click.option("--out", "build_dir", type=click.Path(file_okay=False),
              help="The build folder (default: build/).")
@click.option("--base-iri", help="The public base IRI of the minted IRIs.")
@click.option("--quiet", is_flag=True, help="Print only the result line.")
def build(config, data_dir, build_dir, base_iri, quiet):
    """Build the graph of data/: check, map, reason, validate, write the store and dumps.

    A failed build prints what is wrong and where (file, line, term) and leaves the
    previous build in place.  Exit codes: 0 built; 1 the data breaks a SHACL rule
    (violations); 2 the input could not be read (syntax, unknown id, quote not found...).
    """
    settings = settings_module.load({"DATA_DIR": data_dir, "BUILD_DIR": build_dir,
                                     "BASE_IRI": base_iri}, config_file=config)
    if not quiet:
        click.echo(f"Building the graph of {settings['DATA_DIR']}", err=True)
    result = run_build(settings, echo=None if quiet else default_echo)
    click.echo(f"Built {result.triples} triples in {len(result.graphs)} named graphs: "
               f"{result.release}")
    if not quiet:
        click.echo("Query it:  archivekg query 'SELECT * WHERE { ?s ?p ?o } LIMIT 10'\n"
                   "Serve it:  archivekg serve", err=True)
