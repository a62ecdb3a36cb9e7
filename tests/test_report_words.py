"""What the reports say in words: counts on a basis they name, the same in every format."""

from __future__ import annotations

import json
from pathlib import Path

from conformance import reports
from conformance.reports.summary import summary_text
from conformance.results import CaseResult, Check, RunResult
from tests.report_runs import make, refused_case, rule

SHOULD = "SubmitJob.dependsOn.type.enum"
MUST = "SubmitJob.jobName.charset"


def two_bases() -> RunResult:
    """One should deviation shown by two cases, one must deviation by three: one deviation is
    a warning, two failing cases are."""
    rules = {MUST: rule(MUST), SHOULD: rule(SHOULD, "should")}
    results = [refused_case(f"limit[jobName:{n}]", MUST) for n in range(3)]
    results += [refused_case(f"limit[dependsOn:{n}]", SHOULD, "should") for n in range(2)]
    return make(results, rules)


def test_every_format_counts_warnings_on_a_named_basis(tmp_path: Path) -> None:
    """Deviations and failing cases are counted apart, each saying which it counts, in the
    same words on the console, in report.md and in report.html."""
    run = two_bases()
    written = reports.write_reports(run, tmp_path, env={})
    texts = {
        "console": summary_text(run, written),
        "report.md": (tmp_path / "report.md").read_text(encoding="utf-8"),
        "report.html": (tmp_path / "report.html").read_text(encoding="utf-8"),
    }
    headline = "2 deviations across 5 failing cases (1 of the deviations is a warning)"
    cases = (
        "2 of the 5 failing cases are warnings (should rules: they fail a run only with --strict)"
    )
    for name, text in texts.items():
        assert headline in text, name
        assert cases in text, name
        assert "of them warnings" not in text, name
        assert "of the failures are" not in text, name
        assert "failed cases are warnings" not in text, name
    assert "warnings (1 deviation): `should` rules" in texts["console"]


def test_strict_counts_should_cases_as_failing_this_run(tmp_path: Path) -> None:
    """With --strict no deviation is a warning; the cases of should rules say they fail it."""
    run = two_bases()
    run.strict = True
    text = summary_text(run)
    assert "2 deviations across 5 failing cases;" in text
    assert "2 of the 5 failing cases are of should rules, failing this run (--strict)" in text


def lacking_run(baseline: str | None = None) -> RunResult:
    """A current-scope run: CancelJobs not implemented (its probe), and one other deviation."""
    probe = CaseResult(
        id="operations::test_operation_implemented[CancelJobs]",
        outcome="failed",
        rule="CancelJobs.implemented",
        operation="CancelJobs",
        message="CancelJobs is not implemented by this endpoint (HTTP 501 NotImplementedError)",
        checks=[Check("implemented", False, "HTTP 501")],
        baseline=baseline,  # type: ignore[arg-type]
    )
    run = make([probe, refused_case("limit[jobName:dot]", MUST)], {MUST: rule(MUST)})
    run.scope = "current"
    return run


def _findings_part(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end)] if start in page else ""


def test_not_implemented_findings_are_named_once_not_listed(tmp_path: Path) -> None:
    """report.html and report.md name an operation not implemented in their paragraph, not
    again as a finding row; report.json and junit.xml keep the finding as it is."""
    reports.write_reports(lacking_run(), tmp_path, env={})
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    lacking = "not implemented (one finding each; their other cases are skipped): CancelJobs"
    title = "Findings (1 of 2; the other 1: operations not implemented, named above)"
    finding = "CancelJobs.implemented#not-implemented"
    assert lacking in md
    assert lacking in page
    assert f"## {title}" in md
    assert f"<h2>{title}</h2>" in page
    assert finding not in _findings_part(md, "## Findings", "## Failing rules")
    assert finding not in _findings_part(page, "<h2>Findings", "<h2>Failing rules")
    assert finding not in _findings_part(page, "<h2>Findings in detail", "<h2>Failing cases")
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert finding in [f["id"] for f in doc["findings"]]
    assert finding in (tmp_path / "junit.xml").read_text(encoding="utf-8")


def test_not_implemented_finding_the_baseline_calls_new_is_listed(tmp_path: Path) -> None:
    """One the baseline calls new (or changed) is the gate's news: it is listed as a row."""
    reports.write_reports(lacking_run("new"), tmp_path, env={})
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    finding = "CancelJobs.implemented#not-implemented"
    assert "## Findings (2)" in md
    assert finding in _findings_part(md, "## Findings", "## Failing rules")
    assert finding in _findings_part(page, "<h2>Findings", "<h2>Failing rules")


def test_no_warning_case_is_said_plainly() -> None:
    """Without a warning among the failing cases, the words say so, not `0 of the 1 ... are`."""
    run = make([refused_case("limit[jobName:dot]", MUST)], {MUST: rule(MUST)})
    text = summary_text(run)
    assert "1 deviation across 1 failing case; no failing case is a warning;" in text
