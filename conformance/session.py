"""One run's state: the target, its clients, the provisioned resources, the results.

The CLI and the pytest plugin drive the same `RunState`: `start()` (target up, resources
provisioned, or a one-line `TargetError`), cases record exchanges through `caller`, and
`finish()` cleans up and writes the reports, exactly once.
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import boto3
import botocore
from botocore.exceptions import BotoCoreError, ClientError

from conformance.calls import Caller, client_config
from conformance.provision import Provisioner, Resources, describe_error, new_prefix
from conformance.results import CaseResult, Exchange, RuleInfo, RunResult
from conformance.targets import Target, TargetError, TargetOptions, make_target

DEFAULT_EXAMPLES = 10
MAX_EXCHANGES_KEPT = 6


@dataclass
class RunOptions:
    """Everything that shapes a run."""

    target: TargetOptions
    report_dir: Path | None = None
    job_queue: str | None = None
    seed: int = 0
    examples: int = DEFAULT_EXAMPLES
    baseline: Path | None = None
    strict_baseline: bool = False
    write_reports: bool = True


def default_report_dir(target_name: str) -> Path:
    """A fresh folder under reports/runs/."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path("reports") / "runs" / f"{stamp}-{target_name}-{uuid.uuid4().hex[:4]}"


@dataclass
class CaseRecord:
    """Exchanges and checks gathered while one case runs."""

    exchanges: list[Exchange] = field(default_factory=list)
    total_exchanges: int = 0
    call_s: float = 0.0


class RunState:
    """The one state object of a run."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.target: Target = make_target(options.target)
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

    # -- life cycle -------------------------------------------------------------------
    def start(self) -> None:
        """Bring the target up and provision; on failure set `fatal` and raise TargetError."""
        if self._started:
            return
        self._started = True
        _sigterm_as_interrupt()
        try:
            self.target.start()
            session = self.target.session()
            url = self.target.endpoint_url
            self.batch = session.client("batch", endpoint_url=url, config=client_config(False))
            provisioning_batch = session.client(
                "batch", endpoint_url=url, config=client_config(True)
            )
            iam = session.client("iam", endpoint_url=url, config=client_config(True))
            self.caller = Caller(self.batch, self._record)
            where = url or f"{self.target.info.name} ({self.target.info.region})"
            self.provisioner = Provisioner(provisioning_batch, iam, where, self.prefix)
            self.resources = self.provisioner.provision(self.options.job_queue)
        except TargetError as exc:
            self.fatal = str(exc)
            raise
        except (BotoCoreError, ClientError) as exc:
            self.fatal = f"{self.target.info.name}: {describe_error(exc)}"
            raise TargetError(self.fatal) from exc

    def _record(self, exchange: Exchange, body: dict[str, Any] | None) -> None:
        """Keep the case's exchanges (the last few) and note what must be cleaned up."""
        record = self.current
        record.total_exchanges += 1
        record.call_s += exchange.duration_s
        record.exchanges.append(exchange)
        if len(record.exchanges) > MAX_EXCHANGES_KEPT:
            del record.exchanges[0]
        if exchange.accepted:
            self.note_created_body(exchange.operation, body)

    def note_created_body(self, operation: str, body: dict[str, Any] | None) -> None:
        """Put what an accepted call created into the cleanup ledger."""
        if self.provisioner is None or not body:
            return
        ledger = self.provisioner.ledger
        if operation == "RegisterJobDefinition" and body.get("jobDefinitionArn"):
            ledger.job_definitions.append(str(body["jobDefinitionArn"]))
        elif operation == "SubmitJob" and body.get("jobId"):
            ledger.jobs.append(str(body["jobId"]))

    def begin_case(self) -> None:
        """Start gathering evidence for a new case."""
        self.current = CaseRecord()

    def anchor_jobs(self, count: int) -> list[str]:
        """`count` submitted jobs to depend on (submitted once, on first need)."""
        assert self.caller is not None
        assert self.resources is not None
        while len(self._anchor_jobs) < count:
            answer = self.caller.call(
                "SubmitJob",
                {
                    "jobName": f"{self.prefix}-anchor-{len(self._anchor_jobs)}",
                    "jobQueue": self.resources.job_queue,
                    "jobDefinition": self.resources.job_definition,
                },
            )
            body = answer.body or {}
            if not answer.exchange.accepted or not body.get("jobId"):
                raise TargetError(
                    f"cannot submit a job to depend on: HTTP {answer.exchange.http_status}"
                    f" {answer.exchange.error_code} {answer.exchange.error_message or ''}".strip()
                )
            self._anchor_jobs.append(str(body["jobId"]))
        return self._anchor_jobs[:count]

    @property
    def finished(self) -> bool:
        """Has `finish` cleaned up already?"""
        return self._finished

    def finish(self, rules: dict[str, RuleInfo] | None = None) -> RunResult:
        """Clean up the endpoint, stop the target, build the result, write the reports."""
        if not self._finished:
            self._finished = True
            if self.provisioner is not None:
                self.provisioner.cleanup()
                self.cleanup_notes.extend(self.provisioner.cleanup_errors)
            self.target.stop()
        return RunResult(
            target=self.target.info,
            sdk={"boto3": boto3.__version__, "botocore": botocore.__version__},
            started_at=self.started_at.isoformat(timespec="seconds"),
            duration_s=time.perf_counter() - self._t0,
            results=list(self.results),
            rules=rules or {},
            seed=self.options.seed,
            fatal=self.fatal,
            cleanup=list(self.cleanup_notes),
        )


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _sigterm_as_interrupt() -> None:
    """SIGTERM behaves like Ctrl-C, so cleanup runs when CI cancels a job."""
    try:
        signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread
        print("batch-conformance: cannot watch SIGTERM outside the main thread", file=sys.stderr)
