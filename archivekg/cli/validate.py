"""``archivekg validate``: check the built graph, data/, or any RDF against the shapes."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click
import pyoxigraph as ox

from archivekg import settings as settings_module
from archivekg.errors import ArchiveKGError, BuildMissing, ValidationFailed
from archivekg.release.store import current_release, open_store
from archivekg.validation import inputs
from archivekg.validation.engine import (
    DEFAULT_ENGINE,
    DEFAULT_INFERENCE,
    ENGINES,
    INFERENCE,
    validate_files,
    validate_store,
)
from archivekg.validation.report import FORMATS, Report

# 64 MB of Turtle is about a million triples: validating that takes about two minutes and 1 GB.
DEFAULT_MAX_MB = 64


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--data", "from_data", is_flag=True,
              help="Validate data/ as the build would make it, in memory, without touching the built graph.")
@click.option("--inference", type=click.Choice(INFERENCE), default=None,
              help=f"Entailments applied to FILES before validation: none; rdfs (subclass, subproperty, "
                   f"domain, range); owlrl (also inverse, symmetric and transitive properties, as the "
                   f"build).  Default: {DEFAULT_INFERENCE}.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: by document and rule; turtle: the standard SHACL validation report; "
                   "json; junit: JUnit XML for CI systems.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file (a summary line still goes to standard error).")
@click.option("--input-format", type=click.Choice(sorted(inputs.FORMATS)),
              help="The RDF format of FILES (default: from each file's extension; required for -).")
@click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_MB, show_default=True,
              help="Largest input file read, in MB; larger files are refused before they are loaded.")
@click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
              help="sparql: the shapes compiled to SPARQL, run by Oxigraph over the whole graph at "
                   "once; pyshacl: pySHACL on each document graph and node, the reference the "
                   "compiled shapes are tested against (slower by far on large graphs).")
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML file of settings.")
def validate(files, from_data, inference, fmt, output, input_format, max_size, engine, config):
    """Check RDF against the archivekg shapes (shapes/*.ttl).

    \b
    With no FILES: the built graph (build/current).  With --data: data/ built
    in memory, with the document texts at hand to check every quote.  With
    FILES: any RDF (Turtle .ttl, N-Triples .nt, N-Quads .nq, TriG .trig,
    JSON-LD .jsonld/.json, RDF/XML .rdf/.owl/.xml; - reads standard input),
    named graphs kept, our ontology's entailments applied first (--inference).

    \b
    The shapes run compiled to SPARQL (--engine sparql, the default); --engine
    pyshacl runs pySHACL instead, the reference: both give the same results.

    \b
    Exit codes:
      0  the data conforms: no sh:Violation (warnings are reported and allowed)
      1  the data breaks a rule: at least one sh:Violation
      2  the input could not be read: missing or unreadable file, unknown
         extension, empty or oversized file, syntax error (the message names
         the file and the line)
    """
    try:
        settings = settings_module.load(config_file=config)
        if files and from_data:
            raise click.UsageError("give FILES or --data, not both")
        if inference and not files:
            raise click.UsageError("--inference applies to FILES; the built graph and --data carry "
                                   "their entailments already")
        if any(str(f) == "-" for f in files) and not input_format:
            raise click.UsageError("reading standard input (-) needs --input-format")
        if from_data and engine != DEFAULT_ENGINE:
            raise click.UsageError("--data validates as the build does (with the sparql engine); "
                                   "--engine applies to FILES and the built graph")
        if files:
            report = validate_files(list(files), settings, inference=inference or DEFAULT_INFERENCE,
                                    input_format=input_format, max_bytes=max_size * 1024 * 1024,
                                    engine=engine)
        elif from_data:
            report = _validate_data(settings)
        else:
            report = _validate_built(settings, engine)
    except ArchiveKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    text = report.render(fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{output}: {report.violations} violation(s), {report.warnings} warning(s)", err=True)
    else:
        click.echo(text, nl=False)
    sys.exit(report.exit_code)


def _validate_built(settings: dict, engine: str):
    try:
        release = current_release(settings["BUILD_DIR"])
    except BuildMissing as exc:
        raise BuildMissing(f"{exc}; `archivekg validate --data` validates data/ without building") from exc
    dump = release / "dataset.nq"
    if engine == "sparql" and dump.is_file():
        # The compiled shapes run on a store in memory: the release's own dump loads in a
        # third of the time a copy of its on-disk store takes (and scans 4x faster).
        store = ox.Store()
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    else:
        store = open_store(release)
    return validate_store(store, settings, subject=f"the built graph {release}", engine=engine)


def _validate_data(settings: dict):
    """The build's own steps, into a throw-away build folder: the served graph is not touched."""
    from archivekg.release.make import build

    with tempfile.TemporaryDirectory(prefix="archivekg-validate-") as scratch:
        try:
            return build(dict(settings, BUILD_DIR=scratch), validate=True).validation
        except ValidationFailed as failed:
            assert isinstance(failed.report, Report)
            return failed.report
