"""Round trip of every member of today's create, register, submit and update operations.

One case per request member (`conformance.realistic.members`, current scope): the smallest
valid request with that member set is sent, then the thing it made or changed is
described, and the member must come back unchanged (additions and documented defaults are
fine; a changed or missing value is not). An update acts on a resource made for the case
alone, so the value it sets differs from what the resource was made with. Which operation
describes what each made or changed is the catalogue's; what cannot be checked honestly is
left out, with the reason, in the scope's tables.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from conformance import catalogue, reads
from conformance.calls import json_dump
from conformance.casekit import Batch
from conformance.context import Context
from conformance.realistic import (
    Member,
    came_back,
    describer,
    dig,
    members,
    request_setting,
    round_trip_kind,
    round_trips,
)
from conformance.requests import RequestBuilder
from conformance.rulebook import behaviour
from conformance.schemas import load_schema
from conformance.scopes import CURRENT


def cases() -> list[Any]:
    """One case per member of every round-tripped operation, id `<Operation>.<member>`."""
    found: list[Any] = []
    for operation in round_trips(CURRENT):
        rule = behaviour(f"{operation}.behaviour.round-trip", CURRENT)
        schema = load_schema(CURRENT.schema_name(operation, "request"))
        found.extend(
            pytest.param(
                member,
                id=f"{operation}.{member.dotted}",
                marks=pytest.mark.batch_rule(rule),
            )
            for member in members(operation, schema, CURRENT)
        )
    return found


@pytest.mark.parametrize("member", cases())
def test_member_round_trip(batch: Batch, member: Member) -> None:
    """A member sent to a create, register, submit or update comes back when described."""
    operation = member.operation
    kind = round_trip_kind(operation)
    assert kind is not None
    ctx = _context(batch)
    builder = RequestBuilder(operation, ctx, CURRENT)
    updated = kind.target(operation) if kind.update == operation else None
    ref = ctx.fresh(kind.name) if updated else ""
    if ref:
        reads.settled(batch, kind, ref)
    request, sent = request_setting(member, builder)
    if updated:
        request[updated.path] = ref
    body = batch.accept(operation, request, f"{operation} setting {member.dotted}")
    if kind is catalogue.JOB:
        entry = batch.describe_job(str(body["jobId"]))
    else:  # described once settled: AWS may apply a create or update while it is busy
        made = ref or kind.made(request, body)
        assert made, f"{operation} answered neither an ARN nor a name: {body}"
        entry = reads.settled(batch, kind, made)
    got = dig(entry, member.answered_at)
    assert came_back(sent, got), (
        f"{operation} {member.dotted} did not come back from {describer(operation)}:"
        f" sent {json_dump(sent)[:300]}, {'.'.join(member.answered_at)} is"
        f" {json_dump(got)[:300]}"
    )


def _context(batch: Batch) -> Context:
    """The run's context, with a compute environment named by its ARN (as AWS answers it)."""
    ctx = batch.context()
    shared = ctx.resource
    environments = catalogue.COMPUTE_ENVIRONMENT

    def resource(kind: str) -> str:
        made = shared(kind)
        if kind != environments.name or made.startswith("arn:"):
            return made
        found = reads.listed(batch, environments, made)
        assert found, f"{environments.label} {made} is not described"
        return str(found[0].get(environments.arn_member) or made)

    return dataclasses.replace(ctx, resource=resource)
