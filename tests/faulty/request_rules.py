"""The seed's request rules, written by hand from the seed's prose (`check_request`).

Nothing here is read from `specs/`: the reference endpoint is an independent implementation
of the seed (AWS Batch API of 2018-04-06), so a wrong limit in the schemas shows as a failing
reference run instead of agreeing with itself. One function per rule family; a fault swaps
in changed `Limits`.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


class Invalid(Exception):
    """A request breaks a documented rule; str() is the refusal's message."""


@dataclass(frozen=True)
class Limits:
    """The seed's limits for one operation; a fault swaps in a changed copy."""

    # SubmitJob / RegisterJobDefinition › timeout:
    # "The minimum value for the timeout is 60 seconds."
    timeout_min: int = 60
    # retryStrategy.attempts: "You may specify between 1 and 10 attempts."
    attempts: tuple[int, int] = (1, 10)
    # observed of real AWS: "RetryAttempts must be provided with retry strategy"
    attempts_required: bool = True
    # SubmitJob › arrayProperties: "The array size can be between 2 and 10,000."
    array_size: tuple[int, int] = (2, 10_000)
    # SubmitJob › dependsOn: "A job can depend upon a maximum of 20 jobs."
    depends_on_max: int = 20
    # DescribeJobs › jobs: "[REQUIRED] A space-separated list of up to 100 job IDs."
    jobs_required: bool = True
    job_ids_max: int = 100
    # DescribeJobDefinitions › jobDefinitions: "A space-separated list of up to 100 ..."
    definitions_max: int = 100
    # DescribeJobDefinitions › maxResults: "This value can be between 1 and 100."
    max_results: tuple[int, int] = (1, 100)
    # jobName / jobDefinitionName: "up to 128 letters (uppercase and lowercase), numbers,
    # hyphens, and underscores are allowed."
    name_max: int = 128
    # SubmitJob › jobName: "The first character must be alphanumeric"
    job_name_first_alnum: bool = True
    # environment: "Environment variables must not start with AWS_BATCH"
    reserved_env_prefix: str | None = "AWS_BATCH"
    # containerProperties.vcpus: "You must specify at least one vCPU."
    vcpus_min: int = 1
    # containerProperties.memory: "You must specify at least 4 MiB of memory for a job."
    memory_min: int = 4
    # image and volume name: "Up to 255 letters ..."
    text_max: int = 255


SEED = Limits()
NAME_CHARS = frozenset(string.ascii_letters + string.digits + "-_")
# image: "letters (uppercase and lowercase), numbers, hyphens, underscores, colons,
# periods, forward slashes, and number signs"
IMAGE_CHARS = frozenset(string.ascii_letters + string.digits + "-_:./#")
ALNUM = frozenset(string.ascii_letters + string.digits)
DEPENDENCY_TYPES = ("N_TO_N", "SEQUENTIAL")  # SubmitJob › dependsOn › type
DEFINITION_TYPES = ("container",)  # RegisterJobDefinition › type='container'


# ---- request rules -------------------------------------------------------------------


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{what} must be an integer")
    return value


def _object(value: Any, what: str) -> Json:
    if not isinstance(value, dict):
        raise Invalid(f"{what} must be an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid(f"{what} must be a list")
    return value


def _required(body: Json, what: str, *members: str) -> None:
    for member in members:
        if member not in body:
            raise Invalid(f"{what}{member} is required")


def _name(value: Any, what: str, lim: Limits, first_alnum: bool) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= lim.name_max:
        raise Invalid(f"{what} must have 1 to {lim.name_max} characters")
    if not set(value) <= NAME_CHARS:
        raise Invalid(f"{what} may hold only letters, numbers, hyphens and underscores")
    if first_alnum and value[0] not in ALNUM:
        raise Invalid(f"{what} must start with a letter or number")


def _timeout(body: Json, lim: Limits) -> None:
    if "timeout" not in body:
        return
    timeout = _object(body["timeout"], "timeout")
    if "attemptDurationSeconds" in timeout:
        seconds = _int(timeout["attemptDurationSeconds"], "timeout.attemptDurationSeconds")
        if not lim.timeout_min <= seconds:
            raise Invalid(f"The minimum value for the timeout is {lim.timeout_min} seconds")


def _retry_strategy(body: Json, lim: Limits) -> None:
    if "retryStrategy" not in body:
        return
    strategy = _object(body["retryStrategy"], "retryStrategy")
    if "attempts" not in strategy:
        if lim.attempts_required:
            raise Invalid("RetryAttempts must be provided with retry strategy")
        return
    attempts = _int(strategy["attempts"], "retryStrategy.attempts")
    low, high = lim.attempts
    if not low <= attempts <= high:
        raise Invalid(f"retryStrategy.attempts must be between {low} and {high}")


def _environment(value: Any, what: str, lim: Limits) -> None:
    for item in _list(value, what):
        name = _object(item, what).get("name")
        prefix = lim.reserved_env_prefix
        if isinstance(name, str) and prefix and name.startswith(prefix):
            raise Invalid(f"{what} name {name!r}: names starting with {prefix} are reserved")


def _array_properties(body: Json, lim: Limits) -> None:
    if "arrayProperties" not in body:
        return
    props = _object(body["arrayProperties"], "arrayProperties")
    if "size" in props:
        size = _int(props["size"], "arrayProperties.size")
        low, high = lim.array_size
        if not low <= size <= high:
            raise Invalid(f"array size must be between {low} and {high}")


def _depends_on(body: Json, lim: Limits) -> None:
    if "dependsOn" not in body:
        return
    depends = _list(body["dependsOn"], "dependsOn")
    if len(depends) > lim.depends_on_max:
        raise Invalid(f"Job cannot have more than {lim.depends_on_max} dependencies")
    for item in depends:
        kind = _object(item, "dependsOn item").get("type")
        if kind is not None and kind not in DEPENDENCY_TYPES:
            raise Invalid(f"dependsOn type {kind!r} is not one of {', '.join(DEPENDENCY_TYPES)}")


def _container_overrides(body: Json, lim: Limits) -> None:
    if "containerOverrides" not in body:
        return
    overrides = _object(body["containerOverrides"], "containerOverrides")
    for member in ("vcpus", "memory"):
        if member in overrides:
            _int(overrides[member], f"containerOverrides.{member}")
    if "environment" in overrides:
        _environment(overrides["environment"], "containerOverrides.environment", lim)


def _submit_job(body: Json, lim: Limits) -> None:
    _required(body, "", "jobName", "jobQueue", "jobDefinition")
    _name(body["jobName"], "jobName", lim, first_alnum=lim.job_name_first_alnum)
    _array_properties(body, lim)
    _depends_on(body, lim)
    _container_overrides(body, lim)
    _retry_strategy(body, lim)
    _timeout(body, lim)


def _image(value: Any, lim: Limits) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= lim.text_max:
        raise Invalid(f"containerProperties.image must have 1 to {lim.text_max} characters")
    if not set(value) <= IMAGE_CHARS:
        raise Invalid("containerProperties.image holds a character that is not allowed")


def _volumes(value: Any, lim: Limits) -> None:
    for volume in _list(value, "containerProperties.volumes"):
        name = _object(volume, "volume").get("name")
        if name is None:
            continue
        if not isinstance(name, str) or not 1 <= len(name) <= lim.text_max:
            raise Invalid(f"volume name must have 1 to {lim.text_max} characters")
        if not set(name) <= NAME_CHARS:
            raise Invalid("volume name may hold only letters, numbers, hyphens and underscores")


def _ulimits(value: Any) -> None:
    for item in _list(value, "containerProperties.ulimits"):
        _required(_object(item, "ulimit"), "ulimit ", "hardLimit", "name", "softLimit")


def _container_properties(body: Json, lim: Limits) -> None:
    if body.get("type") == "container" and "containerProperties" not in body:
        raise Invalid("containerProperties is required for type container")
    if "containerProperties" not in body:
        return
    props = _object(body["containerProperties"], "containerProperties")
    _required(props, "containerProperties.", "image", "vcpus", "memory")
    _image(props["image"], lim)
    if _int(props["vcpus"], "containerProperties.vcpus") < lim.vcpus_min:
        raise Invalid(f"You must specify at least {lim.vcpus_min} vCPU")
    if _int(props["memory"], "containerProperties.memory") < lim.memory_min:
        raise Invalid(f"You must specify at least {lim.memory_min} MiB of memory")
    if "environment" in props:
        _environment(props["environment"], "containerProperties.environment", lim)
    if "volumes" in props:
        _volumes(props["volumes"], lim)
    if "ulimits" in props:
        _ulimits(props["ulimits"])


def _register_job_definition(body: Json, lim: Limits) -> None:
    _required(body, "", "jobDefinitionName", "type")
    _name(body["jobDefinitionName"], "jobDefinitionName", lim, first_alnum=False)
    if body["type"] not in DEFINITION_TYPES:
        raise Invalid(f"type must be one of {', '.join(DEFINITION_TYPES)}")
    _container_properties(body, lim)
    _retry_strategy(body, lim)
    _timeout(body, lim)


def _describe_jobs(body: Json, lim: Limits) -> None:
    if "jobs" not in body:
        if lim.jobs_required:
            raise Invalid("jobs is required")
        return
    if len(_list(body["jobs"], "jobs")) > lim.job_ids_max:
        raise Invalid(f"Maximum number of jobs supported is {lim.job_ids_max}")


def _describe_job_definitions(body: Json, lim: Limits) -> None:
    if "jobDefinitions" in body:
        found = _list(body["jobDefinitions"], "jobDefinitions")
        if len(found) > lim.definitions_max:
            raise Invalid(f"jobDefinitions lists at most {lim.definitions_max} entries")
    if "maxResults" in body:
        low, high = lim.max_results
        if not low <= _int(body["maxResults"], "maxResults") <= high:
            raise Invalid(f"maxResults must be between {low} and {high}")


RULES: dict[str, Callable[[Json, Limits], None]] = {
    "SubmitJob": _submit_job,
    "RegisterJobDefinition": _register_job_definition,
    "DescribeJobs": _describe_jobs,
    "DescribeJobDefinitions": _describe_job_definitions,
}


def check_request(operation: str, body: Json, lim: Limits = SEED) -> str | None:
    """The first documented rule `body` breaks (the refusal's message), or None."""
    try:
        RULES[operation](body, lim)
    except Invalid as exc:
        return str(exc)
    return None


def limits_for(overrides: Mapping[str, Limits], operation: str) -> Limits:
    """The limits of `operation`: the seed's unless a fault changed them."""
    return overrides.get(operation, SEED)
