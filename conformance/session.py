"""One run's state: the target, its clients, the provisioned resources, the results.

The CLI and the pytest plugin drive the same `RunState`: `start()` (target up, resources
provisioned, or a one-line `TargetError`), cases record exchanges through `caller`, and
`finish()` cleans up and writes the reports, exactly once.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore
from botocore.exceptions import BotoCoreError, ClientError

from conformance.calls import DEFAULT_THROTTLE_RETRIES, Caller, client_config, retry_throttling
from conformance.case_record import CaseRecord
from conformance.findings import find
from conformance.interrupts import deferred_interrupts, sigterm_as_interrupt
from conformance.provision import (
    FargateNetwork,
    Provisioner,
    Resources,
    describe_error,
    new_prefix,
    provisioning_config,
)
from conformance.results import (
    CaseResult,
    Exchange,
    Observation,
    RuleInfo,
    RunResult,
    TargetInfo,
)
from conformance.schemas import Scope
from conformance.targets import Target, TargetError, TargetOptions, UsageError, make_target
from conformance.targets.joined import JoinedTarget
from conformance.verdicts import fold_answered, fold_observations, strength_of

DEFAULT_EXAMPLES = 10
DEFAULT_CONSISTENCY_WAIT_S = 20.0
CLEANING_UP = (
    "interrupted: cleaning up what the run created first (interrupt again to stop at once"
    " and leave it)"
)
SHORT_WAIT_S = 2.0
WORKER_CLEANUP_CALLS = 4


@dataclass
class RunOptions:
    """Everything that shapes a run."""

    target: TargetOptions
    report_dir: Path | None = None
    job_queue: str | None = None
    fargate: FargateNetwork | None = None  # --subnets/--security-groups
    seed: int = 0
    examples: int = DEFAULT_EXAMPLES
    baseline: Path | None = None
    strict_baseline: bool = False
    strict: bool = False
    workers: int = 1
    consistency_wait_s: float = DEFAULT_CONSISTENCY_WAIT_S
    throttle_retries: int = DEFAULT_THROTTLE_RETRIES
    step_summary: bool = True  # append report.md to $GITHUB_STEP_SUMMARY when set
    scope: Scope = "seed"  # seed: the 2018 operations; current: every operation of today


@dataclass
class Consistency:
    """What this run learnt of the endpoint's eventual consistency, to bound its waits.

    The full wait is kept while a wait has ever paid off (something showed late) or none
    has run out yet. An emulator that never shows what it was asked for (array children it
    does not create), and never shows anything late, gets short waits after the first one
    ran out: the verdict is the same, minutes are not spent on it. Real AWS (`learns`
    False) always gets the full wait: one deviation must not shorten the wait for a
    resource that AWS shows late.
    """

    late: int = 0
    missing: int = 0
    learns: bool = True

    def wait_s(self, full_s: float) -> float:
        """How long the next read may wait."""
        if not self.learns or self.late or not self.missing:
            return full_s
        return min(full_s, SHORT_WAIT_S)

    def shown(self, late: bool) -> None:
        """Everything awaited showed (after waiting, if `late`)."""
        self.late += int(late)

    def never_shown(self) -> None:
        """A wait ran out."""
        self.missing += 1


def check_tuning(consistency_wait_s: float, throttle_retries: int) -> None:
    """UsageError for a wait or a retry budget that makes no sense."""
    if not 0 <= consistency_wait_s <= 600:
        raise UsageError("--consistency-wait must be between 0 and 600 seconds")
    if not 0 <= throttle_retries <= 20:
        raise UsageError("--throttle-retries must be between 0 and 20")


def default_report_dir(target_name: str) -> Path:
    """A fresh folder under reports/runs/."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path("reports") / "runs" / f"{stamp}-{target_name}-{uuid.uuid4().hex[:4]}"


class RunState:
    """The one state object of a run."""

    def __init__(self, options: RunOptions, target: Target | None = None) -> None:
        self.options = options
        self.target: Target = target or make_target(options.target)
        self.report_dir = options.report_dir or default_report_dir(self.target.info.name)
        self.prefix = new_prefix()
        self.results: list[CaseResult] = []
        self.fatal: str | None = None
        self.started_at = dt.datetime.now(dt.UTC)
        self._t0 = time.perf_counter()
        self.current = CaseRecord()
        self.caller: Caller | None = None
        self.batch: Any = None
        self.provisioner: Provisioner | None = None
        self.resources: Resources | None = None
        self.cleanup_notes: list[str] = []
        self.written: list[Path] = []
        self._started = False
        self._finished = False
        self._anchor_jobs: list[str] = []
        self._array_jobs: list[str] = []
        self.worker: str | None = None
        self._order: dict[str, int] = {}
        self.observations: list[Observation] = []  # every response violation seen here
        self.consistency = Consistency(learns=self.target.info.name != "aws")
        self.total_cases = 0  # selected for this run, once collected
        self.done_once: set[str] = set()  # Batch.mark_done: work done once per process
        self.shared_resources: dict[str, str] = {}  # run_resources.shared, by kind
        self.answered: set[str] = set()  # operations with an accepted answer read here
        self.run: RunResult | None = None  # once finished
        self.interrupted = False
        self.cleanup_stopped = False  # a second interrupt stopped the cleanup
        self.interrupted_cleanup = False  # the (first) interrupt came during the cleanup

    # -- life cycle -------------------------------------------------------------------
    def start(self) -> None:
        """Bring the target up and provision; on failure set `fatal` and raise TargetError."""
        if self._started:
            return
        self._started = True
        sigterm_as_interrupt()
        try:
            self.target.start()
            self._connect()
            assert self.provisioner is not None
            self.resources = self.provisioner.provision(self.options.job_queue)
        except TargetError as exc:
            self.fatal = str(exc)
            raise
        except (BotoCoreError, ClientError) as exc:
            self.fatal = f"{self.target.info.name}: {describe_error(exc)}"
            raise TargetError(self.fatal) from exc

    def _connect(self) -> None:
        """Clients for the cases (no client-side validation) and for provisioning."""
        session = self.target.session()
        url = self.target.endpoint_url
        self.batch = session.client("batch", endpoint_url=url, config=client_config(False))
        real_aws = self.target.info.name == "aws"
        config = provisioning_config(real_aws)
        provisioning_batch = session.client("batch", endpoint_url=url, config=config)
        iam = session.client("iam", endpoint_url=url, config=config)
        for client in (provisioning_batch, iam):
            retry_throttling(client, self.options.throttle_retries)
        self.caller = Caller(self.batch, self._record, self.options.throttle_retries)
        where = url or f"{self.target.info.name} ({self.target.info.region})"
        self.provisioner = Provisioner(
            provisioning_batch,
            iam,
            where,
            self.prefix,
            real_aws=real_aws,
            fargate=self.options.fargate,
        )
        self.provisioner.parallel = self.options.workers
        self.provisioner.sweeps_created = self.options.scope == "current"

    def shared(self) -> dict[str, Any]:
        """What a worker process needs to join this run (plain JSON)."""
        assert self.resources is not None
        opts = self.options
        return {
            "target": asdict(self.target.info),
            "endpoint_url": self.target.endpoint_url,
            "prefix": self.prefix,
            "resources": asdict(self.resources),
            "options": {
                "seed": opts.seed,
                "examples": opts.examples,
                "strict": opts.strict,
                "consistency_wait_s": opts.consistency_wait_s,
                "throttle_retries": opts.throttle_retries,
                "scope": opts.scope,
            },
        }

    @classmethod
    def joining(cls, shared: dict[str, Any], worker: str) -> RunState:
        """A worker's state: the run another process started, same endpoint and queue.

        A worker never provisions the queue nor writes reports; it cleans up what it
        created (under its own prefix), and the run's own cleanup sweeps everything that
        carries the run's prefix.
        """
        info = TargetInfo(**shared["target"])
        url = shared["endpoint_url"]
        options = RunOptions(
            target=TargetOptions(name=info.name, endpoint_url=url, region=info.region),
            **shared["options"],
        )
        state = cls(options, JoinedTarget(info, url))
        state._started = True
        state.worker = worker
        state.prefix = f"{shared['prefix']}{worker}"
        state._connect()
        assert state.provisioner is not None
        state.resources = Resources(**shared["resources"])
        state.provisioner.queue_in_use = state.resources.job_queue
        state.provisioner.sweeps = False  # the run's own process sweeps after every worker
        state.provisioner.parallel = WORKER_CLEANUP_CALLS
        return state

    def _record(self, exchange: Exchange, body: dict[str, Any] | None) -> None:
        """Give the exchange to the current case and note what must be cleaned up."""
        self.current.add_exchange(exchange)
        if exchange.accepted:
            self.note_created_body(exchange.operation, exchange.request, body)

    def note_created_body(
        self, operation: str, request: dict[str, Any], body: dict[str, Any] | None
    ) -> None:
        """Put what an accepted call created into the cleanup ledger."""
        if self.provisioner is None or not body:
            return
        ledger = self.provisioner.ledger
        if operation == "RegisterJobDefinition":
            reference = definition_reference(request, body)
            if reference:
                ledger.job_definitions.append(reference)
        elif operation == "SubmitJob" and body.get("jobId"):
            ledger.jobs.append(str(body["jobId"]))
        else:
            created = CREATED.get(operation)
            if created is not None:
                kept, answered, asked = created
                value = body.get(answered) or request.get(asked)
                if value:
                    getattr(ledger, kept).append(str(value))

    def begin_case(self, record: CaseRecord) -> None:
        """Gather evidence for a new case into `record`."""
        self.current = record

    def anchor_jobs(self, count: int) -> list[str]:
        """`count` submitted jobs to depend on (submitted once, on first need)."""
        return self._anchors("anchor", self._anchor_jobs, count, {})

    def array_jobs(self, count: int) -> list[str]:
        """`count` submitted array jobs of size 2, for N_TO_N dependencies (submitted once)."""
        return self._anchors("array", self._array_jobs, count, {"arrayProperties": {"size": 2}})

    def _anchors(self, kind: str, kept: list[str], count: int, extra: dict[str, Any]) -> list[str]:
        assert self.caller is not None
        assert self.resources is not None
        while len(kept) < count:
            answer = self.caller.call(
                "SubmitJob",
                {
                    "jobName": f"{self.prefix}-{kind}-{len(kept)}",
                    "jobQueue": self.resources.job_queue,
                    "jobDefinition": self.resources.job_definition,
                    **extra,
                },
            )
            body = answer.body or {}
            if not answer.exchange.accepted or not body.get("jobId"):
                raise TargetError(
                    f"cannot submit a job to depend on: HTTP {answer.exchange.http_status}"
                    f" {answer.exchange.error_code} {answer.exchange.error_message or ''}".strip()
                )
            kept.append(str(body["jobId"]))
        return kept[:count]

    @property
    def finished(self) -> bool:
        """Has `finish` cleaned up already?"""
        return self._finished

    def _clean_up(self, provisioner: Provisioner) -> None:
        """The provisioner's cleanup, to its end through one interrupt (a second stops it)."""
        with deferred_interrupts(CLEANING_UP) as deferred:
            try:
                provisioner.cleanup()
            except KeyboardInterrupt:
                self.cleanup_stopped = True
                self.cleanup_notes.append(
                    f"stopped by a second interrupt: what is named {self.prefix}-* may be"
                    " left on the endpoint"
                )
        self.cleanup_notes += [] if self.target.discards_on_stop else provisioner.cleanup_errors
        self.interrupted_cleanup = deferred.count > 0 and not self.interrupted
        self.interrupted = self.interrupted or deferred.count > 0

    def interruption(self) -> str:
        """`interrupted after 88 of 158 cases; what the run created was cleaned up`: when the
        interrupt came and what the cleanup left."""
        total = f" of {self.total_cases}" if self.total_cases else ""
        if self.cleanup_stopped:
            cleaned = "the cleanup was stopped too: see the cleanup notes"
        elif self.cleanup_notes:
            cleaned = "the cleanup left some on the endpoint: see the cleanup notes"
        else:
            cleaned = "what the run created was cleaned up"
        during = " during the cleanup" if self.interrupted_cleanup else ""
        return f"interrupted{during} after {len(self.results)}{total} cases; {cleaned}"

    def collect(self, index: int, result: CaseResult) -> None:
        """A case's result (from this process or a worker); `index` is its collection order."""
        self._order[result.id] = index
        self.results.append(result)

    def finish(self, rules: dict[str, RuleInfo] | None = None) -> RunResult:
        """Clean up the endpoint, stop the target, and build the run's result.

        Results come in collection order, whatever order workers finished them in; each
        response violation a case saw becomes a verdict of the rule it breaks.
        """
        if not self._finished:
            self._finished = True
            if self.provisioner is not None:
                self._clean_up(self.provisioner)
            self.target.stop()
        known = rules or {}
        ordered = sorted(self.results, key=lambda r: self._order.get(r.id, len(self._order)))
        results = fold_observations(fold_answered(ordered), lambda rid: strength_of(known, rid))
        findings = find(results, lambda rid: strength_of(known, rid))
        return RunResult(
            target=self.target.info,
            sdk={"boto3": boto3.__version__, "botocore": botocore.__version__},
            started_at=self.started_at.isoformat(timespec="seconds"),
            duration_s=time.perf_counter() - self._t0,
            results=results,
            rules=known,
            seed=self.options.seed,
            fatal=self.fatal,
            cleanup=list(self.cleanup_notes),
            strict=self.options.strict,
            strict_baseline=self.options.strict_baseline,
            workers=self.options.workers,
            findings=findings,
            interrupted=self.interruption() if self.interrupted else None,
            scope=self.options.scope,
        )


# What a current-scope operation creates: (ledger list, answer member, request member).
CREATED: dict[str, tuple[str, str, str]] = {
    "CreateComputeEnvironment": (
        "created_compute_environments",
        "computeEnvironmentArn",
        "computeEnvironmentName",
    ),
    "CreateJobQueue": ("job_queues", "jobQueueArn", "jobQueueName"),
    "CreateSchedulingPolicy": ("scheduling_policies", "arn", "name"),
    "CreateConsumableResource": (
        "consumable_resources",
        "consumableResourceArn",
        "consumableResourceName",
    ),
    "CreateServiceEnvironment": (
        "service_environments",
        "serviceEnvironmentArn",
        "serviceEnvironmentName",
    ),
    "CreateQuotaShare": ("quota_shares", "quotaShareArn", "quotaShareArn"),
    "SubmitServiceJob": ("service_jobs", "jobId", "jobId"),
}


def definition_reference(request: dict[str, Any], body: dict[str, Any]) -> str | None:
    """The ARN of a registered definition, else `name:revision` (an answer may lack the ARN)."""
    if body.get("jobDefinitionArn"):
        return str(body["jobDefinitionArn"])
    name = body.get("jobDefinitionName") or request.get("jobDefinitionName")
    revision = body.get("revision")
    if name and isinstance(revision, int):
        return f"{name}:{revision}"
    return None
