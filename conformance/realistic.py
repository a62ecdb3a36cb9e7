"""Realistic values for request members, and the members a round-trip case sets.

The list of members comes from the request schemas: a member added there gets its
round-trip case without new code (falling back to a value sampled from its schema when
no realistic value is written here). Each scope has its own tables: the seed's four
operations of 2018 (below), and today's create, register, submit and update operations
(`--scope current`, further down, with what is left out and why in one table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conformance.requests import Context, RequestBuilder, placeholder_context
from conformance.schemas import Scope

# A realistic value per member path; booleans are set to the non-default value so that a
# dropped member cannot pass for its default.
REALISTIC: dict[str, Any] = {
    "parameters": {"inputfile": "s3://bc-bucket/input.txt", "mode": "fast"},
    "retryStrategy": {"attempts": 3},
    "timeout": {"attemptDurationSeconds": 120},
    "containerProperties.image": "public.ecr.aws/docker/library/busybox:1.36",
    "containerProperties.vcpus": 2,
    "containerProperties.memory": 256,
    "containerProperties.command": ["echo", "Ref::inputfile"],
    "containerProperties.jobRoleArn": None,  # AWS checks iam:PassRole: the run's own role
    "containerProperties.volumes": [{"name": "scratch", "host": {"sourcePath": "/tmp/scratch"}}],
    "containerProperties.environment": [{"name": "BC_MODE", "value": "test"}],
    "containerProperties.mountPoints": [
        {"containerPath": "/scratch", "readOnly": True, "sourceVolume": "scratch"}
    ],
    "containerProperties.readonlyRootFilesystem": True,
    "containerProperties.privileged": True,
    "containerProperties.ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}],
    "containerProperties.user": "nobody",
    "containerOverrides.vcpus": 2,
    "containerOverrides.memory": 256,
    "containerOverrides.command": ["echo", "override"],
    "containerOverrides.environment": [{"name": "BC_OVERRIDE", "value": "yes"}],
    "arrayProperties": {"size": 2},
    "dependsOn": None,  # needs a real job: filled from the run's context
}
# Members that only make sense together with others (a mount point names a volume).
COMPANIONS = {"containerProperties.mountPoints": ("containerProperties.volumes",)}
# Members that only identify what the request acts on (no round trip of their own).
IDENTIFYING = {
    "RegisterJobDefinition": {"jobDefinitionName", "type"},
    "SubmitJob": {"jobName", "jobQueue", "jobDefinition"},
}
# Where a SubmitJob member shows in DescribeJobs' job, when not under the same name.
ANSWERED_AS = {"containerOverrides": "container"}
# Whole objects sent as one value (their parts are not separate cases).
WHOLE = {"parameters", "retryStrategy", "timeout", "arrayProperties"}


@dataclass(frozen=True)
class Member:
    """A request member a round-trip case sets, and where the answer carries it."""

    operation: str
    path: tuple[str, ...]
    scope: Scope = "seed"

    @property
    def dotted(self) -> str:
        """`containerProperties.image`."""
        return ".".join(self.path)

    @property
    def answered_at(self) -> tuple[str, ...]:
        """The path of the member in the describe answer's entry."""
        renamed = ANSWERED_AS if self.scope == "seed" else CURRENT_ANSWERED_AS
        head = renamed.get(f"{self.operation}:{self.path[0]}", self.path[0])
        head = renamed.get(self.path[0], head)
        return (head, *self.path[1:])


def members(operation: str, schema: dict[str, Any], scope: Scope = "seed") -> list[Member]:
    """Every settable member of a request schema, one level into container objects.

    In the current scope, what `LEFT_OUT` names (a member, or a whole object) has no case.
    """
    identifying = IDENTIFYING if scope == "seed" else CURRENT_IDENTIFYING
    whole = WHOLE if scope == "seed" else CURRENT_WHOLE
    left_out = LEFT_OUT.get(operation, {}) if scope == "current" else {}
    found: list[Member] = []
    for name, node in sorted(schema.get("properties", {}).items()):
        if name in identifying.get(operation, set()) or name in left_out:
            continue
        inner = node.get("properties")
        if inner and name not in whole:
            found.extend(
                Member(operation, (name, sub), scope)
                for sub in sorted(inner)
                if f"{name}.{sub}" not in left_out
            )
        else:
            found.append(Member(operation, (name,), scope))
    return found


def value_for(member: Member, builder: RequestBuilder, ctx: Context | None = None) -> Any:
    """A realistic value for the member (else the builder's: the run's context or the schema)."""
    if member.path == ("dependsOn",):
        return [builder.fill(["dependsOn", "*"], 0)]
    if member.scope == "current":
        value = CURRENT_REALISTIC.get(f"{member.operation}:{member.dotted}")
        if callable(value):
            return value(ctx or placeholder_context())
        if value is not None:
            return value
    value = REALISTIC.get(member.dotted)
    if value is not None:
        return value
    return builder.fill(list(member.path))


def request_setting(
    member: Member, builder: RequestBuilder, ctx: Context | None = None
) -> tuple[dict[str, Any], Any]:
    """The smallest valid request with `member` (and its companions) set; and the value.

    `ctx` gives the values of the current scope that name the run's things (its roles,
    compute environment, scheduling policy, ...); without it, placeholders of their shape.
    """
    request = builder.build()
    companions = COMPANIONS if member.scope == "seed" else CURRENT_COMPANIONS
    for companion in companions.get(member.dotted, companions.get(_key(member), ())):
        other = Member(member.operation, tuple(companion.split(".")), member.scope)
        builder.set_at(request, list(other.path), value_for(other, builder, ctx))
    value = value_for(member, builder, ctx)
    builder.set_at(request, list(member.path), value)
    if member.scope == "current":
        for adjust in ADJUSTS.get(_key(member), ()):
            adjust(request, ctx or placeholder_context())
        builder.settle(request)
    return request, value


def _key(member: Member) -> str:
    return f"{member.operation}:{member.dotted}"


def full_request(operation: str, builder: RequestBuilder) -> dict[str, Any]:
    """A valid request with every settable member set to its realistic value."""
    request = builder.build()
    for member in members(operation, builder.schema):
        builder.set_at(request, list(member.path), value_for(member, builder))
    return request


def dig(entry: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` in an answer's entry, or None."""
    for part in path:
        if not isinstance(entry, dict):
            return None
        entry = entry.get(part)
    return entry


def came_back(sent: Any, got: Any) -> bool:
    """Did a sent value come back? Additions and defaults are not changes.

    Objects: every sent key comes back equal (extra keys allowed). Lists of objects: every
    sent item comes back (order free, extras allowed). Other values: equal.
    """
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(
            key in got and came_back(sent[key], got[key]) for key in sent
        )
    if isinstance(sent, list) and sent and all(isinstance(item, dict) for item in sent):
        return isinstance(got, list) and all(
            any(came_back(item, other) for other in got) for item in sent
        )
    return bool(sent == got)


# --- Today's API (`--scope current`) -------------------------------------------------------

# What a round trip of today's API cannot check honestly, and why: one table, by operation
# and member (a member that holds an object leaves out all of it). Everything else of the
# request schema gets its case.
NEEDS_NETWORK = "needs a MANAGED environment in a real VPC (subnets, security groups)"
NEEDS_EKS = "needs a real Amazon EKS cluster"
RESERVED = "documented as 'Reserved.': no value to send"
FIFO_QUEUE = "only for fair-share queues; the run's queue is FIFO and one can't be added to it"
OTHER_KIND = "overrides a definition of another kind than the run's container definition"
MULTINODE_ONLY = "only for multi-node parallel jobs (covered by nodeProperties)"
LEFT_OUT: dict[str, dict[str, str]] = {
    "CreateComputeEnvironment": {
        "computeResources": NEEDS_NETWORK,
        "eksConfiguration": NEEDS_EKS,
        "context": RESERVED,
    },
    "UpdateComputeEnvironment": {
        "computeResources": NEEDS_NETWORK,
        "eksConfiguration": NEEDS_EKS,
        "context": RESERVED,
        "serviceRole": "the run has one service role: an update to the role it was made with"
        " would pass without changing anything",
        "updatePolicy": "governs infrastructure updates of a MANAGED environment: " + NEEDS_NETWORK,
    },
    "UpdateJobQueue": {
        "schedulingPolicyArn": FIFO_QUEUE,
        "serviceEnvironmentOrder": "only for SAGEMAKER_TRAINING queues; the queue updated is ECS",
    },
    "RegisterJobDefinition": {
        "containerProperties.instanceType": MULTINODE_ONLY,
        "containerProperties.repositoryCredentials": "needs a real Secrets Manager secret",
        "containerProperties.secrets": "needs a real Secrets Manager secret or SSM parameter",
    },
    "SubmitJob": {
        "consumableResourcePropertiesOverride": OTHER_KIND,
        "containerOverrides.instanceType": MULTINODE_ONLY,
        "ecsPropertiesOverride": OTHER_KIND,
        "eksPropertiesOverride": OTHER_KIND,
        "nodeOverrides": OTHER_KIND,
        "schedulingPriorityOverride": FIFO_QUEUE,
        "shareIdentifier": FIFO_QUEUE,
    },
    "UpdateConsumableResource": {
        "clientToken": "an idempotency token: DescribeConsumableResource does not carry it",
        "operation": "says how quantity changes (sent with quantity, as SET): not described",
    },
}
# Whole operations without a round trip (their describe counterpart is named for the record).
LEFT_OUT_OPERATIONS: dict[str, str] = {
    "SubmitServiceJob": "needs a real SageMaker CreateTrainingJob payload (training image,"
    " role, S3 output): a placeholder payload is not a request AWS takes",
    "UpdateServiceJob": "needs a service job of the run's, which needs SubmitServiceJob",
    "CreateQuotaShare": "needs a SageMaker training queue with a quota-share scheduling policy"
    " and a quota-managed service environment, whose capacity units are real SageMaker"
    " instance types: not a setup the run can make honestly",
    "UpdateQuotaShare": "needs a quota share of the run's, which needs CreateQuotaShare",
}
# Each create, register, submit and update operation and the operation that describes it.
ROUND_TRIPS: dict[str, str] = {
    "CreateComputeEnvironment": "DescribeComputeEnvironments",
    "UpdateComputeEnvironment": "DescribeComputeEnvironments",
    "CreateJobQueue": "DescribeJobQueues",
    "UpdateJobQueue": "DescribeJobQueues",
    "CreateSchedulingPolicy": "DescribeSchedulingPolicies",
    "UpdateSchedulingPolicy": "DescribeSchedulingPolicies",
    "RegisterJobDefinition": "DescribeJobDefinitions",
    "SubmitJob": "DescribeJobs",
    "CreateConsumableResource": "DescribeConsumableResource",
    "UpdateConsumableResource": "DescribeConsumableResource",
    "CreateServiceEnvironment": "DescribeServiceEnvironments",
    "UpdateServiceEnvironment": "DescribeServiceEnvironments",
    "CreateQuotaShare": "DescribeQuotaShare",
    "UpdateQuotaShare": "DescribeQuotaShare",
    "SubmitServiceJob": "DescribeServiceJob",
    "UpdateServiceJob": "DescribeServiceJob",
}
CURRENT_IDENTIFYING = {
    "CreateComputeEnvironment": {"computeEnvironmentName"},
    "UpdateComputeEnvironment": {"computeEnvironment"},
    "CreateJobQueue": {"jobQueueName"},
    "UpdateJobQueue": {"jobQueue"},
    "CreateSchedulingPolicy": {"name"},
    "UpdateSchedulingPolicy": {"arn"},
    "RegisterJobDefinition": {"jobDefinitionName", "type"},
    "SubmitJob": {"jobName", "jobQueue", "jobDefinition"},
    "CreateConsumableResource": {"consumableResourceName"},
    "UpdateConsumableResource": {"consumableResource"},
    "CreateServiceEnvironment": {"serviceEnvironmentName"},
    "UpdateServiceEnvironment": {"serviceEnvironment"},
}
CURRENT_WHOLE = {
    *WHOLE,
    "consumableResourceProperties",
    "ecsProperties",
    "eksProperties",
    "nodeProperties",
}
CURRENT_ANSWERED_AS = {
    "SubmitJob:containerOverrides": "container",
    "UpdateConsumableResource:quantity": "totalQuantity",
}
CURRENT_COMPANIONS = {
    "UpdateConsumableResource:quantity": ("operation",),
    "RegisterJobDefinition:containerProperties.mountPoints": ("containerProperties.volumes",),
}

TAGS = {"team": "conformance", "purpose": "round-trip"}
BUSYBOX = "public.ecr.aws/docker/library/busybox:1.36"
TWO_VCPUS = [{"type": "VCPU", "value": "2"}, {"type": "MEMORY", "value": "256"}]
TIME_LIMITS = [
    {
        "reason": "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
        "state": "RUNNABLE",
        "maxTimeSeconds": 600,
        "action": "CANCEL",
    }
]
FAIRSHARE = {
    "computeReservation": 50,
    "shareDecaySeconds": 3600,
    "shareDistribution": [{"shareIdentifier": "teamA", "weightFactor": 0.5}],
}
Value = Any | Callable[[Context], Any]  # a callable value names something of the run's


def _both(operations: tuple[str, ...], values: dict[str, Value]) -> dict[str, Value]:
    return {f"{op}:{member}": value for op in operations for member, value in values.items()}


CE = ("CreateComputeEnvironment", "UpdateComputeEnvironment")
JQ = ("CreateJobQueue", "UpdateJobQueue")
SP = ("CreateSchedulingPolicy", "UpdateSchedulingPolicy")
SE = ("CreateServiceEnvironment", "UpdateServiceEnvironment")
# Values differ from what the smallest create sends, so that an update that changes nothing
# cannot pass: states DISABLED, priority 10, order 5, capacities and quantities above 1.
CURRENT_REALISTIC: dict[str, Value] = {
    **_both(CE, {"ecsSettings.containerInsights": "ENABLED", "state": "DISABLED"}),
    "CreateComputeEnvironment:serviceRole": lambda ctx: ctx.service_role_arn,
    "CreateComputeEnvironment:tags": TAGS,
    "CreateComputeEnvironment:type": "UNMANAGED",
    "CreateComputeEnvironment:unmanagedvCpus": 4,
    "UpdateComputeEnvironment:unmanagedvCpus": 8,
    **_both(JQ, {"jobStateTimeLimitActions": TIME_LIMITS, "priority": 10, "state": "DISABLED"}),
    **_both(
        JQ,
        {
            "computeEnvironmentOrder": lambda ctx: [
                {"order": 5, "computeEnvironment": ctx.resource("compute-environment")}
            ]
        },
    ),
    "CreateJobQueue:jobQueueType": "ECS",
    "CreateJobQueue:schedulingPolicyArn": lambda ctx: ctx.resource("scheduling-policy"),
    "CreateJobQueue:serviceEnvironmentOrder": lambda ctx: [
        {"order": 1, "serviceEnvironment": ctx.resource("service-environment")}
    ],
    "CreateJobQueue:tags": TAGS,
    **_both(SP, {f"fairsharePolicy.{name}": value for name, value in FAIRSHARE.items()}),
    **_both(SP, {"quotaSharePolicy.idleResourceAssignmentStrategy": "FIFO"}),
    "CreateSchedulingPolicy:tags": TAGS,
    "RegisterJobDefinition:consumableResourceProperties": lambda ctx: {
        "consumableResourceList": [
            {"consumableResource": ctx.resource("consumable-resource"), "quantity": 1}
        ]
    },
    "RegisterJobDefinition:containerProperties.enableExecuteCommand": True,
    "RegisterJobDefinition:containerProperties.ephemeralStorage": {"sizeInGiB": 30},
    "RegisterJobDefinition:containerProperties.executionRoleArn": lambda ctx: ctx.job_role_arn,
    "RegisterJobDefinition:containerProperties.fargatePlatformConfiguration": {
        "platformVersion": "1.4.0"
    },
    "RegisterJobDefinition:containerProperties.linuxParameters": {
        "initProcessEnabled": True,
        "sharedMemorySize": 64,
        "tmpfs": [{"containerPath": "/run/bc", "size": 64}],
    },
    "RegisterJobDefinition:containerProperties.logConfiguration": {"logDriver": "awslogs"},
    "RegisterJobDefinition:containerProperties.networkConfiguration": {"assignPublicIp": "ENABLED"},
    "RegisterJobDefinition:containerProperties.resourceRequirements": TWO_VCPUS,
    "RegisterJobDefinition:containerProperties.runtimePlatform": {
        "operatingSystemFamily": "LINUX",
        "cpuArchitecture": "ARM64",
    },
    "RegisterJobDefinition:ecsProperties": {
        "taskProperties": [
            {
                "containers": [
                    {
                        "image": BUSYBOX,
                        "essential": True,
                        "command": ["echo", "ecs"],
                        "resourceRequirements": TWO_VCPUS,
                    }
                ]
            }
        ]
    },
    "RegisterJobDefinition:eksProperties": {
        "podProperties": {
            "containers": [
                {
                    "name": "main",
                    "image": BUSYBOX,
                    "command": ["echo", "eks"],
                    "resources": {"limits": {"cpu": "1", "memory": "1024Mi"}},
                }
            ]
        }
    },
    "RegisterJobDefinition:nodeProperties": {
        "numNodes": 2,
        "mainNode": 0,
        "nodeRangeProperties": [
            {
                "targetNodes": "0:1",
                "container": {
                    "image": BUSYBOX,
                    "vcpus": 1,
                    "memory": 128,
                    "instanceType": "c5.large",
                },
            }
        ],
    },
    "RegisterJobDefinition:platformCapabilities": ["EC2"],
    "RegisterJobDefinition:propagateTags": True,
    "RegisterJobDefinition:schedulingPriority": 10,
    **_both(("RegisterJobDefinition", "SubmitJob"), {"tags": TAGS}),
    "SubmitJob:containerOverrides.resourceRequirements": TWO_VCPUS,
    "SubmitJob:propagateTags": True,
    "CreateConsumableResource:resourceType": "NON_REPLENISHABLE",
    "CreateConsumableResource:tags": TAGS,
    "CreateConsumableResource:totalQuantity": 5,
    "UpdateConsumableResource:operation": "SET",
    "UpdateConsumableResource:quantity": 7,
    **_both(SE, {"capacityLimits": [{"maxCapacity": 3, "capacityUnit": "NUM_INSTANCES"}]}),
    **_both(SE, {"state": "DISABLED"}),
    "CreateServiceEnvironment:serviceEnvironmentType": "SAGEMAKER_TRAINING",
    "CreateServiceEnvironment:tags": TAGS,
}


def _fargate(request: dict[str, Any], ctx: Context) -> None:
    """A Fargate definition: platform, execution role, resources as requirements."""
    request["platformCapabilities"] = ["FARGATE"]
    container = request["containerProperties"]
    container.setdefault("executionRoleArn", ctx.job_role_arn)
    _requirements(request, ctx)
    container["resourceRequirements"] = [
        {"type": "VCPU", "value": "0.25"},
        {"type": "MEMORY", "value": "512"},
    ]


def _requirements(request: dict[str, Any], _ctx: Context) -> None:
    """vCPUs and memory given as resourceRequirements, not also as the deprecated members."""
    for deprecated in ("vcpus", "memory"):
        request["containerProperties"].pop(deprecated, None)


def _multinode(request: dict[str, Any], _ctx: Context) -> None:
    request["type"] = "multinode"


def _sagemaker_queue(request: dict[str, Any], _ctx: Context) -> None:
    """A SageMaker training queue orders service environments, not compute environments."""
    request.pop("computeEnvironmentOrder", None)
    request["jobQueueType"] = "SAGEMAKER_TRAINING"


# What else a member needs in its request (the smallest one is an ECS container on EC2).
ADJUSTS: dict[str, tuple[Callable[[dict[str, Any], Context], None], ...]] = {
    **{
        f"RegisterJobDefinition:containerProperties.{name}": (_fargate,)
        for name in (
            "ephemeralStorage",
            "fargatePlatformConfiguration",
            "networkConfiguration",
            "runtimePlatform",
        )
    },
    "RegisterJobDefinition:containerProperties.resourceRequirements": (_requirements,),
    "RegisterJobDefinition:nodeProperties": (_multinode,),
    "CreateJobQueue:serviceEnvironmentOrder": (_sagemaker_queue,),
}
