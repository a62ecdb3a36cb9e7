"""Schema nodes for the tests of tests/test_specs.py and tests/test_current_specs.py: the
object nodes reachable in one, a node's smallest valid instance, the values just inside and
just outside one numeric, length, item-count or property-count keyword, and the keywords an
instance breaks."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator


def minimal(node: dict[str, Any]) -> Any:
    """A small instance of `node` (enough for the schemas' own item shapes)."""
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        return {k: minimal(node["properties"][k]) for k in node.get("required", [])}
    if kind == "array":
        return [minimal(node["items"])] * node.get("minItems", 0)
    if kind == "string":
        return "a" * max(1, node.get("minLength", 0))
    if kind == "boolean":
        return False
    return node.get("minimum", 0)


def auto_bites(node: dict[str, Any], keyword: str, value: int) -> tuple[Any, Any]:
    """(just inside, just outside) for one numeric, length, item- or property-count keyword."""
    step = -1 if keyword.startswith("min") else 1
    if keyword in ("minimum", "maximum"):
        return value, value + step
    if keyword in ("minLength", "maxLength"):
        return "a" * value, "a" * (value + step)
    if keyword in ("minProperties", "maxProperties"):
        return (
            {f"k{i}": "v" for i in range(value)},
            {f"k{i}": "v" for i in range(value + step)},
        )
    item = minimal(node["items"])
    return [item] * value, [item] * (value + step)


def failing_keywords(node: dict[str, Any], instance: Any) -> set[str]:
    """The keywords of `node` that `instance` breaks."""
    return {
        str(e.relative_schema_path[0])
        for e in Draft202012Validator(node).iter_errors(instance)
        if e.relative_schema_path
    }


def object_nodes(node: Any, with_properties: bool = False) -> list[dict[str, Any]]:
    """Every object-typed node reachable through properties, items and map values (only
    those that list properties, if `with_properties`)."""
    own = node.get("type") == "object" and (not with_properties or "properties" in node)
    children = list(node.get("properties", {}).values())
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            children.append(node[key])
    found = [node] if own else []
    return found + [o for child in children for o in object_nodes(child, with_properties)]
