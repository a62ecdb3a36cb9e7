"""One run's state: the target, its clients, the provisioned resources, the results.

The CLI and the pytest plugin drive the same `RunState`: `start()` (target up, resources
provisioned, or a one-line `TargetError`), cases record exchanges through `caller`, and
`finish()` cleans up and writes the reports, exactly once.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import boto3
import botocore
from botocore.exceptions import BotoCoreError, ClientError

from conformance import call_log, catalogue
from conformance.calls import Caller, client_config, cured, retry_throttling
from conformance.case_record import CaseRecord
from conformance.cleanup import Ledger
from conformance.errors import TargetError
from conformance.findings import find
from conformance.interrupts import Interruption, deferred_interrupts, sigterm_as_interrupt
from conformance.lifecycle import Lifecycle, decide
from conformance.memory import RunMemory
from conformance.options import RunOptions
from conformance.provision import (
    PROBE_READ_TIMEOUT_S,
    Provisioner,
    Resources,
    new_prefix,
    provisioning_config,
)
from conformance.results import CaseResult, Exchange, RuleInfo, RunResult, TargetInfo
from conformance.scopes import Scope, scope_named
from conformance.sdk_errors import describe_error
from conformance.targets import Target, TargetOptions, make_target
from conformance.targets.joined import JoinedTarget
from conformance.verdicts import fold_answered, fold_observations, retried, strength_of
from conformance.waiting import Consistency

CLEANING_UP = (
    "interrupted: cleaning up what the run created first (interrupt again to stop at once"
    " and leave it)"
)


def default_report_dir(target_name: str) -> Path:
    """A fresh folder under reports/runs/."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path("reports") / "runs" / f"{stamp}-{target_name}-{uuid.uuid4().hex[:4]}"


def swept_kinds(scope: Scope) -> tuple[catalogue.Kind, ...]:
    """The kinds whose strays the cleanup looks for: those the scope's operations make."""
    return tuple(
        kind
        for kind in catalogue.KINDS
        if kind.listing is not None and kind.create in scope.operations
    )


class RunState:
    """The one state object of a run."""

    def __init__(self, options: RunOptions, target: Target | None = None) -> None:
        self.options = options
        self.target: Target = target or make_target(options.target)
        self.report_dir = options.report_dir or default_report_dir(self.target.info.name)
        self.prefix = new_prefix()
        self.results: list[CaseResult] = []
        self.total_cases = 0  # selected for this run, once collected
        self._order: dict[str, int] = {}
        self.fatal: str | None = None
        self.started_at = dt.datetime.now(dt.UTC)
        self._t0 = time.perf_counter()
        self.current = CaseRecord()
        self.caller: Caller | None = None
        self.provisioner: Provisioner | None = None
        self.resources: Resources | None = None
        self.lifecycle: Lifecycle | None = None  # decided once, after provisioning
        self.memory = RunMemory(Consistency(learns=self.target.info.name != "aws"))
        self.worker: str | None = None
        self.cleanup_notes: list[str] = []
        self.interruption = Interruption()
        self.written: list[Path] = []
        self.run: RunResult | None = None  # once finished
        self.judges: dict[str, str] = {}  # rule id -> the case that judges it over the run
        self._started = False
        self._finished = False

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
            self.memory.observations.extend(self.provisioner.observations)
            for note in self.provisioner.notes:  # said once the run is sure to go on
                print(f"batch-conformance: {note}", file=sys.stderr)
            self.lifecycle = decide(
                self.provisioner.client, self.resources, self.provisioner.settle_s, self.prefix
            )
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
        batch = session.client("batch", endpoint_url=url, config=client_config(False))
        real_aws = self.target.info.name == "aws"
        config = provisioning_config(real_aws)
        provisioning_batch = session.client("batch", endpoint_url=url, config=config)
        iam = session.client("iam", endpoint_url=url, config=config)
        for client in (provisioning_batch, iam):
            retry_throttling(client, self.options.throttle_retries)
        probe = None  # real AWS answers; an emulator may hang: asked first, briefly
        if not real_aws:
            short = provisioning_config(False, PROBE_READ_TIMEOUT_S)
            probe = session.client("batch", endpoint_url=url, config=short)
        for client in (batch, provisioning_batch, iam):
            call_log.attach(client)  # BATCH_CONFORMANCE_CALL_LOG: the benchmark's bare calls
        self.caller = Caller(batch, self._record, self.options.throttle_retries)
        where = url or f"{self.target.info.name} ({self.target.info.region})"
        self.provisioner = Provisioner(
            provisioning_batch,
            iam,
            where,
            self.prefix,
            real_aws=real_aws,
            fargate=self.options.fargate,
            roles=self.options.roles,
            probe=probe,
            scope=self.options.scope,
        )
        self.provisioner.cleaner.parallel = self.options.workers
        self.provisioner.cleaner.swept = swept_kinds(self.options.scope)

    def shared(self) -> dict[str, Any]:
        """What a worker process needs to join this run (plain JSON)."""
        assert self.resources is not None
        opts = self.options
        return {
            "target": asdict(self.target.info),
            "endpoint_url": self.target.endpoint_url,
            "prefix": self.prefix,
            "resources": asdict(self.resources),
            "lifecycle": self.lifecycle.to_dict() if self.lifecycle else None,
            "options": {
                "seed": opts.seed,
                "examples": opts.examples,
                "strict": opts.strict,
                "consistency_wait_s": opts.consistency_wait_s,
                "throttle_retries": opts.throttle_retries,
                "scope": opts.scope.name,
            },
        }

    @classmethod
    def joining(cls, shared: dict[str, Any], worker: str) -> RunState:
        """A worker's state: the run another process started, same endpoint and queue.

        A worker never provisions the queue nor writes reports; it hands what it created
        (under its own prefix) to the run's own process (`hand_over`), whose one cleanup
        removes it with the rest and sweeps everything that carries the run's prefix.
        """
        info = TargetInfo(**shared["target"])
        url = shared["endpoint_url"]
        given = dict(shared["options"])
        options = RunOptions(
            target=TargetOptions(name=info.name, endpoint_url=url, region=info.region),
            **{**given, "scope": scope_named(given["scope"])},
        )
        state = cls(options, JoinedTarget(info, url))
        state._started = True
        state.worker = worker
        state.prefix = f"{shared['prefix']}{worker}"
        state._connect()
        assert state.provisioner is not None
        state.resources = Resources(**shared["resources"])
        if shared.get("lifecycle"):
            state.lifecycle = Lifecycle.from_dict(shared["lifecycle"])
        cleaner = state.provisioner.cleaner
        cleaner.queue = state.resources.job_queue
        cleaner.sweeps = False  # the run's own process sweeps after every worker
        return state

    def hand_over(self) -> dict[str, list[str]]:
        """What this worker made, by kind, for the run's own process to remove with the rest
        (`take_over`): one cleanup disables, deletes and awaits every kind together, not
        one per worker after another. This worker's ledger is empty afterwards."""
        assert self.provisioner is not None
        made = self.provisioner.ledger.made
        self.provisioner.ledger = self.provisioner.cleaner.ledger = Ledger()
        return made

    def take_over(self, made: dict[str, list[str]]) -> None:
        """Put what a worker made (`hand_over`) into this run's ledger."""
        if self.provisioner is None:
            return
        for name, references in made.items():
            for reference in references:
                self.provisioner.ledger.add(catalogue.kind(name), reference)

    def _record(self, exchange: Exchange, body: dict[str, Any] | None) -> None:
        """Give the exchange to the current case and note what must be cleaned up; server
        errors a retry cured are an observation for their own rule (a finding, a warning)."""
        self.current.add_exchange(exchange)
        if cured(exchange):
            self.current.add_observations([retried(exchange)])
        if exchange.accepted:
            self.note_created(exchange.operation, exchange.request, body)

    def note_created(
        self, operation: str, request: dict[str, Any], body: dict[str, Any] | None
    ) -> None:
        """Put what an accepted call made into the cleanup ledger (the catalogue says what
        each operation makes, and how the answer names it)."""
        kind = catalogue.made_by(operation)
        if self.provisioner is None or not body or kind is None:
            return
        self.provisioner.ledger.add(kind, kind.made(request, body))

    def begin_case(self, record: CaseRecord) -> None:
        """Gather evidence for a new case into `record`."""
        self.current = record

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
                self.interruption.cleanup_stopped = True
                self.cleanup_notes.append(
                    f"stopped by a second interrupt: what is named {self.prefix}-* may be"
                    " left on the endpoint"
                )
        self.cleanup_notes += [] if self.target.discards_on_stop else provisioner.cleanup_errors
        self.interruption.during_cleanup(deferred.count)

    def interrupted_text(self) -> str:
        """`interrupted after 88 of 158 cases; what the run created was cleaned up`."""
        return self.interruption.text(len(self.results), self.total_cases, self.cleanup_notes)

    def collect(self, index: int, result: CaseResult) -> None:
        """A case's result (from this process or a worker); `index` is its collection order."""
        self._order[result.id] = index
        self.results.append(result)

    def finish(self, rules: dict[str, RuleInfo] | None = None) -> RunResult:
        """Clean up the endpoint, stop the target, and build the run's result.

        Results come in collection order, whatever order workers finished them in; each
        response violation a case saw becomes a verdict of the rule it breaks, given by
        the case that judges that rule (`judges`, from the cases' markers).
        """
        if not self._finished:
            self._finished = True
            if self.provisioner is not None:
                self._clean_up(self.provisioner)
            self.target.stop()
        known = rules or {}
        ordered = sorted(self.results, key=lambda r: self._order.get(r.id, len(self._order)))

        def strength(rule_id: str) -> Any:
            return strength_of(known, rule_id)

        provisioned = self.provisioner.observations if self.provisioner else []
        results = fold_observations(fold_answered(ordered), strength, self.judges, provisioned)
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
            findings=find(results, strength),
            interrupted=self.interrupted_text() if self.interruption.happened else None,
            scope=self.options.scope.name,
            lifecycle=self.lifecycle.text if self.lifecycle else None,
        )
