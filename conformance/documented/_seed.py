"""The seed's constraints: what AWS states about the four operations of 2018 beyond their
limits (role ARNs, ulimit names, the dependency types that need an array job, the form of a
`jobDefinitions` entry), as small named checks.

Generation narrows its values with the same lists (`ULIMIT_NAMES`, `USER_PATTERN`,
`NON_EMPTY`, `override_minimums`). Each constraint's `basis` says how firm it is:
`documented` (AWS's documentation states it), `reported` (only a public report shows it),
`unverified` (AWS's answer is not public: the suite simply does not send it). They hold in
the current scope too, which extends the seed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from conformance.documented._model import Basis, Check, Constraint
from conformance.documented._model import at as _at
from conformance.documented._model import entries as _entries
from conformance.schemas import load_schema

# Ulimit › name: "Valid values are: core | cpu | data | fsize | locks | memlock | msgqueue |
# nice | nofile | nproc | rss | rtprio | rttime | sigpending | stack."
ULIMIT_NAMES = (
    *("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile"),
    *("nproc", "rss", "rtprio", "rttime", "sigpending", "stack"),
)
# Quoted by AWS's console in a public README ("The user value contains invalid characters").
USER_PATTERN = "^([a-z0-9_][a-z0-9_-]{0,30})$"
# `arn:<partition>:iam::<account>:role/<path/name>`; the account is read loosely, since the
# role comes from the endpoint's own IAM (emulators use placeholder accounts).
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::[0-9]*:role/\S+")
# `${JobDefinitionName}:${Revision}` (an ARN is anything starting `arn:`: the suite only sends
# ARNs the endpoint gave it).
NAME_REVISION = re.compile(r"[A-Za-z0-9_-]{1,128}:[0-9]+")
NOT_WITH_JOB_DEFINITIONS = ("jobDefinitionName", "status", "maxResults", "nextToken")


SEED_CONSTRAINTS: list[Constraint] = []


def _constraint(id_: str, basis: Basis, source: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        SEED_CONSTRAINTS.append(
            Constraint(id_, basis, source, lambda request, _known: check(request))
        )
        return check

    return register


@_constraint(
    "RegisterJobDefinition.containerProperties.jobRoleArn.role-arn",
    "documented",
    "ContainerProperties › jobRoleArn — “The Amazon Resource Name (ARN) of the IAM role that"
    " the container can assume for Amazon Web Services permissions.” (AWS also checks"
    " iam:PassRole on it at registration)",
)
def _role_arn(request: dict[str, Any]) -> Iterator[str]:
    arn = _at(request, "containerProperties", "jobRoleArn")
    if arn is not None and not (isinstance(arn, str) and ROLE_ARN.fullmatch(arn)):
        yield f"jobRoleArn {arn!r} is not an IAM role ARN"


@_constraint(
    "RegisterJobDefinition.containerProperties.ulimits.name.valid-values",
    "documented",
    "Ulimit › name — “Valid values are: core | cpu | data | fsize | locks | memlock |"
    " msgqueue | nice | nofile | nproc | rss | rtprio | rttime | sigpending | stack.”",
)
def _ulimit_names(request: dict[str, Any]) -> Iterator[str]:
    for ulimit in _entries(_at(request, "containerProperties", "ulimits")):
        if ulimit.get("name") not in ULIMIT_NAMES:
            yield f"ulimit name {ulimit.get('name')!r} is not a valid ulimit type"


@_constraint(
    "RegisterJobDefinition.containerProperties.user.form",
    "reported",
    "ContainerProperties › user — AWS's console, quoted in a public README: “The user value"
    " contains invalid characters. Enter a value that matches the pattern"
    " ^([a-z0-9_][a-z0-9_-]{0,30})$”",
)
def _user(request: dict[str, Any]) -> Iterator[str]:
    user = _at(request, "containerProperties", "user")
    if user is not None and not (isinstance(user, str) and re.fullmatch(USER_PATTERN, user)):
        yield f"user {user!r} is not a lowercase user name"


@_constraint(
    "RegisterJobDefinition.containerProperties.mountPoints.sourceVolume.names-a-volume",
    "documented",
    "Volume › name — “This name is referenced in the sourceVolume parameter of container"
    " definition mountPoints.”; MountPoint › sourceVolume — “The name of the volume to mount.”",
)
def _mount_points(request: dict[str, Any]) -> Iterator[str]:
    container = _at(request, "containerProperties")
    names = {v.get("name") for v in _entries(_at(container, "volumes"))}
    for mount in _entries(_at(container, "mountPoints")):
        if mount.get("sourceVolume") not in names:
            yield f"mount point sourceVolume {mount.get('sourceVolume')!r} names no volume"


@_constraint(
    "RegisterJobDefinition.containerProperties.volumes.name.unique",
    "unverified",
    "Volume › name — “This name is referenced in the sourceVolume parameter of container"
    " definition mountPoints.” (a name that two volumes carry references neither)",
)
def _unique_volumes(request: dict[str, Any]) -> Iterator[str]:
    seen: set[Any] = set()
    for volume in _entries(_at(request, "containerProperties", "volumes")):
        name = volume.get("name")
        if name in seen:
            yield f"two volumes are named {name!r}"
        seen.add(name)


@cache
def override_minimums() -> dict[str, int]:
    """The job definition's minimums a container override replaces (from the seed schema)."""
    container = load_schema("RegisterJobDefinition.request")["properties"]["containerProperties"]
    overrides = load_schema("SubmitJob.request")["properties"]["containerOverrides"]
    return {
        name: int(node["minimum"])
        for name, node in container["properties"].items()
        if "minimum" in node and name in overrides["properties"]
    }


@_constraint(
    "SubmitJob.containerOverrides.job-definition-minimums",
    "documented",
    "ContainerOverrides › memory — “The number of MiB of memory reserved for the job. This"
    " value overrides the value set in the job definition.”, and the job definition's"
    " “You must specify at least 4 MiB of memory for a job.” (vcpus alike)",
)
def _override_minimums(request: dict[str, Any]) -> Iterator[str]:
    overrides = _at(request, "containerOverrides")
    for name, minimum in override_minimums().items():
        value = _at(overrides, name)
        if isinstance(value, int) and value < minimum:
            yield f"containerOverrides.{name} {value} is below the job definition's {minimum}"


def _is_array_job(request: dict[str, Any]) -> bool:
    return _at(request, "arrayProperties", "size") is not None


DEPENDS_ON = (
    "SubmitJob › dependsOn — “You can specify a SEQUENTIAL type dependency without specifying a"
    " job ID for array jobs [...] You can also specify an N_TO_N type dependency with a job ID"
    " for array jobs.”"
)


def _array_dependency(kind: str, with_job_id: bool) -> Check:
    """Dependencies of type `kind`: only on an array job, with a jobId or without one."""

    def check(request: dict[str, Any]) -> Iterator[str]:
        for dependency in _entries(_at(request, "dependsOn")):
            if dependency.get("type") != kind:
                continue
            if ("jobId" in dependency) != with_job_id:
                yield f"a {kind} dependency {'without' if with_job_id else 'with'} a jobId"
            if not _is_array_job(request):
                yield f"a {kind} dependency on a job that is not an array job"

    return check


_constraint("SubmitJob.dependsOn.N_TO_N.array-job", "documented", DEPENDS_ON)(
    _array_dependency("N_TO_N", with_job_id=True)
)
_constraint("SubmitJob.dependsOn.SEQUENTIAL.array-job", "documented", DEPENDS_ON)(
    _array_dependency("SEQUENTIAL", with_job_id=False)
)


@_constraint(
    "SubmitJob.dependsOn.jobId",
    "documented",
    "JobDependency › jobId — “The job ID of the Batch job that's associated with this"
    " dependency.” (only a SEQUENTIAL one is documented without it)",
)
def _dependency_job(request: dict[str, Any]) -> Iterator[str]:
    for dependency in _entries(_at(request, "dependsOn")):
        if "type" not in dependency and "jobId" not in dependency:
            yield "a dependency with neither a jobId nor a type"


JOB_DEFINITIONS = (
    "DescribeJobDefinitions › jobDefinitions — “Each entry in the list can either be an ARN"
    " [...] or a short version using the form ${JobDefinitionName}:${Revision}. This parameter"
    " can't be used with other parameters.”"
)


@_constraint("DescribeJobDefinitions.jobDefinitions.form", "documented", JOB_DEFINITIONS)
def _job_definition_form(request: dict[str, Any]) -> Iterator[str]:
    entries = _at(request, "jobDefinitions")
    for entry in entries if isinstance(entries, list) else []:
        if not (
            isinstance(entry, str) and (entry.startswith("arn:") or NAME_REVISION.fullmatch(entry))
        ):
            yield f"jobDefinitions entry {entry!r} is neither name:revision nor an ARN"


@_constraint("DescribeJobDefinitions.jobDefinitions.alone", "documented", JOB_DEFINITIONS)
def _job_definitions_alone(request: dict[str, Any]) -> Iterator[str]:
    if "jobDefinitions" in request:
        others = [name for name in NOT_WITH_JOB_DEFINITIONS if name in request]
        if others:
            yield f"jobDefinitions together with {', '.join(others)}"


# Members AWS documents no empty value for (what an empty one does is not public).
NON_EMPTY: dict[tuple[str, str], str] = {
    ("RegisterJobDefinition", "timeout"): "JobTimeout › attemptDurationSeconds — “The job"
    " timeout time (in seconds) [...] The minimum value for the timeout is 60 seconds.”",
    ("SubmitJob", "timeout"): "JobTimeout › attemptDurationSeconds — “The job timeout time"
    " (in seconds) [...] The minimum value for the timeout is 60 seconds.”",
    ("SubmitJob", "arrayProperties"): "SubmitJob › arrayProperties — “The array size can be"
    " between 2 and 10,000. If you specify array properties for a job, it becomes an array"
    " job.”",
    ("DescribeJobs", "jobs"): "DescribeJobs › jobs — “A list of up to 100 job IDs.”",
}


def _non_empty(member: str) -> Check:
    def check(request: dict[str, Any]) -> Iterator[str]:
        value = request.get(member)
        if isinstance(value, dict | list) and not value:
            yield f"{member} is empty ({value!r})"

    return check


for (_operation, _member), _source in NON_EMPTY.items():
    _constraint(f"{_operation}.{_member}.non-empty", "unverified", _source)(_non_empty(_member))
