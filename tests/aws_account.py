"""moto as an AWS account for the aws target's path: a proxy that makes chosen compute
environments INVALID, clients configured as on real AWS, and what a run leaves behind.

The moto server itself (with AWS's managed policies) is `aws_moto_url` in tests/conftest.py.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

import boto3

from conformance.provision import FargateNetwork, Provisioner, provisioning_config
from conformance.targets.base import DUMMY_KEY
from tests.proxy_core import Answer, HTTPServer, Upstream

REGION = "us-east-1"
MOTO_ACCOUNT = "123456789012"
# What a compute environment says on AWS when its service role cannot be assumed (F8).
ASSUME_ROLE_REASON = "CLIENT_ERROR - Not authorized to perform sts:AssumeRole"
OTHER_REASON = "CLIENT_ERROR - The service role has no permission to describe subnets"


class StatusProxy(HTTPServer):
    """Passes everything to moto, but says chosen compute environments are `status`.

    `invalid(name)` picks the environments whose DescribeComputeEnvironments entry is
    rewritten to `status` with `reason` as statusReason.
    """

    def __init__(
        self, upstream: str, invalid: Callable[[str], bool], status: str, reason: str
    ) -> None:
        self._upstream = Upstream(upstream)
        self._invalid = invalid
        self._status = status
        self._reason = reason
        self.rewritten: list[str] = []
        self._lock = threading.Lock()
        super().__init__(self._respond)

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        answer = self._upstream.pass_on(handler, body)
        if handler.path.startswith("/v1/describecomputeenvironments") and answer.status == 200:
            return answer._replace(body=self._rewrite(answer.body))
        return answer

    def _rewrite(self, payload: bytes) -> bytes:
        doc = json.loads(payload)
        for env in doc.get("computeEnvironments", []):
            name = str(env.get("computeEnvironmentName"))
            if self._invalid(name):
                env["status"], env["statusReason"] = self._status, self._reason
                with self._lock:
                    self.rewritten.append(name)
        return json.dumps(doc).encode()


def is_first_environment(name: str) -> bool:
    """The run's first compute environment, `<prefix>-ce` (not a retry's `-ce2`)."""
    return name.endswith("-ce")


def always(_name: str) -> bool:
    """Every compute environment."""
    return True


def session() -> boto3.session.Session:
    """Dummy credentials, as moto accepts any."""
    return boto3.session.Session(
        aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_KEY, region_name=REGION
    )


def clients(url: str) -> tuple[Any, Any]:
    """Provisioning batch and iam clients on `url`, configured as on real AWS."""
    config = provisioning_config(True)
    return (
        session().client("batch", endpoint_url=url, config=config),
        session().client("iam", endpoint_url=url, config=config),
    )


def leftovers(url: str, prefix: str = "bc") -> dict[str, list[str]]:
    """What carries `prefix` on the moto server: roles, environments, queues, definitions."""
    batch, iam = clients(url)
    mine = re.compile(re.escape(prefix)).match
    return {
        "roles": [r["RoleName"] for r in iam.list_roles()["Roles"] if mine(r["RoleName"])],
        "compute environments": [
            e["computeEnvironmentName"]
            for e in batch.describe_compute_environments()["computeEnvironments"]
            if mine(e["computeEnvironmentName"])
        ],
        "job queues": [
            q["jobQueueName"]
            for q in batch.describe_job_queues()["jobQueues"]
            if mine(q["jobQueueName"])
        ],
        "active job definitions": [
            d["jobDefinitionName"]
            for d in batch.describe_job_definitions(status="ACTIVE")["jobDefinitions"]
            if mine(d["jobDefinitionName"])
        ],
    }


NOTHING: dict[str, list[str]] = {
    "roles": [],
    "compute environments": [],
    "job queues": [],
    "active job definitions": [],
}


def new_provisioner(url: str, fargate: FargateNetwork | None = None) -> Provisioner:
    """A Provisioner for the aws target on `url`, with a fresh prefix."""
    batch, iam = clients(url)
    prefix = "bc" + uuid.uuid4().hex[:8]
    return Provisioner(batch, iam, f"aws ({REGION})", prefix, real_aws=True, fargate=fargate)


def attached(url: str, role: str) -> list[str]:
    """The policy ARNs attached to `role`."""
    _batch, iam = clients(url)
    found = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    return [str(p["PolicyArn"]) for p in found]


def role_name(arn: str) -> str:
    """The role name at the end of a role ARN."""
    return arn.rsplit("/", 1)[-1]


def default_network(url: str) -> FargateNetwork:
    """Two subnets and a security group of moto's default VPC."""
    ec2 = session().client("ec2", endpoint_url=url)
    subnets = tuple(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"][:2])
    groups = tuple(g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"][:1])
    return FargateNetwork(subnets, groups)
