"""The aws target's path, offline: `--target aws` against a moto server via AWS_ENDPOINT_URL.

boto3 (>= 1.28) sends every client (sts, iam, batch) to AWS_ENDPOINT_URL, so the real
target's code runs unchanged against moto. moto loads AWS's managed policies here
(MOTO_IAM_LOAD_MANAGED_POLICIES), as the real account has them. Every other way out is
routed to a tripwire that counts connections: nothing may reach AWS.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from conformance import provision
from conformance.catalogue import COMPUTE_ENVIRONMENT
from conformance.options import fargate_network
from conformance.provision import (
    EXECUTION_POLICY,
    NO_INSTANCES,
    SERVICE_POLICY,
    FargateNetwork,
    Provisioner,
    Resources,
    provisioning_config,
)
from conformance.targets import TargetError
from conformance.targets.base import DUMMY_KEY
from conformance.targets.moto_server import MotoServer
from tests.hostile.servers import Answer, HTTPServer, RawServer

REGION = "us-east-1"
MOTO_ACCOUNT = "123456789012"
STATUS_FLOW = "jobs::test_status_flow"
CASES = (STATUS_FLOW, "jobs::test_submit_answers_name_and_id", "jobs::test_timeout_override")
RUN_TIMEOUT_S = 240
# What a compute environment says on AWS when its service role cannot be assumed (F8).
ASSUME_ROLE_REASON = "CLIENT_ERROR - Not authorized to perform sts:AssumeRole"
OTHER_REASON = "CLIENT_ERROR - The service role has no permission to describe subnets"
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "te", "upgrade"}
)


# ---------------------------------------------------------------------------------------
# A moto server that knows AWS's managed policies, a proxy that makes things INVALID


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """A moto server (batch without Docker, AWS managed policies loaded), warmed up."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")  # read by the server process
        server = MotoServer(REGION)  # start() configures batch's use_docker: False
    server.start()
    try:
        assert server.endpoint_url is not None
        leftovers(server.endpoint_url)  # the first call loads moto's backends slowly
        yield server.endpoint_url
    finally:
        server.stop()


class StatusProxy(HTTPServer):
    """Passes everything to moto, but says chosen compute environments are `status`.

    `invalid(name)` picks the environments whose DescribeComputeEnvironments entry is
    rewritten to `status` with `reason` as statusReason.
    """

    def __init__(
        self, upstream: str, invalid: Callable[[str], bool], status: str, reason: str
    ) -> None:
        parts = urlsplit(upstream)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._invalid = invalid
        self._status = status
        self._reason = reason
        self.rewritten: list[str] = []
        self._lock = threading.Lock()
        super().__init__(self._respond)

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        conn = http.client.HTTPConnection(self._host, self._port, timeout=60)
        try:
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            answer = conn.getresponse()
            status, payload = answer.status, answer.read()
            out = {k: v for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP}
        finally:
            conn.close()
        if handler.path.startswith("/v1/describecomputeenvironments") and status == 200:
            payload = self._rewrite(payload)
        return status, out, payload

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


# ---------------------------------------------------------------------------------------
# Helpers


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


@pytest.fixture
def tripwire() -> Iterator[RawServer]:
    """Counts connections: every proxied (non-loopback) way out leads here."""
    with RawServer(lambda _conn, _stopping: None) as server:
        yield server


def aws_env(endpoint: str, tripwire: RawServer) -> dict[str, str]:
    """No AWS_* of this machine; AWS_ENDPOINT_URL, dummy keys; everything else to the tripwire."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": DUMMY_KEY,
            "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
            "AWS_EC2_METADATA_DISABLED": "true",
            "HTTPS_PROXY": tripwire.url,
            "HTTP_PROXY": tripwire.url,
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    return env


def run_aws(
    tmp_path: Path, endpoint: str, tripwire: RawServer, *extra: str
) -> subprocess.CompletedProcess[str]:
    """`batch-conformance run --target aws --allow-real-aws` against `endpoint`."""
    argv = [sys.executable, "-m", "conformance", "run", "--target", "aws", "--allow-real-aws"]
    argv += ["--region", REGION, "--report-dir", str(tmp_path / "reports"), *extra]
    return subprocess.run(
        argv,
        cwd=tmp_path,
        env=aws_env(endpoint, tripwire),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def stderr_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The non-blank lines on stderr."""
    return [line for line in done.stderr.splitlines() if line.strip()]


def account_line_first(done: subprocess.CompletedProcess[str], endpoint: str) -> None:
    """The first thing on stderr names the account, the region and the redirected endpoint."""
    first = stderr_lines(done)[0]
    assert first.startswith("batch-conformance: target aws,"), done.stderr
    assert f"account {MOTO_ACCOUNT}" in first, first
    assert f"region {REGION}" in first, first
    assert endpoint in first, first


# ---------------------------------------------------------------------------------------
# The CLI, as a user runs it


def test_aws_run_on_moto(tmp_path: Path, moto_url: str, tripwire: RawServer) -> None:
    """Account and region first; status flow skipped with its reason; nothing left behind."""
    before = leftovers(moto_url)
    cases = [arg for case in CASES for arg in ("--case", case)]
    done = run_aws(tmp_path, moto_url, tripwire, *cases)
    # 1 only for what moto's own answers break (response rules judge every answer)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    account_line_first(done, moto_url)
    assert "Traceback" not in done.stdout + done.stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert report["target"]["name"] == "aws"
    outcomes = {r["id"]: (r["outcome"], r["message"]) for r in report["results"]}
    assert outcomes[STATUS_FLOW] == ("skipped", NO_INSTANCES)
    assert {outcomes[case][0] for case in CASES[1:]} == {"passed"}, outcomes
    others = [r for r in report["results"] if r["id"] not in CASES]
    assert all(r["id"].startswith("responses::") for r in others), others
    assert report["cleanup"] == []
    assert leftovers(moto_url) == before
    assert tripwire.connections == 0


def test_aws_run_with_invalid_environment_exits_3(
    tmp_path: Path, moto_url: str, tripwire: RawServer
) -> None:
    """A compute environment that ends INVALID: exit 3, one line with its name and reason."""
    before = leftovers(moto_url)
    with StatusProxy(moto_url, always, "INVALID", OTHER_REASON) as proxy:
        done = run_aws(tmp_path, proxy.url, tripwire, "--case", STATUS_FLOW)
    assert proxy.rewritten
    assert done.returncode == 3, done.stdout + done.stderr
    account_line_first(done, proxy.url)
    assert len(stderr_lines(done)) == 2, done.stderr  # the account, then the one error line
    line = stderr_lines(done)[1]
    name = proxy.rewritten[0]
    assert re.fullmatch(r"bc[0-9a-f]{8}-ce", name), name
    assert f"compute environment {name} is INVALID" in line, line
    assert OTHER_REASON in line, line
    assert "Traceback" not in done.stdout + done.stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert OTHER_REASON in report["fatal"]
    assert report["results"] == []
    assert leftovers(moto_url) == before  # roles (with their policies) and all were deleted
    assert tripwire.connections == 0


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--subnets", "subnet-1"], "--security-groups"),
        (["--security-groups", "sg-1"], "--subnets"),
        (["--subnets", " , ", "--security-groups", "sg-1"], "--subnets"),
        (["--subnets", "subnet-1", "--security-groups", "sg-1", "--job-queue", "q"], "--job-queue"),
    ],
    ids=["subnets-only", "groups-only", "empty-subnets", "with-job-queue"],
)
def test_fargate_options_usage_errors(
    tmp_path: Path, tripwire: RawServer, extra: list[str], named: str
) -> None:
    """Only one of --subnets/--security-groups (or with --job-queue): exit 2, one line."""
    done = run_aws(tmp_path, tripwire.url, tripwire, *extra)
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = stderr_lines(done)
    assert named in line, line
    assert tripwire.connections == 0


def test_plugin_fargate_option_usage_error(tmp_path: Path, tripwire: RawServer) -> None:
    """Plain pytest with --batch-subnets but no --batch-security-groups: a usage error."""
    argv = [sys.executable, "-m", "pytest", "--pyargs", "conformance.cases", "-q"]
    argv += ["-p", "no:cacheprovider", "--batch-subnets", "subnet-1", "-k", "status_flow"]
    done = subprocess.run(
        argv,
        cwd=tmp_path,
        env=aws_env(tripwire.url, tripwire),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "--batch-security-groups is missing or empty" in done.stdout + done.stderr
    assert tripwire.connections == 0


def test_fargate_network_parsing() -> None:
    """Comma-separated IDs, blanks dropped; nothing given, no Fargate."""
    assert fargate_network(None, None, "q") is None
    assert fargate_network("a, b,", "sg", None) == FargateNetwork(("a", "b"), ("sg",))


# ---------------------------------------------------------------------------------------
# The Provisioner on the aws path, looked at while the run lives


def test_provisioner_roles_and_waits(moto_url: str) -> None:
    """Service role with AWSBatchServiceRole, a real job role, VALID resources; then nothing."""
    provisioner = new_provisioner(moto_url)
    try:
        resources = provisioner.provision(None)
        prefix = provisioner.prefix
        _batch, iam = clients(moto_url)
        assert attached(moto_url, f"{prefix}-service-role") == [SERVICE_POLICY]
        job_role = iam.get_role(RoleName=role_name(resources.job_role_arn))["Role"]
        assert job_role["Arn"] == resources.job_role_arn
        assert resources.job_role_arn.startswith(f"arn:aws:iam::{MOTO_ACCOUNT}:role/{prefix}-")
        trust = job_role["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        assert trust["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
        assert attached(moto_url, role_name(resources.job_role_arn)) == []
        assert not resources.runs_jobs  # an UNMANAGED environment of its own, on AWS
        assert resources.runnable_definition == resources.job_definition
        assert provisioner.ledger.of(COMPUTE_ENVIRONMENT) == [f"{prefix}-ce"]
        assert sorted(leftovers(moto_url, prefix)["roles"]) == [
            f"{prefix}-job-role",
            f"{prefix}-service-role",
        ]
    finally:
        provisioner.cleanup()
    assert provisioner.cleanup_errors == []
    assert leftovers(moto_url, provisioner.prefix) == NOTHING


def test_provisioner_with_a_queue_creates_only_the_job_role(moto_url: str) -> None:
    """--job-queue: the job role and the base definition, nothing else; the queue runs jobs."""
    provisioner = new_provisioner(moto_url)
    try:
        resources = provisioner.provision("someone-elses-queue")
        assert resources.job_queue == "someone-elses-queue"
        assert resources.runs_jobs
        assert leftovers(moto_url, provisioner.prefix) == {
            **NOTHING,
            "roles": [f"{provisioner.prefix}-job-role"],
            "active job definitions": [f"{provisioner.prefix}-base"],
        }
    finally:
        provisioner.cleanup()
    assert leftovers(moto_url, provisioner.prefix) == NOTHING


def test_provisioner_fargate(moto_url: str) -> None:
    """--subnets/--security-groups: MANAGED FARGATE environment and a definition that runs."""
    network = default_network(moto_url)
    provisioner = new_provisioner(moto_url, network)
    try:
        resources = provisioner.provision(None)
        prefix = provisioner.prefix
        batch, _iam = clients(moto_url)
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
        assert attached(moto_url, f"{prefix}-execution-role") == [EXECUTION_POLICY]
        assert attached(moto_url, f"{prefix}-service-role") == [SERVICE_POLICY]
    finally:
        provisioner.cleanup()
    assert provisioner.cleanup_errors == []
    assert leftovers(moto_url, provisioner.prefix) == NOTHING


def test_provisioner_retries_an_environment_refused_by_iam(
    moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """INVALID for sts:AssumeRole (IAM not spread yet): created once more, then VALID."""
    monkeypatch.setattr(provision, "IAM_SETTLE_S", 0.0)
    with StatusProxy(moto_url, is_first_environment, "INVALID", ASSUME_ROLE_REASON) as proxy:
        provisioner = new_provisioner(proxy.url)
        try:
            resources = provisioner.provision(None)
            prefix = provisioner.prefix
            assert provisioner.ledger.of(COMPUTE_ENVIRONMENT) == [f"{prefix}-ce", f"{prefix}-ce2"]
            batch, _iam = clients(moto_url)
            (queue,) = batch.describe_job_queues(jobQueues=[resources.job_queue])["jobQueues"]
            assert queue["computeEnvironmentOrder"][0]["computeEnvironment"].endswith("-ce2")
        finally:
            provisioner.cleanup()
    assert f"{prefix}-ce" in proxy.rewritten
    assert provisioner.cleanup_errors == []
    assert leftovers(moto_url, prefix) == NOTHING


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("INVALID", ASSUME_ROLE_REASON, f"is INVALID, not VALID: {ASSUME_ROLE_REASON}"),
        ("CREATING", "", "is still CREATING after 1 s (no statusReason)"),
    ],
    ids=["invalid-twice", "never-valid"],
)
def test_provisioner_gives_up_in_one_line(
    moto_url: str, monkeypatch: pytest.MonkeyPatch, status: str, reason: str, expected: str
) -> None:
    """Still INVALID after the retry, or never VALID in the bounded wait: TargetError."""
    monkeypatch.setattr(provision, "IAM_SETTLE_S", 0.0)
    with StatusProxy(moto_url, always, status, reason) as proxy:
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
    assert leftovers(moto_url, provisioner.prefix) == NOTHING


def test_resources_default_to_the_base_definition() -> None:
    """Resources built without the new fields: runnable is the base definition, jobs run."""
    resources = Resources("bc1", "q", "arn:def:1", "def")
    assert resources.runnable_definition == "arn:def:1"
    assert resources.runs_jobs
