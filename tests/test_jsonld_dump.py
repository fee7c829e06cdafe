"""The JSON-LD dump: compacted with our context given inline, and the same dataset as the
N-Quads, term for term (language tags, datatypes, untagged strings under terms whose context
gives a default language, blank nodes, named graphs)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import rdflib

from archivekg import jsonld

ROOT = Path(__file__).resolve().parent.parent
AKG = "https://w3id.org/archivekg/ontology#"
ID = "https://w3id.org/archivekg/id/"
GRAPH = "https://w3id.org/archivekg/graph/"

DATA = f"""
<{ID}kim-il-sung> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{AKG}Person> <{GRAPH}entities> .
<{ID}kim-il-sung> <{AKG}name> "Kim Il Sung"@en <{GRAPH}entities> .
<{ID}kim-il-sung> <{AKG}nameInScript> "김일성"@ko <{GRAPH}entities> .
<{ID}kim-il-sung> <{AKG}wikidata> "Q41117" <{GRAPH}entities> .
<{ID}memo> <{AKG}title> "An untagged title" <{GRAPH}memo> .
<{ID}memo> <{AKG}numberOfFamilies> "153"^^<http://www.w3.org/2001/XMLSchema#integer> <{GRAPH}memo> .
<{ID}memo> <{AKG}date> "1954-12-20"^^<http://id.loc.gov/datatypes/edtf/EDTF> <{GRAPH}memo> .
_:b1 <{AKG}quote> "a \\"quoted\\" passage" <{GRAPH}memo> .
<{ID}memo> <http://purl.org/dc/terms/license> <https://creativecommons.org/licenses/by/4.0/> .
"""


def _exact(dataset: rdflib.Dataset) -> set:
    found = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = str(g.identifier if hasattr(g, "identifier") else g)
        found.add(("_" if isinstance(s, rdflib.BNode) else str(s), str(p),
                   "_" if isinstance(o, rdflib.BNode) else o.n3(), graph))
    return found


def test_the_dump_is_compacted_and_gives_back_every_quad(tmp_path):
    store = ox.Store()
    store.load(DATA.encode("utf-8"), ox.RdfFormat.N_QUADS)
    target = tmp_path / "dataset.jsonld"
    context = jsonld.load_context(ROOT / "mappings")
    jsonld.write_dump(store, target, context)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["@context"] == context
    graphs = {node["@id"]: node["@graph"] for node in document["@graph"] if "@graph" in node}
    assert set(graphs) == {GRAPH + "entities", GRAPH + "memo"}
    kim = next(node for node in graphs[GRAPH + "entities"] if node.get("id", "").endswith("kim-il-sung"))
    assert kim["type"] == "Person" and kim["wikidata"] == "Q41117"

    back = rdflib.Dataset()
    back.parse(data=target.read_text(encoding="utf-8"), format="json-ld")
    expected = rdflib.Dataset()
    expected.parse(data=DATA, format="nquads")
    assert _exact(back) == _exact(expected)


def test_the_same_store_gives_the_same_bytes(tmp_path):
    # Without the blank node: Oxigraph gives a loaded blank node a fresh label (our releases
    # have none).
    lines = [line for line in DATA.strip().splitlines() if not line.startswith("_:")]
    store = ox.Store()
    store.load("\n".join(lines).encode("utf-8"), ox.RdfFormat.N_QUADS)
    context = jsonld.load_context(ROOT / "mappings")
    jsonld.write_dump(store, tmp_path / "a.jsonld", context)
    again = ox.Store()
    again.load("\n".join(reversed(lines)).encode("utf-8"), ox.RdfFormat.N_QUADS)
    jsonld.write_dump(again, tmp_path / "b.jsonld", context)
    assert (tmp_path / "a.jsonld").read_bytes() == (tmp_path / "b.jsonld").read_bytes()
