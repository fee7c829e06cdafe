"""The network of persons and organizations: who met, criticised, reported on, appointed,
expelled, removed whom, who served in or belonged to which body, who was an associate or an
opponent of whom.

An edge is read from the graph, never guessed: from an event (its actors — decidedBy,
criticisedBy, carriedOutBy, reportedBy, hostedBy — to its targets — affectedPerson,
expelledPerson, about; the participants of a meeting with each other), from a post held (holder
to the body), or from a direct link (memberOf, associateOf, opposed, subOrganizationOf).  Each
edge keeps the events and the statements (factoids, with their quotes) it comes from, the
documents that state them and the dates of its events, so that it can be filtered by kind of
relation, document and date, and every drawn edge links to its words.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from archivekg.site.render import iris, pages, sparql
from archivekg.site.render.labels import Labels, Link, fetch

AKG = iris.ONTOLOGY_NS
ACTORS = ("decidedBy", "criticisedBy", "carriedOutBy", "reportedBy", "hostedBy", "signedBy", "issuedBy")
TARGETS = ("affectedPerson", "expelledPerson", "about")
TOGETHER = ("participant", "hostedBy", "carriedOutBy")       # of a meeting: who met
BODIES = ("expelledFrom", "removedFrom", "inOrganization", "holder", "appointedTo")
DIRECT = {"memberOf": "member of", "associateOf": "associate of", "opposed": "opposed",
          "subOrganizationOf": "part of"}
# The verb of an event's class, most specific first; an event of another class gives
# "acted on" (an actor and a target) or nothing.
VERBS = (("Criticism", "criticised"), ("Expulsion", "expelled"), ("Appointment", "appointed"),
         ("Removal", "removed"), ("Demotion", "demoted"), ("Transfer", "transferred"),
         ("Recall", "recalled"), ("Arrest", "arrested"), ("Report", "reported on"),
         ("Decree", "signed or issued"), ("PartyAction", "acted on"))
MEETINGS = ("Meeting", "Conversation", "Plenum")
RELATIONS = ("met", "criticised", "reported on", "appointed", "expelled", "expelled from", "removed",
             "removed from", "demoted", "transferred", "recalled", "arrested", "acted on", "served in",
             "member of", "associate of", "opposed", "part of", "signed or issued")
UNDIRECTED = {"met", "associate of"}
MOST_PARTICIPANTS = 40          # a plenum of hundreds would give tens of thousands of "met" pairs


@dataclass(frozen=True)
class Said:
    factoid: str
    quote: str
    document: str


@dataclass
class Edge:
    source: str
    target: str
    relation: str
    events: set[str] = field(default_factory=set)
    said: dict[str, Said] = field(default_factory=dict)      # by factoid
    dates: set[str] = field(default_factory=set)             # earliest days of its events

    @property
    def documents(self) -> set[str]:
        return {s.document for s in self.said.values()}

    @property
    def key(self) -> str:
        return f"{self.source}|{self.relation}|{self.target}"


@dataclass
class Graph:
    nodes: dict[str, str]                    # IRI -> kind ("person" or "organization")
    edges: list[Edge]
    labels: dict[str, str]
    documents: list[str]                     # every document that states an edge
    by_node: dict[str, list[Edge]] = field(default_factory=dict)


def _not_inferred() -> str:
    return f"FILTER(?g != {sparql.iri(iris.graph_iri('inferred'))})"


def _values(name: str, locals_: tuple[str, ...]) -> str:
    return f"VALUES ?{name} {{ {' '.join('akg:' + n for n in locals_)} }}"


def _agents() -> dict[str, str]:
    rows = sparql.select("""
        SELECT DISTINCT ?x ?c WHERE { VALUES ?c { akg:Person akg:Organization akg:Group } ?x a ?c }""")
    kinds: dict[str, str] = {}
    for row in rows:
        kind = "person" if sparql.bound(row, "c") == AKG + "Person" else "organization"
        if kinds.get(sparql.bound(row, "x")) != "person":
            kinds[sparql.bound(row, "x")] = kind
    return kinds


def _event_kinds() -> dict[str, str]:
    classes = [name for name, _ in VERBS] + list(MEETINGS) + ["Tenure"]
    rank = {AKG + name: i for i, name in enumerate(classes)}
    rows = sparql.select(f"SELECT ?e ?c WHERE {{ {_values('c', tuple(classes))} ?e a ?c }}")
    best: dict[str, str] = {}
    for row in rows:
        e, c = sparql.bound(row, "e"), sparql.bound(row, "c")
        if e not in best or rank[c] < rank[best[e]]:
            best[e] = c
    return {e: c[len(AKG):] for e, c in best.items()}


def _build() -> Graph:
    agents = _agents()
    kinds = _event_kinds()
    roles: dict[str, dict[str, set[str]]] = {}
    said: dict[tuple[str, str, str], list[Said]] = {}
    wanted_props = tuple(sorted(set(ACTORS + TARGETS + TOGETHER + BODIES)))
    for row in sparql.select(f"""
            SELECT ?e ?p ?o ?f ?quote ?doc WHERE {{
              {_values('p', wanted_props)}
              GRAPH ?g {{ ?e ?p ?o }} {_not_inferred()} FILTER(isIRI(?o))
              OPTIONAL {{ ?f akg:factSubject ?e ; akg:factProperty ?p ; akg:factObject ?o ;
                           akg:quote ?quote ; akg:sourceDocument ?doc }}
            }}"""):
        e, p, o = sparql.bound(row, "e"), sparql.bound(row, "p")[len(AKG):], sparql.bound(row, "o")
        roles.setdefault(e, {}).setdefault(p, set()).add(o)
        if row["f"] is not None:
            said.setdefault((e, p, o), []).append(Said(sparql.bound(row, "f"), sparql.bound(row, "quote"), sparql.bound(row, "doc")))
    dates = {sparql.bound(r, "e"): sparql.bound(r, "d") for r in sparql.select(
        "SELECT ?e (MIN(?day) AS ?d) WHERE { ?e akg:earliestDate ?day } GROUP BY ?e")}

    edges: dict[tuple[str, str, str], Edge] = {}

    def add(source: str, target: str, relation: str, event: str | None, sources: list[Said]) -> None:
        if source == target or source not in agents or target not in agents:
            return
        if relation in UNDIRECTED and target < source:
            source, target = target, source
        edge = edges.setdefault((source, target, relation), Edge(source, target, relation))
        if event:
            edge.events.add(event)
            if event in dates:
                edge.dates.add(dates[event])
        for item in sources:
            edge.said.setdefault(item.factoid, item)

    def words(event: str, prop: str, value: str) -> list[Said]:
        return said.get((event, prop, value), [])

    for event, by in roles.items():
        kind = kinds.get(event)
        if kind in MEETINGS:
            together = sorted(set().union(*(by.get(p, set()) for p in TOGETHER)) & set(agents))
            if len(together) <= MOST_PARTICIPANTS:
                for a, b in itertools.combinations(together, 2):
                    add(a, b, "met", event, [s for p in TOGETHER for x in (a, b) for s in words(event, p, x)])
            continue
        if kind == "Tenure":
            for holder in by.get("holder", ()):
                for body in by.get("inOrganization", ()):
                    add(holder, body, "served in", event, words(event, "holder", holder) +
                        words(event, "inOrganization", body))
            continue
        verb = next((v for name, v in VERBS if name == kind), None)
        if verb is None:
            continue
        actors = {(p, a) for p in ACTORS for a in by.get(p, ())}
        targets = {(p, t) for p in TARGETS for t in by.get(p, ())}
        for (pa, actor), (pt, target) in itertools.product(sorted(actors), sorted(targets)):
            add(actor, target, verb, event, words(event, pa, actor) + words(event, pt, target))
        for pt, target in sorted(targets):
            for body in sorted(by.get("expelledFrom", ())):
                add(target, body, "expelled from", event, words(event, pt, target) + words(event, "expelledFrom", body))
            for body in sorted(by.get("removedFrom", ())):
                bodies = {body} if body in agents else roles.get(body, {}).get("inOrganization", set())
                for found in sorted(bodies):
                    add(target, found, "removed from", event, words(event, pt, target) +
                        words(event, "removedFrom", body))

    for row in sparql.select(f"""
            SELECT ?s ?p ?o ?f ?quote ?doc WHERE {{
              {_values('p', tuple(DIRECT))}
              GRAPH ?g {{ ?s ?p ?o }} {_not_inferred()} FILTER(isIRI(?o))
              OPTIONAL {{ ?f akg:factSubject ?s ; akg:factProperty ?p ; akg:factObject ?o ;
                           akg:quote ?quote ; akg:sourceDocument ?doc }}
            }}"""):
        sources = [Said(sparql.bound(row, "f"), sparql.bound(row, "quote"), sparql.bound(row, "doc"))] if row["f"] is not None else []
        add(sparql.bound(row, "s"), sparql.bound(row, "o"), DIRECT[sparql.bound(row, "p")[len(AKG):]], None, sources)

    kept = [edge for edge in edges.values() if edge.said]      # an edge without words is not shown
    used = {e.source for e in kept} | {e.target for e in kept}
    documents = sorted({d for e in kept for d in e.documents})
    labels = fetch(used | set(documents) | {ev for e in kept for ev in e.events})
    built = Graph({n: agents[n] for n in used}, sorted(kept, key=lambda e: e.key), labels, documents)
    for edge in built.edges:
        built.by_node.setdefault(edge.source, []).append(edge)
        built.by_node.setdefault(edge.target, []).append(edge)
    return built


def graph() -> Graph:
    return pages.cached("network", _build)


# -- filtering and the view --------------------------------------------------------------

@dataclass
class Filters:
    relations: set[str]
    document: str | None
    since: str | None            # ISO date (a year means its first day)
    until: str | None            # ISO date (a year means its last day)
    focus: str | None            # an agent: its ego network only

    def keep(self, edge: Edge) -> bool:
        if self.relations and edge.relation not in self.relations:
            return False
        if self.document and self.document not in edge.documents:
            return False
        if self.focus and self.focus not in (edge.source, edge.target):
            return False
        if self.since or self.until:
            inside = [d for d in edge.dates if (not self.since or d >= self.since) and
                      (not self.until or d <= self.until)]
            if not inside:
                return False
        return True


@dataclass
class EdgeView:
    id: str
    source: Link
    target: Link
    relation: str
    directed: bool
    events: list[Link]
    statements: list[tuple[str, Link, str | None]]      # (quote, document, statement link), the first ones
    first: str | None
    last: str | None
    said: int = 0                                       # how many statements in all


@dataclass
class NodeView:
    id: str
    link: Link
    kind: str
    degree: int


STATEMENTS_KEPT = 4


def view(filters: Filters, *, most_nodes: int) -> dict:
    """The edges that pass ``filters`` among the ``most_nodes`` most connected nodes; the
    unfiltered view is kept for the release (and for the address the pages are served at)."""
    if not (filters.relations or filters.document or filters.since or filters.until or filters.focus):
        return pages.cached(f"network-view {most_nodes} {iris.root()}", lambda: _view(filters, most_nodes))
    return _view(filters, most_nodes)


def _view(filters: Filters, most_nodes: int) -> dict:
    found = graph()
    candidates = found.by_node.get(filters.focus, []) if filters.focus else found.edges
    edges = [e for e in candidates if filters.keep(e)]
    degree: dict[str, int] = {}
    for edge in edges:
        degree[edge.source] = degree.get(edge.source, 0) + 1
        degree[edge.target] = degree.get(edge.target, 0) + 1
    total_nodes = len(degree)
    # Thousands of nodes are unreadable: keep the most connected (and the focus) and say so.
    ranked = sorted(degree, key=lambda n: (-degree[n], found.labels.get(n, n)))
    shown = set(ranked[:most_nodes])
    if filters.focus:
        shown.add(filters.focus)
    edges = [e for e in edges if e.source in shown and e.target in shown]
    labels = Labels.known(found.labels)
    nodes = [NodeView(_node_id(n), labels.link(n), found.nodes.get(n, "organization"), degree[n])
             for n in ranked if n in shown]
    edge_views = []
    for index, edge in enumerate(edges, start=1):
        said = sorted(edge.said.values(), key=lambda s: (s.document, s.factoid))
        statements = [(s.quote, labels.link(s.document), iris.href(s.factoid)) for s in said[:STATEMENTS_KEPT]]
        ordered = sorted(edge.dates)
        edge_views.append(EdgeView(f"edge-{index}", labels.link(edge.source), labels.link(edge.target),
                                   edge.relation, edge.relation not in UNDIRECTED,
                                   sorted((labels.link(ev) for ev in edge.events), key=lambda link: link.label),
                                   statements, ordered[0] if ordered else None, ordered[-1] if ordered else None,
                                   len(said)))
    return {"nodes": nodes, "edges": edge_views, "total_nodes": total_nodes, "shown_nodes": len(nodes),
            "documents": [labels.link(d) for d in found.documents]}


def _node_id(iri: str) -> str:
    return "n-" + (iris.id_path(iri) or iri).replace("/", "-")


# -- the ego network of a page, drawn on the server ----------------------------------------

@dataclass
class EgoNode:
    link: Link
    kind: str
    x: float
    y: float
    anchor: str
    label_x: float = 0
    label_y: float = 0
    align: str = "middle"


@dataclass
class EgoEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    relations: list[str]
    href: str
    title: str


def ego(iri: str, *, most: int = 24, size: int = 360, margin: int = 130) -> dict | None:
    """The ego network of ``iri`` drawn radially (the ego in the middle, its neighbours on a
    circle, the most connected first); None when it has no edge."""
    found = view(Filters(set(), None, None, None, iri), most_nodes=10_000)
    if not found["edges"]:
        return None
    by_neighbour: dict[str, list[EdgeView]] = {}
    for edge in found["edges"]:
        other = edge.target if edge.source.iri == iri else edge.source
        by_neighbour.setdefault(other.iri, []).append(edge)
    neighbours = sorted(by_neighbour, key=lambda n: (-len(by_neighbour[n]), by_neighbour[n][0].source.label))
    hidden = max(0, len(neighbours) - most)
    neighbours = neighbours[:most]
    kinds = {n.link.iri: n.kind for n in found["nodes"]}
    width = size + 2 * margin
    cx, cy = width / 2, size / 2
    ring = size / 2 - 30
    me = next(n for n in found["nodes"] if n.link.iri == iri)
    nodes, edges = [EgoNode(me.link, me.kind, cx, cy, "ego", cx, cy + 24, "middle")], []
    for index, other in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * index / max(1, len(neighbours))
        x, y = cx + ring * math.cos(angle), cy + ring * math.sin(angle)
        group = by_neighbour[other]
        link = group[0].target if group[0].source.iri == iri else group[0].source
        anchor = f"ego-{index + 1}"
        # Names point away from the middle, so that they do not cross the lines or each other.
        align = "middle" if abs(math.cos(angle)) < 0.2 else ("start" if math.cos(angle) > 0 else "end")
        nodes.append(EgoNode(link, kinds.get(other, "organization"), x, y, anchor,
                             x + 12 * math.cos(angle), y + 12 * math.sin(angle) + 4, align))
        relations = sorted({e.relation for e in group})
        edges.append(EgoEdge(cx, cy, x, y, relations, f"#{anchor}",
                             f"{me.link.label} — {', '.join(relations)} — {link.label}"))
    rows = [(node, by_neighbour[node.link.iri]) for node in nodes[1:]]
    return {"width": width, "height": size, "nodes": nodes, "edges": edges, "rows": rows, "hidden": hidden}
