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


def registry_entries() -> list[tuple]:
    """One entry per registry entity: its name and variants; its weight is how often the
    annotations name its id (how much the corpus says about it)."""
    annotations = "\n".join(path.read_text(encoding="utf-8")
                            for path in sorted((ROOT / "data" / "annotations").glob("*.yaml")))
    entries = []
    for path in sorted((ROOT / "data" / "entities").glob("*.yaml")):
        for entity in yaml.safe_load(path.read_text(encoding="utf-8")):
            names = [entity["name"]] + [v for v in entity.get("variants", []) if v != entity["name"]]
            mentions = len(re.findall(rf"(?<![\w-]){re.escape(entity['id'])}(?![\w-])", annotations))
            entries.append((entity["id"], entity["type"], [(name, None) for name in names], mentions))
    return entries


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated table beside this file; lines starting with # are comments."""
    with open(HERE / name, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def registry_index() -> NameIndex:
    return NameIndex(registry_entries())
