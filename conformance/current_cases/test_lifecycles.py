"""Lifecycles of today's API: what a resource goes through, told by the API Reference.

Compute environments and job queues (CREATING → VALID, disabled, then deleted, and never
deleted while ENABLED), a deregistered definition (INACTIVE, refused by SubmitJob),
scheduling policies (create, describe, list, update, delete) and tags on every taggable
kind of the catalogue. The jobs' lifecycles are in `test_job_lifecycles` (same case ids:
`lifecycles::...`). Every wait is bounded: AWS is eventually consistent, and a wait that
runs out is an error of the case (`EndpointUnusable`), never a pass.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance import catalogue, reads, run_resources
from conformance.casekit import Batch
from conformance.catalogue import (
    COMPUTE_ENVIRONMENT,
    GONE_STATUSES,
    JOB_QUEUE,
    SCHEDULING_POLICY,
    taggable,
)
from conformance.rulebook import behaviour
from conformance.scopes import CURRENT


def rule(rule_id: str) -> pytest.MarkDecorator:
    """The case's rule, a behaviour of the current scope."""
    return pytest.mark.batch_rule(behaviour(rule_id, CURRENT))


# ---- helpers ---------------------------------------------------------------------------


def _new_compute_environment(batch: Batch, **extra: Any) -> str:
    """A new UNMANAGED compute environment, ENABLED; its ARN."""
    request, body = run_resources.make(
        batch,
        COMPUTE_ENVIRONMENT,
        "an UNMANAGED environment, ENABLED",
        type="UNMANAGED",
        state="ENABLED",
        **extra,
    )
    return COMPUTE_ENVIRONMENT.made(request, body)


def _new_job_queue(
    batch: Batch, compute_environment: str, **extra: Any
) -> tuple[str, dict[str, Any]]:
    """A new ENABLED job queue on `compute_environment`; its ARN and the request sent."""
    order = [{"order": 1, "computeEnvironment": compute_environment}]
    request, body = run_resources.make(
        batch,
        JOB_QUEUE,
        "a job queue, ENABLED",
        state="ENABLED",
        priority=7,
        computeEnvironmentOrder=order,
        **extra,
    )
    return JOB_QUEUE.made(request, body), request


def _tags_of(batch: Batch, arn: str) -> dict[str, Any]:
    body = batch.accept("ListTagsForResource", {"resourceArn": arn})
    tags = body.get("tags") or {}
    return dict(tags) if isinstance(tags, dict) else {}


# ---- compute environments and job queues ----------------------------------------------


@rule("CreateComputeEnvironment.behaviour.lifecycle")
def test_compute_environment_lifecycle(batch: Batch) -> None:
    """CREATING → VALID, then DISABLED through UpdateComputeEnvironment, then deleted."""
    arn = _new_compute_environment(batch)
    reads.begun(batch, COMPUTE_ENVIRONMENT, arn)
    reads.wait_valid(batch, COMPUTE_ENVIRONMENT, arn, "ENABLED")
    batch.accept(
        "UpdateComputeEnvironment",
        {"computeEnvironment": arn, "state": "DISABLED"},
        "disabling the compute environment",
    )
    env = reads.wait_valid(batch, COMPUTE_ENVIRONMENT, arn, "DISABLED")
    batch.check("disabled", env.get("state") == "DISABLED", f"state {env.get('state')!r}")
    batch.accept("DeleteComputeEnvironment", {"computeEnvironment": arn}, "deleting it, DISABLED")
    reads.wait_gone(batch, COMPUTE_ENVIRONMENT, arn)
    batch.check("deleted", True, "no longer listed, or DELETING/DELETED")


@rule("DeleteComputeEnvironment.behaviour.enabled-refused")
def test_compute_environment_delete_enabled_refused(batch: Batch) -> None:
    """DeleteComputeEnvironment of an ENABLED environment is refused; it stays listed."""
    arn = _new_compute_environment(batch)
    reads.wait_valid(batch, COMPUTE_ENVIRONMENT, arn, "ENABLED")
    batch.reject(
        "DeleteComputeEnvironment",
        {"computeEnvironment": arn},
        "a compute environment must be DISABLED before it is deleted",
    )
    status, state, _reason = reads.status(reads.entries(batch, COMPUTE_ENVIRONMENT, arn))
    kept = status not in (None, *GONE_STATUSES)
    batch.check("still-listed", kept, f"status {status!r}, state {state!r}")
    assert kept, f"the ENABLED compute environment was deleted anyway (status {status!r})"


@rule("CreateJobQueue.behaviour.lifecycle")
def test_job_queue_lifecycle(batch: Batch) -> None:
    """CREATING → VALID with its computeEnvironmentOrder and priority as sent, DISABLED
    through UpdateJobQueue, then deleted."""
    env = _new_compute_environment(batch)
    reads.wait_valid(batch, COMPUTE_ENVIRONMENT, env, "ENABLED")
    arn, request = _new_job_queue(batch, env)
    reads.begun(batch, JOB_QUEUE, arn)
    queue = reads.wait_valid(batch, JOB_QUEUE, arn, "ENABLED")
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
    reads.wait_valid(batch, JOB_QUEUE, arn, "DISABLED")
    batch.accept("DeleteJobQueue", {"jobQueue": arn}, "deleting the queue, DISABLED")
    reads.wait_gone(batch, JOB_QUEUE, arn)
    batch.check("deleted", True, "no longer listed, or DELETING/DELETED")


@rule("DeleteJobQueue.behaviour.enabled-refused")
def test_job_queue_delete_enabled_refused(batch: Batch) -> None:
    """DeleteJobQueue of an ENABLED queue is refused; it stays listed."""
    arn, _request = _new_job_queue(batch, batch.context().resource("compute-environment"))
    reads.wait_valid(batch, JOB_QUEUE, arn, "ENABLED")
    batch.reject("DeleteJobQueue", {"jobQueue": arn}, "a queue must be DISABLED before deletion")
    status, state, _reason = reads.status(reads.entries(batch, JOB_QUEUE, arn))
    kept = status not in (None, *GONE_STATUSES)
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


# ---- scheduling policies ----------------------------------------------------------------


def _policies(batch: Batch, arn: str) -> list[dict[str, Any]]:
    return reads.entries(batch, SCHEDULING_POLICY, arn)


def _listed_policies(batch: Batch) -> set[str]:
    arns: set[str] = set()
    for page in reads.pages(batch, "ListSchedulingPolicies", {}, "schedulingPolicies"):
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

TAGGABLE = tuple(kind.name for kind in taggable() if kind.makeable)


def _tagged(batch: Batch, name: str, tags: dict[str, str]) -> str:
    """A new resource of kind `name` created with `tags`; its ARN."""
    if name == COMPUTE_ENVIRONMENT.name:
        return _new_compute_environment(batch, tags=tags)
    if name == JOB_QUEUE.name:
        environment = batch.context().resource(COMPUTE_ENVIRONMENT.name)
        return _new_job_queue(batch, environment, tags=tags)[0]
    kind = catalogue.kind(name)
    request, body = run_resources.make(batch, kind, f"a {kind.label}, tagged", tags=tags)
    if kind.id_member and not body.get(kind.arn_member):  # a job: its ARN as described
        return str(batch.describe_job(str(body[kind.id_member])).get(kind.arn_member))
    return str(body.get(kind.arn_member) or kind.made(request, body))


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
