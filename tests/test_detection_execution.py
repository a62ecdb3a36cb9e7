"""Proof of the job lifecycle cases (issue 18 §4): where jobs run as their command says, the
cases pass and find nothing; each execution fault is caught by its own rules; where jobs
complete at submission, the run says so once and skips the cases with that reason.

A moto server, the reference `FaultyProxy` before it, and the AWS-like endpoint before that
with its execution model (`tests/awslike/execution.py`), switched to one fault or none. The
runs go together: no timeout is shorter than 60 s, and the timeout cases of one run wait
once, together.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial

import pytest

from conformance.lifecycle import AT_SUBMISSION, NOT_TESTABLE
from tests.awslike import AwsLikeProxy
from tests.awslike.execution import FAULTS, Execution
from tests.conftest import moto_server
from tests.faulty.proxy import FaultyProxy
from tests.suite_runs import Run, run_suite

pytestmark = pytest.mark.xdist_group("detection-execution")  # its tests read one set of runs
EXECUTION = "execution::test_"
CASES = tuple(
    EXECUTION + name
    for name in (
        "dependent_job_waits_for_its_dependency",
        "dependent_job_fails_with_its_dependency",
        "failing_job_is_retried_up_to_its_attempts",
        "job_past_its_timeout_is_terminated",
        "timed_out_job_is_not_retried",
        "submit_timeout_overrides_the_definition_s",
        "array_children_time_out",
    )
)
TIMEOUT_CASES = CASES[3:]
CURRENT_CASES = (
    *CASES,
    EXECUTION + "terminated_running_job_fails_with_the_reason",
    "lifecycles::test_stop_job_fails_it_with_reason[TerminateJob]",
    "lifecycles::test_stop_job_fails_it_with_reason[CancelJob]",
)
TIMEOUTS_TOGETHER_S = 180.0
# Each fault, and the rules that must catch it (and the only ones that may).
CAUGHT_BY: dict[str, frozenset[str]] = {
    "timeout-not-enforced": frozenset(
        {
            "SubmitJob.behaviour.timeout-enforced",
            "SubmitJob.behaviour.timeout-override-enforced",
            "SubmitJob.behaviour.array-timeout-enforced",
        }
    ),
    "timed-out-retried": frozenset({"SubmitJob.behaviour.timeout-not-retried"}),
    "dependency-ignored": frozenset(
        {"SubmitJob.behaviour.depends-on-waits", "SubmitJob.behaviour.depends-on-failed"}
    ),
    "exit-code-lost": frozenset({"SubmitJob.behaviour.retries"}),
}
SERIAL = ("--strict", "--workers", "1")
SUITE_TIMEOUT_S = 900


@dataclass(frozen=True)
class Plan:
    """One run: the endpoint (AWS-like with this fault, or the plain reference) and cases."""

    name: str
    fault: str | None
    modelled: bool
    cases: tuple[str, ...]
    args: tuple[str, ...] = SERIAL
    like_aws: bool = False


PLANS = (
    # the whole seed suite under every AWS condition, jobs running: no finding at all
    Plan("whole", None, True, (), ("--workers", "2", "--seed", "7"), like_aws=True),
    Plan("current", None, True, CURRENT_CASES, ("--scope", "current", *SERIAL)),
    Plan("plain", None, False, CASES),
    *(Plan(fault, fault, True, CASES) for fault in FAULTS),
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """Every plan's run, all at once, each through proxies of its own, on a moto server of
    their own."""
    folders = {plan.name: tmp_path_factory.mktemp(plan.name) for plan in PLANS}

    def run(url: str, plan: Plan) -> Run:
        with FaultyProxy(url) as reference, ExitStack() as stack:
            endpoint = reference.url
            if plan.modelled:
                execution = Execution(fault=plan.fault)
                proxy = (
                    AwsLikeProxy.like_aws(reference.url, seed=7, execution=execution)
                    if plan.like_aws
                    else AwsLikeProxy(reference.url, execution=execution)
                )
                endpoint = stack.enter_context(proxy).url
            return run_suite(
                endpoint,
                None,
                folders[plan.name],
                plan.cases,
                extra_args=plan.args,
                timeout_s=SUITE_TIMEOUT_S,
            )

    with moto_server() as url, ThreadPoolExecutor(len(PLANS)) as pool:
        yield dict(zip((p.name for p in PLANS), pool.map(partial(run, url), PLANS), strict=True))


def test_every_fault_has_its_rules() -> None:
    assert set(CAUGHT_BY) == set(FAULTS)


def test_jobs_that_run_as_on_aws_give_no_finding(runs: dict[str, Run]) -> None:
    """The whole seed suite through the AWS-like endpoint whose jobs run: the lifecycle is
    modelled, every execution case passes, and the run finds nothing (exit 0)."""
    run = runs["whole"]
    assert run.report.get("lifecycle", "").startswith("modelled ("), run.explain()
    for case in CASES:
        assert run.results[case]["outcome"] == "passed", f"{case}\n{run.explain()}"
    assert run.report["findings"] == [], run.explain()
    assert run.code == 0, run.explain()


def test_today_s_api_terminates_and_cancels_running_and_waiting_jobs(runs: dict[str, Run]) -> None:
    """The current scope's lifecycle cases pass where jobs run: TerminateJob of a RUNNING
    job, CancelJob and TerminateJob of one not started."""
    run = runs["current"]
    for case in CURRENT_CASES:
        assert run.results[case]["outcome"] == "passed", f"{case}\n{run.explain()}"
    assert run.report["findings"] == [], run.explain()


@pytest.mark.parametrize("name", ["whole", "current"])
def test_the_timeout_cases_finish_within_three_minutes_together(
    runs: dict[str, Run], name: str
) -> None:
    """Their jobs are submitted together: together they take about one timeout, not four."""
    run = runs[name]
    took = sum(run.results[case]["duration_s"] for case in TIMEOUT_CASES)
    assert took < TIMEOUTS_TOGETHER_S, f"the timeout cases took {took:.0f} s\n{run.explain()}"


def test_jobs_that_complete_at_submission_are_said_not_testable(runs: dict[str, Run]) -> None:
    """Against the reference (moto's jobs complete at once): the run says so once, and each
    lifecycle case is skipped with that reason, never passed nor failed."""
    run = runs["plain"]
    assert run.report["lifecycle"] == f"not modelled ({AT_SUBMISSION})", run.explain()
    assert "job lifecycle: not modelled (jobs complete at submission)" in run.stderr
    reason = f"{NOT_TESTABLE}: job lifecycle: not modelled ({AT_SUBMISSION})"
    for case in CASES:
        result = run.results[case]
        assert result["outcome"] == "skipped", f"{case}\n{run.explain()}"
        assert result["message"] == reason, result["message"]
    assert run.code == 0, run.explain()


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_execution_fault_is_caught_by_its_own_rules(runs: dict[str, Run], fault: str) -> None:
    """The run fails (exit 1) for exactly the rules that state what the fault breaks."""
    run = runs[fault]
    assert run.report.get("lifecycle", "").startswith("modelled ("), run.explain()
    judged = [r for r in run.not_passed() if r["outcome"] != "skipped"]
    blamed = {r["rule"] for r in judged}
    assert blamed == CAUGHT_BY[fault], f"blamed {sorted(blamed)}\n{run.explain()}"
    for result in judged:
        assert result["outcome"] == "failed", f"{result['id']}\n{run.explain()}"
    assert run.code == 1, run.explain()
