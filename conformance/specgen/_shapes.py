"""Step 2: botocore shapes -> inlined JSON Schemas (no overlay yet).

Every shape is inlined (no `$ref`) so a JSON pointer addresses a member directly.
Request schemas are closed (`additionalProperties: false`); response schemas stay open at
every level, because AWS has added many members since the seed.
"""

from __future__ import annotations

from typing import Any, Literal

from conformance.specgen._docs import short_doc
from conformance.specgen._model import ModelError

Direction = Literal["request", "response"]
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Members botocore marks required that AWS does not always return (response schemas only).
RESPONSE_NOT_ALWAYS_RETURNED: dict[tuple[str, str], str] = {
    ("JobDetail", "startedAt"): "a job that never started has no startedAt",
    ("ContainerProperties", "vcpus"): "job definitions using resourceRequirements carry none",
    ("ContainerProperties", "memory"): "job definitions using resourceRequirements carry none",
}

_SCALARS: dict[str, str] = {
    "string": "string",
    "integer": "integer",
    "long": "integer",
    "boolean": "boolean",
    "double": "number",
    "float": "number",
    "timestamp": "number",
    "blob": "string",
}


def operation_schema(model: dict[str, Any], operation: str, direction: Direction) -> dict[str, Any]:
    """The inlined request or response schema of `operation` in `model`."""
    try:
        op = model["operations"][operation]
    except KeyError:
        raise ModelError(f"the model has no operation {operation!r}") from None
    ref = op.get("input" if direction == "request" else "output")
    if ref:
        body = shape_schema(model, ref["shape"], direction)
    else:
        body = {"type": "object", "properties": {}}
        if direction == "request":
            body["additionalProperties"] = False
    head: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"urn:batch-conformance:{operation}.{direction}",
        "title": f"{operation} {direction}",
    }
    description = short_doc(op.get("documentation"))
    if description:
        head["description"] = description
    body.pop("description", None)
    return {**head, **body}


def shape_schema(
    model: dict[str, Any], name: str, direction: Direction, stack: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The inlined schema of shape `name`."""
    if name in stack:
        raise ModelError(f"recursive shape {' -> '.join((*stack, name))} cannot be inlined")
    try:
        shape = model["shapes"][name]
    except KeyError:
        raise ModelError(f"the model has no shape {name!r}") from None
    kind = shape.get("type")
    inner = (*stack, name)
    if kind == "structure":
        return _structure(model, name, shape, direction, inner)
    if kind == "list":
        return {
            "type": "array",
            "items": shape_schema(model, shape["member"]["shape"], direction, inner),
        }
    if kind == "map":
        value = shape_schema(model, shape["value"]["shape"], direction, inner)
        return {"type": "object", "additionalProperties": value}
    if kind in _SCALARS:
        node: dict[str, Any] = {"type": _SCALARS[kind]}
        if kind == "string" and "enum" in shape:
            node["enum"] = list(shape["enum"])
        return node
    raise ModelError(f"shape {name!r} has an unsupported type {kind!r}")


def _structure(
    model: dict[str, Any],
    name: str,
    shape: dict[str, Any],
    direction: Direction,
    stack: tuple[str, ...],
) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for member, ref in shape.get("members", {}).items():
        node = shape_schema(model, ref["shape"], direction, stack)
        description = short_doc(
            ref.get("documentation") or model["shapes"][ref["shape"]].get("documentation")
        )
        if description:
            node["description"] = description
        properties[member] = node
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = [
        member
        for member in shape.get("required", [])
        if direction == "request" or (name, member) not in RESPONSE_NOT_ALWAYS_RETURNED
    ]
    if required:
        schema["required"] = required
    if direction == "request":
        schema["additionalProperties"] = False
    description = short_doc(shape.get("documentation"))
    if description:
        schema["description"] = description
    return schema
