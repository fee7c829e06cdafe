"""Mapping and entailment, the two rule-driven steps of the pipeline.

Each document's JSON-LD is loaded into a store and reshaped by the SPARQL rules of
``mappings/rules/document`` into one named graph per document; the rules of
``mappings/rules/derive`` and ``mappings/rules/entail`` then add what the data entails
(into the internal graph ``namespaces.INFERRED_INTERNAL``) until they add nothing more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from archivekg.namespaces import INFERRED, ONTOLOGY, RAW, graph_iri
from archivekg.pipeline.ingest import Ingest


def run_rules(store: ox.Store, folder: Path | list[Path]) -> None:
    paths = sorted(folder.glob("*.ru")) if isinstance(folder, Path) else folder
    for path in paths:
        try:
            store.update(path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            raise SyntaxError(f"{path}: {exc}") from exc


def entailment_rules(mappings: Path) -> tuple[list[Path], list[Path]]:
    """The rules of derive/ and entail/ that add triples, and those that only delete.

    Deleting rules (``90-not-again``: an entailment a document already asserts is not
    repeated) remove copies of triples that stay in another graph, and every rule reads the
    union of the graphs: so they change nothing a rule sees, and running them once after
    the fixpoint leaves the same graph as running them in every round, at a fraction of the
    cost (they join the whole inferred graph with every other graph).
    """
    adding, deleting = [], []
    for folder in ("derive", "entail"):
        for path in sorted((mappings / "rules" / folder).glob("*.ru")):
            code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                             if not line.lstrip().startswith("#"))
            (adding if re.search(r"\bINSERT\b", code, re.IGNORECASE) else deleting).append(path)
    return adding, deleting


def entail(store: ox.Store, mappings: Path, after_first_round: Callable[[], None] | None = None) -> None:
    """Apply the rules until they add nothing (their fixpoint), then the deleting ones.

    ``after_first_round`` runs between the first round and the others (a rebuild adds the
    unchanged entailments there, see delta.py)."""
    adding, deleting = entailment_rules(mappings)
    run_rules(store, adding)
    if after_first_round is not None:
        after_first_round()
    before = -1
    while before != len(store):
        before = len(store)
        run_rules(store, adding)
    run_rules(store, deleting)


def not_in_ontology(base: str) -> str:
    """An entailment the ontology states as written (the units are akg:Unit and skos:Concept
    there) is not repeated in the inferred graph: no triple is stated in two graphs, so the
    union default graph returns each once (docs/graph-model.md, "Each triple once")."""
    return f"""DELETE {{ GRAPH <{graph_iri(base, INFERRED)}> {{ ?s ?p ?o }} }}
        WHERE {{ GRAPH <{graph_iri(base, INFERRED)}> {{ ?s ?p ?o }} GRAPH <{graph_iri(base, ONTOLOGY)}> {{ ?s ?p ?o }} }}"""


def map_documents(store: ox.Store, ingest: Ingest, corpus, mappings: Path) -> None:
    """Each document's JSON-LD, then the document rules: one named graph per document.
    Every rule of rules/document/ reads one statement's (or one document's) raw nodes, so
    mapping documents one at a time or all together gives the same graphs."""
    for doc_id in sorted(corpus.documents):
        payload = json.dumps(ingest.document_jsonld(corpus.documents[doc_id]))
        store.load(payload.encode("utf-8"), format=ox.RdfFormat.JSON_LD)
    run_rules(store, mappings / "rules" / "document")
    store.update(f"""PREFIX akgr: <{RAW}>
        DELETE {{ GRAPH ?st {{ ?s ?p ?o }} }} WHERE {{ ?st a akgr:Statement . GRAPH ?st {{ ?s ?p ?o }} }}""")
