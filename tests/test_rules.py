"""Each operation of mappings/rules/derive and entail declares in its header how a change
propagates through it (archivekg/pipeline/rules.py); the build trusts the header, so a header
that says otherwise than its SPARQL would make a rebuild differ from a full build.  Here each
operation is parsed (rdflib's SPARQL Update parser) and what it reads is compared with what
its header declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from archivekg.errors import ConfigError
from archivekg.namespaces import INFERRED_INTERNAL, RAW, TBOX
from archivekg.pipeline import rules

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = rules.load(ROOT / "mappings").operations
INFERRED = URIRef(INFERRED_INTERNAL)


def _term(term) -> str:
    return f"?{term}" if isinstance(term, Variable) else str(term)


def _pattern(triple) -> rules.Pattern:
    return rules.Pattern(*(_term(t) for t in triple))


class Reading:
    """What an operation reads: its triple patterns by where they stand, and its filters."""

    def __init__(self, text: str):
        update = translateUpdate(parseUpdate(text))
        assert len(update.algebra) == 1, "one operation"
        self.operation = update.algebra[0]
        self.data: dict[str, set[rules.Pattern]] = {}      # graph variable -> patterns
        self.fixed: dict[str, set[rules.Pattern]] = {}     # graph IRI -> patterns
        self.raw: set[rules.Pattern] = set()               # the default graph
        self.unless: dict[str, set[rules.Pattern]] = {}    # FILTER NOT EXISTS: graph variable -> patterns
        self.excluded: set[tuple[str, str]] = set()         # FILTER(?g != <iri>)
        self._walk(self.operation.where, None, False)
        # rdflib's translation drops a FILTER inside NOT EXISTS: the filters are read from the parse.
        self._filters(parseUpdate(text))

    def _walk(self, node, graph, negated: bool) -> None:
        if isinstance(node, CompValue):
            if node.name in ("Graph", "GraphGraphPattern"):
                graph = node["term"]
            if node.name in ("BGP", "TriplesBlock"):
                for triple in node["triples"]:
                    self._add(_pattern(triple), graph, negated)
            if node.name == "Builtin_NOTEXISTS":
                negated = True
            for key, value in node.items():
                if key not in ("triples", "term"):
                    self._walk(value, graph, negated)
        elif isinstance(node, (list, tuple)):
            for item in node:
                self._walk(item, graph, negated)

    def _filters(self, node) -> None:
        if isinstance(node, CompValue):
            if node.name == "RelationalExpression" and node.get("op") == "!=":
                left, right = _bare(node["expr"]), _bare(node["other"])
                if isinstance(left, Variable) and isinstance(right, URIRef):
                    self.excluded.add((f"?{left}", str(right)))
            for value in node.values():
                self._filters(value)
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            for item in node:
                self._filters(item)

    def _add(self, pattern: rules.Pattern, graph, negated: bool) -> None:
        if negated:
            self.unless.setdefault(_term(graph), set()).add(pattern)
        elif graph is None:
            self.raw.add(pattern)
        elif isinstance(graph, Variable):
            self.data.setdefault(f"?{graph}", set()).add(pattern)
        else:
            self.fixed.setdefault(str(graph), set()).add(pattern)

    def template(self, clause: str) -> dict[str, set[rules.Pattern]]:
        found = dict.get(self.operation, clause)
        if found is None:
            return {}
        assert not dict.get(found, "triples"), f"the {clause} template writes into a named graph"
        return {str(g): {_pattern(t) for t in triples} for g, triples in found["quads"].items()}


def _bare(expression):
    """An expression of the parse without its one-operand wrappers (AdditiveExpression...)."""
    while isinstance(expression, CompValue) and set(expression) == {"expr"}:
        expression = expression["expr"]
    return expression


def header_problems(operation: rules.Operation) -> list[str]:
    """Where the header of ``operation`` says otherwise than its SPARQL."""
    read = Reading(operation.text)
    problems = []
    data = set().union(*read.data.values()) if read.data else set()
    tbox = read.fixed.pop(TBOX, set())
    if data != set(operation.reads) and operation.scope != "minus-asserted":
        problems.append(f"it reads {sorted(data, key=str)}, its header says {sorted(operation.reads, key=str)}")
    if tbox != set(operation.tbox):
        problems.append(f"it reads {sorted(tbox, key=str)} in the ontology, its header says "
                        f"{sorted(operation.tbox, key=str)}")
    if read.raw != set(operation.raw):
        problems.append(f"it reads {sorted(read.raw, key=str)} in the default graph, its header says "
                        f"{sorted(operation.raw, key=str)}")
    if any(not p.predicate.startswith(RAW) for p in read.raw):
        problems.append("in the default graph it reads more than the raw nodes (akgr:)")
    unless = set().union(*read.unless.values()) if read.unless else set()
    if unless != set(operation.unless):
        problems.append(f"its NOT EXISTS reads {sorted(unless, key=str)}, its header says "
                        f"{sorted(operation.unless, key=str)}")
    for variable in read.unless:
        if (variable, INFERRED_INTERNAL) not in read.excluded:
            problems.append(f"its NOT EXISTS reads the inferred graph too ({variable})")
    scope = operation.scope
    if scope == "minus-asserted":
        if read.fixed != {INFERRED_INTERNAL: set(operation.reads)} or data != set(operation.reads) \
                or read.template("insert") or read.template("delete") != {INFERRED_INTERNAL: set(operation.reads)} \
                or (next(iter(read.data)), INFERRED_INTERNAL) not in read.excluded:
            problems.append("a minus-asserted rule deletes from the inferred graph what another graph holds, "
                            "and nothing else")
        return problems
    if read.fixed:
        problems.append(f"it reads graphs {sorted(read.fixed)}, which no scope allows")
    if set(read.template("insert")) != {INFERRED_INTERNAL} or read.template("delete"):
        problems.append("it inserts into the inferred graph only")
    if scope in ("triple", "graph"):
        if set(read.data) != {operation.graph}:
            problems.append(f"its data patterns stand in graphs {sorted(read.data)}, its header says "
                            f"{operation.graph}")
    if scope == "triple":
        if len(data) != 1:
            problems.append(f"a triple-scoped rule reads one data pattern, this one {len(data)}")
        if read.unless:
            problems.append("a triple-scoped rule has no NOT EXISTS (its answer would depend on other triples)")
    if scope == "graph" and (operation.graph, INFERRED_INTERNAL) not in read.excluded:
        problems.append(f"a graph-scoped rule reads asserted triples only: FILTER({operation.graph} != "
                        f"<{INFERRED_INTERNAL}>)")
    if scope == "union" and read.unless:
        problems.append("a union-scoped rule has no NOT EXISTS")
    return problems


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_the_header_says_what_the_rule_reads(operation):
    assert header_problems(operation) == []


def test_every_rule_file_is_split_where_sparql_splits_it():
    for path in sorted((ROOT / "mappings" / "rules").glob("*/*.ru")):
        if path.parent.name not in rules.FOLDERS:
            continue
        whole = translateUpdate(parseUpdate(path.read_text(encoding="utf-8")))
        assert len(whole.algebra) == len(rules.read_file(path)), path


PROLOGUE = "PREFIX akg: <https://w3id.org/archivekg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
BODY = """INSERT { GRAPH <urn:archivekg:inferred> { ?x akg:p ?z } }
WHERE { GRAPH ?g { ?x akg:q ?y } GRAPH ?h { ?y akg:r ?z } }
"""


def _operation(tmp_path, header: str, body: str = BODY) -> rules.Operation:
    path = tmp_path / "rules" / "derive" / "10-test.ru"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PROLOGUE + header + body, encoding="utf-8")
    return rules.read_file(path)[0]


def test_a_header_that_hides_a_join_is_found_out(tmp_path):
    lying = _operation(tmp_path, "# scope: triple ?g\n# reads: ?x akg:q ?y\n")
    problems = header_problems(lying)
    assert any(p.startswith("it reads [") and "its header says" in p for p in problems)
    assert any("one data pattern" in p for p in problems)
    honest = _operation(tmp_path, "# scope: union\n# reads: ?x akg:q ?y, ?y akg:r ?z\n")
    assert header_problems(honest) == []


def test_a_triple_scoped_rule_with_an_unrelated_graph_variable_is_found_out(tmp_path):
    body = "INSERT { GRAPH <urn:archivekg:inferred> { ?x akg:p ?y } }\nWHERE { GRAPH ?h { ?x akg:q ?y } }\n"
    assert any("stand in graphs" in p for p in header_problems(
        _operation(tmp_path, "# scope: triple ?g\n# reads: ?x akg:q ?y\n", body)))


def test_a_rule_without_a_header_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="operation 1 needs one `# scope:` header"):
        _operation(tmp_path, "")
    with pytest.raises(ConfigError, match="unknown scope 'nearby'"):
        _operation(tmp_path, "# scope: nearby\n# reads: ?x akg:q ?y\n")
    with pytest.raises(ConfigError, match="names the graph variable"):
        _operation(tmp_path, "# scope: triple\n# reads: ?x akg:q ?y\n")
    with pytest.raises(ConfigError, match="variable predicate"):
        _operation(tmp_path, "# scope: union\n# reads: ?x ?p ?y\n")
