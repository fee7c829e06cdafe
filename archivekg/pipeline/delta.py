"""Which entailments a change of a few document graphs touches, and what they become.

The inferred graph is a function of every asserted graph; a rebuild recomputes only the
entailments whose *subject* the change can touch, and keeps the others.  What the rules
(mappings/rules/derive and entail) allow a change to touch:

- all but three derive one triple from one triple and the closed ontology, with the premise's
  subject or object (range, inverse, symmetric) as subject: running the rules over the changed
  triples alone (before and after) finds every such subject;
- the transitive rule chains ``a p b`` and ``b p c``: a change at ``b`` touches everything
  upstream of ``b``;
- the mention rule asks whether a mentioned thing is a Quantity: when the classes of a node
  change, every document that refers to it is touched (its graph is taken whole);
- the date rules join a node's date and its class: both are about the node.

Nodes the rules mint for a subject (``<x>/quantity/…``, ``<x>/time-span``) go with it.

The touched entailments are recomputed in a scratch store with the same rules, over what they
can depend on: the asserted triples about the touched nodes and about the nodes downstream of
them along transitive properties, the whole graphs of touched documents with the classes of
what they refer to, and — from the second round on — the untouched entailments about those
nodes.  Not in the first round: it must see what a full build's first round sees (asserted
triples only), because the mention rule's NOT EXISTS is decided then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from archivekg.namespaces import (
    INFERRED,
    INFERRED_INTERNAL,
    NOT_DOCUMENTS,
    ONTOLOGY,
    graph_iri,
    graph_name,
    resource_iri,
)
from archivekg.pipeline import reasoning

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL_TRANSITIVE = ox.NamedNode("http://www.w3.org/2002/07/owl#TransitiveProperty")
EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"
INFERRED_NODE = ox.NamedNode(INFERRED_INTERNAL)
PREVIOUS = ox.NamedNode("urn:archivekg:previous")      # untouched entailments, as premises
BEFORE = ox.NamedNode("urn:archivekg:before")          # the changed graphs as they were
TBOX = ox.NamedNode(reasoning.TBOX_GRAPH)
MAX_NODES = 20000      # beyond this a full build is as fast


class TooLarge(Exception):
    """The change touches so much that a full build is the better way."""


@dataclass
class Change:
    graph: ox.NamedNode
    before: list[ox.Quad]        # the graph's quads in the previous release
    after: list[ox.Quad]         # and now


def recompute(old: ox.Store, changes: list[Change], *, base: str, tbox: str, mappings: Path,
              ingest, entail) -> tuple[set[str], list[ox.Triple]]:
    """The touched subjects (IRIs) and their new entailments.  ``old`` is the previous
    release's store; ``entail`` is pipeline.entail (the same rounds as a full build)."""
    inferred_graph = ox.NamedNode(graph_iri(base, INFERRED))
    changed_graphs = {change.graph for change in changes}
    closure0 = _closure_of_changes(changes, tbox, mappings, ingest, entail)
    transitive = [quad.subject for quad in ox.parse(tbox.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
                  if quad.predicate == RDF_TYPE and quad.object == OWL_TRANSITIVE]

    touched: set[ox.NamedNode] = set()
    for change in changes:
        for quad in change.before + change.after:
            _add_iri(touched, quad.subject)
    for quad in closure0.quads_for_pattern(None, None, None, INFERRED_NODE):
        _add_iri(touched, quad.subject)
    for node in list(touched):                      # upstream along transitive properties
        for p in transitive:
            for quad in old.quads_for_pattern(None, p, node):
                _add_iri(touched, quad.subject)
    touched |= _documents_referring_to_reclassified(old, changes, base)
    # A touched document's mentions come from its whole graph (its factoids): take it whole.
    documents = {node for node in touched if (graph := _document_graph(node, base)) is not None
                 and (graph in changed_graphs or old.contains_named_graph(graph))}

    reach = set(touched)                            # and downstream of them
    frontier = list(touched)
    while frontier:
        node = frontier.pop()
        for p in transitive:
            for quad in list(old.quads_for_pattern(node, p, None)) + \
                    list(closure0.quads_for_pattern(node, p, None)):
                if isinstance(quad.object, ox.NamedNode) and quad.object not in reach:
                    reach.add(quad.object)
                    frontier.append(quad.object)
        if len(reach) > MAX_NODES:
            raise TooLarge(f"the change reaches more than {MAX_NODES} nodes")

    def asserted(quad: ox.Quad) -> bool:
        return quad.graph_name not in changed_graphs and quad.graph_name != inferred_graph \
            and quad.graph_name.value != graph_iri(base, ONTOLOGY)

    premises: set[ox.Quad] = {q for change in changes for q in change.after}
    previous: set[ox.Triple] = set()
    touched_values = {node.value for node in touched}
    minted_under = len(f"{base}id/")
    for node in reach:
        for quad in list(old.quads_for_pattern(node, None, None)) + list(old.quads_for_pattern(None, None, node)):
            if asserted(quad):
                premises.add(quad)
            elif quad.graph_name == inferred_graph and \
                    not _is_touched(quad.subject, touched_values, minted_under):
                previous.add(quad.triple)
    referred: set[ox.NamedNode] = set()
    for document in documents:
        graph = _document_graph(document, base)
        whole = [q for change in changes if change.graph == graph for q in change.after] \
            if graph in changed_graphs else list(old.quads_for_pattern(None, None, None, graph))
        premises.update(whole)
        referred.update(q.object for q in whole if isinstance(q.object, ox.NamedNode))
    new_classes = {(q.subject, q) for change in changes for q in change.after if q.predicate == RDF_TYPE}
    for node in referred:                           # the classes of what they refer to
        premises.update(q for q in old.quads_for_pattern(node, RDF_TYPE, None) if asserted(q))
    premises.update(q for subject, q in new_classes if subject in referred)
    if len(premises) > 50 * MAX_NODES:
        raise TooLarge(f"the change depends on {len(premises)} triples")

    scratch = ox.Store()
    scratch.load(tbox.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=TBOX)
    scratch.extend(premises)
    _add_edtf_bounds(scratch, premises, ingest)
    entail(scratch, mappings, after_first_round=lambda: scratch.extend(
        ox.Quad(t.subject, t.predicate, t.object, PREVIOUS) for t in previous))
    ontology = ox.NamedNode(graph_iri(base, ONTOLOGY))      # as mapping.not_in_ontology
    result = [quad.triple for quad in scratch.quads_for_pattern(None, None, None, INFERRED_NODE)
              if _is_touched(quad.subject, touched_values, minted_under)
              and ox.Quad(quad.subject, quad.predicate, quad.object, ontology) not in old]
    return touched_values, result


def _closure_of_changes(changes: list[Change], tbox: str, mappings: Path, ingest, entail) -> ox.Store:
    """The rules over the changed graphs alone (before and after) and the ontology: the
    subjects of what they derive are touched by the change."""
    store = ox.Store()
    store.load(tbox.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=TBOX)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, BEFORE) for c in changes for q in c.before)
    store.extend(q for c in changes for q in c.after)
    _add_edtf_bounds(store, [q for c in changes for q in c.before + c.after], ingest)
    entail(store, mappings)
    return store


def _documents_referring_to_reclassified(old: ox.Store, changes: list[Change], base: str) -> set:
    """Documents whose graphs refer to a node whose classes the change alters."""
    classes_before = {(q.subject, q.object) for c in changes for q in c.before if q.predicate == RDF_TYPE}
    classes_after = {(q.subject, q.object) for c in changes for q in c.after if q.predicate == RDF_TYPE}
    found = set()
    for node in {subject for subject, _ in classes_before ^ classes_after}:
        for quad in old.quads_for_pattern(None, None, node):
            graph = quad.graph_name.value
            name = graph_name(base, graph)
            if name is not None and name not in NOT_DOCUMENTS:
                found.add(ox.NamedNode(resource_iri(base, name)))
    return found


def _add_edtf_bounds(store: ox.Store, quads, ingest) -> None:
    """The raw bounds of every EDTF date among ``quads`` (the date rules read them)."""
    values = {q.object.value for q in quads
              if isinstance(q.object, ox.Literal) and q.object.datatype.value == EDTF}
    if values:
        document = {"@context": ingest.context(), "@graph": ingest.edtf_value_nodes(values)}
        store.load(json.dumps(document).encode("utf-8"), format=ox.RdfFormat.JSON_LD)


def _document_graph(node: ox.NamedNode, base: str) -> ox.NamedNode | None:
    prefix = f"{base}id/"
    if node.value.startswith(prefix) and "/" not in node.value[len(prefix):]:
        return ox.NamedNode(graph_iri(base, node.value[len(prefix):]))
    return None


def _is_touched(term, touched: set[str], minted_under: int) -> bool:
    """A touched node, or one minted under a touched node's IRI (``<x>/time-span``); only
    our ids (beyond ``minted_under`` characters) have nodes minted under them."""
    if not isinstance(term, ox.NamedNode):
        return False
    value = term.value
    if value in touched:
        return True
    cut = value.rfind("/")
    while cut > minted_under:
        value = value[:cut]
        if value in touched:
            return True
        cut = value.rfind("/")
    return False


def _add_iri(nodes: set, term) -> None:
    if isinstance(term, ox.NamedNode):
        nodes.add(term)
