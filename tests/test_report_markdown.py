"""report.md and what comes of it: findings first, within 60,000 characters, the step
summary, cut markers, what a generated case sent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance import calls, case_record, reports
from conformance.reports import evidence as ev
from conformance.reports import markdown
from conformance.results import (
    CaseResult,
    Exchange,
    load_report,
)
from tests.report_runs import (
    HOSTILE,
    ROOT,
    assert_left_out_counted,
    huge_run,
    make,
    mixed_run,
    outside_code,
    refused_case,
    render_md,
    rule,
)

# --- report.md ---------------------------------------------------------------------------


def test_markdown_leads_with_findings_each_once(tmp_path: Path) -> None:
    """Headline, then each finding once with strength, cases, evidence, one replay."""
    md = render_md(mixed_run(), tmp_path)
    assert md.index("## ❌ 4 deviations across 5 failing cases") < md.index("## Findings (4)")
    findings = md[md.index("## Findings") : md.index("## Failing rules")]
    headings = re.findall(r"^### \d+\. \S+ `([^`]+)`$", findings, flags=re.MULTILINE)
    assert headings == [
        "SubmitJob.jobName.charset#refusal-expected",
        "SubmitJob.required#no-result",
        "SubmitJob.dependsOn.type.enum#refusal-expected",
        "SubmitJob.required#refusal-expected",
    ]  # blocking first, then the warning, then the known deviation
    first = findings[: findings.index("### 2.")]
    assert "2 cases: `limit[jobName:dot]`, `limit[jobName:space]`" in first
    assert first.count("batch-conformance replay") == 1
    assert "'limit[jobName:dot]'" in first
    assert '**Evidence:** seed "The seed says SubmitJob.jobName.charset holds."' in first
    assert "also doc (https://docs.aws.amazon.com/x)" in first
    warning = findings[findings.index("### 3.") : findings.index("### 4.")]
    assert "🔶" in warning
    assert "should (new warning)" in warning  # the run has a baseline that does not list it
    assert "fails a run only with --strict" in warning
    assert "**Note:** seen accepted by AWS" in warning
    known = findings[findings.index("### 4.") :]
    assert "📌" in known
    assert "must, known" in known
    assert "moto\\#1 accepts it" in known


def test_markdown_strict_warning_is_blocking(tmp_path: Path) -> None:
    """With --strict a should failure is no warning: it shows as a failure."""
    md = render_md(mixed_run(strict=True), tmp_path)
    assert "🔶" not in md.split("## Failing rules")[0]
    assert "should (warning)" not in md


def test_markdown_all_known_is_not_red(tmp_path: Path) -> None:
    """A run whose deviations are all known says nothing is new, without a red mark."""
    run = mixed_run()
    for result in run.results:
        if result.outcome in {"failed", "error"}:
            result.baseline = "known"
    md = render_md(run, tmp_path)
    assert "## ✅ 4 deviations across 5 failing cases (all known: nothing new)" in md
    assert "**Gate:** PASSED — 0 new, 0 changed, 0 fixed, 5 known (baseline)" in md


def test_markdown_and_html_say_interrupted(tmp_path: Path) -> None:
    """An interrupted run says so before anything else in report.md and report.html."""
    run = mixed_run()
    run.interrupted = "interrupted after 3 of 7 cases; cleaned up"
    md = render_md(run, tmp_path)
    assert md.index("> **Interrupted.** `interrupted after 3 of 7 cases; cleaned up`") < md.index(
        "| Target |"
    )
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    banner = page.index(">Interrupted after 3 of 7 cases; cleaned up<")
    assert banner < page.index('class="headline"')


def test_markdown_clean_run(tmp_path: Path) -> None:
    """A run without deviations says so, and still points to the full reports."""
    run = make([CaseResult("ok", "passed", "r", "SubmitJob")], {"r": rule("r")})
    md = render_md(run, tmp_path)
    assert "## ✅ No deviations" in md
    assert "## Findings" not in md
    assert md.rstrip().endswith(f"in `{tmp_path}`.")


def test_markdown_huge_run_fits_a_pull_request_comment(tmp_path: Path) -> None:
    """3,000 failing cases with hostile 4,000-character bodies: at most 60,000 characters,
    findings first, then as many cases as fit, then the pointer to the full reports."""
    run = huge_run()
    md = markdown.render(run, tmp_path / "report.json")  # write_reports: redaction, 5 s more
    assert len(md) <= markdown.MAX_CHARS
    assert md.index("## Findings (") < md.index("## Failing rules (")
    assert md.index("## Failing rules (") < md.index("## Failing cases (3,000)")
    assert re.search(r"^### 1\. ", md, flags=re.MULTILINE)
    assert "**Cut to fit 60,000 characters**, left out here: " in md
    assert re.search(r"\d+ of 1,\d{3} findings", md)
    assert re.search(r"\d+ of 3,000 failing cases", md)
    assert "the table of all 3,000 results" in md
    assert "They are in report.html and report.json." in md
    assert md.rstrip().endswith(f"in `{tmp_path}`.")
    assert HOSTILE in md
    assert HOSTILE not in outside_code(md)  # only ever inside code spans and fences
    assert md.count("```") % 2 == 0  # no fence left open by a cut


@pytest.mark.parametrize("limit", [3_000, 10_000, 60_000])
def test_markdown_limit_holds_at_any_size(tmp_path: Path, limit: int) -> None:
    """The limit holds also when it is small; the footer is always there."""
    text = markdown.render(huge_run(400, 50), tmp_path / "report.json", limit=limit)
    assert len(text) <= limit
    assert "Full report: `report.html`" in text


@pytest.mark.parametrize("target", ["moto", "moto-server", "ministack"])
def test_markdown_of_committed_runs(tmp_path: Path, target: str) -> None:
    """The committed runs' report.md fit, lead with findings and name every failing case
    with a replay command, or say how many of them they left out."""
    run = load_report(ROOT / "reports" / "latest" / target / "report.json")
    md = markdown.render(run, tmp_path / "report.json")
    assert len(md) <= markdown.MAX_CHARS
    assert md.index("## Findings (") < md.index("## Failing cases (")
    commands = re.findall(r"^batch-conformance replay .+ '(.+)'$", md, flags=re.MULTILINE)
    failing = {r.id for r in run.results if r.outcome in {"failed", "error"}}
    assert_left_out_counted(md, failing - set(commands))  # cut to fit: the footer counts them


# --- GITHUB_STEP_SUMMARY -----------------------------------------------------------------


def test_step_summary_is_appended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With GITHUB_STEP_SUMMARY set, report.md is appended to that file, run after run."""
    summary = tmp_path / "step_summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    reports.write_reports(mixed_run(), tmp_path / "a")
    reports.write_reports(mixed_run(), tmp_path / "b")
    text = summary.read_text(encoding="utf-8")
    md = (tmp_path / "a" / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n")
    assert text.count("# AWS Batch conformance: `moto`") == 2
    assert md in text


def test_step_summary_unset_or_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset or empty, nothing is written anywhere but the report folder."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    reports.write_reports(mixed_run(), tmp_path / "a")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", "")
    reports.write_reports(mixed_run(), tmp_path / "b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_step_summary_unwritable_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A summary file that cannot be written: one stderr line, the reports are written."""
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path)}  # a folder: cannot be appended to
    written = reports.write_reports(mixed_run(), tmp_path / "out", env=env)
    assert {p.name for p in written} == set(reports.REPORT_FILES)
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("batch-conformance: cannot append the summary to GITHUB_STEP_SUMMARY")


# --- cut evidence ------------------------------------------------------------------------


def test_capture_limits_match_the_capture() -> None:
    """The reports know where the run cut bodies and examples when it captured them."""
    assert ev.CAPTURE_LIMIT == calls.BODY_LIMIT
    assert ev.EXAMPLE_CAPTURE_LIMIT == case_record.EXAMPLE_LIMIT


def test_cut_markers_say_where_and_how_much() -> None:
    """A cut says at which character and how many were left out; counts are exact."""
    assert ev.truncate("abcdef", 6) == "abcdef"
    assert ev.truncate("abcdefgh", 6) == "abcdef… [cut here at 6 of 8 characters, 2 left out]"
    body = "b" * ev.CAPTURE_LIMIT  # what calls.py keeps of a longer answer
    text = ev.body_text(body, 500)
    assert text == (
        "b" * 500 + "… [cut here at 500 of 4,000 characters, 3,500 left out;"
        " cut at 4,000 characters when captured; the rest was not kept]"
    )
    assert ev.body_text("b" * 3999, 5000) == "b" * 3999  # shorter than the capture: whole
    whole = ev.body_text(body, 5000)
    assert whole == body + " [cut at 4,000 characters when captured; the rest was not kept]"
    example = ev.truncate("e" * 2000, 5000, ev.EXAMPLE_CAPTURE_LIMIT)
    assert example.endswith("[cut at 2,000 characters when captured; the rest was not kept]")


def test_cut_markers_in_every_format(tmp_path: Path) -> None:
    """A body cut at capture says so in report.md, report.html and junit.xml."""
    run = mixed_run()
    run.results[1].exchanges[0].body = "z" * ev.CAPTURE_LIMIT
    reports.write_reports(run, tmp_path, env={})
    marker = "cut at 4,000 characters when captured; the rest was not kept"
    for name in ("report.md", "report.html", "junit.xml"):
        assert marker in (tmp_path / name).read_text(encoding="utf-8"), name
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "cut here at 300 of 4,000 characters, 3,700 left out" in md
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f'<span class="cut">[{marker}]</span>' in page


# --- a generated case shows what it sent ---------------------------------------------------


def generated_case() -> CaseResult:
    """A generated case: hypothesis's example, then the requests as the run sent them."""
    example = "Failing test case: refused(request={'jobName': '0', 'jobQueue': '0'})"
    first = Exchange("SubmitJob", {"jobName": "bc1-job-1", "jobQueue": "arn:q"}, 200, body="{}")
    sent = Exchange("SubmitJob", {"jobName": "bc1-job-2", "jobQueue": "arn:q"}, 200, body="{}")
    return refused_case(
        "generated::test_refused[SubmitJob]",
        "SubmitJob.generated.refused",
        example=example,
        exchanges=[first, sent],
    )


def test_generated_case_shows_what_was_sent(tmp_path: Path) -> None:
    """The example as sent (the last exchange) comes first; hypothesis's text after it."""
    case = generated_case()
    lines = ev.evidence_lines(case, checks=False)
    assert lines[0] == "example as sent (exchange #2 of 2):"
    assert lines[1] == '#2 SubmitJob request: {"jobName": "bc1-job-2", "jobQueue": "arn:q"}'
    hypothesis = next(i for i, line in enumerate(lines) if line.startswith("hypothesis's"))
    assert hypothesis > 1
    assert "before the run's names were bound" in lines[hypothesis]
    run = make([case], {"SubmitJob.generated.refused": rule("SubmitJob.generated.refused")})
    md = render_md(run, tmp_path)
    assert md.index("example as sent (exchange #2 of 2)") < md.index("bc1-job-2")
    assert md.index("bc1-job-2") < md.index("hypothesis's example")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    sent = page.index("<th>Example as sent</th>")
    assert sent < page.index("bc1-job-2") < page.index("Hypothesis&#x27;s example")
    assert "#2 SubmitJob (0.000 s) — the example as sent" in page
