"""`archivekg link --service URL [--type Person]`: propose links from our registries to another
dataset, through its reconciliation service (Wikidata's, GND's, another archivekg's).

Each registry entry's preferred name is sent as a reconciliation query; the candidates come
back as proposals, one YAML file per registry and service, in ``proposals/links/`` beside
``data/`` (outside it: the build reads only documents, annotations and registries there, and
refuses anything else).  Nothing is linked: a curator accepts a candidate by copying its
``accept`` fields into the registry entry.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from pathlib import Path

import click
import pyoxigraph as ox
import yaml

from archivekg import settings as settings_module
from archivekg.errors import ArchiveKGError
from archivekg.namespaces import AKG
from archivekg.pipeline.yamlload import LineList, load_yaml
from archivekg.reconcile import proposals
from archivekg.reconcile.client import Service

RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


class LinkError(ArchiveKGError):
    exit_code = 2


@click.command()
@click.option("--service", "service_url", required=True, metavar="URL",
              help="The reconciliation service (the address of its manifest).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Reconcile only the entries of this type of ours (Person, Organization, Group, "
                   "Place, or a kind of place; its kinds are included). Repeatable; default: all.")
@click.option("--service-type", metavar="ID",
              help="The type id to send to the service (e.g. Q5 for Wikidata's humans). Default: the "
                   "service's default type named like ours, if it has one; else none.")
@click.option("--property", "mapped", multiple=True, metavar="FIELD=PID",
              help="Also send a registry field as the service's property PID (e.g. wikidata=wikidata); "
                   "a field that holds ids of ours is sent as their names. Repeatable.")
@click.option("--limit", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Candidates kept per entry.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=30.0, show_default=True,
              help="Seconds to wait for each answer of the service.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Where to write the proposals [default: proposals/links beside the data folder].")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, exists=True), help="The data/ folder.")
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML file of settings.")
def link(service_url, types, service_type, mapped, limit, timeout, out_dir, data_dir, config):
    """Propose links from our registries to the entities of a reconciliation service.

    Writes OUT/<registry>.<service>.yaml with, for each entry, the candidates, their scores and
    the evidence, and the fields a curator copies into the entry to accept one.  Exit codes: 0
    proposals written; 2 bad options, unreadable registries, or a service that cannot be
    reached or answers something else than the reconciliation API.
    """
    settings = settings_module.load({"DATA_DIR": data_dir}, config_file=config)
    data = Path(settings["DATA_DIR"]).resolve()
    out = Path(out_dir).resolve() if out_dir else data.parent / "proposals" / "links"
    if out == data or data in out.parents:
        raise LinkError(f"--out {out} is inside the data folder {data}, whose every file the build "
                        "reads or refuses: write the proposals elsewhere (default: proposals/links "
                        "beside it)")
    properties = _properties(mapped)
    tree = _subclasses(Path(settings["ONTOLOGY_DIR"]))
    kinds = _kinds(tree, types)

    service = Service(service_url, timeout=timeout)
    registries = _registries(data)
    names_by_id = {entry.id: entry.name for entries in registries.values() for entry in entries}
    today = dt.date.today()
    out.mkdir(parents=True, exist_ok=True)
    for path, entries in registries.items():
        chosen = [entry for entry in entries if kinds is None or entry.type in kinds]
        if not chosen:
            continue
        queries = {}
        for number, entry in enumerate(chosen):
            remote = service_type or _remote_type(service, entry.type, tree)
            queries[f"q{number}"] = proposals.query_for(entry, remote_type=remote, properties=properties,
                                                        names_by_id=names_by_id, limit=limit)
        answers = service.reconcile(queries)
        found = [proposals.proposal(entry, queries[f"q{number}"], answers[f"q{number}"][:limit],
                                    service_url=service_url, service_name=service.name,
                                    iri_of=service.iri, today=today)
                 for number, entry in enumerate(chosen)]
        target = out / f"{path.stem}.{_slug(service_url)}.yaml"
        registry = f"{data.name}/entities/{path.name}"
        target.write_text(
            proposals.header(registry=registry, service_url=service_url, service_name=service.name,
                             identifier_space=service.identifier_space, today=today)
            + yaml.safe_dump(found, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8")
        matched = sum(any(c["service_match"] for c in p["candidates"]) for p in found)
        with_candidates = sum(bool(p["candidates"]) for p in found)
        click.echo(f"{registry}: {len(found)} entries sent; {with_candidates} with candidates, {matched} of "
                   f"them with one the service calls a match; proposals in {target}")


def _properties(mapped: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for item in mapped:
        field_name, sep, pid = item.partition("=")
        if not sep or not field_name.strip() or not pid.strip():
            raise LinkError(f"--property {item!r}: write FIELD=PID, a registry field and the service's "
                            "property id (e.g. wikidata=wikidata)")
        found[field_name.strip()] = pid.strip()
    return found


def _subclasses(ontology_dir: Path) -> dict[str, set[str]]:
    """Each class of our ontology with its subclasses (and theirs), by local name."""
    parents: dict[str, set[str]] = {}
    for path in sorted(ontology_dir.glob("*.ttl")):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if quad.predicate.value == RDFS_SUBCLASS and quad.subject.value.startswith(AKG) \
                    and quad.object.value.startswith(AKG):
                parents.setdefault(quad.subject.value[len(AKG):], set()).add(quad.object.value[len(AKG):])
    found: dict[str, set[str]] = {}
    for child in parents:
        stack, seen = [child], set()
        while stack:
            current = stack.pop()
            found.setdefault(current, {current}).add(child)
            for parent in parents.get(current, ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
    return found


def _kinds(tree: dict[str, set[str]], types: tuple[str, ...]) -> set[str] | None:
    if not types:
        return None
    found = set()
    for name in types:
        found |= tree.get(name, {name})
    return found


def _remote_type(service: Service, ours: str, tree: dict[str, set[str]]) -> str | None:
    """The service's default type named like our type or like one of its superclasses."""
    remote = {str(t.get("name", "")).casefold(): t["id"] for t in service.default_types()}
    remote.update({t["id"].casefold(): t["id"] for t in service.default_types()})
    ancestry = [ours] + sorted(parent for parent, children in tree.items() if ours in children and parent != ours)
    for name in ancestry:
        if name.casefold() in remote:
            return remote[name.casefold()]
    return None


def _registries(data: Path) -> dict[Path, list[proposals.Entry]]:
    found = {}
    paths = sorted((data / "entities").glob("*.yaml"))
    if not paths:
        raise LinkError(f"no registry in {data / 'entities'} (expected persons.yaml, places.yaml, ...)")
    for path in paths:
        display = f"{data.name}/entities/{path.name}"
        raw = load_yaml(path, display)
        if not isinstance(raw, LineList):
            raise LinkError(f"{display}: a registry is a list of entries")
        entries = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "type", "name")):
                raise LinkError(f"{display}:{raw.line_of(index)}: an entry needs an id, a type and a name")
            variants = [v for v in item.get("variants") or [] if isinstance(v, str)]
            entries.append(proposals.Entry(item["id"], item["type"], item["name"], variants, display,
                                           raw.line_of(index), dict(item)))
        found[path] = entries
    return found


def _slug(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return re.sub(r"[^A-Za-z0-9.]+", "-", parts.netloc + parts.path).strip("-.") or "service"
