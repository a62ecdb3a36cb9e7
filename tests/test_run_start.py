"""What a run checks and says before anything is provisioned or any case runs."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main
from conformance.reports import write_reports
from conformance.reports.atomic import folder_problem
from conformance.results import RunResult, TargetInfo
from conformance.session import RunState
from conformance.targets.base import package_version
from conformance.targets.moto_server import docker_note
from conformance.targets.process import free_port
from tests.cli import run_cli
from tests.hostile.servers import dropping_server, garbage_server, html_server


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


def _piped_run(tmp_path: Path, *args: str) -> tuple[list[str], dict[str, Any]]:
    """`batch-conformance run ARGS` with both streams in one pipe, as a CI log has them."""
    hypothesis = {"HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / "hypothesis")}
    run = run_cli(tmp_path, *args, env=hypothesis, timeout=180, merged=True)
    return run.stdout.splitlines(), run.report


def test_header_line_comes_first_in_a_piped_log(tmp_path: Path) -> None:
    """Piped (as in CI, both streams in one log), what is tested is the first line, before
    any case runs; the final summary still opens with it."""
    lines, report = _piped_run(tmp_path, "-k", "SubmitJob.jobName.length", "--seed", "7")
    header = f"target moto {package_version('moto')} in-process (us-east-1), botocore"
    assert lines[0].startswith(header), lines
    assert lines[0].endswith(", scope seed, seed 7")
    assert lines[1].startswith("batch-conformance: 1/4 cases")
    assert lines.count(lines[0]) == 2  # and again atop the final summary
    assert lines[-2].startswith("total: ")
    assert lines[-1].startswith("gate: ")  # the verdict, last
    assert report["notes"] == []


def _set_use_docker(url: str, on: bool) -> None:
    """Configure a moto server's Batch as a user may have left it (Docker on) or not."""
    body = json.dumps({"batch": {"use_docker": on}}).encode()
    request = urllib.request.Request(url + "/moto-api/config", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


def test_docker_note_only_for_a_moto_server_running_docker(moto_url: str) -> None:
    """A moto server with Batch's use_docker true is named, with the command that turns it
    off; with it off, or on an endpoint that is not moto, nothing is said."""
    assert docker_note(moto_url) is None  # as the suite configures it: Docker off
    _set_use_docker(moto_url, True)
    try:
        note = docker_note(moto_url)
    finally:
        _set_use_docker(moto_url, False)
    assert note is not None
    assert note.startswith(f"{moto_url} is a moto server whose Batch runs jobs in Docker")
    curl = 'curl -X POST -d \'{"batch": {"use_docker": false}}\' '
    assert note.endswith(f"{curl}{moto_url}/moto-api/config")
    for make in (html_server, garbage_server, dropping_server):
        with make() as other:
            assert docker_note(other.url) is None
    assert docker_note(f"http://127.0.0.1:{free_port()}") is None  # nothing listening


def test_run_against_docker_moto_says_so_first(tmp_path: Path, moto_url: str) -> None:
    """--endpoint-url at a moto server running Docker: one note right after the header,
    before any case, again in the summary, and in report.json's notes."""
    _set_use_docker(moto_url, True)
    try:
        lines, report = _piped_run(tmp_path, "--endpoint-url", moto_url, "-k", "jobs.maxItems")
    finally:
        _set_use_docker(moto_url, False)
    (note,) = report["notes"]
    assert "use_docker" in note
    assert lines[0].startswith(f"target endpoint {moto_url} (us-east-1)")
    assert lines[1] == f"note: {note}"
    assert lines[2].startswith("batch-conformance: 1/")
    assert lines.count(lines[1]) == 2


def test_notes_reach_the_reports_header(tmp_path: Path) -> None:
    """A note of the target's start is in report.json, and under the header of report.md and
    report.html (escaped there: it names the endpoint's URL)."""
    note = "http://h/<b> is a moto server whose Batch runs jobs in Docker"
    target = TargetInfo("endpoint", "http://h/<b>", "us-east-1")
    run = RunResult(target, {}, "2026-01-01T00:00:00Z", 1.0, [], notes=[note])
    write_reports(run, tmp_path, env={})
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["notes"] == [note]
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "**Note:** http://h/\\<b\\> is a moto server" in md
    assert md.index("**Note:**") < md.index("No deviations")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<p><b>Note:</b> http://h/&lt;b&gt; is a moto server" in page
