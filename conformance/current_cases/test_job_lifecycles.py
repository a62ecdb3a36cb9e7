"""Lifecycles of today's API, for jobs: ListJobs (by status, by name, page by page), and
TerminateJob and CancelJob (FAILED, with the reason).

The jobs' half of `lifecycles` (its cases' ids are `lifecycles::...`, as the resources'
half's are: `CASE_MODULE`). Every wait is bounded: a wait that runs out is an error of the
case, never a pass.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance import reads
from conformance.calls import EndpointUnusable
from conformance.casekit import DOCUMENTED_STATUSES, SETTLED, Batch
from conformance.rulebook import behaviour
from conformance.scopes import CURRENT

CASE_MODULE = "lifecycles"
NOT_STARTED = ("SUBMITTED", "PENDING", "RUNNABLE")
REASON = "conformance: {what} by the lifecycle case"


def rule(rule_id: str) -> pytest.MarkDecorator:
    """The case's rule, a behaviour of the current scope."""
    return pytest.mark.batch_rule(behaviour(rule_id, CURRENT))


def _listed_jobs(batch: Batch, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in reads.pages(batch, "ListJobs", params, "jobSummaryList"):
        found += [j for j in page if isinstance(j, dict)]
    return found


def _until_listed(batch: Batch, job_ids: set[str], **params: Any) -> list[dict[str, Any]]:
    """ListJobs (every page) until every job of `job_ids` shows (bounded by --consistency-wait:
    a job just submitted may be missing from a listing for a moment)."""
    return list(
        batch.read_until(
            lambda: _listed_jobs(batch, **params),
            lambda found: job_ids <= {str(j.get("jobId")) for j in found},
        )
    )


# ---- ListJobs ---------------------------------------------------------------------------


def _other_status(status: str) -> str:
    """A status the job cannot be in now or later: one before it in the flow."""
    flow = DOCUMENTED_STATUSES[:5]  # SUBMITTED ... RUNNING; SUCCEEDED/FAILED come after
    if status in flow and flow.index(status) > 0:
        return flow[0]
    if status in SETTLED:
        return "RUNNABLE"
    return "SUCCEEDED"  # a SUBMITTED job: no endpoint runs it to the end within the call


@rule("ListJobs.behaviour.status-filter")
def test_list_jobs_by_status(batch: Batch) -> None:
    """A job is listed under its status, and not under another status."""
    job_id = str(batch.submit()["jobId"])
    queue = batch.resources.job_queue
    listed = False
    status = ""
    for _ in range(5):  # the job may move on between DescribeJobs and ListJobs
        status = str(batch.describe_job(job_id).get("status"))
        found = _until_listed(batch, {job_id}, jobQueue=queue, jobStatus=status)
        wrong = [j for j in found if j.get("status") not in (None, status)]
        batch.check(
            "only-that-status",
            not wrong,
            f"jobStatus {status} listed {[(j.get('jobId'), j.get('status')) for j in wrong[:3]]}",
        )
        assert not wrong, f"ListJobs with jobStatus {status} listed jobs in other statuses"
        listed = job_id in {str(j.get("jobId")) for j in found}
        if listed or batch.describe_job(job_id).get("status") == status:
            break
    batch.check("listed-under-status", listed, f"job {job_id} under jobStatus {status}")
    assert listed, f"ListJobs with jobStatus {status} does not list job {job_id} (in {status})"
    other = _other_status(status)
    found = _listed_jobs(batch, jobQueue=queue, jobStatus=other)
    leaked = job_id in {str(j.get("jobId")) for j in found}
    batch.check("not-under-other-status", not leaked, f"job {job_id} ({status}) under {other}")
    assert not leaked, f"ListJobs with jobStatus {other} lists job {job_id}, which is {status}"


@rule("ListJobs.behaviour.name-filter")
def test_list_jobs_by_name(batch: Batch) -> None:
    """The JOB_NAME filter lists the job of that name, and only jobs of that name."""
    name = batch.name("named")
    job_id = str(batch.submit(jobName=name)["jobId"])
    found = _until_listed(
        batch,
        {job_id},
        jobQueue=batch.resources.job_queue,
        filters=[{"name": "JOB_NAME", "values": [name]}],
    )
    ids = {str(j.get("jobId")) for j in found}
    batch.check("listed", job_id in ids, f"JOB_NAME {name} listed {sorted(ids)[:5]}")
    assert job_id in ids, f"ListJobs with JOB_NAME {name} does not list job {job_id}"
    others = [j.get("jobName") for j in found if str(j.get("jobName", "")).lower() != name.lower()]
    batch.check("only-that-name", not others, f"other names listed: {others[:5]}")
    assert not others, f"ListJobs with JOB_NAME {name} listed other names: {others[:5]}"


@rule("ListJobs.behaviour.name-filter-forms")
@pytest.mark.parametrize("form", ["other-case", "trailing-star"])
def test_list_jobs_by_name_in_its_documented_forms(batch: Batch, form: str) -> None:
    """JOB_NAME matches case-insensitively, and a trailing `*` any name it begins."""
    name = batch.name("Named")
    job_id = str(batch.submit(jobName=name)["jobId"])
    value = name.swapcase() if form == "other-case" else f"{name[:-1]}*"
    found = _until_listed(
        batch,
        {job_id},
        jobQueue=batch.resources.job_queue,
        filters=[{"name": "JOB_NAME", "values": [value]}],
    )
    ids = {str(j.get("jobId")) for j in found}
    batch.check("listed", job_id in ids, f"JOB_NAME {value} listed {sorted(ids)[:5]}")
    assert job_id in ids, f"ListJobs with JOB_NAME {value} does not list job {job_id} ({name})"
    stem = value.rstrip("*").lower()
    others = [
        j.get("jobName")
        for j in found
        if not str(j.get("jobName", "")).lower().startswith(stem)
        or (form == "other-case" and str(j.get("jobName", "")).lower() != stem)
    ]
    batch.check("only-matching", not others, f"names that do not match {value}: {others[:5]}")
    assert not others, f"ListJobs with JOB_NAME {value} listed {others[:5]}"


@rule("ListJobs.behaviour.pagination")
def test_list_jobs_pagination(batch: Batch) -> None:
    """maxResults 1 gives one job a page and, through nextToken, every job exactly once."""
    prefix = batch.name("page")
    wanted = {str(batch.submit(jobName=f"{prefix}-{i}")["jobId"]) for i in range(3)}
    params: dict[str, Any] = {
        "jobQueue": batch.resources.job_queue,
        "filters": [{"name": "JOB_NAME", "values": [f"{prefix}-*"]}],
    }
    shown = _until_listed(batch, wanted, **params)
    missing = wanted - {str(j.get("jobId")) for j in shown}
    if missing:  # the filter itself is another rule's: this case is about pages
        raise EndpointUnusable(f"ListJobs never listed jobs {sorted(missing)} by JOB_NAME")
    seen: list[str] = []
    for number, page in enumerate(
        reads.pages(batch, "ListJobs", {**params, "maxResults": 1}, "jobSummaryList")
    ):
        small = len(page) <= 1
        batch.check("page-size", small, f"page {number + 1} holds {len(page)} jobs, maxResults 1")
        assert small, f"page {number + 1} holds {len(page)} jobs with maxResults 1"
        seen += [str(j.get("jobId")) for j in page if isinstance(j, dict)]
    twice = sorted({j for j in seen if seen.count(j) > 1})
    batch.check("each-once", not twice, f"listed more than once: {twice}")
    assert not twice, f"pages list jobs more than once: {twice}"
    lost = sorted(wanted - set(seen))
    batch.check("every-job", not lost, f"never listed: {lost}")
    assert not lost, f"pages never list jobs {lost}"


# ---- TerminateJob and CancelJob ---------------------------------------------------------


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param("TerminateJob", marks=rule("TerminateJob.behaviour.fails-job")),
        pytest.param("CancelJob", marks=rule("CancelJob.behaviour.fails-job")),
    ],
)
def test_stop_job_fails_it_with_reason(batch: Batch, operation: str) -> None:
    """A job not yet started, terminated or cancelled, ends FAILED with the reason given.

    A job not settled when the bounded wait runs out is an error, not a failure: evidence
    conflicts on when AWS fails a cancelled RUNNABLE job (the rule's note).
    """
    job_id = str(batch.submit()["jobId"])
    before = batch.describe_job(job_id).get("status")
    if before not in NOT_STARTED:
        pytest.skip(
            f"the job was already {before} before {operation}: this endpoint runs jobs at once,"
            " so what stopping a job not yet started does cannot be seen"
        )
    reason = REASON.format(what="terminated" if operation == "TerminateJob" else "cancelled")
    batch.accept(operation, {"jobId": job_id, "reason": reason}, f"{operation} of a {before} job")
    job = batch.wait_for_status(job_id, SETTLED)
    status = job.get("status")
    batch.check("status-FAILED", status == "FAILED", f"{before} job ended {status!r}")
    assert status == "FAILED", f"after {operation} the {before} job ended {status!r}, not FAILED"
    got = job.get("statusReason")
    batch.check("statusReason", got == reason, f"statusReason {got!r}, sent {reason!r}")
    assert got == reason, f"statusReason {got!r}, expected the reason sent: {reason!r}"
