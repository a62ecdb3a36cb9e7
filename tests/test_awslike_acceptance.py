"""Acceptance of the AWS-like endpoint (issue 9): the whole suite against the reference (the
session's shared run) and through the AWS-like endpoint in front of a reference, with the
same verdicts; the AWS-like run really met throttling, nulls and late jobs."""

from __future__ import annotations

import pytest

from tests.suite_runs import REFERENCE_ARGS, SEED_REFERENCE, AwsLikeRuns, Run, through_awslike

MIN_CASES = 100  # a whole run has several hundred cases: fewer means the run did not happen
acceptance_group = pytest.mark.xdist_group(SEED_REFERENCE)  # reads the shared reference run


@pytest.fixture(scope="module")
def acceptance(
    moto_url: str, seed_reference: Run, tmp_path_factory: pytest.TempPathFactory
) -> AwsLikeRuns:
    """The whole suite against the reference (the session's shared run), and once through
    the AWS-like endpoint (seed 7) in front of a reference on the same moto server, with the
    same options."""
    folder = tmp_path_factory.mktemp("awslike")
    awslike, proxy = through_awslike(moto_url, folder, REFERENCE_ARGS)
    return AwsLikeRuns(seed_reference, awslike, proxy)


@acceptance_group
def test_acceptance_reference_passes(acceptance: AwsLikeRuns) -> None:
    """The whole suite, run with workers, passes the reference endpoint: exit 0 (the job
    lifecycle's cases not testable, moto's jobs completing at submission)."""
    run = acceptance.reference
    assert len(run.results) >= MIN_CASES, run.explain()
    assert not run.false_alarms(), run.explain()
    assert run.code == 0, run.explain()


@acceptance_group
def test_acceptance_awslike_changes_no_verdict(acceptance: AwsLikeRuns) -> None:
    """Through nulls, throttling, latency and late jobs: the same cases, the same outcome
    for each, the same exit code; no case fails or errors that passed the reference."""
    reference, awslike = acceptance.reference, acceptance.awslike
    assert len(reference.results) >= MIN_CASES, reference.explain()
    assert set(awslike.results) == set(reference.results), awslike.explain()
    extra = [
        r
        for r in awslike.not_passed()
        if reference.results.get(r["id"], {}).get("outcome") != r["outcome"]
    ]
    assert not extra, (
        "verdicts changed through the AWS-like endpoint:\n"
        + "\n".join(f"{r['outcome']} {r['id']} [{r['rule']}]: {r['message']}" for r in extra)
        + f"\n(run took {awslike.seconds:.1f} s)\n{awslike.stderr[-1500:]}"
    )
    changed = reference.outcomes_changed(awslike)
    assert not changed, f"outcomes changed (reference, AWS-like): {changed}"
    assert awslike.code == reference.code, awslike.explain()


@acceptance_group
def test_acceptance_throttled_calls_were_retried(acceptance: AwsLikeRuns) -> None:
    """The AWS-like run met 429s and its report counts the retries that got past them."""
    throttled = acceptance.proxy.throttle.throttled
    assert throttled > 0, "the AWS-like endpoint throttled nothing"
    report = acceptance.awslike.report
    retries = sum(r.get("retries", 0) for r in report.get("results", []))
    assert 0 < retries <= throttled, f"{retries} retries reported, {throttled} calls throttled"
    run_level = report.get("summary", {}).get("retries", report.get("retries"))
    if run_level is not None:
        assert retries <= run_level <= throttled, f"run-level retries {run_level}"


@acceptance_group
def test_acceptance_awslike_conditions_were_met(acceptance: AwsLikeRuns) -> None:
    """The AWS-like run really got nulls and late jobs (else the comparison proves nothing)."""
    proxy = acceptance.proxy
    assert proxy.nulled > 0, "no answer got a null"
    assert proxy.visibility.hidden > 0, "no job was ever hidden from DescribeJobs"
