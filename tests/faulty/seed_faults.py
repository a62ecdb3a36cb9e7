"""The registry of faults of the seed's four operations, each breaking one documented
behaviour (tests/test_detection.py runs the suite once per fault): data."""

from __future__ import annotations

from dataclasses import replace

from tests.faulty import hooks
from tests.faulty.absent_faults import SEED_ABSENT_FAULTS
from tests.faulty.fault import (
    Fault,
    MovedLimit,
    limit_case,
    response_rule_case,
    structure,
    structure_case,
)
from tests.faulty.request_rules import SEED
from tests.proxy_core import client_exception, error_answer

TIMEOUT_MIN = "SubmitJob.timeout.minimum"
JOB_IDS_MAX = "DescribeJobs.jobs.maxItems"
ERROR_CASES = (
    limit_case(TIMEOUT_MIN, "outside", "59"),
    limit_case(JOB_IDS_MAX, "outside", "101items"),
)
ERROR_KEEP = (limit_case(TIMEOUT_MIN, "inside", "60"),)
PAGINATION = "DescribeJobDefinitions.behaviour.pagination"
PAGINATION_KEEP = ("job_definitions::test_lookup[name]",)
STATUS_ENUM = "DescribeJobs.response.status.enum"
CREATED_AT_MS = "DescribeJobs.response.createdAt.epoch-ms"
CHILD_INDEX = "DescribeJobs.response.arrayProperties.index.for-children"


def _faults() -> list[Fault]:
    seed = SEED
    return [
        # ---- too lax -------------------------------------------------------------------
        MovedLimit(
            "lax-submit-timeout-59",
            "SubmitJob accepts a timeout of 59 s",
            TIMEOUT_MIN,
            "SubmitJob",
            replace(seed, timeout_min=59),
            "59",
            "60",
        ).fault(),
        MovedLimit(
            "lax-submit-attempts-11",
            "SubmitJob accepts retryStrategy.attempts 11",
            "SubmitJob.retryStrategy.attempts.range",
            "SubmitJob",
            replace(seed, attempts=(1, 11)),
            "11",
            "10",
        ).fault(),
        MovedLimit(
            "lax-array-size-1",
            "SubmitJob accepts an array of size 1",
            "SubmitJob.arrayProperties.size.range",
            "SubmitJob",
            replace(seed, array_size=(1, 10_000)),
            "1",
            "2",
        ).fault(),
        MovedLimit(
            "lax-depends-on-21",
            "SubmitJob accepts 21 dependencies",
            "SubmitJob.dependsOn.maxItems",
            "SubmitJob",
            replace(seed, depends_on_max=21),
            "21items",
            "20items",
        ).fault(),
        MovedLimit(
            "lax-describe-jobs-101",
            "DescribeJobs accepts 101 job IDs",
            JOB_IDS_MAX,
            "DescribeJobs",
            replace(seed, job_ids_max=101),
            "101items",
            "100items",
        ).fault(),
        MovedLimit(
            "lax-max-results-0",
            "DescribeJobDefinitions accepts maxResults 0",
            "DescribeJobDefinitions.maxResults.range",
            "DescribeJobDefinitions",
            replace(seed, max_results=(0, 100)),
            "0",
            "1",
        ).fault(),
        MovedLimit(
            "lax-job-name-leading-hyphen",
            "SubmitJob accepts a jobName starting with a hyphen",
            "SubmitJob.jobName.charset",
            "SubmitJob",
            replace(seed, job_name_first_alnum=False),
            "leading-hyphen",
            "valid-chars",
        ).fault(),
        MovedLimit(
            "lax-env-aws-batch",
            "RegisterJobDefinition accepts an AWS_BATCH_ environment name",
            "RegisterJobDefinition.containerProperties.environment.name.reserved",
            "RegisterJobDefinition",
            replace(seed, reserved_env_prefix=None),
            "AWS_BATCH_TEST",
            "ordinary-name",
        ).fault(),
        MovedLimit(
            "lax-describe-jobs-without-jobs",
            "DescribeJobs accepts a request without jobs",
            "DescribeJobs.required",
            "DescribeJobs",
            replace(seed, jobs_required=False),
            "without-jobs",
            "all-present",
        ).fault(),
        Fault(
            "lax-vcpus-0",
            "RegisterJobDefinition accepts vcpus 0 (and quietly registers 1)",
            frozenset({"RegisterJobDefinition.containerProperties.vcpus.minimum"}),
            (
                limit_case(
                    "RegisterJobDefinition.containerProperties.vcpus.minimum", "outside", "0"
                ),
            ),
            (limit_case("RegisterJobDefinition.containerProperties.vcpus.minimum", "inside", "1"),),
            operation="RegisterJobDefinition",
            request=hooks.clamp_vcpus,
        ),
        # ---- too strict by one ---------------------------------------------------------
        MovedLimit(
            "strict-submit-timeout-60",
            "SubmitJob refuses a timeout of 60 s",
            TIMEOUT_MIN,
            "SubmitJob",
            replace(seed, timeout_min=61),
            "60",
            "59",
        ).fault(),
        MovedLimit(
            "strict-register-attempts-10",
            "RegisterJobDefinition refuses attempts 10",
            "RegisterJobDefinition.retryStrategy.attempts.range",
            "RegisterJobDefinition",
            replace(seed, attempts=(1, 9)),
            "10",
            "11",
        ).fault(),
        MovedLimit(
            "strict-array-size-10000",
            "SubmitJob refuses an array of size 10,000",
            "SubmitJob.arrayProperties.size.range",
            "SubmitJob",
            replace(seed, array_size=(2, 9_999)),
            "10000",
            "10001",
        ).fault(),
        MovedLimit(
            "strict-job-name-128",
            "SubmitJob refuses a jobName of 128 characters",
            "SubmitJob.jobName.length",
            "SubmitJob",
            replace(seed, name_max=127),
            "128chars",
            "129chars",
        ).fault(),
        # ---- refusals of the wrong shape -----------------------------------------------
        Fault(
            "server-exception",
            "refuses with HTTP 500 ServerException instead of 400 ClientException",
            frozenset({TIMEOUT_MIN, JOB_IDS_MAX}),
            ERROR_CASES,
            ERROR_KEEP,
            evidence=("http-status-400", "500"),
            refuse=lambda message: error_answer(500, "ServerException", message),
        ),
        Fault(
            "validation-exception",
            "refuses with HTTP 400 ValidationException instead of ClientException",
            frozenset({TIMEOUT_MIN, JOB_IDS_MAX}),
            ERROR_CASES,
            ERROR_KEEP,
            evidence=("error-code-ClientException", "ValidationException"),
            refuse=lambda message: error_answer(400, "ValidationException", message),
        ),
        Fault(
            "empty-message",
            "refuses with 400 ClientException but an empty message",
            frozenset({TIMEOUT_MIN, JOB_IDS_MAX}),
            ERROR_CASES,
            ERROR_KEEP,
            evidence=("error-message-present", "''"),
            refuse=lambda _message: client_exception(""),
        ),
        # ---- answers of the wrong shape: one verdict, for the rule the answer breaks ----
        Fault(
            "missing-job-definition-arn",
            "RegisterJobDefinition answers without jobDefinitionArn",
            frozenset({structure("RegisterJobDefinition")}),
            (structure_case("RegisterJobDefinition"),),
            # they read that answer, then find the definition as name:revision
            ("job_definitions::test_timeout_kept", "job_definitions::test_lookup[arn]"),
            evidence=("response-schema", "'jobDefinitionArn' is a required property"),
            operation="RegisterJobDefinition",
            response=hooks.drop_answer("jobDefinitionArn"),
            nulls=True,
        ),
        Fault(
            "missing-job-id",
            "SubmitJob answers without jobId",
            frozenset({structure("SubmitJob")}),
            (structure_case("SubmitJob"),),
            evidence=("response-schema", "'jobId' is a required property"),
            operation="SubmitJob",
            response=hooks.drop_answer("jobId"),
        ),
        Fault(
            "revision-as-string",
            "RegisterJobDefinition answers revision as a string",
            frozenset({structure("RegisterJobDefinition")}),
            (structure_case("RegisterJobDefinition"),),
            ("job_definitions::test_timeout_kept",),  # reads that answer, needs only the ARN
            evidence=("response-schema", "$.revision"),
            operation="RegisterJobDefinition",
            response=hooks.revision_as_string,
        ),
        Fault(
            "status-done",
            "DescribeJobs reports job status DONE, not a documented status",
            frozenset({STATUS_ENUM}),
            (response_rule_case(STATUS_ENUM),),
            ("jobs::test_timeout_override",),  # reads such answers, asks only for the timeout
            evidence=("response-schema", STATUS_ENUM),
            operation="DescribeJobs",
            response=hooks.each_job(hooks.status_done),
        ),
        Fault(
            "created-at-seconds",
            "DescribeJobs reports createdAt in seconds, not milliseconds",
            frozenset({CREATED_AT_MS}),
            (response_rule_case(CREATED_AT_MS),),
            ("jobs::test_timeout_override",),
            evidence=("response-schema", CREATED_AT_MS),
            operation="DescribeJobs",
            response=hooks.each_job(hooks.created_at_seconds),
        ),
        # ---- pagination ----------------------------------------------------------------
        Fault(
            "pagination-ignores-max-results",
            "DescribeJobDefinitions returns everything in one page despite maxResults",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=hooks.whole_list,
        ),
        Fault(
            "pagination-repeats",
            "DescribeJobDefinitions pages overlap: each page repeats the last item",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=hooks.overlapping,
        ),
        Fault(
            "pagination-endless",
            "DescribeJobDefinitions always sends a nextToken, even after the last page",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=hooks.endless,
        ),
        Fault(
            "pagination-skips",
            "DescribeJobDefinitions pages skip the item after each page",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=hooks.skipping,
            nulls=True,
        ),
        Fault(
            "max-results-first-page-only",
            "DescribeJobDefinitions ignores maxResults after the first page",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=hooks.first_page_only,
            nulls=True,
        ),
        # ---- ignored overrides ---------------------------------------------------------
        Fault(
            "ignored-timeout-override",
            "SubmitJob's timeout is ignored: the job keeps the definition's",
            frozenset({"SubmitJob.behaviour.timeout-override"}),
            ("jobs::test_timeout_override",),
            ("job_definitions::test_timeout_kept",),
            operation="SubmitJob",
            request=hooks.without("timeout"),
        ),
        Fault(
            "ignored-parameters",
            "SubmitJob's parameters are ignored: the job keeps the definition's defaults",
            frozenset({"SubmitJob.behaviour.parameters"}),
            ("jobs::test_parameters_override",),
            operation="SubmitJob",
            request=hooks.without("parameters"),
        ),
        Fault(
            "ignored-container-overrides",
            "SubmitJob's containerOverrides are ignored",
            frozenset({"SubmitJob.behaviour.container-overrides"}),
            ("jobs::test_container_overrides",),
            operation="SubmitJob",
            request=hooks.without("containerOverrides"),
        ),
        Fault(
            "ignored-retry-strategy",
            "SubmitJob's retryStrategy is ignored: the job keeps the definition's",
            frozenset({"SubmitJob.behaviour.retry-strategy"}),
            ("jobs::test_retry_strategy",),
            operation="SubmitJob",
            request=hooks.without("retryStrategy"),
        ),
        Fault(
            "timeout-not-kept",
            "DescribeJobDefinitions leaves out the registered timeout",
            frozenset({"RegisterJobDefinition.behaviour.timeout-kept"}),
            ("job_definitions::test_timeout_kept",),
            operation="DescribeJobDefinitions",
            response=hooks.drop_timeouts,
        ),
        Fault(
            "timeout-null",
            "DescribeJobDefinitions answers the registered timeout as null",
            frozenset({"RegisterJobDefinition.behaviour.timeout-kept"}),
            ("job_definitions::test_timeout_kept",),
            ("job_definitions::test_lookup[arn]",),
            operation="DescribeJobDefinitions",
            response=hooks.drop_timeouts,  # and nulls put null where it was
            nulls=True,
        ),
        # ---- jobs and lookups ----------------------------------------------------------
        Fault(
            "array-child-without-index",
            "array children come without arrayProperties.index",
            # the case that reads the children, and the answer rule every child breaks
            frozenset({"SubmitJob.behaviour.array-job", CHILD_INDEX}),
            ("jobs::test_array_job", response_rule_case(CHILD_INDEX)),
            ("jobs::test_array_children_timeout",),
            operation="DescribeJobs",
            response=hooks.each_job(hooks.drop_index),
        ),
        Fault(
            "unknown-id-error",
            "DescribeJobs refuses a list holding an unknown job ID",
            frozenset({"DescribeJobs.behaviour.unknown-id"}),
            ("jobs::test_unknown_id_absent",),
            ("jobs::test_submit_answers_name_and_id",),
            operation="DescribeJobs",
            response=hooks.unknown_id_error,
        ),
        Fault(
            "depends-on-dropped",
            "DescribeJobs leaves out dependsOn",
            frozenset({"SubmitJob.behaviour.depends-on"}),
            tuple(f"jobs::test_depends_on_echoed[{k}]" for k in ("plain", "N_TO_N", "SEQUENTIAL")),
            operation="DescribeJobs",
            response=hooks.each_job(hooks.drop_depends_on),
        ),
        Fault(
            "lookup-ignores-revision",
            "DescribeJobDefinitions by name:revision returns every revision",
            frozenset({"DescribeJobDefinitions.behaviour.lookup"}),
            ("job_definitions::test_lookup[name-revision]",),
            ("job_definitions::test_lookup[name]", "job_definitions::test_lookup[arn]"),
            operation="DescribeJobDefinitions",
            request=hooks.name_revision_as_name,
        ),
        Fault(
            "status-filter-ignored",
            "DescribeJobDefinitions ignores the status filter",
            frozenset({"DescribeJobDefinitions.behaviour.status-filter"}),
            ("job_definitions::test_active_filter",),
            operation="DescribeJobDefinitions",
            request=hooks.without("status"),
        ),
    ]


FAULTS: dict[str, Fault] = {fault.name: fault for fault in (*_faults(), *SEED_ABSENT_FAULTS)}
