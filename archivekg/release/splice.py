"""A release made from the previous one and a change: the same bytes a full build writes.

Both dumps are sorted by graph, then subject (release.write_nquads): a document's graph is one
run of lines (N-Quads) or one block (TriG), and in the inferred graph the entailments of one
subject are one run of lines or one subject group.  So the new dumps are the previous ones
with the changed documents' runs replaced and, in the inferred graph, the runs of the touched
subjects replaced; runs are found by binary search.  The on-disk store is a hard-linked
backup of the previous one with the same changes applied.
"""

from __future__ import annotations

import mmap
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from archivekg.release.writer import NQUADS, TRIG, graph_chunk

CHUNK = 1 << 22


@dataclass
class Edit:
    """What replaces the previous release's content."""
    graphs: dict[str, list[ox.Quad]]          # changed graphs (IRI -> all their quads; [] removes)
    inferred: str                              # the inferred graph's IRI
    touched: set[str]                          # subjects whose entailments are replaced
    minted_under: int                          # see delta._is_touched
    entailments: list[ox.Triple]               # their new entailments
    removed: list[bytes] = field(default_factory=list)   # their previous N-Quads lines (filled in)


def term_key(iri: str) -> bytes:
    return f"<{iri}>".encode()


class Sorted:
    """A run of items sorted by key in a file (N-Quads lines, or TriG subject groups)."""

    def __init__(self, data: mmap.mmap, start: int, end: int, next_item, key_at):
        self.data, self.start, self.end = data, start, end
        self._next, self._key = next_item, key_at

    def lower_bound(self, key: bytes) -> int:
        """The offset of the first item whose key is >= ``key`` (``end`` if none)."""
        lo, hi = self.start, self.end     # everything before lo is < key; hi is >= key (or end)
        while hi - lo > 4096:
            mid = self._next(lo + (hi - lo) // 2, hi)
            if mid >= hi:
                break
            if self._key(mid) < key:
                lo = mid
            else:
                hi = mid
        at = lo
        while at < hi and self._key(at) < key:
            at = self._next(at + 1, hi)
        return min(at, hi)

    def cuts(self, touched: set[str], minted_under: int) -> list[tuple[int, int]]:
        """The runs of the touched subjects and of the nodes minted under them, merged."""
        found = []
        for iri in touched:
            key = term_key(iri)[:-1]
            found.append((self.lower_bound(key + b">"), self.lower_bound(key + b">!")))
            if len(iri) > minted_under:
                found.append((self.lower_bound(key + b"/"), self.lower_bound(key + b"0")))
        merged: list[list[int]] = []
        for a, b in sorted(r for r in found if r[0] < r[1]):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        return [(a, b) for a, b in merged]

    def spliced(self, cuts: list[tuple[int, int]], items: list[bytes], subject) -> list:
        """The run with the cut parts left out and the new items (sorted) put in their place:
        each goes before the first kept item with a greater key (one that would land inside a
        cut goes where the cut starts).  Parts are (start, end) of the file, or bytes."""
        placed = []
        for item in items:
            at = self.lower_bound(subject(item))
            for a, b in cuts:
                if a < at < b:
                    at = a
                    break
            placed.append((at, item))
        parts, at, index = [], self.start, 0
        for a, b in cuts + [(self.end, self.end)]:
            while index < len(placed) and placed[index][0] <= a:
                position, item = placed[index]
                index += 1
                if position > at:
                    parts.append((at, position))
                    at = position
                parts.append(item)
            if a > at:
                parts.append((at, a))
            at = max(at, b)
        return parts


def nquads_lines(data: mmap.mmap, start: int, end: int) -> Sorted:
    def next_line(at: int, limit: int) -> int:
        if at <= start:
            return start
        found = data.find(b"\n", at - 1, limit)
        return limit if found < 0 else found + 1
    return Sorted(data, start, end, next_line, lambda at: data[at:data.find(b"\n", at)])


def trig_groups(data: mmap.mmap, start: int, end: int, prefixes: dict[str, str]) -> Sorted:
    """The subject groups of one TriG graph block (``start``: its first group)."""
    def next_group(at: int, limit: int) -> int:
        if at <= start:
            return start
        while True:
            found = data.find(b"\n\t", at - 1, limit)
            if found < 0 or found + 2 >= limit:
                return limit
            if data[found + 2:found + 3] != b"\t":
                return found + 1
            at = found + 2
    return Sorted(data, start, end, next_group,
                  lambda at: _expand(data[at + 1:data.find(b" ", at + 1)], prefixes))


def _expand(token: bytes, prefixes: dict[str, str]) -> bytes:
    """A subject as TriG writes it (an IRI or a prefixed name) as N-Triples writes it."""
    if token.startswith(b"<"):
        return token
    prefix, _, local = token.decode("utf-8").partition(":")
    return f"<{prefixes[prefix]}{local.replace(chr(92), '')}>".encode()


def splice(old: Path, new: Path, offsets: dict[str, tuple[int, int]], edit: Edit,
           prefixes: dict[str, str]) -> tuple[dict[str, tuple[int, int]], dict[str, int], dict]:
    """Write ``new``'s dumps from ``old``'s.  Returns the new N-Quads offsets, the triples of
    each changed document graph, and the dumps' sizes; fills ``edit.removed``."""
    chunks = {iri: _graph_bytes(quads, iri) for iri, quads in edit.graphs.items()}
    inferred = _graph_bytes([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(edit.inferred))
                             for t in edit.entailments], edit.inferred)
    sizes: dict = {NQUADS: {}, TRIG: {}}
    with (old / NQUADS).open("rb") as handle, \
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        start, end = offsets[edit.inferred]
        lines = nquads_lines(data, start, end)
        cuts = lines.cuts(edit.touched, edit.minted_under)
        edit.removed = [line for a, b in cuts for line in data[a:b].splitlines(keepends=True)]
        inferred_parts = lines.spliced(cuts, inferred.splitlines(keepends=True),
                                       lambda line: line[:line.index(b" ")])
        parts, new_offsets, position = [], {}, 0
        for iri in sorted(set(offsets) | set(chunks), key=term_key):
            if iri in chunks:
                piece = [chunks[iri]] if chunks[iri] else []
            elif iri == edit.inferred:
                piece = inferred_parts
            else:
                piece = [offsets[iri]]
            size = sum(len(p) if isinstance(p, bytes) else p[1] - p[0] for p in piece)
            if size:
                new_offsets[iri] = (position, position + size)
                position += size
            parts += piece
        # The two files are written at once (copying frees the GIL).
        writer = threading.Thread(target=_write, args=(handle.fileno(), parts, new / NQUADS, sizes[NQUADS]))
        writer.start()
        try:
            _splice_trig(old / TRIG, new / TRIG, offsets, chunks, inferred, edit, prefixes, sizes[TRIG])
        finally:
            writer.join()
    counts = {iri: chunk.count(b"\n") for iri, chunk in chunks.items()}
    return new_offsets, counts, sizes


def _splice_trig(old: Path, new: Path, offsets, chunks: dict[str, bytes], inferred: bytes,
                 edit: Edit, prefixes, size: dict) -> None:
    with old.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        def block(iri: str) -> tuple[int, int]:
            at = data.find(b"\n" + term_key(iri) + b" {\n") + 1
            return at, data.find(b"\n}\n", at) + 3
        graphs = sorted(offsets, key=term_key)
        edits = []                                   # (start, end, replacement parts)
        for iri, chunk in chunks.items():
            replacement = [_trig_block(chunk, prefixes)] if chunk else []
            if iri in offsets:
                edits.append((*block(iri), replacement))
            else:                                    # a new graph: before the next one
                later = [g for g in graphs if term_key(g) > term_key(iri)]
                at = block(later[0])[0] if later else len(data)
                edits.append((at, at, replacement))
        first, last = block(edit.inferred)
        first += len(term_key(edit.inferred)) + 3    # past "<graph> {\n"
        last -= 2                                    # before "}\n"
        groups = trig_groups(data, first, last, prefixes)
        new_block = _trig_block(inferred, prefixes)
        body = new_block[new_block.find(b"{\n") + 2:new_block.rfind(b"}\n")] if new_block else b""
        edits.append((first, last, groups.spliced(groups.cuts(edit.touched, edit.minted_under),
                                                  _split_groups(body),
                                                  lambda g: _expand(g[1:g.index(b" ")], prefixes))))
        parts, at = [], 0
        for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
            parts += [(at, start)] + replacement
            at = end
        _write(handle.fileno(), parts + [(at, len(data))], new, size)


def _graph_bytes(quads: list[ox.Quad], iri: str) -> bytes:
    """The sorted N-Quads lines of one graph, as release.write_nquads writes them."""
    store = ox.Store()
    store.extend(quads)
    return graph_chunk(store, ox.NamedNode(iri))[0]


def _trig_block(nquads: bytes, prefixes: dict[str, str]) -> bytes:
    """One graph's TriG block, as the serialisation of the whole dataset writes it."""
    if not nquads:
        return b""
    text = ox.serialize(ox.parse(nquads, format=ox.RdfFormat.N_QUADS), None, ox.RdfFormat.TRIG,
                        prefixes=prefixes)
    at = 0
    while text.startswith(b"@prefix", at):
        at = text.index(b"\n", at) + 1
    return text[at:]


def _split_groups(body: bytes) -> list[bytes]:
    """A TriG block's subject groups: each starts on a line with one tab."""
    groups, start = [], 0
    while start < len(body):
        at, end = start, len(body)
        while (found := body.find(b"\n\t", at)) >= 0:
            if body[found + 2:found + 3] != b"\t":
                end = found + 1
                break
            at = found + 2
        groups.append(body[start:end])
        start = end
    return groups


def _write(source: int, parts: list, path: Path, info: dict) -> None:
    """``parts``: new bytes, or (start, end) ranges of the file open as ``source``, copied by
    the kernel (os.copy_file_range) without passing through Python."""
    merged: list = []
    for part in parts:                    # adjacent runs of the old file: one copy
        if isinstance(part, tuple) and merged and isinstance(merged[-1], tuple) \
                and merged[-1][1] == part[0]:
            merged[-1] = (merged[-1][0], part[1])
        elif not isinstance(part, tuple) or part[0] < part[1]:
            merged.append(part)
    size = 0
    with path.open("wb") as out:
        for part in merged:
            if isinstance(part, bytes):
                out.write(part)
                size += len(part)
                continue
            out.flush()
            start, end = part
            while start < end:
                copied = os.copy_file_range(source, out.fileno(), end - start, start)
                if copied == 0:
                    raise OSError(f"{path}: the previous dump ended before byte {end}")
                start += copied
                size += copied
            out.seek(size)
    info.update(bytes=size)


def apply_to_store(old_store: ox.Store, folder: Path, edit: Edit) -> ox.Store:
    """A hard-linked backup of the previous store, with the edit applied (returned open)."""
    old_store.backup(str(folder))
    store = ox.Store(str(folder))
    for iri, quads in edit.graphs.items():
        graph = ox.NamedNode(iri)
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
        store.extend(quads)
    for quad in ox.parse(b"".join(edit.removed), format=ox.RdfFormat.N_QUADS):
        store.remove(quad)
    inferred = ox.NamedNode(edit.inferred)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, inferred) for t in edit.entailments)
    store.flush()
    return store
