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


def test_remembered_iri_compaction_gives_pyld_own_nodes(built):
    """jsonld._Processor remembers PyLD's IRI compaction; on every graph of the shipped corpus
    its node objects are PyLD's, key for key and in the same order."""
    from pyld import jsonld as pyld

    context = jsonld.load_context(ROOT / "mappings")
    by_graph: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(path=str(Path(built["settings"]["BUILD_DIR"]) / "current" / "dataset.nq"), format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(str(quad.graph_name), []).append(quad)
    assert len(by_graph) > 3
    jsonld._Processor.memo.clear()
    for graph, quads in sorted(by_graph.items()):
        ours = json.dumps(jsonld._nodes(quads, context), ensure_ascii=False)
        ordered = sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
        dataset = {"@default": [{"subject": jsonld._rdf_term(q.subject), "predicate": jsonld._rdf_term(q.predicate),
                                 "object": jsonld._rdf_term(q.object)} for q in ordered]}
        document = pyld.compact(pyld.from_rdf(dataset, {}), {"@context": context}, {"skipExpansion": True})
        theirs = sorted(document["@graph"], key=lambda node: str(node.get("id", node.get("@id", ""))))
        assert ours == json.dumps(theirs, ensure_ascii=False), graph
    assert jsonld._Processor.memo, "the memo was not used"
