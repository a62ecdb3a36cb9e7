"""Endpoints as they really are (issue 19 §5-§7), proven end to end through the CLI.

Verdicts that do not depend on what earlier runs left; AWS's own transient 5xx answers,
retried as SDKs retry them; a moto server refused more than one worker; an endpoint that
serves Batch only (IAM answers 404); a silent endpoint reported in seconds; a base
definition answered without its ARN; a role kept while its compute environment is not
gone. Each CLI run is a small slice of cases against a real moto server, behind a proxy that
misbehaves where a test says.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from conformance import catalogue
from conformance.answer_check import observe
from conformance.attribution import own_listing, owned_by
from conformance.casekit import NO_JOB_ROLE
from conformance.cleanup import Cleanup, Ledger
from conformance.errors import UsageError
from conformance.provision import PROVISIONING
from conformance.roles import not_served
from conformance.scopes import SEED
from conformance.targets import workers_for
from conformance.targets.moto_server import MotoServer
from tests.hostile.servers import Answer, HTTPServer, silent_server
from tests.test_runner import REGION, Run, assert_no_traceback, one_line, run_cli

ECHO = "jobs::test_submit_answers_name_and_id"  # one SubmitJob; passes on moto
JOB_ROLE_ROUND_TRIP = (
    "round_trip::test_definition_member_round_trip[containerProperties.jobRoleArn]"
)
TRANSIENT = "SubmitJob.behaviour.transient-server-error#transient-5xx-retried"
ARN_HEAD = "arn:aws:batch:us-east-1:123456789012"
PROBE_NAME = b"-lifecycle-probe"  # conformance.lifecycle's job
# What moto's answers break besides what a test scripts (exit codes, ...): known deviations.
GATED = (
    "--baseline",
    str(Path(__file__).parent.parent / "reports" / "baselines" / "moto-server.json"),
)
LISTING_RULES = ("DescribeJobDefinitions.maxResults.range",)
LISTING_JUDGE = "DescribeJobDefinitions.response.jobDefinitions.maxItems"
HANG_BUDGET_S = 35.0
BASELINE = Path(__file__).parent.parent / "reports" / "baselines" / "moto-server.json"
# What moto's answers break besides what a test scripts (exit codes, ...): known deviations.
GATED = ("--baseline", str(BASELINE))
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "te", "upgrade"}
)
PROGRESS = re.compile(r"batch-conformance: \d+/\d+ cases, ")
Forward = Callable[[], Answer]
Script = Callable[[str, bytes, Forward], Answer]


# ---------------------------------------------------------------------------------------
# A moto server, and a proxy before it that answers what a test scripts


class ScriptedProxy(HTTPServer):
    """Passes every request to `upstream` (one at a time: moto is not thread-safe), unless
    `script(path, body, forward)` answers it otherwise; `paths` lists what reached it, IAM's
    calls (query protocol) as `iam:<Action>`."""

    def __init__(self, upstream: str, script: Script) -> None:
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._script = script
        self._lock = threading.Lock()
        self.paths: list[str] = []
        super().__init__(self._respond)

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        path = iam_action(handler, body) or handler.path.split("?", 1)[0]
        if PROBE_NAME in body:  # the run's job lifecycle probe: its setup, not a case's call
            return self._forward(handler, body)
        with self._lock:
            self.paths.append(path)
        return self._script(path, body, lambda: self._forward(handler, body))

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        with self._lock:
            conn = http.client.HTTPConnection(*self._upstream, timeout=60)
            try:
                conn.request(handler.command, handler.path, body=body or None, headers=headers)
                answer = conn.getresponse()
                status, payload = answer.status, answer.read()
                out = {k: v for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP}
            finally:
                conn.close()
        return status, out, payload

    def count(self, path: str) -> int:
        """How many requests to `path` (or `iam:<Action>`) reached the proxy."""
        return sum(1 for seen in self.paths if seen == path)


def iam_action(handler: BaseHTTPRequestHandler, body: bytes) -> str | None:
    """`iam:CreateRole` for a call in IAM's query protocol, else None."""
    if "x-www-form-urlencoded" not in (handler.headers.get("Content-Type") or ""):
        return None
    fields = dict(part.split("=", 1) for part in body.decode().split("&") if "=" in part)
    return f"iam:{fields.get('Action', '?')}"


def server_exception(message: str, status: int = 500) -> Answer:
    """What AWS Batch answers when it breaks: HTTP 500 ServerException."""
    payload = json.dumps({"__type": "ServerException", "message": message}).encode()
    headers = {"Content-Type": "application/json", "x-amzn-ErrorType": "ServerException"}
    return status, headers, payload


NOT_FOUND: Answer = (404, {"Content-Type": "text/html"}, b"<html><h1>404 Not Found</h1></html>")


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    """A moto server of this module (its first Batch call, slow, made already)."""
    server = MotoServer(REGION)
    server.start()
    assert server.endpoint_url is not None
    batch(server.endpoint_url).describe_job_queues()
    yield server.endpoint_url
    server.stop()


def session() -> boto3.session.Session:
    """moto's dummy credentials."""
    return boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )


def batch(url: str) -> Any:
    """A Batch client straight to the moto server."""
    return session().client("batch", endpoint_url=url)


def role(url: str, trusts: str) -> str:
    """A role made straight on the moto server (what the user names with --*-role-arn)."""
    iam = session().client("iam", endpoint_url=url)
    trust = {"Effect": "Allow", "Principal": {"Service": trusts}, "Action": "sts:AssumeRole"}
    made = iam.create_role(
        RoleName=f"given-{uuid.uuid4().hex[:8]}",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}),
    )
    return str(made["Role"]["Arn"])


def result(run: Run, case: str) -> dict[str, Any]:
    """The result of `case` in the run's report.json."""
    found = [r for r in run.report["results"] if r["id"] == case]
    assert found, [r["id"] for r in run.report["results"]]
    return dict(found[0])


def findings(run: Run) -> dict[str, dict[str, Any]]:
    """The run's findings, by id."""
    return {f["id"]: f for f in run.report["findings"]}


def folder(tmp_path: Path, name: str) -> Path:
    """A folder of its own for one run."""
    made = tmp_path / name
    made.mkdir()
    return made


def said(run: Run) -> list[str]:
    """What the run said on stderr besides its progress lines."""
    return [line for line in run.stderr.splitlines() if line.strip() and not PROGRESS.match(line)]


def verdicts(run: Run) -> dict[str, tuple[str, list[str]]]:
    """Each case's outcome and findings."""
    return {r["id"]: (r["outcome"], r["findings"]) for r in run.report["results"]}


# ---------------------------------------------------------------------------------------
# §5 Verdicts that do not depend on what earlier runs left


def test_the_gate_gives_the_same_verdicts_on_an_endpoint_others_used(tmp_path: Path) -> None:
    """The cases that list the account, gated by moto-server's baseline, on a fresh moto
    server, then on the same server once other runs left 120 definitions (INACTIVE, as a
    run's cleanup leaves them): the same verdicts, the same gate, and a note that says the
    endpoint is not fresh."""
    server = MotoServer(REGION)
    server.start()
    try:
        url = server.endpoint_url
        assert url is not None
        args = ["--endpoint-url", url, "--baseline", str(BASELINE)]
        for rule in (*LISTING_RULES, LISTING_JUDGE):
            args += ["--case", rule]
        fresh = run_cli(folder(tmp_path, "fresh"), *args)
        client = batch(url)
        for n in range(120):
            left = client.register_job_definition(
                jobDefinitionName=f"bc0ther{n % 3}-jd-{n}",
                type="container",
                containerProperties={"image": "busybox", "vcpus": 1, "memory": 128},
            )
            client.deregister_job_definition(jobDefinition=left["jobDefinitionArn"])
        used = run_cli(folder(tmp_path, "used"), *args)
    finally:
        server.stop()
    assert fresh.code == 0, fresh.stdout + fresh.stderr
    assert used.code == fresh.code, used.stdout + used.stderr
    assert verdicts(used) == verdicts(fresh)
    assert used.report["gate"]["text"] == fresh.report["gate"]["text"]
    notes = [n for r in used.report["results"] for n in r["notes"]]
    assert any(n.startswith("not a fresh endpoint: DescribeJobDefinitions listed") for n in notes)
    assert not any("not a fresh" in n for r in fresh.report["results"] for n in r["notes"])


def test_a_listing_is_judged_on_the_run_s_own_entries_and_says_what_broke() -> None:
    """140 definitions in one page, 40 of them the run's: not judged (a note says the
    endpoint is not fresh); 101 of the run's own: '101 items: more than 100 items'."""

    def page(own: int, others: int) -> dict[str, Any]:
        entries = [(f"bc12345678-jd-{n}", n) for n in range(own)]
        entries += [(f"bc0ther000-jd-{n}", n) for n in range(others)]
        return {
            "jobDefinitions": [
                {
                    "jobDefinitionName": name,
                    "jobDefinitionArn": f"{ARN_HEAD}:job-definition/{name}:1",
                    "revision": 1,
                    "type": "container",
                    "status": "INACTIVE",
                }
                for name, _n in entries
            ]
        }

    owned = owned_by("bc12345678")
    judged, note = own_listing("DescribeJobDefinitions", page(40, 100), owned)
    assert len(judged["jobDefinitions"]) == 40
    assert note is not None
    assert note.startswith("not a fresh endpoint: DescribeJobDefinitions listed 140")
    assert observe("DescribeJobDefinitions", judged, "", SEED) == []
    mine, none = own_listing("DescribeJobDefinitions", page(101, 0), owned)
    assert none is None
    (broken,) = observe("DescribeJobDefinitions", mine, "", SEED)
    assert broken.rule == "DescribeJobDefinitions.response.jobDefinitions.maxItems"
    assert broken.message == "101 items: more than 100 items"


# ---------------------------------------------------------------------------------------
# §6 AWS's own transient answers, as SDKs treat them


def test_a_transient_500_retried_is_a_should_finding(tmp_path: Path, moto: str) -> None:
    """SubmitJob answers 500 ServerException once, then as usual: the case passes on the
    retry, and the 500 is a finding of a `should` rule (a warning, the run exits 0)."""
    failed = 0

    def once(path: str, _body: bytes, forward: Forward) -> Answer:
        nonlocal failed
        if path == "/v1/submitjob" and not failed:
            failed += 1
            return server_exception("Failed to create shareIdentifier default")
        return forward()

    with ScriptedProxy(moto, once) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "--case", ECHO, *GATED)
    assert run.code == 0, run.stdout + run.stderr
    assert proxy.count("/v1/submitjob") == 2
    assert result(run, ECHO)["outcome"] == "passed"
    (retried,) = [x for x in result(run, ECHO)["exchanges"] if x["server_errors"]]
    assert retried["server_errors"] == [
        "HTTP 500 ServerException: Failed to create shareIdentifier default"
    ]
    assert retried["http_status"] == 200
    finding = findings(run)[TRANSIENT]
    assert finding["strength"] == "should"
    assert "transient 5xx, retried" in finding["message"]
    assert run.report["gate"]["warnings"] == 1


def test_a_persistent_500_stays_a_failure(tmp_path: Path, moto: str) -> None:
    """Every SubmitJob answers 500: retried as SDKs do, then the case fails on the 500;
    no transient finding."""

    def always(path: str, _body: bytes, forward: Forward) -> Answer:
        return server_exception("broken") if path == "/v1/submitjob" else forward()

    with ScriptedProxy(moto, always) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "--case", ECHO, *GATED)
    assert run.code == 1, run.stdout + run.stderr
    assert proxy.count("/v1/submitjob") == 3  # the call and botocore's standard 2 retries
    echo = result(run, ECHO)
    assert echo["outcome"] == "failed"
    assert "HTTP 500" in echo["message"]
    assert "ServerException: broken" in echo["message"]
    assert len(echo["exchanges"][-1]["server_errors"]) == 2
    assert TRANSIENT not in findings(run)


def test_more_than_one_worker_is_refused_for_a_moto_server(tmp_path: Path, moto: str) -> None:
    """moto's server is not thread-safe: --workers 2 is a usage error in one line, for the
    moto-server target and for an endpoint that is a moto server; nothing is started."""
    with pytest.raises(UsageError, match="not thread-safe"):
        workers_for("moto-server", 2)
    assert workers_for("moto-server", None) == 1
    for args in (["--target", "moto-server"], ["--endpoint-url", moto]):
        run = run_cli(tmp_path, *args, "--workers", "2")
        assert run.code == 2, run.stdout + run.stderr
        line = one_line(run.stderr)
        assert "--workers 2" in line
        assert "not thread-safe" in line
        assert "--workers 1" in line


# ---------------------------------------------------------------------------------------
# §7 Endpoints and versions as they really are


def iam_not_found(path: str, _body: bytes, forward: Forward) -> Answer:
    """An endpoint that serves Batch only: every IAM call is a 404 page."""
    return NOT_FOUND if path.startswith("iam:") else forward()


def test_a_batch_only_endpoint_runs_with_the_given_roles(tmp_path: Path, moto: str) -> None:
    """IAM answers 404; --service-role-arn and --job-role-arn name the roles: no IAM call
    is made, the compute environment has the service role, the job role is the one the
    cases pass, the run passes, and the roles given are left as they were."""
    service, job = role(moto, "batch.amazonaws.com"), role(moto, "ecs-tasks.amazonaws.com")
    made: list[dict[str, Any]] = []

    def script(path: str, body: bytes, forward: Forward) -> Answer:
        if path == "/v1/createcomputeenvironment":
            made.append(json.loads(body))
        return iam_not_found(path, body, forward)

    with ScriptedProxy(moto, script) as proxy:
        run = run_cli(
            tmp_path,
            *("--endpoint-url", proxy.url, "--case", ECHO, "--case", JOB_ROLE_ROUND_TRIP),
            *("--service-role-arn", service, "--job-role-arn", job, *GATED),
        )
    assert run.code == 0, run.stdout + run.stderr
    assert said(run) == [], run.stderr
    assert not [p for p in proxy.paths if p.startswith("iam:")]
    assert [m.get("serviceRole") for m in made] == [service]
    assert {result(run, case)["outcome"] for case in (ECHO, JOB_ROLE_ROUND_TRIP)} == {"passed"}
    sent = result(run, JOB_ROLE_ROUND_TRIP)["exchanges"][0]["request"]
    assert sent["containerProperties"]["jobRoleArn"] == job
    iam = session().client("iam", endpoint_url=moto)
    assert {role_arn(service), role_arn(job)} <= {r["RoleName"] for r in iam.list_roles()["Roles"]}


def role_arn(arn: str) -> str:
    """The role name an ARN ends with."""
    return arn.rsplit("/", 1)[-1]


def test_a_batch_only_endpoint_without_roles_goes_on_without_iam(tmp_path: Path, moto: str) -> None:
    """IAM answers 404 and no role is given: one line says so and the run goes on (with
    --job-queue, which needs no service role); what needs a job role is skipped, saying
    why. Without --job-queue, moto wants a service role: exit 3, in one line that says
    there is no IAM."""
    client = batch(moto)
    name = f"given-{uuid.uuid4().hex[:8]}"
    env = client.create_compute_environment(
        computeEnvironmentName=name,
        type="UNMANAGED",
        state="ENABLED",
        serviceRole=role(moto, "batch.amazonaws.com"),
    )
    queue = client.create_job_queue(
        jobQueueName=name,
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env["computeEnvironmentArn"]}],
    )["jobQueueArn"]
    with ScriptedProxy(moto, iam_not_found) as proxy:
        cases = ("--case", ECHO, "--case", JOB_ROLE_ROUND_TRIP, *GATED)
        queued = ("--endpoint-url", proxy.url, "--job-queue", queue, *cases)
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
    tmp_path: Path, moto: str
) -> None:
    """The run's own base definition is answered without jobDefinitionArn: the run goes on
    with name:revision, and the answer fails RegisterJobDefinition's response structure,
    seen by the provisioning."""

    def no_arn(path: str, body: bytes, forward: Forward) -> Answer:
        status, headers, payload = forward()
        if path == "/v1/registerjobdefinition" and b"-base" in body and status == 200:
            answer = {k: v for k, v in json.loads(payload).items() if k != "jobDefinitionArn"}
            payload = json.dumps(answer).encode()
        return status, headers, payload

    with ScriptedProxy(moto, no_arn) as proxy:
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
