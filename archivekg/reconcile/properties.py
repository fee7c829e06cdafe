"""The properties of our entities that a reconciliation query can match on and a data
extension can fetch as columns, and the facts behind them.

The same ids serve both (the 0.2 specification ties the properties of queries to those of data
extension): ``post`` in a query disambiguates two Kims, and ``post`` in an extension fills a
column with the posts each person held.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERSON, ORGANIZATION, GROUP, PLACE = "Person", "Organization", "Group", "Place"
EVENT, DECREE, DOCUMENT = "Event", "Decree", "ArchivalDocument"
#: The classes of our ontology whose members can be reconciled, each with its subclasses.
ROOT_TYPES = (PERSON, ORGANIZATION, GROUP, PLACE, EVENT, DECREE, DOCUMENT)
#: Subclasses of a root that are not things a historian looks up (a tenure is a post held).
EXCLUDED_TYPES = frozenset({"Tenure"})
AGENTS_AND_PLACES = frozenset({PERSON, ORGANIZATION, GROUP, PLACE})
EVERYTHING = frozenset(ROOT_TYPES)


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str
    roots: frozenset[str]           # the root types whose entities can have it
    entities: bool = False          # values are entities of ours (extension rows give id and name)
    #: how a value that differs from all the entity's values weighs: "strong" (an id that
    #: names another entity), "weak" (the entity may well have values we do not record), or
    #: "none" (a difference says nothing)
    conflict: str = "weak"


PROPERTIES = (
    Property("document", "Documents that name it",
             "An archival document of this corpus that names the entity: its id, or its title or number.",
             frozenset({PERSON, ORGANIZATION, GROUP, PLACE, EVENT, DECREE}), entities=True, conflict="none"),
    Property("post", "Posts held",
             "A post the person held, as the documents name it (\"Minister of Internal Affairs\"), "
             "with the body it was held in.", frozenset({PERSON}), conflict="none"),
    Property("organization", "Bodies",
             "A body the person belonged to or held a post in, or the body an organization is part of.",
             frozenset({PERSON, ORGANIZATION}), entities=True, conflict="none"),
    Property("date", "Dates",
             "For an event, a decree or a document: its date.  For a person, a body or a place: the "
             "dates of the documents that name it.  EDTF (1955, 1955-12, 1955-12-07, 1955-12/1956).",
             EVERYTHING),
    Property("place", "Places",
             "A place the entity is tied to: where a person or group came from, where an event took "
             "place or where people were moved, where a document was written, or a larger place a "
             "place lies in.", frozenset({PERSON, GROUP, PLACE, EVENT, DOCUMENT}), entities=True),
    Property("partOfPlace", "Part of",
             "The larger place a place lies in, as a document says.", frozenset({PLACE}), entities=True),
    Property("wikidata", "Wikidata id", "The Wikidata item of the entity (Q41117).", EVERYTHING,
             conflict="strong"),
    Property("link", "Links to other datasets",
             "An IRI in another dataset linked to the entity (owl:sameAs, skos:closeMatch).", EVERYTHING,
             conflict="none"),
    Property("variant", "Names",
             "The preferred name and the other forms in which the documents write it.", EVERYTHING,
             conflict="none"),
)
BY_ID = {prop.id: prop for prop in PROPERTIES}


def for_root(root: str | None) -> list[Property]:
    """The properties entities of a root type can have (all of them for None)."""
    return [prop for prop in PROPERTIES if root is None or root in prop.roots]


# -- the facts of one entity --------------------------------------------------------------

@dataclass
class Post:
    title: str | None
    organizations: dict[str, str]               # IRI → name
    date: str | None                             # EDTF as written
    earliest: str | None = None                  # ISO days
    latest: str | None = None

    def text(self) -> str:
        words = [self.title or "post"]
        if self.organizations:
            words.append(", ".join(sorted(self.organizations.values())))
        text = ", ".join(words)
        return f"{text} ({self.date})" if self.date else text


@dataclass
class Facts:
    """What the matcher compares and the extension returns, for one entity.  A fact source
    fills the fields it was asked for; the others stay empty."""

    documents: dict[str, str] = field(default_factory=dict)       # IRI → title
    document_count: int = 0
    posts: list[Post] = field(default_factory=list)
    organizations: dict[str, str] = field(default_factory=dict)   # IRI → name
    dates: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # EDTF, first, last day
    own_date: bool = False                                          # dates are its own, not attested
    places: dict[str, tuple[str, bool]] = field(default_factory=dict)  # IRI → (name, direct)
    part_of: dict[str, str] = field(default_factory=dict)
    wikidata: set[str] = field(default_factory=set)
    links: dict[str, str] = field(default_factory=dict)            # IRI → sameAs | closeMatch
    names: list[str] = field(default_factory=list)
