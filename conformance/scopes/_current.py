"""The current scope's tables: every operation of today's API, beyond the seed's.

Fills here are values that name nothing (references are filled from the catalogue);
the round-trip tables are in `_current_round_trips`.
"""

from __future__ import annotations

import copy
from types import MappingProxyType
from typing import Any

from conformance.catalogue._compute import fargate_resources
from conformance.context import Context, map_key
from conformance.scopes._current_round_trips import (
    ADJUSTS,
    CURRENT_ANSWERED_AS,
    CURRENT_COMPANIONS,
    CURRENT_REALISTIC,
    CURRENT_WHOLE,
    LEFT_OUT,
    LEFT_OUT_OPERATIONS,
)
from conformance.scopes._tables import Fill, Tables, Variant

VCPU_1 = {"type": "VCPU", "value": "1"}
MEMORY_128 = {"type": "MEMORY", "value": "128"}


def _constant(value: Any) -> Fill:
    """A fill that gives a fresh copy of `value` each time (requests are edited in place)."""
    return lambda _ctx, _i: copy.deepcopy(value)


def _ordered(ctx: Context, i: int) -> dict[str, Any]:
    """Entry `i` of a queue's computeEnvironmentOrder: the run's compute environment first,
    then others of its platform made for the request (each named once, in its own order:
    "EC2 and Fargate compute environments can't be mixed")."""
    environment = ctx.resource("compute-environment") if i == 0 else ctx.fresh(ctx.compute_kind)
    return {"order": i + 1, "computeEnvironment": environment}


def _reordered(ctx: Context, i: int) -> dict[str, Any]:
    """Entry `i` of the computeEnvironmentOrder an update gives a queue made for it: compute
    environments of the run's platform made for the request, named by their ARNs."""
    return {"order": i + 1, "computeEnvironment": ctx.fresh(ctx.compute_kind)}


def _eks_container(stem: str) -> Fill:
    """An EKS container with a name of its own ("Each container in a pod must have a unique
    name"; one without is named "Default")."""
    return lambda _ctx, i: {"name": f"{stem}{i}", "image": "busybox"}


BUSYBOX = "public.ecr.aws/docker/library/busybox:1.36"


FILLS: dict[str, Fill] = {
    # the smallest definition is a container job (its parts as the seed fills them)
    "RegisterJobDefinition:containerProperties": _constant(
        {"image": "busybox", "vcpus": 1, "memory": 128}
    ),
    "RegisterJobDefinition:ecsProperties.taskProperties.*": _constant(
        {
            "containers": [
                {
                    "image": "busybox",
                    "essential": True,
                    "resourceRequirements": [VCPU_1, MEMORY_128],
                }
            ]
        }
    ),
    "CreateComputeEnvironment:computeResources": lambda ctx, _i: fargate_resources(ctx),
    "CreateComputeEnvironment:type": _constant("UNMANAGED"),
    "CreateComputeEnvironment:state": _constant("ENABLED"),
    "CreateComputeEnvironment:serviceRole": lambda ctx, _i: ctx.service_role_arn,
    "CreateJobQueue:state": _constant("ENABLED"),
    "CreateJobQueue:priority": _constant(1),
    "CreateJobQueue:computeEnvironmentOrder.*": _ordered,
    "UpdateJobQueue:computeEnvironmentOrder.*": _reordered,
    # UpdateComputeEnvironment: "One of [state | compute-resources | service-role |
    # unmanaged-vcpus] is required." (AWS's answer, hashicorp/terraform-provider-aws#43969)
    "UpdateComputeEnvironment:state": _constant("ENABLED"),
    # UpdatePolicy: "The default value is 30." (jobExecutionTimeoutMinutes)
    "UpdateComputeEnvironment:updatePolicy": _constant({"jobExecutionTimeoutMinutes": 30}),
    # ListJobs › filters: the documented filter names
    "ListJobs:filters.*": _constant({"name": "JOB_NAME", "values": ["bc*"]}),
    "RegisterJobDefinition:eksProperties.podProperties.containers.*": _eks_container("bcmain"),
    "RegisterJobDefinition:eksProperties.podProperties.initContainers.*": _eks_container("bcinit"),
    # a multi-node definition: two nodes, the main one first, one container for both
    "RegisterJobDefinition:nodeProperties": _constant(
        {
            "numNodes": 2,
            "mainNode": 0,
            "nodeRangeProperties": [
                {"targetNodes": "0:1", "container": {"image": BUSYBOX, "vcpus": 1, "memory": 128}}
            ],
        }
    ),
    "TagResource:resourceArn": lambda ctx, _i: ctx.taggable(),
    "UntagResource:resourceArn": lambda ctx, _i: ctx.taggable(),
    "ListTagsForResource:resourceArn": lambda ctx, _i: ctx.taggable(),
    "UntagResource:tagKeys.*": lambda _ctx, i: map_key(i),
    "CreateConsumableResource:resourceType": _constant("REPLENISHABLE"),
    "CreateConsumableResource:totalQuantity": _constant(1),
    "CreateServiceEnvironment:capacityLimits.*": _constant(
        {"maxCapacity": 1, "capacityUnit": "NUM_INSTANCES"}
    ),
    "SubmitServiceJob:serviceRequestPayload": _constant("{}"),
}

CURRENT_TABLES = Tables(
    fills=MappingProxyType(FILLS),
    # What the documentation makes required beyond the model (each quoted by the
    # operation's required-only rule, specs/current/required_only.json).
    also_required=MappingProxyType(
        {
            # type container: "one of the following is required: containerProperties,
            # ecsProperties, or eksProperties" (the smallest: a container job)
            "RegisterJobDefinition": ("containerProperties",),
            # a queue orders compute environments or service environments ("A job queue
            # can't have both"); computeEnvironmentOrder was required until the latter came
            "CreateJobQueue": ("computeEnvironmentOrder",),
            # type UNMANAGED: "you must explicitly specify a serviceRole"
            "CreateComputeEnvironment": ("serviceRole",),
            # "You must specify only one of the following items: A job queue ID [...] A
            # multi-node parallel job ID [...] An array job ID"
            "ListJobs": ("jobQueue",),
            # "One of [state | compute-resources | service-role | unmanaged-vcpus] is
            # required" (AWS's answer, hashicorp/terraform-provider-aws#43969)
            "UpdateComputeEnvironment": ("state",),
        }
    ),
    # Optional, sent anyway so a limit case tests its limit, not a default (`state`
    # defaults to ENABLED on AWS); the required-only cases leave them out.
    explicit=MappingProxyType(
        {
            "CreateJobQueue": ("state",),
            "CreateComputeEnvironment": ("state",),
            "CreateConsumableResource": ("resourceType", "totalQuantity"),
        }
    ),
    # computeResources: "This parameter is required for managed compute environments";
    # serviceRole: the service-linked role is used, or made, for a MANAGED one.
    variants=MappingProxyType(
        {
            "CreateComputeEnvironment": (
                Variant(
                    "MANAGED",
                    set=MappingProxyType({"type": "MANAGED"}),
                    filled=("computeResources",),
                    dropped=("serviceRole",),
                ),
            ),
        }
    ),
    realistic=MappingProxyType(CURRENT_REALISTIC),
    whole=frozenset(CURRENT_WHOLE),
    answered_as=MappingProxyType(CURRENT_ANSWERED_AS),
    companions=MappingProxyType(CURRENT_COMPANIONS),
    adjusts=MappingProxyType(ADJUSTS),
    left_out=MappingProxyType(LEFT_OUT),
    left_out_operations=MappingProxyType(LEFT_OUT_OPERATIONS),
)
