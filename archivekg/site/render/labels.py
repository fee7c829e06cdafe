"""Names of things for people: the best label of each IRI, fetched in one query per page.

Labels are chosen in a fixed order of preference, from the most specific property of our
vocabulary to the general ones of other vocabularies; a thing without any label is shown
by a readable form of its IRI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from archivekg.site.render import iris, pages, sparql

AKG = iris.ONTOLOGY_NS
LABEL_PROPERTIES = (
    AKG + "name", AKG + "label", AKG + "title", "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/title",
    "http://schema.org/name", AKG + "decreeTitle", AKG + "positionTitle", AKG + "nameAsWritten",
)
_RANK = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
BATCH = 400


@dataclass(frozen=True)
class Link:
    iri: str
    label: str
    href: str | None
    labelled: bool          # False when the label is only a form of the IRI

    @property
    def compact(self) -> str:
        return iris.compact(self.iri)


def label_table() -> dict[str, str]:
    """The best label of everything that has one of our own label properties (the first three
    of LABEL_PROPERTIES), read in one query."""
    ours = LABEL_PROPERTIES[:3]
    best: dict[str, tuple[int, str]] = {}
    rows = sparql.select(f"SELECT ?x ?p ?l WHERE {{ {sparql.values('p', ours)} ?x ?p ?l "
                         "FILTER(isIRI(?x) && isLITERAL(?l)) }")
    for row in rows:
        key, found = sparql.bound(row, "x"), (_RANK[sparql.bound(row, "p")], sparql.bound(row, "l"))
        if key not in best or found < best[key]:
            best[key] = found
    return {key: value for key, (_, value) in best.items()}


def fetch(iri_values: Iterable[str]) -> dict[str, str]:
    """The preferred label of each IRI that has one.

    Asking for thousands of IRIs in batches with VALUES costs a few tenths of a second a batch
    on a large graph (a page of a person named in every document asked for ~24 s at 10,000
    documents); so for a built release the labels of our own properties, which rank first, are
    read once and kept, and only the IRIs without one are asked for."""
    wanted = sorted({i for i in iri_values if i})
    known: dict[str, str] = {}
    if len(wanted) > BATCH and pages.served_release() is not None:
        ours = pages.cached("labels-ours", label_table)
        known = {i: ours[i] for i in wanted if i in ours}
        wanted = [i for i in wanted if i not in known]
    return {**known, **_fetch(wanted)}


def _fetch(wanted: list[str]) -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start:start + BATCH]
        rows = sparql.select(
            f"SELECT ?x ?p ?l WHERE {{ {sparql.values('x', chunk)} {sparql.values('p', LABEL_PROPERTIES)} "
            "?x ?p ?l FILTER(isLITERAL(?l)) }")
        for row in rows:
            key, rank, value = sparql.bound(row, "x"), _RANK[sparql.bound(row, "p")], sparql.bound(row, "l")
            if key not in best or (rank, value) < best[key]:
                best[key] = (rank, value)
    return {key: value for key, (_, value) in best.items()}


def fallback(iri: str) -> str:
    if (path := iris.id_path(iri)) is not None:
        return path
    if (name := iris.graph_name(iri)) is not None:
        return "graph " + name
    if iri.startswith((AKG, iris.SHAPES_NS)):
        return iris.humanize(iris.local_name(iri))
    return iris.compact(iri)


def readable(iri: str) -> bool:
    """Whether the fallback of ``iri`` reads as words rather than as an identifier."""
    return iri.startswith(AKG) or iris.graph_name(iri) is not None


class Labels:
    """Collects the IRIs a page shows, then resolves all their labels at once."""

    def __init__(self):
        self._wanted: set[str] = set()
        self._known: dict[str, str] | None = None

    @classmethod
    def known(cls, found: dict[str, str]) -> Labels:
        """Labels already fetched (e.g. kept for a release by ``pages.cached``)."""
        labels = cls()
        labels._known = found
        return labels

    def want(self, *terms) -> None:
        for term in terms:
            if isinstance(term, ox.NamedNode):
                self._wanted.add(term.value)
            elif isinstance(term, str):
                self._wanted.add(term)

    def resolve(self) -> Labels:
        self._known = fetch(self._wanted)
        return self

    def _found(self) -> dict[str, str]:
        """The labels, fetched for the IRIs wanted so far if they were not yet."""
        if self._known is None:
            self._known = fetch(self._wanted)
        return self._known

    def label(self, iri: str) -> str:
        return self._found().get(iri) or fallback(iri)

    def link(self, term) -> Link:
        value = term.value if isinstance(term, ox.NamedNode) else str(term)
        known = self._found().get(value)
        return Link(value, known or fallback(value), iris.href(value),
                    known is not None or readable(value))
