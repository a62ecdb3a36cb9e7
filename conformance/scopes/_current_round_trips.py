"""Round trips of today's API (current scope): realistic values, and what is left out.

What a round trip cannot check honestly and why (`LEFT_OUT`, `LEFT_OUT_OPERATIONS`), how
answers carry members, realistic values, and the adjustments some members need (a Fargate
definition, a multinode type, ...). Which operation describes what another made is the
catalogue's (`conformance.catalogue`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.catalogue._compute import ec2_resources
from conformance.context import Context

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
        "state": "'A compute environment must be created in the ENABLED state.': what it is"
        " made with anyway, so a round trip cannot tell it was kept",
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
CURRENT_WHOLE = {
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
Value = Any  # a callable value takes the run's Context: it names something of the run's


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


def _fair_share(request: dict[str, Any], ctx: Context) -> None:
    """A job with a share identifier or a scheduling priority goes to a fair-share queue
    ("Job with shareIdentifier or schedulingPriority can only be submitted to job queue with
    fair share scheduling policy."), with both: "If the job queue has a fair-share scheduling
    policy, then this parameter must be specified." and "Either schedulingPriority in job
    definition or schedulingPriorityOverride should be specified." (the run's definitions
    have no priority)."""
    request["jobQueue"] = ctx.resource("fair-share-queue")
    request.setdefault("shareIdentifier", "bcshare")
    request.setdefault("schedulingPriorityOverride", 1)


def _ec2(request: dict[str, Any], ctx: Context) -> None:
    """Compute resources of EC2, where a member is not for Fargate ("This parameter isn't
    applicable to jobs that are running on Fargate resources. Don't specify it.")."""
    given = request["computeResources"]
    request["computeResources"] = {**ec2_resources(ctx), "scalingPolicy": given["scalingPolicy"]}


def _ec2_environment(request: dict[str, Any], ctx: Context) -> None:
    """An infrastructure update policy is for a MANAGED EC2 environment ("Specifies the
    infrastructure update policy for the Amazon EC2 compute environment")."""
    request["computeEnvironment"] = ctx.fresh("ec2-compute-environment")


def _sagemaker_queue(request: dict[str, Any], _ctx: Context) -> None:
    """A SageMaker training queue orders service environments, not compute environments."""
    request.pop("computeEnvironmentOrder", None)
    request["jobQueueType"] = "SAGEMAKER_TRAINING"


# What else a member needs in its request (the smallest one is an ECS container on EC2),
# whoever builds it: `RequestBuilder.settle` applies these to any request holding the member.
ADJUSTS: dict[str, tuple[Callable[[dict[str, Any], Context], None], ...]] = {
    "SubmitJob:shareIdentifier": (_fair_share,),
    "SubmitJob:schedulingPriorityOverride": (_fair_share,),
    "CreateComputeEnvironment:computeResources.scalingPolicy": (_ec2,),
    "UpdateComputeEnvironment:updatePolicy": (_ec2_environment,),
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
