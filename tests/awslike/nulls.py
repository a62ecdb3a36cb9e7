"""JSON nulls where moto and real AWS send them: for every optional member an answer lacks.

An SDK reads such a null as an absent member (the AWS JSON protocols say so), so a
conformant endpoint may send one for any member that is not required. None is ever added
for a required member, as an item of a list, or as a value of a map.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance.schemas import Scope, load_schema
from conformance.scopes import SEED


def with_nulls(value: Any, schema: Mapping[str, Any]) -> Any:
    """`value` with a null for each known, optional member it lacks, at every object level.

    Lists and maps keep their entries; objects inside them get nulls of their own.
    """
    if isinstance(value, dict):
        known: Mapping[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        entries = schema.get("additionalProperties")
        filled: dict[str, Any] = {}
        for key, item in value.items():
            inner = known.get(key, entries if isinstance(entries, dict) else None)
            filled[key] = item if inner is None else with_nulls(item, inner)
        for key in known:
            if key not in value and key not in required:
                filled[key] = None
        return filled
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        return [with_nulls(item, items) for item in value]
    return value


def answer_with_nulls(
    operation: str, answer: dict[str, Any], scope: Scope = SEED
) -> dict[str, Any]:
    """An answer of an operation of `scope`, with nulls as moto sends them."""
    schema = load_schema(scope.schema_name(operation, "response"))
    filled: dict[str, Any] = with_nulls(answer, schema)
    return filled
