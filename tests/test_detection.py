"""Proof of detection: the suite passes a seed-conformant endpoint and catches each fault.

A real moto server, our proxy in front of it (`tests/faulty/`), and the suite run as a user
runs it (`python -m conformance run --endpoint-url ...`) once against the reference and once
per fault, on the cases that fault must break plus neighbours that must still pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Queue

import pytest

from conformance.targets.base import dummy_session
from conformance.targets.moto_server import MotoServer
from tests.faulty.proxy import FAULTS, FaultyProxy, Reply, UpstreamError
from tests.suite_runs import Run, run_suite

REGION = "us-east-1"
WORKERS = 3  # suite runs at a time (this machine has 2 cores; runs also wait on I/O)
# Cases that fail against the reference although it follows the seed: bugs of the suite.
# case id -> why the suite is wrong. Each must still fail, so a fixed bug cannot rot here.
SUITE_BUGS: dict[str, str] = {}


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """A real moto server (batch without Docker)."""
    server = MotoServer(REGION)
    server.start()
    try:
        assert server.endpoint_url
        yield server.endpoint_url
    finally:
        server.stop()


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
# three runs share this 2-core machine already.
STRICT = ("--strict", "--workers", "1")


def _selected_faults(session: pytest.Session) -> list[str | None]:
    """The faults whose test this session runs (so `-k` on one fault runs only that one)."""
    names: list[str | None] = []
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
) -> dict[str | None, Run]:
    """The reference run (key None) and one run per selected fault, WORKERS at a time.

    Only what the session's selected tests need is run.

    Each worker has its own proxy in front of the one moto server, so runs never share a
    fault; the reference (every case) starts first, the faults' short runs fill the others.
    """
    wants_reference = any(
        "reference" in getattr(item, "fixturenames", ()) for item in request.session.items
    )
    plan: list[str | None] = [None] if wants_reference else []
    plan += _selected_faults(request.session)
    dirs = {name: tmp_path_factory.mktemp(name or "reference") for name in plan}
    idle: Queue[FaultyProxy] = Queue()
    proxies = [FaultyProxy(moto_url) for _ in range(WORKERS)]
    for proxy in proxies:
        proxy.start()
        idle.put(proxy)

    def run(name: str | None) -> Run:
        proxy = idle.get()
        try:
            proxy.fault = name
            if name is None:  # every case, provisioned through the proxy
                return run_suite(proxy.url, None, dirs[name], extra_args=STRICT)
            proxy.nulls = FAULTS[name].nulls
            cases = FAULTS[name].cases
            return run_suite(proxy.url, job_queue, dirs[name], cases, extra_args=STRICT)
        finally:
            proxy.fault = None
            proxy.nulls = False
            idle.put(proxy)

    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            return dict(zip(plan, pool.map(run, plan), strict=True))
    finally:
        for proxy in proxies:
            proxy.stop()


@pytest.fixture(scope="module")
def reference(runs: dict[str | None, Run]) -> Run:
    """The whole suite, every case, against the reference."""
    return runs[None]


def test_registry_has_twenty_distinct_faults() -> None:
    """At least 20 faults, each distinct, each naming cases and the rules they must fail."""
    faults = list(FAULTS.values())
    assert len(faults) >= 20
    assert len({f.breaks for f in faults}) == len(faults), "two faults break the same thing"
    for fault in faults:
        assert fault.fail, f"{fault.name} names no case that must fail"
        assert fault.rules, f"{fault.name} names no rule"
        assert not set(fault.fail) & set(fault.keep), f"{fault.name}: a case both fails and passes"


def test_reference_passes_every_case(reference: Run) -> None:
    """Against the reference every case passes: no false alarm (known suite bugs aside)."""
    results = reference.results
    limits = [i for i in results if i.startswith("request_limits::")]
    assert len(limits) > 50, f"only {len(limits)} request-validation cases ran"
    unexpected = [r for r in reference.not_passed() if r["id"] not in SUITE_BUGS]
    assert not unexpected, f"false alarms against the reference:\n{reference.explain()}"
    # it does not run jobs (tests/test_detection_execution.py proves those cases)
    assert {r["id"].split("::")[0] for r in reference.not_testable()} <= {"execution"}
    fixed = [case for case in SUITE_BUGS if results.get(case, {}).get("outcome") == "passed"]
    assert not fixed, f"suite bugs now pass, drop them from SUITE_BUGS: {fixed}"
    assert reference.code == (1 if SUITE_BUGS else 0), reference.explain()
    schema_checks = [
        c for r in results.values() for c in r["checks"] if c["name"] == "response-schema"
    ]
    assert len(schema_checks) > 50, "too few answers were checked against their schema"
    broken = [c["detail"] for c in schema_checks if not c["passed"]]
    assert not broken, f"answers broke their response schema: {broken}"


def test_faults_name_real_cases(reference: Run) -> None:
    """Every case a fault names exists and passes against the reference."""
    results = reference.results
    for fault in FAULTS.values():
        for case in fault.cases:
            assert case in results, f"{fault.name}: no case {case}"
            assert results[case]["outcome"] == "passed", f"{fault.name}: {case} fails unfaulted"


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_detected(name: str, runs: dict[str | None, Run]) -> None:
    """The suite fails under this fault, only for its rules, and spares its neighbours."""
    fault = FAULTS[name]
    run = runs[name]
    results = run.results
    assert run.code == 1, f"exit {run.code}, expected 1\n{run.explain()}"
    assert set(results) == set(fault.cases), run.explain()
    for case in fault.fail:
        assert results[case]["outcome"] == "failed", f"{case} not failed\n{run.explain()}"
    for case in fault.keep:
        assert results[case]["outcome"] == "passed", f"{case} blamed\n{run.explain()}"
    blamed = {r["rule"] for r in run.not_passed()}
    assert blamed == fault.rules, f"blamed {sorted(blamed)}, expected {sorted(fault.rules)}"
    if fault.evidence:
        check, text = fault.evidence
        details = run.evidence(check)
        assert any(text in d for d in details), (
            f"no failed {check} check mentions {text!r}: {details}"
        )


def test_upstream_error_carries_the_reply() -> None:
    """The proxy's own error for a failed upstream call can be built, and keeps the reply."""
    reply = Reply(503, (("Content-Type", "application/json"),), b"{}")
    error = UpstreamError(reply)
    assert error.reply is reply
    assert "503" in str(error)


def test_should_failure_is_a_warning(moto_url: str, job_queue: str, tmp_path: Path) -> None:
    """A run whose only failures are of `should` rules exits 0 and shows them as warnings;
    --strict makes the same run exit 1."""
    fault = FAULTS["lax-env-aws-batch"]
    proxy = FaultyProxy(moto_url)
    proxy.start()
    try:
        proxy.fault = fault.name
        plain = run_suite(proxy.url, job_queue, tmp_path / "plain", fault.fail)
        strict = run_suite(proxy.url, job_queue, tmp_path / "strict", fault.fail, extra_args=STRICT)
    finally:
        proxy.stop()
    failed = plain.not_passed()
    assert failed, plain.explain()
    assert all(r["outcome"] == "failed" and r["strength"] == "should" for r in failed)
    assert plain.report["summary"]["warnings"] == len(failed), plain.explain()
    assert plain.code == 0, plain.explain()
    assert "warning" in plain.stderr.lower(), plain.stderr[-800:]
    assert strict.code == 1, strict.explain()
