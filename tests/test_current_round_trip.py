"""Round trips of today's API (`conformance/current_cases/test_round_trip.py`), offline.

Every create, register, submit and update operation with a describe counterpart has its
cases or is left out whole with a reason; the ids are stable; every request a case sends
validates against the current request schema and keeps to what AWS documents; the member
is looked for where the describe answer carries it; what is left out names real members.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance import catalogue
from conformance.context import placeholder_context
from conformance.current_cases.test_round_trip import cases
from conformance.documented import violations
from conformance.realistic import (
    Member,
    describer,
    members,
    request_setting,
    round_trip_kind,
    round_trips,
)
from conformance.requests import RequestBuilder, schema_at
from conformance.rulebook import all_rules
from conformance.schemas import load_schema, validator
from conformance.scopes import CURRENT, SEED

MEMBERS = [param.values[0] for param in cases()]
TABLES = CURRENT.tables


def _request_schema(operation: str) -> dict[str, Any]:
    return load_schema(CURRENT.schema_name(operation, "request"))


def _ids() -> list[str]:
    return [str(param.id) for param in cases()]


def test_every_round_trip_operation_has_cases_or_a_reason() -> None:
    """Each operation that makes or changes something has cases and a rule, or is left out
    whole with a reason; what describes it is of today's API too."""
    operations = set(CURRENT.operations)
    with_cases = {member.operation for member in MEMBERS}
    tripped = set(round_trips(CURRENT))
    for operation in operations:
        kind = round_trip_kind(operation)
        if kind is None:
            continue
        assert describer(operation) in operations
        if operation in TABLES.left_out_operations:
            assert operation not in with_cases | tripped
            assert TABLES.left_out_operations[operation].strip()
        else:
            assert operation in with_cases, operation
            assert f"{operation}.behaviour.round-trip" in all_rules(CURRENT)
    made = {op for op in operations if op.startswith(("Create", "Register", "Submit", "Update"))}
    accounted = {op for op in made if round_trip_kind(op) is not None}
    assert made == accounted  # every such operation is in the catalogue


def test_case_ids_are_stable_and_unique() -> None:
    """Ids are `<Operation>.<member>`, derived the same twice, none twice."""
    ids = _ids()
    assert ids == _ids()
    assert len(ids) == len(set(ids))
    assert {
        "CreateComputeEnvironment.unmanagedvCpus",
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
    assert len(ids) == 83  # a new member of the model shows here first


def test_seed_round_trip_members_unchanged() -> None:
    """The seed scope's members keep their ids (the current scope's tables do not leak)."""
    seed = members("SubmitJob", load_schema("SubmitJob.request"), SEED)
    assert "containerOverrides.vcpus" in [m.dotted for m in seed]
    assert all(m.scope is SEED for m in seed)


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{m.operation}.{m.dotted}")
def test_round_trip_request_is_valid_and_documented(member: Member) -> None:
    """The request validates against today's request schema and keeps to the documentation."""
    ctx = placeholder_context()
    request, sent = request_setting(member, RequestBuilder(member.operation, ctx, CURRENT))
    schema = CURRENT.schema_name(member.operation, "request")
    assert [e.message for e in validator(schema).iter_errors(request)] == []
    assert violations(member.operation, request, CURRENT) == []
    assert sent is not None


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{m.operation}.{m.dotted}")
def test_member_is_looked_for_where_the_answer_carries_it(member: Member) -> None:
    """The describe answer's entry has the member the case reads."""
    kind = round_trip_kind(member.operation)
    assert kind is not None
    assert kind.describe is not None
    describe = kind.describe.operation
    response = load_schema(CURRENT.schema_name(describe, "response"))
    listed = kind.describe.listed
    entry = response if listed is None else response["properties"][listed]["items"]
    assert member.answered_at[0] in entry["properties"], (describe, member.answered_at)


def test_updates_set_values_the_resource_was_not_made_with() -> None:
    """An update that changes nothing cannot pass: its values differ from the create's."""
    ctx = placeholder_context()
    for member in MEMBERS:
        kind = catalogue.changed_by(member.operation)
        if kind is None or kind.create is None:
            continue
        made = RequestBuilder(kind.create, ctx, CURRENT).build()
        _request, sent = request_setting(member, RequestBuilder(member.operation, ctx, CURRENT))
        at_creation: Any = made
        for part in member.answered_at:
            at_creation = at_creation.get(part) if isinstance(at_creation, dict) else None
        assert sent != at_creation, member


def test_left_out_names_real_members() -> None:
    """Every member the table leaves out is in its request schema, with a reason."""
    for operation, left in TABLES.left_out.items():
        assert round_trip_kind(operation) is not None
        schema = _request_schema(operation)
        for dotted, reason in left.items():
            assert schema_at(schema, dotted.split(".")), (operation, dotted)
            assert reason.strip()
