"""The AWS-like endpoint's execution model (tests/awslike/execution.py), on a clock of its own:
jobs run for as long as their command says, exit with its code, time out from `startedAt`,
retry up to their attempts, wait for their dependencies, and stop when terminated; each
fault breaks exactly what it names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.awslike.execution import DEPENDENCY_FAILED, FAULTS, TIMED_OUT, Execution, parse_command

Json = dict[str, Any]
T0 = 1_800_000_000.0


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def model(clock: Clock, fault: str | None = None) -> Execution:
    made = Execution(fault=fault, clock=clock, submitted_s=0.2, runnable_s=0.5, starting_s=0.5)
    definition = {
        "jobDefinitionName": "d",
        "type": "container",
        "containerProperties": {"image": "busybox", "command": ["true"]},
    }
    answer = {"jobDefinitionArn": "arn:aws:batch:us-east-1:123456789012:job-definition/d:1"}
    made.answered(
        "RegisterJobDefinition", json.dumps(definition).encode(), {**answer, "revision": 1}
    )
    return made


def submit(execution: Execution, job_id: str, command: list[str], **extra: Any) -> None:
    request = {"jobName": job_id, "jobQueue": "q", "jobDefinition": "d:1", **extra}
    request["containerOverrides"] = {"command": command}
    execution.answered("SubmitJob", json.dumps(request).encode(), {"jobId": job_id})


def describe(execution: Execution, *job_ids: str) -> dict[str, Json]:
    """What DescribeJobs shows now (moto's answer: every job SUCCEEDED at once)."""
    moto = {
        "jobs": [
            {
                "jobId": i,
                "status": "SUCCEEDED",
                "startedAt": 1,
                "stoppedAt": 2,
                "attempts": [],
                "container": {"logStreamName": "moto"},
            }
            for i in job_ids
        ]
    }
    answer = execution.answered("DescribeJobs", b"{}", moto)
    return {j["jobId"]: j for j in answer["jobs"]}


def at(clock: Clock, seconds: float) -> None:
    clock.now = T0 + seconds


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["sleep", "600"], (600.0, 0)),
        (["sh", "-c", "sleep 15; exit 3"], (15.0, 3)),
        (["sh", "-c", "exit 1"], (0.0, 1)),
        (["true"], (0.0, 0)),
        (None, (0.0, 0)),
    ],
)
def test_a_command_says_how_long_it_runs_and_its_exit_code(command: Any, expected: Any) -> None:
    assert parse_command(command) == expected


def test_a_job_passes_every_status_and_runs_as_long_as_its_command(clock: Clock) -> None:
    """SUBMITTED, RUNNABLE, STARTING, RUNNING (startedAt, log stream), SUCCEEDED with exit
    code 0 in the job and its one attempt, stoppedAt 10 s after startedAt (PENDING is for
    jobs that wait on others)."""
    execution = model(clock)
    submit(execution, "j", ["sleep", "10"])
    seen = []
    for second in (0.1, 0.5, 0.9, 5.0, 12.0):
        at(clock, second)
        seen.append(describe(execution, "j")["j"]["status"])
    assert seen == ["SUBMITTED", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"]
    at(clock, 5.0)
    running = describe(execution, "j")["j"]
    assert running["startedAt"] == int((T0 + 1.2) * 1000)
    assert "stoppedAt" not in running
    assert running["container"]["logStreamName"].startswith("d/default/")
    assert "exitCode" not in running["container"]
    at(clock, 12.0)
    done = describe(execution, "j")["j"]
    assert done["stoppedAt"] - done["startedAt"] == 10_000
    assert done["container"]["exitCode"] == 0
    assert [a["container"]["exitCode"] for a in done["attempts"]] == [0]


def test_before_it_runs_a_job_has_no_start_exit_code_or_stream(clock: Clock) -> None:
    execution = model(clock)
    submit(execution, "j", ["sleep", "10"])
    at(clock, 0.6)
    job = describe(execution, "j")["j"]
    assert job["status"] == "RUNNABLE"
    assert "startedAt" not in job
    assert "logStreamName" not in job["container"]
    assert job["attempts"] == []


def test_a_timeout_counts_from_started_at_and_is_not_retried(clock: Clock) -> None:
    execution = model(clock)
    submit(
        execution,
        "j",
        ["sleep", "600"],
        timeout={"attemptDurationSeconds": 60},
        retryStrategy={"attempts": 3},
    )
    at(clock, 61.0)
    assert describe(execution, "j")["j"]["status"] == "RUNNING"
    at(clock, 61.3)
    job = describe(execution, "j")["j"]
    assert (job["status"], job["statusReason"]) == ("FAILED", TIMED_OUT)
    assert job["stoppedAt"] - job["startedAt"] == 60_000
    assert len(job["attempts"]) == 1


def test_the_definition_s_timeout_is_enforced_unless_submit_job_gives_one(clock: Clock) -> None:
    execution = model(clock)
    definition = {
        "jobDefinitionName": "slow",
        "type": "container",
        "timeout": {"attemptDurationSeconds": 3600},
        "containerProperties": {"image": "busybox", "command": ["sleep", "600"]},
    }
    answer = {"jobDefinitionArn": "arn:aws:batch:us-east-1:1:job-definition/slow:1", "revision": 1}
    execution.answered("RegisterJobDefinition", json.dumps(definition).encode(), answer)
    request = {"jobName": "o", "jobDefinition": answer["jobDefinitionArn"]}
    for job_id, timeout in (("own", 60), ("definition", None)):
        sent = {**request, **({"timeout": {"attemptDurationSeconds": timeout}} if timeout else {})}
        execution.answered("SubmitJob", json.dumps(sent).encode(), {"jobId": job_id})
    at(clock, 62.0)
    jobs = describe(execution, "own", "definition")
    assert jobs["own"]["status"] == "FAILED"
    assert jobs["definition"]["status"] == "RUNNING"


def test_a_failing_job_is_retried_with_each_exit_code(clock: Clock) -> None:
    execution = model(clock)
    submit(execution, "j", ["sh", "-c", "exit 3"], retryStrategy={"attempts": 3})
    at(clock, 30.0)
    job = describe(execution, "j")["j"]
    assert job["status"] == "FAILED"
    assert [a["container"]["exitCode"] for a in job["attempts"]] == [3, 3, 3]
    assert job["container"]["exitCode"] == 3


def test_array_children_run_the_parent_s_command_and_the_parent_sums_them(clock: Clock) -> None:
    execution = model(clock)
    submit(execution, "p", ["sleep", "600"], timeout={"attemptDurationSeconds": 60})
    execution.answered(
        "SubmitJob",
        json.dumps(
            {"jobName": "a", "jobDefinition": "d", "arrayProperties": {"size": 2}}
            | {"containerOverrides": {"command": ["sleep", "5"]}}
        ).encode(),
        {"jobId": "a"},
    )
    at(clock, 3.0)
    jobs = describe(execution, "a", "a:0", "a:1")
    assert jobs["a:0"]["status"] == jobs["a:1"]["status"] == "RUNNING"
    assert jobs["a"]["status"] == "RUNNING"
    assert "startedAt" not in jobs["a"]
    at(clock, 10.0)
    jobs = describe(execution, "a", "a:0", "a:1")
    assert jobs["a"]["status"] == "SUCCEEDED"
    assert jobs["a"]["arrayProperties"]["statusSummary"]["SUCCEEDED"] == 2


def test_a_dependent_job_waits_then_runs_or_fails_with_its_dependency(clock: Clock) -> None:
    execution = model(clock)
    submit(execution, "first", ["sleep", "15"])
    submit(execution, "then", ["true"], dependsOn=[{"jobId": "first"}])
    submit(execution, "bad", ["sh", "-c", "exit 1"])
    submit(execution, "orphan", ["true"], dependsOn=[{"jobId": "bad"}])
    at(clock, 10.0)
    jobs = describe(execution, "first", "then", "orphan")
    assert (jobs["first"]["status"], jobs["then"]["status"]) == ("RUNNING", "PENDING")
    assert (jobs["orphan"]["status"], jobs["orphan"]["statusReason"]) == (
        "FAILED",
        DEPENDENCY_FAILED,
    )
    assert "startedAt" not in jobs["orphan"]
    at(clock, 30.0)
    jobs = describe(execution, "first", "then")
    assert jobs["then"]["status"] == "SUCCEEDED"
    assert jobs["then"]["startedAt"] >= jobs["first"]["stoppedAt"]


def test_terminate_stops_a_running_job_and_cancel_only_one_not_started(clock: Clock) -> None:
    execution = model(clock)
    for job_id in ("run", "cancel-running", "queued"):
        submit(execution, job_id, ["sleep", "600"])
    at(clock, 0.3)
    execution.answered("CancelJob", json.dumps({"jobId": "queued", "reason": "no"}).encode(), {})
    at(clock, 5.0)
    for operation, job_id in (("TerminateJob", "run"), ("CancelJob", "cancel-running")):
        sent = json.dumps({"jobId": job_id, "reason": "stop"}).encode()
        execution.answered(operation, sent, {})
    at(clock, 6.0)
    jobs = describe(execution, "run", "cancel-running", "queued")
    assert (jobs["run"]["status"], jobs["run"]["statusReason"]) == ("FAILED", "stop")
    assert jobs["cancel-running"]["status"] == "RUNNING"
    assert (jobs["queued"]["status"], jobs["queued"]["statusReason"]) == ("FAILED", "no")
    assert "startedAt" not in jobs["queued"]


def test_list_jobs_by_status_lists_what_the_model_says_is_in_it(clock: Clock) -> None:
    """The request goes upstream without jobStatus; the answer keeps that status only."""
    execution = model(clock)
    submit(execution, "slow", ["sleep", "600"])
    submit(execution, "quick", ["true"])
    sent = json.dumps({"jobQueue": "q", "jobStatus": "RUNNING"}).encode()
    assert json.loads(execution.request("ListJobs", sent)) == {"jobQueue": "q"}
    at(clock, 5.0)
    moto = {"jobSummaryList": [{"jobId": i, "status": "SUCCEEDED"} for i in ("slow", "quick")]}
    listed = execution.answered("ListJobs", sent, moto)["jobSummaryList"]
    assert [j["jobId"] for j in listed] == ["slow"]
    named = json.dumps({"jobQueue": "q", "filters": [{"name": "JOB_NAME", "values": ["x"]}]})
    assert execution.request("ListJobs", named.encode()) == named.encode()


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_breaks_what_it_names(clock: Clock, fault: str) -> None:
    execution = model(clock, fault)
    submit(execution, "timeout", ["sleep", "600"], timeout={"attemptDurationSeconds": 60})
    retry = {"retryStrategy": {"attempts": 3}}
    submit(execution, "retried", ["sleep", "600"], timeout={"attemptDurationSeconds": 60}, **retry)
    submit(execution, "exit", ["sh", "-c", "exit 3"], **retry)
    submit(execution, "bad", ["sh", "-c", "exit 1"])
    submit(execution, "orphan", ["true"], dependsOn=[{"jobId": "bad"}])
    at(clock, 62.0)
    jobs = describe(execution, "timeout", "retried", "exit", "orphan")
    broken = {
        "timeout-not-enforced": jobs["timeout"]["status"] == "RUNNING",
        "timed-out-retried": bool(jobs["retried"]["attempts"])
        and jobs["retried"]["status"] in ("RUNNABLE", "STARTING", "RUNNING"),
        "dependency-ignored": jobs["orphan"]["status"] == "SUCCEEDED",
        "exit-code-lost": "exitCode" not in jobs["exit"]["container"],
    }
    assert {name for name, is_broken in broken.items() if is_broken} == {fault}


def test_an_unknown_fault_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown execution fault"):
        Execution(fault="slow")
