"""Proof of detection: the suite passes a seed-conformant endpoint and catches each fault.

A real moto server, our proxy in front of it (`tests/faulty/`), and the suite run as a user
runs it (`python -m conformance run --endpoint-url ...`) once against the reference (the
session's shared `seed_reference` run, tests/conftest.py) and once per fault, on the cases
that fault must break plus neighbours that must still pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.targets.base import dummy_session
from tests.faulty.proxy import FaultyProxy, UpstreamError
from tests.faulty.seed_faults import FAULTS
from tests.proxy_core import Answer
from tests.suite_runs import SEED_REFERENCE, Run, assert_caught, on_own_proxies, run_suite

# with the AWS-like acceptance, which reads the same reference run
pytestmark = pytest.mark.xdist_group(SEED_REFERENCE)

REGION = "us-east-1"
# Cases that fail against the reference although it follows the seed: bugs of the suite.
# case id -> why the suite is wrong. Each must still fail, so a fixed bug cannot rot here.
SUITE_BUGS: dict[str, str] = {}


@pytest.fixture(scope="module")
def job_queue(moto_url: str) -> str:
    """One queue for the faults' runs (spares each creating and deleting its own)."""
    session = dummy_session(REGION)
    iam = session.client("iam", endpoint_url=moto_url)
    batch = session.client("batch", endpoint_url=moto_url)
    role = iam.create_role(RoleName="detection-role", AssumeRolePolicyDocument="{}")["Role"]
    env = batch.create_compute_environment(
        computeEnvironmentName="detection-ce",
        type="UNMANAGED",
        state="ENABLED",
        serviceRole=role["Arn"],
    )
    queue = batch.create_job_queue(
        jobQueueName="detection-queue",
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env["computeEnvironmentArn"]}],
    )
    return str(queue["jobQueueArn"])


# `should` rules fail a run only with --strict: every fault must be caught, whatever its
# rule's strength (test_should_failure_is_a_warning shows the run without it). One worker:
# three runs share this 2-core machine already (the reference run, with four, is shared).
STRICT = ("--strict", "--workers", "1")


def _selected_faults(session: pytest.Session) -> list[str]:
    """The faults whose test this session runs (so `-k` on one fault runs only that one)."""
    names: list[str] = []
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "originalname", "") == "test_fault_is_detected" and callspec:
            names.append(str(callspec.params["name"]))
    return names


@pytest.fixture(scope="module")
def runs(
    request: pytest.FixtureRequest,
    moto_url: str,
    job_queue: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Run]:
    """One run per selected fault, a few at a time (only what the session's selected
    tests need is run)."""
    plan = _selected_faults(request.session)
    dirs = {name: tmp_path_factory.mktemp(name) for name in plan}

    def run(proxy: FaultyProxy, name: str) -> Run:
        proxy.fault = name
        proxy.nulls = FAULTS[name].nulls
        return run_suite(proxy.url, job_queue, dirs[name], FAULTS[name].cases, extra_args=STRICT)

    return on_own_proxies(moto_url, plan, run)


def test_registry_has_twenty_distinct_faults() -> None:
    """At least 20 faults, each distinct, each naming cases and the rules they must fail."""
    faults = list(FAULTS.values())
    assert len(faults) >= 20
    assert len({f.breaks for f in faults}) == len(faults), "two faults break the same thing"
    for fault in faults:
        assert fault.fail, f"{fault.name} names no case that must fail"
        assert fault.rules, f"{fault.name} names no rule"
        assert not set(fault.fail) & set(fault.keep), f"{fault.name}: a case both fails and passes"


def test_reference_passes_every_case(seed_reference: Run) -> None:
    """Against the reference every case passes: no false alarm (known suite bugs aside; the
    job lifecycle's cases are not testable where jobs complete at submission)."""
    results = seed_reference.results
    limits = [i for i in results if i.startswith("request_limits::")]
    assert len(limits) > 50, f"only {len(limits)} request-validation cases ran"
    unexpected = [r for r in seed_reference.false_alarms() if r["id"] not in SUITE_BUGS]
    assert not unexpected, f"false alarms against the reference:\n{seed_reference.explain()}"
    fixed = [case for case in SUITE_BUGS if results.get(case, {}).get("outcome") == "passed"]
    assert not fixed, f"suite bugs now pass, drop them from SUITE_BUGS: {fixed}"
    assert seed_reference.code == (1 if SUITE_BUGS else 0), seed_reference.explain()
    schema_checks = [
        c for r in results.values() for c in r["checks"] if c["name"] == "response-schema"
    ]
    assert len(schema_checks) > 50, "too few answers were checked against their schema"
    broken = [c["detail"] for c in schema_checks if not c["passed"]]
    assert not broken, f"answers broke their response schema: {broken}"


def test_faults_name_real_cases(seed_reference: Run) -> None:
    """Every case a fault names exists and passes against the reference."""
    results = seed_reference.results
    for fault in FAULTS.values():
        for case in fault.cases:
            assert case in results, f"{fault.name}: no case {case}"
            assert results[case]["outcome"] == "passed", f"{fault.name}: {case} fails unfaulted"


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_detected(name: str, runs: dict[str, Run]) -> None:
    """The suite fails under this fault, only for its rules, and spares its neighbours."""
    assert_caught(runs[name], FAULTS[name])


def test_upstream_error_carries_the_reply() -> None:
    """The proxy's own error for a failed upstream call can be built, and keeps the reply."""
    reply = Answer(503, {"Content-Type": "application/json"}, b"{}")
    error = UpstreamError(reply)
    assert error.answer is reply
    assert "503" in str(error)


def test_should_failure_is_a_warning(faulty: FaultyProxy, job_queue: str, tmp_path: Path) -> None:
    """A run whose only failures are of `should` rules exits 0 and shows them as warnings;
    --strict makes the same run exit 1."""
    fault = FAULTS["lax-env-aws-batch"]
    faulty.fault = fault.name
    plain = run_suite(faulty.url, job_queue, tmp_path / "plain", fault.fail)
    strict = run_suite(faulty.url, job_queue, tmp_path / "strict", fault.fail, extra_args=STRICT)
    failed = plain.not_passed()
    assert failed, plain.explain()
    assert all(r["outcome"] == "failed" and r["strength"] == "should" for r in failed)
    assert plain.report["summary"]["warnings"] == len(failed), plain.explain()
    assert plain.code == 0, plain.explain()
    assert "warning" in plain.stderr.lower(), plain.stderr[-800:]
    assert strict.code == 1, strict.explain()
