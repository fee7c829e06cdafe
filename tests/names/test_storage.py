"""A saved NameIndex answers as the one that was built; a reweighted one as a fresh build."""

from __future__ import annotations

import pytest

from archivekg.names import NameIndex

from .conftest import read_table, registry_entries

QUERIES = [row["query"] for row in read_table("match_cases.tsv")]
PREFIXES = ["K", "Ki", "Kim I", "Pak", "Iv", "Пак", "김", "Sun", "Kaz", "No. 1", "V. I"]


def answers(index: NameIndex) -> list:
    found = [index.match(query, limit=5) for query in QUERIES]
    found += [index.complete(prefix, limit=8) for prefix in PREFIXES]
    found += [index.match("Kim", type=["Person"], limit=3), index.complete("s", type="Island")]
    return found


def test_a_saved_index_loads_and_answers_as_the_built_one(registry_index, tmp_path):
    registry_index.save(tmp_path / "names.pickle")
    loaded = NameIndex.load(tmp_path / "names.pickle")
    assert len(loaded) == len(registry_index)
    assert loaded.entries == registry_index.entries
    assert answers(loaded) == answers(registry_index)


def test_a_file_of_another_format_is_refused_with_its_path(tmp_path):
    path = tmp_path / "names.pickle"
    path.write_bytes(b"\x80\x05N.")            # a pickle of None
    with pytest.raises(ValueError, match="names.pickle: not a name index"):
        NameIndex.load(path)


def test_reweighted_equals_a_fresh_index_of_the_new_weights(registry_index):
    entries = registry_entries()
    # Turn the ranking upside down: the least spoken of first.
    top = max(weight for *_, weight in entries)
    new = {entity_id: top - weight + 1 for entity_id, _, _, weight in entries}
    fresh = NameIndex([(i, t, names, new[i]) for i, t, names, _ in entries])
    reweighted = registry_index.reweighted(new)
    assert reweighted.entries == fresh.entries
    assert answers(reweighted) == answers(fresh)
    assert answers(reweighted) != answers(registry_index)       # the weights did change the order
    assert registry_index.entries[0].weight == entries[0][3]      # the original is untouched


def test_reweighted_refuses_a_bad_weight(registry_index):
    with pytest.raises(ValueError, match="weight must be a finite number"):
        registry_index.reweighted({"kim-il-sung": -1})
