"""What AWS states beyond the seed: every check bites; no request sent as valid breaks one."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from conformance.boundaries import Boundary, derived_boundaries
from conformance.context import PLACEHOLDER_JOB_ROLE_ARN, Context, placeholder_context
from conformance.documented import CONSTRAINTS, violations
from conformance.generation import bind, requests_of
from conformance.realistic import full_request, members, request_setting
from conformance.requests import RequestBuilder
from conformance.schemas import load_schema, validator
from conformance.scopes import SEED

GENERATED_PER_OPERATION = 200
ROLE = "arn:aws:iam::123456789012:role/bc12345678-job-role"
JOB = {"jobName": "bc-job-1", "jobQueue": "queue", "jobDefinition": "definition"}


def _definition(**container: Any) -> dict[str, Any]:
    return {
        "jobDefinitionName": "bc-jd-1",
        "type": "container",
        "containerProperties": {"image": "busybox", "vcpus": 1, "memory": 128, **container},
    }


ARRAY = {"arrayProperties": {"size": 2}}
VOLUME = {"name": "scratch", "host": {"sourcePath": "/tmp/scratch"}}
MOUNT = {"containerPath": "/scratch", "readOnly": True, "sourceVolume": "scratch"}
ARN = "arn:aws:batch:us-east-1:123456789012:job-definition/bc-jd-1:1"

# (constraint id, operation, a request that breaks it, one that keeps to it)
EXAMPLES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    (
        "RegisterJobDefinition.containerProperties.jobRoleArn.role-arn",
        "RegisterJobDefinition",
        _definition(jobRoleArn="jy1"),
        _definition(jobRoleArn=ROLE),
    ),
    (
        "RegisterJobDefinition.containerProperties.ulimits.name.valid-values",
        "RegisterJobDefinition",
        _definition(ulimits=[{"name": "0JKY1v", "softLimit": 1, "hardLimit": 2}]),
        _definition(ulimits=[{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}]),
    ),
    (
        "RegisterJobDefinition.containerProperties.user.form",
        "RegisterJobDefinition",
        _definition(user="AEPsnu"),
        _definition(user="nobody"),
    ),
    (
        "RegisterJobDefinition.containerProperties.mountPoints.sourceVolume.names-a-volume",
        "RegisterJobDefinition",
        _definition(mountPoints=[{**MOUNT, "sourceVolume": "other"}], volumes=[VOLUME]),
        _definition(mountPoints=[MOUNT], volumes=[VOLUME]),
    ),
    (
        "RegisterJobDefinition.containerProperties.volumes.name.unique",
        "RegisterJobDefinition",
        _definition(volumes=[VOLUME, VOLUME]),
        _definition(volumes=[VOLUME, {**VOLUME, "name": "other"}]),
    ),
    (
        "RegisterJobDefinition.timeout.non-empty",
        "RegisterJobDefinition",
        {**_definition(), "timeout": {}},
        {**_definition(), "timeout": {"attemptDurationSeconds": 60}},
    ),
    (
        "SubmitJob.containerOverrides.job-definition-minimums",
        "SubmitJob",
        {**JOB, "containerOverrides": {"memory": 3}},
        {**JOB, "containerOverrides": {"memory": 4, "vcpus": 1}},
    ),
    (
        "SubmitJob.containerOverrides.job-definition-minimums",
        "SubmitJob",
        {**JOB, "containerOverrides": {"vcpus": 0}},
        {**JOB, "containerOverrides": {"vcpus": 2}},
    ),
    (
        "SubmitJob.dependsOn.N_TO_N.array-job",
        "SubmitJob",
        {**JOB, "dependsOn": [{"jobId": "j-1", "type": "N_TO_N"}]},
        {**JOB, **ARRAY, "dependsOn": [{"jobId": "j-1", "type": "N_TO_N"}]},
    ),
    (
        "SubmitJob.dependsOn.N_TO_N.array-job",
        "SubmitJob",
        {**JOB, **ARRAY, "dependsOn": [{"type": "N_TO_N"}]},
        {**JOB, **ARRAY, "dependsOn": [{"jobId": "j-1", "type": "N_TO_N"}]},
    ),
    (
        "SubmitJob.dependsOn.SEQUENTIAL.array-job",
        "SubmitJob",
        {**JOB, "dependsOn": [{"type": "SEQUENTIAL"}]},
        {**JOB, **ARRAY, "dependsOn": [{"type": "SEQUENTIAL"}]},
    ),
    (
        "SubmitJob.dependsOn.SEQUENTIAL.array-job",
        "SubmitJob",
        {**JOB, **ARRAY, "dependsOn": [{"jobId": "j-1", "type": "SEQUENTIAL"}]},
        {**JOB, **ARRAY, "dependsOn": [{"type": "SEQUENTIAL"}]},
    ),
    (
        "SubmitJob.dependsOn.jobId",
        "SubmitJob",
        {**JOB, "dependsOn": [{}]},
        {**JOB, "dependsOn": [{"jobId": "j-1"}]},
    ),
    (
        "SubmitJob.timeout.non-empty",
        "SubmitJob",
        {**JOB, "timeout": {}},
        {**JOB, "timeout": {"attemptDurationSeconds": 60}},
    ),
    (
        "SubmitJob.arrayProperties.non-empty",
        "SubmitJob",
        {**JOB, "arrayProperties": {}},
        {**JOB, **ARRAY},
    ),
    (
        "DescribeJobDefinitions.jobDefinitions.form",
        "DescribeJobDefinitions",
        {"jobDefinitions": ["bc-absent-1"]},
        {"jobDefinitions": ["bc-absent-1:1", ARN]},
    ),
    (
        "DescribeJobDefinitions.jobDefinitions.alone",
        "DescribeJobDefinitions",
        {"jobDefinitions": [ARN], "status": "ACTIVE"},
        {"jobDefinitions": [ARN]},
    ),
    (
        "DescribeJobDefinitions.jobDefinitions.alone",
        "DescribeJobDefinitions",
        {"jobDefinitions": ["bc-jd-1:1"], "jobDefinitionName": "bc-jd-1", "maxResults": 5},
        {"jobDefinitionName": "bc-jd-1", "maxResults": 5, "status": "ACTIVE"},
    ),
    (
        "DescribeJobs.jobs.non-empty",
        "DescribeJobs",
        {"jobs": []},
        {"jobs": ["00000000-0000-0000-0000-000000000000"]},
    ),
]


def _broken(operation: str, request: dict[str, Any]) -> set[str]:
    return {line.split(":", 1)[0] for line in violations(operation, request)}


@pytest.mark.parametrize(
    ("constraint", "operation", "bad", "good"), EXAMPLES, ids=[e[0] for e in EXAMPLES]
)
def test_check_flags_the_bad_and_passes_the_good(
    constraint: str, operation: str, bad: dict[str, Any], good: dict[str, Any]
) -> None:
    """Each check names exactly its constraint in a bad request and is silent on a good one."""
    assert _broken(operation, bad) == {constraint}
    assert violations(operation, good) == []
    assert list(validator(f"{operation}.request").iter_errors(good)) == []


def test_every_constraint_has_examples() -> None:
    """No check without a bad example; every line carries its basis and quote."""
    assert {c.id for c in CONSTRAINTS} == {e[0] for e in EXAMPLES}
    assert len({c.id for c in CONSTRAINTS}) == len(CONSTRAINTS)
    line = violations("DescribeJobs", {"jobs": []})[0]
    assert line.startswith("DescribeJobs.jobs.non-empty: jobs is empty ([]) (unverified: ")
    assert "“A list of up to 100 job IDs.”" in line


def test_violations_are_one_line_each() -> None:
    """A request breaking several constraints gets one line per broken place."""
    request = {**JOB, "dependsOn": [{"jobId": "j", "type": "N_TO_N"}, {"type": "SEQUENTIAL"}]}
    found = violations("SubmitJob", request)
    assert len(found) == 2
    assert all("\n" not in line for line in found)


def test_checks_never_raise_on_wrong_types() -> None:
    """A request of the wrong shape is reported on or ignored, never a crash."""
    for operation in SEED.operations:
        for member in ("containerProperties", "dependsOn", "jobDefinitions", "jobs", "timeout"):
            for value in (None, 3, "x", [1, "a", None], {"ulimits": "x", "volumes": [3]}):
                violations(operation, {member: value})


# -- what the suite sends where it expects acceptance: no documented constraint broken ------


def _keeps_to_everything(operation: str, request: dict[str, Any]) -> None:
    assert violations(operation, request) == []
    errors = list(validator(f"{operation}.request").iter_errors(request))
    assert errors == [], [e.message for e in errors]


def _inside_boundaries() -> list[Boundary]:
    return [boundary for boundary in derived_boundaries(SEED) if boundary.expect_accepted]


@pytest.mark.parametrize("boundary", _inside_boundaries(), ids=lambda b: b.id)
def test_inside_boundary_requests_are_documented(boundary: Boundary) -> None:
    """Every boundary case that expects acceptance sends a request AWS documents as valid."""
    operation = boundary.rule.operation
    _keeps_to_everything(
        operation, boundary.request(RequestBuilder(operation, placeholder_context(), SEED))
    )


def test_dependency_type_cases_are_array_jobs() -> None:
    """N_TO_N: an array job on an array job's ID; SEQUENTIAL: an array job, no job ID."""
    ctx = placeholder_context()
    found = {b.id: b for b in _inside_boundaries()}
    n_to_n = found["SubmitJob.dependsOn.type.enum:inside:N_TO_N"].request(
        RequestBuilder("SubmitJob", ctx, SEED)
    )
    assert n_to_n["arrayProperties"] == {"size": 2}
    assert n_to_n["dependsOn"] == [{"jobId": ctx.array_jobs(1)[0], "type": "N_TO_N"}]
    sequential = found["SubmitJob.dependsOn.type.enum:inside:SEQUENTIAL"].request(
        RequestBuilder("SubmitJob", ctx, SEED)
    )
    assert sequential["arrayProperties"] == {"size": 2}
    assert sequential["dependsOn"] == [{"type": "SEQUENTIAL"}]


ROUND_TRIP = ("RegisterJobDefinition", "SubmitJob")


@pytest.mark.parametrize(
    ("operation", "member"),
    [
        (operation, member)
        for operation in ROUND_TRIP
        for member in members(operation, load_schema(f"{operation}.request"), SEED)
    ],
    ids=lambda value: getattr(value, "dotted", value),
)
def test_round_trip_requests_are_documented(operation: str, member: Any) -> None:
    """The request of every round-trip case keeps to what AWS documents."""
    request, _sent = request_setting(member, RequestBuilder(operation, placeholder_context(), SEED))
    _keeps_to_everything(operation, request)


@pytest.mark.parametrize("operation", ROUND_TRIP)
def test_full_request_is_documented(operation: str) -> None:
    """The rich request every response case registers or submits first is documented."""
    _keeps_to_everything(
        operation, full_request(operation, RequestBuilder(operation, placeholder_context(), SEED))
    )


def test_job_role_comes_from_the_context() -> None:
    """jobRoleArn names the run's role: in the rich definition, its round trip, and generated."""
    ctx = dataclasses.replace(placeholder_context(), job_role_arn=ROLE)
    builder = RequestBuilder("RegisterJobDefinition", ctx, SEED)
    rich = full_request("RegisterJobDefinition", builder)
    assert rich["containerProperties"]["jobRoleArn"] == ROLE
    (member,) = [
        m
        for m in members("RegisterJobDefinition", builder.schema, SEED)
        if m.path[-1] == "jobRoleArn"
    ]
    assert request_setting(member, builder)[1] == ROLE
    bound = bind("RegisterJobDefinition", _definition(jobRoleArn="jy1"), ctx, SEED)
    assert bound["containerProperties"]["jobRoleArn"] == ROLE


# What the hand-written cases send (conformance/cases/test_jobs.py, test_job_definitions.py,
# test_responses.py, casekit's register/submit): `Batch.accept` checks these at run time too.
HAND_WRITTEN: list[tuple[str, dict[str, Any]]] = [
    ("RegisterJobDefinition", _definition()),
    ("RegisterJobDefinition", {**_definition(), "timeout": {"attemptDurationSeconds": 120}}),
    ("RegisterJobDefinition", {**_definition(), "retryStrategy": {"attempts": 2}}),
    ("DescribeJobDefinitions", {"jobDefinitionName": "bc-look-1"}),
    ("DescribeJobDefinitions", {"jobDefinitions": ["bc-look-1:2"]}),
    ("DescribeJobDefinitions", {"jobDefinitions": [ARN]}),
    ("DescribeJobDefinitions", {"jobDefinitionName": "bc-status-1", "status": "ACTIVE"}),
    (
        "DescribeJobDefinitions",
        {"jobDefinitionName": "bc-page-1", "maxResults": 2, "nextToken": "opaque"},
    ),
    ("SubmitJob", {**JOB, "dependsOn": [{"jobId": "j-1"}]}),
    ("SubmitJob", {**JOB, **ARRAY, "dependsOn": [{"jobId": "a-1", "type": "N_TO_N"}]}),
    ("SubmitJob", {**JOB, **ARRAY, "dependsOn": [{"type": "SEQUENTIAL"}]}),
    ("SubmitJob", {**JOB, **ARRAY, "dependsOn": []}),
    ("SubmitJob", {**JOB, "arrayProperties": {"size": 3}}),
    ("SubmitJob", {**JOB, **ARRAY, "timeout": {"attemptDurationSeconds": 180}}),
    (
        "SubmitJob",
        {**JOB, "containerOverrides": {"vcpus": 2, "memory": 256, "command": ["echo", "job"]}},
    ),
    ("DescribeJobs", {"jobs": ["j-1", "00000000-0000-4000-8000-000000000000"]}),
    ("DescribeJobs", {"jobs": ["a-1", "a-1:0", "a-1:1"]}),
]


@pytest.mark.parametrize(("operation", "request_"), HAND_WRITTEN)
def test_hand_written_requests_are_documented(operation: str, request_: dict[str, Any]) -> None:
    """What the behaviour cases send as valid breaks no documented constraint."""
    _keeps_to_everything(operation, request_)


def test_context_defaults_keep_old_constructors_working() -> None:
    """A Context built with the original five fields has placeholder array jobs and role."""
    base = placeholder_context()
    ctx = Context(base.name, base.job_queue, base.job_definition, base.prefix, base.jobs)
    assert ctx.job_role_arn == PLACEHOLDER_JOB_ROLE_ARN
    assert len(set(ctx.array_jobs(3))) == 3
    assert not set(ctx.array_jobs(3)) & set(ctx.jobs(3))


def test_bind_makes_parts_agree() -> None:
    """Mount points get volumes of their own request; volume names are made unique."""
    ctx = placeholder_context()
    mounts = [{**MOUNT, "sourceVolume": "x.y"}, {**MOUNT, "sourceVolume": "z"}]
    bound = bind("RegisterJobDefinition", _definition(mountPoints=mounts), ctx, SEED)
    assert violations("RegisterJobDefinition", bound) == []
    assert len(bound["containerProperties"]["volumes"]) == 2
    twice = _definition(volumes=[VOLUME, VOLUME], mountPoints=[MOUNT, MOUNT])
    bound = bind("RegisterJobDefinition", twice, ctx, SEED)
    names = [v["name"] for v in bound["containerProperties"]["volumes"]]
    assert names[0] == "scratch"
    assert len(set(names)) == 2
    assert violations("RegisterJobDefinition", bound) == []
    filters = {"jobDefinitions": ["a"], "status": "x", "maxResults": 3, "nextToken": "t"}
    bound = bind("DescribeJobDefinitions", filters, ctx, SEED)
    assert bound == {"jobDefinitions": [f"{ctx.prefix}-absent-0:1"]}


@pytest.mark.parametrize("operation", SEED.operations)
def test_generated_requests_are_documented(operation: str) -> None:
    """A few hundred generated requests per operation, bound, keep to what AWS documents."""
    ctx = placeholder_context()

    @settings(
        max_examples=GENERATED_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=requests_of(operation, SEED))
    def documented(request: dict[str, Any]) -> None:
        original = copy.deepcopy(request)
        _keeps_to_everything(operation, bind(operation, request, ctx, SEED))
        assert request == original  # bind works on a copy

    documented()
