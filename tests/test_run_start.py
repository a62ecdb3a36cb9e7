"""What a run checks and says before anything is provisioned or any case runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.reports.atomic import folder_problem
from conformance.session import RunState
from conformance.targets.base import package_version


@pytest.fixture
def never_started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Fails the test if the run starts its target (and so provisions or runs a case)."""
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "hypothesis"))
    started: list[str] = []
    monkeypatch.setattr(RunState, "start", lambda self: started.append("started"))
    return started


@pytest.mark.parametrize("where", ["file", "under-a-file"])
def test_report_dir_checked_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], never_started: list[str], where: str
) -> None:
    """A --report-dir that is a file, or cannot be made, is one line and exit 2, up front."""
    afile = tmp_path / "notes.txt"
    afile.write_text("mine", encoding="utf-8")
    report_dir = afile if where == "file" else afile / "reports"
    assert main(["run", "--report-dir", str(report_dir)]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith(f"batch-conformance: --report-dir {report_dir} ")
    assert ("is a file" if where == "file" else f"{afile} is a file") in line
    assert never_started == []
    assert captured.out == ""
    assert afile.read_text(encoding="utf-8") == "mine"


def test_report_dir_probe_leaves_nothing(tmp_path: Path) -> None:
    """Checking a folder that does not exist yet makes nothing that stays behind."""
    assert folder_problem(tmp_path / "a" / "b") is None
    assert list(tmp_path.iterdir()) == []
    readonly = tmp_path / "ro"
    readonly.mkdir(mode=0o500)
    problem = folder_problem(readonly / "reports")
    # root may write anywhere: the check then rightly finds nothing wrong
    assert problem is None or problem.startswith("cannot be written")


def test_header_line_comes_first_in_a_piped_log(tmp_path: Path) -> None:
    """Piped (as in CI, both streams in one log), what is tested is the first line, before
    any case runs; the final summary still opens with it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(tmp_path / "hypothesis")
    argv = [sys.executable, "-m", "conformance", "run", "-k", "SubmitJob.jobName.length"]
    done = subprocess.run(
        [*argv, "--report-dir", str(tmp_path / "reports"), "--seed", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=180,
        check=False,
    )
    lines = done.stdout.splitlines()
    header = f"target moto {package_version('moto')} in-process (us-east-1), botocore"
    assert lines[0].startswith(header), done.stdout
    assert lines[0].endswith(", scope seed, seed 7")
    assert lines[1].startswith("batch-conformance: 1/4 cases")
    assert lines.count(lines[0]) == 2  # and again atop the final summary
    assert lines[-1].startswith("total: ")
