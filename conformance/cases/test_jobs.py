"""Documented behaviour of SubmitJob and DescribeJobs."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from conformance.casekit import DOCUMENTED_STATUSES, SETTLED, Batch
from conformance.provision import NO_INSTANCES
from conformance.rulebook import behaviour
from conformance.scopes import SEED

CLOCK_SKEW_MS = 15 * 60 * 1000


@pytest.mark.batch_rule(behaviour("SubmitJob.behaviour.echo", SEED))
def test_submit_answers_name_and_id(batch: Batch) -> None:
    """SubmitJob answers with the jobName sent and a jobId that DescribeJobs knows."""
    name = batch.name("echo")
    body = batch.submit(jobName=name)
    assert body.get("jobName") == name, f"jobName {body.get('jobName')!r}, sent {name!r}"
    job = batch.describe_job(str(body.get("jobId")))
    assert job.get("jobName") == name, f"DescribeJobs jobName {job.get('jobName')!r}"


@pytest.mark.batch_rule(behaviour("SubmitJob.behaviour.timeout-override", SEED))
def test_timeout_override(batch: Batch) -> None:
    """A timeout given to SubmitJob overrides the definition's and shows in DescribeJobs."""
    definition = batch.register(timeout={"attemptDurationSeconds": 120})["jobDefinitionArn"]
    job_id = batch.submit(jobDefinition=definition, timeout={"attemptDurationSeconds": 300})[
        "jobId"
    ]
    timeout = batch.describe_job(job_id).get("timeout")
    assert timeout == {"attemptDurationSeconds": 300}, (
        f"DescribeJobs timeout {timeout!r}, submitted {{'attemptDurationSeconds': 300}}"
        " over a definition with 120"
    )


@pytest.mark.batch_rule(behaviour("SubmitJob.behaviour.retry-strategy", SEED))
def test_retry_strategy(batch: Batch) -> None:
    """The retryStrategy of SubmitJob overrides the definition's and shows in DescribeJobs."""
    definition = batch.register(retryStrategy={"attempts": 2})["jobDefinitionArn"]
    job_id = batch.submit(jobDefinition=definition, retryStrategy={"attempts": 3})["jobId"]
    strategy = batch.describe_job(job_id).get("retryStrategy")
    attempts = strategy.get("attempts") if isinstance(strategy, dict) else None
    assert attempts == 3, f"DescribeJobs retryStrategy {strategy!r}, submitted attempts 3"


@pytest.mark.batch_rule(behaviour("SubmitJob.behaviour.parameters", SEED))
def test_parameters_override(batch: Batch) -> None:
    """SubmitJob parameters override the definition's defaults; the others are kept."""
    definition = batch.register(parameters={"keep": "from-definition", "swap": "old"})
    job_id = batch.submit(jobDefinition=definition["jobDefinitionArn"], parameters={"swap": "new"})[
        "jobId"
    ]
    parameters = batch.describe_job(job_id).get("parameters")
    wanted = {"keep": "from-definition", "swap": "new"}
    assert parameters == wanted, f"DescribeJobs parameters {parameters!r}, expected {wanted!r}"


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {e.get("name"): e.get("value") for e in container.get("environment") or []}


@pytest.mark.batch_rule(behaviour("SubmitJob.behaviour.container-overrides", SEED))
def test_container_overrides(batch: Batch) -> None:
    """containerOverrides (vcpus, memory, command, environment) show in DescribeJobs."""
    definition = batch.register(
        containerProperties={
            "image": "busybox",
            "vcpus": 1,
            "memory": 128,
            "command": ["echo", "definition"],
            "environment": [{"name": "BC_KEEP", "value": "kept"}],
        }
    )["jobDefinitionArn"]
    overrides = {
        "vcpus": 2,
        "memory": 256,
        "command": ["echo", "job"],
        "environment": [{"name": "BC_ADDED", "value": "added"}],
    }
    job_id = batch.submit(jobDefinition=definition, containerOverrides=overrides)["jobId"]
    container = batch.describe_job(job_id).get("container") or {}
    got = {k: container.get(k) for k in ("vcpus", "memory", "command")}
    wanted = {k: overrides[k] for k in ("vcpus", "memory", "command")}
    assert got == wanted, f"DescribeJobs container {got!r}, overrides sent {wanted!r}"
    env = _env(container)
    assert env.get("BC_ADDED") == "added", f"override variable BC_ADDED missing: {env!r}"
    assert env.get("BC_KEEP") == "kept", f"definition variable BC_KEEP lost: {env!r}"


@pytest.mark.batch_rule(behaviour("SubmitJob.behaviour.array-job", SEED))
def test_array_job(batch: Batch) -> None:
    """An array job of size 3: parent with size and statusSummary, children :0..:2 with index."""
    parent_id = batch.submit(arrayProperties={"size": 3})["jobId"]
    ids = [parent_id] + [f"{parent_id}:{i}" for i in range(3)]
    jobs = batch.describe_jobs(ids)  # children are spawned asynchronously: a bounded wait
    parent = jobs.get(parent_id) or {}
    props = parent.get("arrayProperties") or {}
    assert props.get("size") == 3, f"parent arrayProperties {props!r}, expected size 3"
    assert isinstance(props.get("statusSummary"), dict), (
        f"parent arrayProperties has no statusSummary: {props!r}"
    )
    for index in range(3):
        child = jobs.get(f"{parent_id}:{index}")
        assert child is not None, (
            f"child {parent_id}:{index} not returned by DescribeJobs (bounded wait)"
        )
        child_index = (child.get("arrayProperties") or {}).get("index")
        assert child_index == index, f"child :{index} has arrayProperties.index {child_index!r}"


@pytest.mark.batch_rule(behaviour("SubmitJob.behaviour.array-timeout", SEED))
def test_array_children_timeout(batch: Batch) -> None:
    """Array children carry the parent's timeout."""
    timeout = {"attemptDurationSeconds": 180}
    parent_id = batch.submit(arrayProperties={"size": 2}, timeout=timeout)["jobId"]
    child = batch.describe_job(f"{parent_id}:1")
    assert child.get("timeout") == timeout, f"child timeout {child.get('timeout')!r}"


@pytest.mark.batch_rule(behaviour("SubmitJob.behaviour.depends-on", SEED))
@pytest.mark.parametrize("kind", ["plain", "N_TO_N", "SEQUENTIAL"])
def test_depends_on_echoed(batch: Batch, kind: str) -> None:
    """dependsOn (plain, N_TO_N, SEQUENTIAL) is echoed by DescribeJobs."""
    extra: dict[str, Any] = {}
    if kind == "plain":
        depends = [{"jobId": batch.anchor_jobs(1)[0]}]
    elif kind == "N_TO_N":
        first = batch.submit(arrayProperties={"size": 2})["jobId"]
        depends = [{"jobId": first, "type": "N_TO_N"}]
        extra["arrayProperties"] = {"size": 2}
    else:
        depends = [{"type": "SEQUENTIAL"}]
        extra["arrayProperties"] = {"size": 2}
    job_id = batch.submit(dependsOn=depends, **extra)["jobId"]
    echoed = batch.describe_job(job_id).get("dependsOn")
    assert echoed == depends, f"DescribeJobs dependsOn {echoed!r}, submitted {depends!r}"


@pytest.mark.batch_rule(behaviour("DescribeJobs.behaviour.unknown-id", SEED))
def test_unknown_id_absent(batch: Batch) -> None:
    """An unknown job ID is simply absent from the answer, without an error."""
    known = batch.anchor_jobs(1)[0]
    unknown = str(uuid.uuid4())
    ids = list(batch.describe_jobs([known, unknown], expected=[known]))
    assert unknown not in ids, "DescribeJobs returned an entry for an unknown ID"
    assert ids == [known], f"DescribeJobs returned {ids!r}, expected only the known job"


@pytest.mark.batch_rule(behaviour("DescribeJobs.behaviour.created-at", SEED))
def test_created_at_epoch_ms(batch: Batch) -> None:
    """createdAt is the submission time in epoch milliseconds."""
    before = int(time.time() * 1000)
    job_id = batch.submit()["jobId"]
    after = int(time.time() * 1000)
    created = batch.describe_job(job_id).get("createdAt")
    assert isinstance(created, int), f"createdAt {created!r} is not an integer"
    assert before - CLOCK_SKEW_MS <= created <= after + CLOCK_SKEW_MS, (
        f"createdAt {created} is not the submission time in epoch ms (~{before})"
    )


@pytest.mark.batch_rule(behaviour("DescribeJobs.behaviour.status-flow", SEED))
def test_status_flow(batch: Batch) -> None:
    """A submitted job shows a documented status and settles (bounded wait)."""
    resources = batch.resources
    if not resources.runs_jobs:
        pytest.skip(NO_INSTANCES)
    job_id = batch.submit(jobDefinition=resources.runnable_definition)["jobId"]
    status = batch.describe_job(job_id).get("status")
    assert status in DOCUMENTED_STATUSES, f"status {status!r} is not a documented status"
    settled = batch.wait_for_status(job_id, SETTLED)
    assert settled.get("status") in SETTLED
