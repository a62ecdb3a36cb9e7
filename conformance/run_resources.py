"""What current-scope requests name besides the run's queue and definition, made on need.

`shared(batch, kind)` is one resource of the run, made on first need and reused;
`fresh(batch, kind)` is made for one request alone (the one that updates, deletes or
terminates it). Each is made through the case's own `Batch`, so the calls are in the case's
evidence, an operation the endpoint lacks skips the case (current scope), and the run's
ledger cleans up whatever was made (see `session.CREATED`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conformance.calls import EndpointUnusable
from conformance.grading import CaseFailure
from conformance.requests import RequestBuilder
from conformance.session import CREATED

if TYPE_CHECKING:
    from conformance.casekit import Batch

# kind -> the operation that makes it (what names it in the answer and in the request is
# `session.CREATED`'s, the table the cleanup ledger reads too)
MADE_BY: dict[str, str] = {
    "compute-environment": "CreateComputeEnvironment",
    "job-queue": "CreateJobQueue",
    "scheduling-policy": "CreateSchedulingPolicy",
    "consumable-resource": "CreateConsumableResource",
    "service-environment": "CreateServiceEnvironment",
    "service-queue": "CreateJobQueue",
}


def shared(batch: Batch, kind: str) -> str:
    """The run's one resource of `kind` (made once per process, on first need)."""
    kept = batch.shared_resources
    if kind not in kept:
        kept[kind] = _existing(batch, kind) or fresh(batch, kind)
    return kept[kind]


def _existing(batch: Batch, kind: str) -> str:
    """The run's provisioned resource of `kind`, if it has one."""
    if kind == "job-queue":
        return batch.resources.job_queue
    if kind == "job-definition":
        return batch.resources.job_definition
    if kind == "compute-environment":
        if batch.resources.compute_environment:
            return batch.resources.compute_environment
        queues = batch.accept("DescribeJobQueues", {"jobQueues": [batch.resources.job_queue]})
        for queue in queues.get("jobQueues", []):
            for entry in queue.get("computeEnvironmentOrder", []):
                return str(entry.get("computeEnvironment", ""))
    return ""


def fresh(batch: Batch, kind: str) -> str:
    """A new resource of `kind`, for one request; its name or ARN.

    A resource the endpoint refuses to make leaves the case without a result: an error
    naming what could not be made, never a failure of the rule the case checks.
    """
    try:
        return _make(batch, kind)
    except CaseFailure as exc:
        raise EndpointUnusable(f"cannot make a {kind} for the case: {exc}") from None


def _make(batch: Batch, kind: str) -> str:
    if kind == "job":
        return str(batch.submit()["jobId"])
    if kind == "job-definition":
        return str(batch.register()["jobDefinitionArn"])
    operation = MADE_BY[kind]
    _, answered, named = CREATED[operation]
    request = RequestBuilder(operation, batch.context(), "current").build()
    _adapt(batch, kind, request)
    body = batch.accept(operation, request, f"making a {kind} for the case")
    made = body.get(answered) or request.get(named)
    assert made, f"{operation} answered no {answered}: {body}"
    return str(made)


def _adapt(batch: Batch, kind: str, request: dict[str, Any]) -> None:
    """What a kind needs beyond the smallest valid request of its operation."""
    if kind == "service-queue":  # a SageMaker training queue orders service environments
        request.pop("computeEnvironmentOrder", None)
        request["jobQueueType"] = "SAGEMAKER_TRAINING"
        request["serviceEnvironmentOrder"] = [
            {"order": 1, "serviceEnvironment": shared(batch, "service-environment")}
        ]
