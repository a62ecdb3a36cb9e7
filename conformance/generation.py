"""Requests generated from the request schemas with hypothesis-jsonschema.

Generation narrows what the seed leaves open to realistic values (short ASCII strings,
small positive integers, short lists, small arrays) and to what AWS states beyond the seed
(`conformance.documented`: ulimit names, user names, override minimums, no empty objects),
so that a conformant endpoint never refuses a generated request for a reason the seed does
not state; the documented limits themselves stay exactly as the schemas give them. `bind`
then points a request at the run's resources and makes its parts agree (mount points name
volumes of the request, `jobDefinitions` alone).
"""

from __future__ import annotations

import copy
from functools import cache
from itertools import count
from typing import Any, cast

from hypothesis import strategies as st
from hypothesis.errors import FlakyFailure
from hypothesis_jsonschema import from_schema

from conformance import documented, generation_speed
from conformance.context import Context
from conformance.requests import STAR, RequestBuilder, schema_at
from conformance.schemas import Scope, load_schema

REALISTIC_TEXT = "^[A-Za-z0-9_.-]{1,24}$"
MAX_INT = 4096
MAX_LIST = 3
MAX_ARRAY_SIZE = 10  # array jobs are real work for an endpoint: keep generated ones small
ANNOTATIONS = ("x-rules", "description", "title", "$id", "examples")
generation_speed.speed_up()  # each member's strategy built once, not at every draw


def _narrow(node: Any) -> Any:
    """A copy of a schema node with open-ended values narrowed to realistic ones."""
    if isinstance(node, list):
        return [_narrow(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _narrow(v) for k, v in node.items() if k not in ANNOTATIONS}
    kind = out.get("type")
    if kind == "string" and not {"enum", "const", "pattern"} & out.keys():
        out["pattern"] = REALISTIC_TEXT
    if kind == "integer":
        out.setdefault("minimum", 1)
        out.setdefault("maximum", max(MAX_INT, out["minimum"]))
    if kind == "array":
        out["maxItems"] = min(out.get("maxItems", MAX_LIST), MAX_LIST)
        items = out.get("items")
        if isinstance(items, dict) and items.get("properties"):
            # List entries are generated whole (an environment entry has a name and a value):
            # the seed does not say a part may be left out.
            items["required"] = sorted(items["properties"])
    if kind == "object" and isinstance(out.get("additionalProperties"), dict):
        out["maxProperties"] = min(out.get("maxProperties", MAX_LIST), MAX_LIST)
        out.setdefault("propertyNames", {"pattern": REALISTIC_TEXT})
    return out


def _documented(operation: str, schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Keywords per member path that keep generated values to what AWS states beyond the seed."""
    found: dict[str, dict[str, Any]] = {}
    if operation == "RegisterJobDefinition":
        found["containerProperties.ulimits.*.name"] = {"enum": list(documented.ULIMIT_NAMES)}
        found["containerProperties.user"] = {"pattern": documented.USER_PATTERN}
    if operation == "SubmitJob":
        for name, minimum in documented.override_minimums().items():
            found[f"containerOverrides.{name}"] = {"minimum": minimum}
    for owner, member in documented.NON_EMPTY:
        if owner == operation:
            kind = schema_at(schema, [member])["type"]
            found[member] = {"minProperties" if kind == "object" else "minItems": 1}
    return found


def generation_schema(operation: str, scope: Scope) -> dict[str, Any]:
    """The request schema of `operation` in `scope`, narrowed for generation."""
    schema = _narrow(copy.deepcopy(load_schema(scope.schema_name(operation, "request"))))
    schema.pop("$schema", None)
    size = schema.get("properties", {}).get("arrayProperties", {}).get("properties", {})
    if "size" in size:
        size["size"]["maximum"] = min(size["size"].get("maximum", MAX_ARRAY_SIZE), MAX_ARRAY_SIZE)
    for dotted, keywords in _documented(operation, schema).items():
        node = schema_at(schema, dotted.split("."))
        if "enum" in keywords:
            node.pop("pattern", None)
        node.update(keywords)
    return dict(schema)


@cache
def requests_of(operation: str, scope: Scope) -> st.SearchStrategy[dict[str, Any]]:
    """A strategy of valid (narrowed) requests of `operation`, before binding (built once:
    a strategy is a description, shared by every case that draws from it)."""
    schema = generation_schema(operation, scope)
    return cast("st.SearchStrategy[dict[str, Any]]", from_schema(schema))


# Members that must name things that exist on the endpoint, per operation.
BOUND = {
    "SubmitJob": ("jobName", "jobQueue", "jobDefinition"),
    "RegisterJobDefinition": ("jobDefinitionName",),
}


def _volumes_referenced(container: dict[str, Any], builder: RequestBuilder) -> None:
    """Volumes named once each; every mount point names one of them (made when none)."""
    mounts = [dict(mount) for mount in container.get("mountPoints") or []]
    volumes = [dict(volume) for volume in container.get("volumes") or []]
    if mounts and not volumes:
        volumes = builder.items(["containerProperties", "volumes"], len(mounts))
    taken = {volume["name"] for volume in volumes}
    names: list[str] = []
    for volume in volumes:
        if volume["name"] in names:
            volume["name"] = next(f"bcvol{k}" for k in count() if f"bcvol{k}" not in taken)
            taken.add(volume["name"])
        names.append(volume["name"])
    for index, mount in enumerate(mounts):
        mount["sourceVolume"] = names[index % len(names)]
    if mounts:
        container["mountPoints"] = mounts
    if volumes:
        container["volumes"] = volumes


def bind(operation: str, request: dict[str, Any], ctx: Context, scope: Scope) -> dict[str, Any]:
    """Point a generated request at the run's resources (queue, definition, real job IDs).

    Also makes its parts agree where AWS states how: a role the run may pass as jobRoleArn,
    mount points on volumes of the same request, `jobDefinitions` without other parameters.
    """
    bound = copy.deepcopy(request)
    builder = RequestBuilder(operation, ctx, scope)
    for member in BOUND.get(operation, ()):
        bound[member] = builder.fill([member])
    container = bound.get("containerProperties")
    if operation == "RegisterJobDefinition" and isinstance(container, dict):
        if "jobRoleArn" in container:
            container["jobRoleArn"] = builder.fill(["containerProperties", "jobRoleArn"])
        _volumes_referenced(container, builder)
    if operation == "SubmitJob" and bound.get("dependsOn"):
        jobs = ctx.jobs(len(bound["dependsOn"]))
        # Plain dependencies only: N_TO_N and SEQUENTIAL need array jobs on both sides.
        bound["dependsOn"] = [{"jobId": job} for job in jobs]
    if operation == "DescribeJobs":
        bound["jobs"] = [builder.fill(["jobs", STAR], i) for i in range(len(bound["jobs"]))]
    if operation == "DescribeJobDefinitions" and "jobDefinitions" in bound:
        # "This parameter can't be used with other parameters."
        bound = {"jobDefinitions": builder.items(["jobDefinitions"], len(bound["jobDefinitions"]))}
    if operation == "DescribeJobDefinitions" and "nextToken" in bound:
        del bound["nextToken"]  # a token is opaque: only one the endpoint gave is valid
    return bound


def bind_references(operation: str, request: dict[str, Any], builder: RequestBuilder) -> None:
    """Point the members of a generated request that name things at the run's own (current
    scope): every top-level member, or list of them, the builder has a fill for."""
    for member, value in list(request.items()):
        if builder.has_fill([member]):
            request[member] = builder.fill([member])
        elif isinstance(value, list) and builder.has_fill([member, STAR]):
            request[member] = builder.items([member], len(value))


def first_answer(flaky: FlakyFailure) -> Exception:
    """The verdict of an example an endpoint answered two ways: its first answer.

    A stateful endpoint can accept a create (the failure) and then refuse hypothesis's
    replay of the same example because the name now exists; hypothesis calls that flaky.
    The first failure is returned, with the example (not hypothesis's replay notes).
    """
    first = flaky.exceptions[0]
    for note in getattr(flaky, "__notes__", []):
        if note.startswith(("Falsifying", "Failing test case")):
            first.add_note(note)
    return first
