"""The name index of the release: the registry's persons, organizations, groups and places
with every name the registry gives them, as a ``NameIndex`` saved beside the full-text index.

Search, autocomplete and the reconciliation service load it with ``load_name_index``.  Its
entries are (id, type, names with language tags, weight): the id is the entity's IRI, the
type its class (Person, Island, ...), the weight how much the corpus says about it (the
statements about it or pointing at it, and the passages naming it).  The names come from the
registry only, which a rebuild never changes (a changed registry means a full build): a
rebuild changes weights, and ``NameIndex.reweighted`` updates them without recomputing forms.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from archivekg.errors import BuildMissing
from archivekg.names import Entry, NameIndex
from archivekg.namespaces import AKG
from archivekg.release.search.extract import REGISTRY, Record

FOLDER = "search"
INDEX_FILE = "names.pickle"
ENTRIES_FILE = "names.json"      # the same entries, readable, and the fallback of an unreadable pickle
NAME_PROPERTIES = (AKG + "name", AKG + "nameVariant", AKG + "nameInScript")   # the first is the main name


def entries(store_reader, records: Iterable[Record]) -> list[Entry]:
    """Entries of the registry's entities among ``records``, with their names in the store."""
    wanted = {r.iri: r for r in records if r.kind == "entity" and r.category in REGISTRY}
    if not wanted:
        return []
    names: dict[str, list[tuple[bool, str, str | None]]] = {iri: [] for iri in wanted}   # (not the first property, text, language)
    iris = sorted(wanted)
    for start in range(0, len(iris), 2000):
        chunk = " ".join(f"<{i}>" for i in iris[start:start + 2000])
        rows = store_reader.select(f"""SELECT DISTINCT ?x ?p ?n WHERE {{ VALUES ?x {{ {chunk} }}
            VALUES ?p {{ {" ".join(f"<{p}>" for p in NAME_PROPERTIES)} }} ?x ?p ?n FILTER(isLITERAL(?n)) }}""")
        for row in rows:
            literal: ox.Literal = row["n"]
            names[row["x"].value].append((row["p"].value != NAME_PROPERTIES[0], literal.value, literal.language))
    found = []
    for iri in iris:
        forms = list(dict.fromkeys((text, lang) for _, text, lang in sorted(names[iri], key=lambda n: (n[0], n[1]))))
        usable = [form for form in forms if any(c.isalnum() for c in form[0])]
        if usable:
            record = wanted[iri]
            found.append(Entry(iri, record.type, tuple(usable), float(record.weight)))
    return found


def save(folder: Path, entries_: list[Entry], previous: Path | None = None) -> NameIndex:
    """Build and write the name index of ``entries_``; when ``previous`` (another release's
    search folder) holds an index of the same names, that one is reweighted instead: the
    registry rarely changes between builds, and computing every name's forms is the slow part."""
    index = None
    if previous is not None and (previous / ENTRIES_FILE).is_file():
        try:
            old = read_entries(previous)
        except (OSError, ValueError, KeyError, TypeError):
            old = None
        if old is not None and [e[:3] for e in old] == [e[:3] for e in entries_]:
            try:
                index = NameIndex.load(previous / INDEX_FILE).reweighted({e.entity_id: e.weight for e in entries_})
            except (OSError, ValueError, EOFError, AttributeError, ImportError, TypeError, pickle.UnpicklingError):
                index = None
    if index is None:
        index = NameIndex(entries_)
    write(folder, index)
    return index


def write(folder: Path, index: NameIndex) -> None:
    index.save(folder / INDEX_FILE)
    rows = [{"id": e.entity_id, "type": e.type, "names": [list(n) for n in e.names], "weight": e.weight}
            for e in index.entries]
    (folder / ENTRIES_FILE).write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def read_entries(folder: Path) -> list[Entry]:
    rows = json.loads((folder / ENTRIES_FILE).read_text(encoding="utf-8"))
    return [Entry(r["id"], r["type"], tuple((n[0], n[1]) for n in r["names"]), r["weight"]) for r in rows]


def load_name_index(release_folder: str | Path) -> NameIndex:
    """The name index of a built release (its folder, e.g. ``current_release(BUILD_DIR)``):
    the saved index, or, when that file was written by another version of the format, an
    index built from its entries (slower, the same answers)."""
    folder = Path(release_folder) / FOLDER
    try:
        return NameIndex.load(folder / INDEX_FILE)
    except FileNotFoundError:
        raise BuildMissing(f"{release_folder}: the release has no name index ({FOLDER}/{INDEX_FILE}); "
                           "build it again with this version of archivekg") from None
    except (ValueError, EOFError, AttributeError, ImportError, TypeError, pickle.UnpicklingError):
        return NameIndex(read_entries(folder))
