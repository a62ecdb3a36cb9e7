"""The compute resources a MANAGED compute environment of the catalogue is made with."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from conformance.catalogue._model import Kind
from conformance.context import PLACEHOLDER_SECURITY_GROUP, PLACEHOLDER_SUBNET, Context


def network(ctx: Context) -> dict[str, list[str]]:
    """The run's network for MANAGED compute resources: --subnets, else the emulator's
    default network, else placeholders (a request that names them is skipped, see
    `requests.needs_network`)."""
    subnets, groups = ctx.network()
    return {
        "subnets": list(subnets) or [PLACEHOLDER_SUBNET],
        "securityGroupIds": list(groups) or [PLACEHOLDER_SECURITY_GROUP],
    }


def fargate_resources(ctx: Context) -> dict[str, Any]:
    """The smallest MANAGED FARGATE compute resources: no instance members ("This parameter
    isn't applicable to jobs that are running on Fargate resources. Don't specify it.")."""
    return {"type": "FARGATE", "maxvCpus": 1, **network(ctx)}


# ECS instance profile named by AWS's own example (ComputeResource › instanceRole: "For
# example, ecsInstanceRole"): the run makes none; an environment naming one the account
# lacks is created, then INVALID.
INSTANCE_PROFILE = "ecsInstanceRole"


def ec2_resources(ctx: Context) -> dict[str, Any]:
    """The smallest MANAGED EC2 compute resources: what the documentation calls required for
    EC2 (instanceRole: "This parameter is required for Amazon EC2 instances types.")."""
    return {
        "type": "EC2",
        "minvCpus": 0,
        "maxvCpus": 1,
        "instanceTypes": ["optimal"],
        "instanceRole": INSTANCE_PROFILE,
        **network(ctx),
    }


def managed_variant(base: Kind, name: str, label: str, resources: Any, unmade: str = "") -> Kind:
    """A MANAGED compute environment of the given compute resources (a variant of `base`)."""
    return Kind(
        name=name,
        label=label,
        short=base.short,
        create=base.create,
        name_member=base.name_member,
        arn_member=base.arn_member,
        arn_shape=base.arn_shape,
        describe=base.describe,
        update=base.update,
        delete=base.delete,
        disabled_first=True,
        taggable=True,
        made_with=MappingProxyType({"type": "MANAGED", "computeResources": resources}),
        unmade=unmade,
    )
