"""The compiled engine against pySHACL, result for result.

Both engines validate the same data: every case folder of ``cases/`` (as a partner's file),
data whose literals rdflib and Oxigraph read differently, and a generated 100-document
corpus built without validation (as the build's store).  Every result either engine makes is
compared before the report merges duplicates: scope, graph (per-graph shapes), focus node,
path, value, source shape, severity, constraint component and message.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_cases import _cases, _read_case

from archivekg import settings as settings_module
from archivekg.release.make import build
from archivekg.validation import engine, paths

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def settings():
    return settings_module.load(environ={})


def _results_of(monkeypatch, run) -> set:
    """Every result ``run()`` finds, as the engine has it before the report is made."""
    found = set()
    keep = engine._result

    def record(result, unit, library, attribution, scope):
        graph = unit.graph if unit is not None and scope.endswith("PerGraph") else None
        value = result["value"]
        found.add((scope.rsplit("#", 1)[-1], graph, result["focus"].n3(), paths.sparql(result["path"]),
                   value.n3() if value is not None else None, str(result["shape"]), result["severity"],
                   str(result["component"]), result["message"]))
        return keep(result, unit, library, attribution, scope)

    monkeypatch.setattr(engine, "_result", record)
    report = run()
    monkeypatch.setattr(engine, "_result", keep)
    return found, report


def _compare(reference: set, compiled: set) -> None:
    assert compiled == reference, (
        f"\nonly pySHACL ({len(reference - compiled)}):\n  " + "\n  ".join(map(str, sorted(reference - compiled)[:20]))
        + f"\nonly the compiled shapes ({len(compiled - reference)}):\n  "
        + "\n  ".join(map(str, sorted(compiled - reference)[:20])))


def _both(monkeypatch, validate) -> tuple:
    reference, reference_report = _results_of(monkeypatch, lambda: validate("pyshacl"))
    compiled, compiled_report = _results_of(monkeypatch, lambda: validate("sparql"))
    return reference, compiled, reference_report, compiled_report


@pytest.mark.parametrize("folder", _cases(), ids=lambda path: path.name)
def test_the_compiled_shapes_find_what_pyshacl_finds_on_every_case(folder, settings, monkeypatch):
    data, inference, expected, _ = _read_case(folder)
    reference, compiled, _, _ = _both(monkeypatch, lambda name: engine.validate_files(
        [data], settings, inference=inference, max_bytes=10 * 1024 * 1024, engine=name))
    assert reference, f"{folder.name}: the case gives no result, so it tests nothing"
    _compare(reference, compiled)


# Literals rdflib and Oxigraph read differently ("1_000" is an integer for rdflib, not for
# Oxigraph; rdflib writes " 7 " as "7"), on the paths of shapes that test datatypes, bounds,
# lengths and patterns, as values and through sh:or and sh:node.
ODD_LITERALS = """
@prefix akg: <https://w3id.org/archivekg/ontology#> .
@prefix ex:  <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix edtf: <http://id.loc.gov/datatypes/edtf/> .
ex:d1 a akg:Decree ; akg:label "A decree" ; akg:legalStatus akg:draft ;
    akg:numberOfCopies "1_000"^^xsd:integer ; akg:secret "TRUE"^^xsd:boolean ;
    akg:retroactive "yes"^^xsd:boolean ; akg:date "1955-12-04/1955-12-15"^^edtf:EDTF .
ex:d2 a akg:Decree ; akg:label "Another" ; akg:legalStatus akg:adopted ;
    akg:numberOfCopies " 7 "^^xsd:integer ; akg:decreeNumber "12"^^xsd:integer .
ex:q1 a akg:Quantity ; akg:quantityValue "+5"^^xsd:integer ; akg:unit akg:unit-person ;
    akg:measures "people" ; akg:minValue "-0"^^xsd:decimal ; akg:maxValue "1e3"^^xsd:double .
ex:q2 a akg:Quantity ; akg:quantityValue "abc"^^xsd:integer ; akg:unit akg:unit-person ; akg:measures "x" .
ex:m1 a akg:Resettlement ; akg:label "m" ; akg:executionStatus akg:planned ;
    akg:numberOfFamilies "3"^^xsd:nonNegativeInteger ; akg:numberOfPeople "2"^^xsd:integer ;
    akg:earliestDate "2020-02-30"^^xsd:date ; akg:latestDate "1955-01-01"^^xsd:date ;
    akg:date "1956"^^xsd:gYear .
"""


def test_literals_that_rdflib_and_oxigraph_read_differently(settings, monkeypatch, tmp_path):
    data = tmp_path / "odd.ttl"
    data.write_text(ODD_LITERALS, encoding="utf-8")
    reference, compiled, _, _ = _both(monkeypatch, lambda name: engine.validate_files(
        [data], settings, inference="owlrl", max_bytes=10 * 1024 * 1024, engine=name))
    components = {component.rsplit("#", 1)[-1] for *_, component, _ in reference}
    assert {"DatatypeConstraintComponent", "MinInclusiveConstraintComponent",
            "LessThanOrEqualsConstraintComponent"} <= components
    _compare(reference, compiled)


@pytest.fixture(scope="module")
def corpus_100(tmp_path_factory):
    folder = tmp_path_factory.mktemp("differential")
    data = generate(100, 7, folder / "corpus")
    config = settings_module.load({"DATA_DIR": str(data), "BUILD_DIR": str(folder / "build")}, environ={})
    release = build(config, validate=False).release
    return config, release


@pytest.mark.slow
def test_the_compiled_shapes_find_what_pyshacl_finds_on_a_generated_corpus(corpus_100, monkeypatch):
    """100 generated documents (~60,000 triples), validated as the build's store is."""
    config, release = corpus_100

    def validate(name):
        store = ox.Store()
        store.load(path=str(release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
        return engine.validate_store(store, config, engine=name)

    reference, compiled, reference_report, compiled_report = _both(monkeypatch, validate)
    assert len(reference) > 500
    _compare(reference, compiled)

    def shown(report):
        return sorted((r.key, r.message, r.group, str(r.document), tuple(map(str, r.sources)))
                      for r in report.results)

    assert shown(compiled_report) == shown(reference_report)
