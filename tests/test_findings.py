"""Findings a maintainer can act on: gate on a new fault, provenance, replay as printed."""

from __future__ import annotations

import html
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import cli, report, run_case
from tests.faulty.proxy import FaultyProxy
from tests.report_runs import assert_left_out_counted
from tests.suite_runs import MOTO_DEFAULT, DefaultRun

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_59 = "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]"
TIMEOUT_60 = "request_limits::test_limit[SubmitJob.timeout.minimum:inside:60]"
REPLAYED = 2  # failures of the moto report whose printed replay command is run


def test_one_more_broken_rule_is_a_new_failure(faulty: FaultyProxy, tmp_path: Path) -> None:
    """With moto's baseline, an endpoint that breaks a rule moto keeps fails the gate."""
    faulty.fault = "strict-submit-timeout-60"
    try:
        done = cli(
            "run",
            "--endpoint-url",
            faulty.url,
            "--case",
            TIMEOUT_59,
            "--case",
            TIMEOUT_60,
            "--baseline",
            str(ROOT / "reports/baselines/moto-server.json"),
            "--report-dir",
            str(tmp_path / "r"),
            cwd=tmp_path,
        )
    finally:
        faulty.fault = None
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr
    marks = {r["id"]: r["baseline"] for r in report(tmp_path / "r")["results"]}
    assert marks == {TIMEOUT_60: "new", TIMEOUT_59: "fixed"}
    assert "1 new, 0 changed, 1 fixed, 0 known" in done.stdout
    assert TIMEOUT_60 in done.stdout


def test_replay_fails_the_same_way_then_passes_once_fixed(
    faulty: FaultyProxy, tmp_path: Path
) -> None:
    """Replay reproduces a failure on the faulty endpoint and passes once it is fixed."""
    faulty.fault = "lax-submit-timeout-59"
    try:
        first = run_case(faulty.url, TIMEOUT_59, tmp_path / "r")
        assert first.returncode == 1, first.stdout + first.stderr
        (recorded,) = report(tmp_path / "r")["results"]
        again = cli("replay", str(tmp_path / "r" / "report.json"), TIMEOUT_59, cwd=tmp_path)
    finally:
        faulty.fault = None
    assert again.returncode == 1, again.stdout + again.stderr
    assert f"replay: {TIMEOUT_59} still failed" in again.stdout
    assert recorded["message"] in again.stdout  # fails the same way
    fixed = cli("replay", str(tmp_path / "r" / "report.json"), TIMEOUT_59, cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert f"replay: {TIMEOUT_59} passes now" in fixed.stdout


@pytest.mark.xdist_group(MOTO_DEFAULT)
def test_moto_failures_have_provenance_and_printed_replay(moto_default_run: DefaultRun) -> None:
    """Every failure of a moto run has a provenance and a replay command that reproduces it."""
    done = moto_default_run.done
    assert done.returncode == 1
    run = report(moto_default_run.folder)
    failed = [r for r in run["results"] if r["outcome"] == "failed"]
    assert failed
    for result in failed:
        assert result["rule"] in run["rules"], result["id"]
        assert run["rules"][result["rule"]]["provenance"] in {
            "seed",
            "documented",
            "botocore",
            "observed",
        }
    markdown = (moto_default_run.folder / "report.md").read_text(encoding="utf-8")
    commands = re.findall(r"^batch-conformance replay .+$", markdown, flags=re.MULTILINE)
    printed = {shlex.split(c)[3]: c for c in commands}
    missing = {r["id"] for r in failed} - set(printed)
    assert_left_out_counted(markdown, missing)  # report.md is cut to fit a comment
    if missing:  # report.html names every one
        page = (moto_default_run.folder / "report.html").read_text(encoding="utf-8")
        assert all(html.escape(case) in page for case in missing), missing
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    replayable = [r for r in failed if r["id"] in printed]
    for result in [r for r in replayable if r["id"].startswith("request_limits")][:REPLAYED]:
        again = subprocess.run(
            printed[result["id"]],
            shell=True,
            capture_output=True,
            text=True,
            cwd=moto_default_run.cwd,
            env=env,
            timeout=300,
            check=False,
        )
        assert again.returncode == 1, again.stdout + again.stderr
        assert "still failed" in again.stdout
        assert result["message"] in again.stdout
