"""The JSON of the Reconciliation Service API 0.2: what a client sends, read and checked.

A query batch is ``{"q0": {"query": "Kim Il Sung", "type": "Person", "limit": 3,
"properties": [{"pid": "post", "v": "Premier"}], "type_strict": "should"}, ...}``; a data
extension query is ``{"ids": [...], "properties": [{"id": "document", "settings": {...}}]}``.
Everything the specification's JSON Schemas forbid is refused here with ``BadRequest``, whose
message names the query and the field (``queries["q3"].limit: must be a positive whole number,
not -1``), so a client learns what to fix.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

VERSIONS = ("0.1", "0.2")
TYPE_STRICT = ("any", "all", "should")
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
QUERY_KEYS = ("query", "type", "limit", "properties", "type_strict")


class BadRequest(ValueError):
    """A request the API cannot answer; ``status`` 400, or 413 for a batch that is too large."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class EntityValue:
    """A property value that is an entity: ``{"id": ..., "name": ...}`` (a reconciled cell)."""

    id: str
    name: str | None = None


Value = str | int | float | bool | EntityValue


@dataclass(frozen=True)
class Condition:
    pid: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Query:
    key: str
    text: str | None
    types: tuple[str, ...] = ()
    type_strict: str = "any"
    limit: int = DEFAULT_LIMIT
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class ExtendQuery:
    ids: tuple[str, ...]
    properties: tuple[tuple[str, dict[str, Any]], ...] = field(default=())


def read_json(text: str, parameter: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"{parameter}: not valid JSON ({exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno})") from None


def parse_batch(text: str, *, max_queries: int) -> list[Query]:
    """The queries of a ``queries=`` parameter, in the order the client gave them."""
    batch = read_json(text, "queries")
    if not isinstance(batch, dict):
        raise BadRequest(f"queries: must be a JSON object of queries by their ids "
                         f"({{\"q0\": {{\"query\": \"...\"}}}}), not {_kind(batch)}")
    if len(batch) > max_queries:
        raise BadRequest(f"queries: {len(batch)} queries in one batch; this service answers at most "
                         f"{max_queries} (its manifest's batchSize)", status=413)
    return [parse_query(key, value) for key, value in batch.items()]


def parse_query(key: str, raw: Any) -> Query:
    where = f"queries[{json.dumps(key, ensure_ascii=False)}]"
    if not isinstance(raw, dict):
        raise BadRequest(f"{where}: must be an object with a query and/or properties, not {_kind(raw)}")
    unknown = sorted(set(raw) - set(QUERY_KEYS))
    if unknown:
        raise BadRequest(f"{where}: unknown field {unknown[0]!r} (a query has {', '.join(QUERY_KEYS)})")
    text = raw.get("query")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        raise BadRequest(f"{where}.query: must be a non-empty string, not {json.dumps(text, ensure_ascii=False)}")
    types = raw.get("type")
    if types is None:
        types = ()
    elif isinstance(types, str):
        types = (types,)
    elif isinstance(types, list) and all(isinstance(t, str) for t in types):
        types = tuple(types)
    else:
        raise BadRequest(f"{where}.type: must be a type id or a list of type ids, not {_kind(types)}")
    if any(not t for t in types):
        raise BadRequest(f"{where}.type: a type id cannot be empty")
    limit = raw.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not math.isfinite(limit) \
            or limit != int(limit) or limit < 1:
        raise BadRequest(f"{where}.limit: must be a positive whole number, not {json.dumps(limit)}")
    strict = raw.get("type_strict", "any")
    if strict not in TYPE_STRICT:
        raise BadRequest(f"{where}.type_strict: must be one of {', '.join(TYPE_STRICT)}, not "
                         f"{json.dumps(strict, ensure_ascii=False)}")
    conditions = _conditions(raw.get("properties"), where)
    if text is None and not conditions:
        raise BadRequest(f"{where}: give a query string, properties, or both")
    return Query(key, text.strip() if text else None, types, strict, min(int(limit), MAX_LIMIT), conditions)


def _conditions(raw: Any, where: str) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise BadRequest(f"{where}.properties: must be a list of {{\"pid\": ..., \"v\": ...}}, not {_kind(raw)}")
    found = []
    for index, item in enumerate(raw):
        here = f"{where}.properties[{index}]"
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise BadRequest(f"{here}: must be an object with a property id \"pid\" and a value \"v\"")
        unknown = sorted(set(item) - {"pid", "v"})
        if unknown:
            raise BadRequest(f"{here}: unknown field {unknown[0]!r} (a property condition has pid and v)")
        pid = item["pid"]
        if not isinstance(pid, str) or not pid:
            raise BadRequest(f"{here}.pid: must be a property id, not {json.dumps(pid, ensure_ascii=False)}")
        raw_values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        values = tuple(_value(value, f"{here}.v") for value in raw_values)
        found.append(Condition(pid, values))
    return tuple(found)


def _value(raw: Any, where: str) -> Value:
    if isinstance(raw, (str, bool)) or (isinstance(raw, (int, float)) and math.isfinite(raw)):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        name = raw.get("name")
        return EntityValue(raw["id"], name if isinstance(name, str) else None)
    raise BadRequest(f"{where}: a value is a string, a number, a boolean or an entity "
                     f"{{\"id\": ..., \"name\": ...}}, not {json.dumps(raw, ensure_ascii=False)[:80]}")


def parse_extend(text: str, *, max_ids: int) -> ExtendQuery:
    query = read_json(text, "extend")
    if not isinstance(query, dict):
        raise BadRequest(f"extend: must be an object with ids and properties, not {_kind(query)}")
    ids, properties = query.get("ids"), query.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadRequest("extend.ids: must be a list of entity ids")
    if len(ids) > max_ids:
        raise BadRequest(f"extend.ids: {len(ids)} ids; this service extends at most {max_ids} at once",
                         status=413)
    if not isinstance(properties, list):
        raise BadRequest("extend.properties: must be a list of {\"id\": ...} objects")
    wanted = []
    for index, item in enumerate(properties):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise BadRequest(f"extend.properties[{index}]: must be an object with a property id \"id\"")
        settings = item.get("settings", {})
        if not isinstance(settings, dict):
            raise BadRequest(f"extend.properties[{index}].settings: must be an object")
        wanted.append((item["id"], settings))
    return ExtendQuery(tuple(ids), tuple(wanted))


def parse_cursor(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    if not raw.isdigit():
        raise BadRequest(f"cursor: must be a whole number of suggestions to skip, not {raw!r}")
    return int(raw)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)
