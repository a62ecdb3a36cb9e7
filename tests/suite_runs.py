"""Whole-suite runs through the CLI, as a user runs them, read back from their report.json."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from conformance.lifecycle import NOT_TESTABLE
from conformance.scopes import SEED, Scope
from tests.awslike import AwsLikeProxy
from tests.cli import Done, cli
from tests.faulty.fault import Fault
from tests.faulty.proxy import FaultyProxy

RUN_TIMEOUT_S = 240
# Short runs at a time, each through a reference endpoint of its own (this machine has 2
# cores; runs also wait on I/O).
PARALLEL_RUNS = 3
Key = TypeVar("Key")
# xdist groups (`--dist loadgroup`): the tests that read one shared whole-suite run of
# tests/conftest.py go to one worker, so the run is made once
SEED_REFERENCE = "seed-reference"
MOTO_DEFAULT = "moto-default"
AWS_ACCOUNT = "aws-account"  # not a run: the tests of the moto server with AWS's policies
# The whole seed suite against the reference, as every test that reads it wants it:
# --strict (`should` rules fail the run too), with workers.
REFERENCE_ARGS = ("--strict", "--workers", "4")
WHOLE_RUN_TIMEOUT_S = 900


@dataclass(frozen=True)
class Run:
    """One `batch-conformance run`: exit code, report.json, stderr, wall time."""

    code: int
    report: dict[str, Any]
    stderr: str
    seconds: float

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        """Results by case id."""
        return {r["id"]: r for r in self.report.get("results", [])}

    def not_passed(self) -> list[dict[str, Any]]:
        """Results that did not pass: failed, errored or skipped."""
        return [r for r in self.report.get("results", []) if r["outcome"] != "passed"]

    def false_alarms(self) -> list[dict[str, Any]]:
        """Results that did not pass, but the cases skipped as not testable on the endpoint
        (the job lifecycle's, where jobs complete at submission as on moto)."""
        return [
            r
            for r in self.not_passed()
            if not (r["outcome"] == "skipped" and str(r["message"]).startswith(NOT_TESTABLE))
        ]

    def evidence(self, check: str) -> list[str]:
        """Details of the failed `check` checks, and (for `response-schema`) each violation
        the report observed in an answer: rule, JSON path and message."""
        details = [
            str(c.get("detail"))
            for r in self.not_passed()
            for c in r["checks"]
            if c["name"] == check and not c["passed"]
        ]
        if check == "response-schema":
            details += [
                f"{o.get('rule')} {o.get('path')}: {o.get('message')}"
                for r in self.not_passed()
                for o in r.get("observed", [])
            ]
        return details

    def outcomes_changed(self, other: Run) -> dict[str, tuple[str, str]]:
        """Case id -> (this run's outcome, `other`'s) where they differ (cases of this run)."""
        return {
            case: (result["outcome"], other.results[case]["outcome"])
            for case, result in self.results.items()
            if other.results[case]["outcome"] != result["outcome"]
        }

    def explain(self) -> str:
        """One line per case that did not pass, and the end of stderr."""
        lines = [
            f"{r['outcome']} {r['id']} [{r['rule']}]: {r['message']}" for r in self.not_passed()
        ]
        return "\n".join([*lines, f"(run took {self.seconds:.1f} s)", self.stderr[-1500:]])


@dataclass(frozen=True)
class DefaultRun:
    """`batch-conformance run` with no option at all, on embedded moto, from `cwd`."""

    done: Done
    cwd: Path

    @property
    def folder(self) -> Path:
        """The one report folder the run wrote under reports/runs/."""
        (folder,) = (self.cwd / "reports" / "runs").iterdir()
        return folder


def run_suite(
    endpoint: str,
    queue: str | None,
    report_dir: Path,
    cases: Sequence[str] = (),
    *,
    extra_args: Sequence[str] = (),
    timeout_s: float = RUN_TIMEOUT_S,
) -> Run:
    """Run the suite's CLI in a subprocess against `endpoint` and read its report.json.

    Without `queue` the run provisions its own (IAM role, compute environment, queue)
    through the endpoint.
    """
    args = ["run", "--endpoint-url", endpoint, "--report-dir", str(report_dir)]
    if queue:
        args += ["--job-queue", queue]
    for case in cases:
        args += ["--case", case]
    args += extra_args
    started = time.monotonic()
    done = cli(*args, cwd=report_dir.parent, timeout=timeout_s)
    report_file = report_dir / "report.json"
    report = json.loads(report_file.read_text()) if report_file.is_file() else {}
    return Run(done.returncode, report, done.stderr + done.stdout, time.monotonic() - started)


def on_own_proxies(
    upstream: str, plan: Sequence[Key], run: Callable[[FaultyProxy, Key], Run]
) -> dict[Key, Run]:
    """`run(proxy, key)` for each key of `plan`, PARALLEL_RUNS at a time, each on a fresh
    reference endpoint in front of `upstream` (so runs never share a fault or its memory)."""

    def one(key: Key) -> Run:
        with FaultyProxy(upstream) as proxy:
            return run(proxy, key)

    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        return dict(zip(plan, pool.map(one, plan), strict=True))


def assert_caught(run: Run, fault: Fault, failed: tuple[str, ...] = ("failed",)) -> None:
    """The run under `fault` exits 1, ran exactly its cases, fails those it must (with an
    outcome of `failed`), spares its neighbours, blames only its rules, and shows its
    evidence."""
    results = run.results
    assert run.code == 1, f"exit {run.code}, expected 1\n{run.explain()}"
    assert set(results) == set(fault.cases), run.explain()
    for case in fault.fail:
        assert results[case]["outcome"] in failed, f"{case} not failed\n{run.explain()}"
    for case in fault.keep:
        assert results[case]["outcome"] == "passed", f"{case} blamed\n{run.explain()}"
    blamed = {r["rule"] for r in run.not_passed()}
    assert blamed == fault.rules, f"blamed {sorted(blamed)}, expected {sorted(fault.rules)}"
    if fault.evidence:
        check, text = fault.evidence
        details = run.evidence(check)
        assert any(text in d for d in details), f"no failed {check} check has {text!r}: {details}"


@dataclass(frozen=True)
class AwsLikeRuns:
    """The whole suite against the reference, and through the AWS-like endpoint before one."""

    reference: Run
    awslike: Run
    proxy: AwsLikeProxy


def through_awslike(
    moto_url: str, folder: Path, args: Sequence[str], scope: Scope = SEED
) -> tuple[Run, AwsLikeProxy]:
    """The whole suite through `AwsLikeProxy.like_aws` (seed 7, `scope`'s model) in front of
    a reference endpoint on `moto_url`; the proxy keeps its counters once stopped."""
    with (
        FaultyProxy(moto_url) as reference,
        AwsLikeProxy.like_aws(reference.url, seed=7, scope=scope) as proxy,
    ):
        run = run_suite(proxy.url, None, folder, extra_args=args, timeout_s=WHOLE_RUN_TIMEOUT_S)
    return run, proxy
