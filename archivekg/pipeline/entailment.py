"""What the rules add to the data, in two stages that together reach the rules' fixpoint.

1. **Per document** (``Entailer.close_parts``): the triple- and graph-scoped rules (rules.py)
   draw their conclusions from one document's graph alone, so each graph is closed under them
   apart from the others: its share of the entailments, a function of its own triples that the
   build caches with it.  Many graphs are closed in one scratch store: the rules are run with
   their conclusions written into the graph of their premises, and in semi-naive rounds (each
   round over what the previous one added).
2. **Over the union** (``Entailer.close_union``): the union-scoped rules join triples of
   different graphs.  They run on the projection of all graphs onto the patterns they read
   (their headers say which), with the triple-scoped rules applied to what they add.

A monotone rule set's fixpoint is the union of the two; the graph-scoped rule's NOT EXISTS
reads asserted triples only, which the build gives each document from the others (the facts
that match an ``unless`` pattern: ``facts``).  What a graph asserts is then left out of the
inferred graph (the minus-asserted rule), by the build.

Triples travel as N-Triples lines (bytes, no line break), the form of the dumps.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from archivekg.namespaces import INFERRED_INTERNAL, TBOX
from archivekg.pipeline.ingest import raw_edtf_bounds
from archivekg.pipeline.rules import Pattern, RuleSet
from archivekg.rdfformats import serialized

EDTF_TYPE = b'"^^<http://id.loc.gov/datatypes/edtf/EDTF>'
ELSEWHERE = "urn:archivekg:elsewhere"        # what other graphs assert, for a NOT EXISTS
PROJECTION = "urn:archivekg:projection"
UNION = "urn:archivekg:union"
BATCH_TRIPLES = 60_000                      # graphs closed together in one scratch store


def lines_of(blob: bytes) -> list[bytes]:
    """N-Triples text as lines without their line break."""
    found = blob.split(b"\n")
    if found and not found[-1]:
        found.pop()
    return found


def blob_of(lines: Iterable[bytes]) -> bytes:
    """Sorted lines as N-Triples text: the order of the dumps (release/blocks.py)."""
    ordered = sorted(lines)
    return b"\n".join(ordered) + b"\n" if ordered else b""


def as_quads(blob: bytes, graph: str) -> bytes:
    """N-Triples text as N-Quads in ``graph`` (a line's only " .\\n" is its end)."""
    return blob.replace(b" .\n", f" <{graph}> .\n".encode())


_NO_OBJECT: frozenset[bytes] = frozenset()     # the objects wanted of a predicate no pattern names


class Matcher:
    """The lines that match any of some triple patterns: IRIs fixed, or variables the closed
    ontology names (``tbox`` patterns: the predicates that have a superproperty, the classes
    that have a superclass)."""

    def __init__(self, rules: list[tuple[tuple[Pattern, ...], tuple[Pattern, ...]]], tbox: ox.Store):
        """``rules``: (the patterns a rule reads, the ontology patterns that name its variables)."""
        # predicate -> the objects wanted (None: any), as N-Triples writes them
        self.wanted: dict[bytes, set[bytes] | None] = {}
        self.free: dict[tuple[bytes, bytes | None], tuple[bool, bool]] = {}   # which ends are variables
        self.everything = False
        for patterns, tbox_patterns in rules:
            self._add(patterns, tbox_patterns, tbox)

    def _add(self, patterns, tbox_patterns, tbox: ox.Store) -> None:
        for pattern in patterns:
            if pattern.predicate.startswith("?") and not any(pattern.predicate in t.terms() for t in tbox_patterns):
                self.everything = True      # a predicate the ontology does not name: any line
                continue
            predicates = _named_by_tbox(pattern.predicate, tbox_patterns, tbox) \
                if pattern.predicate.startswith("?") else {pattern.predicate}
            if not pattern.object.startswith("?"):
                objects = {pattern.object}
            elif any(pattern.object == t.subject for t in tbox_patterns):
                objects = _named_by_tbox(pattern.object, tbox_patterns, tbox)
            else:
                objects = None
            for predicate in predicates:
                key = f"<{predicate}>".encode()
                wanted = self.wanted.get(key, set())
                if objects is None or wanted is None:
                    self.wanted[key] = None
                else:
                    wanted.update(f"<{o}>".encode() for o in objects)
                    self.wanted[key] = wanted
                for obj in ([None] if objects is None else [f"<{o}>".encode() for o in objects]):
                    self.free[key, obj] = (pattern.subject.startswith("?"), pattern.object.startswith("?"))

    def matches(self, line: bytes) -> bool:
        if self.everything:
            return True
        subject, predicate, rest = line.split(b" ", 2)
        objects = self.wanted.get(predicate, _NO_OBJECT)
        return objects is None or rest[:-2] in objects

    def anchors(self, line: bytes) -> list[bytes]:
        """The IRIs of a matching line where its pattern has variables: what it is about."""
        subject, predicate, rest = line.split(b" ", 2)
        free = self.free.get((predicate, rest[:-2])) or self.free.get((predicate, None))
        if free is None:
            return []
        found = [subject] if free[0] else []
        if free[1] and rest.startswith(b"<"):
            found.append(rest[:rest.index(b">") + 1])
        return found

    def select(self, blob: bytes) -> list[bytes]:
        """The matching lines of N-Triples text (found by their predicates, which are few)."""
        found = []
        for predicate, objects in self.wanted.items():
            needle = b" " + predicate + b" "
            at = blob.find(needle)
            while at >= 0:
                start = blob.rfind(b"\n", 0, at) + 1
                end = blob.find(b"\n", at)
                end = len(blob) if end < 0 else end
                if blob.find(b" ", start) == at and (objects is None or blob[at + len(needle):end - 2] in objects):
                    found.append(blob[start:end])
                at = blob.find(needle, end)
        return found


def _named_by_tbox(variable: str, patterns: list[Pattern], tbox: ox.Store) -> set[str]:
    found = set()
    for pattern in patterns:
        if variable not in pattern.terms():
            continue
        terms = " ".join(t if t.startswith("?") else f"<{t}>" for t in pattern.terms())
        query = f"SELECT DISTINCT {variable} WHERE {{ GRAPH <{TBOX}> {{ {terms} }} }}"
        rows = tbox.query(query)
        assert isinstance(rows, ox.QuerySolutions)
        found |= {row[0].value for row in rows}
    return found


class Entailer:
    def __init__(self, rules: RuleSet, tbox: str):
        self.tbox = tbox.encode("utf-8")
        store = ox.Store()
        store.load(self.tbox, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(TBOX))
        union = rules.of("union")
        self.projection = Matcher([(op.reads, op.tbox) for op in union], store)
        self.unless = Matcher([(op.unless, ()) for op in rules.operations], store)
        # What the per-document rules can read: no other line is loaded into their stores.
        self.premises = Matcher([(op.reads, op.tbox) for op in rules.of("triple", "graph")]
                                + [(op.unless, ()) for op in rules.operations], store)
        self.graph_rules = [op.into_premise_graph() for op in rules.of("graph")]
        self.triple_rules = [op.into_premise_graph() for op in rules.of("triple")]
        self.triple_rules_plain = [op.text for op in rules.of("triple")]
        self.union_rules = [op.text for op in union]

    # ------------------------------------------------------------------ stage 1: per graph
    def close_parts(self, parts: dict[str, bytes], facts: bytes = b"") -> dict[str, bytes]:
        """Each graph (IRI -> its sorted N-Triples) closed under the triple- and graph-scoped
        rules, alone: IRI -> what that adds, sorted, without what the graph asserts.  ``facts``:
        triples other graphs assert that the rules' NOT EXISTS patterns read."""
        closed: dict[str, bytes] = {}
        batch: dict[str, bytes] = {}
        size = 0
        for graph in sorted(parts):
            batch[graph] = parts[graph]
            size += parts[graph].count(b"\n")
            if size >= BATCH_TRIPLES:
                closed.update(self._close_batch(batch, facts))
                batch, size = {}, 0
        if batch:
            closed.update(self._close_batch(batch, facts))
        return closed

    def _close_batch(self, parts: dict[str, bytes], facts: bytes) -> dict[str, bytes]:
        known = {graph: set(lines_of(blob)) for graph, blob in parts.items()}
        added: dict[str, list[bytes]] = {graph: [] for graph in parts}
        delta = {graph: self._premises(known[graph]) for graph in parts}
        delta = {graph: blob for graph, blob in delta.items() if blob}
        first = True
        while delta:
            store = self._scratch(delta.values(), b"".join(as_quads(blob, g) for g, blob in delta.items()))
            if first:
                if facts:
                    store.load(as_quads(facts, ELSEWHERE), format=ox.RdfFormat.N_QUADS)
                # They read asserted triples only (their headers are checked): all are here now.
                for rule in self.graph_rules:
                    store.update(rule)
            for rule in self.triple_rules:
                store.update(rule)
            following = {}
            for graph in delta:
                out = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
                seen = known[graph]
                new = [line for line in lines_of(serialized(out)) if line not in seen]
                if new:
                    seen.update(new)
                    added[graph].extend(new)
                    premises = self._premises(new)
                    if premises:
                        following[graph] = premises
            delta, first = following, False
        return {graph: blob_of(lines) for graph, lines in added.items()}

    def _premises(self, lines: Iterable[bytes]) -> bytes:
        """The lines a per-document rule can read (no other line can make it fire)."""
        kept = [line for line in lines if self.premises.matches(line)]
        return b"\n".join(kept) + b"\n" if kept else b""

    # ------------------------------------------------------------------ stage 2: the union
    def project(self, blob: bytes) -> list[bytes]:
        """The lines the union-scoped rules read."""
        return self.projection.select(blob)

    def facts(self, blob: bytes) -> list[bytes]:
        """The lines the rules' NOT EXISTS patterns read."""
        return self.unless.select(blob)

    def anchors(self, fact: bytes) -> list[bytes]:
        """The nodes (IRIs, as N-Triples writes them) a NOT EXISTS fact is about."""
        return self.unless.anchors(fact)

    def close_union(self, projection: bytes) -> bytes:
        """What the union-scoped rules add over ``projection`` (the projected lines of every
        graph and of every graph's entailments), with its own closure under the triple-scoped
        rules: sorted N-Triples, without the projection's own lines."""
        given = set(lines_of(projection))
        found: set[bytes] = set()
        store = self._scratch([projection], as_quads(projection, PROJECTION))
        inferred = ox.NamedNode(INFERRED_INTERNAL)
        while True:
            _fixpoint(store, self.union_rules)
            new = [line for line in lines_of(serialized(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=inferred)))
                   if line not in found and line not in given]
            if not new:
                break
            found.update(new)
            blob = b"\n".join(new) + b"\n"
            closure = self._scratch([blob], as_quads(blob, UNION))
            _fixpoint(closure, self.triple_rules_plain)
            more = [line for line in lines_of(serialized(closure.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=inferred)))
                    if line not in found and line not in given]
            found.update(more)
            read = self.projection.select(b"\n".join(more) + b"\n") if more else []
            if not read:
                break
            store.load(as_quads(b"\n".join(read) + b"\n", PROJECTION), format=ox.RdfFormat.N_QUADS)
        return blob_of(found)

    # ------------------------------------------------------------------ helpers
    def _scratch(self, blobs: Iterable[bytes], quads: bytes) -> ox.Store:
        """A store with the closed ontology, the raw EDTF bounds of the literals, and ``quads``."""
        store = ox.Store()
        store.load(self.tbox, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(TBOX))
        values = {value for blob in blobs for value in edtf_values(blob)}
        if values:
            store.load(raw_edtf_bounds(values), format=ox.RdfFormat.N_TRIPLES)
        if quads:
            store.load(quads, format=ox.RdfFormat.N_QUADS)
        return store


def edtf_values(blob: bytes) -> set[str]:
    """The EDTF literals of N-Triples text (their lexical forms need no escapes: EDTF has no
    quotes or backslashes, and ingest refuses a value that is not EDTF)."""
    found = set()
    end = blob.find(EDTF_TYPE)
    while end >= 0:
        found.add(blob[blob.rfind(b'"', 0, end) + 1:end].decode("utf-8"))
        end = blob.find(EDTF_TYPE, end + 1)
    return found


def _fixpoint(store: ox.Store, rules: list[str]) -> None:
    before = -1
    while before != len(store):
        before = len(store)
        for rule in rules:
            store.update(rule)
