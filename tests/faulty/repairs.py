"""Repairs of moto's answers where moto deviates from the seed, one function per repair
(`repair_answer`), and DescribeJobDefinitions as the seed pages and looks it up
(`describe_job_definitions`)."""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable
from typing import Any

from tests.faulty.request_rules import Invalid, Json


class Memory:
    """What the proxy remembers because moto forgets it: retry strategies by job and ARN."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.job_retry: dict[str, Json] = {}
        self.definition_retry: dict[str, Json] = {}

    def remember(self, table: dict[str, Json], key: Any, value: Any) -> None:
        """Keep `value` under `key` when both are usable."""
        if isinstance(key, str) and isinstance(value, dict):
            with self._lock:
                table[key] = value


def drop_nulls(value: Any) -> Any:
    """moto sends `"retryStrategy": null` and the like; AWS leaves such members out."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def remember_definition_retry(request: Json, answer: Json, memory: Memory) -> None:
    """The definition's retryStrategy, for jobs submitted without one of their own."""
    memory.remember(
        memory.definition_retry, answer.get("jobDefinitionArn"), request.get("retryStrategy")
    )


def remember_job_retry(request: Json, answer: Json, memory: Memory) -> None:
    """SubmitJob's retryStrategy, which moto does not echo in DescribeJobs."""
    memory.remember(memory.job_retry, answer.get("jobId"), request.get("retryStrategy"))


def inject_retry_strategy(job: Json, memory: Memory) -> None:
    """The job's own retryStrategy (an array child: its parent's), else the definition's."""
    job_id = str(job.get("jobId", ""))
    strategy = (
        memory.job_retry.get(job_id)
        or memory.job_retry.get(job_id.split(":", 1)[0])
        or memory.definition_retry.get(str(job.get("jobDefinition")))
    )
    if strategy is not None:
        job["retryStrategy"] = dict(strategy)


CHILD_ID = re.compile(r"^(?P<parent>[^:]+):(?P<index>\d+)$")


def inject_array_index(job: Json) -> None:
    """moto's array children lack `arrayProperties.index`; their ID ends `:<index>`."""
    match = CHILD_ID.match(str(job.get("jobId", "")))
    if match:
        props = job.setdefault("arrayProperties", {})
        props.setdefault("index", int(match["index"]))


def complete_exit_code(job: Json) -> None:
    """moto's jobs succeed at once without an exit code; AWS's say 0, in the job's container
    and in its attempt (an array parent has neither)."""
    parent = "size" in (job.get("arrayProperties") or {})
    if job.get("status") != "SUCCEEDED" or not isinstance(job.get("container"), dict) or parent:
        return
    job["container"].setdefault("exitCode", 0)
    for attempt in job.get("attempts") or []:
        if isinstance(attempt, dict):
            attempt.setdefault("container", {}).setdefault("exitCode", 0)


def compute_environment_arns(answer: Json) -> Json:
    """moto echoes a queue's compute environments as they were named; AWS answers ARNs."""
    for queue in answer.get("jobQueues") or []:
        head = str(queue.get("jobQueueArn", "")).partition(":job-queue/")[0]
        for entry in queue.get("computeEnvironmentOrder") or []:
            name = str(entry.get("computeEnvironment", ""))
            if head and not name.startswith("arn:"):
                entry["computeEnvironment"] = f"{head}:compute-environment/{name}"
    return answer


def answer_without_moto(operation: str, request: Json) -> Json | None:
    """Answers moto gets wrong from the start: DescribeJobs with an empty (or, in a lax fault,
    missing) `jobs` list describes nothing, where moto lists every job it has."""
    if operation == "DescribeJobs" and not request.get("jobs"):
        return {"jobs": []}
    return None


def repair_answer(operation: str, request: Json, answer: Json, memory: Memory) -> Json:
    """moto's answer to one of the four operations, made seed-conformant."""
    answer = drop_nulls(answer)
    if operation == "RegisterJobDefinition":
        remember_definition_retry(request, answer, memory)
    elif operation == "SubmitJob":
        remember_job_retry(request, answer, memory)
    elif operation == "DescribeJobs":
        for job in answer.get("jobs", []):
            inject_retry_strategy(job, memory)
            inject_array_index(job)
            complete_exit_code(job)
    return answer


# ---- DescribeJobDefinitions: lookup and pagination done here ---------------------------

Fetch = Callable[[Json], list[Json]]  # asks moto's DescribeJobDefinitions, returns the list
Paginate = Callable[[list[Json], int, int], tuple[list[Json], int | None]]
NAME_REVISION = re.compile(r"^(?P<name>[A-Za-z0-9_-]+):(?P<revision>\d+)$")
TOKEN_PREFIX = "bc-proxy:"


def paginate(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    """One page from `offset`, and the offset of the next page (None at the end)."""
    end = offset + size
    return items[offset:end], (end if end < len(items) else None)


def encode_token(offset: int) -> str:
    """An opaque nextToken."""
    return base64.urlsafe_b64encode(f"{TOKEN_PREFIX}{offset}".encode()).decode()


def decode_token(token: Any) -> int:
    """The offset of a token made by `encode_token` (Invalid otherwise)."""
    try:
        text = base64.urlsafe_b64decode(str(token).encode()).decode()
        if text.startswith(TOKEN_PREFIX):
            return int(text.removeprefix(TOKEN_PREFIX))
    except ValueError:
        pass
    raise Invalid("nextToken is not valid")


def _lookup_one(entry: str, fetch: Fetch) -> list[Json]:
    """moto finds names and ARNs but not `name:revision`: resolve that here."""
    match = NAME_REVISION.match(entry)
    if match:
        revision = int(match["revision"])
        found = fetch({"jobDefinitionName": match["name"]})
        return [d for d in found if d.get("revision") == revision]
    if entry.startswith("arn:"):
        return fetch({"jobDefinitions": [entry]})
    return fetch({"jobDefinitionName": entry})


def _matching(request: Json, fetch: Fetch) -> list[Json]:
    if "jobDefinitions" in request:
        found = [d for e in request["jobDefinitions"] for d in _lookup_one(str(e), fetch)]
        if "jobDefinitionName" in request:
            found = [d for d in found if d.get("jobDefinitionName") == request["jobDefinitionName"]]
    elif "jobDefinitionName" in request:
        found = fetch({"jobDefinitionName": request["jobDefinitionName"]})
    else:
        found = fetch({})
    if "status" in request:
        found = [d for d in found if d.get("status") == request["status"]]
    unique: dict[str, Json] = {}
    for definition in found:
        unique.setdefault(str(definition.get("jobDefinitionArn")), definition)
    return list(unique.values())


def describe_job_definitions(request: Json, fetch: Fetch, pages: Paginate = paginate) -> Json:
    """DescribeJobDefinitions with lookup by name:revision and paging by opaque tokens.

    moto pages nothing; without maxResults the seed says "returns up to 100 results and a
    nextToken value if applicable".
    """
    offset = decode_token(request["nextToken"]) if request.get("nextToken") else 0
    size = int(request.get("maxResults", 100))
    found = [upper_actions(drop_nulls(d)) for d in _matching(request, fetch)]
    page, following = pages(found, offset, size)
    answer: Json = {"jobDefinitions": page}
    if following is not None:
        answer["nextToken"] = encode_token(following)
    return answer


def upper_actions(definition: Json) -> Json:
    """moto lowercases a definition's evaluateOnExit actions (RETRY -> retry); the model's
    enum, and what was registered, is RETRY | EXIT."""
    strategy = definition.get("retryStrategy")
    conditions = strategy.get("evaluateOnExit") if isinstance(strategy, dict) else None
    for condition in conditions if isinstance(conditions, list) else []:
        if isinstance(condition, dict) and isinstance(condition.get("action"), str):
            condition["action"] = condition["action"].upper()
    return definition
