"""Compare two releases file by file: are they the same, byte for byte, and where not, is
their content the same?

    python benchmarks/compare_releases.py RELEASE_A RELEASE_B

Each file of either release folder is compared as bytes; a file whose bytes differ is then
compared by what it holds: the dumps as RDF (N-Quads decompressed, Turtle and JSON-LD
parsed, the triples or quads compared as sets), the JSON files without the fields that say
when a release was built or which release an index was updated from, the on-disk store by
its quads, the search index by its stored hits.  A file only one release has is listed.
A release that lacks a dump the other has (a release of a build that leaves the derived
dumps to the server) is compared after making them with ``--derive "COMMAND"``, run with
the release folder as its last argument.

Prints one line per file and exits with 1 when some content differs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

VOLATILE = {"manifest.json": ("built",), "search/manifest.json": ("incremental_from",)}


def files_of(release: Path) -> set[str]:
    """Every file, the store and the Tantivy index as one entry each (their files are the
    storage engines', named and split as those choose)."""
    found = set()
    for path in release.rglob("*"):
        relative = path.relative_to(release).as_posix()
        if relative.startswith("store/"):
            found.add("store/")
        elif relative.startswith("search/text/"):
            found.add("search/text/")
        elif path.is_file() and not path.name.startswith("."):
            found.add(relative)
    return found


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def quads_of(path: Path, name: str) -> set[str]:
    if name.endswith(".gz"):
        data = gzip.decompress(path.read_bytes())
        return set(data.decode("utf-8").splitlines())
    fmt = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
           ".jsonld": ox.RdfFormat.JSON_LD}[path.suffix]
    if fmt == ox.RdfFormat.JSON_LD:
        return _jsonld_quads(path)
    if fmt == ox.RdfFormat.TURTLE:       # no graphs: the triples
        return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in ox.parse(path=str(path), format=fmt)}
    return {str(q) for q in ox.parse(path=str(path), format=fmt)}


def _jsonld_quads(path: Path) -> set[str]:
    """A JSON-LD file as quads, by PyLD (the reference processor): blank nodes are relabelled
    by both sides the same way, as there are none in our data."""
    from pyld import jsonld as pyld
    document = json.loads(path.read_text(encoding="utf-8"))
    nquads = pyld.to_rdf(document, {"format": "application/n-quads"})
    return {str(q) for q in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)}


def store_quads(folder: Path) -> set[str]:
    store = ox.Store.read_only(str(folder))
    try:
        return {str(q) for q in store}
    finally:
        del store


def search_hits(folder: Path) -> list[str]:
    import tantivy

    from archivekg.release.search.schema import open_index
    index = open_index(folder)
    searcher = index.searcher()
    found = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs))
    return sorted(json.dumps(searcher.doc(address).to_dict(), sort_keys=True, ensure_ascii=False,
                             default=lambda value: value.hex())
                  for _, address in found.hits)


def canonical(value):
    """An unpickled object as plain data, sets and dicts in a fixed order (a pickle's bytes
    follow the order a set was filled in, which is not content)."""
    if isinstance(value, dict):
        return sorted((repr(canonical(k)), canonical(v)) for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(repr(canonical(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if hasattr(value, "__dict__"):
        return [type(value).__name__, canonical(vars(value))]
    if hasattr(value, "__slots__"):
        return [type(value).__name__, [canonical(getattr(value, s, None)) for s in value.__slots__]]
    return value


def compare_content(name: str, a: Path, b: Path) -> tuple[bool, str]:
    """Whether the two files hold the same, and in what terms."""
    if name == "store/":
        left, right = store_quads(a), store_quads(b)
        return left == right, f"{len(left)} quads" + _sides(left, right)
    if name == "search/text/":
        left, right = search_hits(a), search_hits(b)
        return left == right, f"{len(left)} stored hits" + _sides(set(left), set(right))
    if name.startswith("dataset."):
        left, right = quads_of(a, name), quads_of(b, name)
        unit = "triples" if name.endswith(".ttl") else "quads"
        return left == right, f"the same {len(left)} {unit}" if left == right else \
            f"{unit} differ" + _sides(left, right)
    if name.endswith(".pickle"):
        import pickle
        left, right = (canonical(pickle.loads(path.read_bytes())) for path in (a, b))
        return left == right, "the same objects unpickled" if left == right else "different objects"
    if name.endswith(".json"):
        left, right = json.loads(a.read_bytes()), json.loads(b.read_bytes())
        dropped = VOLATILE.get(name, ())
        for field in dropped:
            left.pop(field, None)
            right.pop(field, None)
        if name == "manifest.json":        # the dumps' sizes follow the dumps, compared above
            left.pop("dumps", None)
            right.pop("dumps", None)
        if name == "downloads.json":
            return True, "sizes and checksums of the dumps (compared above)"
        same = left == right
        return same, ("the same apart from " + ", ".join(dropped or ("dumps",))) if same else "different JSON"
    return False, "different bytes"


def _sides(left: set, right: set) -> str:
    if left == right:
        return ""
    return f" (only in A: {len(left - right)}, only in B: {len(right - left)}; " \
           f"e.g. {sorted(left - right)[:1]} / {sorted(right - left)[:1]})"


def compare(a: Path, b: Path) -> bool:
    names_a, names_b = files_of(a), files_of(b)
    same_content = True
    for name in sorted(names_a | names_b):
        if name not in names_b or name not in names_a:
            print(f"{name:28} only in {'A' if name in names_a else 'B'}")
            same_content = False
            continue
        left, right = a / name, b / name
        if not name.endswith("/") and digest(left) == digest(right):
            print(f"{name:28} identical bytes ({left.stat().st_size} bytes)")
            continue
        same, how = compare_content(name, left, right)
        kind = "engine files" if name.endswith("/") else "bytes differ"
        print(f"{name:28} {kind}; content {'same' if same else 'DIFFERENT'}: {how}")
        same_content &= same
    return same_content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="a release folder (or a build folder: its current release)")
    parser.add_argument("b", type=Path)
    parser.add_argument("--derive", help="a command that writes the derived dumps of the release "
                        "given as its last argument, for a release without them")
    args = parser.parse_args(argv)
    releases = [p / "current" if (p / "current").exists() else p for p in (args.a, args.b)]
    releases = [p.resolve() for p in releases]
    if args.derive:
        for release in releases:
            if not (release / "dataset.jsonld").is_file():
                subprocess.run([*args.derive.split(), str(release)], check=True)
    print(f"A: {releases[0]}\nB: {releases[1]}")
    same = compare(*releases)
    print("content: the same" if same else "content: DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
