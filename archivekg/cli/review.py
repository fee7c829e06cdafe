"""``archivekg review``: accept or reject the proposals of a document, in the terminal."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from archivekg import settings as settings_module


@click.command("review")
@click.argument("document")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="The data/ folder.")
@click.option("--reviewer", default=None, help="Your name, recorded with each decision (default: your login).")
@click.option("--accept", "accepted", multiple=True, metavar="ID|all", help="Accept these proposals (repeatable).")
@click.option("--reject", "rejected", multiple=True, metavar="ID|all", help="Reject these proposals (repeatable).")
@click.option("--list", "listing", is_flag=True, help="List the pending proposals and stop.")
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML file of settings.")
def review(document, data_dir, reviewer, accepted, rejected, listing, config):
    """Show each pending proposal of DOCUMENT in its passage and ask: accept (it moves into
    data/annotations/DOCUMENT.yaml with your name and the date; a new name into its registry),
    reject (remembered: never proposed again), skip or quit.  --accept and --reject decide
    without asking.  Run `archivekg build` afterwards, as after any edit of data/."""
    # Imported here: `archivekg validate` and the others must not load the curation layer.
    from archivekg.curation import review as decisions
    from archivekg.curation.review import describe
    from archivekg.pipeline.yamlload import load_yaml

    settings = settings_module.load({"DATA_DIR": data_dir}, config_file=config)
    data = Path(settings["DATA_DIR"])
    reviewer = reviewer or getpass.getuser()
    pending = decisions.pending(data, document)
    if listing:
        for proposal in pending:
            click.echo(f"{proposal['id']}  {proposal['kind']:<8} {proposal['confidence']:.2f}  "
                       f"{proposal['words']!r}: {describe(proposal)}")
        click.echo(f"{len(pending)} pending")
        return
    if accepted or rejected:
        ids = {p["id"] for p in pending}
        chosen = []
        for wanted, accept in ((accepted, True), (rejected, False)):
            for item in wanted:
                for proposal_id in (sorted(ids) if item == "all" else [item]):
                    chosen.append((proposal_id, accept))
        for proposal_id, accept in chosen:
            if accept:
                decisions.accept(data, document, proposal_id, reviewer)
                click.echo(f"accepted {proposal_id}")
            else:
                decisions.reject(data, document, proposal_id, reviewer)
                click.echo(f"rejected {proposal_id}")
        return
    record = load_yaml(data / "documents" / f"{document}.yaml")
    text = (data / "documents" / record["text"]).read_text(encoding="utf-8")
    color = sys.stdout.isatty()
    for number, proposal in enumerate(pending, 1):
        before, lead, words, tail, after = decisions.passage(text, proposal)
        shown = (click.style(words, bold=True, underline=True) if color else f"[[{words}]]")
        click.echo(f"\n({number}/{len(pending)}) {proposal['kind']} · confidence {proposal['confidence']:.2f} · "
                   f"{proposal['id']}")
        click.echo(f"  …{' '.join(before.split()[-12:])} " + click.style("«", dim=True) + " ".join(lead.split())
                   + f" {shown} " + " ".join(tail.split()) + click.style("»", dim=True)
                   + f" {' '.join(after.split()[:12])}…")
        click.echo(f"  proposes: {describe(proposal)}")
        click.echo(f"  why: {proposal['why']}")
        answer = click.prompt("  [a]ccept, [r]eject, [s]kip, [q]uit", type=click.Choice(["a", "r", "s", "q"]),
                              show_choices=False)
        if answer == "q":
            break
        if answer == "a":
            decisions.accept(data, document, proposal["id"], reviewer)
        elif answer == "r":
            decisions.reject(data, document, proposal["id"], reviewer,
                             reason=click.prompt("  why (optional)", default="", show_default=False) or None)
