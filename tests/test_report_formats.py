"""The human-readable reports: findings first, report.md within 60,000 characters, the step
summary, cut markers, what a generated case sent, junit totals, tables that fit 1,400 px."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

from conformance import calls, case_record, reports
from conformance.findings import find
from conformance.reports import evidence as ev
from conformance.reports import html, markdown
from conformance.results import (
    CaseResult,
    Check,
    Exchange,
    RuleInfo,
    RunResult,
    Strength,
    TargetInfo,
    load_report,
)

HOSTILE = "<script>alert(1)</script>"
ROOT = Path(__file__).resolve().parent.parent
REFUSAL = [
    Check("http-status-400", False, "got HTTP 200"),
    Check("error-code-ClientException", False, "got None"),
]


def rule(rid: str, strength: str = "must") -> RuleInfo:
    """A rule with a quote and a note, as the rulebook gives them."""
    evidence = [
        {"kind": "seed", "quote": f"The seed says {rid} holds.", "where": "seed: SubmitJob"},
        {"kind": "doc", "quote": "AWS says so too.", "where": "https://docs.aws.amazon.com/x"},
    ]
    note = "seen accepted by AWS" if strength == "should" else None
    return RuleInfo(
        rid, "SubmitJob", f"{rid} summary", "seed", f"seed: {rid}", strength, evidence, note
    )


def refused_case(case_id: str, rid: str, strength: Strength = "must", **kw: object) -> CaseResult:
    """A case that expected a refusal and was accepted."""
    case = CaseResult(
        id=case_id,
        outcome="failed",
        rule=rid,
        operation="SubmitJob",
        message="accepted (HTTP 200) a request the seed forbids",
        checks=list(REFUSAL),
        exchanges=[Exchange("SubmitJob", {"jobName": "j"}, http_status=200, body="{}")],
        strength=strength,
    )
    for key, value in kw.items():
        setattr(case, key, value)
    return case


def make(results: list[CaseResult], rules: dict[str, RuleInfo], strict: bool = False) -> RunResult:
    """A run with its findings, as session.finish builds it."""
    run = RunResult(
        TargetInfo("moto", None, "us-east-1"),
        {"botocore": "1.34.0"},
        "2024-01-01T00:00:00Z",
        1.0,
        results,
        rules,
        seed=7,
        strict=strict,
    )
    strengths = {rid: info.strength for rid, info in rules.items()}
    run.findings = find(results, lambda rid: "should" if strengths.get(rid) == "should" else "must")
    return run


def mixed_run(strict: bool = False) -> RunResult:
    """Two cases of one must deviation, a should warning, a known deviation, an error, passes."""
    rules = {rid: rule(rid) for rid in ("SubmitJob.jobName.charset", "SubmitJob.required")}
    rules["SubmitJob.dependsOn.type.enum"] = rule("SubmitJob.dependsOn.type.enum", "should")
    results = [
        CaseResult("ok", "passed", "SubmitJob.required", "SubmitJob"),
        refused_case("limit[jobName:dot]", "SubmitJob.jobName.charset"),
        refused_case("limit[jobName:space]", "SubmitJob.jobName.charset"),
        refused_case("limit[dependsOn:BOGUS]", "SubmitJob.dependsOn.type.enum", "should"),
        refused_case(
            "limit[required:without-jobName]",
            "SubmitJob.required",
            baseline="known",
            baseline_reason="moto#1 accepts it",
        ),
        CaseResult("describe", "error", "SubmitJob.required", "SubmitJob", "endpoint gone"),
        CaseResult("skip", "skipped", message="not here"),
    ]
    return make(results, rules, strict)


def huge_run(cases: int = 3000, rules: int = 300) -> RunResult:
    """Thousands of failing cases, hundreds of rules, hostile 4,000-character bodies."""
    rule_ids = [f"SubmitJob.member{n:03d}.limit" for n in range(rules)]
    infos = {rid: rule(rid, "should" if n % 7 == 0 else "must") for n, rid in enumerate(rule_ids)}
    results = []
    for n in range(cases):
        rid = rule_ids[n % rules]
        body = (HOSTILE + "`|<>" + "x" * 97) * 40
        case = refused_case(
            f"request_limits::test_limit[{rid}:outside:{n}-" + "y" * 120 + "]",
            rid,
            infos[rid].strength,  # type: ignore[arg-type]
            message=f"accepted (HTTP 200) {HOSTILE} " + "m" * 3000,
            exchanges=[
                Exchange("SubmitJob", {"jobName": "j" * 300, "n": n}, 200, body=body[:4000])
                for _ in range(2)
            ],
            example="Failing test case: " + "e" * 2000,
        )
        if n % 3 == 0:  # a value finding per case: as many findings as cases
            case.checks = [Check("value", False, "d" * 500)]
            case.message = f"value {n} wrong " + "v" * 2000
        results.append(case)
    return make(results, infos)


def outside_code(md: str) -> str:
    """`md` without its fenced blocks and code spans."""
    md = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", md, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", "", md)


def render_md(run: RunResult, tmp_path: Path) -> str:
    """report.md of `run` through write_reports (redaction included)."""
    reports.write_reports(run, tmp_path, env={})
    return (tmp_path / "report.md").read_text(encoding="utf-8")


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
    (moto: 50 of them) with a replay command, when they fit."""
    run = load_report(ROOT / "reports" / "latest" / target / "report.json")
    md = markdown.render(run, tmp_path / "report.json")
    assert len(md) <= markdown.MAX_CHARS
    assert md.index("## Findings (") < md.index("## Failing cases (")
    commands = re.findall(r"^batch-conformance replay .+ '(.+)'$", md, flags=re.MULTILINE)
    failing = {r.id for r in run.results if r.outcome in {"failed", "error"}}
    if "failing cases" not in md.split("left out here:")[-1]:
        assert failing <= set(commands)
    if target == "moto":
        assert failing <= set(commands)


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


def load_screenshots() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


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
