"""The faults' hooks: how each rewrites a request, an answer, or the pages of a listing."""

from __future__ import annotations

from collections.abc import Callable

from tests.faulty.fault import Refusal, RequestHook, ResponseHook
from tests.faulty.repairs import paginate
from tests.faulty.request_rules import Json


def without(member: str) -> RequestHook:
    def hook(request: Json) -> Json:
        return {k: v for k, v in request.items() if k != member}

    return hook


def clamp_vcpus(request: Json) -> Json:
    props = request.get("containerProperties")
    if isinstance(props, dict) and isinstance(props.get("vcpus"), int) and props["vcpus"] < 1:
        request = {**request, "containerProperties": {**props, "vcpus": 1}}
    return request


def name_revision_as_name(request: Json) -> Json:
    entries = request.get("jobDefinitions")
    if isinstance(entries, list) and entries:
        names = {str(e).split(":", 1)[0] for e in entries if not str(e).startswith("arn:")}
        if len(names) == 1:
            request = {k: v for k, v in request.items() if k != "jobDefinitions"}
            request["jobDefinitionName"] = names.pop()
    return request


def needs(member: str) -> ResponseHook:
    """Refuse a request without `member`, which AWS documents as optional."""

    def hook(request: Json, answer: Json) -> Json | Refusal:
        return answer if member in request else Refusal(f"{member} is required")

    return hook


def drop_answer(member: str) -> ResponseHook:
    def hook(_request: Json, answer: Json) -> Json:
        return {k: v for k, v in answer.items() if k != member}

    return hook


def revision_as_string(_request: Json, answer: Json) -> Json:
    return {**answer, "revision": str(answer.get("revision"))}


def each_job(change: Callable[[Json], None]) -> ResponseHook:
    def hook(_request: Json, answer: Json) -> Json:
        for job in answer.get("jobs", []):
            change(job)
        return answer

    return hook


def status_done(job: Json) -> None:
    job["status"] = "DONE"


def created_at_seconds(job: Json) -> None:
    if isinstance(job.get("createdAt"), int):
        job["createdAt"] //= 1000


def drop_index(job: Json) -> None:
    (job.get("arrayProperties") or {}).pop("index", None)


def drop_depends_on(job: Json) -> None:
    job.pop("dependsOn", None)


def unknown_id_error(request: Json, answer: Json) -> Json | Refusal:
    known = {job.get("jobId") for job in answer.get("jobs", [])}
    for job_id in request.get("jobs", []):
        if job_id not in known:
            return Refusal(f"Job {job_id} not found")
    return answer


def drop_timeouts(_request: Json, answer: Json) -> Json:
    for definition in answer.get("jobDefinitions", []):
        definition.pop("timeout", None)
    return answer


def whole_list(items: list[Json], offset: int, _size: int) -> tuple[list[Json], int | None]:
    return items[offset:], None


def overlapping(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    end = offset + size
    return items[offset:end], (offset + max(size - 1, 1) if end < len(items) else None)


def endless(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    return items[offset : offset + size], offset + size


def skipping(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    end = offset + size
    return items[offset:end], (end + 1 if end + 1 < len(items) else None)


def first_page_only(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    return paginate(items, offset, size) if offset == 0 else whole_list(items, offset, size)
