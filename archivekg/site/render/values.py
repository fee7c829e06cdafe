"""RDF terms as pages show them: a text, and a link where following it is safe."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from archivekg.site.render import iris
from archivekg.site.render.labels import Labels

XSD = "http://www.w3.org/2001/XMLSchema#"
EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None
    iri: str | None = None
    note: str | None = None        # datatype or language tag, shown small
    external: bool = False          # a link that leaves this site

    @property
    def is_link(self) -> bool:
        return self.href is not None


def view(term, labels: Labels | None = None, *, predicate: str | None = None) -> Value:
    if isinstance(term, ox.NamedNode):
        if labels is None:
            target = iris.href(term.value)
            return Value(iris.compact(term.value), target, term.value,
                         external=target is not None and not iris.is_ours(term.value))
        link = labels.link(term)
        return Value(link.label, link.href, term.value,
                     external=link.href is not None and not iris.is_ours(term.value))
    if isinstance(term, ox.BlankNode):
        return Value("(unnamed node)")
    if isinstance(term, ox.Literal):
        return literal(term, predicate)
    return Value(str(term))


def literal(term: ox.Literal, predicate: str | None = None) -> Value:
    text, datatype = term.value, term.datatype.value
    if predicate == iris.ONTOLOGY_NS + "wikidata":
        target = iris.wikidata_url(text)
        return Value(text, target, external=target is not None, note="Wikidata")
    url = iris.safe_url(text) if "://" in text[:12] else None
    if url:
        return Value(text, url, external=True)
    if term.language:
        return Value(text, note=term.language)
    if datatype == XSD + "boolean":
        return Value("yes" if text in ("true", "1") else "no")
    if datatype == EDTF:
        return Value(text, note="EDTF")
    if datatype in (XSD + "string", RDF_LANG_STRING):
        return Value(text)
    if datatype.startswith(XSD):
        return Value(text, note=None if datatype[len(XSD):] in ("integer", "decimal", "date") else
                     "xsd:" + datatype[len(XSD):])
    return Value(text, note=iris.compact(datatype))
