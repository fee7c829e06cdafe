"""Labels of many things at once, for the views that show thousands of them (map, network,
timeline).  ``labels.fetch`` asks for each batch of IRIs with VALUES, which costs a few tenths of
a second a batch on a large graph; here the labels of our own properties (akg:name, akg:label,
akg:title: the first three of labels.LABEL_PROPERTIES, in that order of preference) are read in
one query per release, and ``labels.fetch`` is asked only for what they leave out."""

from __future__ import annotations

from archivekg.site.render import pages, sparql
from archivekg.site.render.labels import LABEL_PROPERTIES, fetch

OURS = LABEL_PROPERTIES[:3]


def _ours() -> dict[str, str]:
    rank = {p: i for i, p in enumerate(OURS)}
    best: dict[str, tuple[int, str]] = {}
    rows = sparql.select(f"SELECT ?x ?p ?l WHERE {{ {sparql.values('p', OURS)} ?x ?p ?l "
                         "FILTER(isIRI(?x) && isLITERAL(?l)) }")
    for row in rows:
        key, found = row["x"].value, (rank[row["p"].value], row["l"].value)
        if key not in best or found < best[key]:
            best[key] = found
    return {key: value for key, (_, value) in best.items()}


def labels_of(iris) -> dict[str, str]:
    ours = pages.cached("labels-ours", _ours)
    wanted = {i for i in iris if i}
    found = {i: ours[i] for i in wanted if i in ours}
    rest = wanted - set(found)
    if rest:
        found.update(fetch(rest))
    return found
