"""The network a MANAGED compute environment names in the cases.

The run's `--subnets`/`--security-groups` where given. Else, on an emulator, its default
network: a subnet of its default VPC and that VPC's default security group, found through
EC2 on the same endpoint (described, never made: moto and ministack serve EC2 beside Batch
and check the network a compute environment names). Else none, on real AWS or an endpoint
without EC2: the cases that need a network are skipped, saying so.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from conformance.provision import FargateNetwork

LOOKUP = Config(connect_timeout=5, read_timeout=10, retries={"total_max_attempts": 1})


def default_network(
    session: boto3.session.Session, endpoint_url: str | None
) -> FargateNetwork | None:
    """An emulator's default subnet and security group, or None when it has none."""
    try:
        ec2 = session.client("ec2", endpoint_url=endpoint_url, config=LOOKUP)
        subnets = ec2.describe_subnets().get("Subnets") or []
        groups = ec2.describe_security_groups().get("SecurityGroups") or []
    except (BotoCoreError, ClientError, ValueError):
        return None
    subnet = _first(subnets, lambda s: bool(s.get("DefaultForAz")))
    if subnet is None:
        return None
    vpc = subnet.get("VpcId")
    group = _first(
        [g for g in groups if g.get("VpcId") == vpc] or groups,
        lambda g: g.get("GroupName") == "default",
    )
    if group is None or not subnet.get("SubnetId") or not group.get("GroupId"):
        return None
    return FargateNetwork((str(subnet["SubnetId"]),), (str(group["GroupId"]),))


def _first(entries: list[dict[str, Any]], preferred: Any) -> dict[str, Any] | None:
    """The first entry `preferred` holds of, else the first entry, else None."""
    return next((e for e in entries if preferred(e)), entries[0] if entries else None)
