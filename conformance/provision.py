"""Create what the cases need on the endpoint, and delete all of it afterwards.

Everything is named with a per-run prefix and written into a ledger as soon as it exists,
so that cleanup removes exactly what this run created, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import botocore.config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from conformance.calls import CONNECT_TIMEOUT_S, READ_TIMEOUT_S
from conformance.reports.redact import redact_text
from conformance.targets.base import TargetError, UsageError

# What a botocore call raises when the endpoint misbehaves: its parsers let
# ResponseParserError (not a BotoCoreError) and KeyError (HTML that parses as XML) escape.
SDK_ERRORS = (BotoCoreError, ClientError, ResponseParserError, KeyError, ValueError, TypeError)

SERVICE_POLICY = "arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole"
EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
BATCH_PRINCIPAL = "batch.amazonaws.com"
TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com"
WAIT_S = 120.0
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


_GONE = re.compile(r"does not exist|not found|no such|doesn't exist", re.IGNORECASE)


def already_gone(exc: BaseException) -> bool:
    """Does this cleanup refusal say the resource is not there any more (nothing is left)?"""
    if not isinstance(exc, ClientError):
        return False
    err = exc.response.get("Error", {})
    code = str(err.get("Code", ""))
    return code in {"NoSuchEntity", "ResourceNotFoundException"} or bool(
        _GONE.search(str(err.get("Message", "")))
    )


@dataclass
class Ledger:
    """What this run created, in creation order."""

    roles: list[str] = field(default_factory=list)
    attached: dict[str, list[str]] = field(default_factory=dict)  # role name -> policy ARNs
    compute_environments: list[str] = field(default_factory=list)  # names
    job_queue: str | None = None
    job_definitions: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)
    # what the current scope's cases create besides (names or ARNs, as the endpoint takes)
    job_queues: list[str] = field(default_factory=list)
    created_compute_environments: list[str] = field(default_factory=list)
    scheduling_policies: list[str] = field(default_factory=list)
    consumable_resources: list[str] = field(default_factory=list)
    service_environments: list[str] = field(default_factory=list)
    quota_shares: list[str] = field(default_factory=list)
    service_jobs: list[str] = field(default_factory=list)


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
    """Creates the run's resources through the target's own endpoint and cleans them up.

    `real_aws`: the target is AWS itself (a managed policy must attach; the run's own
    UNMANAGED compute environment runs no job). `fargate`: provision a MANAGED FARGATE
    compute environment in that network, and a job definition that runs on it.
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
        self._failed_cleanups: dict[tuple[str, str], list[str]] = {}
        self._lock = threading.Lock()
        self.parallel = 1  # cleanup calls at a time: the run's workers (session.py)
        self.sweeps = True  # a worker leaves sweeping by prefix to the run's own process
        self.sweeps_created = False  # current scope: sweep what its cases make, too
        self.queue_in_use: str | None = None
        self._roles_tried = False

    def _fail(self, step: str, exc: BaseException) -> TargetError:
        return TargetError(f"{self._endpoint}: cannot {step}: {describe_error(exc)}")

    def provision(self, job_queue: str | None) -> Resources:
        """Roles, compute environment, job queue (unless given), job definitions.

        With `job_queue`, only the job role and the definitions are created.
        """
        try:
            service_role = ""
            if not job_queue:
                service_role = self._create_role("service-role", BATCH_PRINCIPAL, SERVICE_POLICY)
            execution_role = ""
            if self._fargate is not None and not job_queue:
                execution_role = self._create_role(
                    "execution-role", TASKS_PRINCIPAL, EXECUTION_POLICY
                )
            job_role = self._create_role("job-role", TASKS_PRINCIPAL)
            queue = job_queue or self._create_queue(service_role)
            self.queue_in_use = queue
            definition = self.register_job_definition(f"{self.prefix}-base")
            runnable = definition
            if execution_role:
                runnable = self._register_fargate_definition(execution_role)
        except SDK_ERRORS as exc:
            raise self._fail(self._step, exc) from exc
        return Resources(
            prefix=self.prefix,
            job_queue=queue,
            job_definition=definition,
            job_definition_name=f"{self.prefix}-base",
            job_role_arn=job_role,
            service_role_arn=service_role,
            compute_environment=(
                self.ledger.compute_environments[-1] if self.ledger.compute_environments else ""
            ),
            runnable_definition=runnable,
            runs_jobs=not self._real_aws or bool(job_queue) or self._fargate is not None,
            job_settle_s=AWS_SETTLE_S if self._real_aws else EMULATOR_SETTLE_S,
        )

    _step = "provision"

    def _create_role(self, kind: str, principal: str, policy: str | None = None) -> str:
        """A role named `<prefix>-<kind>` that `principal` may assume, with `policy` attached."""
        name = f"{self.prefix}-{kind}"
        self._step = f"create the IAM role {name}"
        self._roles_tried = True
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
        status, reason = self._wait_valid(self._ce_status, env)
        if status == "INVALID" and "sts:AssumeRole" in reason:
            # The role was created a moment ago and IAM has not spread it yet: once more.
            time.sleep(IAM_SETTLE_S)
            env = self._create_compute_environment(service_role, f"{self.prefix}-ce2")
            status, reason = self._wait_valid(self._ce_status, env)
        self._require_valid("compute environment", env, status, reason)
        self._step = "create a job queue"
        queue = self._batch.create_job_queue(
            jobQueueName=f"{self.prefix}-queue",
            state="ENABLED",
            priority=1,
            computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env}],
        )
        arn = str(queue["jobQueueArn"])
        self.ledger.job_queue = arn
        status, reason = self._wait_valid(self._queue_status, arn)
        self._require_valid("job queue", f"{self.prefix}-queue", status, reason)
        return arn

    def _create_compute_environment(self, service_role: str, name: str) -> str:
        """UNMANAGED, or MANAGED FARGATE in the given network; returns its name."""
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
        self.ledger.compute_environments.append(name)
        return name

    def register_job_definition(self, name: str) -> str:
        """Register a plain container definition and put it in the ledger."""
        self._step = "register a job definition"
        answer = self._batch.register_job_definition(
            jobDefinitionName=name, type="container", containerProperties=dict(BASE_CONTAINER)
        )
        self.ledger.job_definitions.append(answer["jobDefinitionArn"])
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
        self.ledger.job_definitions.append(answer["jobDefinitionArn"])
        return str(answer["jobDefinitionArn"])

    def _ce_status(self, name: str) -> Status:
        # By name: ministack finds compute environments by name only.
        found = self._batch.describe_compute_environments(computeEnvironments=[name])
        return _status(found.get("computeEnvironments", []))

    def _queue_status(self, arn: str) -> Status:
        found = self._batch.describe_job_queues(jobQueues=[arn])
        return _status(found.get("jobQueues", []))

    def _wait_valid(self, status_of: Callable[[str], Status], resource: str) -> Status:
        """Poll until the resource leaves CREATING/UPDATING (bounded); its last status."""
        self._step = f"wait for {resource} to become VALID"
        start = time.monotonic()
        delay = 0.1
        status, reason = status_of(resource)
        while time.monotonic() - start < WAIT_S:
            pending = status in {"CREATING", "UPDATING"}
            if not pending and not (status is None and time.monotonic() - start < MISSING_GRACE_S):
                break
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
            status, reason = status_of(resource)
        return status, reason

    def _require_valid(self, what: str, resource: str, status: str | None, reason: str) -> None:
        """VALID (or not listed by an endpoint that cannot describe it), else TargetError."""
        if status in {"VALID", None}:
            return
        if status in {"CREATING", "UPDATING"}:
            state = f"still {status} after {WAIT_S:.0f} s"
        else:
            state = f"{status}, not VALID"
        because = f": {reason}" if reason else " (no statusReason)"
        raise TargetError(
            redact_text(f"{self._endpoint}: the {what} {resource} is {state}{because}")
        )

    def named_by_run(self, name: str) -> bool:
        """`<prefix>-...`, or `<prefix>w<n>-...` of one of the run's xdist workers."""
        return re.match(rf"{re.escape(self.prefix)}(?:w[0-9]+)?-", name) is not None

    def _sweep(self) -> None:
        """Add to the ledger what carries the run's prefix but was never recorded.

        A call interrupted in flight (Ctrl-C, SIGTERM) can create a definition or a job
        whose answer never arrived; they are found by name (bounded listing).
        """
        ledger = self.ledger
        known = set(ledger.job_definitions)
        listed = self._listed(self._batch.describe_job_definitions, "jobDefinitions", "ACTIVE")
        for entry in listed:
            arn = entry.get("jobDefinitionArn")
            name = str(entry.get("jobDefinitionName", ""))
            if arn and arn not in known and self.named_by_run(name):
                ledger.job_definitions.append(str(arn))
                known.add(arn)
        if self.queue_in_use:
            self._sweep_jobs(self.queue_in_use)
        if self.sweeps_created:
            self._sweep_created()

    def _listed(
        self, call: Callable[..., Any], key: str, status: str | None = None
    ) -> list[dict[str, Any]]:
        """Every entry of a paginated listing (bounded; only `status` if given); what was
        listed before a refusal."""
        entries: list[dict[str, Any]] = []
        token: str | None = None
        for _page in range(SWEEP_PAGES):
            params: dict[str, Any] = {"maxResults": 100}
            if status:
                params["status"] = status
            if token:
                params["nextToken"] = token
            try:
                page = call(**params)
            except SDK_ERRORS:
                break
            entries += [e for e in page.get(key, []) if isinstance(e, dict)]
            token = page.get("nextToken")
            if not token:
                break
        return entries

    def _sweep_created(self) -> None:
        """Compute environments, job queues and scheduling policies the current scope's
        cases made under the run's prefix, whose answer never arrived."""
        ledger = self.ledger
        own = {*ledger.compute_environments, ledger.job_queue or ""}
        batch = self._batch
        kinds = (
            (
                batch.describe_compute_environments,
                "computeEnvironments",
                "computeEnvironment",
                ledger.created_compute_environments,
            ),
            (batch.describe_job_queues, "jobQueues", "jobQueue", ledger.job_queues),
            (batch.list_scheduling_policies, "schedulingPolicies", "", ledger.scheduling_policies),
        )
        for call, key, member, kept in kinds:
            for entry in self._listed(call, key):
                arn = str(entry.get(f"{member}Arn" if member else "arn", ""))
                name = str(entry.get(f"{member}Name", "")) if member else arn.rsplit("/", 1)[-1]
                if not arn or not self.named_by_run(name) or {arn, name} & own:
                    continue
                if arn not in kept and name not in kept:
                    kept.append(arn)

    def _sweep_jobs(self, queue: str) -> None:
        known = set(self.ledger.jobs)
        for status in ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"):
            try:
                page = self._batch.list_jobs(jobQueue=queue, jobStatus=status)
            except SDK_ERRORS:
                return
            for job in page.get("jobSummaryList", []):
                mine = self.named_by_run(str(job.get("jobName", "")))
                if mine and job.get("jobId") and job["jobId"] not in known:
                    self.ledger.jobs.append(str(job["jobId"]))
                    known.add(job["jobId"])

    def _sweep_roles(self) -> None:
        """Roles with the run's prefix that a cut-off CreateRole left out of the ledger."""
        marker: str | None = None
        for _page in range(SWEEP_PAGES):
            params: dict[str, Any] = {"MaxItems": 100}
            if marker:
                params["Marker"] = marker
            try:
                page = self._iam.list_roles(**params)
            except SDK_ERRORS:
                return
            for role in page.get("Roles", []):
                name = str(role.get("RoleName", ""))
                if self.named_by_run(name) and name not in self.ledger.roles:
                    self.ledger.roles.append(name)
            marker = page.get("Marker") if page.get("IsTruncated") else None
            if not marker:
                return

    def cleanup(self) -> None:
        """Terminate jobs, deregister definitions, delete queue, compute environments, roles.

        Swept twice: a call cut off in flight may still be landing on the endpoint while
        the first pass runs.
        """
        ledger = self.ledger
        done_jobs: set[str] = set()
        done_definitions: set[str] = set()
        for _pass in range(2 if self.sweeps else 1):
            if self.sweeps:
                self._sweep()
            actions: list[tuple[str, str, Callable[[], Any]]] = []
            for job_id in [j for j in ledger.jobs if j not in done_jobs]:
                done_jobs.add(job_id)
                terminate = partial(
                    self._batch.terminate_job, jobId=job_id, reason="conformance run over"
                )
                actions.append(("terminate job", job_id, terminate))
            for arn in [a for a in ledger.job_definitions if a not in done_definitions]:
                done_definitions.add(arn)
                deregister = partial(self._batch.deregister_job_definition, jobDefinition=arn)
                actions.append(("deregister job definition", arn, deregister))
            self._try_all(actions)
        self._cleanup_created(ledger)
        if ledger.job_queue:
            self._delete_queue(ledger.job_queue)
        for env in reversed(ledger.compute_environments):
            self._delete_compute_environment(env)
        if self._roles_tried:
            self._sweep_roles()
        for role in ledger.roles:
            self._delete_role(role)
        self.ledger = Ledger()

    def _delete_queue(self, queue: str) -> None:
        """Disable, then delete, a job queue (AWS deletes only a DISABLED one)."""
        self._delete(
            "job queue",
            queue,
            lambda a: self._batch.update_job_queue(jobQueue=a, state="DISABLED"),
            lambda a: self._batch.delete_job_queue(jobQueue=a),
            self._queue_status,
        )

    def _delete_compute_environment(self, env: str) -> None:
        """Disable, then delete, a compute environment (AWS deletes only a DISABLED one)."""
        self._delete(
            "compute environment",
            env,
            lambda a: self._batch.update_compute_environment(
                computeEnvironment=a, state="DISABLED"
            ),
            lambda a: self._batch.delete_compute_environment(computeEnvironment=a),
            self._ce_status,
        )

    def _cleanup_created(self, ledger: Ledger) -> None:
        """What the current scope's cases created: service jobs, quota shares, queues,
        compute environments, service environments, scheduling policies, consumables."""
        batch = self._batch
        self._try_all(
            [
                (
                    "terminate service job",
                    job,
                    partial(batch.terminate_service_job, jobId=job, reason="conformance run over"),
                )
                for job in ledger.service_jobs
            ]
            + [
                ("delete quota share", arn, partial(batch.delete_quota_share, quotaShareArn=arn))
                for arn in ledger.quota_shares
            ]
        )
        for queue in reversed(ledger.job_queues):
            self._delete_queue(queue)
        for env in reversed(ledger.created_compute_environments):
            self._delete_compute_environment(env)
        for env in ledger.service_environments:
            self._try(
                "disable service environment",
                env,
                partial(batch.update_service_environment, serviceEnvironment=env, state="DISABLED"),
            )
            self._try(
                "delete service environment",
                env,
                partial(batch.delete_service_environment, serviceEnvironment=env),
            )
        self._try_all(
            [
                ("delete scheduling policy", arn, partial(batch.delete_scheduling_policy, arn=arn))
                for arn in ledger.scheduling_policies
            ]
            + [
                (
                    "delete consumable resource",
                    name,
                    partial(batch.delete_consumable_resource, consumableResource=name),
                )
                for name in ledger.consumable_resources
            ]
        )

    def _delete_role(self, role: str) -> None:
        """Detach its policies (AWS refuses to delete a role with any), then delete it."""
        policies = list(self.ledger.attached.get(role, []))
        try:
            listed = self._iam.list_attached_role_policies(RoleName=role)
            more = [str(p.get("PolicyArn")) for p in listed.get("AttachedPolicies", [])]
            policies += [p for p in more if p not in policies]
        except SDK_ERRORS:
            pass  # the ledger's policies are detached all the same
        for policy in policies:
            self._try(
                "detach policy from role",
                role,
                partial(self._iam.detach_role_policy, RoleName=role, PolicyArn=policy),
            )
        self._try("delete role", role, partial(self._iam.delete_role, RoleName=role))

    def _delete(
        self,
        what: str,
        resource: str,
        disable: Callable[[str], Any],
        delete: Callable[[str], Any],
        status_of: Callable[[str], Status],
    ) -> None:
        self._try(f"disable {what}", resource, lambda: disable(resource))
        self._wait_settled(status_of, resource)
        self._try(f"delete {what}", resource, lambda: delete(resource))
        self._wait_settled(status_of, resource)

    def _wait_settled(self, status_of: Callable[[str], Status], resource: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            try:
                status, _reason = status_of(resource)
            except SDK_ERRORS:
                return
            if status not in {"CREATING", "UPDATING", "DELETING"}:
                return
            time.sleep(1)

    def _try_all(self, actions: list[tuple[str, str, Callable[[], Any]]]) -> None:
        """Run cleanup calls, `parallel` at a time (latency-bound on a remote endpoint)."""
        if self.parallel <= 1 or len(actions) <= 1:
            for what, resource, action in actions:
                self._try(what, resource, action)
            return
        with ThreadPoolExecutor(min(self.parallel, len(actions))) as pool:
            list(pool.map(lambda item: self._try(*item), actions))

    def _try(self, what: str, resource: str, action: Callable[[], Any]) -> None:
        try:
            action()
        except SDK_ERRORS as exc:
            if already_gone(exc):  # a case deleted it itself (a lifecycle): cleaned up
                return
            with self._lock:
                failed = self._failed_cleanups.setdefault((what, describe_error(exc)), [])
                failed.append(resource)

    @property
    def cleanup_errors(self) -> list[str]:
        """One line per kind of cleanup the endpoint refused: what remains on it, and why."""
        lines = []
        for (what, cause), resources in self._failed_cleanups.items():
            more = f" and {len(resources) - 1} more" if len(resources) > 1 else ""
            lines.append(f"cannot {what} {resources[0]}{more} (left on the endpoint): {cause}")
        return lines


def _status(found: list[dict[str, Any]]) -> Status:
    """Status and one-line statusReason of the first described resource."""
    if not found:
        return None, ""
    reason = " ".join(str(found[0].get("statusReason") or "").split())
    status = found[0].get("status")
    return (str(status) if status is not None else None), reason
