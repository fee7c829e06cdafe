"""A built ``NameIndex`` on disk, read back in a small fraction of the time building takes.

Building computes every name's forms (Latin readings, Korean syllable keys of each word
order): seconds for ten thousand names.  A server must not pay that on start, so the build
saves the index's tables here and the server loads them.  The file is a pickle of built-in
containers only (no class of ours but ``Token``, rebuilt from pairs), read with the garbage
collector paused: a collection pass over a million fresh tuples would cost more than reading
them.  A file written by another version of this format is refused (``ValueError``); the
caller then builds the index from its entries.
"""

from __future__ import annotations

import gc
import os
import pickle
from pathlib import Path

from .candidates import Entry, IndexedName
from .completion import PrefixTable
from .normalize import Token

FORMAT = "archivekg-name-index/1"


def save(index, path: str | os.PathLike) -> None:
    def pairs(tokens):
        return tuple((token.text, token.abbreviated) for token in tokens)

    def given(table):
        return {key: [(number, pairs(tokens)) for number, tokens in rows] for key, rows in table.items()}

    state = {
        "format": FORMAT,
        "entities": [(e.entity_id, e.type, tuple(e.names), e.weight) for e in index._entities],
        "names": [tuple(name) for name in index._names],
        "exact": dict(index._exact), "latin": dict(index._latin), "rotated": dict(index._rotated),
        "phonetic": dict(index._phonetic), "words": dict(index._words), "numbers": dict(index._numbers),
        "surnames": given(index._surnames), "surnames_with_initials": given(index._surnames_with_initials),
        "fuzzy_keys": index._fuzzy_keys, "fuzzy_names": index._fuzzy_names, "sorted_words": index._sorted_words,
        "prefix_keys": index._prefixes.keys, "prefix_refs": index._prefixes.refs,
        "prefix_ranked": index._prefixes.ranked,
    }
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)


def load(path: str | os.PathLike):
    from .index import NameIndex
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as handle:
            state = pickle.load(handle)
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ValueError(f"{path}: not a name index of format {FORMAT}")
        tokens: dict[tuple[str, bool], Token] = {}

        def token(pair):
            found = tokens.get(pair)
            if found is None:
                found = tokens[pair] = Token(*pair)
            return found

        def given(table):
            return {key: [(number, tuple(token(p) for p in pairs)) for number, pairs in rows]
                    for key, rows in table.items()}

        index = object.__new__(NameIndex)
        index._entities = [Entry(*e) for e in state["entities"]]
        index._names = [IndexedName(*n) for n in state["names"]]
        for name in ("exact", "latin", "rotated", "phonetic", "words", "numbers"):
            setattr(index, f"_{name}", state[name])
        index._surnames = given(state["surnames"])
        index._surnames_with_initials = given(state["surnames_with_initials"])
        index._fuzzy_keys, index._fuzzy_names = state["fuzzy_keys"], state["fuzzy_names"]
        index._sorted_words = state["sorted_words"]
        prefixes = object.__new__(PrefixTable)
        prefixes.keys, prefixes.refs, prefixes.ranked = \
            state["prefix_keys"], state["prefix_refs"], state["prefix_ranked"]
        index._prefixes = prefixes
        return index
    finally:
        if collecting:
            gc.enable()
