"""Where the data behind a validation result came from: the document, and the data file and
line a curator must open.

In order: the factoid or mention itself (it records its file and line); the factoid whose
evidence or selector the result is about; the factoids that state the offending triple (their
factSubject and factProperty are the result's focus node and path); else the line where the
data file defines the focus node's id, or the key of that node the path stands for; else the
input file the node's graph came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from archivekg.pipeline.vocabulary import Vocabulary
from archivekg.validation.report import Source
from archivekg.validation.slices import Layout, Unit
from archivekg.validation.terms import AKG, OA

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SOURCE_FILE = ox.NamedNode(str(AKG.sourceFile))
_SOURCE_LINE = ox.NamedNode(str(AKG.sourceLine))
_SOURCE_DOCUMENT = ox.NamedNode(str(AKG.sourceDocument))
_EVIDENCE = ox.NamedNode(str(AKG.evidence))
_HAS_SELECTOR = ox.NamedNode(str(OA.hasSelector))
_FACT_SUBJECT = ox.NamedNode(str(AKG.factSubject))
_FACT_PROPERTY = ox.NamedNode(str(AKG.factProperty))
_FACT_OBJECT = ox.NamedNode(str(AKG.factObject))


class Attribution:
    def __init__(self, store: ox.Store, layout: Layout, *, base_iri: str | None = None,
                 corpus=None, mappings_dir: Path | None = None):
        self.store = store
        self.layout = layout
        self.id_base = f"{base_iri}id/" if base_iri else None
        self.corpus = corpus
        self.keys: dict[str, str] = {}
        # Lookups repeat from result to result (a document has several): each is made once.
        self._values: dict = {}
        self._pointing: dict = {}
        if corpus is not None and mappings_dir is not None:
            terms = Vocabulary(Path(mappings_dir) / "context.jsonld", []).terms
            self.keys = {term.iri: name for name, term in terms.items()}

    def locate(self, focus, path, value, unit: Unit | None):
        """(group, document IRI or None, sources) of a result."""
        if unit is None:
            unit = self._unit_of(focus)
        sources: list[Source] = []
        document: str | None = None
        node = _ox(focus)
        if node is not None:
            sources, document = self._recorded([node])
            if not sources:
                evidence = [node] + self._subjects(_HAS_SELECTOR, node)
                stating = [s for e in evidence for s in self._subjects(_EVIDENCE, e)]
                sources, document = self._recorded(stating)
            if not sources and isinstance(path, rdflib.URIRef):
                sources, document = self._recorded(self._factoids(node, path, value))
        if not sources:
            sources = self._defined_at(focus, path)
        if document is None:
            document = self._document_of(focus) or (unit.document if unit else None)
        if not sources and unit is not None and unit.source:
            sources = [Source(unit.source)]
        group = self._group(document, unit)
        return group, (rdflib.URIRef(document) if document else None), tuple(sources)

    # ------------------------------------------------------------------ store lookups
    def _recorded(self, nodes: list) -> tuple[list[Source], str | None]:
        """The files and lines that factoids or mentions record, and their document."""
        sources, document = [], None
        for node in nodes:
            file = self._value(node, _SOURCE_FILE)
            line = self._value(node, _SOURCE_LINE)
            if file is None:
                continue
            source = Source(file.value, int(line.value) if line is not None else None)
            if source not in sources:
                sources.append(source)
            found = self._value(node, _SOURCE_DOCUMENT)
            if document is None and found is not None:
                document = found.value
        return sorted(sources, key=lambda s: (s.file, s.line or 0)), document

    def _factoids(self, focus, path, value) -> list:
        """The factoids stating ``focus path …``, those with ``value`` first (or only)."""
        stating, exact = [], []
        for factoid in self._subjects(_FACT_SUBJECT, focus):
            if self._value(factoid, _FACT_PROPERTY) != ox.NamedNode(str(path)):
                continue
            stating.append(factoid)
            if value is not None and _same(self._value(factoid, _FACT_OBJECT), value):
                exact.append(factoid)
        return exact or stating

    def _subjects(self, predicate, node) -> list:
        """The nodes that point at ``node`` with ``predicate``."""
        key = (predicate, node)
        if key not in self._pointing:
            self._pointing[key] = [quad.subject for quad in self.store.quads_for_pattern(None, predicate, node)]
        return self._pointing[key]

    def _value(self, node, predicate):
        key = (node, predicate)
        if key not in self._values:
            self._values[key] = next((quad.object for quad in self.store.quads_for_pattern(node, predicate, None)),
                                     None)
        return self._values[key]

    def _unit_of(self, focus) -> Unit | None:
        """The graph that types ``focus`` (its home, as slices.py chooses it), else one that
        says something about it."""
        node = _ox(focus)
        if node is None:
            return None
        for predicate in (_TYPE, None):
            graphs = {quad.graph_name.value for quad in self.store.quads_for_pattern(node, predicate, None)
                      if isinstance(quad.graph_name, ox.NamedNode)}
            for unit in self.layout.units:
                if unit.graph in graphs:
                    return unit
        return None

    # ------------------------------------------------------------------ the data files
    def _local_id(self, focus) -> str | None:
        if not self.id_base or not isinstance(focus, rdflib.URIRef) or not str(focus).startswith(self.id_base):
            return None
        return str(focus)[len(self.id_base):].split("/", 1)[0]

    def _document_of(self, focus) -> str | None:
        local = self._local_id(focus)
        if self.corpus is not None and local in self.corpus.documents:
            return f"{self.id_base}{local}"
        return None

    def _defined_at(self, focus, path) -> list[Source]:
        local = self._local_id(focus)
        if self.corpus is None or local is None or local not in self.corpus.ids:
            return []
        file, line = self.corpus.ids[local]
        key = self.keys.get(str(path)) if isinstance(path, rdflib.URIRef) else None
        if key and str(focus) == f"{self.id_base}{local}":
            node = _find_node(self._file_data(file), local)
            if node is not None and key in node:
                line = node.line_of(key)
        return [Source(file, line)]

    def _file_data(self, display: str):
        for source in self.corpus.registries:
            if source.display == display:
                return source.data
        for document in self.corpus.documents.values():
            for source in (document.record, document.annotations):
                if source is not None and source.display == display:
                    return source.data
        return None

    def _group(self, document: str | None, unit: Unit | None) -> str:
        if document and self.id_base and document.startswith(self.id_base):
            return document[len(self.id_base):]
        if document:
            return document
        return unit.name if unit else "whole corpus"


def _find_node(data, node_id: str):
    """The YAML mapping with ``id: node_id`` inside ``data`` (a record, registry or annotations)."""
    values: Iterable[object]
    if isinstance(data, dict):
        if data.get("id") == node_id:
            return data
        values = data.values()
    elif isinstance(data, list):
        values = data
    else:
        return None
    for value in values:
        found = _find_node(value, node_id)
        if found is not None:
            return found
    return None


def _same(ox_term, rdf_term) -> bool:
    if isinstance(ox_term, ox.Literal) and isinstance(rdf_term, rdflib.Literal):
        return ox_term.value == str(rdf_term)
    return getattr(ox_term, "value", None) == str(rdf_term)


def _ox(term):
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    return None
