"""The example queries (examples.yaml), each ready to run with the standard prefixes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from archivekg.site.render.sparql import user_prologue

FILE = Path(__file__).resolve().parent / "examples.yaml"


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    description: str
    body: str
    chart: str | None = None
    view: str | None = None          # the result view it shows (chart, map, timeline, graph)

    @property
    def query(self) -> str:
        return user_prologue() + "\n" + self.body


@lru_cache(maxsize=1)
def all_examples() -> tuple[Example, ...]:
    with FILE.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)
    return tuple(Example(e["id"], e["title"], e.get("description", ""), e["query"], e.get("chart"),
                         e.get("view")) for e in entries)


def for_chart(name: str) -> Example:
    for example in all_examples():
        if example.chart == name:
            return example
    raise LookupError(f"{FILE}: no example query has `chart: {name}`")
