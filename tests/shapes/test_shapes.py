"""The shapes themselves: well-formed SHACL, named, explained, scoped, and covering the ontology."""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from archivekg.errors import ConfigError
from archivekg.validation.shapes import SCOPES, load
from archivekg.validation.terms import AKG, AKGSH, SH

ROOT = Path(__file__).resolve().parents[2]
_REFERENCES = (SH.property, SH.node, SH.qualifiedValueShape)


@pytest.fixture(scope="module")
def library():
    return load(ROOT / "shapes")


@pytest.fixture(scope="module")
def ontology():
    graph = rdflib.Graph()
    for path in sorted((ROOT / "ontology").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_the_shapes_are_well_formed_shacl(library):
    """pyshacl checks the shapes graph against the SHACL-SHACL shapes before using it."""
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=library.graph, meta_shacl=True,
                                         advanced=True)
    assert conforms, text


def test_every_shape_is_named_and_explained(library):
    graph = library.graph
    shapes = set()
    for shape_type in (SH.NodeShape, SH.PropertyShape):
        shapes |= set(graph.subjects(RDF.type, shape_type))
    for target in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target):
        shapes |= set(graph.subjects(target, None))
    for reference in _REFERENCES:
        shapes |= set(graph.objects(None, reference))
    problems = []
    for shape in shapes:
        if not isinstance(shape, rdflib.URIRef):
            problems.append(f"a blank-node shape: {graph.value(shape, SH.path) or shape}")
            continue
        for predicate in (SH.name, SH.message, SH.severity):
            if graph.value(shape, predicate) is None:
                problems.append(f"{shape} has no {predicate.n3(graph.namespace_manager)}")
        if graph.value(shape, SH.severity) not in (SH.Violation, SH.Warning, SH.Info, None):
            problems.append(f"{shape}: severity {graph.value(shape, SH.severity)}")
    assert not problems, "\n".join(sorted(problems))


def test_severity_is_used_on_purpose(library):
    severities = {info.severity for info in library.info.values()}
    assert {"Violation", "Warning"} <= severities
    warnings = {str(s).rsplit("#", 1)[-1] for s, info in library.info.items() if info.severity == "Warning"}
    assert {"EntityWikidataId", "PersonKnownPosition"} <= warnings


def test_every_file_declares_its_scope(library):
    for path in library.files:
        graph = rdflib.Graph().parse(path, format="turtle")
        if not any(graph.subjects(RDF.type, SH.NodeShape)) and not any(graph.subjects(RDF.type, SH.PropertyShape)):
            continue
        scopes = set(graph.objects(None, AKGSH.scope))
        assert len(scopes) == 1 and scopes <= set(SCOPES), f"{path.name}: akgsh:scope {scopes}"


def test_every_class_and_property_of_the_ontology_has_a_shape(library, ontology):
    graph = library.graph
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(AKG))}
    properties = {p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
                  for p in ontology.subjects(RDF.type, kind) if str(p).startswith(str(AKG))}
    targeted = set(graph.objects(None, SH.targetClass)) | set(graph.objects(None, SH["class"]))

    def ancestors(cls):
        found, todo = set(), [cls]
        while todo:
            for parent in ontology.objects(todo.pop(), RDFS.subClassOf):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    used = set(graph.objects(None, SH.targetSubjectsOf))
    for _, predicate, obj in graph:
        if predicate in (SH.path, SH.inversePath, RDF.first) and isinstance(obj, rdflib.URIRef):
            used.add(obj)
    for select in graph.objects(None, SH.select):
        used |= {AKG[name] for name in re.findall(r"akg:(\w+)", str(select))}
    missing = sorted(str(c) for c in classes if c not in targeted and not ancestors(c) & targeted)
    missing += sorted(str(p) for p in properties if p not in used)
    assert not missing, f"terms of the ontology without a shape: {missing}"


@pytest.mark.parametrize("shape, scheme", [
    ("ExecutionStatusValue", "ExecutionStatusScheme"), ("LegalStatusValue", "LegalStatusScheme"),
    ("ProvenanceCertainty", "CertaintyScheme"), ("UnitValue", "UnitScheme"), ("UnitOfTheScheme", "UnitScheme"),
])
def test_enumerations_are_the_concepts_of_the_ontology(library, ontology, shape, scheme):
    graph = library.graph
    allowed = set(Collection(graph, graph.value(AKGSH[shape], SH["in"])))
    assert allowed == set(ontology.subjects(SKOS.inScheme, AKG[scheme]))


def test_a_shape_mixing_core_and_sparql_constraints_is_refused(tmp_path):
    (tmp_path / "mixed.ttl").write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
ex:Mixed a sh:NodeShape ; sh:targetClass ex:C ; sh:class ex:D ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
""", encoding="utf-8")
    with pytest.raises(ConfigError, match="split it into two shapes"):
        load(tmp_path)


def test_a_shapes_file_that_does_not_parse_names_its_line(tmp_path):
    (tmp_path / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\nex:A a sh:NodeShape .\n",
                                         encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.ttl:3: the shapes file does not parse"):
        load(tmp_path)
