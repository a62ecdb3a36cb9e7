"""Cases derived from the schemas: the right side of every limit, and new limits for free."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from conformance import boundaries as boundaries_module
from conformance.boundaries import Boundary, boundaries_of, derived_boundaries, request_rules
from conformance.context import placeholder_context
from conformance.generation import bind, requests_of
from conformance.realistic import came_back, full_request, members
from conformance.requests import RequestBuilder
from conformance.schemas import Rule, load_schema, validator
from conformance.scopes import SEED


@pytest.mark.parametrize("boundary", derived_boundaries(SEED), ids=lambda b: b.id)
def test_boundary_request_is_on_its_side(boundary: Boundary) -> None:
    """An inside request validates against its schema; an outside one breaks its rule."""
    operation = boundary.rule.operation
    request = boundary.request(RequestBuilder(operation, placeholder_context(), SEED))
    errors = list(validator(f"{operation}.request").iter_errors(request))
    if boundary.expect_accepted:
        assert errors == [], [e.message for e in errors]
    else:
        assert errors, f"{boundary.id} built a valid request: {request}"


def test_every_request_rule_has_both_sides() -> None:
    """Each request rule yields at least one accepted and one refused case."""
    sides: dict[str, set[str]] = {}
    for boundary in derived_boundaries(SEED):
        sides.setdefault(boundary.rule.id, set()).add(boundary.side)
    assert {r.id for r in request_rules(SEED)} == set(sides)
    assert all(found == {"inside", "outside"} for found in sides.values()), sides


def test_examples_from_the_issue_are_derived() -> None:
    """The boundaries the issue names appear, with their values."""
    ids = {b.id for b in derived_boundaries(SEED)}
    for wanted in (
        "SubmitJob.timeout.minimum:outside:59",
        "SubmitJob.timeout.minimum:inside:60",
        "RegisterJobDefinition.timeout.minimum:outside:59",
        "SubmitJob.retryStrategy.attempts.range:outside:0",
        "SubmitJob.retryStrategy.attempts.range:outside:11",
        "SubmitJob.retryStrategy.attempts.range:inside:10",
        "SubmitJob.arrayProperties.size.range:outside:1",
        "SubmitJob.arrayProperties.size.range:outside:10001",
        "SubmitJob.arrayProperties.size.range:inside:10000",
        "SubmitJob.jobName.length:outside:129chars",
        "SubmitJob.jobName.length:inside:128chars",
        "SubmitJob.jobName.charset:outside:leading-hyphen",
        "SubmitJob.jobName.charset:outside:dot",
        "SubmitJob.jobName.charset:outside:space",
        "SubmitJob.dependsOn.maxItems:outside:21items",
        "SubmitJob.dependsOn.maxItems:inside:20items",
        "DescribeJobs.jobs.maxItems:outside:101items",
        "DescribeJobs.jobs.maxItems:inside:100items",
        "DescribeJobDefinitions.maxResults.range:outside:0",
        "DescribeJobDefinitions.maxResults.range:outside:101",
        "RegisterJobDefinition.containerProperties.vcpus.minimum:outside:0",
        "RegisterJobDefinition.containerProperties.memory.minimum:outside:3",
        "SubmitJob.containerOverrides.environment.name.reserved:outside:AWS_BATCH_TEST",
        "RegisterJobDefinition.containerProperties.required-for-container:"
        "outside:type=container-without-containerProperties",
    ):
        assert wanted in ids, wanted


def test_a_new_limit_gets_cases_without_new_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit added to a schema's x-rules yields its boundary cases."""
    new = Rule(
        id="SubmitJob.containerOverrides.vcpus.maximum",
        schema="SubmitJob.request",
        operation="SubmitJob",
        direction="request",
        pointer="/properties/containerOverrides/properties/vcpus",
        keywords={"maximum": 96},
        summary="at most 96 vCPUs",
        provenance="observed",
        source="observed: a test",
    )
    monkeypatch.setattr(boundaries_module, "iter_rules", lambda scope: [new])
    (rule,) = boundaries_module.request_rules(SEED)
    found = {
        b.id: b
        for b in boundaries_of(rule, RequestBuilder("SubmitJob", placeholder_context(), SEED))
    }
    assert set(found) == {f"{new.id}:inside:96", f"{new.id}:outside:97"}
    request = found[f"{new.id}:outside:97"].request(
        RequestBuilder("SubmitJob", placeholder_context(), SEED)
    )
    assert request["containerOverrides"]["vcpus"] == 97


@pytest.mark.parametrize("operation", SEED.operations)
def test_full_request_is_valid(operation: str) -> None:
    """The realistic request with every member set validates against its schema."""
    builder = RequestBuilder(operation, placeholder_context(), SEED)
    request = full_request(operation, builder)
    assert list(validator(f"{operation}.request").iter_errors(request)) == []


def test_round_trip_members_come_from_the_schema() -> None:
    """Every settable RegisterJobDefinition member gets a round-trip case."""
    found = {
        m.dotted
        for m in members(
            "RegisterJobDefinition", load_schema("RegisterJobDefinition.request"), SEED
        )
    }
    container = load_schema("RegisterJobDefinition.request")["properties"]["containerProperties"]
    wanted = {f"containerProperties.{name}" for name in container["properties"]}
    assert wanted | {"parameters", "retryStrategy", "timeout"} == found


@pytest.mark.parametrize(
    ("sent", "got", "same"),
    [
        ({"a": 1}, {"a": 1, "b": 2}, True),
        ({"a": 1}, {"a": 2}, False),
        (
            [{"name": "X", "value": "1"}],
            [{"name": "AWS_BATCH_JOB_ID", "value": "j"}, {"name": "X", "value": "1"}],
            True,
        ),
        ([{"name": "X", "value": "1"}], [{"name": "X", "value": "2"}], False),
        (["echo", "a"], ["a", "echo"], False),
        (True, None, False),
    ],
)
def test_came_back_allows_additions_not_changes(sent: Any, got: Any, same: bool) -> None:
    """Defaults and additions are not changes; a different or missing value is."""
    assert came_back(sent, got) is same


@pytest.mark.parametrize("operation", SEED.operations)
def test_generated_requests_are_valid(operation: str) -> None:
    """Generated requests, bound to the run's resources, validate against their schema."""
    check = validator(f"{operation}.request")

    @settings(
        max_examples=15, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(request=requests_of(operation, SEED))
    def valid(request: dict[str, Any]) -> None:
        bound = bind(operation, request, placeholder_context(), SEED)
        assert list(check.iter_errors(bound)) == []

    valid()
