"""Round trip of every member of today's create, register, submit and update operations.

One case per request member (`conformance.realistic.members`, scope `current`): the
smallest valid request with that member set is sent, then the thing it made or changed is
described, and the member must come back unchanged (additions and documented defaults are
fine; a changed or missing value is not). An update acts on a resource made for the case
alone, so the value it sets differs from what the resource was made with. What cannot be
checked honestly is left out, with the reason, in `conformance.realistic.LEFT_OUT` and
`LEFT_OUT_OPERATIONS`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

import pytest

from conformance.calls import json_dump
from conformance.casekit import Batch
from conformance.realistic import (
    Member,
    came_back,
    dig,
    members,
    request_setting,
)
from conformance.realistic_current import LEFT_OUT_OPERATIONS, ROUND_TRIPS
from conformance.requests import Context, RequestBuilder
from conformance.rulebook import behaviour
from conformance.schemas import load_schema, schema_name
from conformance.session import definition_reference

# An update's target: the request member naming it, and the kind of resource made for it.
TARGETS: dict[str, tuple[str, str]] = {
    "UpdateComputeEnvironment": ("computeEnvironment", "compute-environment"),
    "UpdateJobQueue": ("jobQueue", "job-queue"),
    "UpdateSchedulingPolicy": ("arn", "scheduling-policy"),
    "UpdateConsumableResource": ("consumableResource", "consumable-resource"),
    "UpdateServiceEnvironment": ("serviceEnvironment", "service-environment"),
}
# What a create answers (its ARN), else the request's name for it.
MADE: dict[str, tuple[str, str]] = {
    "CreateComputeEnvironment": ("computeEnvironmentArn", "computeEnvironmentName"),
    "CreateJobQueue": ("jobQueueArn", "jobQueueName"),
    "CreateSchedulingPolicy": ("arn", "name"),
    "CreateConsumableResource": ("consumableResourceArn", "consumableResourceName"),
    "CreateServiceEnvironment": ("serviceEnvironmentArn", "serviceEnvironmentName"),
}
# How each describe operation is asked about one thing, and where its answer lists it.
Ask = Callable[[str], dict[str, Any]]
DESCRIBE: dict[str, tuple[Ask, str | None]] = {
    "DescribeComputeEnvironments": (
        lambda ref: {"computeEnvironments": [ref]},
        "computeEnvironments",
    ),
    "DescribeJobQueues": (lambda ref: {"jobQueues": [ref]}, "jobQueues"),
    "DescribeSchedulingPolicies": (lambda ref: {"arns": [ref]}, "schedulingPolicies"),
    "DescribeJobDefinitions": (lambda ref: {"jobDefinitions": [ref]}, "jobDefinitions"),
    "DescribeConsumableResource": (lambda ref: {"consumableResource": ref}, None),
    "DescribeServiceEnvironments": (
        lambda ref: {"serviceEnvironments": [ref]},
        "serviceEnvironments",
    ),
}
BUSY = ("CREATING", "UPDATING")  # an update waits for its fresh target to settle


def _operations() -> list[str]:
    return [op for op in ROUND_TRIPS if op not in LEFT_OUT_OPERATIONS]


def cases() -> list[Any]:
    """One case per member of every round-tripped operation, id `<Operation>.<member>`."""
    found: list[Any] = []
    for operation in _operations():
        rule = behaviour(f"{operation}.behaviour.round-trip", "current")
        schema = load_schema(schema_name(operation, "request", "current"))
        found.extend(
            pytest.param(
                member,
                id=f"{operation}.{member.dotted}",
                marks=pytest.mark.batch_rule(rule),
            )
            for member in members(operation, schema, "current")
        )
    return found


@pytest.mark.parametrize("member", cases())
def test_member_round_trip(batch: Batch, member: Member) -> None:
    """A member sent to a create, register, submit or update comes back when described."""
    operation = member.operation
    ctx = _context(batch)
    builder = RequestBuilder(operation, ctx, "current")
    named, kind = TARGETS.get(operation, ("", ""))
    ref = ctx.fresh(kind) if kind else ""
    if ref:
        _settle(batch, ROUND_TRIPS[operation], ref)
    request, sent = request_setting(member, builder, ctx)
    if ref:
        request[named] = ref
    body = batch.accept(operation, request, f"{operation} setting {member.dotted}")
    describe = ROUND_TRIPS[operation]
    if operation == "SubmitJob":
        entry = batch.describe_job(str(body["jobId"]))
    else:  # described once settled: AWS may apply a create or update while it is busy
        entry = _settle(batch, describe, ref or _made(operation, request, body))
    got = dig(entry, member.answered_at)
    assert came_back(sent, got), (
        f"{operation} {member.dotted} did not come back from {describe}:"
        f" sent {json_dump(sent)[:300]}, {'.'.join(member.answered_at)} is"
        f" {json_dump(got)[:300]}"
    )


def _context(batch: Batch) -> Context:
    """The run's context, with a compute environment named by its ARN (as AWS answers it)."""
    ctx = batch.context()
    shared = ctx.resource

    def resource(kind: str) -> str:
        made = shared(kind)
        if kind != "compute-environment" or made.startswith("arn:"):
            return made
        found = _described(batch, "DescribeComputeEnvironments", made)
        return str(found.get("computeEnvironmentArn") or made)

    return dataclasses.replace(ctx, resource=resource)


def _made(operation: str, request: dict[str, Any], body: dict[str, Any]) -> str:
    """The ARN (else the name) of what a create or register just made."""
    if operation == "RegisterJobDefinition":
        reference = body.get("jobDefinitionArn") or definition_reference(request, body)
        assert reference, f"RegisterJobDefinition answered neither an ARN nor a revision: {body}"
        return str(reference)
    answered, named = MADE[operation]
    return str(body.get(answered) or request[named])


def _described(batch: Batch, describe: str, ref: str) -> dict[str, Any]:
    """The entry `describe` returns for `ref` (an ARN or a name), read until it is listed (a
    resource just made may be missing for a moment)."""
    ask, listed = DESCRIBE[describe]
    if listed is None:
        return batch.accept(describe, ask(ref))

    def look() -> list[dict[str, Any]]:
        body = batch.accept(describe, ask(ref))
        # Which entries a lookup returns is not this rule's business; here only ours counts.
        return [
            entry
            for entry in body.get(listed, [])
            if isinstance(entry, dict) and ref in {v for v in entry.values() if isinstance(v, str)}
        ]

    entries = batch.read_until(look, bool)
    assert entries, f"{describe} of {ref} did not return it"
    return entries[0]


def _settle(batch: Batch, describe: str, ref: str) -> dict[str, Any]:
    """`ref`'s entry once it is no longer being made or updated (CREATING, UPDATING), waiting
    at most --consistency-wait; the entry as it is then (a refusal or a value that did not
    come back after that is the endpoint's)."""
    entry = _described(batch, describe, ref)
    if DESCRIBE[describe][1] is None:  # a single resource, no status to wait for
        return entry
    deadline = time.monotonic() + batch.consistency_wait_s
    delay = 0.1
    while entry.get("status") in BUSY and time.monotonic() < deadline:
        time.sleep(delay)
        delay = min(delay * 2, 1.0)
        entry = _described(batch, describe, ref)
    return entry
