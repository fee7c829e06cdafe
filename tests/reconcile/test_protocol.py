"""Reading what a reconciliation client sends (archivekg.reconcile.protocol): every malformed
batch is refused with a message that names the query and the field, and every well-formed
one is read as the specification's schema means it."""

from __future__ import annotations

import json

import pytest

from archivekg.reconcile import protocol
from archivekg.reconcile.protocol import BadRequest, Condition, EntityValue

from . import schemas

BAD_BATCHES = [
    # (batch text, status, what the message must say)
    ("{", 400, "queries: not valid JSON"),
    ("[]", 400, "must be a JSON object of queries"),
    ('{"q0": "Kim"}', 400, 'queries["q0"]: must be an object'),
    ('{"q0": {}}', 400, 'queries["q0"]: give a query string, properties, or both'),
    ('{"q0": {"query": ""}}', 400, 'queries["q0"].query: must be a non-empty string'),
    ('{"q0": {"query": "  "}}', 400, 'queries["q0"].query: must be a non-empty string'),
    ('{"q0": {"query": 5}}', 400, 'queries["q0"].query: must be a non-empty string'),
    ('{"q0": {"query": "Kim", "limit": 0}}', 400, 'queries["q0"].limit: must be a positive whole number, not 0'),
    ('{"q0": {"query": "Kim", "limit": 2.5}}', 400, "limit: must be a positive whole number, not 2.5"),
    ('{"q0": {"query": "Kim", "limit": true}}', 400, "limit: must be a positive whole number, not true"),
    ('{"q0": {"query": "Kim", "type": 7}}', 400, 'queries["q0"].type: must be a type id or a list'),
    ('{"q0": {"query": "Kim", "type": [""]}}', 400, "a type id cannot be empty"),
    ('{"q0": {"query": "Kim", "type_strict": "must"}}', 400, "type_strict: must be one of any, all, should"),
    ('{"q0": {"query": "Kim", "typ": "Person"}}', 400, "unknown field 'typ'"),
    ('{"q0": {"query": "Kim", "properties": {}}}', 400, "properties: must be a list"),
    ('{"q0": {"query": "Kim", "properties": [{"pid": "post"}]}}', 400, 'properties[0]: must be an object with a property id "pid" and a value "v"'),
    ('{"q0": {"query": "Kim", "properties": [{"p": "post", "v": "x"}]}}', 400, 'properties[0]: must be an object'),
    ('{"q0": {"query": "Kim", "properties": [{"pid": "post", "v": "x", "w": 1}]}}', 400, "unknown field 'w'"),
    ('{"q0": {"query": "Kim", "properties": [{"pid": "", "v": "x"}]}}', 400, "properties[0].pid: must be a property id"),
    ('{"q0": {"query": "Kim", "properties": [{"pid": "post", "v": null}]}}', 400, "properties[0].v: a value is a string"),
    ('{"q0": {"query": "Kim", "properties": [{"pid": "post", "v": {"name": "x"}}]}}', 400, "properties[0].v: a value is"),
    ('{"q0": {"properties": []}}', 400, "give a query string, properties, or both"),
    (json.dumps({f"q{i}": {"query": "Kim"} for i in range(4)}), 413, "4 queries in one batch; this service answers at most 3"),
]


@pytest.mark.parametrize("text, status, message", BAD_BATCHES, ids=[m for _, _, m in BAD_BATCHES])
def test_a_malformed_batch_is_refused_with_the_query_and_the_field(text, status, message):
    with pytest.raises(BadRequest) as caught:
        protocol.parse_batch(text, max_queries=3)
    assert message in str(caught.value)
    assert caught.value.status == status


def test_what_the_specifications_schema_refuses_we_refuse_too():
    """Our reading is never laxer than the schema.  (It is stricter where the specification's
    text is: a limit is "a positive integer", a query "a non-empty string".)"""
    refused_by_schema = []
    for text, _, _ in BAD_BATCHES:
        try:
            batch = json.loads(text)
        except ValueError:
            continue
        if schemas.errors("reconciliation-query-batch", batch):
            refused_by_schema.append(text)
            with pytest.raises(BadRequest):
                protocol.parse_batch(text, max_queries=100)
    assert len(refused_by_schema) >= 10, refused_by_schema


def test_a_well_formed_batch_is_read_as_the_schema_means_it():
    batch = {
        "q0": {"query": " Kim Il Sung ", "type": "Person", "limit": 3.0},
        "q1": {"query": "Kim", "type": ["Person", "Group"], "type_strict": "all",
               "properties": [{"pid": "post", "v": ["Premier", {"id": "kwp-cc", "name": "KWP CC"}]},
                              {"pid": "date", "v": 1955}]},
        "q2": {"properties": [{"pid": "wikidata", "v": "Q41117"}], "limit": 10_000},
    }
    schemas.check("reconciliation-query-batch", batch)
    q0, q1, q2 = protocol.parse_batch(json.dumps(batch), max_queries=10)
    assert (q0.key, q0.text, q0.types, q0.limit, q0.type_strict) == ("q0", "Kim Il Sung", ("Person",), 3, "any")
    assert q1.types == ("Person", "Group") and q1.type_strict == "all"
    assert q1.conditions == (Condition("post", ("Premier", EntityValue("kwp-cc", "KWP CC"))),
                             Condition("date", (1955,)))
    assert q2.text is None and q2.limit == protocol.MAX_LIMIT


@pytest.mark.parametrize("text, message", [
    ("[]", "extend: must be an object"),
    ('{"ids": "kim-il-sung", "properties": []}', "extend.ids: must be a list"),
    ('{"ids": ["a"], "properties": {}}', "extend.properties: must be a list"),
    ('{"ids": ["a"], "properties": [{"name": "post"}]}', 'extend.properties[0]: must be an object with a property id'),
    ('{"ids": ["a"], "properties": [{"id": "post", "settings": []}]}', "extend.properties[0].settings: must be an object"),
])
def test_a_malformed_extension_query_is_refused(text, message):
    with pytest.raises(BadRequest) as caught:
        protocol.parse_extend(text, max_ids=10)
    assert message in str(caught.value)


def test_an_extension_query_of_too_many_ids_is_too_large():
    with pytest.raises(BadRequest) as caught:
        protocol.parse_extend(json.dumps({"ids": ["a", "b", "c"], "properties": []}), max_ids=2)
    assert caught.value.status == 413


@pytest.mark.parametrize("raw, expected", [(None, 0), ("", 0), ("0", 0), ("25", 25)])
def test_a_cursor_is_a_count_of_suggestions_to_skip(raw, expected):
    assert protocol.parse_cursor(raw) == expected


@pytest.mark.parametrize("raw", ["-1", "two", "1.5"])
def test_a_cursor_that_is_not_a_count_is_refused(raw):
    with pytest.raises(BadRequest, match="cursor"):
        protocol.parse_cursor(raw)
