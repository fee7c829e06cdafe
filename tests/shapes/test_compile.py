"""The compiler of the shapes: every shape of shapes/ has a compiled form, SHACL it cannot run
stops it with the shape and the parameter named, patterns keep Python's meaning in Oxigraph,
and pySHACL (the reference) no longer counts the store for every result."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from archivekg.cli import main
from archivekg.validation import engine, sparql_engine
from archivekg.validation.compile import CompileError, regex
from archivekg.validation.shapes import load
from archivekg.validation.terms import SH

ROOT = Path(__file__).resolve().parents[2]


def test_every_shape_of_shapes_has_a_compiled_form():
    """A shape added without a compiled form makes this fail, instead of being skipped."""
    library = load(ROOT / "shapes")
    compiled = sparql_engine.programs(library)
    checked = {check.shape.node for program in compiled.values() for check in program.checks}
    checked |= {shape.node for program in compiled.values() for check in program.checks
                for shape, *_ in check.counts}
    reporting = {shape for shape in library.info
                 if set(library.graph.predicates(shape, None)) & {SH["class"], SH.datatype, SH.nodeKind,
                                                                  SH.minCount, SH.maxCount, SH.minLength,
                                                                  SH.pattern, SH.minInclusive, SH["in"],
                                                                  SH.hasValue, SH.lessThan, SH.lessThanOrEquals,
                                                                  SH["or"], SH["not"], SH.node, SH.sparql}
                 and (None, SH.node, shape) not in library.graph}
    assert reporting and reporting <= checked, sorted(map(str, reporting - checked))


SHAPE = """
@prefix akgsh: <https://w3id.org/archivekg/shapes#> .
@prefix akg:   <https://w3id.org/archivekg/ontology#> .
@prefix owl:   <http://www.w3.org/2002/07/owl#> .
@prefix sh:    <http://www.w3.org/ns/shacl#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/archivekg/shapes/test> a owl:Ontology ; akgsh:scope akgsh:PerNode .
akgsh:Trial a sh:{kind} ;
    {target} ;
    {path}
    {constraint} ;
    sh:name "A trial shape" ; sh:message "The trial shape breaks." ; sh:severity sh:Violation .
"""
UNSUPPORTED = {
    "equals": ("sh:targetClass akg:Person", "akg:name", "sh:equals akg:label", "sh:equals"),
    "target node": ("sh:targetNode akg:someone", "akg:name", "sh:minCount 1", "sh:targetNode"),
    "qualified value shape": ("sh:targetClass akg:Person", "akg:name",
                              "sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 1",
                              "sh:qualifiedMinCount"),
    "zero-or-more path": ("sh:targetClass akg:Person", "[ sh:zeroOrMorePath akg:memberOf ]", "sh:minCount 1",
                          "sh:zeroOrMorePath"),
    "pattern flags": ("sh:targetClass akg:Person", "akg:name", 'sh:pattern "^a" ; sh:flags "i"', "sh:flags"),
    "pattern syntax": ("sh:targetClass akg:Person", "akg:name", r'sh:pattern "\\bKim"', "pattern"),
    "SPARQL with VALUES": ("sh:targetClass akg:Person", None,
                           'sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } $this ?p ?x }" ]', "VALUES"),
    "SPARQL reading $this unbound": ("sh:targetClass akg:Person", None,
                                     'sh:sparql [ sh:select "SELECT $this WHERE { { ?x ?p ?y FILTER(?x != $this) } '
                                     'UNION { ?x ?p ?y } }" ]', "does not bind it"),
}


def _shapes_folder(tmp_path: Path, target: str, path: str, constraint: str) -> Path:
    folder = tmp_path / "shapes"
    folder.mkdir()
    shutil.copy(ROOT / "shapes" / "vocabulary.ttl", folder)
    kind = "PropertyShape" if path else "NodeShape"
    text = (SHAPE.replace("{kind}", kind).replace("{target}", target).replace("{constraint}", constraint)
            .replace("{path}", f"sh:path {path} ;" if path else ""))
    (folder / "trial.ttl").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", sorted(UNSUPPORTED), ids=str)
def test_an_unsupported_component_stops_the_compile_naming_the_shape(case, tmp_path):
    target, path, constraint, named = UNSUPPORTED[case]
    folder = _shapes_folder(tmp_path, target, path, constraint)
    with pytest.raises(CompileError) as refused:
        sparql_engine.programs(load(folder))
    assert "akgsh:Trial" in str(refused.value) and named in str(refused.value)


def test_the_command_refuses_an_unsupported_shape_and_the_reference_runs_it(tmp_path):
    folder = _shapes_folder(tmp_path, "sh:targetClass akg:Person", "akg:name", "sh:equals akg:label")
    data = tmp_path / "data.ttl"
    data.write_text('@prefix akg: <https://w3id.org/archivekg/ontology#> .\n'
                    '<http://example.org/p> a akg:Person ; akg:name "Kim" ; akg:label "Kim Il Sung" .\n',
                    encoding="utf-8")
    config = tmp_path / "settings.toml"
    config.write_text(f'SHAPES_DIR = "{folder}"\n', encoding="utf-8")
    runner = CliRunner()
    compiled = runner.invoke(main, ["validate", str(data), "--inference", "none", "--config", str(config)])
    assert compiled.exit_code == 2
    assert "akgsh:Trial" in compiled.output and "sh:equals" in compiled.output
    reference = runner.invoke(main, ["validate", str(data), "--inference", "none", "--config", str(config),
                                     "--engine", "pyshacl", "--format", "json"])
    assert reference.exit_code == 1, reference.output
    assert '"shapeName": "A trial shape"' in reference.output


SAMPLES = ["Q41117", "Q41117\n", "Q041117", "Q41117\n\n", "q1", "R-5446", "0102", "12a", "12aa", "1428-326cc",
           "1428-326сс", "text/plain", "text/plain\n", "body", "nondocument", "catalog\n", "", "0", "007",
           "https://example.org/", "ftp://x", "1955-12-04/1955-12-15", "../1955-12", "1950~", "19XX"]


def test_every_pattern_of_the_shapes_matches_in_oxigraph_what_it_matches_in_python():
    graph = load(ROOT / "shapes").graph
    patterns = sorted({str(p) for p in graph.objects(None, SH.pattern)})
    assert len(patterns) >= 10
    store = ox.Store()
    for pattern in patterns:
        translated = ox.Literal(regex.translate(pattern))
        for sample in SAMPLES:
            answer = store.query(f"ASK {{ FILTER(REGEX({ox.Literal(sample)}, {translated})) }}")
            assert bool(answer) == (re.search(pattern, sample) is not None), (pattern, sample)


@pytest.mark.parametrize("pattern", [r"^a$b", r"a^", r"\bword", r"(?i)x", r"\w+", r"a{,3}", r"(?=x)"])
def test_a_pattern_whose_meaning_may_differ_is_refused(pattern):
    with pytest.raises(regex.UnsupportedPattern):
        regex.translate(pattern)


@pytest.mark.parametrize("advanced", [False, True], ids=["core", "advanced"])
def test_pyshacl_bool_len_counts_the_store_once_per_result(monkeypatch, advanced):
    """pyshacl writes each result with ``datagraph or shapes_graph``: on its Oxigraph data
    graph, ``bool()`` was ``__len__``, a COUNT over the whole store (benchmarks/upstream/
    pyshacl-bool-len.md).  The data graph engine.py gives pyshacl is true without counting
    (and in advanced mode, where pyshacl copied it into a data graph of its own, it is used in
    place)."""
    from pyshacl.graph_abstraction import OxigraphDataGraph

    counted = []
    original = OxigraphDataGraph.__len__
    monkeypatch.setattr(OxigraphDataGraph, "__len__", lambda self, *a: counted.append(1) or original(self, *a))
    store = ox.Store()
    ex = "http://example.org/"
    for i in range(5):
        store.add(ox.Quad(ox.NamedNode(f"{ex}n{i}"), ox.NamedNode(f"{ex}p"), ox.NamedNode(f"{ex}n{i}")))
    shapes = rdflib.Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <{ex}S> a sh:NodeShape ; sh:targetSubjectsOf <{ex}p> ; sh:message "self" ;
            sh:sparql [ sh:select "SELECT $this WHERE {{ $this <{ex}p> $this }}" ] .""", format="turtle")

    found = engine._pyshacl(engine._oxigraph_data_graph(store), shapes, advanced=advanced)
    assert len(found) == 5 and not counted
    engine._pyshacl(OxigraphDataGraph(store), shapes, advanced=advanced)
    assert len(counted) >= 5, "pyshacl no longer counts the store per result: the workaround may go"

