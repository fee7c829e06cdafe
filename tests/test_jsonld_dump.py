"""The JSON-LD dump's node objects (``jsonld.node_objects``, which the build's dump is made
of): compacted with our context, and the same dataset as the N-Quads, term for term (language tags, datatypes, untagged strings under terms whose context
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


def _dump(lines: list[str], context: dict) -> str:
    """The dataset as the build's JSON-LD dump holds it: the context inline, a node per named
    graph whose ``@graph`` is ``node_objects`` of its triples, default-graph nodes at the top."""
    by_graph: dict[str, list[str]] = {}
    for line in lines:
        quad = next(iter(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_QUADS)))
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        by_graph.setdefault(graph, []).append(str(ox.Triple(quad.subject, quad.predicate, quad.object)) + " .\n")
    top: list = []
    for graph in sorted(by_graph):
        nodes = jsonld.node_objects("".join(by_graph[graph]).encode("utf-8"), context)
        top += nodes if graph == "" else [{"@id": graph, "@graph": nodes}]
    return json.dumps({"@context": context, "@graph": top}, ensure_ascii=False)


def test_the_dump_is_compacted_and_gives_back_every_quad():
    context = jsonld.load_context(ROOT / "mappings")
    document = json.loads(_dump(DATA.strip().splitlines(), context))
    graphs = {node["@id"]: node["@graph"] for node in document["@graph"] if "@graph" in node}
    assert set(graphs) == {GRAPH + "entities", GRAPH + "memo"}
    kim = next(node for node in graphs[GRAPH + "entities"] if node.get("id", "").endswith("kim-il-sung"))
    assert kim["type"] == "Person" and kim["wikidata"] == "Q41117"
    assert all(not key.startswith("http") for nodes in graphs.values() for node in nodes for key in node)

    back = rdflib.Dataset()
    back.parse(data=json.dumps(document), format="json-ld")
    expected = rdflib.Dataset()
    expected.parse(data=DATA, format="nquads")
    assert _exact(back) == _exact(expected)


def test_the_same_triples_in_any_order_give_the_same_nodes():
    context = jsonld.load_context(ROOT / "mappings")
    lines = [line for line in DATA.strip().splitlines() if line.endswith(f"<{GRAPH}memo> .")]
    assert _dump(lines, context) == _dump(list(reversed(lines)), context)
