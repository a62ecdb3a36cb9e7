"""What a user meets first: usage errors, plain pytest over the cases, and the reports of
a run with no option."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.cli import CliRun, Done, assert_no_traceback, one_line, plugin, run_cli
from tests.suite_runs import MOTO_DEFAULT, DefaultRun

REPORT_FILES = ("report.json", "report.md", "report.html", "junit.xml")
# A small slice of cases that calls SubmitJob (4 cases) / RegisterJobDefinition (4 cases).
SUBMIT_SLICE = "SubmitJob.jobName.length"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--target", "nowhere"], "nowhere"),
        (["--examples", "0"], "--examples"),
        (["--endpoint-url", "not-a-url"], "not-a-url"),
        (["--endpoint-url", "http://127.0.0.1:notaport"], "notaport"),
        (["--baseline", "missing-baseline.json"], "missing-baseline.json"),
        (["--case", "no_such::case"], "no_such::case"),
        (["-k", "matches_no_case_at_all"], "no case"),
    ],
    ids=["target", "examples", "url", "port", "baseline", "case", "keyword"],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, args: list[str], named: str) -> None:
    """A bad option or file exits 2 with one line that names it, no traceback."""
    run = run_cli(tmp_path, *args)
    assert run.code == 2, run.stdout + run.stderr
    assert named in one_line(run.stderr)
    assert "--batch-" not in run.stderr, "the CLI names the plugin's option"
    assert_no_traceback(run)


# ---------------------------------------------------------------------------------------
# Plain pytest, and the reports of a default run


def plain_pytest(tmp_path: Path, *args: str) -> Done:
    """`pytest --pyargs conformance.cases ARGS`, reports to tmp_path/reports."""
    return plugin("--batch-report-dir", str(tmp_path / "reports"), *args, cwd=tmp_path)


def test_plain_pytest_runs_the_cases(tmp_path: Path) -> None:
    """`pytest --pyargs conformance.cases` with the plugin's options writes the four reports."""
    report_dir = tmp_path / "reports"
    done = plain_pytest(tmp_path, "--batch-target", "moto", "-q", "-k", SUBMIT_SLICE)
    run = CliRun(done.returncode, done.stdout, done.stderr, report_dir)
    assert run.code == 1, run.stdout + run.stderr  # moto accepts a 129-character jobName
    for name in REPORT_FILES:
        assert (report_dir / name).is_file(), name
    assert len(run.outcomes) == 4
    assert {r["rule"] for r in run.report["results"]} == {"SubmitJob.jobName.length"}
    assert "batch-conformance" in run.stdout  # the suite's own summary
    # pytest's own counts (its last line) are the suite's
    summary = run.report["summary"]
    pytest_line = run.stdout.strip().splitlines()[-1]
    assert f"{summary['failed']} failed, {summary['passed']} passed" in pytest_line, pytest_line


def test_plain_pytest_with_xdist_is_a_usage_error(tmp_path: Path) -> None:
    """`pytest -n` over the cases: one line pointing at `--workers`, nothing started."""
    done = plain_pytest(tmp_path, "-n", "2")
    assert done.returncode == 4, done.stdout + done.stderr
    assert "batch-conformance run --workers N" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "reports").exists()


@pytest.mark.xdist_group(MOTO_DEFAULT)
def test_default_run_writes_four_reports(moto_default_run: DefaultRun) -> None:
    """A run with no options writes the four reports under reports/runs/; report.json schema."""
    done = moto_default_run.done
    assert done.returncode == 1, done.stdout + done.stderr  # moto has known deviations
    folders = list((moto_default_run.cwd / "reports" / "runs").iterdir())
    assert len(folders) == 1
    folder = folders[0]
    assert sorted(p.name for p in folder.iterdir()) == sorted(REPORT_FILES)
    report = json.loads((folder / "report.json").read_text())
    for key in ("schema_version", "target", "sdk", "started_at", "duration_s", "summary"):
        assert key in report, key
    assert report["target"]["name"] == "moto"
    assert set(report["sdk"]) >= {"boto3", "botocore"}
    assert report["fatal"] is None
    results = report["results"]
    assert len(results) > 50
    for result in results:
        assert set(result) >= {"id", "rule", "operation", "outcome", "message"}
        assert result["outcome"] in {"passed", "failed", "error", "skipped"}
    assert len({r["id"] for r in results}) == len(results)
    counted = {k: report["summary"][k] for k in ("passed", "failed", "error", "skipped")}
    assert sum(counted.values()) == report["summary"]["total"] == len(results)
    # Every request a case expected to be accepted kept to what AWS documents (the runtime
    # guard in Batch.accept turns any other into a "suite defect" error, never sent).
    defects = [r["id"] for r in results if r["message"].startswith("suite defect")]
    assert not defects, defects
    # the console ends with the run's own total, which agrees with report.json, and last
    # the gate's verdict, as report.json words it
    total, last = done.stdout.strip().splitlines()[-2:]
    counts = report["summary"]
    expected = "  ".join(f"{o} {counts[o]}" for o in ("failed", "error", "passed", "skipped"))
    assert total.startswith(f"total: {expected} of {counts['total']} cases;"), total
    assert last == f"gate: {report['gate']['text']}", last
    assert last.startswith("gate: FAILED — "), last
    assert last.endswith("(no baseline: every failure is new)"), last
    assert {r["rule"] for r in results if r["rule"]} <= set(report["rules"])
    ET.parse(folder / "junit.xml")
