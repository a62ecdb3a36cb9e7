"""Valid requests built from the request schemas, bound to the run's resources.

`build(operation, ctx)` gives the smallest valid request; `set_at` / `delete_at` change one
member, creating valid parents from the schema as needed. Members that must name real
things (queue, definition, job IDs) come from the run's context, everything else is
sampled from the schema itself, so the limits are never copied here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conformance.schemas import Scope, load_schema, schema_name

Path_ = list[str]  # "*" stands for "an item of this list"
STAR = "*"
MAP_VALUE = "{}"  # "a value of this map" (a map is an object with additionalProperties)


PLACEHOLDER_PREFIX = "bc00000000"
PLACEHOLDER_JOB_ROLE_ARN = f"arn:aws:iam::000000000000:role/{PLACEHOLDER_PREFIX}-job-role"
PLACEHOLDER_SUBNET = "subnet-0000000000000000b"
PLACEHOLDER_SECURITY_GROUP = "sg-0000000000000000b"


def placeholder_jobs(count: int) -> list[str]:
    """IDs of the right shape for `count` plain jobs (no endpoint knows them)."""
    return [f"00000000-0000-0000-0000-{i:012d}" for i in range(count)]


def placeholder_array_jobs(count: int) -> list[str]:
    """IDs of the right shape for `count` array jobs (no endpoint knows them)."""
    return [f"00000000-0000-0000-0001-{i:012d}" for i in range(count)]


def placeholder_resource(kind: str) -> str:
    """A reference of the right shape to a resource of `kind` that no endpoint has."""
    if kind == "job":
        return placeholder_jobs(1)[0]
    return f"arn:aws:batch:us-east-1:000000000000:{kind}/{PLACEHOLDER_PREFIX}-{kind}"


@dataclass
class Context:
    """What requests may reference: a name maker, the queue, the base definition, jobs.

    `jobs(n)` gives `n` plain jobs of the run; `array_jobs(n)` gives `n` array jobs of the
    run, each of the smallest documented size (`arrayProperties.size` sampled from the
    SubmitJob schema: 2), for N_TO_N dependencies; `job_role_arn` is an IAM role of the
    account the run may pass to a job definition (AWS checks iam:PassRole at registration).
    The defaults are placeholders of the right shape, for deriving cases without an endpoint.
    """

    name: Callable[[str], str]
    job_queue: str
    job_definition: str
    prefix: str
    jobs: Callable[[int], list[str]]
    array_jobs: Callable[[int], list[str]] = field(default=placeholder_array_jobs)
    job_role_arn: str = PLACEHOLDER_JOB_ROLE_ARN
    # What current-scope requests may name besides queue, definition and jobs (kinds: see
    # `run_resources`): one of the run's, made on first need; one made for this request alone
    # (what the request deletes, updates or terminates).
    resource: Callable[[str], str] = field(default=placeholder_resource)
    fresh: Callable[[str], str] = field(default=placeholder_resource)
    service_role_arn: str = ""
    subnets: tuple[str, ...] = ()  # --subnets: a real network for MANAGED compute resources
    security_groups: tuple[str, ...] = ()


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


def map_key(index: int) -> str:
    """The key of a map's `index`-th entry in the requests the suite builds."""
    return f"bckey{index}"


def dotted(path: Path_) -> str:
    """`dependsOn.*.jobId` for a path."""
    return ".".join(path)


def _fills(operation: str, ctx: Context, scope: Scope) -> dict[str, Callable[[int], Any]]:
    """Members that must name real things, or read better with a realistic value."""
    jobs = ctx.jobs
    return {
        "SubmitJob:jobName": lambda _i: ctx.name("job"),
        "SubmitJob:jobQueue": lambda _i: ctx.job_queue,
        "SubmitJob:jobDefinition": lambda _i: ctx.job_definition,
        "SubmitJob:dependsOn.*": lambda i: {"jobId": jobs(i + 1)[i]},
        "SubmitJob:containerOverrides.environment.*": lambda i: {
            "name": f"BC_VAR_{i}",
            "value": "1",
        },
        "RegisterJobDefinition:jobDefinitionName": lambda _i: ctx.name("jd"),
        "RegisterJobDefinition:containerProperties.image": lambda _i: "busybox",
        "RegisterJobDefinition:containerProperties.vcpus": lambda _i: 1,
        "RegisterJobDefinition:containerProperties.memory": lambda _i: 128,
        "RegisterJobDefinition:containerProperties.jobRoleArn": lambda _i: ctx.job_role_arn,
        "RegisterJobDefinition:containerProperties.environment.*": lambda i: {
            "name": f"BC_VAR_{i}",
            "value": "1",
        },
        "RegisterJobDefinition:containerProperties.volumes.*": lambda i: {
            "name": f"data{i}",
            "host": {"sourcePath": f"/tmp/data{i}"},
        },
        "DescribeJobs:jobs": lambda _i: [jobs(1)[0]],  # an empty list: AWS's answer unknown
        "DescribeJobs:jobs.*": lambda i: jobs(1)[0] if i == 0 else str(uuid.uuid4()),
        # Entries are `name:revision` or ARNs (a bare name is not a documented form).
        "DescribeJobDefinitions:jobDefinitions.*": lambda i: f"{ctx.prefix}-absent-{i}:1",
        **(_current_fills(ctx) if scope == "current" else {}),
    }


def _taggable(ctx: Context) -> str:
    """An ARN of the run that takes tags: its job queue's, else a scheduling policy's."""
    return ctx.job_queue if ctx.job_queue.startswith("arn:") else ctx.resource("scheduling-policy")


def _current_fills(ctx: Context) -> dict[str, Callable[[int], Any]]:
    """Fills of today's operations (current scope): real things of the run, valid names."""
    res, fresh = ctx.resource, ctx.fresh
    service_job = "00000000-0000-0000-0002-000000000000"  # service jobs run SageMaker: none
    quota_share = f"arn:aws:batch:us-east-1:000000000000:quota-share/{ctx.prefix}-absent"
    fills: dict[str, Callable[[int], Any]] = {
        "RegisterJobDefinition:containerProperties": lambda _i: {
            "image": "busybox",
            "vcpus": 1,
            "memory": 128,
        },
        "RegisterJobDefinition:ecsProperties.taskProperties.*": lambda _i: {
            "containers": [
                {
                    "image": "busybox",
                    "essential": True,
                    "resourceRequirements": [
                        {"type": "VCPU", "value": "1"},
                        {"type": "MEMORY", "value": "128"},
                    ],
                }
            ]
        },
        "CreateComputeEnvironment:computeEnvironmentName": lambda _i: ctx.name("ce"),
        "CreateComputeEnvironment:computeResources": lambda _i: {
            "type": "FARGATE",
            "maxvCpus": 1,
            "subnets": list(ctx.subnets) or [PLACEHOLDER_SUBNET],
            "securityGroupIds": list(ctx.security_groups) or [PLACEHOLDER_SECURITY_GROUP],
        },
        "CreateComputeEnvironment:type": lambda _i: "UNMANAGED",
        "CreateComputeEnvironment:state": lambda _i: "ENABLED",
        "CreateComputeEnvironment:serviceRole": lambda _i: ctx.service_role_arn,
        "CreateJobQueue:state": lambda _i: "ENABLED",
        "UpdateComputeEnvironment:computeEnvironment": lambda _i: fresh("compute-environment"),
        "DeleteComputeEnvironment:computeEnvironment": lambda _i: fresh("compute-environment"),
        "DescribeComputeEnvironments:computeEnvironments.*": lambda _i: res("compute-environment"),
        "CreateJobQueue:jobQueueName": lambda _i: ctx.name("jq"),
        "CreateJobQueue:priority": lambda _i: 1,
        "CreateJobQueue:computeEnvironmentOrder.*": lambda i: {
            "order": i + 1,
            "computeEnvironment": res("compute-environment"),
        },
        "UpdateJobQueue:jobQueue": lambda _i: fresh("job-queue"),
        "DeleteJobQueue:jobQueue": lambda _i: fresh("job-queue"),
        "DescribeJobQueues:jobQueues.*": lambda _i: ctx.job_queue,
        "GetJobQueueSnapshot:jobQueue": lambda _i: ctx.job_queue,
        "ListJobs:jobQueue": lambda _i: ctx.job_queue,
        "DeregisterJobDefinition:jobDefinition": lambda _i: fresh("job-definition"),
        "CancelJob:jobId": lambda _i: fresh("job"),
        "TerminateJob:jobId": lambda _i: fresh("job"),
        # jobs of their own: the run's anchor jobs are for other cases to depend on
        "CancelJobs:jobs.*": lambda _i: fresh("job"),
        "TerminateJobs:jobs.*": lambda _i: fresh("job"),
        "CreateSchedulingPolicy:name": lambda _i: ctx.name("sp"),
        "UpdateSchedulingPolicy:arn": lambda _i: res("scheduling-policy"),
        "DeleteSchedulingPolicy:arn": lambda _i: fresh("scheduling-policy"),
        "DescribeSchedulingPolicies:arns.*": lambda _i: res("scheduling-policy"),
        "TagResource:resourceArn": lambda _i: _taggable(ctx),
        "UntagResource:resourceArn": lambda _i: _taggable(ctx),
        "ListTagsForResource:resourceArn": lambda _i: _taggable(ctx),
        "UntagResource:tagKeys.*": map_key,
        "CreateConsumableResource:consumableResourceName": lambda _i: ctx.name("cr"),
        "CreateConsumableResource:resourceType": lambda _i: "REPLENISHABLE",
        "CreateConsumableResource:totalQuantity": lambda _i: 1,
        "DescribeConsumableResource:consumableResource": lambda _i: res("consumable-resource"),
        "UpdateConsumableResource:consumableResource": lambda _i: res("consumable-resource"),
        "DeleteConsumableResource:consumableResource": lambda _i: fresh("consumable-resource"),
        "ListJobsByConsumableResource:consumableResource": lambda _i: res("consumable-resource"),
        "CreateServiceEnvironment:serviceEnvironmentName": lambda _i: ctx.name("se"),
        "CreateServiceEnvironment:capacityLimits.*": lambda _i: {
            "maxCapacity": 1,
            "capacityUnit": "NUM_INSTANCES",
        },
        "UpdateServiceEnvironment:serviceEnvironment": lambda _i: res("service-environment"),
        "DeleteServiceEnvironment:serviceEnvironment": lambda _i: fresh("service-environment"),
        "DescribeServiceEnvironments:serviceEnvironments.*": lambda _i: res("service-environment"),
        "SubmitServiceJob:jobName": lambda _i: ctx.name("sjob"),
        "SubmitServiceJob:jobQueue": lambda _i: res("service-queue"),
        "SubmitServiceJob:serviceRequestPayload": lambda _i: "{}",
        "ListServiceJobs:jobQueue": lambda _i: res("service-queue"),
        "DescribeServiceJob:jobId": lambda _i: service_job,
        "TerminateServiceJob:jobId": lambda _i: service_job,
        "UpdateServiceJob:jobId": lambda _i: service_job,
        "TerminateServiceJobs:jobs.*": lambda _i: service_job,
        "CreateQuotaShare:quotaShareName": lambda _i: ctx.name("qs"),
        "CreateQuotaShare:jobQueue": lambda _i: res("service-queue"),
        "ListQuotaShares:jobQueue": lambda _i: res("service-queue"),
        "DescribeQuotaShare:quotaShareArn": lambda _i: quota_share,
        "UpdateQuotaShare:quotaShareArn": lambda _i: quota_share,
        "DeleteQuotaShare:quotaShareArn": lambda _i: quota_share,
    }
    return fills


# Members the model does not mark required but a request needs on AWS (the smallest
# valid request of the current scope carries them).
# (`state` defaults to ENABLED on AWS; sent, so a limit case tests its limit, not a default)
ALSO_REQUIRED: dict[str, tuple[str, ...]] = {
    "RegisterJobDefinition": ("containerProperties",),  # the smallest is a container job
    "CreateJobQueue": ("computeEnvironmentOrder", "state"),
    "CreateComputeEnvironment": ("state", "serviceRole"),
    "CreateConsumableResource": ("resourceType", "totalQuantity"),
}


def _resources(ctx: Context) -> dict[str, Callable[[], str]]:
    """The run's resources an edit may name, by kind."""
    return {
        "job": lambda: ctx.jobs(1)[0],
        "array-job": lambda: ctx.array_jobs(1)[0],
    }


class RequestBuilder:
    """Builds and edits requests of one operation."""

    def __init__(self, operation: str, ctx: Context, scope: Scope = "seed") -> None:
        self.operation = operation
        self.scope = scope
        self.schema = load_schema(schema_name(operation, "request", scope))
        self._fills = _fills(operation, ctx, scope)
        self._resources = _resources(ctx)

    def fill(self, path: Path_, index: int = 0) -> Any:
        """A valid value for the member at `path` (item `index` for list items)."""
        key = f"{self.operation}:{dotted(path)}"
        if key in self._fills:
            return self._fills[key](index)
        return self.sample(schema_at(self.schema, path), path)

    def has_fill(self, path: Path_) -> bool:
        """Is the member at `path` filled with something of the run, not sampled?"""
        return f"{self.operation}:{dotted(path)}" in self._fills

    def resource(self, kind: str) -> str:
        """The ID of one of the run's resources: a `job` or an `array-job`."""
        return self._resources[kind]()

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

    def build(self) -> dict[str, Any]:
        """The smallest valid request."""
        request = self.sample(self.schema, [])
        assert isinstance(request, dict)
        if self.scope == "current":
            for member in self.schema.get("required", []):  # a required list is never empty
                if request.get(member) == []:
                    request[member] = self.items([member], 1)
            for member in ALSO_REQUIRED.get(self.operation, ()):
                if member not in request:
                    node = schema_at(self.schema, [member])
                    request[member] = (
                        self.items([member], 1)
                        if node.get("type") == "array"
                        else self.fill([member])
                    )
        return request

    def settle(self, request: dict[str, Any]) -> dict[str, Any]:
        """`request` after edits, kept valid where an edit made a whole part of it moot.

        A job definition of today's API has exactly one of containerProperties,
        ecsProperties, eksProperties and nodeProperties: an edit that sets one of the
        others drops the container properties the smallest request carried.
        """
        if self.scope == "current" and self.operation == "RegisterJobDefinition":
            others = ("ecsProperties", "eksProperties", "nodeProperties")
            if any(member in request for member in others):
                request.pop("containerProperties", None)
        if (
            self.scope == "current"
            and self.operation == "CreateComputeEnvironment"
            and "computeResources" in request  # only a MANAGED environment has them
        ):
            request["type"] = "MANAGED"
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


def text_of_length(length: int, node: dict[str, Any], stem: str) -> str:
    """A string of exactly `length` characters that keeps to `node`'s pattern when it can."""
    text = (stem + "x" * length)[:length]
    pattern = node.get("pattern")
    if pattern and text and not re.search(pattern, text):
        text = "b" * length
    return text


def placeholder_context() -> Context:
    """A context of the right shapes, for deriving cases before any endpoint exists."""
    prefix = PLACEHOLDER_PREFIX
    return Context(
        name=lambda kind: f"{prefix}-{kind}-1",
        job_queue="queue",
        job_definition="definition",
        prefix=prefix,
        jobs=placeholder_jobs,
        array_jobs=placeholder_array_jobs,
        job_role_arn=PLACEHOLDER_JOB_ROLE_ARN,
    )


def needs_network(request: dict[str, Any]) -> bool:
    """Does this request name the placeholder network (no --subnets given)?"""
    resources = request.get("computeResources")
    return isinstance(resources, dict) and PLACEHOLDER_SUBNET in resources.get("subnets", [])
