"""Does the endpoint model job execution? Decided once per run, right after provisioning.

On AWS a job runs for as long as its command does: a job whose command sleeps is not
SUCCEEDED at once, it passes RUNNING with a `startedAt` before it stops. Many emulators
complete every job at submission (moto, ministack): timeouts, retries, dependencies and the
termination of a running job cannot be seen there. The run submits one such job (its
command sleeps), looks at it until it runs or settles, and stops it. The verdict is said
once: on the console, in every report, as a row of the compatibility matrix, and as the
reason every case that needs a modelled lifecycle is skipped with ("not testable on this
endpoint"), never a pass and never "0 findings".
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, dataclass
from typing import Any

from conformance.catalogue import JOB
from conformance.provision import NO_INSTANCES, Resources
from conformance.sdk_errors import SDK_ERRORS, describe_error
from conformance.waiting import poll

PROBE_SLEEP_S = 120  # the probe's command: long enough to be seen RUNNING on AWS
NOT_TESTABLE = "not testable on this endpoint"
MODELLED = "modelled"
NOT_MODELLED = "not modelled"
NO_JOBS_RUN = "not testable"  # the run's queue runs no job at all (AWS's own UNMANAGED one)
AT_SUBMISSION = "jobs complete at submission"
PROBE_STOPPED = "conformance: the job lifecycle probe is done"


@dataclass(frozen=True)
class Lifecycle:
    """Whether jobs run as their command says (`verdict`: modelled, not modelled, or not
    testable where the run's queue runs no job), and what showed it (one line)."""

    verdict: str
    reason: str

    @property
    def modelled(self) -> bool:
        """Do jobs run here as on AWS (the lifecycle cases can run)?"""
        return self.verdict == MODELLED

    @property
    def text(self) -> str:
        """`not modelled (jobs complete at submission)`: what every report says."""
        return f"{self.verdict} ({self.reason})"

    @property
    def line(self) -> str:
        """`job lifecycle: not modelled (jobs complete at submission)` (the console's)."""
        return f"job lifecycle: {self.text}"

    @property
    def skip_reason(self) -> str:
        """Why a case that needs a modelled lifecycle does not run here."""
        return f"{NOT_TESTABLE}: {self.line}"

    def to_dict(self) -> dict[str, Any]:
        """For the workers (plain JSON)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lifecycle:
        """What `to_dict` gave."""
        return cls(str(data["verdict"]), str(data["reason"]))


def decide(client: Any, resources: Resources, settle_s: float, prefix: str) -> Lifecycle:
    """Submit a job whose command sleeps to the run's queue and watch it (bounded by the
    run's settle bound): RUNNING with a `startedAt` is a modelled lifecycle; settled at the
    first look, or never started, is not. The probe job is terminated when it is seen
    running (and swept by the cleanup, as everything named with the run's prefix)."""
    if not resources.runs_jobs:
        return Lifecycle(NO_JOBS_RUN, NO_INSTANCES)
    try:
        job_id = str(
            client.submit_job(
                jobName=f"{prefix}-lifecycle-probe",
                jobQueue=resources.job_queue,
                jobDefinition=resources.runnable_definition,
                containerOverrides={"command": ["sleep", str(PROBE_SLEEP_S)]},
            )["jobId"]
        )
    except SDK_ERRORS as exc:
        return Lifecycle(NOT_MODELLED, f"the probe job was refused: {describe_error(exc)}")
    seen: list[dict[str, Any]] = []
    started = time.monotonic()

    def look() -> dict[str, Any] | None:
        try:
            found = client.describe_jobs(jobs=[job_id]).get("jobs") or []
        except SDK_ERRORS:
            return None
        job = next((j for j in found if j.get("jobId") == job_id), None)
        if job is not None:
            seen.append(job)
        return job

    def done(job: dict[str, Any] | None) -> bool:
        if job is None:
            return False
        return job.get("status") in JOB.settled or _running(job)

    waited = poll(look, done, settle_s, cap_s=2.0)
    verdict = _verdict(seen, waited.value, time.monotonic() - started)
    if waited.value is not None and waited.value.get("status") not in JOB.settled:
        _stop(client, job_id)
    return verdict


def _running(job: dict[str, Any]) -> bool:
    return job.get("status") == "RUNNING" and job.get("startedAt") is not None


def _verdict(seen: list[dict[str, Any]], last: dict[str, Any] | None, took_s: float) -> Lifecycle:
    if not seen:
        return Lifecycle(NOT_MODELLED, "the probe job never showed in DescribeJobs")
    first = seen[0].get("status")
    if first in JOB.settled:
        return Lifecycle(NOT_MODELLED, AT_SUBMISSION)
    if any(_running(job) for job in seen):
        return Lifecycle(
            MODELLED, f"a job whose command sleeps {PROBE_SLEEP_S} s ran: RUNNING, with a startedAt"
        )
    status = (last or seen[-1]).get("status")
    if status in JOB.settled:
        return Lifecycle(
            NOT_MODELLED,
            f"a job whose command sleeps {PROBE_SLEEP_S} s ended {status} after {took_s:.0f} s"
            " without being seen RUNNING",
        )
    return Lifecycle(
        NOT_MODELLED, f"jobs never start: the probe job was still {status} after {took_s:.0f} s"
    )


def _stop(client: Any, job_id: str) -> None:
    """The probe has shown what it had to: stop it (an endpoint that refuses leaves it to the
    cleanup's sweep)."""
    with contextlib.suppress(*SDK_ERRORS):
        client.terminate_job(jobId=job_id, reason=PROBE_STOPPED)
