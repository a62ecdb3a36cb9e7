"""The current scope's verdicts hold under AWS conditions too (issue 9 applied to issue 12).

The whole `--scope current` suite runs twice with 4 workers, at the same time, each on a
fresh moto server of its own (what a case sees of the account, e.g. whether a listing is
short enough to page one item at a time, is then the run's own): against the reference
`FaultyProxy` (one request at a time reaches moto), and through the AWS-like endpoint in
front of another reference (nulls for every optional member of
today's answers, 10 % of calls throttled, 100 ms latency, jobs and just-made compute
environments, queues and scheduling policies hidden for a while, IAM checks). Nulls,
throttling, latency and late reads change no verdict: the same cases, the same outcome for
each, the same exit code. moto's own deviations are in both runs alike; none is asserted.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.scopes import CURRENT
from tests.conftest import moto_server
from tests.faulty.proxy import FaultyProxy
from tests.suite_runs import WHOLE_RUN_TIMEOUT_S, AwsLikeRuns, run_suite, through_awslike

SUITE_ARGS = ("--scope", "current", "--workers", "4", "--seed", "7")
pytestmark = pytest.mark.xdist_group("awslike-current")  # its tests read one pair of runs


@pytest.fixture(scope="module")
def current_acceptance(tmp_path_factory: pytest.TempPathFactory) -> AwsLikeRuns:
    """The whole current scope against a reference endpoint in front of a fresh moto server
    and, at the same time, through the AWS-like endpoint (seed 7, today's model) in front of
    a reference on another."""
    folders = {name: tmp_path_factory.mktemp(name) for name in ("reference", "awslike")}
    with (
        moto_server() as plain_url,
        moto_server() as awslike_url,
        ThreadPoolExecutor(2) as pool,
        FaultyProxy(plain_url) as reference,
    ):
        plain = pool.submit(
            run_suite,
            reference.url,
            None,
            folders["reference"],
            extra_args=SUITE_ARGS,
            timeout_s=WHOLE_RUN_TIMEOUT_S,
        )
        awslike = pool.submit(through_awslike, awslike_url, folders["awslike"], SUITE_ARGS, CURRENT)
        return AwsLikeRuns(plain.result(), *awslike.result())


def test_current_scope_verdicts_survive_aws_conditions(
    current_acceptance: AwsLikeRuns,
) -> None:
    """Every operation probed; through the AWS-like endpoint the same cases, the same
    outcome for each, the same exit code."""
    reference, awslike = current_acceptance.reference, current_acceptance.awslike
    probes = [c for c in reference.results if c.startswith("operations::")]
    assert len(probes) == len(CURRENT.operations), reference.explain()
    assert set(awslike.results) == set(reference.results), awslike.explain()
    changed = reference.outcomes_changed(awslike)
    assert not changed, f"outcomes changed (reference, AWS-like): {changed}\n{awslike.explain()}"
    assert awslike.code == reference.code, awslike.explain()


def test_current_scope_met_the_conditions(current_acceptance: AwsLikeRuns) -> None:
    """The AWS-like run was throttled, got nulls, met hidden resources, and retried."""
    proxy = current_acceptance.proxy
    assert proxy.throttle.throttled > 0, "nothing was throttled"
    assert proxy.nulled > 0, "no answer got a null"
    assert proxy.visibility.hidden_made > 0, "no just-made resource was hidden"
    report = current_acceptance.awslike.report
    assert sum(r.get("retries", 0) for r in report.get("results", [])) > 0
