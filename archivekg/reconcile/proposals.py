"""Links proposed for a curator: registry entries, the candidates a reconciliation service gave
for them, and the evidence for each candidate.

Nothing here changes a registry.  A proposal holds, for each candidate, the ``accept`` fields a
curator copies into the entry (``sameAs`` for the same entity, or ``closeMatch`` for a near one,
and its ``linkSource``) when the evidence convinces them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from archivekg.names import NameIndex
from archivekg.reconcile.client import RemoteCandidate

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


@dataclass
class Entry:
    """One registry entry, as ``archivekg link`` reads it."""

    id: str
    type: str
    name: str
    variants: list[str]
    file: str
    line: int
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys([self.name, *self.variants]))

    @property
    def links(self) -> set[str]:
        found = {str(i) for key in ("sameAs", "closeMatch") for i in self.fields.get(key) or []}
        if self.fields.get("wikidata"):
            found.add(WIKIDATA_ENTITY + str(self.fields["wikidata"]))
        return found


def query_for(entry: Entry, *, remote_type: str | None, properties: Mapping[str, str],
              names_by_id: Mapping[str, str], limit: int) -> dict:
    """The reconciliation query for an entry: its preferred name, the remote type, and the
    registry fields mapped to remote properties (a field that names another entry of ours is
    sent as that entry's name: the remote service does not know our ids)."""
    query: dict[str, Any] = {"query": entry.name, "limit": limit}
    if remote_type:
        query["type"] = remote_type
    conditions = []
    for field_name, pid in properties.items():
        raw = entry.fields.get(field_name)
        values = raw if isinstance(raw, list) else [raw] if raw is not None else []
        values = [names_by_id.get(v, v) if isinstance(v, str) else v for v in values]
        values = [v for v in values if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
        if values:
            conditions.append({"pid": pid, "v": values if len(values) > 1 else values[0]})
    if conditions:
        query["properties"] = conditions
    return query


def name_evidence(entry: Entry, candidate_name: str) -> str:
    """How the candidate's name compares with our names of the entry (archivekg.names)."""
    index = NameIndex([(entry.id, entry.type, [(name, None) for name in entry.names])])
    found = index.match(candidate_name, limit=1)
    if not found:
        return f"none of our names of {entry.id} is like “{candidate_name}”"
    best = found[0]
    verdict = "a form of our name" if best.strong else "only similar to our names"
    return f"{verdict}: {best.reason}"


def proposal(entry: Entry, query: dict, candidates: Sequence[RemoteCandidate], *, service_url: str,
             service_name: str, iri_of, today: dt.date) -> dict:
    """What the curator reads for one entry: the query sent, and each candidate with its
    evidence and the fields to copy into the registry to accept it."""
    known = entry.links
    found = []
    for candidate in candidates:
        iri = iri_of(candidate.id)
        evidence = [f"the service scores it {candidate.score:g}" + (" and calls it a match" if candidate.match else "")]
        if candidate.reason:
            evidence.append(f"the service says: {candidate.reason}")
        evidence.append(f"our names: {name_evidence(entry, candidate.name)}")
        item: dict[str, Any] = {"iri": iri, "name": candidate.name}
        if candidate.description:
            item["description"] = candidate.description
        if candidate.types:
            item["types"] = list(candidate.types)
        item["score"] = candidate.score
        item["service_match"] = candidate.match
        if candidate.features:
            item["features"] = {key: value for key, value in candidate.features}
        item["evidence"] = evidence
        if iri in known:
            item["already_linked"] = True
        else:
            source = (f"{iri}: proposed by `archivekg link` on {today.isoformat()} from the reconciliation "
                      f"service {service_name!r} at {service_url} (score {candidate.score:g}"
                      f"{', the service called it a match' if candidate.match else ''}; "
                      f"{name_evidence(entry, candidate.name)})")
            item["accept"] = {"sameAs": [iri], "linkSource": [source]}
        found.append(item)
    return {"entry": entry.id, "registry": f"{entry.file}:{entry.line}", "name": entry.name,
            "type": entry.type, "query": query, "candidates": found}


def header(*, registry: str, service_url: str, service_name: str, identifier_space: str, today: dt.date) -> str:
    lines = [
        f"Links proposed by `archivekg link` on {today.isoformat()} for the entries of {registry},",
        f"from the reconciliation service {service_name!r} at {service_url}",
        f"(identifier space {identifier_space}).",
        "",
        "Nothing here is published and nothing was linked.  To accept a candidate, check its",
        "evidence, then copy the fields under its `accept` into the entry (the registry line is",
        "given): `sameAs` when it is the same entity, or rename it `closeMatch` when it is only a",
        "near one (a broader body, a place under another name); keep its `linkSource` line and add",
        "to it what you checked.  Then rebuild.  An `already_linked` candidate is in the entry.",
    ]
    return "".join(f"# {line}\n" if line else "#\n" for line in lines)
