"""The job lifecycle, decided once per run (conformance/lifecycle.py), and said once: on the
console, in every report, as a row of the matrix, and as the reason its cases are skipped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.lifecycle import (
    AT_SUBMISSION,
    MODELLED,
    NO_JOBS_RUN,
    NOT_MODELLED,
    NOT_TESTABLE,
    PROBE_STOPPED,
    Lifecycle,
    decide,
)
from conformance.provision import NO_INSTANCES, Resources
from conformance.reports import write_reports
from conformance.reports.compare import build_matrix
from conformance.reports.matrix_legend import LIFECYCLE_ROW
from conformance.reports.matrix_render import render_markdown
from conformance.reports.questions import LIFECYCLE_UNKNOWN
from conformance.reports.summary import summary_text
from conformance.results import CaseResult, RunResult, TargetInfo

RESOURCES = Resources(prefix="bc1", job_queue="q", job_definition="d:1", job_definition_name="d")


class FakeBatch:
    """A Batch client whose probe job shows the statuses given, one per DescribeJobs."""

    def __init__(self, statuses: list[str | None], refuse: bool = False) -> None:
        self._statuses: Iterator[str | None] = iter(statuses)
        self._last: str | None = None
        self.refuse = refuse
        self.submitted: list[dict[str, Any]] = []
        self.terminated: list[dict[str, Any]] = []

    def submit_job(self, **params: Any) -> dict[str, Any]:
        if self.refuse:
            raise ClientError({"Error": {"Code": "ClientException", "Message": "no"}}, "SubmitJob")
        self.submitted.append(params)
        return {"jobId": "probe", "jobName": params["jobName"]}

    def describe_jobs(self, jobs: list[str]) -> dict[str, Any]:
        self._last = next(self._statuses, self._last)
        if self._last is None:
            return {"jobs": []}
        job: dict[str, Any] = {"jobId": "probe", "status": self._last}
        if self._last == "RUNNING":
            job["startedAt"] = 1_800_000_000_000
        return {"jobs": [job]}

    def terminate_job(self, **params: Any) -> dict[str, Any]:
        self.terminated.append(params)
        return {}


def test_jobs_that_complete_at_submission_are_not_modelled() -> None:
    """moto and ministack: SUCCEEDED at the first look."""
    client = FakeBatch(["SUCCEEDED"])
    found = decide(client, RESOURCES, 1.0, "bc1")
    assert found == Lifecycle(NOT_MODELLED, AT_SUBMISSION)
    assert found.line == "job lifecycle: not modelled (jobs complete at submission)"
    assert client.submitted[0]["containerOverrides"] == {"command": ["sleep", "120"]}
    assert client.submitted[0]["jobName"] == "bc1-lifecycle-probe"
    assert client.terminated == []


def test_a_job_seen_running_with_a_start_is_modelled_and_stopped() -> None:
    """Late at first, then RUNNABLE, then RUNNING with a startedAt: modelled; terminated."""
    client = FakeBatch([None, "RUNNABLE", "STARTING", "RUNNING"])
    found = decide(client, RESOURCES, 5.0, "bc1")
    assert found.modelled
    assert found.verdict == MODELLED
    assert client.terminated == [{"jobId": "probe", "reason": PROBE_STOPPED}]


def test_a_job_that_never_starts_is_not_modelled() -> None:
    client = FakeBatch(["RUNNABLE"])
    found = decide(client, RESOURCES, 0.3, "bc1")
    assert found.verdict == NOT_MODELLED
    assert found.reason.startswith("jobs never start: the probe job was still RUNNABLE")
    assert client.terminated  # the probe is stopped, not left running


def test_a_queue_without_instances_is_not_testable_without_a_probe() -> None:
    client = FakeBatch([])
    found = decide(client, Resources(**{**vars(RESOURCES), "runs_jobs": False}), 1.0, "bc1")
    assert found == Lifecycle(NO_JOBS_RUN, NO_INSTANCES)
    assert client.submitted == []


def test_a_refused_probe_is_not_modelled_and_never_fatal() -> None:
    found = decide(FakeBatch([], refuse=True), RESOURCES, 1.0, "bc1")
    assert found.verdict == NOT_MODELLED
    assert found.reason.startswith("the probe job was refused")


def test_the_skip_reason_says_not_testable_and_why() -> None:
    found = Lifecycle(NOT_MODELLED, AT_SUBMISSION)
    assert found.skip_reason == (
        f"{NOT_TESTABLE}: job lifecycle: not modelled (jobs complete at submission)"
    )
    assert Lifecycle.from_dict(found.to_dict()) == found


def _run(lifecycle: str | None, target: str = "moto") -> RunResult:
    skip = f"{NOT_TESTABLE}: job lifecycle: {lifecycle}"
    results = [
        CaseResult(
            id="execution::test_job_past_its_timeout_is_terminated",
            outcome="skipped" if lifecycle and lifecycle.startswith("not") else "passed",
            rule="SubmitJob.behaviour.timeout-enforced",
            operation="SubmitJob",
            message=skip if lifecycle and lifecycle.startswith("not") else "",
        )
    ]
    return RunResult(
        target=TargetInfo(name=target, endpoint=None, region="us-east-1", version="1"),
        sdk={"botocore": "1.44.5"},
        started_at="2026-12-02T00:00:00+00:00",
        duration_s=1.0,
        results=results,
        lifecycle=lifecycle,
    )


def test_the_lifecycle_is_said_on_the_console_and_in_every_report(tmp_path: Path) -> None:
    run = _run("not modelled (jobs complete at submission)")
    line = "job lifecycle: not modelled (jobs complete at submission)"
    assert line in summary_text(run)
    written = write_reports(run, tmp_path, {})
    texts = {p.name: p.read_text(encoding="utf-8") for p in written}
    assert "**Job lifecycle:** not modelled (jobs complete at submission)" in texts["report.md"]
    assert (
        "<b>Job lifecycle:</b> not modelled (jobs complete at submission)" in texts["report.html"]
    )
    assert '"lifecycle": "not modelled (jobs complete at submission)"' in texts["report.json"]


def test_the_matrix_has_a_lifecycle_row_and_says_not_testable_never_zero_findings() -> None:
    runs = [
        _run("not modelled (jobs complete at submission)", "moto"),
        _run("modelled (a job whose command sleeps 120 s ran: RUNNING, with a startedAt)", "x"),
    ]
    matrix = build_matrix(runs, ["moto", "aws-like"])
    assert matrix.lifecycle == (
        "not modelled (jobs complete at submission)",
        "modelled (a job whose command sleeps 120 s ran: RUNNING, with a startedAt)",
    )
    rule = next(r for r in matrix.rules if r.id == "SubmitJob.behaviour.timeout-enforced")
    assert rule.cells == (NOT_TESTABLE, "pass 1/1")
    case = next(r for r in matrix.cases if r.id.startswith("execution::"))
    assert case.cells == (NOT_TESTABLE, "passed")
    text = render_markdown(matrix)
    assert f"| {LIFECYCLE_ROW} | not modelled (jobs complete at submission) |" in text
    assert f"- `{NOT_TESTABLE}`:" in text


@pytest.mark.parametrize("lifecycle", [None])
def test_a_report_without_a_lifecycle_shows_none(lifecycle: str | None) -> None:
    """Reports written before the lifecycle was decided: 'not recorded', no legend entry."""
    matrix = build_matrix([_run(lifecycle)], ["moto"])
    assert matrix.lifecycle == (LIFECYCLE_UNKNOWN,)
    text = render_markdown(matrix)
    assert f"- `{LIFECYCLE_ROW}`:" not in text
    assert NOT_TESTABLE not in text
