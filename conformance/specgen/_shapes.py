"""Step 2: botocore shapes -> inlined JSON Schemas (no overlay yet).

Every shape is inlined (no `$ref`) so a JSON pointer addresses a member directly.
Request schemas are closed (`additionalProperties: false`); response schemas stay open at
every level, because AWS has added many members since the seed.

Shapes the seed's 1.10.2 model does not have are mapped too (they change nothing in the
seed scope): `timestamp` is a number (the JSON protocol sends epoch seconds), `double` and
`float` numbers, `blob` a string, a `document` structure any JSON value (no type), a union
an object of which a request sets exactly one member; the model's `min`/`max` become
`minLength`/`maxLength` (strings), `minItems`/`maxItems` (lists), `minProperties`/
`maxProperties` (maps) or `minimum`/`maximum` (numbers) in requests, the direction botocore
validates. A recursive shape is cut where it recurs: an open object with a `$comment`.
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


# The model's `min`/`max` by shape type -> the JSON Schema keywords (requests only).
_BOUNDS: dict[str, tuple[str, str]] = {
    "string": ("minLength", "maxLength"),
    "blob": ("minLength", "maxLength"),
    "list": ("minItems", "maxItems"),
    "map": ("minProperties", "maxProperties"),
    "integer": ("minimum", "maximum"),
    "long": ("minimum", "maximum"),
    "double": ("minimum", "maximum"),
    "float": ("minimum", "maximum"),
}


def shape_schema(
    model: dict[str, Any], name: str, direction: Direction, stack: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The inlined schema of shape `name`."""
    if name in stack:
        cycle = " -> ".join((*stack[stack.index(name) :], name))
        return {"type": "object", "$comment": f"recursive shape {cycle}: not inlined again"}
    try:
        shape = model["shapes"][name]
    except KeyError:
        raise ModelError(f"the model has no shape {name!r}") from None
    node = _unbounded(model, name, shape, direction, (*stack, name))
    if direction == "request" and shape.get("type") in _BOUNDS:
        low, high = _BOUNDS[shape["type"]]
        for keyword, key in ((low, "min"), (high, "max")):
            if key in shape:
                node[keyword] = shape[key]
    return node


def _unbounded(
    model: dict[str, Any],
    name: str,
    shape: dict[str, Any],
    direction: Direction,
    inner: tuple[str, ...],
) -> dict[str, Any]:
    kind = shape.get("type")
    if kind == "structure" and shape.get("document"):
        return {"$comment": f"document shape {name}: any JSON value"}
    if kind == "structure":
        node = _structure(model, name, shape, direction, inner)
        if shape.get("union") and direction == "request":
            node["minProperties"] = 1
            node["maxProperties"] = 1
        return node
    if kind == "list":
        return {
            "type": "array",
            "items": shape_schema(model, shape["member"]["shape"], direction, inner),
        }
    if kind == "map":
        value = shape_schema(model, shape["value"]["shape"], direction, inner)
        node = {"type": "object", "additionalProperties": value}
        key = shape_schema(model, shape["key"]["shape"], direction, inner)
        bounds = {k: v for k, v in key.items() if k in ("minLength", "maxLength", "enum")}
        if bounds:
            node["propertyNames"] = bounds
        return node
    if kind in _SCALARS:
        scalar: dict[str, Any] = {"type": _SCALARS[kind]}
        if kind == "string" and "enum" in shape:
            scalar["enum"] = list(shape["enum"])
        return scalar
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
