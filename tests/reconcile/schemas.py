"""The specification's JSON Schemas (spec_schemas/, Reconciliation Service API 0.2), ready to
check what our service answers: ``check("manifest", answer)`` fails the test with every
error the schema finds, each with where it is."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import referencing
import referencing.jsonschema

HERE = Path(__file__).resolve().parent / "spec_schemas"
SWAGGER = "http://swagger.io/v2/schema.json"


@cache
def _validators() -> dict[str, jsonschema.Draft7Validator]:
    schemas = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(HERE.glob("*.json"))}
    resources = [(schema["$id"], referencing.jsonschema.DRAFT7.create_resource(schema)) for schema in schemas.values()]
    # The optional `authentication` of a manifest refers to the Swagger 2.0 schema, which is not
    # copied here (spec_schemas/README.md): any value there fails.
    refusal = {"definitions": {"securityDefinitions": {"additionalProperties": False}}}
    resources.append((SWAGGER, referencing.jsonschema.DRAFT7.create_resource(refusal)))
    registry = referencing.Registry().with_resources(resources)
    return {name: jsonschema.Draft7Validator(schema, registry=registry) for name, schema in schemas.items()}


def errors(name: str, instance) -> list[str]:
    validator = _validators()[name]
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))]


def check(name: str, instance) -> None:
    found = errors(name, instance)
    assert not found, f"the answer breaks the specification's {name} schema:\n" + "\n".join(found[:20])


NAMES = ("manifest", "reconciliation-query-batch", "reconciliation-result-batch", "suggest-entities-response",
         "suggest-properties-response", "suggest-types-response", "data-extension-query",
         "data-extension-response", "data-extension-property-proposal", "type")
