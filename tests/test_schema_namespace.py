"""schema.org is http://schema.org/ everywhere: the namespace its own JSON-LD context expands
to, and the one Wikidata and most published data use (docs/graph-model.md)."""

from __future__ import annotations

import json
from pathlib import Path

from archivekg.namespaces import PREFIXES
from archivekg.release.store import current_release

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "http://schema.org/"


def test_the_prefixes_and_the_context_say_http():
    context = json.loads((ROOT / "mappings" / "context.jsonld").read_text(encoding="utf-8"))
    assert PREFIXES["schema"] == context["@context"]["schema"] == SCHEMA


def test_no_https_schema_org_iri_in_the_build(built):
    dump = (current_release(built["settings"]["BUILD_DIR"]) / "dataset.nq").read_text(encoding="utf-8")
    assert "<https://schema.org/" not in dump
    assert dump.count(f"<{SCHEMA}") > 1000


def test_no_https_schema_org_in_the_sources():
    folders = ("archivekg", "mappings", "ontology", "shapes", "docs", "tests/competency")
    found = [str(path.relative_to(ROOT)) for folder in folders for path in (ROOT / folder).rglob("*")
             if path.is_file() and path.suffix in {".py", ".ttl", ".jsonld", ".ru", ".md", ".rq", ".html", ".yaml"}
             and "https://schema.org" in path.read_text(encoding="utf-8")]
    assert found == []


def test_a_consumer_with_the_http_prefix_finds_persons_events_and_legislation(store):
    counts = store.query(f"""PREFIX schema: <{SCHEMA}>
        SELECT (COUNT(DISTINCT ?p) AS ?persons) (COUNT(DISTINCT ?e) AS ?events) (COUNT(DISTINCT ?l) AS ?laws)
        WHERE {{ {{ ?p a schema:Person }} UNION {{ ?e a schema:Event }} UNION {{ ?l a schema:Legislation }} }}""",
        use_default_graph_as_union=True)
    (row,) = list(counts)
    assert all(int(row[v].value) > 0 for v in ("persons", "events", "laws"))
