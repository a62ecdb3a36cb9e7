"""What a case holds: `Batch`, the endpoint as the cases see it.

Every call goes through the run's recorder into the current case's `CaseRecord`. An
accepted answer is read as an SDK reads it (a null for an optional member is absent, and
noted) and checked against its response schema; what breaks the schema is an observation
for the rule it breaks, never this case's own failure (see `conformance.verdicts`). Where
AWS is eventually consistent (a job just submitted, array children), reads wait, bounded.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

import pytest

from conformance import catalogue, run_resources
from conformance.answer_check import observe, read_answer
from conformance.attribution import Owned, own_listing, owned_by
from conformance.calls import Answer, EndpointUnusable, OperationNotImplemented
from conformance.case_record import CaseRecord, SuiteDefect
from conformance.context import PLACEHOLDER_JOB_ROLE_ARN, Context
from conformance.documented import Known, violations
from conformance.grading import CaseFailure, negative_data_rejection, positive_data_acceptance
from conformance.lifecycle import Lifecycle
from conformance.memory import RunMemory
from conformance.network import default_network
from conformance.provision import Resources
from conformance.results import Check, Strength
from conformance.schemas import Rule
from conformance.scopes import Scope
from conformance.session import RunState
from conformance.verdicts import judge
from conformance.waiting import poll

SETTLED = catalogue.JOB.settled
NO_JOB_ROLE = (
    "needs an IAM role to pass as a job's role: the endpoint has no IAM and no"
    " --job-role-arn was given"
)
DOCUMENTED_STATUSES = (*catalogue.JOB.busy, *SETTLED)
T = TypeVar("T")


def implemented_rule(operation: str) -> str:
    """The rule that judges whether the endpoint implements `operation` (its probe's)."""
    return f"{operation}.implemented"


class Batch:
    """The endpoint under test, with the run's resources and the current case's record."""

    _names = itertools.count(1)

    def __init__(self, state: RunState) -> None:
        self._state = state

    @property
    def record(self) -> CaseRecord:
        """The current case's evidence."""
        return self._state.current

    @property
    def resources(self) -> Resources:
        """Queue and base job definition provisioned for this run."""
        assert self._state.resources is not None, "the run was not provisioned"
        return self._state.resources

    @property
    def lifecycle(self) -> Lifecycle | None:
        """Does the endpoint run jobs as their command says? (decided once per run)"""
        return self._state.lifecycle

    def needs_lifecycle(self) -> None:
        """Skip the case, saying why, where the endpoint does not run jobs as AWS does."""
        lifecycle = self.lifecycle
        if lifecycle is None or not lifecycle.modelled:
            pytest.skip(lifecycle.skip_reason if lifecycle else "the job lifecycle was not probed")

    @property
    def memory(self) -> RunMemory:
        """What this process keeps from case to case."""
        return self._state.memory

    @property
    def seed(self) -> int:
        """The run's --seed."""
        return self._state.options.seed

    @property
    def examples(self) -> int:
        """How many generated examples per generated case."""
        return self._state.options.examples

    @property
    def scope(self) -> Scope:
        """The run's scope: SEED (2018 shapes) or CURRENT (today's API)."""
        return self._state.options.scope

    @property
    def consistency_wait_s(self) -> float:
        """How long a read waits for what the run just made or changed to show."""
        return self._state.options.consistency_wait_s

    @property
    def settle_s(self) -> float:
        """How long a job or a resource may take to settle (30 s on an emulator, 10
        minutes on AWS)."""
        return self.resources.job_settle_s

    def name(self, kind: str) -> str:
        """A name unique to this run: `<prefix>-<kind>-<n>` (valid job and definition name)."""
        return f"{self._state.prefix}-{kind}-{next(self._names)}"

    def context(self) -> Context:
        """What requests may reference on this endpoint."""
        network = self._state.options.fargate
        return Context(
            name=self.name,
            job_queue=self.resources.job_queue,
            job_definition=self.resources.job_definition,
            prefix=self.resources.prefix,
            jobs=self.anchor_jobs,
            array_jobs=lambda count: run_resources.anchors(self, count, array=True),
            job_role_arn=self.resources.job_role_arn or PLACEHOLDER_JOB_ROLE_ARN,
            resource=lambda kind: run_resources.shared(self, kind),
            fresh=lambda kind: run_resources.fresh(self, kind),
            service_role_arn=self.resources.service_role_arn,
            subnets=network.subnets if network else (),
            security_groups=network.security_groups if network else (),
            look_up_network=self.emulator_network,
            compute_kind=self._compute_kind,
        )

    def emulator_network(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """An emulator's default network (subnets, security groups), looked up once per
        process through EC2 on the endpoint (`conformance.network`); none on real AWS,
        where only --subnets/--security-groups give one."""
        memory, target = self.memory, self._state.target
        if memory.network is None:
            found = None
            if target.info.name != "aws":
                found = default_network(target.session(), target.endpoint_url)
            memory.network = (found.subnets, found.security_groups) if found else ((), ())
        return memory.network

    @property
    def _compute_kind(self) -> str:
        """The catalogue kind of the run's compute environment (MANAGED FARGATE with a
        network, else UNMANAGED)."""
        fargate = self._state.options.fargate is not None
        return "fargate-compute-environment" if fargate else "compute-environment"

    def known(self) -> Known:
        """What this process knows of the resources a request may name: the kind of each
        one it made, and of the run's compute environment."""
        kinds = dict(self.memory.made_kinds)
        if self.resources.compute_environment:
            kinds[self.resources.compute_environment] = self._compute_kind
        return Known(kinds)

    def builder(self, operation: str) -> Any:
        """A request builder of `operation` in the run's scope, bound to this run."""
        from conformance.requests import RequestBuilder

        return RequestBuilder(operation, self.context(), self.scope)

    def call(self, operation: str, params: dict[str, Any]) -> Answer:
        """Send one request; raises EndpointUnusable when there is no usable answer.

        Where the scope judges once whether each operation is implemented, an operation
        the endpoint lacks skips the case instead: its probe is the one finding.
        """
        if not self.resources.job_role_arn and PLACEHOLDER_JOB_ROLE_ARN in json.dumps(
            params, default=str
        ):
            pytest.skip(NO_JOB_ROLE)
        try:
            return self.probe(operation, params)
        except OperationNotImplemented as exc:
            if not self.scope.judges_implemented:
                raise
            pytest.skip(
                f"not implemented: {exc} (judged by rule {implemented_rule(exc.operation)})"
            )

    def probe(self, operation: str, params: dict[str, Any]) -> Answer:
        """Send one request; OperationNotImplemented when the endpoint lacks the operation."""
        assert self._state.caller is not None, "the run was not started"
        return self._state.caller.call(operation, params)

    def accept(self, operation: str, params: dict[str, Any], why: str = "") -> dict[str, Any]:
        """Send a request the documentation allows: it must be accepted.

        Returns the answer as an SDK reads it. Its response-schema violations are recorded
        as observations, judged by their own rules at the end of the run.
        """
        broken = violations(operation, params, self.scope, self.known())
        if broken:  # the suite's own bug: never blame an endpoint for refusing it
            raise SuiteDefect(f"{operation} request breaks what AWS documents: {broken[0]}")
        answer = self.call(operation, params)
        self.record.add_checks(positive_data_acceptance(answer, why or operation))
        return self.read(operation, answer)

    def read(self, operation: str, answer: Answer) -> dict[str, Any]:
        """An accepted answer as an SDK reads it; its schema violations become observations."""
        self.memory.answered.add(operation)
        self.record.answered.add(operation)
        body, notes = read_answer(operation, answer.body or {}, self.scope)
        judged, not_fresh = own_listing(operation, body, self._owned())
        self.record.add_notes([*notes, *([not_fresh] if not_fresh else [])])
        found = observe(operation, judged, answer.exchange.body or "", self.scope)
        # judged by their own rules (judge_rule), not by this case
        self.memory.observations.extend(self.record.add_observations(found))
        if not found:
            self.record.add_checks([Check("response-schema", True)])
        return body

    def _owned(self) -> Owned:
        """Is a listed entry the run's own (its prefix, or this process's ledger)?"""
        provisioner = self._state.provisioner
        return owned_by(self.resources.prefix, provisioner.ledger.knows if provisioner else None)

    def answered(self, operation: str) -> bool:
        """Has this process read an accepted answer of `operation` yet?"""
        return operation in self.memory.answered

    def done(self, key: str) -> bool:
        """Has work done once per process (`mark_done`) been done already?"""
        return key in self.memory.done_once

    def mark_done(self, key: str) -> None:
        """Work done once per process is done (a failed attempt is tried again)."""
        self.memory.done_once.add(key)

    def judge_rule(self, rule: str) -> None:
        """Fail now if any answer of the run so far broke `rule` (a response rule or an
        operation's response-structure rule): one check per JSON path, naming the cases.

        The response cases run last, so in one process they have seen every answer; what
        other processes (workers) saw is folded in at the end of the run (verdicts.py).
        """
        broken = judge(rule, self.memory.observations)
        if broken:
            raise CaseFailure(broken[0].detail, broken, schema_path=None, rule=rule)

    def reject(self, operation: str, params: dict[str, Any], why: str) -> None:
        """Send a request the documentation forbids: it must be refused with 400 ClientException."""
        answer = self.call(operation, params)
        self.record.add_checks(negative_data_rejection(answer, why))

    def reject_breaking(self, rule: Rule, operation: str, params: dict[str, Any], why: str) -> None:
        """`reject` a request that breaks exactly `rule` (a generated one): a failure is
        judged by that rule, at its strength, and is that rule's finding (one fault, one
        finding: the limit's own boundary case shows the same deviation)."""
        try:
            self.reject(operation, params, why)
        except CaseFailure as exc:
            exc.rule, exc.strength = rule.id, cast(Strength, rule.strength)
            raise

    def check(self, name: str, passed: bool, detail: str = "") -> None:
        """Record a named check of a hand-written case (the case asserts it too)."""
        self.record.add_checks([Check(name, passed, detail)])

    def anchor_jobs(self, count: int) -> list[str]:
        """IDs of `count` jobs submitted by this run, for dependencies."""
        return run_resources.anchors(self, count)

    def register(self, **extra: Any) -> dict[str, Any]:
        """Register a definition with a fresh name (overridable) and base container.

        The answer always carries `jobDefinitionArn`: when the endpoint left it out (a
        structure deviation, judged by its own rule), it is looked up by `name:revision`.
        """
        params: dict[str, Any] = {
            "jobDefinitionName": self.name("jd"),
            "type": "container",
            "containerProperties": {"image": "busybox", "vcpus": 1, "memory": 128},
        }
        params.update(extra)
        body = self.accept("RegisterJobDefinition", params)
        if not body.get("jobDefinitionArn"):
            body["jobDefinitionArn"] = self._find_arn(params, body)
        return body

    def _find_arn(self, params: dict[str, Any], body: dict[str, Any]) -> str:
        reference = catalogue.JOB_DEFINITION.made(params, body)
        assert reference, f"RegisterJobDefinition answered neither an ARN nor a revision: {body}"
        found = self.accept("DescribeJobDefinitions", {"jobDefinitions": [reference]})
        arns = [d.get("jobDefinitionArn") for d in found.get("jobDefinitions", [])]
        return str(arns[0]) if len(arns) == 1 and arns[0] else reference

    def submit(self, **extra: Any) -> dict[str, Any]:
        """Submit a job to the run's queue with the base definition (overridable)."""
        params: dict[str, Any] = {
            "jobName": self.name("job"),
            "jobQueue": self.resources.job_queue,
            "jobDefinition": self.resources.job_definition,
        }
        params.update(extra)
        return self.accept("SubmitJob", params)

    def read_until(self, look: Callable[[], T], done: Callable[[T], bool]) -> T:
        """`look()` until `done` holds of its value or the read's bound runs out; the last value.

        For reads of what the case just made or changed (eventually consistent on AWS): the
        bound is --consistency-wait, shortened once this run's endpoint has shown that waiting
        never pays off (`Consistency`). The case judges what it returns.
        """
        consistency = self.memory.consistency
        waited = poll(look, done, consistency.wait_s(self.consistency_wait_s))
        consistency.learn(waited)
        return waited.value

    def settle_until(
        self,
        look: Callable[[], T],
        done: Callable[[T], bool],
        what: str,
        show: Callable[[T], Any] = repr,
    ) -> T:
        """`look()` until `done` holds of its value; a job or a resource settling, bounded by
        the run's settle bound. Running out is an error of the case (EndpointUnusable)
        naming `what` and the last value (as `show` gives it), never a pass."""
        waited = poll(look, done, self.settle_s, first_s=0.05, cap_s=2.0)
        if not waited.done:
            raise EndpointUnusable(
                f"{what}: still {show(waited.value)} after {self.settle_s:.0f} s"
            )
        return waited.value

    def describe_jobs(
        self, job_ids: list[str], expected: Iterable[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """DescribeJobs of `job_ids`, by id, once every `expected` id (default: all) shows.

        A job just submitted, and above all an array child, can be missing for a moment:
        the read is repeated (bounded by --consistency-wait) only while one is missing.
        """
        wanted = set(job_ids if expected is None else expected)

        def look() -> dict[str, dict[str, Any]]:
            body = self.accept("DescribeJobs", {"jobs": list(job_ids)})
            return {str(j.get("jobId")): j for j in body.get("jobs", []) if isinstance(j, dict)}

        return self.read_until(look, lambda jobs: wanted <= jobs.keys())

    def describe_job(self, job_id: str) -> dict[str, Any]:
        """The one job DescribeJobs returns for `job_id` (fails if absent after the wait)."""
        job = self.describe_jobs([job_id]).get(job_id)
        assert job is not None, f"DescribeJobs did not return job {job_id} (bounded wait)"
        return dict(job)

    def wait_for_status(self, job_id: str, wanted: tuple[str, ...] = SETTLED) -> dict[str, Any]:
        """Poll DescribeJobs until the job reaches one of `wanted` (bounded by the run's
        settle bound). A job still elsewhere when the wait ends is an error, never a pass."""
        return self.settle_until(
            lambda: self.describe_job(job_id),
            lambda job: job.get("status") in wanted,
            f"job {job_id} waited for {'/'.join(wanted)}",
            lambda job: job.get("status"),
        )
