"""The inferred graph of a release: every entailment of a part or of the union that no graph
asserts (the minus-asserted rule), from the previous release's and the change.

An entailment may come from several parts (a class two documents give the same node): it
leaves the inferred graph when the last of them stops giving it, and it enters it when a
graph stops asserting it while some part still gives it.  So the build keeps, for the
entailments where it matters (given by two parts or more, or by a part and the union, or
given and asserted), how many parts give them (``State.shared``); any other entailment of
the previous release is given by one part.  Only the entailments and triples of the parts
made again are looked at; for a full build, that is all of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from archivekg.pipeline.entailment import lines_of


@dataclass
class Inferred:
    added: set[bytes]                    # N-Triples lines now in the inferred graph, not before
    removed: set[bytes]                  # and the other way round
    shared: dict[bytes, int]             # for the next build (see above)


def inferred_change(*, entailed: dict[str, bytes], entailed_before: dict[str, bytes],
                    graphs: dict[str, bytes], graphs_before: dict[str, bytes],
                    union: bytes, union_before: bytes, shared: dict[bytes, int],
                    previous: ox.Store | None = None, inferred_graph: str = "",
                    not_data: frozenset[str] = frozenset(),
                    also_asserted: frozenset[bytes] = frozenset()) -> Inferred:
    """``entailed``/``entailed_before``: the parts made again (graph -> N-Triples), now and
    before; ``graphs``/``graphs_before``: the changed parts' triples, now and before;
    ``previous``: the previous release's store (None: there is none), whose graph
    ``inferred_graph`` is the previous inferred graph and whose ``not_data`` graphs assert
    nothing the rule reads; ``also_asserted``: lines such a graph asserts all the same (the
    ontology's), which the inferred graph does not repeat."""
    gives_now: Counter[bytes] = Counter()
    gave: Counter[bytes] = Counter()
    for blob in entailed.values():
        gives_now.update(lines_of(blob))
    for blob in entailed_before.values():
        gave.update(lines_of(blob))
    union_now, union_then = set(lines_of(union)), set(lines_of(union_before))
    asserted_now: set[bytes] = set()
    for blob in graphs.values():
        asserted_now.update(line for line in lines_of(blob) if previous is not None or line in gives_now
                            or line in union_now)
    asserted_then = {line for blob in graphs_before.values() for line in lines_of(blob)}
    candidates = gives_now.keys() | gave.keys() | (union_now ^ union_then) | asserted_now | asserted_then

    in_previous, asserted_elsewhere = _lookups(previous, candidates, inferred_graph,
                                               frozenset(graphs) | not_data)
    asserted = asserted_now | asserted_elsewhere | (candidates & also_asserted)
    # A line no part gave before, the previous release did not hold, and the counts do not
    # know: its count is what the parts made now give.  Most lines of a full build are these,
    # taken a set at a time.
    known = in_previous | gave.keys() | (candidates & shared.keys())
    fresh = candidates - known
    added = ((fresh & gives_now.keys()) | (fresh & union_now)) - asserted
    updated = {line: count for line, count in shared.items() if line not in candidates}
    updated.update((line, count) for line, count in gives_now.items() if count >= 2 and line in fresh)
    updated.update((line, gives_now[line]) for line in fresh & gives_now.keys() & (asserted | union_now))
    removed = set()
    for line in known:
        was = line in in_previous
        before = shared.get(line, 1 if was and line not in union_then else 0)
        parts = before - gave.get(line, 0) + gives_now.get(line, 0)
        in_union = line in union_now
        is_asserted = line in asserted
        now = (parts > 0 or in_union) and not is_asserted
        if now and not was:
            added.add(line)
        elif was and not now:
            removed.add(line)
        if parts >= 2 or (parts >= 1 and (is_asserted or in_union)):
            updated[line] = parts
    return Inferred(added, removed, updated)


def _lookups(store: ox.Store | None, lines: set[bytes], inferred_graph: str,
             excluded: frozenset[str]) -> tuple[set[bytes], set[bytes]]:
    """The lines in the previous inferred graph, and those a graph not ``excluded`` asserts."""
    if store is None or not lines:
        return set(), set()
    ordered = list(lines)
    triples = ox.parse(b"\n".join(ordered) + b"\n", format=ox.RdfFormat.N_TRIPLES)
    inferred, asserted = set(), set()
    for line, triple in zip(ordered, triples, strict=True):
        for quad in store.quads_for_pattern(triple.subject, triple.predicate, triple.object):
            graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
            if graph == inferred_graph:
                inferred.add(line)
            elif graph not in excluded:
                asserted.add(line)
    return inferred, asserted
