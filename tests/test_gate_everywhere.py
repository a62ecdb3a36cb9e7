"""One gate, worded alike by the console and every report, and in plugin mode pytest's own
outcomes and exit code are the gate's."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.cli import cli, plugin, report
from tests.gate_cases import (
    GATE_CASES,
    MOTO_BASELINE,
    PASSING,
    REGRESSION,
    SHOULD_REGRESSIONS,
    regressed_baseline,
    write_baseline,
)

COUNTS = "{verdict}: {new} new, {changed} changed, {fixed} fixed, {known} known"


def gate_lines(folder: Path, console: str) -> dict[str, str]:
    """The gate as each format words it: the console's last line, report.json's `gate`,
    report.md's and report.html's Gate line, junit.xml's gate.* properties."""
    doc = report(folder)
    md = (folder / "report.md").read_text(encoding="utf-8")
    page = (folder / "report.html").read_text(encoding="utf-8")
    suite = ET.parse(folder / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    junit = {k: props[f"gate.{k}"] for k in ("verdict", "new", "changed", "fixed", "known")}
    return {
        "console": console.strip().splitlines()[-1].removeprefix("gate: "),
        "json": doc["gate"]["text"],
        "json counts": COUNTS.format(**doc["gate"]),
        "junit counts": COUNTS.format(**junit),
        "md": next(line for line in md.splitlines() if line.startswith("**Gate:** ")).removeprefix(
            "**Gate:** "
        ),
        "html": html.unescape(re.search(r"<p><b>Gate:</b> (.*?)</p>", page).group(1)),  # type: ignore[union-attr]
    }


def test_console_and_every_report_name_the_same_gate(tmp_path: Path) -> None:
    """One regression of a must rule and two of a should rule, with a baseline: the console's
    last line and every report say 1 new, 0 changed, 1 fixed, 2 known, 2 new warnings, and
    the should regressions show as new warnings. With the full baseline: passed, alike."""
    baseline = regressed_baseline(tmp_path / "regressed.json")
    cases = [arg for case in GATE_CASES for arg in ("--case", case)]
    done = cli("run", *cases, "--baseline", str(baseline), "--report-dir", "r", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    said = gate_lines(tmp_path / "r", done.stdout)
    counts = "1 new, 0 changed, 1 fixed, 2 known, 2 new warnings"
    assert said["console"] == f"FAILED — {counts} (baseline {baseline})", done.stdout
    assert said["json"] == said["md"].replace("\\", "") == said["html"] == said["console"]
    assert (
        said["json counts"] == said["junit counts"] == "failed: 1 new, 0 changed, 1 fixed, 2 known"
    )
    lines = done.stdout.splitlines()
    assert f"baseline: {counts}" in lines
    for case in SHOULD_REGRESSIONS:
        assert any(line.startswith(f"  NEW WARN {case}: ") for line in lines), done.stdout
    finding = "RegisterJobDefinition.containerProperties.image.charset#refusal-expected"
    assert f"  NEW WARN {finding} [should]" in lines
    assert not [line for line in lines if line.startswith("  WARN ")]
    assert f"  NEW      {REGRESSION}: " in done.stdout

    whole = cli("run", *cases, "--baseline", str(MOTO_BASELINE), "--report-dir", "w", cwd=tmp_path)
    assert whole.returncode == 0, whole.stdout + whole.stderr
    said = gate_lines(tmp_path / "w", whole.stdout)
    expected = f"PASSED — 0 new, 0 changed, 0 fixed, 5 known (baseline {MOTO_BASELINE})"
    assert said["console"] == said["json"] == said["html"] == expected, whole.stdout
    assert said["junit counts"] == "passed: 0 new, 0 changed, 0 fixed, 5 known"


# ---------------------------------------------------------------------------------------
# Plugin mode: pytest's own outcomes and exit code are the gate's

KNOWN_ERROR = "request_limits::test_limit[SubmitJob.required:outside:without-jobDefinition]"
PYTEST_LINE = re.compile(r"(\d+) (failed|passed|xfailed|xpassed|errors?|skipped)")


def plugin_run(tmp_path: Path, *args: str) -> tuple[int, str]:
    """`pytest --pyargs conformance.cases --batch-target moto -rfxX ARGS`, reports in r/:
    its exit code and its output."""
    done = plugin(
        "--batch-target", "moto", "--batch-report-dir", "r", "-rfExX", *args, cwd=tmp_path
    )
    return done.returncode, done.stdout + done.stderr


def pytest_counts(output: str) -> dict[str, int]:
    """The counts of pytest's last line: `1 failed, 5 xfailed, 1 xpassed in 9.1s`."""
    last = output.strip().splitlines()[-1]
    return {
        word.removesuffix("s") if word == "errors" else word: int(n)
        for n, word in PYTEST_LINE.findall(last)
    }


def said_by_pytest(output: str, word: str) -> set[str]:
    """The case parameters of pytest's short summary lines `FAILED ...`, `XFAIL ...`."""
    found = re.findall(rf"^{word} \S+::test_\w+\[(.+?)\](?: - |$)", output, flags=re.MULTILINE)
    return set(found)


def gate_in_pytest_words(
    gate: dict[str, Any], passed: int, strict_baseline: bool
) -> dict[str, int]:
    """What pytest must count for this gate: new and changed fail (so does a fixed entry
    under --strict-baseline), known deviations and warnings are xfailed, fixed ones xpassed."""
    counts = {
        "failed": gate["new"] + gate["changed"] + (gate["fixed"] if strict_baseline else 0),
        "xfailed": gate["known"] + gate["warnings"],
        "xpassed": 0 if strict_baseline else gate["fixed"],
        "passed": passed,
    }
    return {key: value for key, value in counts.items() if value}


def param(case: str) -> str:
    """`test_limit[P]` -> `P`."""
    return case.split("[", 1)[1].removesuffix("]")


@pytest.mark.parametrize(
    ("baseline", "strict_baseline", "counts", "failed"),
    [
        ("regressed", False, {"failed": 1, "xfailed": 5, "xpassed": 1}, {REGRESSION}),
        ("whole", False, {"xfailed": 6, "passed": 1}, set()),
        ("regressed", True, {"failed": 2, "xfailed": 5}, {REGRESSION, PASSING}),
    ],
)
def test_plugin_outcomes_and_exit_code_are_the_gates(
    tmp_path: Path, baseline: str, strict_baseline: bool, counts: dict[str, int], failed: set[str]
) -> None:
    """Plugin mode with a baseline: known deviations (a failure, an error) and should
    warnings are xfailed with their reason, a fixed entry xpassed (failed under
    --batch-strict-baseline), a new failure failed; pytest's counts and exit code are the
    gate's, and only what fails the gate is FAILED."""
    path = regressed_baseline(tmp_path / "b.json") if baseline == "regressed" else MOTO_BASELINE
    cases = [arg for case in (*GATE_CASES, KNOWN_ERROR) for arg in ("--batch-case", case)]
    extra = ["--batch-strict-baseline"] if strict_baseline else []
    code, out = plugin_run(tmp_path, *cases, "--batch-baseline", str(path), *extra)
    doc = report(tmp_path / "r")
    gate = doc["gate"]
    passed = sum(1 for r in doc["results"] if r["outcome"] == "passed" and r["baseline"] is None)
    assert code == (1 if gate["verdict"] == "failed" else 0), out
    assert pytest_counts(out) == counts == gate_in_pytest_words(gate, passed, strict_baseline), out
    assert f"gate: {gate['text']}" in out
    assert said_by_pytest(out, "FAILED") == {param(case) for case in failed}, out
    assert param(KNOWN_ERROR) in said_by_pytest(out, "XFAIL"), out  # a known error
    assert "known deviation: " in out
    if baseline == "regressed":
        assert {param(c) for c in SHOULD_REGRESSIONS} <= said_by_pytest(out, "XFAIL"), out
        assert "warning (should rule, fails the run only with --batch-strict)" in out


@pytest.mark.parametrize(
    ("strict_baseline", "counts"), [(False, {"xpassed": 1}), (True, {"failed": 1})]
)
def test_plugin_settles_a_fixed_rule_entry_at_the_end(
    tmp_path: Path, strict_baseline: bool, counts: dict[str, int]
) -> None:
    """A rule entry's passing case is fixed only once none of the rule's cases fails, which
    only the end of the run knows: pytest's outcome is then settled as the gate's."""
    entry = {"rule": "SubmitJob.timeout.minimum", "expected": "failed", "reason": "moto#3"}
    baseline = write_baseline(tmp_path / "b.json", [entry])
    extra = ["--batch-strict-baseline"] if strict_baseline else []
    code, out = plugin_run(
        tmp_path, "--batch-case", PASSING, "--batch-baseline", str(baseline), *extra
    )
    doc = report(tmp_path / "r")
    assert [r["baseline"] for r in doc["results"]] == ["fixed"], out
    assert code == (1 if doc["gate"]["verdict"] == "failed" else 0) == int(strict_baseline), out
    assert pytest_counts(out) == counts == gate_in_pytest_words(doc["gate"], 0, strict_baseline)
