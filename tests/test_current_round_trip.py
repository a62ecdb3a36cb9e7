"""Round trips of today's API (`conformance/current_cases/test_round_trip.py`), offline.

Every create, register, submit and update operation with a describe counterpart has its
cases or is left out whole with a reason; the ids are stable; every request a case sends
validates against the current request schema and keeps to what AWS documents; the member
is looked for where the describe answer carries it; what is left out names real members.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.current_cases.test_round_trip import DESCRIBE, TARGETS, cases
from conformance.documented import violations
from conformance.realistic import (
    Member,
    members,
    request_setting,
)
from conformance.realistic_current import LEFT_OUT, LEFT_OUT_OPERATIONS, ROUND_TRIPS
from conformance.requests import RequestBuilder, placeholder_context, schema_at
from conformance.rulebook import all_rules
from conformance.schemas import current_operations, load_schema, schema_name, validator

MEMBERS = [param.values[0] for param in cases()]


def _request_schema(operation: str) -> dict[str, Any]:
    return load_schema(schema_name(operation, "request", "current"))


def _ids() -> list[str]:
    return [str(param.id) for param in cases()]


def test_every_round_trip_operation_has_cases_or_a_reason() -> None:
    """Each pair is of today's API; each operation has cases, a rule, or is left out whole."""
    operations = set(current_operations())
    with_cases = {member.operation for member in MEMBERS}
    for operation, describe in ROUND_TRIPS.items():
        assert {operation, describe} <= operations
        if operation in LEFT_OUT_OPERATIONS:
            assert operation not in with_cases
            assert LEFT_OUT_OPERATIONS[operation].strip()
        else:
            assert operation in with_cases, operation
            assert f"{operation}.behaviour.round-trip" in all_rules("current")
    made = {op for op in operations if op.startswith(("Create", "Register", "Submit", "Update"))}
    assert made - set(ROUND_TRIPS) == set()  # every such operation is accounted for


def test_case_ids_are_stable_and_unique() -> None:
    """Ids are `<Operation>.<member>`, derived the same twice, none twice."""
    ids = _ids()
    assert ids == _ids()
    assert len(ids) == len(set(ids))
    assert {
        "CreateComputeEnvironment.state",
        "UpdateComputeEnvironment.unmanagedvCpus",
        "CreateJobQueue.priority",
        "UpdateJobQueue.state",
        "CreateSchedulingPolicy.fairsharePolicy.shareDistribution",
        "RegisterJobDefinition.containerProperties.image",
        "RegisterJobDefinition.nodeProperties",
        "SubmitJob.containerOverrides.command",
        "UpdateConsumableResource.quantity",
        "CreateServiceEnvironment.capacityLimits",
    } <= set(ids)
    assert len(ids) == 84  # a new member of the model shows here first


def test_seed_round_trip_members_unchanged() -> None:
    """The seed scope's members keep their ids (the current scope's tables do not leak)."""
    seed = [m.dotted for m in members("SubmitJob", load_schema("SubmitJob.request"))]
    assert "containerOverrides.vcpus" in seed
    assert all(m.scope == "seed" for m in members("SubmitJob", load_schema("SubmitJob.request")))


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{m.operation}.{m.dotted}")
def test_round_trip_request_is_valid_and_documented(member: Member) -> None:
    """The request validates against today's request schema and keeps to the documentation."""
    ctx = placeholder_context()
    request, sent = request_setting(member, RequestBuilder(member.operation, ctx, "current"), ctx)
    schema = schema_name(member.operation, "request", "current")
    assert [e.message for e in validator(schema).iter_errors(request)] == []
    assert violations(member.operation, request) == []
    assert sent is not None


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{m.operation}.{m.dotted}")
def test_member_is_looked_for_where_the_answer_carries_it(member: Member) -> None:
    """The describe answer's entry has the member the case reads."""
    describe = ROUND_TRIPS[member.operation]
    response = load_schema(schema_name(describe, "response", "current"))
    listed = DESCRIBE.get(describe, (None, "jobs"))[1]
    entry = response if listed is None else response["properties"][listed]["items"]
    assert member.answered_at[0] in entry["properties"], (describe, member.answered_at)


def test_updates_set_values_the_resource_was_not_made_with() -> None:
    """An update that changes nothing cannot pass: its values differ from the create's."""
    ctx = placeholder_context()
    for member in MEMBERS:
        if member.operation not in TARGETS:
            continue
        create = member.operation.replace("Update", "Create")
        made = RequestBuilder(create, ctx, "current").build()
        _request, sent = request_setting(
            member, RequestBuilder(member.operation, ctx, "current"), ctx
        )
        at_creation: Any = made
        for part in member.answered_at:
            at_creation = at_creation.get(part) if isinstance(at_creation, dict) else None
        assert sent != at_creation, member


def test_left_out_names_real_members() -> None:
    """Every member the table leaves out is in its request schema, with a reason."""
    for operation, left in LEFT_OUT.items():
        assert operation in ROUND_TRIPS
        schema = _request_schema(operation)
        for dotted, reason in left.items():
            assert schema_at(schema, dotted.split(".")), (operation, dotted)
            assert reason.strip()
