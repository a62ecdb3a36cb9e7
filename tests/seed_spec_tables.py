"""The seed's limits as the issue requires them, written out by hand: data that
tests/test_specs.py holds the generated schemas to (limits, response types, bites)."""

from __future__ import annotations

from typing import Any

from conformance.schemas import all_schemas, iter_rules
from conformance.scopes import SEED
from tests.answer_bites import answer_bites

JOB = "/properties/jobs/items/properties"
DEF = "/properties/jobDefinitions/items/properties"
CP = "/properties/containerProperties/properties"
MS = 1_000_000_000_000

# Every limit the issue requires: rule id -> (schema, pointer, keywords it must have set).
REQUIRED_LIMITS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "SubmitJob.timeout.minimum": (
        "SubmitJob.request",
        "/properties/timeout/properties/attemptDurationSeconds",
        {"minimum": 60},
    ),
    "RegisterJobDefinition.timeout.minimum": (
        "RegisterJobDefinition.request",
        "/properties/timeout/properties/attemptDurationSeconds",
        {"minimum": 60},
    ),
    "SubmitJob.retryStrategy.attempts.range": (
        "SubmitJob.request",
        "/properties/retryStrategy/properties/attempts",
        {"minimum": 1, "maximum": 10},
    ),
    "RegisterJobDefinition.retryStrategy.attempts.range": (
        "RegisterJobDefinition.request",
        "/properties/retryStrategy/properties/attempts",
        {"minimum": 1, "maximum": 10},
    ),
    "SubmitJob.retryStrategy.attempts.required": (
        "SubmitJob.request",
        "/properties/retryStrategy",
        {"required": ["attempts"]},
    ),
    "RegisterJobDefinition.retryStrategy.attempts.required": (
        "RegisterJobDefinition.request",
        "/properties/retryStrategy",
        {"required": ["attempts"]},
    ),
    "SubmitJob.arrayProperties.size.range": (
        "SubmitJob.request",
        "/properties/arrayProperties/properties/size",
        {"minimum": 2, "maximum": 10000},
    ),
    "SubmitJob.jobName.length": (
        "SubmitJob.request",
        "/properties/jobName",
        {"minLength": 1, "maxLength": 128},
    ),
    "SubmitJob.jobName.charset": (
        "SubmitJob.request",
        "/properties/jobName",
        {"pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$"},
    ),
    "SubmitJob.dependsOn.maxItems": (
        "SubmitJob.request",
        "/properties/dependsOn",
        {"maxItems": 20},
    ),
    "SubmitJob.dependsOn.type.enum": (
        "SubmitJob.request",
        "/properties/dependsOn/items/properties/type",
        {"enum": ["N_TO_N", "SEQUENTIAL"]},
    ),
    "SubmitJob.containerOverrides.environment.name.reserved": (
        "SubmitJob.request",
        "/properties/containerOverrides/properties/environment/items/properties/name",
        {"not": {"pattern": "^AWS_BATCH"}},
    ),
    "SubmitJob.required": (
        "SubmitJob.request",
        "",
        {"required": ["jobName", "jobQueue", "jobDefinition"]},
    ),
    "RegisterJobDefinition.jobDefinitionName.length": (
        "RegisterJobDefinition.request",
        "/properties/jobDefinitionName",
        {"minLength": 1, "maxLength": 128},
    ),
    "RegisterJobDefinition.jobDefinitionName.charset": (
        "RegisterJobDefinition.request",
        "/properties/jobDefinitionName",
        {"pattern": "^[A-Za-z0-9_-]+$"},
    ),
    "RegisterJobDefinition.type.enum": (
        "RegisterJobDefinition.request",
        "/properties/type",
        {"enum": ["container"]},
    ),
    "RegisterJobDefinition.containerProperties.required-for-container": (
        "RegisterJobDefinition.request",
        "",
        {
            "if": {"properties": {"type": {"const": "container"}}, "required": ["type"]},
            "then": {"required": ["containerProperties"]},
        },
    ),
    "RegisterJobDefinition.containerProperties.vcpus.minimum": (
        "RegisterJobDefinition.request",
        f"{CP}/vcpus",
        {"minimum": 1},
    ),
    "RegisterJobDefinition.containerProperties.memory.minimum": (
        "RegisterJobDefinition.request",
        f"{CP}/memory",
        {"minimum": 4},
    ),
    "RegisterJobDefinition.containerProperties.image.length": (
        "RegisterJobDefinition.request",
        f"{CP}/image",
        {"minLength": 1, "maxLength": 255},
    ),
    "RegisterJobDefinition.containerProperties.image.charset": (
        "RegisterJobDefinition.request",
        f"{CP}/image",
        {"pattern": "^[A-Za-z0-9_:./#-]+$"},
    ),
    "RegisterJobDefinition.containerProperties.required": (
        "RegisterJobDefinition.request",
        "/properties/containerProperties",
        {"required": ["image", "vcpus", "memory"]},
    ),
    "RegisterJobDefinition.containerProperties.environment.name.reserved": (
        "RegisterJobDefinition.request",
        f"{CP}/environment/items/properties/name",
        {"not": {"pattern": "^AWS_BATCH"}},
    ),
    "RegisterJobDefinition.containerProperties.volumes.name.length": (
        "RegisterJobDefinition.request",
        f"{CP}/volumes/items/properties/name",
        {"minLength": 1, "maxLength": 255},
    ),
    "RegisterJobDefinition.containerProperties.volumes.name.charset": (
        "RegisterJobDefinition.request",
        f"{CP}/volumes/items/properties/name",
        {"pattern": "^[A-Za-z0-9_-]+$"},
    ),
    "RegisterJobDefinition.required": (
        "RegisterJobDefinition.request",
        "",
        {"required": ["jobDefinitionName", "type"]},
    ),
    "DescribeJobs.jobs.maxItems": ("DescribeJobs.request", "/properties/jobs", {"maxItems": 100}),
    "DescribeJobs.required": ("DescribeJobs.request", "", {"required": ["jobs"]}),
    "DescribeJobDefinitions.maxResults.range": (
        "DescribeJobDefinitions.request",
        "/properties/maxResults",
        {"minimum": 1, "maximum": 100},
    ),
    "DescribeJobDefinitions.jobDefinitions.maxItems": (
        "DescribeJobDefinitions.request",
        "/properties/jobDefinitions",
        {"maxItems": 100},
    ),
    "DescribeJobs.response.status.enum": (
        "DescribeJobs.response",
        f"{JOB}/status",
        {
            "enum": [
                "SUBMITTED",
                "PENDING",
                "RUNNABLE",
                "STARTING",
                "RUNNING",
                "SUCCEEDED",
                "FAILED",
            ]
        },
    ),
    "DescribeJobs.response.createdAt.epoch-ms": (
        "DescribeJobs.response",
        f"{JOB}/createdAt",
        {"minimum": MS},
    ),
    "DescribeJobs.response.startedAt.epoch-ms": (
        "DescribeJobs.response",
        f"{JOB}/startedAt",
        {"minimum": MS},
    ),
    "DescribeJobs.response.stoppedAt.epoch-ms": (
        "DescribeJobs.response",
        f"{JOB}/stoppedAt",
        {"minimum": MS},
    ),
    "DescribeJobs.response.attempts.startedAt.epoch-ms": (
        "DescribeJobs.response",
        f"{JOB}/attempts/items/properties/startedAt",
        {"minimum": MS},
    ),
    "DescribeJobs.response.attempts.stoppedAt.epoch-ms": (
        "DescribeJobs.response",
        f"{JOB}/attempts/items/properties/stoppedAt",
        {"minimum": MS},
    ),
    "DescribeJobs.response.dependsOn.type.enum": (
        "DescribeJobs.response",
        f"{JOB}/dependsOn/items/properties/type",
        {"enum": ["N_TO_N", "SEQUENTIAL"]},
    ),
    "DescribeJobDefinitions.response.revision.minimum": (
        "DescribeJobDefinitions.response",
        f"{DEF}/revision",
        {"minimum": 1},
    ),
    "RegisterJobDefinition.response.revision.minimum": (
        "RegisterJobDefinition.response",
        "/properties/revision",
        {"minimum": 1},
    ),
    "DescribeJobs.response.container.reason.maxLength": (
        "DescribeJobs.response",
        f"{JOB}/container/properties/reason",
        {"maxLength": 255},
    ),
    "DescribeJobs.response.attempts.container.reason.maxLength": (
        "DescribeJobs.response",
        f"{JOB}/attempts/items/properties/container/properties/reason",
        {"maxLength": 255},
    ),
}

# Types the issue requires in responses: (schema, pointer) -> JSON type.
RESPONSE_TYPES: dict[tuple[str, str], str] = {
    ("DescribeJobDefinitions.response", f"{DEF}/revision"): "integer",
    ("RegisterJobDefinition.response", "/properties/revision"): "integer",
    ("DescribeJobs.response", f"{JOB}/timeout/properties/attemptDurationSeconds"): "integer",
    (
        "DescribeJobDefinitions.response",
        f"{DEF}/timeout/properties/attemptDurationSeconds",
    ): "integer",
    ("DescribeJobs.response", f"{JOB}/createdAt"): "integer",
}

# Keywords whose bite is derived from the value alone: a boundary inside, one step outside.
AUTO_KEYWORDS = frozenset({"minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"})

_RJD_OK: dict[str, Any] = {
    "jobDefinitionName": "sleep10",
    "type": "container",
    "containerProperties": {"image": "busybox", "vcpus": 1, "memory": 4},
}
_STATUSES = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"]
_RESERVED = (["PATH", "MY_AWS_BATCH", "AWS_BATC", "aws_batch_x"], ["AWS_BATCH", "AWS_BATCH_JOB_ID"])

# Explicit bites for every other rule: id -> (values that validate, values that must not).
BITES: dict[str, tuple[list[Any], list[Any]]] = {
    "SubmitJob.jobName.charset": (
        ["a", "9job", "A1_b-c", "x" * 128],
        ["-job", "_job", "job name", "job.name", "jöb", ""],
    ),
    "RegisterJobDefinition.jobDefinitionName.charset": (
        ["a", "_x-1", "-lead", "Z9"],
        ["a b", "a.b", "a:1", "ä", ""],
    ),
    "RegisterJobDefinition.containerProperties.image.charset": (
        [
            "busybox",
            "012345678910.dkr.ecr.us-east-1.amazonaws.com/repo:tag",
            "quay.io/assemblyline/ubuntu",
            "amazon/amazon-ecs-agent#1",
        ],
        ["busy box", "img@sha256:0", "imäge", ""],
    ),
    "RegisterJobDefinition.containerProperties.volumes.name.charset": (
        ["data", "_v-1"],
        ["my vol", "v.1", "v/1", ""],
    ),
    "SubmitJob.containerOverrides.environment.name.reserved": _RESERVED,
    "RegisterJobDefinition.containerProperties.environment.name.reserved": _RESERVED,
    "SubmitJob.dependsOn.type.enum": (["N_TO_N", "SEQUENTIAL"], ["n_to_n", "PARALLEL", ""]),
    "DescribeJobs.response.dependsOn.type.enum": (["N_TO_N", "SEQUENTIAL"], ["n_to_n", "X"]),
    "RegisterJobDefinition.type.enum": (["container"], ["multinode", "Container", ""]),
    "DescribeJobs.response.status.enum": (_STATUSES, ["CANCELLED", "succeeded", ""]),
    "SubmitJob.retryStrategy.attempts.required": ([{"attempts": 1}], [{}]),
    "RegisterJobDefinition.retryStrategy.attempts.required": ([{"attempts": 10}], [{}]),
    "SubmitJob.required": (
        [{"jobName": "j", "jobQueue": "q", "jobDefinition": "d"}],
        [
            {"jobQueue": "q", "jobDefinition": "d"},
            {"jobName": "j", "jobDefinition": "d"},
            {"jobName": "j", "jobQueue": "q"},
        ],
    ),
    "RegisterJobDefinition.required": (
        [_RJD_OK],
        [
            {k: v for k, v in _RJD_OK.items() if k != "jobDefinitionName"},
            {"jobDefinitionName": "a", "containerProperties": _RJD_OK["containerProperties"]},
        ],
    ),
    "RegisterJobDefinition.containerProperties.required-for-container": (
        [_RJD_OK],
        [{"jobDefinitionName": "a", "type": "container"}],
    ),
    "RegisterJobDefinition.containerProperties.required": (
        [{"image": "busybox", "vcpus": 1, "memory": 4}],
        [{"vcpus": 1, "memory": 4}, {"image": "busybox", "memory": 4}, {"image": "b", "vcpus": 1}],
    ),
    "DescribeJobs.required": ([{"jobs": []}], [{}]),
    **answer_bites(iter_rules(SEED), all_schemas(SEED)),
}
