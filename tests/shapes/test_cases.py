"""Every shape breaks on purpose: one case per shape (and severity), kept as data.

A case is a folder of ``cases/`` in the style of the W3C data-shapes test suite: the data
(``data.ttl`` or ``data.trig``, with any text file it points at) and ``expected.ttl``, a
``sht:Validate`` entry whose ``mf:result`` is the standard SHACL report expected.  The data is
validated as a partner's file would be (``validate_files``, our ontology's entailments first,
``--inference`` from ``akgt:inference`` on the action, default owlrl), and the case passes only
when exactly the expected results are reported: same focus node, path, severity and source
shape (and value, where the expected result gives one).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF

from archivekg import settings as settings_module
from archivekg.validation import paths
from archivekg.validation.engine import validate_files
from archivekg.validation.report import Report
from archivekg.validation.shapes import _CORE_PARAMETERS, load
from archivekg.validation.terms import SH

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parents[2]
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
AKGT = rdflib.Namespace("https://w3id.org/archivekg/tests#")


def _cases() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if (path / "expected.ttl").is_file())


def _read_case(folder: Path):
    graph = rdflib.Graph().parse(folder / "expected.ttl", format="turtle")
    entry = next(graph.subjects(RDF.type, SHT.Validate))
    action = graph.value(entry, MF.action)
    data = Path(str(graph.value(action, SHT.dataGraph)).removeprefix("file://"))
    inference = str(graph.value(action, AKGT.inference) or "owlrl")
    report = graph.value(entry, MF.result)
    expected = set()
    for result in graph.objects(report, SH.result):
        value = graph.value(result, SH.value)
        expected.add((graph.value(result, SH.focusNode),
                      paths.read(graph, graph.value(result, SH.resultPath)),
                      graph.value(result, SH.resultSeverity),
                      graph.value(result, SH.sourceShape),
                      value))
    conforms = graph.value(report, SH.conforms)
    return data, inference, expected, conforms


def _actual(report: Report, expected: set) -> set:
    """The report's results, keyed as the expected ones (value only where they give one)."""
    with_value = {(focus, path, severity, shape) for focus, path, severity, shape, value in expected
                  if value is not None}
    actual = set()
    for r in report.results:
        key = (r.focus, r.path, SH[r.severity], r.shape)
        actual.add(key + ((r.value,) if key in with_value else (None,)))
    return actual


@pytest.fixture(scope="module")
def settings():
    return settings_module.load(environ={})


@pytest.mark.parametrize("folder", _cases(), ids=lambda path: path.name)
def test_case(folder: Path, settings):
    data, inference, expected, conforms = _read_case(folder)
    report = validate_files([data], settings, inference=inference, max_bytes=10 * 1024 * 1024)
    actual = _actual(report, expected)
    assert actual == expected, (
        f"\nmissing: {sorted(map(str, expected - actual))}\nunexpected: {sorted(map(str, actual - expected))}"
        f"\n\n{report.to_text()}")
    assert bool(conforms) == (not report.results)


def test_every_shape_has_a_failing_case():
    """A shape that can report a result is the source shape of an expected result of a case,
    and every severity a shape uses is exercised."""
    library = load(ROOT / "shapes")
    graph = library.graph
    reporting = {shape for shape in library.info
                 if set(graph.predicates(shape, None)) & ((_CORE_PARAMETERS - {SH.property}) | {SH.sparql})
                 and (None, SH.node, shape) not in graph}
    covered = set()
    for folder in _cases():
        covered |= {shape for _, _, _, shape, _ in _read_case(folder)[2]}
    missing = sorted(str(shape).rsplit("#", 1)[-1] for shape in reporting - covered)
    assert not missing, f"shapes without a failing case: {missing}"
