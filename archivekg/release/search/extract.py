"""What the search index holds, read from a release's store: one ``Record`` per hit.

Every fact a hit needs is read in a few bulk queries over the union of the graphs (not one
query per hit): at ten thousand documents that is the difference between seconds and
minutes.  The same functions serve the full build (``documents``/``entities`` None: all of
them) and the rebuild (only the changed documents and the entities they touch).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import tantivy

from archivekg.names import document_numbers
from archivekg.namespaces import AKG, INFERRED, PREFIXES, graph_iri
from archivekg.release.search.passages import passages
from archivekg.release.search.schema import UNDATED

PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
SKOS = PREFIXES["skos"]
DCTERMS = PREFIXES["dcterms"]
RDFS_LABEL = PREFIXES["rdfs"] + "label"

#: The kinds of entity, most specific first (a Decree is no Event, a Group may be an Organization).
CATEGORIES = (("ArchivalDocument", "document"), ("Decree", "decree"), ("Person", "person"),
              ("Group", "group"), ("Organization", "organization"), ("Place", "place"),
              ("Event", "event"))
#: Labels in order of preference.
LABELS = ("name", "label", "title", "decreeTitle", "positionTitle")
#: Literals that are names of the thing (searched as names), and texts about it.
NAMES = ("name", "nameVariant", "nameInScript", "label", "title", "decreeTitle", "decreeNumber", "documentNumber")
TEXTS = (SKOS + "note", DCTERMS + "description", AKG + "summary", AKG + "topic", AKG + "reason",
         AKG + "outcome", AKG + "aim", AKG + "provision", AKG + "positionTitle", AKG + "documentType")
PARENTS = ("partOfPlace", "partOfEvent", "subOrganizationOf")
SHOWN_DOCUMENTS = 3
#: Oxigraph joins a VALUES block row by row: past this many IRIs a scan of the whole
#: predicate is faster (measured at 1,000 documents: 2,764 IRIs 6.1 s, the scan 0.3 s).
LONGEST_VALUES = 200
REGISTRY = frozenset({"person", "organization", "group", "place"})


@dataclass
class Record:
    key: str
    kind: str                      # entity | statement | passage
    category: str                  # person ... document, statement, passage
    type: str                      # the class (Person, Island, Resettlement, Statement, Passage)
    iri: str                       # what the hit links to
    label: str
    source: str = ""               # the document a statement or passage is part of
    names: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    archives: list[str] = field(default_factory=list)
    certainty: str | None = None
    statuses: list[str] = field(default_factory=list)
    parent: str | None = None
    numbers: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)      # a statement's subjects and IRI values
    start: int | None = None
    end: int | None = None
    doc_days: list[int] = field(default_factory=list)
    weight: float = 0.0
    doc_count: int = 0
    extra: dict = field(default_factory=dict)

    def document(self) -> tantivy.Document:
        fields = {"key": self.key, "kind": self.kind, "category": self.category, "type": self.type,
                  "iri": self.iri, "label": self.label, "name_key": name_key(self.label),
                  "weight": float(self.weight), "doc_count": self.doc_count,
                  "first_day": self.start if self.start is not None else min(self.doc_days, default=UNDATED),
                  "extra": json.dumps(self.extra, ensure_ascii=False, sort_keys=True).encode()}
        optional = {"source": self.source or None, "certainty": self.certainty, "parent": self.parent,
                    "start": self.start, "end": self.end}
        fields.update({k: v for k, v in optional.items() if v is not None})
        lists = {"names": self.names, "body": self.body, "document": self.documents,
                 "archive": self.archives, "status": self.statuses, "number": self.numbers, "about": self.about,
                 "doc_day": self.doc_days}
        fields.update({k: v for k, v in lists.items() if v})
        return tantivy.Document(**fields)


def sort_key(label: str) -> str:
    """The label as an index page sorts it: case, accents and punctuation aside (letters of
    other scripts after Latin ones), digits before letters."""
    folded = label.casefold()
    if folded.isascii():
        return _NOT_ALNUM.sub(" ", folded).strip()
    kept = []
    for char in unicodedata.normalize("NFKD", folded):
        if unicodedata.combining(char):
            continue
        if "a" <= char <= "z" or "0" <= char <= "9":
            kept.append(char)
        elif char.isalnum():
            kept.append("~")
        elif kept and kept[-1] != " ":
            kept.append(" ")
    return "".join(kept).strip()


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NAME_ALPHABET = {c: i for i, c in enumerate(" 0123456789abcdefghijklmnopqrstuvwxyz~")}
NAME_KEY_LETTERS = 12          # 38**12 < 2**63


def name_key(label: str) -> int:
    """The first ``NAME_KEY_LETTERS`` characters of ``sort_key(label)`` as a number that sorts
    as they do."""
    key = 0
    letters = sort_key(label[:4 * NAME_KEY_LETTERS])[:NAME_KEY_LETTERS].ljust(NAME_KEY_LETTERS)
    for char in letters:
        key = key * len(_NAME_ALPHABET) + _NAME_ALPHABET[char]
    return key


def day(literal: ox.Literal | None) -> int | None:
    """``1954-12-20`` (xsd:date) as 19541220."""
    if literal is None:
        return None
    text = literal.value
    negative = text.startswith("-")
    digits = text.lstrip("-").split("T")[0].split("-")
    try:
        year, month, day_ = int(digits[0]), int(digits[1]), int(digits[2][:2])
    except (IndexError, ValueError):
        return None
    value = year * 10000 + month * 100 + day_
    return -value if negative else value


def _values(variable: str, iris: Iterable[str] | None) -> str:
    if iris is None:
        return ""
    return f"VALUES ?{variable} {{ {' '.join(f'<{i}>' for i in sorted(iris))} }}"


class Reader:
    """Bulk queries on one store; results of the document-wide ones are kept for the build."""

    def __init__(self, store: ox.Store, base: str, data_dir: Path):
        self.store, self.base, self.data_dir = store, base, Path(data_dir)
        self.inferred = graph_iri(base, INFERRED)
        self._documents: dict[str, dict] = {}
        self._labels: dict[str, str] = {}       # the labels of the entities read so far

    def select(self, body: str):
        return self.store.query(PROLOGUE + body, use_default_graph_as_union=True)

    # -- documents: what every hit of a document shows and is filtered by ------------------
    def remember_documents(self, known: dict[str, dict]) -> None:
        """Facts of documents read before (a previous build's), not to be read again."""
        self._documents.update(known)

    def documents(self, iris: Iterable[str] | None) -> dict[str, dict]:
        """Title, dates and archives of documents (all of them when ``iris`` is None)."""
        wanted = None if iris is None else set(iris) - set(self._documents)
        if wanted is not None and len(wanted) > LONGEST_VALUES:
            wanted = None           # a scan of all documents is faster than a long VALUES join
        if wanted is None or wanted:
            found: dict[str, dict] = defaultdict(lambda: {"title": None, "start": None, "end": None,
                                                          "date": None, "archives": set()})
            # Plain patterns, no OPTIONAL: the engine would match an OPTIONAL's pattern for
            # every document before joining it with the few asked for.
            for row in self.select(f"SELECT ?d WHERE {{ {_values('d', wanted)} ?d a akg:ArchivalDocument }}"):
                found[row["d"].value]
            fields = {AKG + "title": "title", AKG + "earliestDate": "start", AKG + "latestDate": "end",
                      AKG + "date": "date"}
            for row in self.select(f"""SELECT ?d ?p ?o WHERE {{ {_values('d', wanted)} {_values('p', fields)}
                    ?d ?p ?o }}"""):
                if row["d"].value not in found:
                    continue
                info, name = found[row["d"].value], fields[row["p"].value]
                if name == "title":
                    info["title"] = min(filter(None, (info["title"], row["o"].value)))
                elif name == "date":
                    info["date"] = row["o"].value
                else:
                    info[name] = day(row["o"])
            for row in self.select(f"""SELECT ?d ?a WHERE {{ {_values('d', wanted)}
                    ?d a akg:ArchivalDocument ; akg:citation/akg:archive ?a }}"""):
                found[row["d"].value]["archives"].add(row["a"].value)
            for iri, info in found.items():
                info["archives"] = sorted(info["archives"])
                info["title"] = info["title"] or iri.rsplit("/", 1)[-1]
                self._documents[iri] = info
        return self._documents if iris is None else {i: self._documents[i] for i in iris if i in self._documents}

    # -- entities --------------------------------------------------------------------------
    def mentioned_by(self, documents: Iterable[str]) -> set[str]:
        rows = self.select(f"SELECT DISTINCT ?x WHERE {{ {_values('d', documents)} ?d akg:mentions ?x }}")
        return {row["x"].value for row in rows if isinstance(row["x"], ox.NamedNode)}

    def entities(self, iris: Iterable[str] | None) -> list[Record]:
        iris = None if iris is None else sorted(set(iris))
        if iris is not None and not iris:
            return []
        kinds = self._kinds(iris)
        literals = self._literals(kinds)
        documents = self._mentions(kinds, iris)
        weights = self._weights(iris)
        dates, statuses, parents = self._dates(iris), self._statuses(iris), self._parents(iris)
        docs = self.documents(None if iris is None else {d for ds in documents.values() for d in ds})
        records = []
        for iri, (category, type_) in sorted(kinds.items()):
            values = literals.get(iri, {})
            label = next((values[p][0] for p in LABELS if values.get(p)), iri.rsplit("/", 1)[-1])
            names = list(dict.fromkeys(v for p in NAMES for v in values.get(p, [])))
            mentioned = documents.get(iri, set())
            if category == "document":
                mentioned = {iri} | mentioned
            shown = sorted(mentioned, key=lambda d: (docs.get(d, {}).get("start") or 0, d))
            self._labels[iri] = label
            record = Record(
                key=f"entity {iri}", kind="entity", category=category, type=type_, iri=iri, label=label,
                names=names, body=[v for p in TEXTS for v in values.get(p, [])], documents=sorted(mentioned),
                archives=sorted({a for d in mentioned for a in docs.get(d, {}).get("archives", [])}),
                statuses=sorted(statuses.get(iri, ())), parent=parents.get(iri),
                numbers=sorted({n for p in ("decreeNumber", "documentNumber") for v in values.get(p, [])
                                for n in document_numbers(v)}),
                weight=weights.get(iri, 0), doc_count=len(mentioned),
                extra={"documents": [[d, docs.get(d, {}).get("title") or d, docs.get(d, {}).get("date")]
                                     for d in shown[:SHOWN_DOCUMENTS]],
                       "date": values["date"][0] if values.get("date") else None})
            own = dates.get(iri)
            if own and own[0] is not None:
                record.start, record.end = own[0], own[1] if own[1] is not None else own[0]
            else:
                record.doc_days = sorted({docs[d]["start"] for d in mentioned
                                          if d in docs and docs[d]["start"] is not None})
            records.append(record)
        return records

    def _kinds(self, iris) -> dict[str, tuple[str, str]]:
        classes = " ".join(f"akg:{name}" for name, _ in CATEGORIES)
        rank = {AKG + name: (i, category) for i, (name, category) in enumerate(CATEGORIES)}
        best: dict[str, tuple[int, str]] = {}
        for row in self.select(f"SELECT ?x ?c WHERE {{ {_values('x', iris)} VALUES ?c {{ {classes} }} ?x a ?c }}"):
            if isinstance(row["x"], ox.NamedNode):
                found = rank[row["c"].value]
                best[row["x"].value] = min(best.get(row["x"].value, found), found)
        asserted: dict[str, str] = {}
        for row in self.select(f"""SELECT ?x ?t WHERE {{ {_values('x', iris)}
                GRAPH ?g {{ ?x a ?t }} FILTER(?g != <{self.inferred}> && STRSTARTS(STR(?t), STR(akg:))) }}"""):
            iri = row["x"].value
            if iri in best:
                asserted[iri] = min(asserted.get(iri, row["t"].value), row["t"].value)
        return {iri: (category, asserted.get(iri, AKG + CATEGORIES[position][0])[len(AKG):])
                for iri, (position, category) in best.items()}

    def _literals(self, kinds) -> dict[str, dict[str, list[str]]]:
        wanted = [AKG + p for p in {*NAMES, *LABELS, "date"}] + list(TEXTS)
        found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        iris = sorted(kinds) if len(kinds) <= LONGEST_VALUES else None
        for row in self.select(f"""SELECT DISTINCT ?x ?p ?o WHERE {{ {_values('x', iris)}
                {_values('p', wanted)} ?x ?p ?o FILTER(isLITERAL(?o)) }}"""):
            iri = row["x"].value
            if iri in kinds:
                predicate = row["p"].value
                short = predicate[len(AKG):] if predicate.startswith(AKG) else predicate
                found[iri][short].append(row["o"].value)
        for values in found.values():
            for texts in values.values():
                texts.sort()
        return found

    def _mentions(self, kinds, iris) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for row in self.select(f"SELECT DISTINCT ?d ?x WHERE {{ {_values('x', iris)} ?d akg:mentions ?x }}"):
            if row["x"].value in kinds:
                found[row["x"].value].add(row["d"].value)
        return found

    def _weights(self, iris) -> dict[str, int]:
        rows = self.select(f"""SELECT ?x (COUNT(DISTINCT ?f) AS ?n) WHERE {{ {_values('x', iris)}
            {{ ?f akg:factSubject ?x }} UNION {{ ?f akg:factObject ?x }} UNION {{ ?f akg:refersTo ?x }}
            FILTER(isIRI(?x)) }} GROUP BY ?x""")
        return {row["x"].value: int(row["n"].value) for row in rows}

    def _dates(self, iris) -> dict[str, tuple[int | None, int | None]]:
        rows = self.select(f"""SELECT ?x ?e ?l WHERE {{ {_values('x', iris)}
            ?x akg:earliestDate ?e OPTIONAL {{ ?x akg:latestDate ?l }} }}""")
        return {row["x"].value: (day(row["e"]), day(row["l"])) for row in rows}

    def _statuses(self, iris) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for row in self.select(f"""SELECT ?x ?s WHERE {{ {_values('x', iris)}
                ?x akg:executionStatus|akg:legalStatus ?s }}"""):
            value = row["s"].value
            found[row["x"].value].add(value[len(AKG):] if value.startswith(AKG) else value)
        return found

    def _parents(self, iris) -> dict[str, str]:
        """The direct parent as the data states it (the inferred graph closes partOfPlace
        transitively), the registry's first."""
        properties = " ".join(f"akg:{p}" for p in PARENTS)
        entities = graph_iri(self.base, "entities")
        found: dict[str, tuple[bool, str]] = {}
        for row in self.select(f"""SELECT ?x ?p ?g WHERE {{ {_values('x', iris)} VALUES ?prop {{ {properties} }}
                GRAPH ?g {{ ?x ?prop ?p }} FILTER(?g != <{self.inferred}>) }}"""):
            candidate = (row["g"].value != entities, row["p"].value)
            iri = row["x"].value
            found[iri] = min(found.get(iri, candidate), candidate)
        return {iri: parent for iri, (_, parent) in found.items()}

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        wanted = {i for i in iris if i}
        known = {i: self._labels[i] for i in wanted if i in self._labels}
        return known | self._query_labels(wanted - set(known))

    def _query_labels(self, iris: set[str]) -> dict[str, str]:
        ordered = sorted(iris)
        found: dict[str, tuple[int, str]] = {}
        order = [AKG + p for p in LABELS] + [RDFS_LABEL]
        rank = {p: i for i, p in enumerate(order)}
        for start in range(0, len(ordered), LONGEST_VALUES):
            chunk = ordered[start:start + LONGEST_VALUES]
            for row in self.select(f"""SELECT ?x ?p ?l WHERE {{ {_values('x', chunk)}
                    ?x ?p ?l FILTER(isLITERAL(?l)) }}"""):
                if row["p"].value not in rank:
                    continue
                candidate = (rank[row["p"].value], row["l"].value)
                iri = row["x"].value
                found[iri] = min(found.get(iri, candidate), candidate)
        return {iri: label for iri, (_, label) in found.items()}

    # -- statements and passages -----------------------------------------------------------
    def statements(self, documents: Iterable[str] | None) -> list[Record]:
        documents = None if documents is None else sorted(documents)
        grouped: dict[str, dict] = {}
        for row in self.select(f"""SELECT ?ev ?f ?d ?s ?p ?o ?q ?c WHERE {{ {_values('d', documents)}
                ?f a akg:Factoid ; akg:sourceDocument ?d ; akg:evidence ?ev ; akg:factSubject ?s ;
                   akg:factProperty ?p ; akg:factObject ?o ; akg:quote ?q .
                OPTIONAL {{ ?f akg:certainty ?c }} }}"""):
            evidence = row["ev"].value
            statement = grouped.setdefault(evidence, {"factoids": set(), "claims": set(), "subjects": set()})
            statement["factoids"].add(row["f"].value)
            statement.update(document=row["d"].value, quote=row["q"].value,
                             certainty=row["c"].value if row["c"] else None)
            statement["subjects"].add(row["s"].value)
            statement["claims"].add((row["s"].value, row["p"].value, row["o"]))
        wanted = {s for st in grouped.values() for s in st["subjects"]} | \
                 {p for st in grouped.values() for _, p, _ in st["claims"]} | \
                 {o.value for st in grouped.values() for _, _, o in st["claims"] if isinstance(o, ox.NamedNode)}
        labels = self.labels(wanted)
        docs = self.documents({st["document"] for st in grouped.values()})
        subjects = {s for st in grouped.values() for s in st["subjects"]}
        dates, statuses = self._dates(sorted(subjects)), self._statuses(sorted(subjects))
        records = []
        for evidence, st in sorted(grouped.items()):
            doc = docs.get(st["document"], {})
            subject = min(st["subjects"])
            certainty = st["certainty"]
            claims = [[labels.get(s, _local(s)), labels.get(p, _local(p)),
                       labels.get(o.value, _local(o.value)) if isinstance(o, ox.NamedNode) else o.value]
                      for s, p, o in sorted(st["claims"], key=lambda c: (c[0], c[1], str(c[2])))]
            record = Record(
                key=f"statement {evidence}", kind="statement", category="statement", type="Statement",
                iri=min(st["factoids"]), label=f"{labels.get(subject, _local(subject))}: "
                + "; ".join(dict.fromkeys(f"{p} {o}" for s, p, o in claims if s == claims[0][0])),
                source=st["document"], body=[st["quote"]], documents=[st["document"]],
                archives=list(doc.get("archives", [])),
                certainty=certainty[len(AKG):] if certainty and certainty.startswith(AKG) else certainty,
                statuses=sorted({x for s in st["subjects"] for x in statuses.get(s, ())}),
                about=sorted(st["subjects"] | {o.value for _, _, o in st["claims"] if isinstance(o, ox.NamedNode)}),
                extra={"document": [st["document"], doc.get("title"), doc.get("date")],
                       "subject": [subject, labels.get(subject, _local(subject))], "claims": claims})
            own = dates.get(subject)
            span = own if own and own[0] is not None else (doc.get("start"), doc.get("end"))
            if span[0] is not None:
                record.start, record.end = span[0], span[1] if span[1] is not None else span[0]
            records.append(record)
        return records

    def passages(self, documents: Iterable[str] | None) -> list[Record]:
        documents = None if documents is None else sorted(documents)
        texts: dict[str, dict] = {}
        of_text: dict[str, str] = {}
        for row in self.select(f"""SELECT ?d ?t ?file WHERE {{ {_values('d', documents)}
                ?d a akg:ArchivalDocument ; akg:hasText ?t . ?t akg:textFile ?file }}"""):
            texts[row["d"].value] = {"file": row["file"].value, "segments": set()}
            of_text[row["t"].value] = row["d"].value
        wanted = None if documents is None else sorted(of_text)
        if wanted is None or wanted:
            for row in self.select(f"""SELECT ?t ?k ?s ?e WHERE {{ {_values('t', wanted)}
                    ?t akg:hasSegment ?x . ?x akg:segmentKind ?k ; oa:start ?s ; oa:end ?e }}"""):
                if row["t"].value in of_text:
                    texts[of_text[row["t"].value]]["segments"].add(
                        (row["k"].value, int(row["s"].value), int(row["e"].value)))
        docs = self.documents(set(texts))
        records = []
        for iri, entry in sorted(texts.items()):
            text = self.read_text(entry["file"])
            if text is None:
                continue
            doc = docs.get(iri, {})
            for kind, start, end in passages(text, entry["segments"]):
                record = Record(
                    key=f"passage {iri} {start}", kind="passage", category="passage", type="Passage",
                    iri=iri, label=doc.get("title") or iri, source=iri, body=[text[start:end]],
                    documents=[iri], archives=list(doc.get("archives", [])),
                    extra={"document": [iri, doc.get("title"), doc.get("date")], "segment": kind,
                           "start": start, "end": end})
                if doc.get("start") is not None:
                    record.start, record.end = doc["start"], doc.get("end") or doc["start"]
                records.append(record)
        return records

    def read_text(self, file: str) -> str | None:
        """The text a document's ``akg:textFile`` names, as the document page finds it."""
        root = self.data_dir.resolve()
        for path in (root.parent / file, root / "documents" / Path(file).name):
            path = path.resolve()
            if path.is_relative_to(root) and path.is_file():
                return path.read_text(encoding="utf-8")
        return None


def _local(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri:
            return iri.rsplit(separator, 1)[-1]
    return iri
