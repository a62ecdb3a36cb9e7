"""The constraint lists, offline: every request a case of either scope expects accepted keeps
to them; each current constraint bites its broken request and passes its kept one.

Every accepted request the suite derives is built here with placeholder resources and run
through the scope's constraints (`conformance.documented`) and its request schemas: the
boundary cases inside every limit, the round trips, what the run makes for a case (each
kind of the catalogue), the hand-written requests of the lifecycles, and each constraint's
own kept request. The seed scope's generated accepted requests are in test_documented.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance import catalogue, documented
from conformance.boundaries import Boundary, derived_boundaries
from conformance.context import Context, placeholder_context, placeholder_kind
from conformance.current_cases.test_constraints import broken_request, kept_request
from conformance.documented import Constraint, Known
from conformance.realistic import members, request_setting, round_trips
from conformance.requests import RequestBuilder
from conformance.rulebook import all_rules
from conformance.schemas import load_schema, validator
from conformance.scopes import CURRENT, SCOPES, Scope

ARN = "arn:aws:batch:us-east-1:000000000000:{}/bc00000000-{}"
QUEUE = ARN.format("job-queue", "job-queue")
FAIR_SHARE_QUEUE = ARN.format("fair-share-queue", "fair-share-queue")
ENVIRONMENT = ARN.format("compute-environment", "compute-environment")
POLICY = ARN.format("scheduling-policy", "scheduling-policy")
JOB = "00000000-0000-0000-0000-000000000000"


def _keeps_to_everything(scope: Scope, operation: str, request: dict[str, Any]) -> None:
    assert documented.violations(operation, request, scope) == []
    schema = validator(scope.schema_name(operation, "request"))
    assert [e.message for e in schema.iter_errors(request)] == []


def _inside(scope: Scope) -> list[Any]:
    return [
        pytest.param(scope, b, id=f"{scope}:{b.id}")
        for b in derived_boundaries(scope)
        if b.expect_accepted
    ]


@pytest.mark.parametrize(("scope", "boundary"), [*_inside(SCOPES[0]), *_inside(SCOPES[1])])
def test_inside_boundary_requests_keep_to_the_constraints(scope: Scope, boundary: Boundary) -> None:
    """Every boundary case that expects acceptance, in both scopes."""
    operation = boundary.rule.operation
    builder = RequestBuilder(operation, placeholder_context(), scope)
    _keeps_to_everything(scope, operation, boundary.request(builder))


def _round_trips() -> list[Any]:
    return [
        pytest.param(scope, member, id=f"{scope}:{member.operation}.{member.dotted}")
        for scope in SCOPES
        for operation in (round_trips(scope) if scope is CURRENT else scope.operations)
        for member in members(
            operation, load_schema(scope.schema_name(operation, "request")), scope
        )
    ]


@pytest.mark.parametrize(("scope", "member"), _round_trips())
def test_round_trip_requests_keep_to_the_constraints(scope: Scope, member: Any) -> None:
    """The request of every round-trip case, in both scopes."""
    builder = RequestBuilder(member.operation, placeholder_context(), scope)
    request, _sent = request_setting(member, builder)
    _keeps_to_everything(scope, member.operation, request)


def made_request(kind: catalogue.Kind, ctx: Context) -> dict[str, Any]:
    """What `run_resources.make` sends to make a resource of `kind` (offline)."""
    assert kind.create is not None
    builder = RequestBuilder(kind.create, ctx, CURRENT)
    request = builder.build()
    for member in kind.made_without:
        request.pop(member, None)
    request.update({k: v(ctx) if callable(v) else v for k, v in kind.made_with.items()})
    for member in kind.made_filled:
        request[member] = builder.items([member], 1)
    return request


MADE = [k for k in catalogue.KINDS if k.create and k.makeable and k.create in CURRENT.operations]


@pytest.mark.parametrize("kind", MADE, ids=lambda k: k.name)
def test_what_the_run_makes_keeps_to_the_constraints(kind: catalogue.Kind) -> None:
    """Every kind the run makes for a case, as `run_resources.make` asks for it."""
    assert kind.create is not None
    _keeps_to_everything(CURRENT, kind.create, made_request(kind, placeholder_context()))


# What the current scope's hand-written cases send as valid (lifecycles, tags, jobs).
HAND_WRITTEN: list[tuple[str, dict[str, Any]]] = [
    ("UpdateComputeEnvironment", {"computeEnvironment": ENVIRONMENT, "state": "DISABLED"}),
    ("DeleteComputeEnvironment", {"computeEnvironment": ENVIRONMENT}),
    ("UpdateJobQueue", {"jobQueue": QUEUE, "state": "DISABLED"}),
    ("DeleteJobQueue", {"jobQueue": QUEUE}),
    ("DeregisterJobDefinition", {"jobDefinition": ARN.format("job-definition", "jd") + ":1"}),
    ("DescribeJobDefinitions", {"jobDefinitionName": "bc-dereg-1", "status": "INACTIVE"}),
    ("CreateSchedulingPolicy", {"name": "bc-sp-1", "fairsharePolicy": {"shareDecaySeconds": 3600}}),
    ("UpdateSchedulingPolicy", {"arn": POLICY, "fairsharePolicy": {"shareDecaySeconds": 7200}}),
    ("DeleteSchedulingPolicy", {"arn": POLICY}),
    ("ListSchedulingPolicies", {}),
    ("ListTagsForResource", {"resourceArn": QUEUE}),
    ("TagResource", {"resourceArn": QUEUE, "tags": {"bc-added": "yes"}}),
    ("UntagResource", {"resourceArn": QUEUE, "tagKeys": ["bc-added"]}),
    ("ListJobs", {"jobQueue": QUEUE, "jobStatus": "RUNNABLE"}),
    ("ListJobs", {"jobQueue": QUEUE, "filters": [{"name": "JOB_NAME", "values": ["bc-1"]}]}),
    (
        "ListJobs",
        {"jobQueue": QUEUE, "filters": [{"name": "JOB_NAME", "values": ["bc-*"]}], "maxResults": 1},
    ),
    ("TerminateJob", {"jobId": JOB, "reason": "conformance run over"}),
    ("CancelJob", {"jobId": JOB, "reason": "cancelled by the case"}),
    ("SubmitJob", {"jobName": "bc-job-1", "jobQueue": QUEUE, "jobDefinition": "d"}),
    (
        "SubmitJob",
        {
            "jobName": "bc-job-1",
            "jobQueue": FAIR_SHARE_QUEUE,
            "jobDefinition": "d",
            "shareIdentifier": "bcshare",
            "schedulingPriorityOverride": 1,
        },
    ),
    ("DescribeComputeEnvironments", {"computeEnvironments": [ENVIRONMENT]}),
    ("DescribeJobQueues", {"jobQueues": [QUEUE]}),
    ("DescribeComputeEnvironments", {"maxResults": 100}),
]


@pytest.mark.parametrize(("operation", "request_"), HAND_WRITTEN)
def test_hand_written_requests_keep_to_the_constraints(
    operation: str, request_: dict[str, Any]
) -> None:
    """What the lifecycles and the run's own reads send as valid."""
    _keeps_to_everything(CURRENT, operation, request_)


SHOWN = documented.shown(CURRENT)


@pytest.mark.parametrize("constraint", SHOWN, ids=lambda c: c.id)
def test_each_constraint_is_shown_both_ways(constraint: Constraint) -> None:
    """The kept request keeps to every constraint and schema; the broken one breaks this
    constraint (and the seed's of which it is a part, at most), and nothing else."""
    ctx = placeholder_context()
    kept = kept_request(constraint, RequestBuilder(constraint.operation, ctx, CURRENT))
    _keeps_to_everything(CURRENT, constraint.operation, kept)
    broken = broken_request(constraint, RequestBuilder(constraint.operation, ctx, CURRENT))
    found = {
        line.split(": ", 1)[0]
        for line in documented.violations(constraint.operation, broken, CURRENT)
    }
    assert constraint.id in found
    assert found - {constraint.id} <= {
        c.id for c in documented.constraints(CURRENT) if c.witness is None
    }
    schema = validator(CURRENT.schema_name(constraint.operation, "request"))
    assert [e.message for e in schema.iter_errors(broken)] == []  # no limit broken besides


def test_every_shown_constraint_is_a_rule_with_evidence() -> None:
    """One rule of the current scope per shown constraint (and the rules name no other)."""
    rules = all_rules(CURRENT)
    for constraint in SHOWN:
        rule = rules[constraint.id]
        assert rule.evidence, constraint.id
        assert rule.operation == constraint.operation
        if rule.strength == "should":
            assert rule.note, constraint.id
        if constraint.basis == "reported":
            assert any(e["kind"] == "observed" for e in rule.evidence), constraint.id
    constraint_rules = {
        r for r in rules if r.split(".", 1)[0] in CURRENT.operations and ".behaviour." not in r
    }
    assert {c.id for c in SHOWN} <= constraint_rules
    assert len({c.id for c in documented.constraints(CURRENT)}) == len(
        documented.constraints(CURRENT)
    )


def test_the_current_list_extends_the_seed_s() -> None:
    """The current scope checks the seed's constraints too, then its own."""
    seed = documented.constraints(SCOPES[0])
    current = documented.constraints(CURRENT)
    assert current[: len(seed)] == seed
    assert documented.shown(SCOPES[0]) == ()


@pytest.mark.parametrize(
    ("reference", "kind"),
    [
        (FAIR_SHARE_QUEUE, "fair-share-queue"),
        (
            ARN.format("ec2-compute-environment", "ec2-compute-environment") + "-3",
            "ec2-compute-environment",
        ),
        (QUEUE, "job-queue"),
        ("arn:aws:batch:us-east-1:123456789012:job-queue/bc12345678-jq-1", None),
        ("queue", None),
    ],
)
def test_known_kinds(reference: str, kind: str | None) -> None:
    """Placeholders say their kind; what the run made is known by its reference; the rest
    is unknown."""
    assert placeholder_kind(reference) == kind
    assert Known().kind_of(reference) == kind
    assert Known({"queue": "fair-share-queue"}).kind_of("queue") == "fair-share-queue"


def test_a_share_identifier_on_an_unknown_queue_is_not_sent() -> None:
    """What the run does not know to be a fair-share queue is not one: a job with a share
    identifier on it breaks the constraint; on one the run made so, it keeps to it."""
    request = {
        "jobName": "j",
        "jobQueue": "q",
        "jobDefinition": "d",
        "shareIdentifier": "s",
        "schedulingPriorityOverride": 1,
    }
    assert documented.violations("SubmitJob", request, CURRENT)
    assert (
        documented.violations("SubmitJob", request, CURRENT, Known({"q": "fair-share-queue"})) == []
    )
    assert documented.violations("SubmitJob", request) == []  # the seed scope knows no such member


def test_current_checks_never_raise_on_wrong_types() -> None:
    """A request of the wrong shape is reported on or ignored, never a crash."""
    members = (
        "computeResources",
        "computeEnvironmentOrder",
        "eksProperties",
        "filters",
        "jobQueue",
        "type",
        "state",
        "updatePolicy",
        "parameters",
    )
    values: tuple[Any, ...] = (None, 3, "x", [1, "a", None], {"type": "FARGATE", "subnets": 3})
    for operation in {c.operation for c in SHOWN}:
        for member in members:
            for value in values:
                documented.violations(operation, {member: value}, CURRENT)
