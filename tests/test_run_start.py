"""What a run checks and says before anything is provisioned or any case runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.cli import main
from conformance.reports.atomic import folder_problem
from conformance.session import RunState


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
