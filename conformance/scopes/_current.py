"""The current scope's tables: every operation of today's API, beyond the seed's.

Fills here are values that name nothing (references are filled from the catalogue);
the round-trip tables are in `_current_round_trips`.
"""

from __future__ import annotations

import copy
from types import MappingProxyType
from typing import Any

from conformance.context import PLACEHOLDER_SECURITY_GROUP, PLACEHOLDER_SUBNET, map_key
from conformance.scopes._current_round_trips import (
    ADJUSTS,
    CURRENT_ANSWERED_AS,
    CURRENT_COMPANIONS,
    CURRENT_REALISTIC,
    CURRENT_WHOLE,
    LEFT_OUT,
    LEFT_OUT_OPERATIONS,
)
from conformance.scopes._tables import Fill, Tables

VCPU_1 = {"type": "VCPU", "value": "1"}
MEMORY_128 = {"type": "MEMORY", "value": "128"}


def _constant(value: Any) -> Fill:
    """A fill that gives a fresh copy of `value` each time (requests are edited in place)."""
    return lambda _ctx, _i: copy.deepcopy(value)


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
    "CreateComputeEnvironment:computeResources": lambda ctx, _i: {
        "type": "FARGATE",
        "maxvCpus": 1,
        "subnets": list(ctx.subnets) or [PLACEHOLDER_SUBNET],
        "securityGroupIds": list(ctx.security_groups) or [PLACEHOLDER_SECURITY_GROUP],
    },
    "CreateComputeEnvironment:type": _constant("UNMANAGED"),
    "CreateComputeEnvironment:state": _constant("ENABLED"),
    "CreateComputeEnvironment:serviceRole": lambda ctx, _i: ctx.service_role_arn,
    "CreateJobQueue:state": _constant("ENABLED"),
    "CreateJobQueue:priority": _constant(1),
    "CreateJobQueue:computeEnvironmentOrder.*": lambda ctx, i: {
        "order": i + 1,
        "computeEnvironment": ctx.resource("compute-environment"),
    },
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
    # (`state` defaults to ENABLED on AWS; sent, so a limit case tests its limit, not a
    # default)
    also_required=MappingProxyType(
        {
            "RegisterJobDefinition": ("containerProperties",),  # the smallest: a container job
            "CreateJobQueue": ("computeEnvironmentOrder", "state"),
            "CreateComputeEnvironment": ("state", "serviceRole"),
            "CreateConsumableResource": ("resourceType", "totalQuantity"),
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
