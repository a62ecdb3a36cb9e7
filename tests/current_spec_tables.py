"""The current scope's bites, written out by hand, and the rules that stand apart: data for
tests/test_current_specs.py."""

from __future__ import annotations

from typing import Any

from conformance.schemas import all_schemas, iter_rules
from conformance.scopes import CURRENT
from tests.answer_bites import answer_bites

# Inside/outside examples for the keywords that are not derived automatically (patterns).
_NAME = (["a", "A-z_9", "x" * 128], ["a.b", "a b", "a!", ""])
BITES: dict[str, tuple[list[Any], list[Any]]] = {
    **{
        f"{op}.{member}.charset": _NAME
        for op, member in [
            ("CreateComputeEnvironment", "computeEnvironmentName"),
            ("CreateJobQueue", "jobQueueName"),
            ("CreateSchedulingPolicy", "name"),
            ("CreateQuotaShare", "quotaShareName"),
            ("CreateServiceEnvironment", "serviceEnvironmentName"),
            ("SubmitServiceJob", "jobName"),
            ("RegisterJobDefinition", "jobDefinitionName"),
        ]
    },
    "SubmitJob.jobName.charset": (["a", "a-b_C9"], ["-a", "_a", "a.b", "a b", ""]),
    "SubmitJob.shareIdentifier.charset": (
        ["A1", "UserA*", "x" * 255, "x" * 255 + "*"],
        ["x" * 256, "a-b", "a**", "*", ""],
    ),
    "CreateSchedulingPolicy.fairsharePolicy.shareDistribution.shareIdentifier.charset": (
        ["A1", "UserA*", "x" * 255],
        ["x" * 256, "a_b", "*"],
    ),
    **{
        f"{op}.retryStrategy.evaluateOnExit.onExitCode.charset": (
            ["0", "137", "1*", "*", "", "1" * 512, "1" * 511 + "*"],
            ["a", "1-2", "*1", " 1", "1" * 513, "1" * 512 + "*"],
        )
        for op in ("SubmitJob", "RegisterJobDefinition")
    },
    "RegisterJobDefinition.retryStrategy.evaluateOnExit.onStatusReason.charset": (
        ["Host EC2*", "Essential container in task exited", "a.b:c\td", "*"],
        ["Task failed (OOM)", "a-b", "a*b"],
    ),
    **{
        f"{op}.{member}.first-character": (["a", "Z-_", "9a"], ["-a", "_a"])
        for op, member in [
            ("CreateComputeEnvironment", "computeEnvironmentName"),
            ("CreateJobQueue", "jobQueueName"),
            ("RegisterJobDefinition", "jobDefinitionName"),
        ]
    },
    **{
        f"{op}.retryStrategy.attempts.required": ([{"attempts": 1}], [{}, {"evaluateOnExit": []}])
        for op in ("SubmitJob", "RegisterJobDefinition")
    },
    **{
        f"{op}.state.enum": (["ENABLED", "DISABLED"], ["JUNK", "enabled", ""])
        for op in ("CreateComputeEnvironment", "UpdateComputeEnvironment")
    },
    **{
        f"{op}.state.enum": (["ENABLED", "DISABLED"], ["JUNK", "enabled", ""])
        for op in ("CreateJobQueue", "UpdateJobQueue")
    },
    "CreateComputeEnvironment.type.enum": (["MANAGED", "UNMANAGED"], ["UNMANGED", "FARGATE"]),
    "ListJobs.jobStatus.enum": (["RUNNABLE", "SUCCEEDED"], ["DONE", "running"]),
    "RegisterJobDefinition.type.enum": (["container", "multinode"], ["CONTAINER", "eks"]),
    **answer_bites(iter_rules(CURRENT), all_schemas(CURRENT)),
}
# Rules the API Reference does not state, evidenced by another AWS document (CloudFormation's
# resource schema) or only by real AWS answers: `should`, with a note saying why; their
# quotes are not the model's text.
OUTSIDE_API_REFERENCE = frozenset(
    {
        "CreateJobQueue.priority.range",
        "UpdateJobQueue.priority.range",
        "CreateComputeEnvironment.computeEnvironmentName.first-character",
        "CreateJobQueue.jobQueueName.first-character",
        "RegisterJobDefinition.jobDefinitionName.first-character",
    }
)
# The user guide's pages beside the API Reference (service quotas, tag restrictions).
USER_GUIDE = "https://docs.aws.amazon.com/batch/latest/userguide/"
# Rules on a map: its size (minProperties/maxProperties) and its values (additionalProperties).
MAP_RULES = frozenset({"TagResource.tags.count", "TagResource.tags.value.maxLength"})
