"""Mapping: each document's JSON-LD, reshaped by the rules of ``mappings/rules/document`` into
its named graph; the registries likewise into the graph ``entities``.

Every rule of rules/document reads one statement's (or one document's) raw nodes, so a
document's graph is a function of its own files: mapping documents one at a time or all
together gives the same graphs, and many are mapped in one store for speed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from archivekg import namespaces
from archivekg.namespaces import RAW
from archivekg.pipeline.entailment import blob_of, lines_of
from archivekg.pipeline.ingest import Corpus, Ingest
from archivekg.rdfformats import serialized


def run_rules(store: ox.Store, folder: Path | list[Path]) -> None:
    paths = sorted(folder.glob("*.ru")) if isinstance(folder, Path) else folder
    for path in paths:
        try:
            store.update(path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            raise SyntaxError(f"{path}: {exc}") from exc


def map_parts(ingest: Ingest, corpus: Corpus, mappings: Path, documents: Iterable[str],
              registries: bool) -> tuple[ox.Store, dict[str, bytes]]:
    """The graphs of ``documents`` (and of the registries, if asked): the store that holds
    them, and each graph's IRI with its sorted N-Triples."""
    base = ingest.base_iri
    store = ox.Store()
    wanted = []
    if registries:
        store.load(json.dumps(ingest.registry_jsonld(corpus)).encode("utf-8"), format=ox.RdfFormat.JSON_LD)
        run_rules(store, mappings / "rules" / "registry")
        wanted.append(namespaces.graph_iri(base, namespaces.ENTITIES))
    for doc_id in sorted(documents):
        payload = json.dumps(ingest.document_jsonld(corpus.documents[doc_id]))
        store.load(payload.encode("utf-8"), format=ox.RdfFormat.JSON_LD)
        wanted.append(namespaces.graph_iri(base, doc_id))
    run_rules(store, mappings / "rules" / "document")
    store.update(f"""PREFIX akgr: <{RAW}>
        DELETE {{ GRAPH ?st {{ ?s ?p ?o }} }} WHERE {{ ?st a akgr:Statement . GRAPH ?st {{ ?s ?p ?o }} }} ;
        DROP DEFAULT""")
    graphs = {graph: blob_of(lines_of(serialized(store.dump(format=ox.RdfFormat.N_TRIPLES,
                                                            from_graph=ox.NamedNode(graph)))))
              for graph in wanted}
    return store, graphs
