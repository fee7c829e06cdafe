"""The page of one statement (a factoid) or one mention: what the document says, in
which words, where, and how certainly."""

from __future__ import annotations

import pyoxigraph as ox

from archivekg.site.render import facts, iris, sparql
from archivekg.site.render.describe import Description, anchor_of
from archivekg.site.render.labels import Labels
from archivekg.site.render.values import view

AKG = iris.ONTOLOGY_NS
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"


def selectors(evidence: str) -> dict:
    rows = sparql.select(f"""
        SELECT ?exact ?prefix ?suffix ?start ?end WHERE {{
          {sparql.iri(evidence)} oa:hasSelector ?qs . ?qs oa:exact ?exact .
          OPTIONAL {{ ?qs oa:prefix ?prefix }} OPTIONAL {{ ?qs oa:suffix ?suffix }}
          OPTIONAL {{ {sparql.iri(evidence)} oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end }}
        }} LIMIT 1""")
    if not rows:
        return {}
    row = rows[0]
    found = {k: sparql.text(row[k]) for k in ("exact", "prefix", "suffix", "start", "end")}
    for key in ("exact", "prefix", "suffix"):
        if (written := found[key]) is not None:
            found[key] = facts.one_line(written)
    return found


def context(d: Description) -> dict:
    evidence = d.first(AKG + "evidence")
    evidence = evidence.value if isinstance(evidence, ox.NamedNode) else None
    found = selectors(evidence) if evidence else {}

    labels = Labels()
    facts.want_description(labels, d)
    labels.want(d.iri)
    labels.resolve()

    def link(predicate):
        value = d.first(predicate)
        return labels.link(value) if isinstance(value, ox.NamedNode) else None

    def literal(predicate):
        value = d.first(predicate)
        return value.value if value is not None else None

    document = link(AKG + "sourceDocument")
    anchor = anchor_of(evidence)
    names = [v.value for v in d.values(AKG + "nameAsWritten")]
    certainty = d.first(AKG + "certainty")
    fact_object = d.first(AKG + "factObject")
    return {
        "title": ("Mention" if d.is_a(AKG + "Mention") else "Statement") + " in "
                 + (document.label if document else "a document"),
        "types": facts.type_links(d, labels),
        "is_mention": d.is_a(AKG + "Mention"),
        "subject": link(AKG + "factSubject"),
        "predicate": link(AKG + "factProperty"),
        "object": view(fact_object, labels, predicate=sparql.text(d.first(AKG + "factProperty")))
                  if fact_object is not None else None,
        "refers_to": link(AKG + "refersTo"),
        "names": names,
        "document": document,
        "passage_href": f"{document.href}#{anchor}" if document and document.href and anchor else None,
        "quote": literal(AKG + "quote"),
        "selector": found,
        "parts": facts.mark_names(found["exact"], names) if found.get("exact") else [],
        "certainty": labels.label(certainty.value) if isinstance(certainty, ox.NamedNode) else None,
        "notes": [v.value for v in d.values(SKOS_NOTE)],
        "source_file": literal(AKG + "sourceFile"),
        "source_line": literal(AKG + "sourceLine"),
        "statements": facts.property_rows(d, labels),
    }
