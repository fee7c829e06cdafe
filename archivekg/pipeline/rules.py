"""The rules that add what the data entails (``mappings/rules/derive`` and ``entail``), each
with the header that says how a change of the data propagates through it.

A rule file is SPARQL Update; its operations are separated by a line holding only ``;``.  Each
operation starts with comment lines the build reads:

    # scope: triple ?g      its conclusions follow from ONE triple of the graph ?g (with the closed
                            ontology and the raw EDTF bounds of a literal, which are functions of
                            that triple): they can be computed document by document
    # scope: graph ?g       from several triples, all ASSERTED in the one graph ?g: likewise
    # scope: union          from triples of any graphs, joined: computed over the union of all
                            documents, from the triples that match what it reads
    # scope: minus-asserted a DELETE: what some graph asserts is left out of the inferred graph
    # reads: ?x akg:date ?d, ?x a akg:Event     the data patterns it reads (in named graphs)
    # tbox: ?p a owl:TransitiveProperty         the patterns it reads in the closed ontology
    # raw: ?b akgr:edtf ?d                      the patterns it reads in the raw default graph
    # unless: ?x a akg:Quantity                 its FILTER NOT EXISTS, over the asserted graphs

``tests/test_rules.py`` parses every operation and checks its header against what the SPARQL
reads, so a rule whose header lies fails a test rather than making a rebuild differ from a
full build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archivekg.errors import ConfigError
from archivekg.namespaces import INFERRED_INTERNAL

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCOPES = ("triple", "graph", "union", "minus-asserted")
FOLDERS = ("derive", "entail")
HEADER_KEYS = ("scope", "reads", "tbox", "raw", "unless")
_HEADER = re.compile(r"^#\s*(" + "|".join(HEADER_KEYS) + r"):\s*(.*?)\s*$")
_PREFIX = re.compile(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*;\s*$", re.MULTILINE)
_INFERRED = f"GRAPH <{INFERRED_INTERNAL}>"


@dataclass(frozen=True)
class Pattern:
    """A triple pattern of a header: each term a variable (``?x``) or an IRI."""

    subject: str
    predicate: str
    object: str

    def terms(self) -> tuple[str, str, str]:
        return self.subject, self.predicate, self.object

    def variables(self) -> set[str]:
        return {t for t in self.terms() if t.startswith("?")}


@dataclass(frozen=True)
class Operation:
    path: Path
    index: int                    # 0-based, in its file
    text: str                     # runnable alone: the file's prefixes and the operation
    scope: str
    graph: str | None             # the graph variable of a triple- or graph-scoped rule
    reads: tuple[Pattern, ...]
    tbox: tuple[Pattern, ...]
    raw: tuple[Pattern, ...]
    unless: tuple[Pattern, ...]
    prefixes: dict

    @property
    def label(self) -> str:
        return f"{self.path.parent.name}/{self.path.name} (operation {self.index + 1})"

    def into_premise_graph(self) -> str:
        """The operation writing its conclusions into the graph of its premises instead of the
        inferred graph, so that one store can close many documents' graphs apart."""
        head, where, tail = re.split(r"(\bWHERE\b)", self.text, maxsplit=1)
        if head.count(_INFERRED) != 1:
            raise ConfigError(f"{self.label}: a {self.scope}-scoped rule inserts into {_INFERRED} once")
        return head.replace(_INFERRED, f"GRAPH {self.graph}") + where + tail


@dataclass(frozen=True)
class RuleSet:
    operations: tuple[Operation, ...]

    def of(self, *scopes: str) -> list[Operation]:
        return [op for op in self.operations if op.scope in scopes]


def load(mappings_dir: Path) -> RuleSet:
    operations = []
    for folder in FOLDERS:
        for path in sorted((Path(mappings_dir) / "rules" / folder).glob("*.ru")):
            operations.extend(read_file(path))
    return RuleSet(tuple(operations))


def read_file(path: Path) -> list[Operation]:
    text = path.read_text(encoding="utf-8")
    prefixes, prologue = {}, []
    for line in text.splitlines():
        match = _PREFIX.match(line)
        if match:
            prefixes[match[1]] = match[2]
            prologue.append(line.strip())
    chunks = _SEPARATOR.split(text)
    return [_operation(path, index, chunk, prefixes, "\n".join(prologue))
            for index, chunk in enumerate(chunks)]


def _operation(path: Path, index: int, chunk: str, prefixes: dict, prologue: str) -> Operation:
    header: dict[str, list[str]] = {key: [] for key in HEADER_KEYS}
    body = []
    for line in chunk.splitlines():
        match = _HEADER.match(line.strip())
        if match:
            header[match[1]].append(match[2])
        elif not _PREFIX.match(line):
            body.append(line)
    where = f"{path.parent.name}/{path.name} (operation {index + 1})"
    if len(header["scope"]) != 1:
        raise ConfigError(f"{path}: operation {index + 1} needs one `# scope:` header line "
                          f"(one of {', '.join(SCOPES)}): see archivekg/pipeline/rules.py")
    graph: str | None
    scope, _, graph = header["scope"][0].partition(" ")
    graph = graph.strip() or None
    if scope not in SCOPES:
        raise ConfigError(f"{where}: unknown scope {scope!r} (one of {', '.join(SCOPES)})")
    if scope in ("triple", "graph") and not (graph and graph.startswith("?")):
        raise ConfigError(f"{where}: a {scope}-scoped rule names the graph variable of its "
                          f"premises: `# scope: {scope} ?g`")
    patterns = {key: tuple(_patterns(" ".join(header[key]), prefixes, where)) for key in HEADER_KEYS[1:]}
    if not patterns["reads"]:
        raise ConfigError(f"{where}: the header says nothing it reads (`# reads: ?s ?p ?o`)")
    operation = Operation(path, index, prologue + "\n" + "\n".join(body).strip() + "\n", scope, graph,
                          patterns["reads"], patterns["tbox"], patterns["raw"], patterns["unless"], prefixes)
    if scope == "union":
        for pattern in operation.reads:
            if pattern.predicate.startswith("?") and not any(
                    pattern.predicate == t.subject for t in operation.tbox):
                raise ConfigError(f"{where}: a union-scoped rule reads a variable predicate "
                                  f"({pattern.predicate}) only where the ontology names it (`# tbox:`)")
    if scope in ("triple", "graph"):
        operation.into_premise_graph()          # refuses a rule that does not write into the inferred graph
    return operation


def _patterns(text: str, prefixes: dict, where: str) -> list[Pattern]:
    found = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        terms = item.split()
        if len(terms) != 3:
            raise ConfigError(f"{where}: {item!r} in the header is not a triple pattern")
        found.append(Pattern(*(_term(term, prefixes, where) for term in terms)))
    return found


def _term(term: str, prefixes: dict, where: str) -> str:
    if term.startswith("?"):
        return term
    if term == "a":
        return RDF_TYPE
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    prefix, colon, local = term.partition(":")
    if colon and prefix in prefixes:
        return prefixes[prefix] + local
    raise ConfigError(f"{where}: {term!r} in the header is not a variable, an IRI or a declared prefixed name")
