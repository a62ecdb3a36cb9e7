"""Valid requests built from a scope's request schemas, bound to the run's resources.

`RequestBuilder(operation, ctx, scope).build()` gives the smallest valid request; `set_at` /
`delete_at` change one member, creating valid parents from the schema as needed. Members
that name Batch resources are filled from the catalogue's references with the run's own
(`Context`), values the scope's tables give come from there, and everything else is
sampled from the schema itself, so the limits are never copied here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from conformance.catalogue import KINDS
from conformance.context import PLACEHOLDER_SECURITY_GROUP, PLACEHOLDER_SUBNET, Context, map_key
from conformance.schemas import load_schema
from conformance.scopes import Scope
from conformance.scopes._tables import Fill

Path_ = list[str]  # "*" stands for "an item of this list"
STAR = "*"
MAP_VALUE = "{}"  # "a value of this map" (a map is an object with additionalProperties)


def pointer_to_path(pointer: str) -> Path_:
    """`/properties/dependsOn/items/properties/type` -> `["dependsOn", "*", "type"]`."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    path: Path_ = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "properties":
            path.append(tokens[index + 1])
            index += 2
        elif token == "items":
            path.append(STAR)
            index += 1
        elif token == "additionalProperties":
            path.append(MAP_VALUE)
            index += 1
        else:
            raise ValueError(f"pointer {pointer!r}: cannot address {token!r} in a request")
    return path


def schema_at(schema: dict[str, Any], path: Path_) -> dict[str, Any]:
    """The sub-schema describing the member at `path`."""
    node = schema
    for part in path:
        if part == STAR:
            node = node["items"]
        elif part == MAP_VALUE:
            node = node["additionalProperties"]
        else:
            node = node["properties"][part]
    return node


def dotted(path: Path_) -> str:
    """`dependsOn.*.jobId` for a path."""
    return ".".join(path)


def _named(short: str) -> Fill:
    return lambda ctx, _i: ctx.name(short)


def _referred(kind: str, acts: bool) -> Fill:
    if acts:
        return lambda ctx, _i: ctx.fresh(kind)
    return lambda ctx, _i: ctx.resource(kind)


def reference_fills() -> dict[str, Fill]:
    """Fills of what names a Batch resource, from the catalogue: a create's name member gets
    a fresh name of the run; a reference, one of the run's resources of its kind (made for
    the request alone where the request changes or ends it). References by name only are
    left to the schema (the catalogue's resources are named by ARN where they can be)."""
    fills: dict[str, Fill] = {}
    for kind in KINDS:
        if kind.create is None:  # not made through Batch (IAM roles): filled by the scope
            continue
        fills[f"{kind.create}:{kind.named_by}"] = _named(kind.short)
        for ref in kind.refs:
            if ref.by != "name":
                fills[f"{ref.operation}:{ref.path}"] = _referred(kind.name, ref.acts)
    return fills


_REFERENCE_FILLS = reference_fills()


OTHER_PLATFORM = "other-platform-compute-environment"


def _other_platform(ctx: Context) -> str:
    """A compute environment of the other platform than the run's own (EC2 or Fargate)."""
    unmanaged = "compute-environment"  # an UNMANAGED environment runs on EC2
    return "fargate-compute-environment" if ctx.compute_kind == unmanaged else unmanaged


def _resources(ctx: Context) -> dict[str, Callable[[], str]]:
    """The run's resources an edit may name, by kind, beyond one of each catalogue kind."""
    return {
        "job": lambda: ctx.jobs(1)[0],
        "array-job": lambda: ctx.array_jobs(1)[0],
        OTHER_PLATFORM: lambda: ctx.fresh(_other_platform(ctx)),
    }


class RequestBuilder:
    """Builds and edits requests of one operation."""

    def __init__(self, operation: str, ctx: Context, scope: Scope) -> None:
        self.operation = operation
        self.scope = scope
        self.ctx = ctx
        self.schema = load_schema(scope.schema_name(operation, "request"))
        self._fills = {**_REFERENCE_FILLS, **scope.tables.fills}
        self._resources = _resources(ctx)

    def fill(self, path: Path_, index: int = 0) -> Any:
        """A valid value for the member at `path` (item `index` for list items)."""
        key = f"{self.operation}:{dotted(path)}"
        if key in self._fills:
            return self._fills[key](self.ctx, index)
        return self.sample(schema_at(self.schema, path), path)

    def has_fill(self, path: Path_) -> bool:
        """Is the member at `path` filled with something of the run, not sampled?"""
        return f"{self.operation}:{dotted(path)}" in self._fills

    def resource(self, kind: str) -> str:
        """The ID of one of the run's resources: a `job`, an `array-job`, a compute
        environment of the other platform than the run's, or one of a catalogue kind."""
        made = self._resources.get(kind)
        return made() if made is not None else self.ctx.resource(kind)

    def sample(self, node: dict[str, Any], path: Path_) -> Any:
        """The smallest valid value of a schema node."""
        if "const" in node:
            return node["const"]
        if "enum" in node:
            return node["enum"][0]
        kind = node.get("type")
        if kind == "object":
            props = node.get("properties", {})
            required = list(node.get("required", []))
            if "if" in node and "then" in node:
                required += node["then"].get("required", [])
            members = {
                name: self.fill([*path, name]) for name in dict.fromkeys(required) if name in props
            }
            if isinstance(node.get("additionalProperties"), dict):
                members.update(self.entries(path, int(node.get("minProperties", 0))))
            return members
        if kind == "array":
            return [self.fill([*path, STAR], i) for i in range(node.get("minItems", 0))]
        if kind == "integer":
            return max(int(node.get("minimum", 1)), 1)
        if kind == "boolean":
            return False
        if kind == "string":
            return text_of_length(max(node.get("minLength", 1), 4), node, "bcval")
        raise ValueError(f"{self.operation} {dotted(path)}: cannot sample {node!r}")

    def build(self, explicit: bool = True) -> dict[str, Any]:
        """The smallest valid request: the required members and what a documented
        dependency needs, and (unless not `explicit`) the optional members the scope's
        tables send anyway."""
        request = self.sample(self.schema, [])
        assert isinstance(request, dict)
        for member in self.schema.get("required", []):  # a required list is never empty
            if request.get(member) == []:
                request[member] = self.items([member], 1)
        tables = self.scope.tables
        members = tables.also_required.get(self.operation, ())
        if explicit:
            members = (*members, *tables.explicit.get(self.operation, ()))
        for member in members:
            if member not in request:
                node = schema_at(self.schema, [member])
                request[member] = (
                    self.items([member], 1) if node.get("type") == "array" else self.fill([member])
                )
        return request

    def settle(self, request: dict[str, Any]) -> dict[str, Any]:
        """`request` after edits, kept valid where an edit made a whole part of it moot,
        with what else each member it holds needs (the scope's `adjusts`: a fair-share
        queue for a share identifier, a Fargate definition for ephemeral storage, ...).

        A job definition of today's API has exactly one of containerProperties,
        ecsProperties, eksProperties and nodeProperties: an edit that sets one of the
        others drops the container properties the smallest request carried. ListJobs
        lists one job queue, array job or multi-node job: an edit that names a job drops
        the queue.
        """
        if self.operation == "RegisterJobDefinition":
            others = ("ecsProperties", "eksProperties", "nodeProperties")
            if any(member in request for member in others):
                request.pop("containerProperties", None)
        if self.operation == "CreateComputeEnvironment" and "computeResources" in request:
            request["type"] = "MANAGED"  # only a MANAGED environment has them
        if self.operation == "ListJobs" and {"arrayJobId", "multiNodeJobId"} & request.keys():
            request.pop("jobQueue", None)  # "You must specify only one of the following"
        prefix = f"{self.operation}:"
        for key, adjusts in self.scope.tables.adjusts.items():
            if key.startswith(prefix) and _holds(request, key.removeprefix(prefix)):
                for adjust in adjusts:
                    adjust(request, self.ctx)
        return request

    def set_at(self, request: dict[str, Any], path: Path_, value: Any) -> None:
        """Set the member at `path` (first item for `*`), creating valid parents."""
        node: Any = request
        for depth, part in enumerate(path[:-1]):
            here = path[: depth + 1]
            if part == STAR:
                if not node:
                    node.append(self.fill(here, 0))
                node = node[0]
            elif part == MAP_VALUE:
                if not node:
                    node[map_key(0)] = self.fill(here, 0)
                node = node[next(iter(node))]
            else:
                if part not in node:
                    node[part] = self.fill(here)
                node = node[part]
        last = path[-1]
        if last == STAR:
            if node:
                node[0] = value
            else:
                node.append(value)
        elif last == MAP_VALUE:
            node[next(iter(node), map_key(0))] = value
        else:
            node[last] = value

    def delete_at(self, request: dict[str, Any], path: Path_, member: str) -> None:
        """Remove `member` from the object at `path`, creating that object if needed."""
        if path:
            self.set_at(request, path, self.get_or_fill(request, path))
        node: Any = request
        for part in path:
            if part == STAR:
                node = node[0]
            elif part == MAP_VALUE:
                node = node[next(iter(node))]
            else:
                node = node[part]
        node.pop(member, None)

    def get_or_fill(self, request: dict[str, Any], path: Path_) -> Any:
        """The member at `path` if present, else a freshly filled one."""
        node: Any = request
        for part in path:
            if part == STAR:
                if not node:
                    return self.fill(path)
                node = node[0]
            elif part == MAP_VALUE:
                if not node:
                    return self.fill(path)
                node = node[next(iter(node))]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return self.fill(path)
        return node

    def items(self, path: Path_, count: int) -> list[Any]:
        """`count` valid items for the list at `path`."""
        return [self.fill([*path, STAR], i) for i in range(count)]

    def entries(self, path: Path_, count: int) -> dict[str, Any]:
        """`count` valid entries for the map at `path`."""
        return {map_key(i): self.fill([*path, MAP_VALUE], i) for i in range(count)}


def _holds(request: dict[str, Any], dotted: str) -> bool:
    """Does `request` hold the member at `dotted` (through objects)?"""
    node: Any = request
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def text_of_length(length: int, node: dict[str, Any], stem: str) -> str:
    """A string of exactly `length` characters that keeps to `node`'s pattern when it can."""
    text = (stem + "x" * length)[:length]
    pattern = node.get("pattern")
    if pattern and text and not re.search(pattern, text):
        text = "b" * length
    return text


def needs_network(request: dict[str, Any]) -> bool:
    """Does this request name the placeholder network (no --subnets given)?"""
    resources = request.get("computeResources")
    if not isinstance(resources, dict):
        return False
    return PLACEHOLDER_SUBNET in resources.get("subnets", []) or (
        PLACEHOLDER_SECURITY_GROUP in resources.get("securityGroupIds", [])
    )
