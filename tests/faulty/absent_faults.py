"""The faults of references to nothing and of optional members (`existence.py`): an
endpoint that accepts a request naming what does not exist (as ministack does), or that
requires a member AWS documents as optional (as moto does). The seed's go into
`seed_faults.FAULTS`, today's API's into `current_faults.CURRENT_FAULTS`."""

from __future__ import annotations

from tests.faulty import hooks
from tests.faulty.existence import SERVICE_ROLE, STATE
from tests.faulty.fault import Fault, limit_case, optional_case, reference_cases

SUBMIT_ECHO = "jobs::test_submit_answers_name_and_id"
QUEUE_ORDER_RULE = "CreateJobQueue.computeEnvironmentOrder.computeEnvironment.exists"
PRIORITY_RULE = "CreateJobQueue.priority.range"

SEED_ABSENT_FAULTS = (
    Fault(
        "submit-to-absent-queue",
        "SubmitJob to a job queue that does not exist is accepted (as ministack does)",
        frozenset({"SubmitJob.jobQueue.exists"}),
        reference_cases("SubmitJob.jobQueue.exists", "name", "arn"),
        (*reference_cases("SubmitJob.jobDefinition.exists", "name"), SUBMIT_ECHO),
        accepts_absent=frozenset({"SubmitJob.jobQueue"}),
    ),
    Fault(
        "submit-with-absent-definition",
        "SubmitJob with a job definition that does not exist is accepted (as ministack does)",
        frozenset({"SubmitJob.jobDefinition.exists"}),
        reference_cases("SubmitJob.jobDefinition.exists", "name", "name-revision", "arn"),
        reference_cases("SubmitJob.jobQueue.exists", "name"),
        accepts_absent=frozenset({"SubmitJob.jobDefinition"}),
    ),
    Fault(
        "depends-on-absent-job",
        "SubmitJob depending on a job that does not exist is accepted (as moto does)",
        frozenset({"SubmitJob.dependsOn.jobId.exists"}),
        reference_cases("SubmitJob.dependsOn.jobId.exists", "id"),
        ("jobs::test_depends_on_echoed[plain]",),
        accepts_absent=frozenset({"SubmitJob.dependsOn"}),
    ),
    Fault(
        "definitions-need-status",
        "DescribeJobDefinitions refuses a request without status, an optional member",
        frozenset({"DescribeJobDefinitions.required-only"}),
        (optional_case("DescribeJobDefinitions"),),
        ("job_definitions::test_active_filter",),
        operation="DescribeJobDefinitions",
        response=hooks.needs("status"),
    ),
)


CURRENT_ABSENT_FAULTS = (
    Fault(
        "queue-orders-absent-environment",
        "CreateJobQueue accepts a computeEnvironmentOrder naming a compute environment that"
        " does not exist (as ministack does)",
        frozenset({QUEUE_ORDER_RULE}),
        reference_cases(QUEUE_ORDER_RULE, "name", "arn"),
        (optional_case("CreateJobQueue"),),
        accepts_absent=frozenset({"CreateJobQueue.computeEnvironmentOrder"}),
    ),
    Fault(
        "current-submit-to-absent-queue",
        "SubmitJob of today's API to a job queue that does not exist is accepted (as"
        " ministack does)",
        frozenset({"SubmitJob.jobQueue.exists"}),
        reference_cases("SubmitJob.jobQueue.exists", "name", "arn"),
        reference_cases("SubmitJob.jobDefinition.exists", "name"),
        accepts_absent=frozenset({"SubmitJob.jobQueue"}),
    ),
    Fault(
        "managed-environment-needs-service-role",
        "CreateComputeEnvironment refuses a MANAGED environment without serviceRole (as moto does)",
        frozenset({"CreateComputeEnvironment.required-only"}),
        (optional_case("CreateComputeEnvironment:MANAGED"),),
        (optional_case("CreateComputeEnvironment"),),
        unrepaired=frozenset({SERVICE_ROLE}),
    ),
    Fault(
        "queue-needs-state",
        "CreateJobQueue refuses a request without state (as moto does)",
        frozenset({"CreateJobQueue.required-only"}),
        (optional_case("CreateJobQueue"),),
        (limit_case(PRIORITY_RULE, "inside", "0"),),
        unrepaired=frozenset({STATE}),
    ),
)
