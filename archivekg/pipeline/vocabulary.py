"""What a key of the data may be: a term of the JSON-LD context or of the ontology.

The build knows no field of the corpus.  It learns from ``mappings/context.jsonld`` which
keys link to other things (``"@type": "@id"``), which take a concept of the ontology
(``"@type": "@vocab"``) and which are typed literals (EDTF dates, integers), and from the
ontology which terms exist at all.  A key that is neither is a typo, not a new property.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from archivekg.errors import SourceError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"
XSD = "http://www.w3.org/2001/XMLSchema#"

_DECLARATIONS = {OWL + "Class", RDFS + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty",
                 OWL + "AnnotationProperty", "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
                 OWL + "NamedIndividual", OWL + "TransitiveProperty", OWL + "SymmetricProperty",
                 "http://www.w3.org/2004/02/skos/core#Concept"}


_PROPERTIES = {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
               "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property", OWL + "TransitiveProperty",
               OWL + "SymmetricProperty"}


@dataclass(frozen=True)
class Term:
    name: str
    iri: str
    kind: str            # "ref" (links to a thing), "vocab" (an ontology concept), "literal",
                         # "language-map" (texts keyed by their BCP 47 language tag)
    datatype: str | None  # for typed literals


class Vocabulary:
    def __init__(self, context_path: Path, ontology_files: list[Path]):
        self.context_path = context_path
        with context_path.open(encoding="utf-8") as handle:
            self.context_document = json.load(handle)
        context = self.context_document["@context"]
        self.prefixes = {k: v for k, v in context.items()
                         if isinstance(v, str) and not k.startswith("@") and v.endswith(("#", "/"))}
        self.vocab = context["@vocab"]
        self.terms: dict[str, Term] = {}
        for name, definition in context.items():
            if name.startswith("@") or name in self.prefixes:
                continue
            if isinstance(definition, str):
                if definition.startswith("@"):
                    continue  # keyword aliases: id, type
                self.terms[name] = Term(name, self.expand(definition), "literal", None)
                continue
            datatype = definition.get("@type")
            kind = {"@id": "ref", "@vocab": "vocab"}.get(datatype, "literal")
            if definition.get("@container") == "@language":
                kind = "language-map"
            self.terms[name] = Term(name, self.expand(definition.get("@id", name)), kind,
                                    self.expand(datatype) if kind == "literal" and datatype else None)
        self.declared: dict[str, set[str]] = {}
        for path in ontology_files:
            self._read_ontology(path)

    def expand(self, value: str) -> str:
        if ":" in value:
            prefix, _, rest = value.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + rest
            return value
        return self.vocab + value

    def _read_ontology(self, path: Path) -> None:
        try:
            quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            for quad in quads:
                if quad.predicate.value == RDF_TYPE and isinstance(quad.subject, ox.NamedNode) \
                        and quad.object.value in _DECLARATIONS:
                    self.declared.setdefault(quad.subject.value, set()).add(quad.object.value)
        except SyntaxError as exc:
            raise SourceError(f"the ontology does not parse: {exc}", file=str(path)) from exc

    def term(self, key: str) -> Term:
        """The term a data key stands for (context term, or ontology term through @vocab)."""
        if key in self.terms:
            return self.terms[key]
        iri = self.expand(key)
        kinds = self.declared.get(iri, set())
        kind = "ref" if OWL + "ObjectProperty" in kinds else "literal"
        return Term(key, iri, kind, None)

    def is_declared(self, iri: str) -> bool:
        return iri in self.declared

    def is_class(self, iri: str) -> bool:
        return bool(self.declared.get(iri, set()) & {OWL + "Class", RDFS + "Class"})

    def is_property(self, iri: str) -> bool:
        return bool(self.declared.get(iri, set()) & _PROPERTIES)

    def is_object_property(self, iri: str) -> bool:
        return OWL + "ObjectProperty" in self.declared.get(iri, set())
