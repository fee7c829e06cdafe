"""The result of a validation and its four forms: text for people, the standard SHACL report
graph (Turtle), JSON, and JUnit XML for CI systems.

Severity decides what blocks: a report *passes* when it has no sh:Violation; warnings and
infos are reported and do not block.  The Turtle graph keeps SHACL's own meaning of
sh:conforms (true only when there is no result at all).
"""

from __future__ import annotations

import json
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.etree import ElementTree as ET

import rdflib
from rdflib.namespace import RDF, XSD

from archivekg.errors import ValidationFailed
from archivekg.validation import paths
from archivekg.validation.terms import AKGSH, PREFIXES, SH, Namer, term_json

SEVERITIES = ("Violation", "Warning", "Info")
FORMATS = ("text", "turtle", "json", "junit")
MEDIA_TYPES = {"text": "text/plain", "turtle": "text/turtle", "json": "application/json",
               "junit": "application/xml"}


@dataclass(frozen=True)
class Source:
    """A data file (and line) the offending data came from."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Result:
    severity: str                    # "Violation" | "Warning" | "Info"
    shape: rdflib.term.Node          # sh:sourceShape (an IRI for every archivekg shape)
    shape_name: str
    message: str
    focus: rdflib.term.Node
    path: object                     # see paths.py; None for node-level constraints
    value: rdflib.term.Node | None
    component: rdflib.URIRef         # sh:sourceConstraintComponent
    group: str = ""                  # heading of the report section: a document id, "registries", a file
    document: rdflib.URIRef | None = None
    sources: tuple[Source, ...] = ()
    # Which pass found it (an akgsh scope) and the graph it validated (None: the whole
    # corpus): what a rebuild needs to know which results a change can alter.
    scope: str = ""
    graph: str | None = None

    @property
    def key(self) -> tuple:
        return (str(self.shape), str(self.focus), str(self.path), str(self.value), str(self.component))


@dataclass
class Part:
    """One piece of the data that was validated: a document's graph, the registries, a file."""

    name: str
    triples: int = 0
    seconds: float = 0.0


class Stored(NamedTuple):
    """A result kept for the next rebuild (change.py), pickled once: tens of thousands of
    results pass from build to build, and unpickling their RDF terms would cost seconds.  A
    named tuple: the state with 61,310 of them loads in 0.26-0.41 s, against 0.71 s when
    they were dataclasses (10,000 documents)."""

    scope: str
    graph: str | None
    focus: str                       # the focus node in N3
    severity: str
    blob: bytes                      # the pickled Result

    @classmethod
    def of(cls, result: Result) -> Stored:
        return cls(result.scope, result.graph, result.focus.n3(), result.severity,
                   pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


@dataclass
class Report:
    subject: str                                  # what was validated, in words
    found: list[Result] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    base_iri: str | None = None
    kept: list[Stored] = field(default_factory=list)   # results of an earlier validation
    _unpickled: list[Result] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def results(self) -> list[Result]:
        """Every result: those found now and those kept (unpickled when first asked for)."""
        if self._unpickled is None:
            self._unpickled = [pickle.loads(stored.blob) for stored in self.kept]
        return self.found + self._unpickled

    def stored(self) -> list[Stored]:
        """The results as the next rebuild keeps them (kept ones are not pickled again)."""
        return [Stored.of(result) for result in self.found] + self.kept

    # ------------------------------------------------------------------ verdict
    def count(self, severity: str) -> int:
        return (sum(1 for result in self.found if result.severity == severity)
                + sum(1 for stored in self.kept if stored.severity == severity))

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    @property
    def passed(self) -> bool:
        """No sh:Violation: the data may be published (warnings allowed)."""
        return self.violations == 0

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def raise_for_violations(self) -> None:
        """Raises ValidationFailed (exit 1) with the text report when a sh:Violation exists."""
        if self.passed:
            return
        error = ValidationFailed(self.to_text(limit=20, severities=("Violation",)))
        error.report = self
        raise error

    def sorted_results(self) -> list[Result]:
        order = {severity: rank for rank, severity in enumerate(SEVERITIES)}
        return sorted(self.results, key=lambda r: (r.group, order.get(r.severity, 9), r.shape_name,
                                                   str(r.focus), paths.sparql(r.path), str(r.value)))

    def render(self, fmt: str) -> str:
        return {"text": self.to_text, "turtle": self.to_turtle, "json": self.to_json,
                "junit": self.to_junit}[fmt]()

    # ------------------------------------------------------------------ text
    def to_text(self, limit: int | None = None, severities: tuple[str, ...] = SEVERITIES) -> str:
        """Grouped by document and shape; ``limit`` results per shape (None: all); results of
        other ``severities`` are only counted."""
        name = Namer(self.base_iri)
        lines = [f"archivekg validate: {self.subject}",
                 f"{self.triples:,} triples in {len(self.parts)} part(s), {self.seconds:.1f} s",
                 f"{self.violations} violation(s), {self.warnings} warning(s), "
                 f"{self.count('Info')} info(s): "
                 + ("PASSED (warnings do not block)" if self.passed else "FAILED")]
        lines += [f"note: {note}" for note in self.notes]
        hidden = [severity for severity in SEVERITIES if severity not in severities and self.count(severity)]
        if hidden:
            lines.append(f"(the {' and '.join(s.lower() + 's' for s in hidden)} are not listed here: "
                         "`archivekg validate --data` lists everything)")
        by_group: dict[str, dict[tuple, list[Result]]] = defaultdict(lambda: defaultdict(list))
        for result in self.sorted_results():
            if result.severity not in severities:
                continue
            by_group[result.group][(result.severity, result.shape_name, str(result.shape))].append(result)
        for group, shapes in by_group.items():
            total = sum(len(results) for results in shapes.values())
            lines += ["", f"== {group} ({total} result(s))"]
            for (severity, shape_name, _), results in shapes.items():
                lines.append(f"  {severity}: {shape_name} [{name(results[0].shape)}] x{len(results)}")
                shown = results if limit is None else results[:limit]
                for result in shown:
                    lines += _text_result(result, name)
                if len(shown) < len(results):
                    lines.append(f"    … and {len(results) - len(shown)} more "
                                 "(archivekg validate --format json lists them all)")
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------------ Turtle (SHACL report graph)
    def to_graph(self) -> rdflib.Graph:
        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        report = rdflib.BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, rdflib.Literal(not self.results)))
        for result in self.sorted_results():
            node = rdflib.BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.resultSeverity, SH[result.severity]))
            graph.add((node, SH.focusNode, result.focus))
            if result.path is not None:
                graph.add((node, SH.resultPath, paths.write(graph, result.path)))
            if result.value is not None:
                graph.add((node, SH.value, result.value))
            graph.add((node, SH.sourceShape, result.shape))
            graph.add((node, SH.sourceConstraintComponent, result.component))
            graph.add((node, SH.resultMessage, rdflib.Literal(result.message)))
            if result.document is not None:
                graph.add((node, AKGSH.sourceDocument, result.document))
            for source in result.sources:
                where = rdflib.BNode()
                graph.add((node, AKGSH.source, where))
                graph.add((where, AKGSH.file, rdflib.Literal(source.file)))
                if source.line:
                    graph.add((where, AKGSH.line, rdflib.Literal(source.line, datatype=XSD.integer)))
        return graph

    def to_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict:
        name = Namer(self.base_iri)
        return {
            "subject": self.subject,
            "passed": self.passed,
            "conforms": not self.results,
            "counts": {severity: self.count(severity) for severity in SEVERITIES},
            "triples": self.triples,
            "seconds": round(self.seconds, 3),
            "notes": self.notes,
            "parts": [{"name": p.name, "triples": p.triples, "seconds": round(p.seconds, 3)}
                      for p in self.parts],
            "results": [{
                "group": r.group,
                "severity": r.severity,
                "shape": str(r.shape),
                "shapeName": r.shape_name,
                "message": r.message,
                "focus": term_json(r.focus),
                "focusLabel": name(r.focus),
                "path": paths.sparql(r.path) or None,
                "pathLabel": paths.sparql(r.path, name) or None,
                "value": term_json(r.value),
                "constraint": str(r.component),
                "document": str(r.document) if r.document is not None else None,
                "sources": [{"file": s.file, "line": s.line} for s in r.sources],
            } for r in self.sorted_results()],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"

    # ------------------------------------------------------------------ JUnit XML
    def to_junit(self) -> str:
        """One test suite per validated part, one failing test case per violation, a skipped
        one per warning or info, and a passing case for every part without violations."""
        name = Namer(self.base_iri)
        by_group: dict[str, list[Result]] = defaultdict(list)
        for result in self.sorted_results():
            by_group[result.group].append(result)
        groups = [part.name for part in self.parts]
        groups += [group for group in by_group if group not in groups]
        seconds = {part.name: part.seconds for part in self.parts}
        suites = ET.Element("testsuites", name="archivekg validate", time=f"{self.seconds:.3f}")
        totals = {"tests": 0, "failures": 0, "skipped": 0}
        for group in groups:
            results = by_group.get(group, [])
            suite = ET.SubElement(suites, "testsuite", name=group, time=f"{seconds.get(group, 0):.3f}")
            failures = skipped = 0
            for result in results:
                case = ET.SubElement(suite, "testcase", classname=f"archivekg.shapes.{name(result.shape)}",
                                     name=f"{result.shape_name}: {name(result.focus)}"
                                          + (f" {paths.sparql(result.path, name)}" if result.path else ""))
                detail = "\n".join(_text_result(result, name)).strip()
                if result.severity == "Violation":
                    failures += 1
                    failure = ET.SubElement(case, "failure", type="sh:Violation", message=result.message)
                    failure.text = detail
                else:
                    skipped += 1
                    ET.SubElement(case, "skipped", message=f"{result.severity.lower()}: {result.message}")
                    ET.SubElement(case, "system-out").text = detail
            if not failures:
                ET.SubElement(suite, "testcase", classname="archivekg.shapes",
                              name=f"{group} conforms to the archivekg shapes")
            tests = len(results) + (0 if failures else 1)
            suite.set("tests", str(tests))
            suite.set("failures", str(failures))
            suite.set("errors", "0")
            suite.set("skipped", str(skipped))
            totals["tests"] += tests
            totals["failures"] += failures
            totals["skipped"] += skipped
        for key, value in totals.items():
            suites.set(key, str(value))
        suites.set("errors", "0")
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _text_result(result: Result, name: Namer) -> list[str]:
    where = f"    - {name(result.focus)}"
    if result.path is not None:
        where += f"  {paths.sparql(result.path, name)}"
    if result.value is not None and result.value != result.focus:
        where += f"  = {name(result.value)}"
    lines = [where, f"      {result.message}"]
    if result.sources:
        lines.append("      at " + ", ".join(str(source) for source in result.sources))
    return lines
