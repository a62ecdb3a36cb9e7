"""Create what the cases need on the endpoint, and delete all of it afterwards.

Everything is named with a per-run prefix and written into a ledger as soon as it exists,
so that cleanup removes exactly what this run created, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from conformance.reports.redact import redact_text
from conformance.targets.base import TargetError

# What a botocore call raises when the endpoint misbehaves: its parsers let
# ResponseParserError (not a BotoCoreError) and KeyError (HTML that parses as XML) escape.
SDK_ERRORS = (BotoCoreError, ClientError, ResponseParserError, KeyError, ValueError, TypeError)

TRUST_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "batch.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
WAIT_S = 120.0
SWEEP_PAGES = 20
BASE_CONTAINER = {"image": "busybox", "vcpus": 1, "memory": 128, "command": ["true"]}


def new_prefix() -> str:
    """A per-run prefix: alphanumeric first, short enough for every name limit."""
    return "bc" + uuid.uuid4().hex[:8]


def describe_error(exc: BaseException) -> str:
    """One line for an SDK exception (redacted: endpoints may echo credentials)."""
    return redact_text(_describe_error(exc))


def _describe_error(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        text = f"{err.get('Code', '?')}: {err.get('Message', '')}".strip()
        if status == 501:
            return f"HTTP 501 Not Implemented: the endpoint does not serve this call ({text})"[:400]
        return f"HTTP {status} {text}"
    if isinstance(exc, BotoCoreError):
        return " ".join(str(exc).split())[:300]
    detail = " ".join(str(exc).split())[:200]
    return f"an answer that is not the AWS protocol ({type(exc).__name__}: {detail})"


@dataclass
class Ledger:
    """What this run created, in creation order."""

    role: str | None = None
    compute_environment: str | None = None
    job_queue: str | None = None
    job_definitions: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)


@dataclass
class Resources:
    """What the cases reference: names and ARNs on the endpoint."""

    prefix: str
    job_queue: str
    job_definition: str
    job_definition_name: str


class Provisioner:
    """Creates the run's resources through the target's own endpoint and cleans them up."""

    def __init__(self, batch: Any, iam: Any, endpoint: str, prefix: str) -> None:
        self._batch = batch
        self._iam = iam
        self._endpoint = endpoint
        self.prefix = prefix
        self.ledger = Ledger()
        self._failed_cleanups: dict[tuple[str, str], list[str]] = {}
        self.queue_in_use: str | None = None

    def _fail(self, step: str, exc: BaseException) -> TargetError:
        return TargetError(f"{self._endpoint}: cannot {step}: {describe_error(exc)}")

    def provision(self, job_queue: str | None) -> Resources:
        """IAM role, UNMANAGED compute environment, job queue (unless given), base definition."""
        try:
            queue = job_queue or self._create_queue()
            self.queue_in_use = queue
            definition = self.register_job_definition(f"{self.prefix}-base")
        except SDK_ERRORS as exc:
            raise self._fail(self._step, exc) from exc
        return Resources(
            prefix=self.prefix,
            job_queue=queue,
            job_definition=definition,
            job_definition_name=f"{self.prefix}-base",
        )

    _step = "provision"

    def _create_queue(self) -> str:
        self._step = "create an IAM role"
        role = self._iam.create_role(
            RoleName=f"{self.prefix}-service-role", AssumeRolePolicyDocument=TRUST_POLICY
        )["Role"]
        self.ledger.role = role["RoleName"]
        self._step = "create a compute environment"
        env = self._batch.create_compute_environment(
            computeEnvironmentName=f"{self.prefix}-ce",
            type="UNMANAGED",
            state="ENABLED",
            serviceRole=role["Arn"],
        )
        self.ledger.compute_environment = env["computeEnvironmentArn"]
        self._wait_valid("compute environment", self._ce_status, env["computeEnvironmentArn"])
        self._step = "create a job queue"
        queue = self._batch.create_job_queue(
            jobQueueName=f"{self.prefix}-queue",
            state="ENABLED",
            priority=1,
            computeEnvironmentOrder=[
                {"order": 1, "computeEnvironment": env["computeEnvironmentArn"]}
            ],
        )
        self.ledger.job_queue = queue["jobQueueArn"]
        self._wait_valid("job queue", self._queue_status, queue["jobQueueArn"])
        return str(queue["jobQueueArn"])

    def register_job_definition(self, name: str) -> str:
        """Register a plain container definition and put it in the ledger."""
        self._step = "register a job definition"
        answer = self._batch.register_job_definition(
            jobDefinitionName=name, type="container", containerProperties=dict(BASE_CONTAINER)
        )
        self.ledger.job_definitions.append(answer["jobDefinitionArn"])
        return str(answer["jobDefinitionArn"])

    def _ce_status(self, arn: str) -> str | None:
        found = self._batch.describe_compute_environments(computeEnvironments=[arn])
        envs = found.get("computeEnvironments", [])
        return str(envs[0].get("status")) if envs else None

    def _queue_status(self, arn: str) -> str | None:
        found = self._batch.describe_job_queues(jobQueues=[arn])
        queues = found.get("jobQueues", [])
        return str(queues[0].get("status")) if queues else None

    def _wait_valid(self, what: str, status_of: Callable[[str], str | None], arn: str) -> None:
        self._step = f"wait for the {what} to become VALID"
        deadline = time.monotonic() + WAIT_S
        status = status_of(arn)
        while status in {"CREATING", "UPDATING"} and time.monotonic() < deadline:
            time.sleep(1)
            status = status_of(arn)
        if status not in {"VALID", None}:
            raise TargetError(f"{self._endpoint}: the {what} {arn} is {status}, not VALID")

    def _sweep(self) -> None:
        """Add to the ledger what carries the run's prefix but was never recorded.

        A call interrupted in flight (Ctrl-C, SIGTERM) can create a definition or a job
        whose answer never arrived; they are found by name (bounded listing).
        """
        ledger = self.ledger
        known = set(ledger.job_definitions)
        token: str | None = None
        for _page in range(SWEEP_PAGES):
            params: dict[str, Any] = {"status": "ACTIVE", "maxResults": 100}
            if token:
                params["nextToken"] = token
            try:
                page = self._batch.describe_job_definitions(**params)
            except SDK_ERRORS:
                break
            for entry in page.get("jobDefinitions", []):
                arn = entry.get("jobDefinitionArn")
                name = str(entry.get("jobDefinitionName", ""))
                if arn and arn not in known and name.startswith(self.prefix + "-"):
                    ledger.job_definitions.append(str(arn))
                    known.add(arn)
            token = page.get("nextToken")
            if not token:
                break
        if self.queue_in_use:
            self._sweep_jobs(self.queue_in_use)

    def _sweep_jobs(self, queue: str) -> None:
        known = set(self.ledger.jobs)
        for status in ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"):
            try:
                page = self._batch.list_jobs(jobQueue=queue, jobStatus=status)
            except SDK_ERRORS:
                return
            for job in page.get("jobSummaryList", []):
                mine = str(job.get("jobName", "")).startswith(self.prefix + "-")
                if mine and job.get("jobId") and job["jobId"] not in known:
                    self.ledger.jobs.append(str(job["jobId"]))
                    known.add(job["jobId"])

    def cleanup(self) -> None:
        """Terminate jobs, deregister definitions, delete queue, compute environment, role.

        Swept twice: a call cut off in flight may still be landing on the endpoint while
        the first pass runs.
        """
        ledger = self.ledger
        done_jobs: set[str] = set()
        done_definitions: set[str] = set()
        for _pass in range(2):
            self._sweep()
            for job_id in [j for j in ledger.jobs if j not in done_jobs]:
                done_jobs.add(job_id)
                self._try(
                    "terminate job",
                    job_id,
                    partial(self._batch.terminate_job, jobId=job_id, reason="conformance run over"),
                )
            for arn in [a for a in ledger.job_definitions if a not in done_definitions]:
                done_definitions.add(arn)
                self._try(
                    "deregister job definition",
                    arn,
                    partial(self._batch.deregister_job_definition, jobDefinition=arn),
                )
        if ledger.job_queue:
            self._delete(
                "job queue",
                ledger.job_queue,
                lambda a: self._batch.update_job_queue(jobQueue=a, state="DISABLED"),
                lambda a: self._batch.delete_job_queue(jobQueue=a),
                self._queue_status,
            )
        if ledger.compute_environment:
            self._delete(
                "compute environment",
                ledger.compute_environment,
                lambda a: self._batch.update_compute_environment(
                    computeEnvironment=a, state="DISABLED"
                ),
                lambda a: self._batch.delete_compute_environment(computeEnvironment=a),
                self._ce_status,
            )
        if ledger.role:
            role = ledger.role
            self._try("delete role", role, lambda: self._iam.delete_role(RoleName=role))
        self.ledger = Ledger()

    def _delete(
        self,
        what: str,
        arn: str,
        disable: Callable[[str], Any],
        delete: Callable[[str], Any],
        status_of: Callable[[str], str | None],
    ) -> None:
        self._try(f"disable {what}", arn, lambda: disable(arn))
        self._wait_settled(status_of, arn)
        self._try(f"delete {what}", arn, lambda: delete(arn))
        self._wait_settled(status_of, arn)

    def _wait_settled(self, status_of: Callable[[str], str | None], arn: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            try:
                status = status_of(arn)
            except SDK_ERRORS:
                return
            if status not in {"CREATING", "UPDATING", "DELETING"}:
                return
            time.sleep(1)

    def _try(self, what: str, resource: str, action: Callable[[], Any]) -> None:
        try:
            action()
        except SDK_ERRORS as exc:
            self._failed_cleanups.setdefault((what, describe_error(exc)), []).append(resource)

    @property
    def cleanup_errors(self) -> list[str]:
        """One line per kind of cleanup the endpoint refused: what remains on it, and why."""
        lines = []
        for (what, cause), resources in self._failed_cleanups.items():
            more = f" and {len(resources) - 1} more" if len(resources) > 1 else ""
            lines.append(f"cannot {what} {resources[0]}{more} (left on the endpoint): {cause}")
        return lines
