"""The ontology (ontology/archivekg.ttl) and its imports (ontology/imports/*.ttl).

- they parse, and the ontology's version is the package's;
- under OWL RL (owlrl) they are consistent, alone and with a small sample of data, and the sample
  gets the CIDOC-CRM, schema.org and PROV-O types and properties the alignments promise;
- every akg: term that data/README.md, mappings/context.jsonld and docs/graph-model.md use is
  declared, with an English label, a definition and rdfs:isDefinedBy;
- every alignment that the table of docs/graph-model.md gives holds.

owlrl records an inconsistency in two ways (owlrl/Closure.py, OWLRL.py): a blank node
``a err:ErrorMessage ; err:error "..."`` (err: = http://www.daml.org/2002/03/agents/agent-ont#)
for every violated rule, e.g. cax-dw (disjoint classes) and cls-nothing2; and, for the rules
that derive it, a resource typed owl:Nothing.  ``inconsistencies()`` collects both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import owlrl
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import archivekg

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "archivekg.ttl"
IMPORT_FILES = sorted((ROOT / "ontology" / "imports").glob("*.ttl"))
CONTEXT_FILE = ROOT / "mappings" / "context.jsonld"
README_FILE = ROOT / "data" / "README.md"
GRAPH_MODEL_FILE = ROOT / "docs" / "graph-model.md"

ONTOLOGY_IRI = URIRef("https://w3id.org/archivekg/ontology")
AKG = Namespace("https://w3id.org/archivekg/ontology#")
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
SCHEMA = Namespace("http://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
RICO = Namespace("https://www.ica.org/standards/RiC/ontology#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
EDTF = Namespace("http://id.loc.gov/datatypes/edtf/")
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
ID = Namespace("https://w3id.org/archivekg/id/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

PREFIXES = {"akg": str(AKG), "crm": str(CRM), "schema": str(SCHEMA), "prov": str(PROV),
            "skos": str(SKOS), "rdfs": str(RDFS), "rico": str(RICO), "owl": str(OWL),
            "dcterms": str(DCTERMS)}
DECLARATION_TYPES = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                     OWL.AnnotationProperty, RDF.Property, OWL.NamedIndividual, SKOS.Concept,
                     SKOS.ConceptScheme}


# --------------------------------------------------------------------------------------- helpers
def parse(*paths: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def close(graph: rdflib.Graph) -> rdflib.Graph:
    """The OWL RL closure of a copy of the graph."""
    closed = rdflib.Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    return closed


def inconsistencies(graph: rdflib.Graph) -> list[str]:
    messages = [str(message) for node in graph.subjects(RDF.type, ERR.ErrorMessage)
                for message in graph.objects(node, ERR.error)]
    messages += [f"{node} is an instance of owl:Nothing"
                 for node in graph.subjects(RDF.type, OWL.Nothing)]
    return messages


def curie(term: str) -> URIRef:
    prefix, _, local = term.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def is_declared(graph: rdflib.Graph, term: URIRef) -> bool:
    return any(t in DECLARATION_TYPES for t in graph.objects(term, RDF.type))


def entails_sub(closed: rdflib.Graph, ours: URIRef, theirs: URIRef) -> bool:
    return ((ours, RDFS.subClassOf, theirs) in closed
            or (ours, RDFS.subPropertyOf, theirs) in closed)


# ---------------------------------------------------------------- what the documentation names
def load_context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


CONTEXT = load_context()
CONTEXT_PREFIXES = {k: v for k, v in CONTEXT.items()
                    if isinstance(v, str) and not k.startswith("@") and v.endswith(("#", "/"))}


def expand(value: str) -> URIRef:
    prefix, sep, rest = value.partition(":")
    if sep and prefix in CONTEXT_PREFIXES:
        return URIRef(CONTEXT_PREFIXES[prefix] + rest)
    if sep:
        return URIRef(value)
    return URIRef(CONTEXT["@vocab"] + value)


def resolve(term: str) -> URIRef:
    """The IRI a data key or value stands for, as a JSON-LD processor reads it."""
    definition = CONTEXT.get(term)
    if isinstance(definition, str):
        return expand(definition)
    if isinstance(definition, dict):
        return expand(definition.get("@id", term))
    return expand(term)


def is_vocab_term(term: str) -> bool:
    definition = CONTEXT.get(term)
    return isinstance(definition, dict) and definition.get("@type") == "@vocab"


def context_terms() -> dict[str, URIRef]:
    terms = {}
    for name, definition in CONTEXT.items():
        if name.startswith("@") or name in CONTEXT_PREFIXES:
            continue
        if isinstance(definition, str) and definition.startswith("@"):
            continue  # keyword aliases: id, type
        terms[name] = resolve(name)
    return terms


BACKQUOTED = re.compile(r"`([A-Za-z][A-Za-z0-9-]*)`")


def table_rows(text: str):
    """(header cells, row cells) of every row of every Markdown table in the text."""
    header = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        row = line.strip().strip("|").replace("\\|", "\0")  # an escaped pipe is not a cell border
        cells = [cell.replace("\0", "|").strip() for cell in row.split("|")]
        if all(set(cell) <= set("-: ") for cell in cells):
            continue
        if header is None:
            header = cells
            continue
        yield header, cells


def readme_terms() -> dict[str, URIRef]:
    """Every backquoted name of the vocabulary tables of data/README.md, resolved.

    In the table of literal properties the 'value' column lists values: they are terms only
    for the properties the context types "@vocab" (unit, executionStatus, ...); the others
    (`exactly`, `Q123`) are literals."""
    text = README_FILE.read_text(encoding="utf-8")
    vocabulary = text[text.index("## The vocabulary"):]
    terms = {}
    for header, cells in table_rows(vocabulary):
        for index, cell in enumerate(cells):
            names = BACKQUOTED.findall(cell)
            if header[index] == "value":
                if any(is_vocab_term(n) for n in BACKQUOTED.findall(cells[0])):
                    terms.update({n: resolve(n) for n in names})
                continue
            terms.update({n: resolve(n) for n in names})
    return terms


def graph_model_terms() -> dict[str, URIRef]:
    """Every akg: name in docs/graph-model.md, and the names of the 'ours' column of its table."""
    text = GRAPH_MODEL_FILE.read_text(encoding="utf-8")
    terms = {f"akg:{n}": AKG[n] for n in re.findall(r"\bakg:([A-Za-z][A-Za-z0-9_-]*)", text)}
    for row in alignment_rows():
        terms.update(zip(row["names"], row["ours"], strict=False))
    return terms


EXTERNAL = re.compile(r"\b((?:crm|schema|prov|skos|rico|rdfs):[A-Za-z0-9_-]+)")


def alignment_rows() -> list[dict]:
    """The rows of the alignment table of docs/graph-model.md, read as data.

    A row's 'ours' cell names one or more of our terms ("movedFrom / movedTo", "Meeting,
    Plenum, ..."; "X (and kinds)" also means X's subclasses).  Each other cell gives terms of
    one vocabulary: split by ';', '/' or ',' into as many parts as there are terms of ours,
    part i belongs to term i; otherwise every term of the cell applies to every term of ours
    (when there is one term of ours or one term in the cell) or to at least one of them.  A cell
    that says "NOT" names alignments that must not hold.  Explicit "akg:x ⊑ a, b" hold as written.
    """
    text = GRAPH_MODEL_FILE.read_text(encoding="utf-8")
    table = text[text.index("Alignments"):]
    rows = []
    for header, cells in table_rows(table):
        if header[0] != "ours":
            continue
        first = cells[0]
        explicit = []
        for ours, theirs in re.findall(r"(akg:[A-Za-z]+)\s*⊑\s*([^)]*)", first):
            explicit += [(curie(ours), curie(t.strip())) for t in theirs.split(",") if t.strip()]
        with_kinds = set(re.findall(r"([A-Za-z]+)\s*\(and kinds\)", first))
        bare = re.sub(r"\([^)]*\)", "", first)
        names = [n.strip() for n in re.split(r"[,;/]", bare) if n.strip()]
        ours = [resolve(n) for n in names]
        cells_by_vocabulary = []
        for cell in cells[1:]:
            tokens = EXTERNAL.findall(cell)
            if not tokens:
                continue
            negative = "NOT" in cell
            parts = None
            for separator in (";", "/", ","):
                split = cell.split(separator)
                if len(ours) > 1 and len(split) == len(ours):
                    parts = [[curie(t) for t in EXTERNAL.findall(part)] for part in split]
                    break
            cells_by_vocabulary.append({"tokens": [curie(t) for t in tokens], "parts": parts,
                                        "negative": negative})
        rows.append({"names": names, "ours": ours, "with_kinds": {resolve(n) for n in with_kinds},
                     "explicit": explicit, "cells": cells_by_vocabulary, "source": first})
    return rows


# ------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def imports() -> rdflib.Graph:
    return parse(*IMPORT_FILES)


@pytest.fixture(scope="module")
def tbox(ontology, imports) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in ontology:
        graph.add(triple)
    for triple in imports:
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def closed_tbox(tbox) -> rdflib.Graph:
    return close(tbox)


SAMPLE = """
@prefix akg: <https://w3id.org/archivekg/ontology#> .
@prefix id: <https://w3id.org/archivekg/id/> .
@prefix edtf: <http://id.loc.gov/datatypes/edtf/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# registries
id:kim-il-sung a akg:Person ; akg:name "Kim Il Sung"@en ; akg:nameVariant "Kim Il-sung"@en ;
    akg:wikidata "Q41117" ; akg:memberOf id:kwp .
id:pak-chang-ok a akg:Person ; akg:name "Pak Chang-ok"@en ; akg:associateOf id:pak-yong-bin .
id:pak-yong-bin a akg:Person ; akg:name "Pak Yong-bin"@en .
id:byakov-i a akg:Person ; akg:name "I. Byakov"@en .
id:stalin a akg:Person ; akg:name "Joseph Stalin"@en .
id:kwp a akg:Organization ; akg:name "Korean Workers' Party"@en .
id:kwp-cc a akg:Organization ; akg:name "KWP Central Committee"@en ; akg:subOrganizationOf id:kwp .
id:sovnarkom a akg:Organization ; akg:name "USSR Sovnarkom"@en .
id:soviet-koreans a akg:Group ; akg:name "Soviet Koreans"@en ; skos:note "Koreans from the USSR." .
id:dprk a akg:Country ; akg:name "Democratic People's Republic of Korea"@en .
id:ongjin-district a akg:District ; akg:name "Ongjin District"@en ; akg:partOfPlace id:dprk .
id:sunido a akg:Island ; akg:name "Sunido"@en ; akg:partOfPlace id:ongjin-district .
id:pyongyang a akg:City ; akg:name "Pyongyang"@en ; akg:partOfPlace id:dprk .
id:far-eastern-krai a akg:Region ; akg:name "Far Eastern Krai"@en .
id:kazakh-ssr a akg:Republic ; akg:name "Kazakh SSR"@en .

# a document and its record
id:memo-byakov-1954-12-20 a akg:ArchivalDocument ; akg:title "Memo from I. Byakov"@en ;
    akg:author id:byakov-i ; akg:date "1954-12-20"^^edtf:EDTF ;
    akg:earliestDate "1954-12-20"^^xsd:date ; akg:latestDate "1954-12-20"^^xsd:date ;
    akg:mentions id:kim-il-sung ; akg:citation id:memo-byakov-1954-12-20-citation ;
    akg:copies id:memo-byakov-1954-12-20-copy-1 ; akg:secret true .
id:memo-byakov-1954-12-20-citation akg:fond "0102" ; akg:delo "45" .
id:memo-byakov-1954-12-20-copy-1 akg:copyNumber 1 ; akg:recipient id:kwp-cc .

# a person at a meeting
id:plenum-1955-12 a akg:Plenum ; akg:label "KWP CC plenum of December 1955"@en ;
    akg:participant id:kim-il-sung ; akg:carriedOutBy id:kwp-cc ; akg:tookPlaceAt id:pyongyang ;
    akg:date "1955-12-02/1955-12-03"^^edtf:EDTF ;
    akg:hasTimeSpan <https://w3id.org/archivekg/id/plenum-1955-12/time-span> .
<https://w3id.org/archivekg/id/plenum-1955-12/time-span> a akg:TimeSpan ;
    akg:edtf "1955-12-02/1955-12-03"^^edtf:EDTF ;
    akg:beginOfBegin "1955-12-02"^^xsd:date ; akg:endOfEnd "1955-12-03"^^xsd:date .
id:report-1955-12-07-plenum a akg:Report ; akg:reportedBy id:kim-il-sung ;
    akg:reportedAt id:plenum-1955-12 ; akg:about id:plenum-1955-12 .

# a decree, a deportation and a resettlement
id:decree-1428-326cc a akg:Decree ; akg:decreeNumber "1428-326cc" ;
    akg:issuedBy id:sovnarkom ; akg:signedBy id:stalin ; akg:date "1937-08-21"^^edtf:EDTF ;
    akg:legalStatus akg:adopted .
id:deportation-1937 a akg:Deportation ; akg:legalBasis id:decree-1428-326cc ;
    akg:affectedGroup id:soviet-koreans ; akg:movedFrom id:far-eastern-krai ;
    akg:movedTo id:kazakh-ssr ; akg:executionStatus akg:executed ;
    akg:date "1937-09/1937-10"^^edtf:EDTF .
id:resettlement-1954 a akg:Resettlement ; akg:executionStatus akg:planned .
id:resettlement-1954-sunido a akg:Resettlement ; akg:movedFrom id:sunido ;
    akg:numberOfFamilies 153 ; akg:numberOfPeople 556 ; akg:executionStatus akg:planned ;
    akg:partOfEvent id:resettlement-1954 ;
    akg:hasQuantity <https://w3id.org/archivekg/id/resettlement-1954-sunido/quantity/families> .
<https://w3id.org/archivekg/id/resettlement-1954-sunido/quantity/families> a akg:Quantity ;
    akg:quantityValue 153 ; akg:unit akg:unit-family ; akg:qualifier "exactly" ;
    akg:measures "number of families" .

# party actions and a post
id:expulsion-pak-chang-ok a akg:Expulsion ; akg:expelledPerson id:pak-chang-ok ;
    akg:expelledFrom id:kwp ; akg:decidedBy id:kwp-cc ; akg:executionStatus akg:executed .
id:tenure-pak-chang-ok a akg:Tenure ; akg:holder id:pak-chang-ok ; akg:inOrganization id:kwp-cc ;
    akg:positionTitle "Chairman of the State Planning Commission" ;
    akg:date "1954/1955"^^edtf:EDTF .

# the provenance of a claim
<https://w3id.org/archivekg/id/memo-byakov-1954-12-20/factoid/0123456789abcdef> a akg:Factoid ;
    akg:factSubject id:resettlement-1954-sunido ; akg:factProperty akg:numberOfFamilies ;
    akg:factObject 153 ; akg:quote "153 families, 556 people" ;
    akg:sourceDocument id:memo-byakov-1954-12-20 ; akg:certainty akg:certain ;
    akg:evidence <https://w3id.org/archivekg/id/memo-byakov-1954-12-20/statement/1/evidence> ;
    akg:sourceFile "data/annotations/memo-byakov-1954-12-20.yaml" ; akg:sourceLine 12 .
<https://w3id.org/archivekg/id/memo-byakov-1954-12-20/statement/1/evidence> a oa:SpecificResource ;
    oa:hasSource <https://w3id.org/archivekg/id/memo-byakov-1954-12-20/text> .
<https://w3id.org/archivekg/id/memo-byakov-1954-12-20/mention/1> a akg:Mention ;
    akg:refersTo id:kim-il-sung ; akg:nameAsWritten "Kim" ; akg:certainty akg:probable ;
    akg:sourceDocument id:memo-byakov-1954-12-20 ; akg:quote "Kim reported" .
id:memo-byakov-1954-12-20 akg:hasText <https://w3id.org/archivekg/id/memo-byakov-1954-12-20/text> .
<https://w3id.org/archivekg/id/memo-byakov-1954-12-20/text> akg:characterCount 3893 ;
    akg:hasSegment <https://w3id.org/archivekg/id/memo-byakov-1954-12-20/text/segment/1> .
<https://w3id.org/archivekg/id/memo-byakov-1954-12-20/text/segment/1> akg:segmentKind "body" .
"""


@pytest.fixture(scope="module")
def sample(tbox) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in tbox:
        graph.add(triple)
    graph.parse(data=SAMPLE, format="turtle")
    return close(graph)


# ------------------------------------------------------------------------- parsing and version
def test_ontology_and_imports_parse():
    assert IMPORT_FILES, "ontology/imports/ holds no Turtle file"
    names = {path.name for path in IMPORT_FILES}
    assert {"crm-subset.ttl", "schema-subset.ttl", "prov-subset.ttl", "skos-subset.ttl"} <= names
    for path in [ONTOLOGY_FILE, *IMPORT_FILES]:
        graph = parse(path)
        assert len(graph) > 20, f"{path.name} is (nearly) empty"
        assert any(graph.subjects(RDF.type, OWL.Ontology)), f"{path.name} has no owl:Ontology"


def test_ontology_header_and_version(ontology):
    version = archivekg.__version__
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert list(ontology.objects(ONTOLOGY_IRI, OWL.versionInfo)) == [Literal(version)]
    assert list(ontology.objects(ONTOLOGY_IRI, OWL.versionIRI)) == [
        URIRef(f"{ONTOLOGY_IRI}/{version}")]
    assert (ONTOLOGY_IRI, DCTERMS.license,
            URIRef("https://creativecommons.org/licenses/by/4.0/")) in ontology
    assert (ONTOLOGY_IRI, DCTERMS.creator, Literal("archivekg")) in ontology
    assert any(ontology.objects(ONTOLOGY_IRI, DCTERMS.title))
    assert any(ontology.objects(ONTOLOGY_IRI, DCTERMS.description))


# ---------------------------------------------------------------------------- OWL RL consistency
def test_ontology_and_imports_are_consistent(closed_tbox):
    assert inconsistencies(closed_tbox) == []
    # the closure did run: a subclass link two steps away was derived
    assert (AKG.Deportation, RDFS.subClassOf, CRM.E7_Activity) in closed_tbox


def test_the_consistency_check_can_fail(tbox):
    """Things that must not be: a decree that is a meeting (prov:Entity and prov:Activity), a
    resettlement that is a person (CRM: temporal entities are not persistent items)."""
    for bad in ("<urn:x:a> a akg:Decree , akg:Meeting .",
                "<urn:x:b> a akg:Resettlement , akg:Person ."):
        graph = rdflib.Graph()
        for triple in tbox:
            graph.add(triple)
        graph.parse(data="@prefix akg: <https://w3id.org/archivekg/ontology#> .\n" + bad,
                    format="turtle")
        assert inconsistencies(close(graph)), f"owlrl accepted: {bad}"


def test_sample_data_is_consistent(sample):
    assert inconsistencies(sample) == []
    both = set(sample.subjects(RDF.type, PROV.Activity)) & set(sample.subjects(RDF.type, PROV.Entity))
    assert both == set(), f"both prov:Activity and prov:Entity: {both}"


@pytest.mark.parametrize("node, types", [
    ("resettlement-1954-sunido", [CRM.E9_Move, CRM.E7_Activity, CRM.E5_Event, SCHEMA.Event,
                                  SCHEMA.Action, PROV.Activity, AKG.PopulationMovement, AKG.Event]),
    ("deportation-1937", [CRM.E9_Move, SCHEMA.Event, PROV.Activity]),
    ("decree-1428-326cc", [CRM.E31_Document, CRM.E73_Information_Object, SCHEMA.Legislation,
                           SCHEMA.CreativeWork, PROV.Plan, PROV.Entity]),
    ("memo-byakov-1954-12-20", [CRM.E31_Document, SCHEMA.ArchiveComponent, SCHEMA.CreativeWork,
                                PROV.Entity, RICO.Record]),
    ("plenum-1955-12", [AKG.Meeting, CRM.E7_Activity, SCHEMA.Event, PROV.Activity]),
    ("expulsion-pak-chang-ok", [CRM.E86_Leaving, CRM.E7_Activity, PROV.Activity]),
    ("tenure-pak-chang-ok", [CRM.E7_Activity, SCHEMA.Event, PROV.Activity, SCHEMA.OrganizationRole,
                             SCHEMA.Role]),
    ("memo-byakov-1954-12-20/mention/1", [CRM.E33_Linguistic_Object, CRM.E73_Information_Object]),
    ("kim-il-sung", [CRM.E21_Person, CRM.E39_Actor, SCHEMA.Person, PROV.Person, PROV.Agent]),
    ("kwp", [CRM.E74_Group, SCHEMA.Organization, PROV.Organization, RICO.CorporateBody]),
    ("soviet-koreans", [CRM.E74_Group]),
    ("sunido", [AKG.Place, CRM.E53_Place, SCHEMA.Place, PROV.Location]),
    ("pyongyang", [AKG.Place, CRM.E53_Place, SCHEMA.City, SCHEMA.AdministrativeArea]),
    ("ongjin-district", [AKG.Place, CRM.E53_Place, SCHEMA.AdministrativeArea]),
    ("resettlement-1954-sunido/quantity/families", [CRM.E54_Dimension, SCHEMA.QuantitativeValue,
                                                     SCHEMA.StructuredValue, SCHEMA.Observation]),
    ("plenum-1955-12/time-span", [CRM["E52_Time-Span"]]),
    ("memo-byakov-1954-12-20/factoid/0123456789abcdef", [CRM.E13_Attribute_Assignment,
                                                          CRM.E7_Activity, PROV.Activity]),
])
def test_sample_gets_standard_types(sample, node, types):
    missing = [t for t in types if (ID[node], RDF.type, t) not in sample]
    assert missing == [], f"{node} is not typed {missing}"


@pytest.mark.parametrize("node, not_types", [
    ("decree-1428-326cc", [PROV.Activity, CRM.E7_Activity, CRM.E5_Event, SCHEMA.Event]),
    ("memo-byakov-1954-12-20", [PROV.Activity, CRM.E5_Event]),
    ("resettlement-1954-sunido", [PROV.Entity, CRM.E77_Persistent_Item]),
    ("memo-byakov-1954-12-20/factoid/0123456789abcdef", [PROV.Entity]),
])
def test_sample_does_not_get_wrong_types(sample, node, not_types):
    wrong = [t for t in not_types if (ID[node], RDF.type, t) in sample]
    assert wrong == [], f"{node} is typed {wrong}"


@pytest.mark.parametrize("subject, properties, obj", [
    ("expulsion-pak-chang-ok", [CRM.P145_separated, CRM.P11_had_participant, AKG.affectedPerson],
     ID["pak-chang-ok"]),
    ("expulsion-pak-chang-ok", [CRM.P146_separated_from], ID["kwp"]),
    ("expulsion-pak-chang-ok", [CRM.P14_carried_out_by, SCHEMA.organizer], ID["kwp-cc"]),
    ("kim-il-sung", [SKOS.prefLabel, RDFS.label, SCHEMA.name], Literal("Kim Il Sung", lang="en")),
    ("kim-il-sung", [SKOS.altLabel, SCHEMA.alternateName, RDFS.label],
     Literal("Kim Il-sung", lang="en")),
    ("kim-il-sung", [CRM.P107i_is_current_or_former_member_of, SCHEMA.memberOf], ID["kwp"]),
    ("plenum-1955-12", [CRM.P11_had_participant, SCHEMA.attendee, PROV.wasAssociatedWith],
     ID["kim-il-sung"]),
    ("plenum-1955-12", [CRM.P14_carried_out_by, CRM.P11_had_participant, SCHEMA.organizer,
                        PROV.wasAssociatedWith], ID["kwp-cc"]),
    ("plenum-1955-12", [CRM.P7_took_place_at, SCHEMA.location, PROV.atLocation], ID["pyongyang"]),
    ("plenum-1955-12", [CRM["P4_has_time-span"]], ID["plenum-1955-12/time-span"]),
    ("plenum-1955-12/time-span", [CRM.P82a_begin_of_the_begin, CRM.P82_at_some_time_within],
     Literal("1955-12-02", datatype=XSD.date)),
    ("plenum-1955-12/time-span", [CRM.P82b_end_of_the_end], Literal("1955-12-03", datatype=XSD.date)),
    ("report-1955-12-07-plenum", [AKG.carriedOutBy, CRM.P14_carried_out_by], ID["kim-il-sung"]),
    ("deportation-1937", [CRM.P17_was_motivated_by, CRM.P15_was_influenced_by,
                          PROV.wasInfluencedBy], ID["decree-1428-326cc"]),
    ("deportation-1937", [CRM.P27_moved_from], ID["far-eastern-krai"]),
    ("deportation-1937", [CRM.P26_moved_to], ID["kazakh-ssr"]),
    ("deportation-1937", [CRM.P11_had_participant], ID["soviet-koreans"]),
    ("decree-1428-326cc", [SCHEMA.legislationPassedBy, PROV.wasAttributedTo], ID["sovnarkom"]),
    ("decree-1428-326cc", [PROV.wasAttributedTo], ID["stalin"]),
    ("decree-1428-326cc", [SCHEMA.legislationIdentifier], Literal("1428-326cc")),
    ("resettlement-1954-sunido", [CRM.P9i_forms_part_of, CRM.P10_falls_within, SCHEMA.superEvent],
     ID["resettlement-1954"]),
    ("resettlement-1954-sunido/quantity/families", [CRM.P90_has_value, SCHEMA.value],
     Literal(153)),
    ("resettlement-1954-sunido/quantity/families", [CRM.P91_has_unit, SCHEMA.unitCode],
     AKG["unit-family"]),
    ("sunido", [CRM.P89_falls_within, SCHEMA.containedInPlace, AKG.partOfPlace], ID["dprk"]),
    ("memo-byakov-1954-12-20", [SCHEMA.author, PROV.wasAttributedTo], ID["byakov-i"]),
    ("memo-byakov-1954-12-20", [CRM.P67_refers_to, SCHEMA.mentions], ID["kim-il-sung"]),
    ("memo-byakov-1954-12-20", [SCHEMA.startDate], Literal("1954-12-20", datatype=XSD.date)),
    ("memo-byakov-1954-12-20", [SCHEMA.name, RDFS.label, DCTERMS.title],
     Literal("Memo from I. Byakov", lang="en")),
    ("memo-byakov-1954-12-20/factoid/0123456789abcdef", [CRM.P140_assigned_attribute_to],
     ID["resettlement-1954-sunido"]),
    ("memo-byakov-1954-12-20/mention/1", [CRM.P190_has_symbolic_content], Literal("Kim")),
    ("memo-byakov-1954-12-20/mention/1", [CRM.P67_refers_to], ID["kim-il-sung"]),
    ("memo-byakov-1954-12-20/mention/1", [CRM.P2_has_type], AKG.probable),
    ("memo-byakov-1954-12-20/factoid/0123456789abcdef", [CRM.P2_has_type], AKG.certain),
    ("memo-byakov-1954-12-20/factoid/0123456789abcdef",
     [CRM.P177_assigned_property_of_type, CRM.P2_has_type], AKG.numberOfFamilies),
    ("memo-byakov-1954-12-20/factoid/0123456789abcdef",
     [CRM.P70i_is_documented_in, CRM.P67i_is_referred_to_by], ID["memo-byakov-1954-12-20"]),
    ("memo-byakov-1954-12-20/factoid/0123456789abcdef", [CRM.P3_has_note],
     Literal("153 families, 556 people")),
    ("resettlement-1954-sunido", [CRM.P2_has_type], AKG.planned),
    ("decree-1428-326cc", [CRM.P2_has_type, SCHEMA.creativeWorkStatus], AKG.adopted),
    ("resettlement-1954-sunido/quantity/families", [SCHEMA.observationAbout],
     ID["resettlement-1954-sunido"]),
    ("resettlement-1954-sunido/quantity/families", [SCHEMA.variableMeasured],
     Literal("number of families")),
    ("pak-chang-ok", [SCHEMA.memberOf], ID["tenure-pak-chang-ok"]),
    ("tenure-pak-chang-ok", [SCHEMA.memberOf, CRM.P11_had_participant], ID["kwp-cc"]),
    ("tenure-pak-chang-ok", [SCHEMA.roleName],
     Literal("Chairman of the State Planning Commission")),
    ("pak-chang-ok", [AKG.heldPosition], ID["tenure-pak-chang-ok"]),
    ("pak-yong-bin", [AKG.associateOf, SCHEMA.knows], ID["pak-chang-ok"]),
    ("kwp-cc", [SCHEMA.parentOrganization], ID["kwp"]),
])
def test_sample_gets_standard_properties(sample, subject, properties, obj):
    missing = [p for p in properties if (ID[subject], p, obj) not in sample]
    assert missing == [], f"{subject} {missing} {obj} is not entailed"


def test_units_and_status_values_are_concepts(sample):
    assert (AKG["unit-family"], RDF.type, CRM.E58_Measurement_Unit) in sample
    assert (AKG["unit-family"], SKOS.inScheme, AKG.UnitScheme) in sample
    assert (AKG.planned, SKOS.inScheme, AKG.ExecutionStatusScheme) in sample
    assert (AKG.adopted, SKOS.inScheme, AKG.LegalStatusScheme) in sample
    assert (AKG.probable, SKOS.inScheme, AKG.CertaintyScheme) in sample


# --------------------------------------------------------- pitfalls named in DESIGN.md / graph-model
def test_no_domain_where_a_property_serves_events_and_documents(ontology):
    for prop in (AKG.date, AKG.hasTimeSpan, AKG.mentions, AKG.quote, AKG.sourceDocument,
                 AKG.certainty, AKG.hasQuantity, AKG.partOfEvent):
        assert list(ontology.objects(prop, RDFS.domain)) == [], f"{prop} has a domain"


def test_no_dimension_on_activities_and_no_creation_event(closed_tbox):
    assert not entails_sub(closed_tbox, AKG.hasQuantity, CRM.P43_has_dimension)
    assert not entails_sub(closed_tbox, AKG.author, CRM.P94i_was_created_by)
    assert not entails_sub(closed_tbox, AKG.Decree, PROV.Activity)


def test_alignments_are_subclass_not_equivalence(tbox):
    ours = [s for s in tbox.subjects() if isinstance(s, URIRef) and s.startswith(str(AKG))]
    for predicate in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs):
        used = [(s, o) for s in ours for o in tbox.objects(s, predicate)]
        assert used == [], f"{predicate} used: {used}"


def test_imports_carry_no_domains_or_ranges(imports):
    for predicate in (RDFS.domain, RDFS.range, SCHEMA.domainIncludes, SCHEMA.rangeIncludes):
        found = list(imports.subject_objects(predicate))
        assert found == [], f"ontology/imports/ declares {predicate}: {found[:5]}"


def test_each_import_declares_only_its_own_vocabulary():
    namespaces = {"crm-subset.ttl": CRM, "schema-subset.ttl": SCHEMA, "prov-subset.ttl": PROV,
                  "skos-subset.ttl": SKOS, "geosparql-subset.ttl": "http://www.opengis.net/ont/geosparql#"}
    for path in IMPORT_FILES:
        namespace = str(namespaces[path.name])
        graph = parse(path)
        declared = {s for s, _, t in graph.triples((None, RDF.type, None))
                    if t in DECLARATION_TYPES and isinstance(s, URIRef)}
        foreign = sorted(s for s in declared if not s.startswith(namespace))
        assert foreign == [], f"{path.name} declares terms of other vocabularies: {foreign}"
        assert len(declared) >= 5, f"{path.name} declares almost nothing"


def test_imports_cover_every_external_term_the_ontology_reaches(ontology, imports):
    """Every external superclass or superproperty of ours, and of theirs, is declared and labelled."""
    everything = rdflib.Graph()
    for triple in ontology:
        everything.add(triple)
    for triple in imports:
        everything.add(triple)
    external = set()
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.disjointWith, OWL.inverseOf):
        for obj in everything.objects(None, predicate):
            if isinstance(obj, URIRef) and not obj.startswith(str(AKG)) and obj != RDFS.label:
                external.add(obj)
    undeclared = sorted(t for t in external if not is_declared(everything, t))
    unlabelled = sorted(t for t in external if not any(everything.objects(t, RDFS.label)))
    assert undeclared == [] and unlabelled == [], (undeclared, unlabelled)


# ------------------------------------------------------------------- every term is declared
def assert_documented(ontology: rdflib.Graph, terms: dict[str, URIRef], where: str):
    problems = []
    for name, iri in sorted(terms.items()):
        if not iri.startswith(str(AKG)):
            continue
        missing = []
        if not is_declared(ontology, iri):
            missing.append("declaration")
        labels = list(ontology.objects(iri, RDFS.label))
        if not any(isinstance(label, Literal) and label.language == "en" and str(label).strip() for label in labels):
            missing.append("English rdfs:label")
        if not any(str(d).strip() for d in [*ontology.objects(iri, SKOS.definition),
                                             *ontology.objects(iri, RDFS.comment)]):
            missing.append("definition")
        if (iri, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology:
            missing.append("rdfs:isDefinedBy")
        if missing:
            problems.append(f"{name} ({iri}): no {', '.join(missing)}")
    assert problems == [], f"terms of {where} not documented in the ontology:\n" + "\n".join(problems)


def test_readme_vocabulary_is_declared(ontology):
    terms = readme_terms()
    # the parser does read the tables: a class, a link, a literal and a @vocab value
    for name in ("Resettlement", "expelledPerson", "numberOfFamilies", "family", "planned",
                 "recipient"):
        assert name in terms, f"{name} not found in the vocabulary tables of data/README.md"
    assert "exactly" not in terms and "Q123" not in terms  # literal values, not terms
    assert_documented(ontology, terms, "data/README.md")


def test_context_terms_are_declared(ontology, tbox):
    terms = context_terms()
    assert terms["variants"] == AKG.nameVariant and terms["family"] == AKG["unit-family"]
    assert_documented(ontology, terms, "mappings/context.jsonld")
    # the build rejects a data key whose term the ontology (with its imports) does not declare
    others = sorted(f"{n} -> {i}" for n, i in terms.items() if not is_declared(tbox, i))
    assert others == [], f"context terms declared nowhere in ontology/: {others}"


def test_graph_model_terms_are_declared(ontology):
    terms = graph_model_terms()
    for name in ("akg:Factoid", "akg:beginOfBegin", "akg:unit-person", "akg:uncertain"):
        assert name in terms, f"{name} not found in docs/graph-model.md"
    assert_documented(ontology, terms, "docs/graph-model.md")


def test_every_akg_term_of_the_ontology_is_documented(ontology):
    used = {str(t): t for triple in ontology for t in triple
            if isinstance(t, URIRef) and t.startswith(str(AKG))}
    assert len(used) > 150
    assert_documented(ontology, used, "ontology/archivekg.ttl itself")


def test_class_hierarchy_of_the_readme(closed_tbox):
    """data/README.md: "`Place`, and its kinds `Country`, ...", "(kinds of `PopulationMovement`)",
    "(kinds of `PartyAction`)"; and every activity of the vocabulary is an akg:Activity and an
    akg:Event (so that the build gives it a time-span)."""
    text = README_FILE.read_text(encoding="utf-8")
    vocabulary = text[text.index("## The vocabulary"):]
    pairs = []
    for _, cells in table_rows(vocabulary):
        cell = cells[0]
        names = BACKQUOTED.findall(cell)
        if "and its kinds" in cell:
            pairs += [(kind, names[0]) for kind in names[1:]]
        match = re.search(r"kinds of `([A-Za-z]+)`", cell)
        if match:
            pairs += [(kind, match.group(1)) for kind in names if kind != match.group(1)]
        if len(cells) > 1 and cells[1].startswith("activities"):
            pairs += [(name, "Activity") for name in names]
    assert len(pairs) >= 20, pairs
    for name in ("Meeting", "PopulationMovement", "PartyAction", "Tenure"):
        pairs.append((name, "Activity"))
    pairs.append(("Activity", "Event"))
    missing = [f"{kind} ⊑ {parent}" for kind, parent in pairs
               if (AKG[kind], RDFS.subClassOf, AKG[parent]) not in closed_tbox]
    assert missing == [], missing


def test_controlled_values(ontology):
    schemes = {
        AKG.UnitScheme: ["unit-family", "unit-person", "unit-tonne", "unit-won", "unit-percent",
                         "unit-soldier", "unit-woman", "unit-farm", "unit-cooperative",
                         "unit-year", "unit-writer", "unit-official"],
        AKG.ExecutionStatusScheme: ["planned", "executed", "cancelled"],
        AKG.LegalStatusScheme: ["draft", "adopted"],
        AKG.CertaintyScheme: ["certain", "probable", "uncertain"],
    }
    for scheme, names in schemes.items():
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
        members = set(ontology.subjects(SKOS.inScheme, scheme))
        assert members == {AKG[n] for n in names}, scheme
        for member in members:
            assert (member, RDF.type, SKOS.Concept) in ontology
            assert (member, SKOS.topConceptOf, scheme) in ontology
    for name in schemes[AKG.UnitScheme]:
        assert (AKG[name], RDF.type, AKG.Unit) in ontology


def test_property_characteristics(ontology):
    assert (AKG.partOfPlace, RDF.type, OWL.TransitiveProperty) in ontology
    assert (AKG.partOfEvent, RDF.type, OWL.TransitiveProperty) in ontology
    assert (AKG.possiblySameAs, RDF.type, OWL.SymmetricProperty) in ontology
    assert (AKG.associateOf, RDF.type, OWL.SymmetricProperty) in ontology
    assert (AKG.opposed, RDF.type, OWL.SymmetricProperty) not in ontology
    assert ((AKG.heldPosition, OWL.inverseOf, AKG.holder) in ontology
            or (AKG.holder, OWL.inverseOf, AKG.heldPosition) in ontology)


# ------------------------------------------------------------------- the alignment table holds
def test_alignment_table_is_read():
    rows = alignment_rows()
    names = {n for row in rows for n in row["names"]}
    assert {"Person", "Decree", "participant", "expelledPerson", "hasTimeSpan"} <= names
    assert sum(len(row["cells"]) for row in rows) > 30


@pytest.mark.parametrize("row", alignment_rows(), ids=lambda row: row["source"][:40])
def test_alignment_table_row_holds(ontology, closed_tbox, row):
    ours = list(row["ours"])
    for parent in row["with_kinds"]:
        ours += [s for s in ontology.subjects(RDFS.subClassOf, parent) if s.startswith(str(AKG))]
    failures = []
    for term, theirs in row["explicit"]:
        if not entails_sub(closed_tbox, term, theirs):
            failures.append(f"{term} ⊑ {theirs}")
    for cell in row["cells"]:
        if cell["negative"]:
            failures += [f"{t} must NOT be ⊑ {x}" for t in ours for x in cell["tokens"]
                         if entails_sub(closed_tbox, t, x)]
        elif cell["parts"] is not None:
            for term, part in zip(row["ours"], cell["parts"], strict=False):
                failures += [f"{term} ⊑ {x}" for x in part if not entails_sub(closed_tbox, term, x)]
        elif len(row["ours"]) == 1 or len(cell["tokens"]) == 1:
            failures += [f"{t} ⊑ {x}" for t in ours for x in cell["tokens"]
                         if not entails_sub(closed_tbox, t, x)]
        else:
            failures += [f"one of {row['names']} ⊑ {x}" for x in cell["tokens"]
                         if not any(entails_sub(closed_tbox, t, x) for t in ours)]
    assert failures == [], "alignments of docs/graph-model.md that do not hold:\n" + "\n".join(failures)


def test_rico_alignments_of_design(closed_tbox):
    """DESIGN.md: organizations are rico:CorporateBody, archival records rico:Record."""
    assert entails_sub(closed_tbox, AKG.Organization, RICO.CorporateBody)
    assert entails_sub(closed_tbox, AKG.ArchivalDocument, RICO.Record)
