"""Made-up runs for the report formats' tests to render: a mixed run, a huge one, and the
pieces they are made of; and scripts/screenshots.py, loaded for the tests that look at a page
in Chromium."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from conformance import reports
from conformance.findings import find
from conformance.results import (
    CaseResult,
    Check,
    Exchange,
    RuleInfo,
    RunResult,
    Strength,
    TargetInfo,
)

HOSTILE = "<script>alert(1)</script>"
ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = re.compile(r"([\d,]+) of [\d,]+ failing cases")  # report.md's footer, once cut to fit
REFUSAL = [
    Check("http-status-400", False, "got HTTP 200"),
    Check("error-code-ClientException", False, "got None"),
]


def assert_left_out_counted(markdown: str, missing: set[str]) -> None:
    """The failing cases report.md names no replay command for (`missing`) are counted in its
    footer as left out to fit: at least as many as are missing."""
    if not missing:
        return
    left = LEFT_OUT.search(markdown.rsplit("left out here:", maxsplit=1)[-1])
    assert left, missing
    assert int(left.group(1).replace(",", "")) >= len(missing), missing


def load_screenshots() -> ModuleType:
    """scripts/screenshots.py as a module."""
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


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
