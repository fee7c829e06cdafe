"""The entities of the served graph as reconciliation sees them: their names (a ``NameIndex``),
a card for each (name, types, description, how many documents name it), and their facts.

``entity_index()`` is the one place the name index of the persons, organizations, groups and
places comes from; it is built here from the served graph through the worker pool and cached
per release (``pages.cached``).  Entity ids in the index are IRIs; the type of an entry is its
most specific class of our ontology (``Island``), its weight the number of documents that name
it (``akg:mentions``).  Events, decrees and documents have an index of their own
(``thing_index()``), built when a query first needs it.

Entities are the members of our classes Person, Organization, Group, Place, Event, Decree and
ArchivalDocument, and of their subclasses (a tenure, a post held, is not one).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import current_app

from archivekg.names import NameIndex
from archivekg.namespaces import AKG, PREFIXES
from archivekg.reconcile.matching import Card, Catalogue, NameParts, TypeInfo, TypeTable
from archivekg.reconcile.properties import (
    DECREE,
    DOCUMENT,
    EVENT,
    EXCLUDED_TYPES,
    GROUP,
    ORGANIZATION,
    PERSON,
    PLACE,
    ROOT_TYPES,
    Facts,
    Post,
)
from archivekg.site.render import iris, pages, sparql

#: Whatever the served graph holds, an answer this long is read whole (the default cut of
#: MAX_RESULTS is for people's queries).
NO_LIMIT = 50_000_000
CHUNK = 400
OWN_DATES = THING_ROOTS = frozenset({EVENT, DECREE, DOCUMENT})
REGISTRY_ROOTS = frozenset({PERSON, ORGANIZATION, GROUP, PLACE})
NAME_PROPERTIES = ("name", "label", "title", "decreeTitle", "nameVariant", "nameInScript", "decreeNumber",
                   "documentNumber")
OTHER_NAMES = (PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "altLabel", PREFIXES["rdfs"] + "label")
DESCRIPTION_LENGTH = 180
TIES = ("origin", "tookPlaceAt", "movedFrom", "movedTo", "placeOfWriting", "partOfPlace")
RDFS_LABEL = PREFIXES["rdfs"] + "label"
RDFS_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"


@dataclass
class Snapshot:
    types: TypeTable
    classes: list[str]                       # IRIs of every reconcilable class
    names: dict[str, list[tuple[str, str | None]]]
    catalogue: Catalogue


def entity_index() -> NameIndex:
    """The name index of the served release's persons, organizations, groups and places (the
    registries' kinds; ids: IRIs)."""
    return pages.cached("reconcile-name-index", lambda: _index(snapshot(), REGISTRY_ROOTS))


def thing_index() -> NameIndex:
    """The name index of the events, decrees and documents: their labels and titles are
    many and long (at 10,000 documents, two thirds of the names and most of the time to
    index them), so it is built only when a query asks for them."""
    return pages.cached("reconcile-thing-index", lambda: _index(snapshot(), THING_ROOTS))


def name_parts() -> NameParts:
    return NameParts([(REGISTRY_ROOTS, entity_index), (THING_ROOTS, thing_index)])


def catalogue() -> Catalogue:
    return snapshot().catalogue


def snapshot() -> Snapshot:
    return pages.cached("reconcile-snapshot", _snapshot)


def _index(found: Snapshot, roots: frozenset[str]) -> NameIndex:
    entries = []
    for iri, card in found.catalogue.cards.items():
        if card.root not in roots:
            continue
        names = found.names.get(iri) or [(card.name, None)]
        entries.append((iri, card.types[0], names, card.weight))
    return NameIndex(entries)


def reconcile_id(iri: str) -> str:
    """The id a client sees: ``kim-il-sung`` for ``<BASE>id/kim-il-sung``, else the IRI."""
    return iris.id_path(iri) or iri


# -- building the snapshot ----------------------------------------------------------------

def _snapshot() -> Snapshot:
    table = type_table()
    classes = [AKG + tid for tid in table.types]
    types_of: dict[str, set[str]] = defaultdict(set)
    for row in _select(f"SELECT ?x ?c WHERE {{ {sparql.values('c', classes)} ?x a ?c FILTER(isIRI(?x)) }}"):
        types_of[row["x"].value].add(row["c"].value[len(AKG):])
    excluded = [AKG + tid for tid in sorted(EXCLUDED_TYPES)]
    for row in _select(f"SELECT DISTINCT ?x WHERE {{ {sparql.values('c', excluded)} ?x a ?c }}"):
        types_of.pop(row["x"].value, None)
    names = _names(types_of.keys())
    weights = {row["x"].value: sparql.integer(row["n"]) or 0 for row in _select(
        "SELECT ?x (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d akg:mentions ?x } GROUP BY ?x")}
    details = _details(types_of.keys())
    cards = []
    for iri, own in types_of.items():
        ordered = _most_specific_first(table, own)
        entity_names = names.get(iri) or []
        name = entity_names[0][0] if entity_names else iris.humanize(iris.local_name(iri))
        cards.append(Card(iri, reconcile_id(iri), name, tuple(ordered),
                          _description(table, ordered, details.get(iri, {})), weights.get(iri, 0)))
    catalogue = Catalogue(cards, table, iris.base() + "id/")
    return Snapshot(table, classes, names, catalogue)


def type_table() -> TypeTable:
    """Our root classes and their subclasses, as our ontology (ONTOLOGY_DIR) and the served
    graph declare them: served files without the ontology still type their entities with our
    classes (a City is a Place)."""
    return pages.cached("reconcile-types", _type_table)


def _type_table() -> TypeTable:
    labels: dict[str, str] = {root: iris.humanize(root) for root in ROOT_TYPES}
    parents: dict[str, set[str]] = {root: set() for root in ROOT_TYPES}
    edges = list(_ontology_file_classes(current_app.config["ONTOLOGY_DIR"]))
    for row in _select(f"""
            SELECT ?c ?label ?parent WHERE {{
              ?c rdfs:subClassOf ?parent FILTER(STRSTARTS(STR(?c), {json.dumps(AKG)}))
              OPTIONAL {{ ?c rdfs:label ?label FILTER(LANG(?label) IN ("", "en")) }} }}"""):
        edges.append((row["c"].value, sparql.text(row["label"]), row["parent"].value))
    for row in _select(f"""
            SELECT ?c ?label WHERE {{ VALUES ?c {{ {" ".join(f"akg:{root}" for root in ROOT_TYPES)} }}
              ?c rdfs:label ?label FILTER(LANG(?label) IN ("", "en")) }}"""):
        edges.append((row["c"].value, row["label"].value, None))
    for child, label, parent in edges:
        tid = child[len(AKG):]
        if tid in EXCLUDED_TYPES:
            continue
        parents.setdefault(tid, set())
        if label:
            labels[tid] = label
        if parent is not None and parent.startswith(AKG) and tid not in ROOT_TYPES:
            parents[tid].add(parent[len(AKG):])
    infos = []
    for tid, found in parents.items():
        found = {p for p in found if p != tid and p in parents and p not in EXCLUDED_TYPES}
        root = tid if tid in ROOT_TYPES else _root_of(tid, parents)
        if root is None:
            continue
        infos.append(TypeInfo(tid, labels.get(tid, iris.humanize(tid)), tuple(sorted(found)), root))
    table = TypeTable(infos, AKG)
    # Keep only the direct parents: the union graph may hold the closure of subClassOf.
    direct = []
    for info in infos:
        ancestors = {a for p in info.parents for a in table.ancestors(p)}
        direct.append(TypeInfo(info.id, info.name, tuple(p for p in info.parents if p not in ancestors), info.root))
    return TypeTable(direct, AKG)


@lru_cache(maxsize=4)
def _ontology_file_classes(folder: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """(class, English label, superclass) of our classes in the ontology's Turtle files."""
    found: dict[str, list] = {}
    for path in sorted(Path(folder).glob("*.ttl")):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject = quad.subject.value
            if not subject.startswith(AKG):
                continue
            entry = found.setdefault(subject, [None, set()])
            if quad.predicate.value == RDFS_LABEL and getattr(quad.object, "language", None) in (None, "en"):
                entry[0] = quad.object.value
            elif quad.predicate.value == RDFS_SUBCLASS and quad.object.value.startswith(AKG):
                entry[1].add(quad.object.value)
    edges = []
    for subject, (label, supers) in sorted(found.items()):
        edges += [(subject, label, parent) for parent in sorted(supers)] or [(subject, label, None)]
    return tuple(edges)


def _root_of(tid: str, parents: dict[str, set[str]]) -> str | None:
    seen, stack = set(), [tid]
    while stack:
        current = stack.pop()
        if current in ROOT_TYPES:
            return current
        if current in seen:
            continue
        seen.add(current)
        stack.extend(parents.get(current, ()))
    return None


def _most_specific_first(table: TypeTable, own: set[str]) -> list[str]:
    ancestors = {a for tid in own for a in table.ancestors(tid)}
    specific = sorted(own - ancestors)
    rest = []
    for tid in specific:
        rest += [a for a in table.ancestors(tid) if a not in rest and a not in specific]
    rest += sorted(own - set(specific) - set(rest))
    return specific + rest


# The snapshot's queries read each property whole and keep the entities' rows here: joined
# with the entities' classes in SPARQL they took 10-15 times longer at 10,000 documents.

def _names(entities) -> dict[str, list[tuple[str, str | None]]]:
    wanted = set(entities)
    ours = [AKG + p for p in NAME_PROPERTIES]
    rank = {p: i for i, p in enumerate(ours + list(OTHER_NAMES) + [AKG + "nameAsWritten"])}
    found: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)

    def keep(rows) -> None:
        for row in rows:
            text = row["n"].value.strip()
            if text and row["x"].value in wanted:
                found[row["x"].value].append((rank[row["p"].value], text, getattr(row["n"], "language", None)))

    keep(_select(f"SELECT ?x ?p ?n WHERE {{ {sparql.values('p', ours)} ?x ?p ?n FILTER(isLITERAL(?n)) }}"))
    # Labels of other vocabularies, for entities our vocabulary leaves unnamed (served files);
    # in a build they only repeat ours.
    for chunk in _chunks(sorted(wanted - set(found))):
        keep(_select(f"SELECT ?x ?p ?n WHERE {{ {sparql.values('x', chunk)} {sparql.values('p', OTHER_NAMES)} "
                     "?x ?p ?n FILTER(isLITERAL(?n)) }"))
    # Names as the documents write them ("Kim", "Kim Il Sung's"): mentions, never labels, so
    # they come last, but a partner's sheet copied from the documents writes them too.
    keep(_select("SELECT DISTINCT ?x ?p ?n WHERE { ?m akg:refersTo ?x ; akg:nameAsWritten ?n "
                 "BIND(akg:nameAsWritten AS ?p) FILTER(isLITERAL(?n)) }"))
    names = {}
    for iri, items in found.items():
        seen, ordered = set(), []
        for _, text, lang in sorted(items, key=lambda item: (item[0], item[1])):
            if (text, lang) not in seen:
                seen.add((text, lang))
                ordered.append((text, lang))
        names[iri] = ordered
    return names


def _details(entities) -> dict[str, dict[str, str]]:
    wanted = set(entities)
    found: dict[str, dict[str, str]] = defaultdict(dict)
    rows = _select("""SELECT ?x ?p ?v WHERE {
        VALUES ?p { dcterms:description skos:note akg:date akg:documentType } ?x ?p ?v FILTER(isLITERAL(?v)) }""")
    # The first value of each in a fixed order, whatever order the engine gives.
    for row in sorted((r for r in rows if r["x"].value in wanted), key=lambda r: r["v"].value):
        key = row["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        found[row["x"].value].setdefault(key, row["v"].value)
    return found


def _description(table: TypeTable, types: list[str], details: dict[str, str]) -> str:
    words = [details.get("documentType") or (table.label(types[0]) if types else "Thing")]
    if details.get("date"):
        words.append(details["date"])
    text = details.get("description") or details.get("note")
    if text:
        words.append(_shorten(text))
    return " · ".join(words)


def _shorten(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    sentence = re.match(r"(.+?[.;])(\s|$)", text)
    if sentence and len(sentence.group(1)) <= DESCRIPTION_LENGTH:
        return sentence.group(1).rstrip(";")
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + "…"


def _select(body: str) -> list[dict]:
    return sparql.select(body, limit=NO_LIMIT)


def _chunks(items: Sequence[str]):
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


# -- facts, per request ---------------------------------------------------------------------

class GraphFacts:
    """The facts of entities, read from the served graph when a query or an extension asks."""

    def __init__(self, found: Snapshot):
        self.snapshot = found
        self.cards = found.catalogue.cards

    def facts(self, wanted: Mapping[str, Sequence[str]], *, documents: Sequence[str] | None = None,
              limit: int | None = None) -> dict[str, Facts]:
        result = {iri: Facts() for iris_ in wanted.values() for iri in iris_}

        def each(pids: tuple[str, ...]):
            chosen = sorted({iri for pid in pids for iri in wanted.get(pid, ())})
            yield from _chunks(chosen)

        for chunk in each(("document",)):
            self._documents(chunk, result, documents, limit)
        for chunk in each(("post", "organization")):
            self._posts(chunk, result)
        for chunk in each(("organization",)):
            self._organizations(chunk, result)
        for chunk in each(("date",)):
            self._dates(chunk, result)
        for chunk in each(("place", "partOfPlace")):
            self._places(chunk, result)
        for chunk in each(("wikidata",)):
            for row in _select(f"SELECT DISTINCT ?x ?q WHERE {{ {sparql.values('x', chunk)} ?x akg:wikidata ?q }}"):
                result[row["x"].value].wikidata.add(row["q"].value.strip())
        for chunk in each(("link",)):
            self._links(chunk, result)
        for iri in wanted.get("variant", ()):
            result[iri].names = [text for text, _ in self.snapshot.names.get(iri, [])]
        for iri, facts in result.items():
            card = self.cards.get(iri)
            facts.document_count = card.weight if card else 0
            facts.own_date = bool(card and card.root in OWN_DATES)
        return result

    def _name(self, iri: str, fallback=None) -> str:
        card = self.cards.get(iri)
        if card is not None:
            return card.name
        return fallback.value if fallback is not None else iris.humanize(iris.local_name(iri))

    def _documents(self, chunk, result, among, limit) -> None:
        if among is not None:
            if not among:
                return
            rows = _select(f"SELECT ?x ?d WHERE {{ {sparql.values('x', chunk)} {sparql.values('d', among)} "
                           "?d akg:mentions ?x }")
        else:
            rows = _select(f"""
                SELECT ?x ?d (MIN(?day) AS ?first) WHERE {{ {sparql.values('x', chunk)} ?d akg:mentions ?x
                  OPTIONAL {{ ?d akg:earliestDate ?day }} }}
                GROUP BY ?x ?d ORDER BY ?x ?first ?d""")
        for row in rows:
            held = result[row["x"].value].documents
            if limit is None or len(held) < limit:
                held[row["d"].value] = self._name(row["d"].value)

    def _posts(self, chunk, result) -> None:
        posts: dict[tuple[str, str], Post] = {}
        for row in _select(f"""
                SELECT DISTINCT ?x ?t ?title ?org ?orgName ?edtf ?from ?to WHERE {{
                  {sparql.values('x', chunk)} ?t akg:holder ?x
                  OPTIONAL {{ ?t akg:positionTitle ?title }}
                  OPTIONAL {{ ?t akg:inOrganization ?org OPTIONAL {{ ?org akg:name ?orgName }} }}
                  OPTIONAL {{ ?t akg:date ?edtf }} OPTIONAL {{ ?t akg:earliestDate ?from }}
                  OPTIONAL {{ ?t akg:latestDate ?to }} }} ORDER BY ?x ?from ?t"""):
            key = (row["x"].value, row["t"].value)
            post = posts.get(key)
            if post is None:
                post = posts[key] = Post(sparql.text(row["title"]), {}, sparql.text(row["edtf"]),
                                         sparql.text(row["from"]), sparql.text(row["to"]))
                result[key[0]].posts.append(post)
            if row["org"] is not None:
                post.organizations[row["org"].value] = self._name(row["org"].value, row["orgName"])

    def _organizations(self, chunk, result) -> None:
        for row in _select(f"""
                SELECT DISTINCT ?x ?o WHERE {{ {sparql.values('x', chunk)}
                  {{ ?x akg:memberOf ?o }} UNION {{ ?x akg:subOrganizationOf ?o }} FILTER(isIRI(?o)) }}"""):
            result[row["x"].value].organizations[row["o"].value] = self._name(row["o"].value)
        for iri in chunk:
            for post in result[iri].posts:
                result[iri].organizations.update(post.organizations)

    def _dates(self, chunk, result) -> None:
        for row in _select(f"""
                SELECT DISTINCT ?x ?edtf ?from ?to WHERE {{ {sparql.values('x', chunk)} ?x akg:date ?edtf
                  OPTIONAL {{ ?x akg:earliestDate ?from }} OPTIONAL {{ ?x akg:latestDate ?to }} }}
                ORDER BY ?x ?from"""):
            card = self.cards.get(row["x"].value)
            if card is not None and card.root in OWN_DATES:
                result[row["x"].value].dates.append(
                    (row["edtf"].value, sparql.text(row["from"]), sparql.text(row["to"])))
        agents = [iri for iri in chunk if not (self.cards.get(iri) and self.cards[iri].root in OWN_DATES)]
        if not agents:
            return
        for row in _select(f"""
                SELECT ?x (MIN(?from) AS ?first) (MAX(?to) AS ?last) WHERE {{ {sparql.values('x', agents)}
                  {{ ?d akg:mentions ?x ; akg:earliestDate ?from ; akg:latestDate ?to }}
                  UNION {{ ?t akg:holder ?x ; akg:earliestDate ?from ; akg:latestDate ?to }}
                }} GROUP BY ?x"""):
            first, last = sparql.text(row["first"]), sparql.text(row["last"])
            if first and last:
                edtf = first if first == last else f"{first}/{last}"
                result[row["x"].value].dates.append((edtf, first, last))

    def _places(self, chunk, result) -> None:
        ties = "|".join(f"akg:{p}" for p in TIES)
        inferred = sparql.iri(iris.graph_iri("inferred"))
        for row in _select(f"""
                SELECT DISTINCT ?x ?p ?direct WHERE {{ {sparql.values('x', chunk)}
                  {{ GRAPH ?g {{ ?x {ties} ?p }} FILTER(?g != {inferred}) BIND(true AS ?direct) }}
                  UNION {{ ?x ({ties})/akg:partOfPlace+ ?p BIND(false AS ?direct) }}
                  FILTER(isIRI(?p)) }}"""):
            x, place = row["x"].value, row["p"].value
            direct = row["direct"].value == "true"
            name, before = self._name(place), result[x].places.get(place, ("", False))[1]
            result[x].places[place] = (name, direct or before)
        for row in _select(f"""
                SELECT DISTINCT ?x ?p WHERE {{ {sparql.values('x', chunk)}
                  GRAPH ?g {{ ?x akg:partOfPlace ?p }} FILTER(?g != {inferred}) FILTER(isIRI(?p)) }}"""):
            result[row["x"].value].part_of[row["p"].value] = self._name(row["p"].value)

    def _links(self, chunk, result) -> None:
        base = json.dumps(iris.base())
        for row in _select(f"""
                SELECT DISTINCT ?x ?p ?o WHERE {{ {sparql.values('x', chunk)}
                  VALUES ?p {{ owl:sameAs skos:closeMatch }} ?x ?p ?o
                  FILTER(isIRI(?o) && !STRSTARTS(STR(?o), {base})) }}"""):
            kind = "sameAs" if row["p"].value.endswith("sameAs") else "closeMatch"
            current = result[row["x"].value].links.get(row["o"].value)
            result[row["x"].value].links[row["o"].value] = "sameAs" if current == "sameAs" else kind

    def lookup(self, pid: str, values: Sequence[str]) -> set[str]:
        values = list(values)
        if not values:
            return set()
        if pid == "wikidata":
            literals = " ".join(json.dumps(v) for v in values if re.fullmatch(r"Q[1-9][0-9]*", v))
            if not literals:
                return set()
            body = f"SELECT DISTINCT ?x WHERE {{ VALUES ?q {{ {literals} }} ?x akg:wikidata ?q }}"
        elif pid == "link":
            try:
                block = sparql.values("o", values)
            except ValueError:
                return set()
            body = f"SELECT DISTINCT ?x WHERE {{ {block} ?x owl:sameAs|skos:closeMatch ?o }}"
        elif pid == "document":
            body = f"SELECT DISTINCT ?x WHERE {{ {sparql.values('d', values)} ?d akg:mentions ?x }}"
        elif pid in ("place", "partOfPlace"):
            path = "akg:partOfPlace+" if pid == "partOfPlace" else \
                "(" + "|".join(f"akg:{p}" for p in TIES) + ")/akg:partOfPlace*"
            body = f"SELECT DISTINCT ?x WHERE {{ {sparql.values('p', values)} ?x {path} ?p }}"
        elif pid == "organization":
            body = (f"SELECT DISTINCT ?x WHERE {{ {sparql.values('o', values)} "
                    "{ ?x akg:memberOf|akg:subOrganizationOf ?o } UNION { ?t akg:holder ?x ; akg:inOrganization ?o } }")
        else:
            return set()
        return {row["x"].value for row in _select(body) if row["x"].value in self.cards}
