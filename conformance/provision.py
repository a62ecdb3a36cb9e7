"""Create what the cases need on the endpoint (and hand it all to the cleanup afterwards).

Everything is named with a per-run prefix and written into the ledger as soon as it exists,
so that the cleanup (`conformance.cleanup`) removes exactly what this run created, also
after a failure or Ctrl-C.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import botocore
import botocore.config
from botocore.exceptions import ReadTimeoutError

from conformance.answer_check import observe
from conformance.calls import CONNECT_TIMEOUT_S, READ_TIMEOUT_S
from conformance.catalogue import COMPUTE_ENVIRONMENT, JOB, JOB_DEFINITION, JOB_QUEUE, Kind
from conformance.cleanup import Cleanup, Ledger
from conformance.errors import TargetError
from conformance.redact import redact_text
from conformance.results import Observation
from conformance.roles import (
    BATCH_PRINCIPAL,
    EXECUTION_POLICY,
    EXECUTION_ROLE,
    JOB_ROLE,
    SERVICE_POLICY,
    SERVICE_ROLE,
    TASKS_PRINCIPAL,
    GivenRoles,
    RoleMaker,
)
from conformance.scopes import DEFAULT, Scope
from conformance.sdk_errors import SDK_ERRORS, describe_error
from conformance.waiting import poll

__all__ = ["EXECUTION_POLICY", "SERVICE_POLICY", "FargateNetwork", "Provisioner", "Resources"]

PROBE_READ_TIMEOUT_S = min(10.0, READ_TIMEOUT_S)  # the first call: is anyone answering?
PROVISIONING = "(the run's provisioning)"  # who saw what provisioning observed
MISSING_GRACE_S = 3.0  # a resource just created may not be listed at once
IAM_SETTLE_S = 15.0  # before creating a compute environment again (IAM is eventually consistent)
PROVISIONING_ATTEMPTS = 8  # on real AWS: throttled provisioning calls are retried
EMULATOR_SETTLE_S = 30.0
AWS_SETTLE_S = 600.0  # Fargate starts a task in minutes, an EC2 environment may scale from 0
BASE_CONTAINER = {"image": "busybox", "vcpus": 1, "memory": 128, "command": ["true"]}
FARGATE_CONTAINER = {
    "image": "public.ecr.aws/docker/library/busybox:latest",
    "command": ["true"],
    "resourceRequirements": [
        {"type": "VCPU", "value": "0.25"},
        {"type": "MEMORY", "value": "512"},
    ],
    "networkConfiguration": {"assignPublicIp": "ENABLED"},
}
FARGATE_MAX_VCPUS = 4
NO_INSTANCES = (
    "the run's own UNMANAGED compute environment has no instances: pass --job-queue NAME of"
    " a queue that runs jobs, or --subnets/--security-groups for a Fargate one"
)


def provisioning_config(
    real_aws: bool, read_timeout_s: float = READ_TIMEOUT_S
) -> botocore.config.Config:
    """Provisioning and IAM clients: on real AWS, standard retries survive throttling.

    Emulators get a single attempt, as the cases do: nothing throttles there, and an
    unreachable or broken endpoint must be reported at once, not after minutes of backoff.
    """
    return botocore.config.Config(
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=read_timeout_s,
        retries={
            "total_max_attempts": PROVISIONING_ATTEMPTS if real_aws else 1,
            "mode": "standard",
        },
        parameter_validation=True,
    )


@dataclass(frozen=True)
class FargateNetwork:
    """Where a MANAGED FARGATE compute environment places its tasks."""

    subnets: tuple[str, ...]
    security_groups: tuple[str, ...]


def new_prefix() -> str:
    """A per-run prefix: alphanumeric first, short enough for every name limit."""
    return "bc" + uuid.uuid4().hex[:8]


@dataclass
class Resources:
    """What the cases reference: names and ARNs on the endpoint.

    `job_role_arn` is a real role of the account (trusting ecs-tasks.amazonaws.com) for
    `jobRoleArn` values. `runs_jobs` says whether a job submitted to `job_queue` with
    `runnable_definition` can settle (SUCCEEDED/FAILED) within `job_settle_s` seconds.
    """

    prefix: str
    job_queue: str
    job_definition: str
    job_definition_name: str
    job_role_arn: str = ""
    compute_environment: str = ""  # the run's own (empty when --job-queue was given)
    service_role_arn: str = ""  # the run's Batch service role (empty with --job-queue)
    runnable_definition: str = ""
    runs_jobs: bool = True
    job_settle_s: float = EMULATOR_SETTLE_S

    def __post_init__(self) -> None:
        self.runnable_definition = self.runnable_definition or self.job_definition


Status = tuple[str | None, str]  # (status, statusReason); status None: not listed


class Provisioner:
    """Creates the run's resources through the target's own endpoint; `cleanup` removes
    them and everything else the ledger holds.

    `real_aws`: the target is AWS itself (a managed policy must attach; the run's own
    UNMANAGED compute environment runs no job). `fargate`: provision a MANAGED FARGATE
    compute environment in that network, and a job definition that runs on it.
    `settle_s`: how long a resource may take to settle (VALID, disabled, deleted).
    """

    def __init__(
        self,
        batch: Any,
        iam: Any,
        endpoint: str,
        prefix: str,
        *,
        real_aws: bool = False,
        fargate: FargateNetwork | None = None,
        roles: GivenRoles | None = None,
        probe: Any = None,
        scope: Scope = DEFAULT,
    ) -> None:
        self._batch = batch
        self._endpoint = endpoint
        self.prefix = prefix
        self._real_aws = real_aws
        self._fargate = fargate
        self._given = roles or GivenRoles()
        self._probe = probe
        self._scope = scope
        self.ledger = Ledger()
        self.cleaner = Cleanup(batch, iam, prefix, self.ledger)
        self.cleaner.swept = (JOB_DEFINITION, JOB)
        self._roles = RoleMaker(iam, prefix, self.ledger, self.cleaner, real_aws)
        self.settle_s = AWS_SETTLE_S if real_aws else EMULATOR_SETTLE_S
        self._step = "provision"
        self.observations: list[Observation] = []  # response violations seen while provisioning
        self.notes: list[str] = []  # one line each, said once provisioning succeeded

    @property
    def client(self) -> Any:
        """The Batch client provisioning uses (retries throttling on real AWS)."""
        return self._batch

    @property
    def settle_s(self) -> float:
        """How long a resource may take to settle (VALID, disabled, deleted)."""
        return self.cleaner.settle_s

    @settle_s.setter
    def settle_s(self, seconds: float) -> None:
        self.cleaner.settle_s = seconds

    def _fail(self, step: str, exc: BaseException) -> TargetError:
        lacking = f" ({self._roles.missing}: no IAM role to name)" if self._roles.missing else ""
        return TargetError(f"{self._endpoint}: cannot {step}: {describe_error(exc)}{lacking}")

    def provision(self, job_queue: str | None) -> Resources:
        """Roles, compute environment, job queue (unless given), job definitions.

        With `job_queue`, only the job role and the definitions are created. Roles given
        are used as they are; an endpoint without IAM gets none of the others (`notes`).
        """
        self.cleaner.touched = False  # nothing sent yet that could make anything
        self._first_contact()
        self.cleaner.touched = True
        roles: list[tuple[str, str, str | None]] = [(JOB_ROLE, TASKS_PRINCIPAL, None)]
        if not job_queue:
            roles.append((SERVICE_ROLE, BATCH_PRINCIPAL, SERVICE_POLICY))
        if self._fargate is not None and not job_queue:
            roles.append((EXECUTION_ROLE, TASKS_PRINCIPAL, EXECUTION_POLICY))
        try:
            made = self._roles.provide(roles, self._given)
        except SDK_ERRORS as exc:
            raise self._fail(self._roles.step, exc) from exc
        lacking = [kind for kind, _p, _pol in roles if kind not in made]
        if lacking:
            self.notes.append(self._roles.notice(self._endpoint, lacking))
        if self._fargate is not None and not job_queue and EXECUTION_ROLE not in made:
            raise TargetError(
                f"{self._endpoint}: a Fargate compute environment needs an execution role, and"
                f" {self._roles.missing}: pass --execution-role-arn ARN"
            )
        try:
            queue = job_queue or self._create_queue(made.get(SERVICE_ROLE, ""))
            self.cleaner.queue = queue
            definition = self.register_job_definition(f"{self.prefix}-base")
            runnable = definition
            if made.get(EXECUTION_ROLE):
                runnable = self._register_fargate_definition(made[EXECUTION_ROLE])
        except SDK_ERRORS as exc:
            raise self._fail(self._step, exc) from exc
        own = self.ledger.of(COMPUTE_ENVIRONMENT)
        return Resources(
            prefix=self.prefix,
            job_queue=queue,
            job_definition=definition,
            job_definition_name=f"{self.prefix}-base",
            job_role_arn=made.get(JOB_ROLE, ""),
            service_role_arn=made.get(SERVICE_ROLE, ""),
            compute_environment=own[-1] if own else "",
            runnable_definition=runnable,
            runs_jobs=not self._real_aws or bool(job_queue) or self._fargate is not None,
            job_settle_s=self.settle_s,
        )

    def _first_contact(self) -> None:
        """One call with a short read timeout before anything is made: an endpoint that
        accepts connections and never answers is reported in seconds, in one line. Any
        answer at all (even an error) is for the provisioning to judge."""
        if self._probe is None:
            return
        try:
            self._probe.describe_job_queues(maxResults=1)
        except ReadTimeoutError as exc:
            raise TargetError(
                f"{self._endpoint}: no answer within {PROBE_READ_TIMEOUT_S:.0f} s to a first"
                " DescribeJobQueues: the endpoint accepts connections but does not answer"
            ) from exc
        except SDK_ERRORS:
            return

    def _create_queue(self, service_role: str) -> str:
        """The run's compute environment (VALID), then its queue; the queue names the
        environment by the ARN its creation answered (as AWS and moto < 5.1.4 take it),
        by its name when there was none."""
        env, env_arn = self._create_compute_environment(service_role, f"{self.prefix}-ce")
        status, reason = self._wait_valid(COMPUTE_ENVIRONMENT, env)
        if status == "INVALID" and "sts:AssumeRole" in reason:
            # The role was created a moment ago and IAM has not spread it yet: once more.
            time.sleep(IAM_SETTLE_S)
            env, env_arn = self._create_compute_environment(service_role, f"{self.prefix}-ce2")
            status, reason = self._wait_valid(COMPUTE_ENVIRONMENT, env)
        self._require_valid("compute environment", env, status, reason)
        self._step = "create a job queue"
        queue = self._batch.create_job_queue(
            jobQueueName=f"{self.prefix}-queue",
            state="ENABLED",
            priority=1,
            computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env_arn or env}],
        )
        arn = str(queue["jobQueueArn"])
        self.ledger.add(JOB_QUEUE, arn)
        status, reason = self._wait_valid(JOB_QUEUE, arn)
        self._require_valid("job queue", f"{self.prefix}-queue", status, reason)
        return arn

    def _create_compute_environment(self, service_role: str, name: str) -> tuple[str, str]:
        """UNMANAGED, or MANAGED FARGATE in the given network, with the service role if the
        run has one; its name (ministack describes compute environments by name only) and
        the ARN its creation answered ("" if none)."""
        self._step = f"create the compute environment {name}"
        params: dict[str, Any] = {
            "computeEnvironmentName": name,
            "type": "UNMANAGED",
            "state": "ENABLED",
        }
        if service_role:
            params["serviceRole"] = service_role
        if self._fargate is not None:
            params["type"] = "MANAGED"
            params["computeResources"] = {
                "type": "FARGATE",
                "maxvCpus": FARGATE_MAX_VCPUS,
                "subnets": list(self._fargate.subnets),
                "securityGroupIds": list(self._fargate.security_groups),
            }
        answer = self._batch.create_compute_environment(**params)
        self.ledger.add(COMPUTE_ENVIRONMENT, name)
        return name, str(answer.get("computeEnvironmentArn") or "")

    def register_job_definition(self, name: str) -> str:
        """Register a plain container definition and put it in the ledger."""
        self._step = "register a job definition"
        return self._register(
            jobDefinitionName=name, type="container", containerProperties=dict(BASE_CONTAINER)
        )

    def _register_fargate_definition(self, execution_role: str) -> str:
        """A definition that runs on Fargate (outside the seed's schema: provisioning only)."""
        self._step = "register a Fargate job definition"
        return self._register(
            jobDefinitionName=f"{self.prefix}-fargate",
            type="container",
            platformCapabilities=["FARGATE"],
            containerProperties={**FARGATE_CONTAINER, "executionRoleArn": execution_role},
        )

    def _register(self, **params: Any) -> str:
        """Register a definition: its ARN, else `name:revision` (an answer without the ARN
        breaks the response rule, an observation judged by that rule: the run goes on)."""
        answer = self._batch.register_job_definition(**params)
        body = {k: v for k, v in answer.items() if k != "ResponseMetadata"}
        if not body.get("jobDefinitionArn"):
            operation = "RegisterJobDefinition"
            for seen in observe(operation, body, json.dumps(body, default=str), self._scope):
                seen.case = PROVISIONING
                self.observations.append(seen)
        reference = JOB_DEFINITION.made(params, body)
        if not reference or reference == params["jobDefinitionName"]:
            raise TargetError(
                f"{self._endpoint}: {self._step}: the answer names neither an ARN nor a"
                f" revision: {json.dumps(body, default=str)[:200]}"
            )
        self.ledger.add(JOB_DEFINITION, reference)
        return reference

    def _status(self, kind: Kind, reference: str) -> Status:
        """Status and one-line statusReason of the resource, described by `reference`."""
        assert kind.describe is not None
        call = getattr(self._batch, botocore.xform_name(kind.describe.operation))
        found = kind.describe.entries(call(**kind.describe.request(reference)))
        if not found:
            return None, ""
        reason = " ".join(str(found[0].get("statusReason") or "").split())
        return kind.status_of(found[0]), reason

    def _wait_valid(self, kind: Kind, reference: str) -> Status:
        """Wait until the resource leaves CREATING/UPDATING (bounded); its last status. One
        not listed yet is looked for again for a moment (it may show late)."""
        self._step = f"wait for {reference} to become VALID"
        started = time.monotonic()

        def done(seen: Status) -> bool:
            missing = seen[0] is None and time.monotonic() - started < MISSING_GRACE_S
            return not missing and seen[0] not in kind.busy

        return poll(lambda: self._status(kind, reference), done, self.settle_s, cap_s=2.0).value

    def _require_valid(self, what: str, resource: str, status: str | None, reason: str) -> None:
        """VALID (or not listed by an endpoint that cannot describe it), else TargetError."""
        if status in {"VALID", None}:
            return
        if status in {"CREATING", "UPDATING"}:
            state = f"still {status} after {self.settle_s:.0f} s"
        else:
            state = f"{status}, not VALID"
        because = f": {reason}" if reason else " (no statusReason)"
        raise TargetError(
            redact_text(f"{self._endpoint}: the {what} {resource} is {state}{because}")
        )

    def cleanup(self) -> None:
        """Remove everything the ledger holds (and the run's strays, when it sweeps)."""
        self.cleaner.run()
        self.ledger = self.cleaner.ledger = Ledger()

    @property
    def cleanup_errors(self) -> list[str]:
        """One line per kind of cleanup the endpoint refused: what remains on it, and why."""
        return self.cleaner.errors
