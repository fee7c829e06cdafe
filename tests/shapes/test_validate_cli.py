"""`archivekg validate`: exit codes, report formats, input formats, bad input, inference."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
from click.testing import CliRunner

from archivekg.cli.validate import validate

pytestmark = pytest.mark.slow      # conftest.py: what "slow" means

ROOT = Path(__file__).resolve().parents[2]
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
PREFIXES = """@prefix akg: <https://w3id.org/archivekg/ontology#> .
@prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .
@prefix edtf: <http://id.loc.gov/datatypes/edtf/> .
@prefix ex: <http://example.org/> .
"""
# Conforms, with one warning (the island has no Wikidata id).
CONFORMING = PREFIXES + """
ex:move a akg:Resettlement ; akg:label "Resettlement from Sunido"@en ; akg:executionStatus akg:planned ;
    akg:numberOfFamilies 153 ; akg:numberOfPeople 556 ; akg:movedFrom ex:sunido .
ex:sunido a akg:Island ; akg:name "Sunido"@en .
"""
# Two violations: more families than people; a decree number with Cyrillic letters.
BROKEN = CONFORMING.replace("akg:numberOfPeople 556", "akg:numberOfPeople 100") + """
ex:decree a akg:Decree ; akg:label "Decree"@en ; akg:legalStatus akg:adopted ; akg:decreeNumber "1428-326сс" .
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Runs the command in-process with a build folder of its own; returns the click Result."""
    monkeypatch.setenv("ARCHIVEKG_BUILD_DIR", str(tmp_path / "build"))

    def invoke(*args: str):
        return CliRunner().invoke(validate, list(args), catch_exceptions=False)
    return invoke


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def shapes_of(result) -> list[str]:
    return sorted(r["shape"].rsplit("#", 1)[1] for r in json.loads(result.stdout)["results"])


# ---------------------------------------------------------------------- exit codes
def test_help_documents_the_exit_codes(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "Exit codes:" in result.output
    for line in ("0  the data conforms", "1  the data breaks a rule", "2  the input could not be read"):
        assert line in result.output


def test_conforming_data_exits_0_with_its_warnings(run, tmp_path):
    result = run(str(write(tmp_path, "ok.ttl", CONFORMING)))
    assert result.exit_code == 0, result.output
    assert "0 violation(s), 1 warning(s)" in result.stdout and "PASSED" in result.stdout
    assert "Entity without a Wikidata id" in result.stdout


def test_violations_exit_1(run, tmp_path):
    result = run(str(write(tmp_path, "broken.ttl", BROKEN)), "--format", "json")
    assert result.exit_code == 1
    assert shapes_of(result) == ["DecreeNumberForm", "EntityWikidataId", "FamiliesAtMostPeople"]


def test_unreadable_input_exits_2(run, tmp_path):
    result = run(str(tmp_path / "missing.ttl"))
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'missing.ttl'}: no such file" in result.stderr


# ---------------------------------------------------------------------- report formats
def test_text_report_is_grouped_by_file_and_shape(run, tmp_path):
    path = write(tmp_path, "broken.ttl", BROKEN)
    text = run(str(path)).stdout
    assert f"== {path} (3 result(s))" in text
    assert "  Violation: No more families than people [akgsh:FamiliesAtMostPeople] x1" in text
    assert "<http://example.org/move>  akg:numberOfFamilies  = 153" in text
    assert f"at {path}" in text


def test_turtle_report_is_the_standard_validation_report(run, tmp_path):
    result = run(str(write(tmp_path, "broken.ttl", BROKEN)), "--format", "turtle")
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    report = next(graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(report, SH.result))
    severities = sorted(str(graph.value(r, SH.resultSeverity)).rsplit("#")[1] for r in results)
    assert severities == ["Violation", "Violation", "Warning"]
    for r in results:
        assert graph.value(r, SH.focusNode) is not None and graph.value(r, SH.sourceShape) is not None
        assert graph.value(r, SH.resultMessage) is not None


def test_json_report(run, tmp_path):
    report = json.loads(run(str(write(tmp_path, "broken.ttl", BROKEN)), "--format", "json").stdout)
    assert report["passed"] is False and report["counts"] == {"Violation": 2, "Warning": 1, "Info": 0}
    families = next(r for r in report["results"] if r["shape"].endswith("FamiliesAtMostPeople"))
    assert families["focus"] == {"type": "uri", "value": "http://example.org/move"}
    assert families["path"] == "<https://w3id.org/archivekg/ontology#numberOfFamilies>"
    assert families["value"] == {"type": "literal", "value": "153",
                                 "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert families["sources"] == [{"file": str(tmp_path / "broken.ttl"), "line": None}]


def test_junit_report_reads_back(run, tmp_path):
    result = run(str(write(tmp_path, "broken.ttl", BROKEN)), "--format", "junit")
    suites = ElementTree.fromstring(result.stdout)
    assert suites.tag == "testsuites"
    assert (suites.get("failures"), suites.get("skipped")) == ("2", "1")
    passing_suites = [suite for suite in suites.findall("testsuite") if suite.get("failures") == "0"]
    assert int(suites.get("tests")) == 2 + 1 + len(passing_suites)
    cases = suites.findall("testsuite/testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    assert len(failures) == 2
    assert {case.get("classname") for case in failures} == {
        "archivekg.shapes.akgsh:FamiliesAtMostPeople", "archivekg.shapes.akgsh:DecreeNumberForm"}
    assert sum(1 for case in cases if case.find("skipped") is not None) == 1


def test_junit_has_a_passing_case_for_a_conforming_part(run, tmp_path):
    suites = ElementTree.fromstring(run(str(write(tmp_path, "ok.ttl", CONFORMING)), "--format", "junit").stdout)
    assert suites.get("failures") == "0"
    assert any(case.get("name", "").endswith("conforms to the archivekg shapes")
               for case in suites.iter("testcase"))


def test_output_file(run, tmp_path):
    out = tmp_path / "report.xml"
    result = run(str(write(tmp_path, "broken.ttl", BROKEN)), "--format", "junit", "-o", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    assert f"{out}: 2 violation(s), 1 warning(s)" in result.stderr
    assert ElementTree.parse(out).getroot().tag == "testsuites"


# ---------------------------------------------------------------------- input formats
def test_every_rdf_format_gives_the_same_report(run, tmp_path):
    graph = rdflib.Graph().parse(data=BROKEN, format="turtle")
    files = {"data.ttl": BROKEN, "data.nt": graph.serialize(format="nt", encoding="utf-8").decode("utf-8"),
             "data.jsonld": graph.serialize(format="json-ld"), "data.rdf": graph.serialize(format="xml"),
             "data.nq": graph.serialize(format="nt", encoding="utf-8").decode("utf-8"),
             "data.trig": "@prefix ex: <http://example.org/> .\nex:g {\n" + graph.serialize(format="nt", encoding="utf-8").decode("utf-8") + "}\n"}
    expected = ["DecreeNumberForm", "EntityWikidataId", "FamiliesAtMostPeople"]
    for name, text in files.items():
        result = run(str(write(tmp_path, name, text)), "--format", "json")
        assert result.exit_code == 1, (name, result.output)
        assert shapes_of(result) == expected, name


def test_trig_named_graphs_are_kept(run, tmp_path):
    # The registry graph has no document, so its triples need no factoids; merged into the
    # document's graph they would.  The document graph's own unquoted claim is reported.
    document = (ROOT / "tests/shapes/cases/statement-has-factoid/data.trig").read_text(encoding="utf-8")
    (tmp_path / "text.txt").write_text((ROOT / "tests/shapes/cases/statement-has-factoid/text.txt")
                                       .read_text(encoding="utf-8"), encoding="utf-8")
    result = run(str(write(tmp_path, "doc.trig", document)), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(r["shape"].rsplit("#")[1], r["focus"]["value"]) for r in report["results"]] == [
        ("StatementHasFactoid", "http://example.org/meeting")]
    parts = {part["name"] for part in report["parts"]}
    assert {f"{tmp_path / 'doc.trig'} graph <http://example.org/graph>",
            f"{tmp_path / 'doc.trig'} graph <http://example.org/registry>"} <= parts
    assert report["results"][0]["group"] == "http://example.org/doc"


def test_several_files_at_once(run, tmp_path):
    result = run(str(write(tmp_path, "a.ttl", CONFORMING)), str(write(tmp_path, "b.ttl", BROKEN)), "--format", "json")
    assert result.exit_code == 1
    groups = {r["group"] for r in json.loads(result.stdout)["results"]}
    assert str(tmp_path / "b.ttl") in groups


def test_standard_input_needs_its_format(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVEKG_BUILD_DIR", str(tmp_path / "build"))
    result = CliRunner().invoke(validate, ["-"], input=BROKEN)
    assert result.exit_code == 2 and "--input-format" in result.output
    result = CliRunner().invoke(validate, ["-", "--input-format", "turtle", "--format", "json"], input=BROKEN)
    assert result.exit_code == 1 and len(json.loads(result.stdout)["results"]) == 3


# ---------------------------------------------------------------------- bad input
def test_a_folder_is_not_a_file(run, tmp_path):
    folder = tmp_path / "data.ttl"
    folder.mkdir()
    result = run(str(folder))
    assert result.exit_code == 2 and f"error: {folder}: is a folder, not an RDF file" in result.stderr


def test_a_file_without_read_permission(run, tmp_path):
    path = write(tmp_path, "secret.ttl", CONFORMING)
    path.chmod(0)
    # root reads any file: run the command as 'nobody' (effective uid only, restored after).
    as_root = os.geteuid() == 0
    if as_root:
        os.seteuid(65534)
    try:
        result = run(str(path))
    finally:
        if as_root:
            os.seteuid(0)
    assert result.exit_code == 2 and f"error: {path}: cannot read the file: permission denied" in result.stderr


def test_wrong_extension(run, tmp_path):
    path = write(tmp_path, "data.txt", CONFORMING)
    result = run(str(path))
    assert result.exit_code == 2
    assert f"error: {path}: cannot tell the RDF format from the extension '.txt'" in result.stderr
    assert ".ttl" in result.stderr and "--input-format" in result.stderr
    assert run(str(path), "--input-format", "turtle").exit_code == 0


def test_turtle_syntax_error_names_file_and_line(run, tmp_path):
    path = write(tmp_path, "bad.ttl", PREFIXES + "ex:a akg:label \"fine\"@en .\nex:b akg:label .\n")
    result = run(str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:6: not valid turtle: Parser error")


@pytest.mark.parametrize("name, content, line, fmt", [
    ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                '  <rdf:Description rdf:about="http://example.org/a">\n  </rdf:Descriptio>\n</rdf:RDF>\n', 4, "rdfxml"),
    ("bad.jsonld", '{"@id": "http://example.org/a",\n "http://example.org/p": {"@id": }\n}\n', 2, "jsonld"),
    ("latin1.nt", b'<http://example.org/a> <http://example.org/b> "caf\xe9" .\n', 1, "ntriples"),   # not UTF-8
])
def test_a_syntax_error_names_file_and_line(run, tmp_path, name, content, line, fmt):
    path = write(tmp_path, name, content)
    result = run(str(path))
    assert result.exit_code == 2 and f"error: {path}:{line}: not valid {fmt}" in result.stderr


def test_a_remote_jsonld_context_is_refused(run, tmp_path):
    remote = write(tmp_path, "remote.jsonld", '{"@context": "https://schema.org/", "@id": "http://example.org/a", "name": "x"}')
    result = run(str(remote))
    assert result.exit_code == 2 and "remote @context" in result.stderr


def test_empty_file_and_file_without_triples(run, tmp_path):
    empty = write(tmp_path, "empty.ttl", "")
    result = run(str(empty))
    assert result.exit_code == 2 and f"error: {empty}: the file is empty: there is no RDF to validate" in result.stderr
    prefixes = write(tmp_path, "prefixes.ttl", PREFIXES + "# nothing else\n")
    result = run(str(prefixes))
    assert result.exit_code == 2 and "contains no triples" in result.stderr


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path):
    """Run as a real process: the exit code, the message, and the memory it took."""
    path = tmp_path / "huge.nt"
    line = b'<http://example.org/s> <http://example.org/p> "' + b"x" * 200 + b'" .\n'
    with path.open("wb") as handle:
        for _ in range(100 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    assert path.stat().st_size > 100 * 1024 * 1024
    # The peak resident memory of this process only: VmHWM is per address space, whereas Linux
    # carries getrusage()'s ru_maxrss over exec, so a child forked from a large pytest would
    # report pytest's peak, not its own.
    program = ("import sys\nfrom archivekg.cli.validate import validate\n"
               "try:\n    validate(sys.argv[1:])\nfinally:\n"
               "    peak = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
               "    print('maxrss-kb', peak, file=sys.stderr)\n")
    env = dict(os.environ, ARCHIVEKG_BUILD_DIR=str(tmp_path / "build"))
    done = subprocess.run([sys.executable, "-c", program, str(path)], capture_output=True, text=True,
                          env=env, timeout=300, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert f"error: {path}: the file is 100.0 MB, more than the 64.0 MB that archivekg validate reads" in done.stderr
    assert "--max-size" in done.stderr
    rss_mb = int(done.stderr.split("maxrss-kb")[1].split()[0]) / 1024
    assert rss_mb < 300, f"the refused file still took {rss_mb:.0f} MB"


# ---------------------------------------------------------------------- inference
MOVED_FROM_AN_ISLAND = PREFIXES + """
ex:move a akg:Resettlement ; akg:label "Resettlement"@en ; akg:executionStatus akg:planned ; akg:movedFrom ex:sunido .
ex:sunido a akg:Island ; akg:name "Sunido"@en ; akg:wikidata "Q1001" .
"""
TYPED_WITH_CIDOC_ONLY = PREFIXES + """
ex:move a crm:E9_Move ; akg:movedFrom ex:place ; akg:participant ex:someone ;
    akg:numberOfFamilies 10 ; akg:numberOfPeople 40 .
ex:place a crm:E53_Place .
ex:someone a crm:E21_Person .
"""


def test_without_entailment_an_island_is_not_known_as_a_place(run, tmp_path):
    path = str(write(tmp_path, "island.ttl", MOVED_FROM_AN_ISLAND))
    result = run(path, "--inference", "none", "--format", "json")
    assert result.exit_code == 1 and "MovedFromIsAPlace" in shapes_of(result)
    for inference in ("rdfs", "owlrl"):
        result = run(path, "--inference", inference, "--format", "json")
        assert result.exit_code == 0 and shapes_of(result) == [], inference


def test_data_typed_only_with_cidoc_crm_is_judged_fairly(run, tmp_path):
    path = write(tmp_path, "cidoc.ttl", TYPED_WITH_CIDOC_ONLY)
    for inference in ("rdfs", "owlrl"):
        result = run(str(path), "--inference", inference, "--format", "json")
        assert result.exit_code == 0 and shapes_of(result) == [], (inference, result.stdout)
    # Without entailment not even CIDOC-CRM's own hierarchy applies: E21 Person is not known
    # as an E39 Actor, nor E9 Move as an E5 Event.
    result = run(str(path), "--inference", "none", "--format", "json")
    assert shapes_of(result) == ["ParticipantIsAnAgent", "UsedAsEvent"]
    # ... and the rules about what it uses still apply to it.
    path.write_text(TYPED_WITH_CIDOC_ONLY.replace("akg:numberOfPeople 40", "akg:numberOfPeople 4"), encoding="utf-8")
    result = run(str(path), "--format", "json")
    assert result.exit_code == 1 and shapes_of(result) == ["FamiliesAtMostPeople"]


def test_owlrl_adds_transitivity_to_rdfs(run, tmp_path):
    cycle = PREFIXES + """
ex:a a akg:Island ; akg:name "A"@en ; akg:wikidata "Q1" ; akg:partOfPlace ex:b .
ex:b a akg:District ; akg:name "B"@en ; akg:wikidata "Q2" ; akg:partOfPlace ex:a .
"""
    path = str(write(tmp_path, "cycle.ttl", cycle))
    assert shapes_of(run(path, "--inference", "rdfs", "--format", "json")) == []
    assert shapes_of(run(path, "--inference", "owlrl", "--format", "json")) == ["PlaceNotWithinItself"] * 2


def test_inference_applies_only_to_files(run):
    result = run("--inference", "none")
    assert result.exit_code == 2 and "--inference applies to FILES" in result.output


# ---------------------------------------------------------------------- the built graph and data/
def test_no_files_validates_the_built_graph(built, monkeypatch):
    monkeypatch.setenv("ARCHIVEKG_BUILD_DIR", built["settings"]["BUILD_DIR"])
    result = CliRunner().invoke(validate, ["--format", "json"], catch_exceptions=False)
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["counts"]["Violation"] == 0
    assert report["subject"].startswith("the built graph ")
    assert not any("not at hand" in note for note in report["notes"])   # the texts were read from data/


def test_no_built_graph_exits_2_with_a_hint(run):
    result = run()
    assert result.exit_code == 2
    assert "no built graph" in result.stderr and "archivekg validate --data" in result.stderr


def test_data_is_built_in_memory_without_touching_the_build(run, tmp_path):
    result = run("--data", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["Violation"] == 0
    assert not (tmp_path / "build").exists()
