"""Round trip of every request member: what is sent comes back unchanged.

The members come from the request schemas (`conformance.realistic.members`), so a member
added there gets its case here without new code. Additions and documented defaults in the
answer are not changes; a sent value that comes back different, or not at all, is.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.calls import json_dump
from conformance.casekit import Batch
from conformance.realistic import Member, came_back, dig, members, request_setting
from conformance.requests import RequestBuilder
from conformance.rulebook import behaviour
from conformance.schemas import load_schema
from conformance.scopes import SEED


def _cases(operation: str) -> list[object]:
    rule = behaviour(f"{operation}.behaviour.round-trip", SEED)
    return [
        pytest.param(member, id=member.dotted, marks=pytest.mark.batch_rule(rule))
        for member in members(operation, load_schema(SEED.schema_name(operation, "request")), SEED)
    ]


def _compare(member: Member, sent: Any, entry: dict[str, Any], where: str) -> None:
    got = dig(entry, member.answered_at)
    answered = ".".join(member.answered_at)
    assert came_back(sent, got), (
        f"{member.operation} {member.dotted} did not come back from {where}:"
        f" sent {json_dump(sent)[:300]}, {answered} is {json_dump(got)[:300]}"
    )


@pytest.mark.parametrize("member", _cases("RegisterJobDefinition"))
def test_definition_member_round_trip(batch: Batch, member: Member) -> None:
    """A member sent to RegisterJobDefinition comes back in DescribeJobDefinitions."""
    builder = RequestBuilder("RegisterJobDefinition", batch.context(), SEED)
    request, sent = request_setting(member, builder)
    arn = batch.register(**request)["jobDefinitionArn"]
    found = batch.accept("DescribeJobDefinitions", {"jobDefinitions": [arn]})
    # Which entries the lookup returns is the lookup rule's business; here only ours counts.
    entries = [e for e in found.get("jobDefinitions", []) if e.get("jobDefinitionArn") == arn]
    assert entries, f"DescribeJobDefinitions by ARN did not return {arn}"
    _compare(member, sent, entries[0], "DescribeJobDefinitions")


@pytest.mark.parametrize("member", _cases("SubmitJob"))
def test_job_member_round_trip(batch: Batch, member: Member) -> None:
    """A member sent to SubmitJob shows in DescribeJobs' job."""
    builder = RequestBuilder("SubmitJob", batch.context(), SEED)
    request, sent = request_setting(member, builder)
    job_id = batch.accept("SubmitJob", request)["jobId"]
    _compare(member, sent, batch.describe_job(job_id), "DescribeJobs")
