"""OWL RL: close the ontology once with owlrl, then apply its axioms to the data with SPARQL.

owlrl's full closure of the data grows far worse than linearly (seconds at 10k triples, no
end at a million), so owlrl sees only the TBox: the ontology and the parts of CIDOC-CRM,
schema.org, PROV-O and SKOS it aligns to.  From the closed TBox we keep the axioms that
entail data triples (subclass, subproperty, domain, range, inverse, symmetric, transitive)
and the rules in ``mappings/rules/entail/`` apply them in the store until nothing changes.
``tests/test_reasoning.py`` checks the result against owlrl's full closure of the corpus.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from archivekg.errors import SourceError
from archivekg.namespaces import TBOX

TBOX_GRAPH = TBOX
_KEPT_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf}
_KEPT_TYPES = {OWL.SymmetricProperty, OWL.TransitiveProperty}
# Every class is a subclass of these: materialising them would type every node twice over.
_TRIVIAL = {OWL.Thing, RDFS.Resource, RDFS.Class, OWL.Class, RDF.Property, RDFS.Literal,
            OWL.NamedIndividual}


def ontology_files(ontology_dir: Path) -> list[Path]:
    return sorted(Path(ontology_dir).rglob("*.ttl"))


# The closed ontology by the digest of its files: a process that builds several folders (a
# server's rebuilds, the tests) closes the same ontology once; owlrl takes seconds.
_CLOSED: dict[str, str] = {}


def tbox_axioms(files: list[Path], cache_dir: Path | None = None) -> str:
    """The entailment-relevant axioms of the closed ontology, as sorted N-Triples text."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    cached = Path(cache_dir) / f"tbox-{digest.hexdigest()[:16]}.nt" if cache_dir else None
    if cached and cached.is_file():
        return cached.read_text(encoding="utf-8")
    if digest.hexdigest() in _CLOSED:          # closed before in this process, for another build folder
        text = _CLOSED[digest.hexdigest()]
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(text, encoding="utf-8")
        return text

    import owlrl  # here, not above: a rebuild (seconds) reads the cache and never needs it

    graph = rdflib.Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises parser-specific types
            raise SourceError(f"the ontology does not parse: {exc}", file=str(path)) from exc
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(graph)
    lines = set()
    for s, p, o in graph:
        if not isinstance(s, rdflib.URIRef) or not isinstance(o, rdflib.URIRef) or s == o:
            continue
        if p in _KEPT_PREDICATES and o not in _TRIVIAL and s not in _TRIVIAL:
            if p in (RDFS.subClassOf, RDFS.subPropertyOf) and str(s).startswith(str(OWL)):
                continue
            lines.add(f"{s.n3()} {p.n3()} {o.n3()} .")
        elif p == RDF.type and o in _KEPT_TYPES:
            lines.add(f"{s.n3()} {p.n3()} {o.n3()} .")
    text = "\n".join(sorted(lines)) + "\n"
    _CLOSED[digest.hexdigest()] = text
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(text, encoding="utf-8")
    return text


def load_tbox(store: ox.Store, axioms: str) -> None:
    store.load(axioms.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ox.NamedNode(TBOX_GRAPH))
