"""The registry of faults of today's API beyond the seed's four operations, caught by
`--scope current` runs (tests/test_detection_current.py): data, and their few hooks."""

from __future__ import annotations

from tests.faulty import hooks
from tests.faulty.absent_faults import CURRENT_ABSENT_FAULTS, PRIORITY_RULE
from tests.faulty.fault import Fault, lifecycle_case, limit_case
from tests.faulty.request_rules import Json
from tests.proxy_core import Answer


def _no_tags(_request: Json, answer: Json) -> Json:
    return {**answer, "tags": {}}


def _not_by_arn(request: Json, answer: Json) -> Json:
    """Leave out the compute environments the request named by ARN (found by name only)."""
    named = {str(n) for n in request.get("computeEnvironments") or [] if str(n).startswith("arn:")}
    found = answer.get("computeEnvironments") or []
    kept = [
        e for e in found if not (isinstance(e, dict) and e.get("computeEnvironmentArn") in named)
    ]
    return {**answer, "computeEnvironments": kept}


def not_found_page(_message: str) -> Answer:
    """What a web framework answers for a route it does not know: 404 and an HTML page."""
    page = b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1>"
    return Answer(404, {"Content-Type": "text/html; charset=utf-8"}, page)


IMPLEMENTED_CASE = "operations::test_operation_implemented[{operation}]"


def _current_faults() -> list[Fault]:
    return [
        Fault(
            "lax-queue-priority-1001",
            "CreateJobQueue accepts a priority of 1001",
            frozenset({PRIORITY_RULE}),
            (limit_case(PRIORITY_RULE, "outside", "1001"),),
            (limit_case(PRIORITY_RULE, "inside", "1000"),),
            priority=(0, 1001),
        ),
        Fault(
            "submit-inactive-definition",
            "SubmitJob accepts a deregistered (INACTIVE) job definition",
            frozenset({"SubmitJob.behaviour.inactive-definition-refused"}),
            (lifecycle_case("test_submit_with_deregistered_definition_refused"),),
            (lifecycle_case("test_deregistered_definition_is_inactive"),),
            inactive_refused=False,
        ),
        Fault(
            "list-jobs-ignores-status",
            "ListJobs ignores jobStatus: a job is listed under every status",
            frozenset({"ListJobs.behaviour.status-filter"}),
            (lifecycle_case("test_list_jobs_by_status"),),
            (lifecycle_case("test_list_jobs_by_name"),),
            operation="ListJobs",
            request=hooks.without("jobStatus"),
        ),
        Fault(
            "terminate-leaves-runnable",
            "TerminateJob answers 200 but leaves the job RUNNABLE",
            frozenset({"TerminateJob.behaviour.fails-job"}),
            (lifecycle_case("test_stop_job_fails_it_with_reason[TerminateJob]"),),
            (lifecycle_case("test_stop_job_fails_it_with_reason[CancelJob]"),),
            operation="TerminateJob",
            stops_jobs=False,
            hold_jobs=True,
        ),
        Fault(
            "list-tags-empty",
            "ListTagsForResource answers no tags, whatever the resource has",
            frozenset({"ListTagsForResource.behaviour.creation-tags"}),
            tuple(
                lifecycle_case(f"test_tags_given_at_creation[{kind}]")
                for kind in ("job-queue", "job-definition", "job")
            ),
            (lifecycle_case("test_scheduling_policy_lifecycle"),),
            operation="ListTagsForResource",
            response=_no_tags,
        ),
        Fault(
            "compute-environment-not-by-arn",
            "DescribeComputeEnvironments finds compute environments by name only, not by ARN",
            frozenset({"CreateComputeEnvironment.behaviour.lifecycle"}),
            (lifecycle_case("test_compute_environment_lifecycle"),),
            (lifecycle_case("test_tags_given_at_creation[compute-environment]"),),
            evidence=("listed", "listed when described by its ARN: False"),
            operation="DescribeComputeEnvironments",
            response=_not_by_arn,
        ),
        Fault(
            "list-jobs-not-implemented",
            "ListJobs answers 404 with an HTML page, as an emulator without the route does",
            frozenset({"ListJobs.implemented"}),
            (IMPLEMENTED_CASE.format(operation="ListJobs"),),
            (IMPLEMENTED_CASE.format(operation="DescribeJobs"),),
            operation="ListJobs",
            missing=True,
            refuse=not_found_page,
        ),
        *CURRENT_ABSENT_FAULTS,
    ]


CURRENT_FAULTS: dict[str, Fault] = {fault.name: fault for fault in _current_faults()}
