"""The job lifecycle, where the endpoint runs jobs as their command says (decided once per
run, `conformance.lifecycle`): timeouts, retries, dependencies, termination.

What each case of both scopes' `test_execution` modules checks, once. No timeout can be
shorter than 60 s, so the jobs of the timeout cases are submitted together, the first time
any of them runs in a process (`timeout_jobs`): they wait about a minute together, not a
minute each. Every wait is bounded (`waiting.poll`): the run's settle bound for a job to
start, plus the job's own time. A job that runs on long past its timeout is the timeout
rule's failure, not an error; a job that never starts is an error naming what it waited for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from conformance.calls import EndpointUnusable
from conformance.casekit import SETTLED, Batch
from conformance.waiting import poll

TIMEOUT_S = 60  # the shortest timeout AWS takes
GRACE_S = 90  # SIGTERM, SIGKILL 30 s later, and AWS's "best effort": a few seconds more
SLEEPS = ["sleep", "600"]  # outlives every timeout here
EXIT_CODE = 3
ATTEMPTS = 3
DEPENDENCY_S = 15  # how long a job depended on runs: long enough to watch the other wait
NOT_STARTED = ("SUBMITTED", "PENDING")
STOPPED_REASON = "conformance: terminated while RUNNING by the lifecycle case"
Job = dict[str, Any]


def command(*parts: str) -> dict[str, Any]:
    """containerOverrides that run `parts` through the shell (`exit 3`, `sleep 15`)."""
    return {"command": ["sh", "-c", "; ".join(parts)]}


def _definition_with_timeout(batch: Batch, seconds: int) -> str:
    """A definition that runs where the run's jobs run, with a timeout of its own."""
    resources = batch.resources
    timeout = {"attemptDurationSeconds": seconds}
    if resources.runnable_definition == resources.job_definition:
        return str(batch.register(timeout=timeout)["jobDefinitionArn"])
    found = batch.accept(
        "DescribeJobDefinitions", {"jobDefinitions": [resources.runnable_definition]}
    ).get("jobDefinitions") or [{}]
    kept = ("type", "containerProperties", "platformCapabilities")
    copied = {key: found[0][key] for key in kept if key in found[0]}
    return str(batch.register(**copied, timeout=timeout)["jobDefinitionArn"])


def submit(batch: Batch, overrides: dict[str, Any], **extra: Any) -> str:
    """A job of the run's runnable definition, running `overrides`' command; its id."""
    params = {"jobDefinition": batch.resources.runnable_definition, **extra}
    body = batch.submit(jobName=batch.name("life"), containerOverrides=overrides, **params)
    return str(body["jobId"])


def timeout_jobs(batch: Batch) -> dict[str, str]:
    """The timeout cases' jobs by role, submitted together once per process: each sleeps
    past a 60 s timeout (given to SubmitJob; with 3 attempts; over a definition's 3600 s;
    an array of 2)."""
    kept = batch.memory.jobs_run
    if not kept:
        timeout = {"attemptDurationSeconds": TIMEOUT_S}
        sleeps = {"command": SLEEPS}
        kept["timeout"] = submit(batch, sleeps, timeout=timeout)
        kept["not-retried"] = submit(
            batch, sleeps, timeout=timeout, retryStrategy={"attempts": ATTEMPTS}
        )
        long_definition = _definition_with_timeout(batch, 3600)
        kept["override"] = submit(batch, sleeps, jobDefinition=long_definition, timeout=timeout)
        kept["array"] = submit(batch, sleeps, timeout=timeout, arrayProperties={"size": 2})
    return dict(kept)


# ---- watching jobs ------------------------------------------------------------------


@dataclass
class Watch:
    """What DescribeJobs showed of some jobs, look after look: when each was first seen
    RUNNING (local clock, kept by the process: another case may have seen it first), and
    the statuses of every look."""

    ids: list[str]
    running_since: dict[str, float]
    looks: list[dict[str, str]] = field(default_factory=list)
    last: dict[str, Job] = field(default_factory=dict)

    def ran_for(self, job_id: str) -> float:
        """Seconds the job has been RUNNING: since its `startedAt` (the endpoint's clock), or
        since it was first seen RUNNING (0 if it never was)."""
        since = self.running_since.get(job_id)
        if since is None:
            return 0.0
        seen = time.monotonic() - since
        started = self.job(job_id).get("startedAt")
        if self.job(job_id).get("status") == "RUNNING" and isinstance(started, int):
            return max(seen, time.time() - started / 1000)
        return seen

    def job(self, job_id: str) -> Job:
        """The job as last seen."""
        return self.last.get(job_id, {})


def watch(
    batch: Batch, ids: list[str], run_s: float, stop: Callable[[Watch], bool] | None = None
) -> Watch:
    """DescribeJobs of `ids` until every one settles, one has run `run_s` (past what it
    should), or `stop` says the verdict is known; bounded by the run's settle bound (to
    start) plus `run_s`. Jobs that never even started are an error of the case."""
    seen = Watch(list(ids), batch.memory.running_since)

    def look() -> Watch:
        jobs = batch.describe_jobs(seen.ids)
        seen.last = jobs
        now = time.monotonic()
        for job_id, job in jobs.items():
            if job.get("status") == "RUNNING":
                seen.running_since.setdefault(job_id, now)
        seen.looks.append({job_id: str(job.get("status")) for job_id, job in jobs.items()})
        return seen

    def done(current: Watch) -> bool:
        settled = all(current.job(i).get("status") in SETTLED for i in current.ids)
        overran = any(current.ran_for(i) > run_s for i in current.ids)
        return settled or overran or bool(stop and stop(current))

    waited = poll(look, done, batch.settle_s + run_s, first_s=0.5, cap_s=2.0)
    if not waited.done and not any(i in seen.running_since for i in ids):
        statuses = {i: seen.job(i).get("status") for i in ids}
        bound = batch.settle_s + run_s
        raise EndpointUnusable(f"jobs never started: {statuses} after {bound:.0f} s")
    return seen


def _check(batch: Batch, name: str, passed: bool, detail: str) -> None:
    batch.check(name, passed, detail)
    assert passed, detail


def _reasons(job: Job) -> str:
    """The job's statusReason and its attempts' (what says why it stopped)."""
    attempts = [a.get("statusReason") for a in job.get("attempts") or [] if isinstance(a, dict)]
    return " | ".join(str(r) for r in [job.get("statusReason"), *attempts] if r)


# ---- timeouts -----------------------------------------------------------------------


def _retried(job_id: str) -> Callable[[Watch], bool]:
    """Has the timed-out job gone back for another attempt (an attempt is over, and the job
    is not)?"""

    def check(seen: Watch) -> bool:
        job = seen.job(job_id)
        return bool(job.get("attempts")) and job.get("status") not in SETTLED

    return check


def judge_timed_out(batch: Batch, seen: Watch, job_id: str, what: str) -> None:
    """The job ran past its timeout of 60 s: it is FAILED, says the attempt duration was
    exceeded, and stopped about 60 s after it started (not earlier, not much later)."""
    job = seen.job(job_id)
    status = job.get("status")
    ran = seen.ran_for(job_id)
    _check(
        batch,
        "terminated-at-timeout",
        status in SETTLED,
        f"{what} {job_id} still {status} {ran:.0f} s after it was seen RUNNING; its timeout"
        f" is {TIMEOUT_S} s (AWS stops it within {GRACE_S} s of that)",
    )
    _check(batch, "status-FAILED", status == "FAILED", f"{what} {job_id} ended {status}")
    reasons = _reasons(job)
    says = "timeout" in reasons.lower() or "duration" in reasons.lower()
    _check(batch, "reason-timeout", says, f"{what} {job_id} statusReason: {reasons!r}")
    started, stopped = job.get("startedAt"), job.get("stoppedAt")
    ran_ms = stopped - started if isinstance(started, int) and isinstance(stopped, int) else None
    close = ran_ms is not None and (TIMEOUT_S - 1) * 1000 <= ran_ms <= (TIMEOUT_S + GRACE_S) * 1000
    _check(
        batch,
        "stopped-at-timeout",
        close,
        f"{what} {job_id}: stoppedAt - startedAt = {ran_ms} ms, timeout {TIMEOUT_S} s",
    )


def timeout_enforced(batch: Batch, role: str, what: str) -> Watch:
    """Watch the timeout job of `role` and judge it timed out."""
    job_id = timeout_jobs(batch)[role]
    seen = watch(batch, [job_id], TIMEOUT_S + GRACE_S, _retried(job_id))
    judge_timed_out(batch, seen, job_id, what)
    return seen


def timeout_not_retried(batch: Batch) -> None:
    """A job with 3 attempts that runs past its timeout fails once: one attempt, no retry."""
    job_id = timeout_jobs(batch)["not-retried"]
    seen = watch(batch, [job_id], TIMEOUT_S + GRACE_S, _retried(job_id))
    attempts = seen.job(job_id).get("attempts") or []
    retried = _retried(job_id)(seen) or len(attempts) > 1
    if not retried and seen.job(job_id).get("status") not in SETTLED:
        pytest.skip(
            f"job {job_id} was not terminated at its timeout, so whether a timed-out job is"
            " retried cannot be seen (judged by rule SubmitJob.behaviour.timeout-enforced)"
        )
    _check(
        batch,
        "not-retried",
        not retried,
        f"job {job_id} (3 attempts) timed out and was retried: {len(attempts)} attempts,"
        f" status {seen.job(job_id).get('status')}",
    )
    judge_timed_out(batch, seen, job_id, "job")


def array_children_time_out(batch: Batch) -> None:
    """Each child of an array job submitted with a 60 s timeout times out on its own."""
    parent = timeout_jobs(batch)["array"]
    children = [f"{parent}:{index}" for index in range(2)]
    seen = watch(batch, children, TIMEOUT_S + GRACE_S)
    for child in children:
        judge_timed_out(batch, seen, child, "array child")


# ---- retries ------------------------------------------------------------------------


def retries(batch: Batch) -> None:
    """A job whose command exits 3, with 3 attempts, runs 3 times: FAILED, 3 attempts each
    with exit code 3, and the job's exit code 3; one that exits 0 runs once."""
    failing = submit(batch, command(f"exit {EXIT_CODE}"), retryStrategy={"attempts": ATTEMPTS})
    passing = submit(batch, command("exit 0"), retryStrategy={"attempts": ATTEMPTS})
    seen = watch(batch, [failing, passing], TIMEOUT_S)
    job = seen.job(failing)
    status = job.get("status")
    _check(batch, "status-FAILED", status == "FAILED", f"job {failing} exits {EXIT_CODE}: {status}")
    attempts = [a for a in job.get("attempts") or [] if isinstance(a, dict)]
    _check(
        batch,
        "every-attempt",
        len(attempts) == ATTEMPTS,
        f"job {failing} exits {EXIT_CODE} with {ATTEMPTS} attempts: {len(attempts)} attempts",
    )
    codes = [(a.get("container") or {}).get("exitCode") for a in attempts]
    same = codes == [EXIT_CODE] * ATTEMPTS
    _check(batch, "attempt-exit-codes", same, f"job {failing}: attempts' exit codes {codes}")
    code = (job.get("container") or {}).get("exitCode")
    _check(batch, "exit-code", code == EXIT_CODE, f"job {failing} container.exitCode {code!r}")
    ok = seen.job(passing)
    once = ok.get("status") == "SUCCEEDED" and len(ok.get("attempts") or []) == 1
    _check(
        batch,
        "success-not-retried",
        once,
        f"job {passing} exits 0: {ok.get('status')}, {len(ok.get('attempts') or [])} attempts",
    )


# ---- dependencies -------------------------------------------------------------------


def dependency_waited_for(batch: Batch) -> None:
    """A job that depends on one running 15 s stays SUBMITTED or PENDING while that one has
    not SUCCEEDED, then runs after it (startedAt after its stoppedAt) and succeeds."""
    first = submit(batch, command(f"sleep {DEPENDENCY_S}"))
    then = submit(batch, command("exit 0"), dependsOn=[{"jobId": first}])
    seen = watch(batch, [first, then], DEPENDENCY_S + TIMEOUT_S)
    early = [
        look
        for look in seen.looks
        if look.get(first) not in (None, "SUCCEEDED") and look.get(then) not in (None, *NOT_STARTED)
    ]
    _check(
        batch,
        "waits-pending",
        not early,
        f"job {then} was {early[0].get(then) if early else ''} while the job it depends on was"
        f" {early[0].get(first) if early else ''}",
    )
    job, dependency = seen.job(then), seen.job(first)
    statuses = (dependency.get("status"), job.get("status"))
    _check(batch, "both-succeed", statuses == ("SUCCEEDED", "SUCCEEDED"), f"statuses {statuses}")
    after = (job.get("startedAt") or 0) >= (dependency.get("stoppedAt") or 0) > 0
    _check(
        batch,
        "starts-after",
        after,
        f"startedAt {job.get('startedAt')} of {then}, stoppedAt {dependency.get('stoppedAt')}"
        f" of {first}",
    )


def dependency_failed(batch: Batch) -> None:
    """A job that depends on one that fails (exit 1) fails too, without ever starting."""
    failing = submit(batch, command("exit 1"))
    orphan = submit(batch, command("exit 0"), dependsOn=[{"jobId": failing}])
    seen = watch(batch, [failing, orphan], TIMEOUT_S)
    job = seen.job(orphan)
    status = job.get("status")
    _check(batch, "status-FAILED", status == "FAILED", f"job {orphan}: {status}")
    never = job.get("startedAt") is None and orphan not in seen.running_since
    _check(batch, "never-started", never, f"job {orphan} started at {job.get('startedAt')}")


# ---- termination --------------------------------------------------------------------


def terminate_running(batch: Batch) -> None:
    """TerminateJob of a RUNNING job: FAILED, with the reason given."""
    job_id = submit(batch, {"command": SLEEPS})
    running = watch(batch, [job_id], 1.0, lambda seen: job_id in seen.running_since)
    if job_id not in running.running_since:
        raise EndpointUnusable(f"job {job_id} never ran: {running.job(job_id).get('status')}")
    request = {"jobId": job_id, "reason": STOPPED_REASON}
    batch.accept("TerminateJob", request, "TerminateJob of a RUNNING job")
    job = batch.wait_for_status(job_id, SETTLED)
    status = job.get("status")
    _check(batch, "status-FAILED", status == "FAILED", f"job {job_id}: {status}")
    reason = job.get("statusReason")
    _check(batch, "statusReason", reason == STOPPED_REASON, f"statusReason {reason!r}")
