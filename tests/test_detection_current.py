"""Proof of detection for today's API: each fault of `CURRENT_FAULTS` is caught by a
`--scope current` run, for its own rule, and the same cases against the reference (the proxy
with no fault, in front of the same moto server) show nothing the fault adds.

Each run selects only the few cases its fault names (`--case`), so the module stays fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faulty.current_faults import CURRENT_FAULTS
from tests.faulty.proxy import FaultyProxy, route
from tests.faulty.seed_faults import FAULTS
from tests.hostile.servers import HostileProxy
from tests.suite_runs import Run, assert_caught, on_own_proxies, run_suite

pytestmark = pytest.mark.xdist_group("detection-current")  # its tests read one set of runs

# --strict: `should` rules (the queue priority) fail the run too; a short consistency wait:
# a fault that hides what a read waits for would otherwise cost 20 s a case.
ARGS = ("--scope", "current", "--strict", "--workers", "1", "--consistency-wait", "1")
Key = tuple[str, bool]  # (fault name, faulted?): the fault's run, or its reference run


@pytest.fixture(scope="module")
def runs(moto_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[Key, Run]:
    """Per fault: a run with it and a run of the same cases without it, a few at a time.

    Each run provisions its own queue through its own proxy, which has its own memory of
    held jobs and deregistered definitions.
    """
    plan: list[Key] = [(name, faulted) for name in CURRENT_FAULTS for faulted in (True, False)]
    # made here, not in the threads: pytest's temporary folders are not thread-safe
    folders = {
        (name, faulted): tmp_path_factory.mktemp(f"{name}-{'fault' if faulted else 'reference'}")
        for name, faulted in plan
    }

    def run(proxy: FaultyProxy, key: Key) -> Run:
        name, faulted = key
        fault = CURRENT_FAULTS[name]
        proxy.fault = name if faulted else None
        proxy.hold_jobs = fault.hold_jobs
        return run_suite(proxy.url, None, folders[key], fault.cases, extra_args=ARGS)

    return on_own_proxies(moto_url, plan, run)


def test_registry_of_current_faults() -> None:
    """Today's API's faults (five at least), distinct from each other and from the seed's."""
    faults = list(CURRENT_FAULTS.values())
    assert len(faults) >= 5
    assert not set(CURRENT_FAULTS) & set(FAULTS), "a current fault shares a seed fault's name"
    assert len({f.breaks for f in faults}) == len(faults)
    for fault in faults:
        assert fault.fail, fault.name
        assert fault.rules, fault.name
        assert not set(fault.fail) & set(fault.keep), fault.name


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        ("POST", "/v1/submitjob", "SubmitJob"),
        ("POST", "/v1/createjobqueue", "CreateJobQueue"),
        ("POST", "/v1/terminatejob/", "TerminateJob"),
        ("POST", "/v1/listjobs?x=1", "ListJobs"),
        ("GET", "/v1/tags/arn%3Aaws%3Abatch%3Aus-east-1%3A1%3Ajob%2Fx", "ListTagsForResource"),
        ("POST", "/v1/tags/arn%3Aaws", "TagResource"),
        ("DELETE", "/v1/tags/arn%3Aaws?tagKeys=a", "UntagResource"),
        ("POST", "/", None),  # IAM's query API
        ("GET", "/v1/listjobs", None),
    ],
)
def test_route_knows_every_operation(method: str, path: str, operation: str | None) -> None:
    """The proxy tells every Batch operation by method and path; anything else passes."""
    assert route(method, path) == operation


@pytest.mark.parametrize("name", list(CURRENT_FAULTS))
def test_current_fault_is_detected(name: str, runs: dict[Key, Run]) -> None:
    """The run fails under this fault, only for its rule, and spares its neighbours."""
    # a job left RUNNABLE is caught when the bounded wait runs out: an error, never a pass
    assert_caught(runs[(name, True)], CURRENT_FAULTS[name], failed=("failed", "error"))


def test_terminated_job_left_runnable_is_named(runs: dict[Key, Run]) -> None:
    """The TerminateJob fault's error says the job stayed RUNNABLE (it is never a pass)."""
    fault = CURRENT_FAULTS["terminate-leaves-runnable"]
    result = runs[(fault.name, True)].results[fault.fail[0]]
    assert result["outcome"] == "error"
    assert "RUNNABLE" in result["message"], result["message"]


@pytest.mark.parametrize("name", list(CURRENT_FAULTS))
def test_reference_shows_nothing_the_fault_adds(name: str, runs: dict[Key, Run]) -> None:
    """Without the fault, the same cases pass: what the fault run shows is the fault's."""
    fault = CURRENT_FAULTS[name]
    run = runs[(name, False)]
    results = run.results
    assert set(results) == set(fault.cases), run.explain()
    for case in fault.cases:
        assert results[case]["outcome"] == "passed", f"{case}\n{run.explain()}"
    assert run.code == 0, run.explain()


def test_an_operation_not_implemented_is_one_finding_and_its_cases_are_skipped(
    faulty: FaultyProxy, tmp_path: Path
) -> None:
    """ListJobs answering 404: its probe fails, one finding; the ListJobs lifecycles are
    skipped naming the rule that probe judges (never failed, never passed); the rest is
    judged as before."""
    fault = CURRENT_FAULTS["list-jobs-not-implemented"]
    lifecycles = tuple(
        f"lifecycles::test_list_jobs_{name}" for name in ("by_status", "by_name", "pagination")
    )
    faulty.fault = fault.name
    run = run_suite(faulty.url, None, tmp_path / "r", (*fault.cases, *lifecycles), extra_args=ARGS)
    results = run.results
    assert run.code == 1, run.explain()
    probe = results[fault.fail[0]]
    assert probe["outcome"] == "failed", run.explain()
    assert probe["findings"] == ["ListJobs.implemented#not-implemented"]
    assert [f["id"] for f in run.report["findings"]] == ["ListJobs.implemented#not-implemented"]
    for case in lifecycles:
        assert results[case]["outcome"] == "skipped", run.explain()
        assert results[case]["message"].startswith("not implemented: ListJobs"), run.explain()
        assert "(judged by rule ListJobs.implemented)" in results[case]["message"]
    assert results[fault.keep[0]]["outcome"] == "passed", run.explain()


GENERATED_READ = "generated::test_generated_request_with_one_broken_limit_refused"


@pytest.mark.parametrize("refuse_all", [True, False], ids=["refuses-everything", "moto"])
def test_generated_refusal_of_a_read_counts_only_if_the_unbroken_request_is_accepted(
    moto_url: str, tmp_path: Path, refuse_all: bool
) -> None:
    """An endpoint that refuses every DescribeSchedulingPolicies request, valid or not: its
    generated broken requests are refused, but that tells nothing, so the case is skipped
    saying why (it passed before). moto, which accepts both, still fails it."""
    case = f"{GENERATED_READ}[DescribeSchedulingPolicies]"

    def refused(path: str, _body: bytes) -> bool:
        return refuse_all and path.startswith("/v1/describeschedulingpolicies")

    with HostileProxy(moto_url, refuse=refused, rewrite=False) as proxy:
        run = run_suite(proxy.url, None, tmp_path, [case], extra_args=ARGS)
    result = run.results[case]
    if refuse_all:
        assert result["outcome"] == "skipped", run.explain()
        assert "refused even before a limit was broken" in result["message"], result
        assert proxy.refused >= 5
    else:
        assert result["outcome"] == "failed", run.explain()
        assert "accepted (HTTP 200)" in result["message"], result
