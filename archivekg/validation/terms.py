"""RDF terms between Oxigraph, rdflib and the reports, and short names for people to read."""

from __future__ import annotations

import logging

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, XSD

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
AKG = rdflib.Namespace("https://w3id.org/archivekg/ontology#")
AKGSH = rdflib.Namespace("https://w3id.org/archivekg/shapes#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
XSD_STRING = str(XSD.string)

PREFIXES = {
    "akg": str(AKG), "akgsh": str(AKGSH), "crm": "http://www.cidoc-crm.org/cidoc-crm/",
    "dcterms": "http://purl.org/dc/terms/", "edtf": "http://id.loc.gov/datatypes/edtf/",
    "oa": str(OA), "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#",
    "rdf": str(RDF), "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "http://schema.org/",
    "sh": str(SH), "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": str(XSD),
}

# rdflib logs a traceback for every ill-typed literal it meets ("abc"^^xsd:integer); the
# shapes report those literals as results, so the log would only repeat them noisily.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


def to_rdflib(term):
    """An Oxigraph term as rdflib's; xsd:string literals become plain literals (rdflib's form)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term of a triple: {term!r}")


def plain(term):
    """The same term with an explicit xsd:string datatype dropped (Oxigraph-backed results keep it)."""
    if isinstance(term, rdflib.Literal) and term.datatype == XSD.string and not term.language:
        return rdflib.Literal(str(term))
    return term


def term_json(term) -> dict | None:
    """A term in the form of SPARQL 1.1 JSON results."""
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, rdflib.BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


class Namer:
    """Short names: a thing of the corpus by its id, a vocabulary term by its prefixed name."""

    def __init__(self, base_iri: str | None = None):
        self.id_base = f"{base_iri}id/" if base_iri else None
        self.prefixes = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    def __call__(self, term) -> str:
        if term is None:
            return ""
        if isinstance(term, rdflib.URIRef):
            text = str(term)
            if self.id_base and text.startswith(self.id_base) and len(text) > len(self.id_base):
                return text[len(self.id_base):]
            for prefix, namespace in self.prefixes:
                local = text[len(namespace):]
                if text.startswith(namespace) and local and all(c.isalnum() or c in "_-." for c in local):
                    return f"{prefix}:{local}"
            return f"<{text}>"
        if isinstance(term, rdflib.BNode):
            return f"_:{term}"
        lexical = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if len(lexical) > 120:
            lexical = lexical[:117] + "..."
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype in (None, XSD.string):
            return f'"{lexical}"'
        if term.datatype in (XSD.integer, XSD.decimal, XSD.boolean) and term.ill_typed is False:
            return lexical
        return f'"{lexical}"^^{self(term.datatype)}'
