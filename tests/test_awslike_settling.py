"""The AWS-like endpoint's settling: resources CREATING, UPDATING, DELETING for a while."""

from __future__ import annotations

import json
from typing import Any

from tests.awslike.settling import Settling, settling_kinds

ARN = "arn:aws:batch:us-east-1:123456789012:compute-environment/ce1"
QUEUE = "arn:aws:batch:us-east-1:123456789012:job-queue/q1"


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def described(settling: Settling, *entries: dict[str, Any], asked: list[str] | None = None) -> Any:
    answer = {"computeEnvironments": list(entries)}
    request = {"computeEnvironments": asked or []}
    return settling.read("DescribeComputeEnvironments", request, answer)["computeEnvironments"]


def made(settling: Settling) -> None:
    settling.changed(
        "CreateComputeEnvironment",
        {"computeEnvironmentName": "ce1"},
        {"computeEnvironmentArn": ARN, "computeEnvironmentName": "ce1"},
    )


def test_the_kinds_come_from_the_catalogue() -> None:
    """Compute environments, job queues and service environments settle; nothing else."""
    names = {kind.name for kind in settling_kinds()}
    assert names == {"compute-environment", "job-queue", "service-environment"}


def test_a_new_resource_is_creating_then_as_the_upstream_says() -> None:
    """CREATING for settle_s after its create's answer, then the upstream's status."""
    clock = Clock()
    settling = Settling(3.0, clock)
    made(settling)
    entry = {"computeEnvironmentArn": ARN, "status": "VALID", "state": "ENABLED"}
    assert described(settling, entry)[0]["status"] == "CREATING"
    clock.now += 3.0
    assert described(settling, entry)[0]["status"] == "VALID"


def test_an_update_of_a_busy_resource_is_refused_then_shows_updating() -> None:
    """AWS refuses to change a resource being modified; once settled, an update is taken
    (by name or ARN) and shows UPDATING."""
    clock = Clock()
    settling = Settling(3.0, clock)
    made(settling)
    request = {"computeEnvironment": "ce1", "state": "DISABLED"}
    refused = settling.refusal("UpdateComputeEnvironment", request)
    assert refused is not None
    assert refused[0] == 400
    assert json.loads(refused[2])["__type"] == "ClientException"
    clock.now += 3.0
    assert settling.refusal("UpdateComputeEnvironment", request) is None
    settling.changed("UpdateComputeEnvironment", request, {"computeEnvironmentArn": ARN})
    entry = {"computeEnvironmentArn": ARN, "status": "VALID", "state": "DISABLED"}
    assert described(settling, entry)[0]["status"] == "UPDATING"


def test_a_deleted_resource_is_listed_deleting_then_gone() -> None:
    """The upstream deleted it at once: it is still listed DELETING (when asked for, or
    when every one is listed), then no longer."""
    clock = Clock()
    settling = Settling(3.0, clock)
    made(settling)
    clock.now += 3.0
    entry = {"computeEnvironmentArn": ARN, "status": "VALID", "state": "DISABLED"}
    described(settling, entry)
    settling.changed("DeleteComputeEnvironment", {"computeEnvironment": ARN}, {})
    shown = described(settling, asked=[ARN])
    assert [(e["computeEnvironmentArn"], e["status"]) for e in shown] == [(ARN, "DELETING")]
    assert described(settling)[0]["status"] == "DELETING"
    assert described(settling, asked=["another"]) == []
    clock.now += 3.0
    assert described(settling, asked=[ARN]) == []


def test_off_by_default() -> None:
    """settle_s 0: answers as the upstream gives them, nothing refused."""
    settling = Settling(0.0)
    made(settling)
    entry = {"computeEnvironmentArn": ARN, "status": "VALID"}
    assert described(settling, entry) == [entry]
    assert settling.refusal("DeleteComputeEnvironment", {"computeEnvironment": ARN}) is None


def test_queues_settle_on_their_own() -> None:
    """A queue's life is its own: its update does not make its compute environment busy."""
    clock = Clock()
    settling = Settling(3.0, clock)
    settling.changed("CreateJobQueue", {"jobQueueName": "q1"}, {"jobQueueArn": QUEUE})
    assert settling.refusal("UpdateJobQueue", {"jobQueue": "q1", "state": "DISABLED"})
    assert settling.refusal("UpdateComputeEnvironment", {"computeEnvironment": ARN}) is None
