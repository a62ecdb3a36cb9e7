"""Whole-suite runs through the CLI, as a user runs them, read back from their report.json."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.lifecycle import NOT_TESTABLE

RUN_TIMEOUT_S = 240


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
        """Results that did not pass, but those skipped as not testable on the endpoint (the
        job lifecycle cases where it does not run jobs: `not_testable`)."""
        return [
            r
            for r in self.report.get("results", [])
            if r["outcome"] != "passed" and r not in self.not_testable()
        ]

    def not_testable(self) -> list[dict[str, Any]]:
        """Results skipped because the endpoint does not run jobs as their command says."""
        return [
            r
            for r in self.report.get("results", [])
            if r["outcome"] == "skipped" and str(r.get("message", "")).startswith(NOT_TESTABLE)
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

    def explain(self) -> str:
        """One line per case that did not pass, and the end of stderr."""
        lines = [
            f"{r['outcome']} {r['id']} [{r['rule']}]: {r['message']}" for r in self.not_passed()
        ]
        return "\n".join([*lines, f"(run took {self.seconds:.1f} s)", self.stderr[-1500:]])


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
    args = [sys.executable, "-m", "conformance", "run", "--endpoint-url", endpoint]
    args += ["--report-dir", str(report_dir)]
    if queue:
        args += ["--job-queue", queue]
    for case in cases:
        args += ["--case", case]
    args += extra_args
    started = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout_s, check=False)
    report_file = report_dir / "report.json"
    report = json.loads(report_file.read_text()) if report_file.is_file() else {}
    return Run(done.returncode, report, done.stderr + done.stdout, time.monotonic() - started)
