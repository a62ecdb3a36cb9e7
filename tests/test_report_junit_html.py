"""junit.xml totals (red only for what fails the run) and report.html (findings first,
escaped, tables that fit 1,400 px)."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance import reports
from conformance.reports import html
from conformance.results import (
    RunResult,
)
from tests.report_runs import (
    HOSTILE,
    huge_run,
    load_screenshots,
    mixed_run,
)

# --- junit.xml ---------------------------------------------------------------------------


def junit_of(run: RunResult, tmp_path: Path) -> tuple[ET.Element, dict[str, object]]:
    reports.write_reports(run, tmp_path, env={})
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    return suite, json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))


def test_junit_red_only_for_what_fails_the_run(tmp_path: Path) -> None:
    """Known deviations and warnings are skipped with a message; the totals agree."""
    suite, doc = junit_of(mixed_run(), tmp_path)
    summary = doc["summary"]
    assert isinstance(summary, dict)
    counts = {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": "7", "failures": "2", "errors": "1", "skipped": "3"}
    assert int(counts["tests"] or 0) == summary["total"]
    for tag, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        assert len(suite.findall(f"testcase/{tag}")) == int(suite.get(attr) or 0)
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    for key, value in summary.items():
        assert props[f"summary.{key}"] == str(value)
    assert props["summary.known"] == "1"
    known = suite.find("testcase[@name='limit[required:without-jobName]']/skipped")
    warning = suite.find("testcase[@name='limit[dependsOn:BOGUS]']/skipped")
    assert known is not None
    assert warning is not None
    assert known.get("message", "").startswith("known deviation (moto#1 accepts it), failed: ")
    assert warning.get("message", "").startswith("warning (should rule")
    out = suite.find("testcase[@name='limit[dependsOn:BOGUS]']/system-out")
    assert out is not None
    assert "finding: SubmitJob.dependsOn.type.enum#refusal-expected" in (out.text or "")


def test_changed_case_is_red_and_named(tmp_path: Path) -> None:
    """A known deviation that now fails otherwise ('changed') fails the run: red, and said."""
    run = mixed_run()
    known = run.results[4]
    known.baseline, known.baseline_reason = "changed", "now error, expected failed; moto#1"
    suite, _ = junit_of(run, tmp_path)
    assert (suite.get("failures"), suite.get("skipped")) == ("3", "2")
    failure = suite.find("testcase[@name='limit[required:without-jobName]']/failure")
    assert failure is not None
    assert failure.get("message", "").startswith(
        "changed against the baseline (now error, expected failed; moto#1): "
    )
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    # unmarked: new; the should failure is a warning, not new (as the gate counts it)
    assert "**Gate:** FAILED — 3 new, 1 changed, 0 fixed, 0 known, 1 new warning (baseline)" in md
    assert "**Changed against the baseline:** now error, expected failed; moto\\#1" in md


def test_junit_strict_makes_warnings_red(tmp_path: Path) -> None:
    """With --strict the should failure fails the run, so it is a failure in junit too."""
    suite, _ = junit_of(mixed_run(strict=True), tmp_path)
    assert (suite.get("failures"), suite.get("skipped")) == ("3", "2")


def test_junit_strict_baseline_makes_fixed_entries_red(tmp_path: Path) -> None:
    """A baseline entry that passes now fails a --strict-baseline run: red in junit too."""
    run = mixed_run()
    passed = next(r for r in run.results if r.outcome == "passed")
    passed.baseline, passed.baseline_reason = "fixed", "moto#2"
    suite, _ = junit_of(run, tmp_path / "plain")
    run.strict_baseline = True
    strict, _ = junit_of(run, tmp_path / "strict")
    assert int(strict.get("failures") or 0) == int(suite.get("failures") or 0) + 1
    messages = [f.get("message") or "" for f in strict.iter("failure")]
    assert any("remove it from the baseline" in m for m in messages)


def test_junit_interrupted_run_says_so(tmp_path: Path) -> None:
    """An interrupted run carries the line as a property and in system-err."""
    run = mixed_run()
    run.interrupted = "interrupted after 3 of 7 cases; cleaned up"
    suite, _ = junit_of(run, tmp_path)
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["interrupted"] == run.interrupted
    err = suite.find("system-err")
    assert err is not None
    assert err.text == f"interrupted: {run.interrupted}"


# --- report.html -------------------------------------------------------------------------


def page_of(run: RunResult) -> str:
    return html.render(run, Path("/r/report.json"))


def test_html_opens_on_findings_and_failing_rules() -> None:
    """Headline, findings, failing rules, then details; every in-page link has its target."""
    page = page_of(mixed_run())
    order = [
        '<p class="headline">4 deviations across 5 failing cases (1 of the deviations is a'
        " warning, 1 known)</p>",
        "<h2>Findings (4)</h2>",
        "<h2>Failing rules (3)</h2>",
        "<h2>Findings in detail</h2>",
        "<h2>Failing cases, by rule (5)</h2>",
        "Outcomes of every rule (4)",
        "All results (7)",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    targets = set(re.findall(r' id="([^"]+)"', page))
    links = set(re.findall(r' href="#([^"]+)"', page))
    assert links <= targets
    assert {"rule-SubmitJob.jobName.charset", "finding-1", "case-2"} <= links
    rules = page[page.index("<h2>Failing rules") : page.index("<h2>Findings in detail")]
    assert '<a href="#rule-SubmitJob.jobName.charset">' in rules
    assert 'id="rule-SubmitJob.jobName.charset"' in page
    assert page.count('class="finding') == 4
    assert page.count("batch-conformance replay") == 4 + 5  # one per finding, one per case


def test_html_tables_wrap_to_fit() -> None:
    """Every table has a fixed layout and cells that wrap anywhere; no nowrap anywhere."""
    page = page_of(huge_run(30, 10))
    css = page[page.index("<style>") : page.index("</style>")]
    assert re.search(r"\btable\{[^}]*table-layout:fixed", css)
    assert re.search(r"th,td\{[^}]*overflow-wrap:anywhere", css)
    assert re.search(r"code,pre\{[^}]*overflow-wrap:anywhere", css)
    assert re.search(r"pre\{[^}]*white-space:pre-wrap", css)
    assert "nowrap" not in page
    assert "<table" in page
    styles = set(re.findall(r' style="([^"]*)"', page))
    assert all(re.fullmatch(r"width:[\d.]+(em|%)", s) for s in styles), styles


def test_html_escapes_findings_and_anchors() -> None:
    """Hostile text in ids, messages, rules and bodies never reaches the page raw."""
    run = huge_run(20, 5)
    run.results[0].id = f"case{HOSTILE}\"'"
    run.findings[0].message = HOSTILE
    run.findings[0].cases[0] = run.results[0].id
    page = page_of(run)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.skipif(
    not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")),
    reason="no Chromium on this machine",
)
def test_html_fits_1400_px_in_chromium(tmp_path: Path) -> None:
    """In headless Chromium, 1,400 px wide, nothing is wider than the window, unfolded."""
    shots = load_screenshots()
    run = huge_run(40, 8)
    run.results[0].id = "generated::" + "unbroken" * 60
    run.results[0].exchanges[0].request = {"k" * 500: ["v" * 900] * 3}
    page = tmp_path / "wide" / "report.html"
    page.parent.mkdir()
    page.write_text(html.render(run, tmp_path / "report.json"), encoding="utf-8")
    done = shots.screenshot([page], tmp_path / "shots", max_shots=1, opened=True)
    assert len(done) == 1
    assert not done[0].overflows, done[0].line()
    assert done[0].shots[0].read_bytes().startswith(b"\x89PNG")
