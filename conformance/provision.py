"""Create what the cases need on the endpoint (and hand it all to the cleanup afterwards).

Everything is named with a per-run prefix and written into the ledger as soon as it exists,
so that the cleanup (`conformance.cleanup`) removes exactly what this run created, also
after a failure or Ctrl-C.
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import botocore
import botocore.config
from botocore.exceptions import ClientError

from conformance.calls import CONNECT_TIMEOUT_S, READ_TIMEOUT_S
from conformance.catalogue import COMPUTE_ENVIRONMENT, JOB, JOB_DEFINITION, JOB_QUEUE, Kind
from conformance.cleanup import Cleanup, Ledger
from conformance.errors import TargetError, UsageError
from conformance.redact import redact_text
from conformance.sdk_errors import SDK_ERRORS, describe_error
from conformance.waiting import poll

SERVICE_POLICY = "arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole"
EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
BATCH_PRINCIPAL = "batch.amazonaws.com"
TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com"
MISSING_GRACE_S = 3.0  # a resource just created may not be listed at once
IAM_SETTLE_S = 15.0  # before creating a compute environment again (IAM is eventually consistent)
PROVISIONING_ATTEMPTS = 8  # on real AWS: throttled provisioning calls are retried
EMULATOR_SETTLE_S = 30.0
AWS_SETTLE_S = 600.0  # Fargate starts a task in minutes, an EC2 environment may scale from 0
SWEEP_PAGES = 20
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


def trust_policy(service: str) -> str:
    """A role trust policy that lets `service` assume the role."""
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def provisioning_config(real_aws: bool) -> botocore.config.Config:
    """Provisioning and IAM clients: on real AWS, standard retries survive throttling.

    Emulators get a single attempt, as the cases do: nothing throttles there, and an
    unreachable or broken endpoint must be reported at once, not after minutes of backoff.
    """
    return botocore.config.Config(
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=READ_TIMEOUT_S,
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


def fargate_network(
    subnets: str | None,
    security_groups: str | None,
    job_queue: str | None,
    flags: tuple[str, str, str] = ("--subnets", "--security-groups", "--job-queue"),
) -> FargateNetwork | None:
    """The Fargate network from the comma-separated options (UsageError: one line)."""
    if subnets is None and security_groups is None:
        return None
    subnet_flag, group_flag, queue_flag = flags

    def ids(value: str | None, flag: str) -> tuple[str, ...]:
        found = tuple(part.strip() for part in (value or "").split(",") if part.strip())
        if not found:
            raise UsageError(
                f"{subnet_flag} and {group_flag} go together (a Fargate compute environment"
                f" needs both): {flag} is missing or empty"
            )
        return found

    network = FargateNetwork(ids(subnets, subnet_flag), ids(security_groups, group_flag))
    if job_queue:
        raise UsageError(
            f"{subnet_flag}/{group_flag} provision a Fargate compute environment:"
            f" not with {queue_flag}, which reuses yours"
        )
    return network


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
    ) -> None:
        self._batch = batch
        self._iam = iam
        self._endpoint = endpoint
        self.prefix = prefix
        self._real_aws = real_aws
        self._fargate = fargate
        self.ledger = Ledger()
        self.cleaner = Cleanup(batch, iam, prefix, self.ledger)
        self.cleaner.swept = (JOB_DEFINITION, JOB)
        self.settle_s = AWS_SETTLE_S if real_aws else EMULATOR_SETTLE_S
        self._step = "provision"

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
        return TargetError(f"{self._endpoint}: cannot {step}: {describe_error(exc)}")

    def provision(self, job_queue: str | None) -> Resources:
        """Roles, compute environment, job queue (unless given), job definitions.

        With `job_queue`, only the job role and the definitions are created.
        """
        try:
            roles: list[tuple[str, str, str | None]] = [("job-role", TASKS_PRINCIPAL, None)]
            if not job_queue:
                roles.append(("service-role", BATCH_PRINCIPAL, SERVICE_POLICY))
            if self._fargate is not None and not job_queue:
                roles.append(("execution-role", TASKS_PRINCIPAL, EXECUTION_POLICY))
            made = self._create_roles(roles)
            queue = job_queue or self._create_queue(made.get("service-role", ""))
            self.cleaner.queue = queue
            definition = self.register_job_definition(f"{self.prefix}-base")
            runnable = definition
            if made.get("execution-role"):
                runnable = self._register_fargate_definition(made["execution-role"])
        except SDK_ERRORS as exc:
            raise self._fail(self._step, exc) from exc
        own = self.ledger.of(COMPUTE_ENVIRONMENT)
        return Resources(
            prefix=self.prefix,
            job_queue=queue,
            job_definition=definition,
            job_definition_name=f"{self.prefix}-base",
            job_role_arn=made["job-role"],
            service_role_arn=made.get("service-role", ""),
            compute_environment=own[-1] if own else "",
            runnable_definition=runnable,
            runs_jobs=not self._real_aws or bool(job_queue) or self._fargate is not None,
            job_settle_s=self.settle_s,
        )

    def _create_roles(self, roles: list[tuple[str, str, str | None]]) -> dict[str, str]:
        """The roles named `<prefix>-<kind>`, made together; their ARNs by kind."""
        self.cleaner.sweeps_roles = True
        with ThreadPoolExecutor(len(roles)) as pool:
            arns = list(pool.map(lambda role: self._create_role(*role), roles))
        return {role[0]: arn for role, arn in zip(roles, arns, strict=True)}

    def _create_role(self, kind: str, principal: str, policy: str | None = None) -> str:
        """A role named `<prefix>-<kind>` that `principal` may assume, with `policy` attached."""
        name = f"{self.prefix}-{kind}"
        self._step = f"create the IAM role {name}"
        role = self._iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=trust_policy(principal)
        )
        self.ledger.roles.append(name)
        if policy is not None:
            self._step = f"attach {policy} to the IAM role {name}"
            try:
                self._iam.attach_role_policy(RoleName=name, PolicyArn=policy)
            except ClientError as exc:
                # Emulators may not know AWS's managed policies (moto unless told to load
                # them); on AWS a refusal is fatal: the role would be useless.
                if self._real_aws or exc.response.get("Error", {}).get("Code") != "NoSuchEntity":
                    raise
            else:
                self.ledger.attached.setdefault(name, []).append(policy)
        return str(role["Role"]["Arn"])

    def _create_queue(self, service_role: str) -> str:
        env = self._create_compute_environment(service_role, f"{self.prefix}-ce")
        status, reason = self._wait_valid(COMPUTE_ENVIRONMENT, env)
        if status == "INVALID" and "sts:AssumeRole" in reason:
            # The role was created a moment ago and IAM has not spread it yet: once more.
            time.sleep(IAM_SETTLE_S)
            env = self._create_compute_environment(service_role, f"{self.prefix}-ce2")
            status, reason = self._wait_valid(COMPUTE_ENVIRONMENT, env)
        self._require_valid("compute environment", env, status, reason)
        self._step = "create a job queue"
        queue = self._batch.create_job_queue(
            jobQueueName=f"{self.prefix}-queue",
            state="ENABLED",
            priority=1,
            computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env}],
        )
        arn = str(queue["jobQueueArn"])
        self.ledger.add(JOB_QUEUE, arn)
        status, reason = self._wait_valid(JOB_QUEUE, arn)
        self._require_valid("job queue", f"{self.prefix}-queue", status, reason)
        return arn

    def _create_compute_environment(self, service_role: str, name: str) -> str:
        """UNMANAGED, or MANAGED FARGATE in the given network; returns its name (ministack
        finds compute environments by name only)."""
        self._step = f"create the compute environment {name}"
        params: dict[str, Any] = {
            "computeEnvironmentName": name,
            "type": "UNMANAGED",
            "state": "ENABLED",
            "serviceRole": service_role,
        }
        if self._fargate is not None:
            params["type"] = "MANAGED"
            params["computeResources"] = {
                "type": "FARGATE",
                "maxvCpus": FARGATE_MAX_VCPUS,
                "subnets": list(self._fargate.subnets),
                "securityGroupIds": list(self._fargate.security_groups),
            }
        self._batch.create_compute_environment(**params)
        self.ledger.add(COMPUTE_ENVIRONMENT, name)
        return name

    def register_job_definition(self, name: str) -> str:
        """Register a plain container definition and put it in the ledger."""
        self._step = "register a job definition"
        answer = self._batch.register_job_definition(
            jobDefinitionName=name, type="container", containerProperties=dict(BASE_CONTAINER)
        )
        self.ledger.add(JOB_DEFINITION, answer["jobDefinitionArn"])
        return str(answer["jobDefinitionArn"])

    def _register_fargate_definition(self, execution_role: str) -> str:
        """A definition that runs on Fargate (outside the seed's schema: provisioning only)."""
        self._step = "register a Fargate job definition"
        answer = self._batch.register_job_definition(
            jobDefinitionName=f"{self.prefix}-fargate",
            type="container",
            platformCapabilities=["FARGATE"],
            containerProperties={**FARGATE_CONTAINER, "executionRoleArn": execution_role},
        )
        self.ledger.add(JOB_DEFINITION, answer["jobDefinitionArn"])
        return str(answer["jobDefinitionArn"])

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
