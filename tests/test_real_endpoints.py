"""Endpoints and versions as they really are (issue 19 §7), proven end to end through the
CLI: an endpoint that serves Batch only (IAM answers 404), with and without the roles given;
a silent endpoint reported in seconds; a base definition answered without its ARN; and the
cleanup keeping a role while its compute environment is not gone.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conformance import catalogue
from conformance.casekit import NO_JOB_ROLE
from conformance.cleanup import Cleanup, Ledger
from conformance.provision import PROVISIONING
from conformance.roles import not_served
from conformance.targets.base import dummy_session
from tests.cli import assert_no_traceback, one_line, run_cli
from tests.hostile.servers import silent_server
from tests.proxy_core import Answer
from tests.scripted import (
    ECHO,
    GATED,
    NOT_FOUND,
    REGION,
    Forward,
    ScriptedProxy,
    batch,
    findings,
    folder,
    result,
    role,
    said,
)

JOB_ROLE_ROUND_TRIP = (
    "round_trip::test_definition_member_round_trip[containerProperties.jobRoleArn]"
)
HANG_BUDGET_S = 35.0


# ---------------------------------------------------------------------------------------
# §7 Endpoints and versions as they really are


def iam_not_found(path: str, _body: bytes, forward: Forward) -> Answer:
    """An endpoint that serves Batch only: every IAM call is a 404 page."""
    return NOT_FOUND if path.startswith("iam:") else forward()


def test_a_batch_only_endpoint_runs_with_the_given_roles(tmp_path: Path, moto_url: str) -> None:
    """IAM answers 404; --service-role-arn and --job-role-arn name the roles: no IAM call
    is made, the compute environment has the service role, the job role is the one the
    cases pass, both cases pass (the run too, gated by what moto is known to get wrong), and
    the roles given are left as they were."""
    service, job = role(moto_url, "batch.amazonaws.com"), role(moto_url, "ecs-tasks.amazonaws.com")
    made: list[dict[str, Any]] = []

    def script(path: str, body: bytes, forward: Forward) -> Answer:
        if path == "/v1/createcomputeenvironment":
            made.append(json.loads(body))
        return iam_not_found(path, body, forward)

    with ScriptedProxy(moto_url, script) as proxy:
        run = run_cli(
            tmp_path,
            *("--endpoint-url", proxy.url, "--case", ECHO, "--case", JOB_ROLE_ROUND_TRIP),
            *("--service-role-arn", service, "--job-role-arn", job),
            *GATED,
        )
    assert run.code == 0, run.stdout + run.stderr
    assert said(run) == [], run.stderr
    assert not [p for p in proxy.paths if p.startswith("iam:")]
    assert [m.get("serviceRole") for m in made] == [service]
    assert {result(run, case)["outcome"] for case in (ECHO, JOB_ROLE_ROUND_TRIP)} == {"passed"}
    assert {r["baseline"] for r in run.report["results"] if r["outcome"] != "passed"} <= {"known"}
    sent = result(run, JOB_ROLE_ROUND_TRIP)["exchanges"][0]["request"]
    assert sent["containerProperties"]["jobRoleArn"] == job
    iam = dummy_session(REGION).client("iam", endpoint_url=moto_url)
    assert {role_arn(service), role_arn(job)} <= {r["RoleName"] for r in iam.list_roles()["Roles"]}


def role_arn(arn: str) -> str:
    """The role name an ARN ends with."""
    return arn.rsplit("/", 1)[-1]


def test_a_batch_only_endpoint_without_roles_goes_on_without_iam(
    tmp_path: Path, moto_url: str
) -> None:
    """IAM answers 404 and no role is given: one line says so and the run goes on (with
    --job-queue, which needs no service role); what needs a job role is skipped, saying
    why. Without --job-queue, moto wants a service role: exit 3, in one line that says
    there is no IAM."""
    client = batch(moto_url)
    name = f"given-{uuid.uuid4().hex[:8]}"
    env = client.create_compute_environment(
        computeEnvironmentName=name,
        type="UNMANAGED",
        state="ENABLED",
        serviceRole=role(moto_url, "batch.amazonaws.com"),
    )
    queue = client.create_job_queue(
        jobQueueName=name,
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env["computeEnvironmentArn"]}],
    )["jobQueueArn"]
    with ScriptedProxy(moto_url, iam_not_found) as proxy:
        cases = ("--case", ECHO, "--case", JOB_ROLE_ROUND_TRIP)
        queued = ("--endpoint-url", proxy.url, "--job-queue", queue, *cases, *GATED)
        run = run_cli(folder(tmp_path, "queue"), *queued)
        alone = run_cli(folder(tmp_path, "alone"), "--endpoint-url", proxy.url, *cases)
    assert run.code == 0, run.stdout + run.stderr
    (line,) = said(run)
    assert "IAM answers HTTP 404" in line
    assert "going on without IAM" in line
    assert "--job-role-arn" in line
    assert result(run, ECHO)["outcome"] == "passed"
    skipped = result(run, JOB_ROLE_ROUND_TRIP)
    assert (skipped["outcome"], skipped["message"]) == ("skipped", NO_JOB_ROLE)
    assert alone.code == 3, alone.stdout + alone.stderr
    fatal = one_line(alone.stderr)
    assert "cannot create the compute environment" in fatal
    assert "IAM answers HTTP 404" in fatal
    assert_no_traceback(alone)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (404, None, "IAM answers HTTP 404"),
        (501, "InternalFailure", "IAM answers HTTP 501"),
        (400, "InvalidAction", "IAM answers HTTP 400 InvalidAction"),
        (404, "NoSuchEntity", None),  # IAM's own 404: the endpoint has IAM
        (400, "EntityAlreadyExists", None),
    ],
)
def test_what_says_an_endpoint_has_no_iam(status: int, code: str | None, expected: str) -> None:
    """404 or 501 without an IAM error code, or a 'not implemented' code: no IAM."""
    from botocore.exceptions import ClientError

    error = ClientError(
        {
            "Error": {"Code": code or "", "Message": ""},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "CreateRole",
    )
    assert not_served(error, status) == expected


def test_a_role_given_must_be_a_role_arn(tmp_path: Path) -> None:
    """A --*-role-arn that is not an IAM role ARN is a usage error in one line."""
    run = run_cli(tmp_path, "--job-role-arn", "my-role")
    assert run.code == 2, run.stdout + run.stderr
    line = one_line(run.stderr)
    assert "--job-role-arn 'my-role': not an IAM role ARN" in line


def test_a_hanging_endpoint_is_reported_within_35_s(tmp_path: Path) -> None:
    """An endpoint that accepts connections and never answers: exit 3 in one line naming
    it, within 35 s (the default read timeout is 30 s: the first call's is short)."""
    with silent_server() as server:
        started = time.monotonic()
        run = run_cli(tmp_path, "--endpoint-url", server.url, timeout=120)
        took = time.monotonic() - started
    assert run.code == 3, run.stdout + run.stderr
    line = one_line(run.stderr)
    assert server.url in line
    assert "no answer within" in line
    assert took < HANG_BUDGET_S, f"reported after {took:.1f} s"
    assert_no_traceback(run)


def test_a_base_definition_without_its_arn_is_a_finding_and_the_run_goes_on(
    tmp_path: Path, moto_url: str
) -> None:
    """The run's own base definition is answered without jobDefinitionArn: the run goes on
    with name:revision, and the answer fails RegisterJobDefinition's response structure,
    seen by the provisioning."""

    def no_arn(path: str, body: bytes, forward: Forward) -> Answer:
        answer = forward()
        if path == "/v1/registerjobdefinition" and b"-base" in body and answer.status == 200:
            kept = {k: v for k, v in json.loads(answer.body).items() if k != "jobDefinitionArn"}
            return answer._replace(body=json.dumps(kept).encode())
        return answer

    with ScriptedProxy(moto_url, no_arn) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "--case", ECHO)
    assert run.report["fatal"] is None, run.stderr
    assert run.code == 1, run.stdout + run.stderr
    echo = result(run, ECHO)
    assert echo["outcome"] == "passed"
    assert echo["exchanges"][0]["request"]["jobDefinition"].endswith("-base:1")
    structure = result(run, "responses::test_response_structure[RegisterJobDefinition]")
    assert structure["outcome"] == "failed"
    assert structure["seen_by"] == [PROVISIONING]
    assert "RegisterJobDefinition.response.structure#$.jobDefinitionArn" in findings(run)


# ---------------------------------------------------------------------------------------
# The cleanup on AWS: a service role outlives its compute environment


@dataclass
class Environments:
    """A Batch client whose compute environments stay `status` once deleted."""

    status: str | None
    deleted: list[str]
    role_arn: str

    def update_compute_environment(self, **_: Any) -> dict[str, Any]:
        return {}

    def delete_compute_environment(self, computeEnvironment: str) -> dict[str, Any]:
        self.deleted.append(computeEnvironment)
        return {}

    def describe_compute_environments(self, computeEnvironments: list[str]) -> dict[str, Any]:
        if self.status is None and self.deleted:
            return {"computeEnvironments": []}
        entry = {"status": self.status or "VALID", "serviceRole": self.role_arn}
        return {
            "computeEnvironments": [
                {**entry, "computeEnvironmentName": name} for name in computeEnvironments
            ]
        }


@dataclass
class Roles:
    """An IAM client that notes the roles deleted."""

    deleted: list[str]

    def list_attached_role_policies(self, RoleName: str) -> Mapping[str, Any]:
        return {"AttachedPolicies": []}

    def delete_role(self, RoleName: str) -> Mapping[str, Any]:
        self.deleted.append(RoleName)
        return {}


@pytest.mark.parametrize("status", [None, "DELETING"], ids=["gone", "still-deleting"])
def test_the_service_role_outlives_its_compute_environment(status: str | None) -> None:
    """The cleanup deletes a service role only once the environment that names it is gone;
    one still DELETING when the bound runs out keeps it, both named in the cleanup notes."""
    prefix = "bc12345678"
    service, job = f"{prefix}-service-role", f"{prefix}-job-role"
    environments = Environments(status, [], f"arn:aws:iam::123456789012:role/{service}")
    iam = Roles([])
    ledger = Ledger()
    ledger.add(catalogue.COMPUTE_ENVIRONMENT, f"{prefix}-ce")
    ledger.roles += [job, service]
    cleanup = Cleanup(environments, iam, prefix, ledger)
    cleanup.sweeps = False
    cleanup.settle_s = 0.3
    cleanup.run()
    assert environments.deleted == [f"{prefix}-ce"]
    if status is None:
        assert iam.deleted == [job, service]
        assert cleanup.errors == []
        return
    assert iam.deleted == [job]
    (line,) = cleanup.errors
    assert f"kept the IAM role {service}" in line
    assert f"compute environment {prefix}-ce" in line
    assert "still DELETING" in line
