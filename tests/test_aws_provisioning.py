"""The Provisioner on the aws path, offline against a moto server that knows AWS's managed
policies (`aws_moto_url`): roles and their policies, Fargate, environments refused by IAM,
and what it deletes; looked at while the run lives."""

from __future__ import annotations

import json

import pytest

from conformance import provision
from conformance.catalogue import COMPUTE_ENVIRONMENT
from conformance.provision import (
    EXECUTION_POLICY,
    SERVICE_POLICY,
    Resources,
)
from conformance.targets import TargetError
from tests.aws_account import (
    ASSUME_ROLE_REASON,
    MOTO_ACCOUNT,
    NOTHING,
    REGION,
    StatusProxy,
    always,
    attached,
    clients,
    default_network,
    is_first_environment,
    leftovers,
    new_provisioner,
    role_name,
)

# ---------------------------------------------------------------------------------------
# The Provisioner on the aws path, looked at while the run lives
from tests.suite_runs import AWS_ACCOUNT

pytestmark = pytest.mark.xdist_group(AWS_ACCOUNT)  # one moto server with AWS policies


def test_provisioner_roles_and_waits(aws_moto_url: str) -> None:
    """Service role with AWSBatchServiceRole, a real job role, VALID resources; then nothing."""
    provisioner = new_provisioner(aws_moto_url)
    try:
        resources = provisioner.provision(None)
        prefix = provisioner.prefix
        _batch, iam = clients(aws_moto_url)
        assert attached(aws_moto_url, f"{prefix}-service-role") == [SERVICE_POLICY]
        job_role = iam.get_role(RoleName=role_name(resources.job_role_arn))["Role"]
        assert job_role["Arn"] == resources.job_role_arn
        assert resources.job_role_arn.startswith(f"arn:aws:iam::{MOTO_ACCOUNT}:role/{prefix}-")
        trust = job_role["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        assert trust["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
        assert attached(aws_moto_url, role_name(resources.job_role_arn)) == []
        assert not resources.runs_jobs  # an UNMANAGED environment of its own, on AWS
        assert resources.runnable_definition == resources.job_definition
        assert provisioner.ledger.of(COMPUTE_ENVIRONMENT) == [f"{prefix}-ce"]
        assert sorted(leftovers(aws_moto_url, prefix)["roles"]) == [
            f"{prefix}-job-role",
            f"{prefix}-service-role",
        ]
    finally:
        provisioner.cleanup()
    assert provisioner.cleanup_errors == []
    assert leftovers(aws_moto_url, provisioner.prefix) == NOTHING


def test_provisioner_with_a_queue_creates_only_the_job_role(aws_moto_url: str) -> None:
    """--job-queue: the job role and the base definition, nothing else; the queue runs jobs."""
    provisioner = new_provisioner(aws_moto_url)
    try:
        resources = provisioner.provision("someone-elses-queue")
        assert resources.job_queue == "someone-elses-queue"
        assert resources.runs_jobs
        assert leftovers(aws_moto_url, provisioner.prefix) == {
            **NOTHING,
            "roles": [f"{provisioner.prefix}-job-role"],
            "active job definitions": [f"{provisioner.prefix}-base"],
        }
    finally:
        provisioner.cleanup()
    assert leftovers(aws_moto_url, provisioner.prefix) == NOTHING


def test_provisioner_fargate(aws_moto_url: str) -> None:
    """--subnets/--security-groups: MANAGED FARGATE environment and a definition that runs."""
    network = default_network(aws_moto_url)
    provisioner = new_provisioner(aws_moto_url, network)
    try:
        resources = provisioner.provision(None)
        prefix = provisioner.prefix
        batch, _iam = clients(aws_moto_url)
        (env,) = batch.describe_compute_environments(computeEnvironments=[f"{prefix}-ce"])[
            "computeEnvironments"
        ]
        assert env["type"] == "MANAGED"
        compute = env["computeResources"]
        assert (compute["type"], compute["maxvCpus"]) == ("FARGATE", 4)
        assert tuple(compute["subnets"]) == network.subnets
        assert tuple(compute["securityGroupIds"]) == network.security_groups
        assert resources.runs_jobs
        assert resources.runnable_definition != resources.job_definition
        (definition,) = batch.describe_job_definitions(
            jobDefinitions=[resources.runnable_definition]
        )["jobDefinitions"]
        assert definition["platformCapabilities"] == ["FARGATE"]
        container = definition["containerProperties"]
        assert container["executionRoleArn"].endswith(f"/{prefix}-execution-role")
        assert container["networkConfiguration"] == {"assignPublicIp": "ENABLED"}
        assert {r["type"]: r["value"] for r in container["resourceRequirements"]} == {
            "VCPU": "0.25",
            "MEMORY": "512",
        }
        assert attached(aws_moto_url, f"{prefix}-execution-role") == [EXECUTION_POLICY]
        assert attached(aws_moto_url, f"{prefix}-service-role") == [SERVICE_POLICY]
    finally:
        provisioner.cleanup()
    assert provisioner.cleanup_errors == []
    assert leftovers(aws_moto_url, provisioner.prefix) == NOTHING


def test_provisioner_retries_an_environment_refused_by_iam(
    aws_moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """INVALID for sts:AssumeRole (IAM not spread yet): created once more, then VALID."""
    monkeypatch.setattr(provision, "IAM_SETTLE_S", 0.0)
    invalid_first = StatusProxy(aws_moto_url, is_first_environment, "INVALID", ASSUME_ROLE_REASON)
    with invalid_first as proxy:
        provisioner = new_provisioner(proxy.url)
        try:
            resources = provisioner.provision(None)
            prefix = provisioner.prefix
            assert provisioner.ledger.of(COMPUTE_ENVIRONMENT) == [f"{prefix}-ce", f"{prefix}-ce2"]
            batch, _iam = clients(aws_moto_url)
            (queue,) = batch.describe_job_queues(jobQueues=[resources.job_queue])["jobQueues"]
            assert queue["computeEnvironmentOrder"][0]["computeEnvironment"].endswith("-ce2")
        finally:
            provisioner.cleanup()
    assert f"{prefix}-ce" in proxy.rewritten
    assert provisioner.cleanup_errors == []
    assert leftovers(aws_moto_url, prefix) == NOTHING


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("INVALID", ASSUME_ROLE_REASON, f"is INVALID, not VALID: {ASSUME_ROLE_REASON}"),
        ("CREATING", "", "is still CREATING after 1 s (no statusReason)"),
    ],
    ids=["invalid-twice", "never-valid"],
)
def test_provisioner_gives_up_in_one_line(
    aws_moto_url: str, monkeypatch: pytest.MonkeyPatch, status: str, reason: str, expected: str
) -> None:
    """Still INVALID after the retry, or never VALID in the bounded wait: TargetError."""
    monkeypatch.setattr(provision, "IAM_SETTLE_S", 0.0)
    with StatusProxy(aws_moto_url, always, status, reason) as proxy:
        provisioner = new_provisioner(proxy.url)
        provisioner.settle_s = 1.0
        try:
            with pytest.raises(TargetError) as caught:
                provisioner.provision(None)
        finally:
            provisioner.cleanup()
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    last = provisioner.prefix + ("-ce2" if status == "INVALID" else "-ce")
    assert message == f"aws ({REGION}): the compute environment {last} {expected}"
    assert leftovers(aws_moto_url, provisioner.prefix) == NOTHING


def test_resources_default_to_the_base_definition() -> None:
    """Resources built without the new fields: runnable is the base definition, jobs run."""
    resources = Resources("bc1", "q", "arn:def:1", "def")
    assert resources.runnable_definition == "arn:def:1"
    assert resources.runs_jobs
