"""The matrix answers three questions apart: valid calls, invalid input, job lifecycle."""

from __future__ import annotations

from conformance.reports import questions
from conformance.reports.compare import build_matrix
from conformance.reports.matrix_render import render_html, render_markdown
from conformance.results import CaseResult, Check, Finding, RunResult, Strength, TargetInfo

REFUSED = [Check("http-status-400", False, "got HTTP 200")]


def _finding(fid: str, what: str, operation: str, strength: Strength = "must") -> Finding:
    rule = fid.split("#", maxsplit=1)[0]
    return Finding(fid, rule, strength, operation, what, "failed", "m", ["c"])


def _run(findings: list[Finding], results: list[CaseResult], lifecycle: str | None) -> RunResult:
    return RunResult(
        target=TargetInfo("moto", None, "us-east-1", "5.2.5"),
        sdk={"botocore": "1.44.5"},
        started_at="2026-12-02T00:00:00+00:00",
        duration_s=1.0,
        results=results,
        findings=findings,
        lifecycle=lifecycle,
    )


RUN = _run(
    [
        _finding("SubmitJob.timeout.minimum#refusal-expected", "refusal-expected", "SubmitJob"),
        _finding("X.behaviour.lookup#value", "value", "DescribeJobs", "should"),
        _finding("Y.behaviour.echo#valid-request-refused", "valid-request-refused", "SubmitJob"),
    ],
    [
        CaseResult("a", "failed", operation="SubmitJob", checks=REFUSED),
        CaseResult("b", "failed", operation="SubmitJob"),
        CaseResult("c", "passed", operation="DescribeJobDefinitions"),
        CaseResult("d", "passed", operation="DescribeJobDefinitions", checks=REFUSED[:0]),
        CaseResult("e", "failed", operation="DescribeJobs"),
    ],
    "not modelled (jobs complete at submission)",
)


def test_findings_answer_the_question_they_belong_to() -> None:
    """A refusal expected is invalid input; a wrong answer or refusal of a valid call is not."""
    assert questions.valid_cell(RUN, "SubmitJob") == "deviates: 1 must"
    assert questions.invalid_cell(RUN, "SubmitJob") == "not refused: 1 must"
    assert questions.valid_cell(RUN, "DescribeJobs") == "deviates: 1 should"
    assert questions.invalid_cell(RUN, "DescribeJobs") == questions.NONE
    assert questions.valid_cell(RUN, "DescribeJobDefinitions") == "as AWS"
    assert questions.valid_cell(RUN, "ListJobs") == questions.NOT_RUN


def test_one_line_per_target_says_whether_valid_code_works() -> None:
    """Valid calls, invalid input and the lifecycle, in one line."""
    line = questions.target_line(RUN)
    assert line.startswith("valid calls: 1 of 3 implemented operations behave as AWS; 2 deviate")
    assert "invalid input: accepts 1 kinds of request AWS refuses (1 must)" in line
    assert line.endswith("job lifecycle: not modelled (jobs complete at submission)")


def test_the_matrix_shows_the_questions_and_must_apart_from_should() -> None:
    """The questions table, the lifecycle row, and must/should cells styled apart."""
    matrix = build_matrix([RUN], ["moto"])
    text = render_markdown(matrix)
    assert "## Will valid Batch code work here?" in text
    assert "| job lifecycle | not modelled (jobs complete at submission) |" in text
    assert "| SubmitJob | deviates: 1 must | not refused: 1 must |" in text
    page = render_html(matrix)
    assert '<td class="must">deviates: 1 must</td>' in page
    assert '<td class="should">deviates: 1 should</td>' in page
    assert '<td class="aws">as AWS</td>' in page
