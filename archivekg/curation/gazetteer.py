"""Our registries as the gazetteer: every name and variant of every entity, found in a text.

Two ways in, both through ``archivekg.names`` (one normaliser for the whole project):

* ``scan(words)``: every run of a text's words that *is* a registry name once normalised (case,
  accents, possessives, honorifics: "Cde. Molotov", "Kim Il Sung’s", "SOVIET EMBASSY IN THE
  DPRK"), found with a table keyed by the first word, so a text is read once;
* ``match(name)``: ``NameIndex.match`` for a capitalised name the table does not know, which
  finds other romanizations, scripts, word orders, initials and typos ("Choe Yong-geon" for
  "Choe Yong-gon", "Ким Ир Сен" for "Kim Il Sung").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path

from archivekg.names import STRONG_MATCH, Candidate, NameIndex, name_tokens
from archivekg.names.scripts import document_numbers
from archivekg.pipeline.yamlload import load_yaml

PLACE_TYPES = ("Place", "Country", "Republic", "Region", "Province", "District", "City", "Island", "Zone")
REGISTRY_OF = {"Person": "persons", "Organization": "organizations", "Group": "organizations",
               **{t: "places" for t in PLACE_TYPES}}


@dataclass
class Entity:
    id: str
    type: str
    name: str
    variants: list[str] = field(default_factory=list)
    registry: str = ""

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys([self.name, *self.variants]))


def registry_entity(entry: dict, registry: str) -> Entity:
    """An entry of a registry file with the forms it gives: its variants and its names in
    script."""
    variants = [str(v) for v in entry.get("variants") or []]
    variants += [str(form) for item in entry.get("namesInScript") or []
                 for form in (item.get("form") or {}).values()]
    return Entity(entry["id"], entry["type"], str(entry["name"]), variants, registry)


def name_key(text: str) -> tuple[str, ...]:
    """The words of a name as the table compares them."""
    return tuple(token.text for token in name_tokens(text))


class Gazetteer:
    def __init__(self, entities: Iterable[Entity], decrees: dict[str, str] | None = None):
        self.entities = {entity.id: entity for entity in entities}
        self.by_key: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.first_words: dict[str, int] = {}        # first word → longest name (in words)
        for entity in self.entities.values():
            for name in entity.names:
                key = name_key(name)
                if key:
                    self.by_key[key].add(entity.id)
                    self.first_words[key[0]] = max(self.first_words.get(key[0], 0), len(key))
        entries = [(e.id, e.type, [(n, None) for n in e.names if name_key(n)], float(len(e.names)))
                   for e in self.entities.values() if any(name_key(n) for n in e.names)]
        self.index = NameIndex(entries)
        #: decree and document numbers other documents define: number key → thing id
        self.decrees = decrees or {}
        #: every id data/ defined when the gazetteer was loaded (records, annotations, registries)
        self.ids: set[str] = set(self.entities)

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.entities

    def exact(self, key: tuple[str, ...]) -> set[str]:
        return self.by_key.get(key, set())

    def match(self, name: str, types: Iterable[str] | None = None) -> list[Candidate]:
        """Strong candidates for a written name, best first."""
        return [c for c in self.index.match(name, type=list(types) if types else None, limit=5)
                if c.score >= STRONG_MATCH]


def load(data_dir: Path, without: Set[str] = frozenset()) -> Gazetteer:
    """The gazetteer of ``data_dir``'s registries (less the ids in ``without``), with the
    decree numbers its annotations define."""
    data_dir = Path(data_dir)
    annotations = list(_annotations(data_dir))
    written = names_as_written(annotations)
    entities = []
    for path in sorted((data_dir / "entities").glob("*.yaml")):
        for entry in load_yaml(path) or []:
            if entry["id"] in without:
                continue
            entity = registry_entity(entry, path.stem)
            entity.variants += [n for n in written.get(entity.id, []) if n not in entity.variants]
            entities.append(entity)
    gazetteer = Gazetteer(entities, decree_numbers(data_dir, annotations))
    gazetteer.ids |= defined_ids(data_dir)
    return gazetteer


_ID = re.compile(r"^[ -]*id: *\"?([a-z0-9-]+)\"?", re.MULTILINE)


def defined_ids(data_dir: Path) -> set[str]:
    """Every id the YAML files of data/ define (read as text: fast, and enough to keep a new id
    apart from them)."""
    found: set[str] = set()
    from archivekg.datalayout import is_curation_file

    for path in sorted(Path(data_dir).glob("*/*.yaml")):
        if not is_curation_file(path.parent.name, path.name):
            found.update(_ID.findall(path.read_text(encoding="utf-8")))
    return found


def _annotations(data_dir: Path):
    """The curated annotation files of ``data_dir``, read."""
    from archivekg.datalayout import is_curation_file

    for path in sorted((Path(data_dir) / "annotations").glob("*.yaml")):
        if not is_curation_file("annotations", path.name):
            yield load_yaml(path) or {}


def names_as_written(annotations: Iterable[dict]) -> dict[str, list[str]]:
    """Entity id → the names the curated documents write for it (the ``names`` of their
    statements: "Molotov", "Cde. Molotov", a bare "Kim"): they are mentions, not names of the
    registry, but the next document writes them the same way.  A name written for several
    entities stays with each, so that it is found ambiguous rather than given to one.  Only
    names: a description the curator resolved in its context ("the country", "our troops")
    starts with a small letter after its article ("the Embassy" is a name) and would mean
    another thing in another document."""
    found: dict[str, dict[str, None]] = defaultdict(dict)
    for data in annotations:
        for statement in data.get("statements") or []:
            for name, entity in (statement.get("names") or {}).items():
                letters = [c for c in re.sub(r"^(?:the|a|an)\s+", "", str(name), flags=re.IGNORECASE) if c.isalpha()]
                if isinstance(entity, str) and letters and not letters[0].islower():
                    found[entity][str(name)] = None
    return {entity: list(names) for entity, names in found.items()}


def decree_numbers(data_dir: Path, annotations: Iterable[dict] | None = None) -> dict[str, str]:
    """Every ``decreeNumber`` the annotations state: its key (``names.document_numbers``) → the
    decree's id, so that a later document citing "resolution No. 1428-326сс" meets it."""
    found: dict[str, str] = {}
    for data in annotations if annotations is not None else _annotations(data_dir):
        for statement in data.get("statements") or []:
            numbers = (statement.get("claims") or {}).get("decreeNumber")
            for number in numbers if isinstance(numbers, list) else [numbers] if numbers else []:
                for key in document_numbers(f"No. {number}"):
                    found.setdefault(key, statement["subject"])
    return found
