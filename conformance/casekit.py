"""What a case holds: `Batch`, the endpoint as the cases see it.

Every call goes through the run's recorder, every accepted answer is checked against its
response schema, and every graded check is kept for the report.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from conformance.calls import Answer, EndpointUnusable
from conformance.grading import (
    CaseFailure,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
)
from conformance.provision import Resources
from conformance.requests import Context
from conformance.results import Check
from conformance.session import RunState

SETTLED = ("SUCCEEDED", "FAILED")
DOCUMENTED_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", *SETTLED)


class Batch:
    """The endpoint under test, with the run's resources and per-case evidence."""

    _names = itertools.count(1)

    def __init__(self, state: RunState) -> None:
        self._state = state
        self.checks: list[Check] = []
        self.deferred: CaseFailure | None = None

    @property
    def resources(self) -> Resources:
        """Queue and base job definition provisioned for this run."""
        assert self._state.resources is not None, "the run was not provisioned"
        return self._state.resources

    @property
    def seed(self) -> int:
        """The run's --seed."""
        return self._state.options.seed

    @property
    def examples(self) -> int:
        """How many generated examples per generated case."""
        return self._state.options.examples

    def name(self, kind: str) -> str:
        """A name unique to this run: `<prefix>-<kind>-<n>` (valid job and definition name)."""
        return f"{self._state.prefix}-{kind}-{next(self._names)}"

    def context(self) -> Context:
        """What generated requests may reference on this endpoint."""
        return Context(
            name=self.name,
            job_queue=self.resources.job_queue,
            job_definition=self.resources.job_definition,
            prefix=self.resources.prefix,
            jobs=self.anchor_jobs,
        )

    def call(self, operation: str, params: dict[str, Any]) -> Answer:
        """Send one request; raises EndpointUnusable when there is no usable answer."""
        assert self._state.caller is not None, "the run was not started"
        return self._state.caller.call(operation, params)

    def accept(self, operation: str, params: dict[str, Any], why: str = "") -> dict[str, Any]:
        """Send a request the seed allows: it must be accepted and its answer validate.

        A schema violation is recorded and fails the case at its end, so that the case's own
        checks still run and report what they find.
        """
        answer = self.call(operation, params)
        self.checks.extend(positive_data_acceptance(answer, why or operation))
        try:
            self.checks.append(response_schema_conformance(answer))
        except CaseFailure as failure:
            self.checks.extend(failure.checks)
            self.deferred = self.deferred or failure
        return answer.body or {}

    def raise_deferred(self) -> None:
        """Fail the case now if an answer broke its response schema earlier."""
        if self.deferred is not None:
            failure, self.deferred = self.deferred, None
            failure.args = (f"own checks passed, but {failure.args[0]}",)
            raise failure

    def reject(self, operation: str, params: dict[str, Any], why: str) -> None:
        """Send a request the seed forbids: it must be refused with 400 ClientException."""
        answer = self.call(operation, params)
        self.checks.extend(negative_data_rejection(answer, why))

    def check(self, name: str, passed: bool, detail: str = "") -> None:
        """Record a named check of a hand-written case (the case asserts it too)."""
        self.checks.append(Check(name, passed, detail))

    def anchor_jobs(self, count: int) -> list[str]:
        """IDs of `count` jobs submitted by this run, for dependencies."""
        return self._state.anchor_jobs(count)

    def register(self, **extra: Any) -> dict[str, Any]:
        """Register a definition with a fresh name (overridable) and base container."""
        params: dict[str, Any] = {
            "jobDefinitionName": self.name("jd"),
            "type": "container",
            "containerProperties": {"image": "busybox", "vcpus": 1, "memory": 128},
        }
        params.update(extra)
        return self.accept("RegisterJobDefinition", params)

    def submit(self, **extra: Any) -> dict[str, Any]:
        """Submit a job to the run's queue with the base definition (overridable)."""
        params: dict[str, Any] = {
            "jobName": self.name("job"),
            "jobQueue": self.resources.job_queue,
            "jobDefinition": self.resources.job_definition,
        }
        params.update(extra)
        return self.accept("SubmitJob", params)

    def describe_job(self, job_id: str) -> dict[str, Any]:
        """The one job DescribeJobs returns for `job_id` (fails if absent)."""
        body = self.accept("DescribeJobs", {"jobs": [job_id]})
        jobs = [j for j in body.get("jobs", []) if j.get("jobId") == job_id]
        assert jobs, f"DescribeJobs did not return job {job_id}"
        return dict(jobs[0])

    def wait_for_status(
        self, job_id: str, wanted: tuple[str, ...] = SETTLED, timeout_s: float = 30.0
    ) -> dict[str, Any]:
        """Poll DescribeJobs until the job reaches one of `wanted`.

        A job still elsewhere when the bounded wait ends is an error, never a pass.
        """
        deadline = time.monotonic() + timeout_s
        delay = 0.05
        while True:
            job = self.describe_job(job_id)
            if job.get("status") in wanted:
                return job
            if time.monotonic() >= deadline:
                raise EndpointUnusable(
                    f"job {job_id} still {job.get('status')} after {timeout_s:.0f} s"
                    f" (waited for {'/'.join(wanted)})"
                )
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
