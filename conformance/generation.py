"""Requests generated from the request schemas with hypothesis-jsonschema.

Generation narrows what the seed leaves open to realistic values (short ASCII strings,
small positive integers, short lists, small arrays) so that a conformant endpoint never
refuses a generated request for a reason the seed does not state; the documented limits
themselves stay exactly as the schemas give them.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from conformance.requests import STAR, Context, RequestBuilder
from conformance.schemas import load_schema

REALISTIC_TEXT = "^[A-Za-z0-9_.-]{1,24}$"
MAX_INT = 4096
MAX_LIST = 3
MAX_ARRAY_SIZE = 10  # array jobs are real work for an endpoint: keep generated ones small
ANNOTATIONS = ("x-rules", "description", "title", "$id", "examples")


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


def generation_schema(operation: str) -> dict[str, Any]:
    """The request schema of `operation`, narrowed for generation."""
    schema = _narrow(copy.deepcopy(load_schema(f"{operation}.request")))
    schema.pop("$schema", None)
    size = schema.get("properties", {}).get("arrayProperties", {}).get("properties", {})
    if "size" in size:
        size["size"]["maximum"] = min(size["size"].get("maximum", MAX_ARRAY_SIZE), MAX_ARRAY_SIZE)
    return dict(schema)


def requests_of(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """A strategy of valid (narrowed) requests of `operation`, before binding."""
    return cast("st.SearchStrategy[dict[str, Any]]", from_schema(generation_schema(operation)))


# Members that must name things that exist on the endpoint, per operation.
BOUND = {
    "SubmitJob": ("jobName", "jobQueue", "jobDefinition"),
    "RegisterJobDefinition": ("jobDefinitionName",),
}


def bind(operation: str, request: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Point a generated request at the run's resources (queue, definition, real job IDs)."""
    bound = copy.deepcopy(request)
    builder = RequestBuilder(operation, ctx)
    for member in BOUND.get(operation, ()):
        bound[member] = builder.fill([member])
    if operation == "SubmitJob" and bound.get("dependsOn"):
        jobs = ctx.jobs(len(bound["dependsOn"]))
        # Plain dependencies only: N_TO_N and SEQUENTIAL need array jobs on both sides.
        bound["dependsOn"] = [{"jobId": job} for job in jobs]
    if operation == "DescribeJobs":
        bound["jobs"] = [builder.fill(["jobs", STAR], i) for i in range(len(bound["jobs"]))]
    if operation == "DescribeJobDefinitions" and "jobDefinitions" in bound:
        count = len(bound["jobDefinitions"])
        bound["jobDefinitions"] = builder.items(["jobDefinitions"], count)
    if operation == "DescribeJobDefinitions" and "nextToken" in bound:
        del bound["nextToken"]  # a token is opaque: only one the endpoint gave is valid
    return bound
