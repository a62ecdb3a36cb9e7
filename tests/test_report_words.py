"""What the reports say in words: counts on a basis they name, the same in every format."""

from __future__ import annotations

from pathlib import Path

from conformance import reports
from conformance.reports.summary import summary_text
from conformance.results import RunResult
from tests.test_report_formats import make, refused_case, rule

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
