"""Reports: the four files, escaping, redaction, atomic writes, what report.md shows."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conformance import reports
from conformance.redact import redact_obj, redact_text
from conformance.reports import markdown
from conformance.results import CaseResult, Check, Exchange, RuleInfo, RunResult, TargetInfo

HOSTILE = "<script>alert(1)</script>"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEBYaDEXAMPLESESSIONTOKEN"
API_TOKEN = "my-api-token-123456"
FILES = {"report.json", "report.md", "report.html", "junit.xml"}
RULE = "SubmitJob.timeout.minimum"


def failed_case(**kw: Any) -> CaseResult:
    """A failed case with full evidence and a hostile message and body."""
    exchange = Exchange(
        operation="SubmitJob",
        request={"jobName": "j", "timeout": {"attemptDurationSeconds": 59}},
        http_status=200,
        body=f'{{"jobId": "1", "note": "{HOSTILE}"}}',
    )
    case = CaseResult(
        id="tests/test_submit.py::test_timeout[59]",
        outcome="failed",
        rule=RULE,
        operation="SubmitJob",
        message=f"expected a 400 rejection, got 200 {HOSTILE}",
        checks=[Check("rejected", False, "HTTP 200, no error code"), Check("sent", True)],
        exchanges=[exchange],
        schema_path="/properties/timeout/properties/attemptDurationSeconds",
    )
    return replace(case, **kw)


def error_case(**kw: Any) -> CaseResult:
    """An errored case: the endpoint answered garbage."""
    exchange = Exchange(
        operation="DescribeJobs",
        request={"jobs": ["x"]},
        http_status=502,
        error_code="InternalFailure",
        error_message="bad gateway",
        body="<html>" + "x" * 2000 + "</html>",
        rejected_by="server",
    )
    case = CaseResult(
        id="tests/test_jobs.py::test_describe",
        outcome="error",
        operation="DescribeJobs",
        message="endpoint answered HTML",
        exchanges=[exchange],
    )
    return replace(case, **kw)


def make_run(*extra: CaseResult, fatal: str | None = None) -> RunResult:
    """A run with one passed, failed, errored and skipped case (passed first)."""
    results = [
        CaseResult(
            id="tests/test_ok.py::test_pass",
            outcome="passed",
            rule=RULE,
            operation="SubmitJob",
            checks=[Check("accepted", True)],
        ),
        failed_case(),
        error_case(),
        CaseResult(id="tests/test_skip.py::test_skip", outcome="skipped", message="not here"),
        *extra,
    ]
    rules = {
        RULE: RuleInfo(
            RULE,
            "SubmitJob",
            "timeout.attemptDurationSeconds is at least 60",
            "seed",
            'seed: SubmitJob > timeout: "The minimum value is 60 seconds."',
        ),
    }
    target = TargetInfo(name="endpoint", endpoint="http://h|o`st:1/", region="us-east-1")
    sdk = {"boto3": "1.34.0", "botocore": "1.34.0"}
    return RunResult(target, sdk, "2024-01-01T00:00:00Z", 2.5, results, rules, 7, fatal)


def read_all(folder: Path) -> dict[str, str]:
    """Every file in `folder` by name."""
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}


def test_four_files_appear(tmp_path: Path) -> None:
    """write_reports writes exactly the four report files and returns their paths."""
    paths = reports.write_reports(make_run(), tmp_path / "out")
    assert {p.name for p in paths} == FILES
    assert {p.name for p in (tmp_path / "out").iterdir()} == FILES


def test_json_round_trips(tmp_path: Path) -> None:
    """report.json reads back through RunResult.from_dict to the same document."""
    run = make_run()
    reports.write_reports(run, tmp_path)
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert RunResult.from_dict(doc).to_dict() == run.to_dict()


def test_html_escapes_endpoint_text(tmp_path: Path) -> None:
    """A <script> in a message or body comes out escaped, never raw."""
    reports.write_reports(make_run(fatal=HOSTILE), tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)" in page
    assert "<script" not in page.lower()
    assert "<link" not in page
    assert "src=" not in page


def test_junit_counts(tmp_path: Path) -> None:
    """junit.xml parses and counts one failure, one error, one skip in one suite."""
    reports.write_reports(make_run(), tmp_path)
    root = ET.parse(tmp_path / "junit.xml").getroot()
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["batch-conformance"]
    cases = suites[0].findall("testcase")
    assert len(cases) == 4
    assert len(suites[0].findall("testcase/failure")) == 1
    assert len(suites[0].findall("testcase/error")) == 1
    assert len(suites[0].findall("testcase/skipped")) == 1
    assert (suites[0].get("failures"), suites[0].get("errors")) == ("1", "1")
    failure = suites[0].find("testcase/failure")
    assert failure is not None
    assert HOSTILE in failure.get("message", "")
    assert "attemptDurationSeconds" in (failure.text or "")
    assert {c.get("classname") for c in cases} == {"SubmitJob", "DescribeJobs", "batch"}


def test_junit_strips_illegal_xml_characters(tmp_path: Path) -> None:
    """Control characters from the endpoint are dropped, so junit.xml still parses."""
    case = failed_case(message="bad\x00\x1b[31m\ufffe char")
    case.id = "other"
    reports.write_reports(make_run(case), tmp_path)
    ET.parse(tmp_path / "junit.xml")


def test_no_secret_in_any_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Secrets from the environment, headers and key ids never reach a report file."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    monkeypatch.setenv("MY_API_TOKEN", API_TOKEN)
    auth = (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/batch/"
        "aws4_request, SignedHeaders=host;x-amz-date, Signature=deadbeef0123"
    )
    case = failed_case(message=f"leaked {SECRET} and {API_TOKEN}")
    case.id = f"leak-{API_TOKEN}"
    case.exchanges[0].request["secret"] = TOKEN
    case.exchanges[0].body = f"Authorization: {auth}\nX-Amz-Security-Token: {TOKEN}"
    case.checks[0].detail = f"header {auth}"
    reports.write_reports(make_run(case), tmp_path)
    for name, text in read_all(tmp_path).items():
        for secret in (SECRET, TOKEN, API_TOKEN, "AKIAIOSFODNN7EXAMPLE", "deadbeef0123"):
            assert secret not in text, (name, secret)
        assert "***" in text, name


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Authorization: AWS4-HMAC-SHA256 Credential=A/b, Signature=ab12", "Authorization: "),
        ("{'Authorization': 'AWS4-HMAC-SHA256 x'}, 'k': 1", "'k': 1"),
        ("X-Amz-Security-Token: abc/DEF+ghi= next", " next"),
        ("https://h/?X-Amz-Signature=abc123&X-Amz-Credential=ASIAXXXX/2024&a=1", "&a=1"),
        ("key AKIAABCDEFGHIJKLMNOP used", "key *** used"),
        ("Signature=0123abcdef", "Signature=***"),
    ],
)
def test_redact_patterns(text: str, kept: str) -> None:
    """Credential shapes are masked and the text around them kept."""
    out = redact_text(text, env={})
    assert "***" in out
    assert kept in out
    for fragment in ("AWS4-HMAC", "abc/DEF", "abc123", "ASIAXXXX", "AKIAABCD", "0123abcdef"):
        assert fragment not in out


def test_redact_env_rules() -> None:
    """Secret-named variables of 6+ characters are masked; others and short ones are not."""
    env = {
        "DB_PASSWD": "hunter22",
        "SIGNING_KEY": "k3y-value",
        "HOME": "/home/user",
        "GH_TOKEN": "short",
        "MY_CREDENTIALS": "cred-value",
    }
    text = "hunter22 k3y-value /home/user short cred-value"
    assert redact_text(text, env) == "*** *** /home/user short ***"
    assert redact_obj({"a": ["hunter22", 3, ("k3y-value",)]}, env) == {"a": ["***", 3, ("***",)]}


def test_failing_writer_keeps_previous_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that raises leaves every previous report byte-identical, no temp files."""
    reports.write_reports(make_run(), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def boom(*_: object) -> str:
        raise RuntimeError("writer broke")

    monkeypatch.setattr(markdown, "render", boom)
    with pytest.raises(RuntimeError, match="writer broke"):
        reports.write_reports(make_run(fatal="second run"), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_write_failing_midway_keeps_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails after some bytes hit the disk replaces nothing, leaves no temp."""
    reports.write_reports(make_run(), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    calls = []

    def flaky_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", flaky_fsync)
    with pytest.raises(OSError, match="disk full"):
        reports.write_reports(make_run(fatal="second run"), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_markdown_findings_then_rules_then_cases(tmp_path: Path) -> None:
    """report.md leads with the findings, then the failing rules, then the cases, passes last."""
    reports.write_reports(make_run(), tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    order = [
        "## ❌ 2 deviations across 2 failing cases",
        "## Findings (2)",
        "## Failing rules (2)",
        "## Failing cases (2)",
        "All results (4)",
        "Full report: `report.html`",
    ]
    positions = [md.index(text) for text in order]
    assert positions == sorted(positions)
    findings = md[md.index("## Findings") : md.index("## Failing rules")]
    assert "### 1. ❌ `SubmitJob.timeout.minimum#value[59]`" in findings
    assert "### 2. 💥 `(no rule)#no-result`" in findings
    assert "provenance seed" in findings
    report_json = tmp_path / "report.json"
    replay = f"batch-conformance replay {report_json} 'tests/test_submit.py::test_timeout[59]'"
    assert replay in findings
    cases = md[md.index("## Failing cases") :]
    assert "HTTP 200, no error code" in cases
    assert "schema path: /properties/timeout" in cases
    assert md.index("test_timeout[59]") < md.index("test_pass")
    assert "| `SubmitJob.timeout.minimum` | `SubmitJob` | seed | must | 1 | 0 | 1 | 0 |" in md


def test_markdown_header_and_fatal_first(tmp_path: Path) -> None:
    """A fatal line comes before everything else; endpoint pipes and backticks are escaped."""
    reports.write_reports(make_run(fatal="target unreachable"), tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert md.index("target unreachable") < md.index("| Target |")
    assert "``http://h\\|o`st:1/``" in md
    assert "| `us-east-1` | boto3 1.34.0, botocore 1.34.0 | 7 |" in md
    assert "❌ 1 failed" in md
    assert "💥 1 error" in md
    assert "(4 cases;" in md


def test_markdown_baseline_groups(tmp_path: Path) -> None:
    """With baseline marks: the counts, known findings last and marked, the fixed cases."""
    run = make_run()
    run.results[0].baseline, run.results[0].baseline_reason = "fixed", "moto#1"
    run.results[1].baseline = "new"
    run.results[2].baseline, run.results[2].baseline_reason = "known", "moto#2 gateway"
    reports.write_reports(run, tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "**Gate:** FAILED — 1 new, 0 changed, 1 fixed, 1 known (baseline)" in md
    new = md.index("### 1. ❌ `SubmitJob.timeout.minimum#value[59]`")
    known = md.index("### 2. 📌 `(no rule)#no-result`")
    fixed = md.index("## Fixed (remove from the baseline) (1)")
    assert new < known < md.index("moto\\#2 gateway") < fixed
    assert "must, known" in md[known:fixed]
    assert "test_pass" in md[fixed : md.index("## Failing rules")]
