"""The home page: what the dataset is, its sources and licence, counts, the entities that
matter most, example queries, and the ways in (dumps, VoID, ontology, shapes)."""

from __future__ import annotations

from flask import url_for

from archivekg.endpoint.backend import backend
from archivekg.site.render import examples, iris, pages, sparql
from archivekg.site.render.labels import Labels
from archivekg.site.routes.browse import INDEXES
from archivekg.site.routes.resources import INDEX_OF

bp = pages.blueprint("landing")

AKG = iris.ONTOLOGY_NS
COUNTED = (("ArchivalDocument", "documents"), ("Person", "persons"), ("Organization", "organizations"),
           ("Group", "groups"), ("Place", "places"), ("Event", "events"), ("Decree", "decrees"),
           ("Factoid", "statements with their quotes"), ("Mention", "names as written"))
TOP_ENTITIES = 12
LISTED_DOCUMENTS = 20


def counts() -> list[tuple[str, int, str]]:
    rows = sparql.select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ "
        f"{sparql.values('c', [AKG + name for name, _ in COUNTED])} ?s a ?c }} GROUP BY ?c")
    found = {sparql.bound(r, "c"): sparql.integer(r["n"]) or 0 for r in rows}
    return [(words, found.get(AKG + name, 0), AKG + name) for name, words in COUNTED]


def important_entities() -> list[dict]:
    # What the documents say most about: the registry entries with the most evidence
    # (statements about them or pointing at them, and passages naming them).
    return sparql.select(f"""
        SELECT ?x ?type (COUNT(DISTINCT ?doc) AS ?docs) (COUNT(DISTINCT ?f) AS ?facts) WHERE {{
          GRAPH {sparql.iri(iris.graph_iri('entities'))} {{ ?x a ?type }}
          {{ ?f akg:factSubject ?x }} UNION {{ ?f akg:factObject ?x }} UNION {{ ?f akg:refersTo ?x }}
          ?f akg:sourceDocument ?doc .
        }} GROUP BY ?x ?type ORDER BY DESC(?facts) DESC(?docs) ?x LIMIT {TOP_ENTITIES}""")


def documents() -> tuple[list[dict], int]:
    total = sparql.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a akg:ArchivalDocument }")
    # Grouped in a subquery and ordered outside it: Virtuoso refuses an ORDER BY over an
    # expression of an aggregate's name (server/stores.md).
    rows = sparql.select(f"""
        SELECT ?d ?when ?type ?source WHERE {{ {{
          SELECT ?d (SAMPLE(?date) AS ?when) (SAMPLE(?kind) AS ?type) (SAMPLE(?url) AS ?source) WHERE {{
            ?d a akg:ArchivalDocument .
            OPTIONAL {{ ?d akg:date ?date }} OPTIONAL {{ ?d akg:documentType ?kind }}
            OPTIONAL {{ ?d schema:url ?url }}
          }} GROUP BY ?d }} }} ORDER BY DESC(BOUND(?when)) ?when ?d LIMIT {LISTED_DOCUMENTS}""")
    return rows, sparql.integer(total[0]["n"]) or 0


def sources() -> list[dict]:
    """Where the documents come from: the archives of their citations and the bodies that
    published them, with how many documents each."""
    return sparql.select("""
        SELECT ?org ?role (COUNT(DISTINCT ?d) AS ?docs) WHERE {
          ?d a akg:ArchivalDocument .
          { ?d akg:citation/akg:archive ?org BIND("archive" AS ?role) }
          UNION { ?d akg:translationPublisher ?org BIND("publisher of the translation" AS ?role) }
        } GROUP BY ?org ?role ORDER BY DESC(?docs) ?org LIMIT 20""")


def date_range() -> tuple[str | None, str | None]:
    rows = sparql.select("""SELECT (MIN(?e) AS ?first) (MAX(?l) AS ?last) WHERE {
        ?d a akg:ArchivalDocument ; akg:earliestDate ?e ; akg:latestDate ?l }""")
    return (sparql.text(rows[0]["first"]), sparql.text(rows[0]["last"])) if rows else (None, None)


def _summary() -> dict:
    document_rows, document_total = documents()
    return {"counts": counts(), "entities": important_entities(), "documents": document_rows,
            "documents_total": document_total, "sources": sources(), "range": date_range()}


@bp.get("/")
def home():
    summary = pages.cached("landing", _summary)
    labels = Labels()
    for row in summary["entities"]:
        labels.want(row["x"], row["type"])
    for row in summary["documents"]:
        labels.want(row["d"])
    for row in summary["sources"]:
        labels.want(row["org"])
    labels.resolve()
    stats = backend().statistics()
    manifest = pages.manifest() or {}
    return pages.page(
        "landing.html", title="archivekg",
        counts=[c for c in summary["counts"] if c[1]],
        triples=stats.get("quads"),
        entities=[(labels.link(r["x"]), labels.link(r["type"]), sparql.integer(r["docs"]),
                   sparql.integer(r["facts"])) for r in summary["entities"]],
        documents=[(labels.link(r["d"]), sparql.text(r["when"]), sparql.text(r["type"]),
                    iris.safe_url(sparql.text(r["source"]) or "")) for r in summary["documents"]],
        documents_total=summary["documents_total"],
        sources=[(labels.link(r["org"]), sparql.text(r["role"]), sparql.integer(r["docs"]))
                 for r in summary["sources"]],
        first=summary["range"][0], last=summary["range"][1],
        examples=[(e, url_for("query_page.query", query=e.query)) for e in examples.all_examples()],
        license=pages.license_iri(), built=manifest.get("built"), version=manifest.get("version"),
        browse=[(index.title, url_for("browse.listing", name=name)) for name, index in INDEXES.items()],
        count_links={AKG + cls: url_for("browse.listing", name=name) for cls, name in INDEX_OF},
    )
