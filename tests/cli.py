"""The one way the tests run the product as a user does: in a child process, with the
machine's AWS settings left out, and its report read back.

- `cli(...)`: `batch-conformance ...` (`python -m conformance`);
- `run_cli(...)`: `batch-conformance run ... --report-dir TMP/reports`, as a `CliRun`
  (`merged`: both streams in one pipe, as a CI log has them, all in `stdout`);
- `run_case(...)`: one case (or rule) against an endpoint;
- `plugin(...)`: plain pytest over the cases (`pytest --pyargs conformance.cases`);
- `report(folder)`: a run's report.json; `one_line`, `assert_no_traceback`: what a user reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RUN_TIMEOUT_S = 300
Done = subprocess.CompletedProcess[str]


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment without any AWS settings of the machine, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env.update(extra or {})
    return env


def python(
    argv: list[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = RUN_TIMEOUT_S,
    merged: bool = False,
) -> Done:
    """`python ARGV` in `cwd`, with `clean_env(env)`; its exit code and output (`merged`:
    stderr in stdout, as one pipe interleaves them)."""
    return subprocess.run(
        [sys.executable, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=clean_env(env),
        timeout=timeout,
        check=False,
    )


def cli(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = RUN_TIMEOUT_S,
    merged: bool = False,
) -> Done:
    """`batch-conformance ARGS` in `cwd`."""
    return python(["-m", "conformance", *args], cwd, env, timeout, merged)


def run_case(endpoint: str, case: str, folder: Path, *extra: str) -> Done:
    """`batch-conformance run --endpoint-url ENDPOINT --case CASE EXTRA`, reports in `folder`,
    from its parent."""
    args = ["--endpoint-url", endpoint, "--case", case, *extra, "--report-dir", str(folder)]
    return cli("run", *args, cwd=folder.parent)


def plugin(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = RUN_TIMEOUT_S
) -> Done:
    """`pytest --pyargs conformance.cases -p no:cacheprovider ARGS` in `cwd`."""
    argv = ["-m", "pytest", "--pyargs", "conformance.cases", "-p", "no:cacheprovider", *args]
    return python(argv, cwd, env, timeout)


def report(folder: Path) -> dict[str, Any]:
    """A run's report.json."""
    return dict(json.loads((folder / "report.json").read_text(encoding="utf-8")))


@dataclass
class CliRun:
    """What one `batch-conformance run` left behind."""

    code: int
    stdout: str
    stderr: str
    report_dir: Path

    @property
    def report(self) -> dict[str, Any]:
        """report.json, parsed."""
        return report(self.report_dir)

    @property
    def outcomes(self) -> list[str]:
        """The outcome of every result in report.json."""
        return [str(r["outcome"]) for r in self.report["results"]]


def run_cli(
    tmp_path: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = RUN_TIMEOUT_S,
    merged: bool = False,
) -> CliRun:
    """`batch-conformance run ARGS --report-dir TMP/reports` in TMP."""
    report_dir = tmp_path / "reports"
    argv = ("run", *args, "--report-dir", str(report_dir))
    done = cli(*argv, cwd=tmp_path, env=env, timeout=timeout, merged=merged)
    return CliRun(done.returncode, done.stdout, done.stderr or "", report_dir)


def one_line(text: str) -> str:
    """The single non-blank line of `text` (fails when there are more or none)."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected exactly one line, got {len(lines)}:\n{text}"
    return lines[0]


def assert_no_traceback(run: CliRun) -> None:
    """Neither stream shows a Python traceback."""
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr


def assert_no_pass(run: CliRun) -> None:
    """No result of the run is `passed`."""
    assert "passed" not in run.outcomes, run.outcomes
