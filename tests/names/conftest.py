"""The shipped registries (data/entities/*.yaml) as a NameIndex, read with PyYAML."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from archivekg.names import NameIndex

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def written_forms() -> dict[str, list[str]]:
    """The names as the documents write them (the ``names:`` of the statements), by entity:
    the graph keeps them on the mentions, and an index of names reads them there."""
    forms: dict[str, list[str]] = {}
    for path in sorted((ROOT / "data" / "annotations").glob("*.yaml")):
        for statement in yaml.safe_load(path.read_text(encoding="utf-8")).get("statements") or []:
            for written, entity in (statement.get("names") or {}).items():
                forms.setdefault(entity, []).append(written)
    return forms


def registry_entries() -> list[tuple]:
    """One entry per registry entity: its name, variants, names in other scripts (with their
    language) and the forms the documents write it in; its weight is how often the
    annotations name its id (how much the corpus says about it)."""
    annotations = "\n".join(path.read_text(encoding="utf-8")
                            for path in sorted((ROOT / "data" / "annotations").glob("*.yaml")))
    written = written_forms()
    entries = []
    for path in sorted((ROOT / "data" / "entities").glob("*.yaml")):
        for entity in yaml.safe_load(path.read_text(encoding="utf-8")):
            names = [(entity["name"], "en")] + [(v, "en") for v in entity.get("variants", [])]
            names += [(text, language) for script in entity.get("namesInScript", [])
                      for language, text in script["form"].items()]
            names += [(form, None) for form in written.get(entity["id"], [])]
            unique = list(dict.fromkeys(names))
            mentions = len(re.findall(rf"(?<![\w-]){re.escape(entity['id'])}(?![\w-])", annotations))
            entries.append((entity["id"], entity["type"], unique, mentions))
    return entries


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated table beside this file; lines starting with # are comments."""
    with open(HERE / name, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def registry_index() -> NameIndex:
    return NameIndex(registry_entries())
