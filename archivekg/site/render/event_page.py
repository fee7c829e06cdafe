"""The page of an event or a decree: what, when, where, who, figures, legal basis,
planned or executed, and the documents that say so."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from archivekg.site.render import facts, iris, maps, sparql
from archivekg.site.render.describe import Description
from archivekg.site.render.labels import Labels, Link
from archivekg.site.render.values import view

AKG = iris.ONTOLOGY_NS


def _terms(*names: str) -> tuple[str, ...]:
    return tuple(AKG + name for name in names)


# The questions a reader asks of an event, and the properties of the data model that
# answer each.  Anything else the graph says is listed under "Other statements".
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("what", "What", _terms("label", "description", "summary", "decreeTitle", "decreeNumber",
                            "positionTitle", "topic", "about", "aim", "provision", "reason",
                            "outcome", "affectedGroup")),
    ("when", "When", _terms("date")),
    ("where", "Where", _terms("tookPlaceAt", "movedFrom", "movedTo")),
    ("who", "Who", _terms("participant", "carriedOutBy", "hostedBy", "reportedBy", "affectedPerson",
                          "expelledPerson", "expelledFrom", "removedFrom", "appointedTo", "decidedBy",
                          "criticisedBy", "issuedBy", "signedBy", "holder", "inOrganization")),
    ("figures", "Figures", _terms("numberOfFamilies", "numberOfPeople", "hasQuantity")),
    ("basis", "Legal basis", _terms("legalBasis", "supplements")),
    ("status", "Planned or executed", _terms("executionStatus", "legalStatus", "retroactive", "secret")),
    ("context", "Context", _terms("partOfEvent", "precededBy", "reportedAt")),
)
STATUS = _terms("executionStatus", "legalStatus")
QUANTITY_FIELDS = _terms("quantityValue", "minValue", "maxValue", "unit", "qualifier", "measures", "label")


@dataclass
class Section:
    key: str
    title: str
    rows: list[facts.PropertyRow]


@dataclass
class Quantity:
    link: Link
    text: str
    measures: str | None


@dataclass
class SourceDocument:
    document: Link
    passages: list[tuple[str, str | None]]    # (quote, link to the passage)


def quantities(iris_: list[str]) -> dict[str, dict[str, list]]:
    if not iris_:
        return {}
    rows = sparql.select(f"SELECT ?q ?p ?o WHERE {{ {sparql.values('q', iris_)} "
                         f"{sparql.values('p', QUANTITY_FIELDS)} ?q ?p ?o }}")
    out: dict[str, dict[str, list]] = {}
    for row in rows:
        out.setdefault(sparql.bound(row, "q"), {}).setdefault(sparql.bound(row, "p"), []).append(row["o"])
    return out


def describe_quantity(fields: dict[str, list], labels: Labels) -> tuple[str, str | None]:
    def first(name):
        found = fields.get(AKG + name)
        return found[0] if found else None
    value, low, high = first("quantityValue"), first("minValue"), first("maxValue")
    number = value.value if value is not None else "–".join(x.value for x in (low, high) if x is not None)
    unit = first("unit")
    qualifier = first("qualifier")
    words = [qualifier.value if qualifier is not None and qualifier.value != "exactly" else "",
             number, labels.label(unit.value) if isinstance(unit, ox.NamedNode) else (unit.value if unit else "")]
    text = " ".join(w for w in words if w) or (first("label").value if first("label") else "")
    measures = first("measures")
    return text, measures.value if measures is not None else None


def context(d: Description) -> dict:
    quantity_iris = [v.value for v in d.values(AKG + "hasQuantity", asserted=True)
                     if isinstance(v, ox.NamedNode)]
    quantity_fields = quantities(quantity_iris)
    incoming = facts.incoming(d.iri)

    labels = Labels()
    facts.want_description(labels, d)
    for fields in quantity_fields.values():
        for unit in fields.get(AKG + "unit", []):
            labels.want(unit)
    for subject, predicate in incoming:
        labels.want(subject, predicate)
    labels.want(d.iri)
    labels.resolve()

    placed: set[str] = set()
    sections = []
    for key, title, properties in SECTIONS:
        rows = facts.property_rows(d, labels, only=properties)
        placed.update(properties)
        if rows:
            sections.append(Section(key, title, rows))
    other = facts.property_rows(d, labels, skip=placed | {facts.RDF_TYPE})

    figures = [Quantity(labels.link(q), *describe_quantity(quantity_fields.get(q, {}), labels))
               for q in quantity_iris]

    status = [view(v, labels) for p in STATUS for v in d.values(p, asserted=True)]
    documents: dict[str, SourceDocument] = {}
    for fact in d.facts:
        for source in fact.sources:
            if not source.document:
                continue
            item = documents.setdefault(source.document, SourceDocument(labels.link(source.document), []))
            view_ = facts.source_view(source, labels)
            entry = (source.quote or "", view_.passage_href)
            if source.quote and entry not in item.passages:
                item.passages.append(entry)

    edtf = d.first(AKG + "date")
    earliest, latest = d.first(AKG + "earliestDate"), d.first(AKG + "latestDate")
    places = [v.value for v in d.values(AKG + "tookPlaceAt", asserted=True) if isinstance(v, ox.NamedNode)]
    return {
        "map": maps.for_event(d.iri, places),
        "title": labels.label(d.iri),
        "types": facts.type_links(d, labels),
        "execution": status,
        "when": {"edtf": edtf.value if edtf is not None else None,
                 "earliest": earliest.value if earliest is not None else None,
                 "latest": latest.value if latest is not None else None},
        "sections": sections,
        "figures": figures,
        "other": other,
        "inferred": facts.property_rows(d, labels, inferred=True),
        "incoming": facts.incoming_rows(incoming, labels),
        "sources": sorted(documents.values(), key=lambda s: s.document.label.lower()),
    }

