"""Lifecycles of today's API: what a resource goes through, told by the API Reference.

Compute environments and job queues (CREATING → VALID, disabled, then deleted, and never
deleted while ENABLED), a deregistered definition (INACTIVE, refused by SubmitJob), ListJobs
(by status, by name, page by page), TerminateJob and CancelJob (FAILED, with the reason),
scheduling policies (create, describe, list, update, delete) and tags on every taggable
resource. Every wait is bounded: AWS is eventually consistent, and a wait that runs out is
an error of the case (`EndpointUnusable`), never a pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conformance.calls import EndpointUnusable
from conformance.casekit import DOCUMENTED_STATUSES, SETTLED, Batch
from conformance.requests import RequestBuilder
from conformance.rulebook import behaviour

MAX_PAGES = 50  # pages followed before a listing counts as endless
POLL_S = 0.2
MAX_POLL_S = 2.0
GONE = ("DELETING", "DELETED")  # a deleted resource may still be listed so, for a while
NOT_STARTED = ("SUBMITTED", "PENDING", "RUNNABLE")
REASON = "conformance: {what} by the lifecycle case"


def rule(rule_id: str) -> pytest.MarkDecorator:
    """The case's rule, a behaviour of the current scope."""
    return pytest.mark.batch_rule(behaviour(rule_id, "current"))


# ---- helpers ---------------------------------------------------------------------------


def _wait_s(batch: Batch) -> float:
    """How long a resource may take to settle: the run's bound for a job (30 s on an
    emulator, 10 minutes on AWS)."""
    return batch.resources.job_settle_s


def _poll(batch: Batch, look: Callable[[], Any], done: Callable[[Any], bool], what: str) -> Any:
    """`look()` until `done` holds of its value; EndpointUnusable when the wait runs out."""
    deadline = time.monotonic() + _wait_s(batch)
    delay = POLL_S
    while True:
        seen = look()
        if done(seen):
            return seen
        if time.monotonic() >= deadline:
            raise EndpointUnusable(f"{what}: still {seen!r} after {_wait_s(batch):.0f} s")
        time.sleep(delay)
        delay = min(delay * 2, MAX_POLL_S)


def _build(batch: Batch, operation: str, **extra: Any) -> dict[str, Any]:
    """The operation's smallest valid request on this run, with `extra` on top."""
    request = RequestBuilder(operation, batch.context(), "current").build()
    request.update(extra)
    return request


def _compute_environments(batch: Batch, arn: str) -> list[dict[str, Any]]:
    body = batch.accept("DescribeComputeEnvironments", {"computeEnvironments": [arn]})
    return [e for e in body.get("computeEnvironments", []) if isinstance(e, dict)]


def _job_queues(batch: Batch, arn: str) -> list[dict[str, Any]]:
    body = batch.accept("DescribeJobQueues", {"jobQueues": [arn]})
    return [q for q in body.get("jobQueues", []) if isinstance(q, dict)]


def _status(found: list[dict[str, Any]]) -> tuple[str | None, str | None, str]:
    """(status, state, statusReason) of the one resource described, or Nones if unlisted."""
    if not found:
        return None, None, ""
    first = found[0]
    return first.get("status"), first.get("state"), str(first.get("statusReason") or "")


def _listed(
    batch: Batch, describe: Callable[[Batch, str], list[dict[str, Any]]], arn: str
) -> list[dict[str, Any]]:
    """The resource just made, described by its ARN until it is listed (a bounded read: a
    resource just made may be missing for a moment); empty if it never is."""
    return batch.read_until(lambda: describe(batch, arn), bool)


def _wait_valid(
    batch: Batch, describe: Callable[[Batch, str], list[dict[str, Any]]], arn: str, state: str
) -> dict[str, Any]:
    """Wait until the resource is VALID in `state`; INVALID is an error naming its reason,
    and so is a resource its describe operation never lists by its ARN."""
    if not _listed(batch, describe, arn):
        raise EndpointUnusable(f"{arn} is not listed when described by its ARN")

    def look() -> tuple[str | None, str | None, str]:
        return _status(describe(batch, arn))

    def done(seen: tuple[str | None, str | None, str]) -> bool:
        if seen[0] == "INVALID":
            raise EndpointUnusable(f"{arn} is INVALID: {seen[2] or '(no statusReason)'}")
        return seen[0] == "VALID" and seen[1] == state

    _poll(batch, look, done, f"{arn} waited for VALID and {state}")
    return describe(batch, arn)[0]


def _begun(
    batch: Batch, describe: Callable[[Batch, str], list[dict[str, Any]]], arn: str, what: str
) -> None:
    """The check of a resource just made: listed by its ARN, CREATING or VALID."""
    found = _listed(batch, describe, arn)
    batch.check("listed", bool(found), f"{arn} listed when described by its ARN: {bool(found)}")
    assert found, f"the new {what} {arn} is not listed when described by its ARN"
    first = _status(found)[0]
    begun = first in ("CREATING", "VALID")
    batch.check("created-status", begun, f"status {first!r} right after creation")
    assert begun, f"a new {what} is {first!r}, expected CREATING or VALID"


def _wait_gone(
    batch: Batch, describe: Callable[[Batch, str], list[dict[str, Any]]], arn: str
) -> None:
    """Wait until the resource is no longer listed, or listed DELETING/DELETED."""
    _poll(
        batch,
        lambda: _status(describe(batch, arn))[0],
        lambda status: status is None or status in GONE,
        f"{arn} waited to be deleted",
    )


def _new_compute_environment(batch: Batch, **extra: Any) -> str:
    """A new UNMANAGED compute environment, ENABLED; its ARN."""
    request = _build(batch, "CreateComputeEnvironment", type="UNMANAGED", state="ENABLED", **extra)
    request.pop("computeResources", None)
    body = batch.accept("CreateComputeEnvironment", request, "an UNMANAGED environment, ENABLED")
    arn = body.get("computeEnvironmentArn") or request["computeEnvironmentName"]
    return str(arn)


def _new_job_queue(
    batch: Batch, compute_environment: str, **extra: Any
) -> tuple[str, dict[str, Any]]:
    """A new ENABLED job queue on `compute_environment`; its ARN and the request sent."""
    request = _build(
        batch,
        "CreateJobQueue",
        state="ENABLED",
        priority=7,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": compute_environment}],
        **extra,
    )
    body = batch.accept("CreateJobQueue", request, "a job queue, ENABLED")
    return str(body.get("jobQueueArn") or request["jobQueueName"]), request


def _pages(batch: Batch, operation: str, params: dict[str, Any], key: str) -> Iterator[list[Any]]:
    """Each page of a listing, following nextToken (at most MAX_PAGES)."""
    request = dict(params)
    for _ in range(MAX_PAGES):
        body = batch.accept(operation, request)
        yield list(body.get(key, []))
        token = body.get("nextToken")
        if not token:
            return
        request = {**params, "nextToken": token}
    batch.check("pagination-ends", False, f"{operation} still sent a nextToken after {MAX_PAGES}")
    raise AssertionError(f"{operation} still sent a nextToken after {MAX_PAGES} pages")


def _listed_jobs(batch: Batch, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in _pages(batch, "ListJobs", params, "jobSummaryList"):
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


def _tags_of(batch: Batch, arn: str) -> dict[str, Any]:
    body = batch.accept("ListTagsForResource", {"resourceArn": arn})
    tags = body.get("tags") or {}
    return dict(tags) if isinstance(tags, dict) else {}


# ---- compute environments and job queues ----------------------------------------------


@rule("CreateComputeEnvironment.behaviour.lifecycle")
def test_compute_environment_lifecycle(batch: Batch) -> None:
    """CREATING → VALID, then DISABLED through UpdateComputeEnvironment, then deleted."""
    arn = _new_compute_environment(batch)
    _begun(batch, _compute_environments, arn, "compute environment")
    _wait_valid(batch, _compute_environments, arn, "ENABLED")
    batch.accept(
        "UpdateComputeEnvironment",
        {"computeEnvironment": arn, "state": "DISABLED"},
        "disabling the compute environment",
    )
    env = _wait_valid(batch, _compute_environments, arn, "DISABLED")
    batch.check("disabled", env.get("state") == "DISABLED", f"state {env.get('state')!r}")
    batch.accept("DeleteComputeEnvironment", {"computeEnvironment": arn}, "deleting it, DISABLED")
    _wait_gone(batch, _compute_environments, arn)
    batch.check("deleted", True, "no longer listed, or DELETING/DELETED")


@rule("DeleteComputeEnvironment.behaviour.enabled-refused")
def test_compute_environment_delete_enabled_refused(batch: Batch) -> None:
    """DeleteComputeEnvironment of an ENABLED environment is refused; it stays listed."""
    arn = _new_compute_environment(batch)
    _wait_valid(batch, _compute_environments, arn, "ENABLED")
    batch.reject(
        "DeleteComputeEnvironment",
        {"computeEnvironment": arn},
        "a compute environment must be DISABLED before it is deleted",
    )
    status, state, _reason = _status(_compute_environments(batch, arn))
    kept = status not in (None, *GONE)
    batch.check("still-listed", kept, f"status {status!r}, state {state!r}")
    assert kept, f"the ENABLED compute environment was deleted anyway (status {status!r})"


@rule("CreateJobQueue.behaviour.lifecycle")
def test_job_queue_lifecycle(batch: Batch) -> None:
    """CREATING → VALID with its computeEnvironmentOrder and priority as sent, DISABLED
    through UpdateJobQueue, then deleted."""
    env = _new_compute_environment(batch)
    _wait_valid(batch, _compute_environments, env, "ENABLED")
    arn, request = _new_job_queue(batch, env)
    _begun(batch, _job_queues, arn, "job queue")
    queue = _wait_valid(batch, _job_queues, arn, "ENABLED")
    order = queue.get("computeEnvironmentOrder")
    kept = order == request["computeEnvironmentOrder"]
    batch.check("order-kept", kept, f"sent {request['computeEnvironmentOrder']}, described {order}")
    assert kept, (
        f"computeEnvironmentOrder described as {order}, sent {request['computeEnvironmentOrder']}"
    )
    same = queue.get("priority") == request["priority"]
    batch.check(
        "priority-kept", same, f"sent {request['priority']}, described {queue.get('priority')!r}"
    )
    assert same, f"priority described as {queue.get('priority')!r}, sent {request['priority']}"
    batch.accept("UpdateJobQueue", {"jobQueue": arn, "state": "DISABLED"}, "disabling the queue")
    _wait_valid(batch, _job_queues, arn, "DISABLED")
    batch.accept("DeleteJobQueue", {"jobQueue": arn}, "deleting the queue, DISABLED")
    _wait_gone(batch, _job_queues, arn)
    batch.check("deleted", True, "no longer listed, or DELETING/DELETED")


@rule("DeleteJobQueue.behaviour.enabled-refused")
def test_job_queue_delete_enabled_refused(batch: Batch) -> None:
    """DeleteJobQueue of an ENABLED queue is refused; it stays listed."""
    arn, _request = _new_job_queue(batch, batch.context().resource("compute-environment"))
    _wait_valid(batch, _job_queues, arn, "ENABLED")
    batch.reject("DeleteJobQueue", {"jobQueue": arn}, "a queue must be DISABLED before deletion")
    status, state, _reason = _status(_job_queues(batch, arn))
    kept = status not in (None, *GONE)
    batch.check("still-listed", kept, f"status {status!r}, state {state!r}")
    assert kept, f"the ENABLED job queue was deleted anyway (status {status!r})"


# ---- job definitions --------------------------------------------------------------------


def _deregistered(batch: Batch) -> tuple[str, str]:
    """A definition registered and deregistered by this case: (name, ARN)."""
    name = batch.name("dereg")
    arn = str(batch.register(jobDefinitionName=name)["jobDefinitionArn"])
    batch.accept("DeregisterJobDefinition", {"jobDefinition": arn}, "deregistering it")
    return name, arn


def _listed_inactive(batch: Batch, name: str, arn: str) -> dict[str, Any]:
    """The deregistered definition as DescribeJobDefinitions with status INACTIVE lists it,
    read until it is (bounded); empty if it never is."""

    def look() -> dict[str, Any]:
        body = batch.accept(
            "DescribeJobDefinitions", {"jobDefinitionName": name, "status": "INACTIVE"}
        )
        found = [d for d in body.get("jobDefinitions", []) if d.get("jobDefinitionArn") == arn]
        return found[0] if found else {}

    return batch.read_until(look, bool)


@rule("DeregisterJobDefinition.behaviour.inactive")
def test_deregistered_definition_is_inactive(batch: Batch) -> None:
    """DescribeJobDefinitions with status INACTIVE lists the deregistered definition so."""
    name, arn = _deregistered(batch)
    found = _listed_inactive(batch, name, arn)
    batch.check("listed-inactive", bool(found), f"status INACTIVE lists {arn}: {bool(found)}")
    assert found, f"DescribeJobDefinitions with status INACTIVE does not list {arn}"
    status = found.get("status")
    batch.check("status-INACTIVE", status == "INACTIVE", f"status {status!r}")
    assert status == "INACTIVE", f"the deregistered definition has status {status!r}"


@rule("SubmitJob.behaviour.inactive-definition-refused")
def test_submit_with_deregistered_definition_refused(batch: Batch) -> None:
    """SubmitJob naming a deregistered definition (by ARN) is refused with 400 ClientException.

    The job is submitted once the definition is listed INACTIVE (or the bounded read ran
    out): a deregistration AWS has not yet spread is not this rule's business.
    """
    name, arn = _deregistered(batch)
    _listed_inactive(batch, name, arn)
    batch.reject(
        "SubmitJob",
        {"jobName": batch.name("job"), "jobQueue": batch.resources.job_queue, "jobDefinition": arn},
        "the job definition is INACTIVE (deregistered)",
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
        _pages(batch, "ListJobs", {**params, "maxResults": 1}, "jobSummaryList")
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
    job = batch.wait_for_status(job_id, SETTLED, _wait_s(batch))
    status = job.get("status")
    batch.check("status-FAILED", status == "FAILED", f"{before} job ended {status!r}")
    assert status == "FAILED", f"after {operation} the {before} job ended {status!r}, not FAILED"
    got = job.get("statusReason")
    batch.check("statusReason", got == reason, f"statusReason {got!r}, sent {reason!r}")
    assert got == reason, f"statusReason {got!r}, expected the reason sent: {reason!r}"


# ---- scheduling policies ----------------------------------------------------------------


def _policies(batch: Batch, arn: str) -> list[dict[str, Any]]:
    body = batch.accept("DescribeSchedulingPolicies", {"arns": [arn]})
    return [p for p in body.get("schedulingPolicies", []) if isinstance(p, dict)]


def _listed_policies(batch: Batch) -> set[str]:
    arns: set[str] = set()
    for page in _pages(batch, "ListSchedulingPolicies", {}, "schedulingPolicies"):
        arns |= {str(p.get("arn")) for p in page if isinstance(p, dict)}
    return arns


@rule("CreateSchedulingPolicy.behaviour.lifecycle")
def test_scheduling_policy_lifecycle(batch: Batch) -> None:
    """Created, described, listed, updated, deleted."""
    name = batch.name("sp")
    body = batch.accept(
        "CreateSchedulingPolicy", {"name": name, "fairsharePolicy": {"shareDecaySeconds": 3600}}
    )
    arn = str(body.get("arn"))
    found = batch.read_until(lambda: _policies(batch, arn), bool)
    batch.check("described", bool(found), f"DescribeSchedulingPolicies of {arn}: {len(found)}")
    assert found, f"DescribeSchedulingPolicies does not describe the new policy {arn}"
    named = found[0].get("name") == name
    batch.check("named", named, f"name {found[0].get('name')!r}, sent {name!r}")
    assert named, f"DescribeSchedulingPolicies gives name {found[0].get('name')!r}, sent {name!r}"
    listed = batch.read_until(lambda: arn in _listed_policies(batch), bool)
    batch.check("listed", listed, f"ListSchedulingPolicies lists {arn}: {listed}")
    assert listed, f"ListSchedulingPolicies does not list the new policy {arn}"
    batch.accept(
        "UpdateSchedulingPolicy", {"arn": arn, "fairsharePolicy": {"shareDecaySeconds": 7200}}
    )

    def decay() -> Any:
        described = _policies(batch, arn)
        return (
            (described[0].get("fairsharePolicy") or {}).get("shareDecaySeconds")
            if described
            else None
        )

    updated = batch.read_until(decay, lambda d: d == 7200)
    batch.check("updated", updated == 7200, f"shareDecaySeconds {updated!r} after update to 7200")
    assert updated == 7200, (
        f"after UpdateSchedulingPolicy shareDecaySeconds is {updated!r}, not 7200"
    )
    batch.accept("DeleteSchedulingPolicy", {"arn": arn})
    left = batch.read_until(lambda: _policies(batch, arn), lambda p: not p)
    batch.check("not-described", not left, f"DescribeSchedulingPolicies after delete: {left}")
    assert not left, f"the deleted policy {arn} is still described"
    still = batch.read_until(lambda: arn in _listed_policies(batch), lambda x: not x)
    batch.check("not-listed", not still, f"ListSchedulingPolicies after delete lists it: {still}")
    assert not still, f"the deleted policy {arn} is still listed"


# ---- tags -------------------------------------------------------------------------------

TAGGABLE = ("compute-environment", "job-queue", "scheduling-policy", "job-definition", "job")


def _tagged(batch: Batch, kind: str, tags: dict[str, str]) -> str:
    """A new resource of `kind` created with `tags`; its ARN."""
    if kind == "compute-environment":
        return _new_compute_environment(batch, tags=tags)
    if kind == "job-queue":
        env = batch.context().resource("compute-environment")
        return _new_job_queue(batch, env, tags=tags)[0]
    if kind == "scheduling-policy":
        body = batch.accept("CreateSchedulingPolicy", {"name": batch.name("sp"), "tags": tags})
        return str(body.get("arn"))
    if kind == "job-definition":
        return str(batch.register(tags=tags)["jobDefinitionArn"])
    body = batch.submit(tags=tags)
    return str(body.get("jobArn") or batch.describe_job(str(body["jobId"])).get("jobArn"))


def _has(tags: dict[str, Any], wanted: dict[str, str]) -> bool:
    return all(tags.get(k) == v for k, v in wanted.items())


@rule("ListTagsForResource.behaviour.creation-tags")
@pytest.mark.parametrize("kind", TAGGABLE)
def test_tags_given_at_creation(batch: Batch, kind: str) -> None:
    """Tags sent with the Create/Register/Submit call are ListTagsForResource's."""
    sent = {"bc-kind": kind, "bc-when": "creation"}
    arn = _tagged(batch, kind, sent)
    tags = batch.read_until(lambda: _tags_of(batch, arn), lambda t: _has(t, sent))
    batch.check("tags-listed", _has(tags, sent), f"sent {sent}, listed {tags}")
    assert _has(tags, sent), f"ListTagsForResource of the {kind} gives {tags}, sent {sent}"


@rule("TagResource.behaviour.round-trip")
@pytest.mark.parametrize("kind", TAGGABLE)
def test_tag_and_untag(batch: Batch, kind: str) -> None:
    """TagResource adds and keeps the rest; UntagResource removes only the keys named."""
    first = {"bc-kind": kind}
    arn = _tagged(batch, kind, first)
    added = {"bc-added": "yes", "bc-other": "kept"}
    batch.accept("TagResource", {"resourceArn": arn, "tags": added}, "tagging it")
    both = {**first, **added}
    tags = batch.read_until(lambda: _tags_of(batch, arn), lambda t: _has(t, both))
    batch.check("tagged", _has(tags, both), f"expected {both}, listed {tags}")
    assert _has(tags, both), f"after TagResource the {kind} lists {tags}, expected {both}"
    batch.accept("UntagResource", {"resourceArn": arn, "tagKeys": ["bc-added"]}, "untagging")
    left = {**first, "bc-other": "kept"}
    tags = batch.read_until(lambda: _tags_of(batch, arn), lambda t: "bc-added" not in t)
    right = _has(tags, left) and "bc-added" not in tags
    batch.check("untagged", right, f"expected {left} without bc-added, listed {tags}")
    assert right, f"after UntagResource the {kind} lists {tags}, expected {left} only"
