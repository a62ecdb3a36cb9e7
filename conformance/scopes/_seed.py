"""The seed scope's tables: the four operations of 2018 (see `Tables`)."""

from __future__ import annotations

import uuid
from types import MappingProxyType
from typing import Any

from conformance.scopes._tables import Tables


def _environment(_ctx: Any, index: int) -> dict[str, str]:
    return {"name": f"BC_VAR_{index}", "value": "1"}


SEED_TABLES = Tables(
    fills=MappingProxyType(
        {
            "SubmitJob:dependsOn.*": lambda ctx, i: {"jobId": ctx.jobs(i + 1)[i]},
            "SubmitJob:containerOverrides.environment.*": _environment,
            "RegisterJobDefinition:containerProperties.image": lambda _ctx, _i: "busybox",
            "RegisterJobDefinition:containerProperties.vcpus": lambda _ctx, _i: 1,
            "RegisterJobDefinition:containerProperties.memory": lambda _ctx, _i: 128,
            "RegisterJobDefinition:containerProperties.jobRoleArn": (
                lambda ctx, _i: ctx.job_role_arn
            ),
            "RegisterJobDefinition:containerProperties.environment.*": _environment,
            "RegisterJobDefinition:containerProperties.volumes.*": lambda _ctx, i: {
                "name": f"data{i}",
                "host": {"sourcePath": f"/tmp/data{i}"},
            },
            # an empty list: AWS's answer is unknown
            "DescribeJobs:jobs": lambda ctx, _i: [ctx.jobs(1)[0]],
            "DescribeJobs:jobs.*": lambda ctx, i: ctx.jobs(1)[0] if i == 0 else str(uuid.uuid4()),
            # Entries are `name:revision` or ARNs (a bare name is not a documented form).
            "DescribeJobDefinitions:jobDefinitions.*": lambda ctx, i: f"{ctx.prefix}-absent-{i}:1",
        }
    ),
    # A realistic value per member; booleans are set to the non-default value so that a
    # dropped member cannot pass for its default.
    realistic=MappingProxyType(
        {
            "parameters": {"inputfile": "s3://bc-bucket/input.txt", "mode": "fast"},
            "retryStrategy": {"attempts": 3},
            "timeout": {"attemptDurationSeconds": 120},
            "containerProperties.image": "public.ecr.aws/docker/library/busybox:1.36",
            "containerProperties.vcpus": 2,
            "containerProperties.memory": 256,
            "containerProperties.command": ["echo", "Ref::inputfile"],
            # AWS checks iam:PassRole: the run's own role
            "containerProperties.jobRoleArn": lambda ctx: ctx.job_role_arn,
            "containerProperties.volumes": [
                {"name": "scratch", "host": {"sourcePath": "/tmp/scratch"}}
            ],
            "containerProperties.environment": [{"name": "BC_MODE", "value": "test"}],
            "containerProperties.mountPoints": [
                {"containerPath": "/scratch", "readOnly": True, "sourceVolume": "scratch"}
            ],
            "containerProperties.readonlyRootFilesystem": True,
            "containerProperties.privileged": True,
            "containerProperties.ulimits": [
                {"name": "nofile", "softLimit": 1024, "hardLimit": 4096}
            ],
            "containerProperties.user": "nobody",
            "containerOverrides.vcpus": 2,
            "containerOverrides.memory": 256,
            "containerOverrides.command": ["echo", "override"],
            "containerOverrides.environment": [{"name": "BC_OVERRIDE", "value": "yes"}],
            "arrayProperties": {"size": 2},
            # needs a real job: one of the run's
            "dependsOn": lambda ctx: [{"jobId": ctx.jobs(1)[0]}],
        }
    ),
    identifying=MappingProxyType({"RegisterJobDefinition": frozenset({"type"})}),
    whole=frozenset({"parameters", "retryStrategy", "timeout", "arrayProperties"}),
    answered_as=MappingProxyType({"containerOverrides": "container"}),
    companions=MappingProxyType(
        {"containerProperties.mountPoints": ("containerProperties.volumes",)}
    ),
)
