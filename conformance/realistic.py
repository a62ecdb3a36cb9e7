"""Realistic values for request members, and the members a round-trip case sets.

The list of members comes from the request schemas: a member added there gets its
round-trip case without new code (falling back to a value sampled from its schema when
no realistic value is written here). Each scope has its own tables: the seed's four
operations of 2018 (below), and today's create, register, submit and update operations
(`--scope current`: its tables, with what is left out and why, are in
`conformance.realistic_current`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.realistic_current import (
    ADJUSTS,
    CURRENT_ANSWERED_AS,
    CURRENT_COMPANIONS,
    CURRENT_IDENTIFYING,
    CURRENT_REALISTIC,
    CURRENT_WHOLE,
    LEFT_OUT,
    SEED_WHOLE,
)
from conformance.requests import Context, RequestBuilder, placeholder_context
from conformance.schemas import Scope

# A realistic value per member path; booleans are set to the non-default value so that a
# dropped member cannot pass for its default.
REALISTIC: dict[str, Any] = {
    "parameters": {"inputfile": "s3://bc-bucket/input.txt", "mode": "fast"},
    "retryStrategy": {"attempts": 3},
    "timeout": {"attemptDurationSeconds": 120},
    "containerProperties.image": "public.ecr.aws/docker/library/busybox:1.36",
    "containerProperties.vcpus": 2,
    "containerProperties.memory": 256,
    "containerProperties.command": ["echo", "Ref::inputfile"],
    "containerProperties.jobRoleArn": None,  # AWS checks iam:PassRole: the run's own role
    "containerProperties.volumes": [{"name": "scratch", "host": {"sourcePath": "/tmp/scratch"}}],
    "containerProperties.environment": [{"name": "BC_MODE", "value": "test"}],
    "containerProperties.mountPoints": [
        {"containerPath": "/scratch", "readOnly": True, "sourceVolume": "scratch"}
    ],
    "containerProperties.readonlyRootFilesystem": True,
    "containerProperties.privileged": True,
    "containerProperties.ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}],
    "containerProperties.user": "nobody",
    "containerOverrides.vcpus": 2,
    "containerOverrides.memory": 256,
    "containerOverrides.command": ["echo", "override"],
    "containerOverrides.environment": [{"name": "BC_OVERRIDE", "value": "yes"}],
    "arrayProperties": {"size": 2},
    "dependsOn": None,  # needs a real job: filled from the run's context
}
# Members that only make sense together with others (a mount point names a volume).
COMPANIONS = {"containerProperties.mountPoints": ("containerProperties.volumes",)}
# Members that only identify what the request acts on (no round trip of their own).
IDENTIFYING = {
    "RegisterJobDefinition": {"jobDefinitionName", "type"},
    "SubmitJob": {"jobName", "jobQueue", "jobDefinition"},
}
# Where a SubmitJob member shows in DescribeJobs' job, when not under the same name.
ANSWERED_AS = {"containerOverrides": "container"}
# Whole objects sent as one value (their parts are not separate cases).
WHOLE = SEED_WHOLE


@dataclass(frozen=True)
class Member:
    """A request member a round-trip case sets, and where the answer carries it."""

    operation: str
    path: tuple[str, ...]
    scope: Scope = "seed"

    @property
    def dotted(self) -> str:
        """`containerProperties.image`."""
        return ".".join(self.path)

    @property
    def answered_at(self) -> tuple[str, ...]:
        """The path of the member in the describe answer's entry."""
        renamed = ANSWERED_AS if self.scope == "seed" else CURRENT_ANSWERED_AS
        head = renamed.get(f"{self.operation}:{self.path[0]}", self.path[0])
        head = renamed.get(self.path[0], head)
        return (head, *self.path[1:])


def members(operation: str, schema: dict[str, Any], scope: Scope = "seed") -> list[Member]:
    """Every settable member of a request schema, one level into container objects.

    In the current scope, what `LEFT_OUT` names (a member, or a whole object) has no case.
    """
    identifying = IDENTIFYING if scope == "seed" else CURRENT_IDENTIFYING
    whole = WHOLE if scope == "seed" else CURRENT_WHOLE
    left_out = LEFT_OUT.get(operation, {}) if scope == "current" else {}
    found: list[Member] = []
    for name, node in sorted(schema.get("properties", {}).items()):
        if name in identifying.get(operation, set()) or name in left_out:
            continue
        inner = node.get("properties")
        if inner and name not in whole:
            found.extend(
                Member(operation, (name, sub), scope)
                for sub in sorted(inner)
                if f"{name}.{sub}" not in left_out
            )
        else:
            found.append(Member(operation, (name,), scope))
    return found


def value_for(member: Member, builder: RequestBuilder, ctx: Context | None = None) -> Any:
    """A realistic value for the member (else the builder's: the run's context or the schema)."""
    if member.path == ("dependsOn",):
        return [builder.fill(["dependsOn", "*"], 0)]
    if member.scope == "current":
        value = CURRENT_REALISTIC.get(f"{member.operation}:{member.dotted}")
        if callable(value):
            return value(ctx or placeholder_context())
        if value is not None:
            return value
    value = REALISTIC.get(member.dotted)
    if value is not None:
        return value
    return builder.fill(list(member.path))


def request_setting(
    member: Member, builder: RequestBuilder, ctx: Context | None = None
) -> tuple[dict[str, Any], Any]:
    """The smallest valid request with `member` (and its companions) set; and the value.

    `ctx` gives the values of the current scope that name the run's things (its roles,
    compute environment, scheduling policy, ...); without it, placeholders of their shape.
    """
    request = builder.build()
    companions = COMPANIONS if member.scope == "seed" else CURRENT_COMPANIONS
    for companion in companions.get(member.dotted, companions.get(_key(member), ())):
        other = Member(member.operation, tuple(companion.split(".")), member.scope)
        builder.set_at(request, list(other.path), value_for(other, builder, ctx))
    value = value_for(member, builder, ctx)
    builder.set_at(request, list(member.path), value)
    if member.scope == "current":
        for adjust in ADJUSTS.get(_key(member), ()):
            adjust(request, ctx or placeholder_context())
        builder.settle(request)
    return request, value


def _key(member: Member) -> str:
    return f"{member.operation}:{member.dotted}"


def full_request(operation: str, builder: RequestBuilder) -> dict[str, Any]:
    """A valid request with every settable member set to its realistic value."""
    request = builder.build()
    for member in members(operation, builder.schema):
        builder.set_at(request, list(member.path), value_for(member, builder))
    return request


def dig(entry: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` in an answer's entry, or None."""
    for part in path:
        if not isinstance(entry, dict):
            return None
        entry = entry.get(part)
    return entry


def came_back(sent: Any, got: Any) -> bool:
    """Did a sent value come back? Additions and defaults are not changes.

    Objects: every sent key comes back equal (extra keys allowed). Lists of objects: every
    sent item comes back (order free, extras allowed). Other values: equal.
    """
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(
            key in got and came_back(sent[key], got[key]) for key in sent
        )
    if isinstance(sent, list) and sent and all(isinstance(item, dict) for item in sent):
        return isinstance(got, list) and all(
            any(came_back(item, other) for other in got) for item in sent
        )
    return bool(sent == got)
