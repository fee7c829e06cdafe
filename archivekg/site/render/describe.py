"""What the graph says about one resource: its triples, where each comes from, the labels
of what it links to.  The same description feeds the RDF answer and the pages.

A triple of a document's graph is stated by that document; the factoids (akg:Factoid)
whose factSubject/factProperty/factObject repeat it say with which words, where in the
text and how certainly.  A triple only in the inferred graph was derived by the build.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import current_app

from archivekg import jsonld
from archivekg.namespaces import PREFIXES
from archivekg.rdfformats import FORMATS as GRAPH_FORMATS
from archivekg.rdfformats import serialized
from archivekg.site.render import iris, labels, sparql

AKG = iris.ONTOLOGY_NS
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"
FOAF_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
DCT = "http://purl.org/dc/terms/"
MAX_TRIPLES = 5000
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple      # what a triple's object may be


@dataclass
class Source:
    """A factoid: one document stating one triple."""
    factoid: str
    document: str | None = None
    quote: str | None = None
    certainty: str | None = None
    evidence: str | None = None
    notes: list[str] = field(default_factory=list)
    subject: Object | None = None
    predicate: Object | None = None
    value: Object | None = None

    @property
    def anchor(self) -> str | None:
        return anchor_of(self.evidence)


@dataclass
class Fact:
    predicate: str
    value: Object
    graphs: set[str] = field(default_factory=set)
    sources: list[Source] = field(default_factory=list)

    def inferred_only(self, inferred_graph: str) -> bool:
        return self.graphs == {inferred_graph}


@dataclass
class Description:
    iri: str
    facts: list[Fact]
    quads: list[ox.Quad]               # the triples where it is subject, with their graphs
    factoid_quads: list[ox.Quad]       # its provenance
    label_quads: list[ox.Quad]         # labels of what it links to
    inferred_graph: str

    @property
    def exists(self) -> bool:
        return bool(self.quads)

    @property
    def types(self) -> set[str]:
        return {_value(f.value) for f in self.facts if f.predicate == RDF_TYPE}

    @property
    def asserted_types(self) -> list[str]:
        return sorted(_value(f.value) for f in self.facts
                      if f.predicate == RDF_TYPE and not f.inferred_only(self.inferred_graph))

    def values(self, predicate: str, *, asserted: bool = False) -> list:
        return [f.value for f in self.facts if f.predicate == predicate
                and not (asserted and f.inferred_only(self.inferred_graph))]

    def first(self, predicate: str):
        found = self.values(predicate)
        return found[0] if found else None

    def is_a(self, cls: str) -> bool:
        return cls in self.types


def anchor_of(evidence: str | None) -> str | None:
    """The anchor of a passage on its document's page: the statement's hash."""
    if not evidence:
        return None
    parts = evidence.rstrip("/").split("/")
    if len(parts) >= 3 and parts[-1] == "evidence":
        return "s-" + parts[-2]
    return "s-" + parts[-1]


def describe(iri: str) -> Description:
    subject = sparql.iri(iri)
    inferred = iris.graph_iri("inferred")
    rows = sparql.select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} }}",
                         limit=MAX_TRIPLES)
    node = ox.NamedNode(iri)
    quads = [_quad(node, r["p"], r["o"], r["g"]) for r in rows]
    facts: dict[tuple, Fact] = {}
    for quad in quads:
        key = (quad.predicate.value, quad.object)
        fact = facts.setdefault(key, Fact(quad.predicate.value, quad.object))
        graph = quad.graph_name
        assert not isinstance(graph, ox.DefaultGraph)       # GRAPH ?g
        fact.graphs.add(graph.value)

    factoid_rows = sparql.select(
        f"SELECT ?f ?p ?o ?g WHERE {{ GRAPH ?g {{ ?f akg:factSubject {subject} ; ?p ?o }} }}",
        limit=MAX_TRIPLES)
    factoid_quads = [_quad(r["f"], r["p"], r["o"], r["g"]) for r in factoid_rows]
    for source in sources_from(factoid_quads):
        stated = facts.get((source.predicate.value, source.value)) \
            if isinstance(source.predicate, ox.NamedNode) else None
        if stated is not None:
            stated.sources.append(source)

    linked = {q.object.value for q in quads if isinstance(q.object, ox.NamedNode)}
    label_quads = label_statements(linked)
    ordered = sorted(facts.values(), key=lambda f: (f.predicate, str(f.value)))
    for fact in ordered:
        fact.sources.sort(key=lambda s: (s.document or "", s.evidence or "", s.factoid))
    return Description(iri, ordered, quads, factoid_quads, label_quads, inferred)


def sources_from(quads: list[ox.Quad]) -> list[Source]:
    """Factoid objects from the triples of factoids."""
    by_id: dict[str, Source] = {}
    for quad in quads:
        factoid = _value(quad.subject)
        source = by_id.setdefault(factoid, Source(factoid))
        name, value = quad.predicate.value, quad.object
        if name == AKG + "sourceDocument":
            source.document = _value(value)
        elif name == AKG + "quote":
            source.quote = _value(value)
        elif name == AKG + "certainty":
            source.certainty = _value(value)
        elif name == AKG + "evidence":
            source.evidence = _value(value)
        elif name == SKOS_NOTE:
            source.notes.append(_value(value))
        elif name == AKG + "factSubject":
            source.subject = value
        elif name == AKG + "factProperty":
            source.predicate = value
        elif name == AKG + "factObject":
            source.value = value
    return sorted(by_id.values(), key=lambda s: s.factoid)


def _value(term: Object) -> str:
    """The IRI, blank node id or text of a term (a quoted triple has none)."""
    if isinstance(term, ox.Triple):
        raise ValueError(f"a quoted triple where an IRI or a literal belongs: {term}")
    return term.value


def _quad(subject: sparql.Term | None, predicate: sparql.Term | None, value: sparql.Term | None,
          graph: sparql.Term | None) -> ox.Quad:
    """The quad of a solution's terms (the queries bind each of them, in a named graph)."""
    assert isinstance(subject, (ox.NamedNode, ox.BlankNode)) and isinstance(predicate, ox.NamedNode) \
        and value is not None and isinstance(graph, (ox.NamedNode, ox.BlankNode)), \
        f"not a quad: {subject} {predicate} {value} {graph}"
    return ox.Quad(subject, predicate, value, graph)


def label_statements(iri_values) -> list[ox.Quad]:
    wanted = sorted(iri_values)
    out: list[ox.Quad] = []
    for start in range(0, len(wanted), labels.BATCH):
        chunk = wanted[start:start + labels.BATCH]
        for r in sparql.select(
                f"SELECT ?x ?p ?l ?g WHERE {{ {sparql.values('x', chunk)} "
                f"{sparql.values('p', labels.LABEL_PROPERTIES)} GRAPH ?g {{ ?x ?p ?l }} "
                "FILTER(isLITERAL(?l)) }"):
            out.append(_quad(r["x"], r["p"], r["l"], r["g"]))
    return out


def rdf_quads(description: Description, document_url: str, license_iri: str | None) -> list[ox.Quad]:
    """The quads of the RDF answer: the resource's triples, its provenance, the labels of
    what it links to, and a few words about the answer itself (its topic and licence)."""
    doc = ox.NamedNode(document_url)
    meta = [ox.Quad(doc, ox.NamedNode(FOAF_TOPIC), ox.NamedNode(description.iri), ox.DefaultGraph())]
    if license_iri:
        meta.append(ox.Quad(doc, ox.NamedNode(DCT + "license"), ox.NamedNode(license_iri),
                            ox.DefaultGraph()))
    return description.quads + description.factoid_quads + description.label_quads + meta


def serialize(quads: list[ox.Quad], fmt_name: str) -> bytes:
    """Quads in a dataset format; in a triple format, each distinct triple once.  JSON-LD is
    compacted with our context, named by the URL this server serves it at."""
    if fmt_name == "jsonld":
        return jsonld.compact(quads, context(), iris.root() + jsonld.CONTEXT_FILE)
    fmt = GRAPH_FORMATS[fmt_name]
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    if fmt.supports_datasets:
        return serialized(ox.serialize(quads, format=fmt, prefixes=prefixes))
    triples = list(dict.fromkeys(quad.triple for quad in quads))
    return serialized(ox.serialize(triples, format=fmt, prefixes=prefixes))


def context() -> dict:
    """Our JSON-LD context (mappings/context.jsonld), read once per process."""
    return _context(current_app.config["MAPPINGS_DIR"])


@functools.lru_cache(maxsize=4)
def _context(mappings_dir: str) -> dict:
    return jsonld.load_context(mappings_dir)
