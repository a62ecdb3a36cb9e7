"""The CI gate through the command line: baselines, fixed entries, broken files, seeds."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.cli import RUN_TIMEOUT_S, cli, report
from tests.faulty.proxy import FaultyProxy, Reply, faulty_endpoint

ROOT = Path(__file__).resolve().parent.parent
MOTO_BASELINE = ROOT / "reports" / "baselines" / "moto.json"
FAILING = "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]"
PASSING = "request_limits::test_limit[SubmitJob.timeout.minimum:inside:60]"


def write_baseline(path: Path, entries: list[dict[str, str]]) -> Path:
    """A JSON baseline file."""
    path.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    return path


def gate_case(
    tmp_path: Path, case: str, entries: list[dict[str, str]], *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run one case on embedded moto, gated by a baseline of `entries`; reports in tmp/r."""
    baseline = write_baseline(tmp_path / "b.json", entries)
    return cli(
        "run",
        "--case",
        case,
        "--baseline",
        str(baseline),
        *extra,
        "--report-dir",
        str(tmp_path / "r"),
        cwd=tmp_path,
    )


def test_moto_baseline_keeps_the_gate_green(tmp_path: Path) -> None:
    """The committed moto baseline covers every deviation of today's moto: exit 0."""
    done = cli(
        "run", "--baseline", str(MOTO_BASELINE), "--report-dir", str(tmp_path / "r"), cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    results = report(tmp_path / "r")["results"]
    assert any(r["baseline"] == "known" for r in results)
    assert not [r["id"] for r in results if r["baseline"] == "new"]


def test_unlisted_failure_is_new_and_fails(tmp_path: Path) -> None:
    """A failure the baseline does not list fails the run and is named as new."""
    done = gate_case(tmp_path, FAILING, [])
    assert done.returncode == 1
    (result,) = report(tmp_path / "r")["results"]
    assert (result["id"], result["baseline"]) == (FAILING, "new")
    assert FAILING in done.stdout


def test_listed_failure_is_known(tmp_path: Path) -> None:
    """A listed failure does not fail the run; its reason shows."""
    entry = {"case": FAILING, "expected": "failed", "reason": "moto#1"}
    done = gate_case(tmp_path, FAILING, [entry])
    assert done.returncode == 0, done.stdout + done.stderr
    (result,) = report(tmp_path / "r")["results"]
    assert (result["baseline"], result["baseline_reason"]) == ("known", "moto#1")
    assert "baseline: 0 new, 0 changed, 0 fixed, 1 known: no new failures" in done.stdout
    lines = done.stdout.splitlines()  # the gate's verdict first, then the finding as known
    verdict = next(i for i, line in enumerate(lines) if line.startswith("baseline: "))
    finding = next(i for i, line in enumerate(lines) if "SubmitJob.timeout.minimum#" in line)
    assert verdict < finding
    assert lines[finding].lstrip().startswith("KNOWN"), lines[finding]


def test_known_failure_expected_as_error_is_a_change(tmp_path: Path) -> None:
    """A baseline entry saying `expected: error` for a case that fails: changed, exit 1."""
    entry = {"case": FAILING, "expected": "error", "reason": "moto#2"}
    done = gate_case(tmp_path, FAILING, [entry])
    assert done.returncode == 1, done.stdout + done.stderr
    (result,) = report(tmp_path / "r")["results"]
    assert (result["id"], result["outcome"], result["baseline"]) == (FAILING, "failed", "changed")
    assert result["baseline_reason"] == (
        "baseline expects error; now failed for SubmitJob.timeout.minimum#refusal-expected"
        " (listed because: moto#2)"
    )
    assert "0 new, 1 changed" in done.stdout
    assert f"CHANGED  {FAILING}: now failed" in done.stdout


class BreakingProxy(FaultyProxy):
    """The faulty endpoint, which can also answer SubmitJob's timeout of 59 s with an HTML 500."""

    html_500 = False

    def batch(self, operation: str, path: str, headers: Mapping[str, str], raw: bytes) -> Reply:
        """An HTML page with HTTP 500 for that one request when `html_500`, else as usual."""
        timeout = json.loads(raw or b"{}").get("timeout") or {}
        if (
            self.html_500
            and operation == "SubmitJob"
            and timeout.get("attemptDurationSeconds") == 59
        ):
            page = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
            return Reply(500, (("Content-Type", "text/html"),), page)
        return super().batch(operation, path, headers, raw)


@pytest.fixture(scope="module")
def proxy() -> Iterator[BreakingProxy]:
    """tests/faulty's endpoint in front of a real moto server."""
    with faulty_endpoint(BreakingProxy) as faulty:
        yield faulty


def _gate_on(proxy: BreakingProxy, baseline: Path, folder: Path) -> tuple[int, str, dict[str, Any]]:
    done = cli(
        "run",
        "--endpoint-url",
        proxy.url,
        "--case",
        FAILING,
        "--baseline",
        str(baseline),
        "--report-dir",
        str(folder),
        cwd=folder.parent,
    )
    (result,) = report(folder)["results"]
    return done.returncode, done.stdout + done.stderr, result


REFUSAL_EXPECTED = "SubmitJob.timeout.minimum#refusal-expected"


def test_failure_that_becomes_an_http_500_error_is_a_change(
    proxy: BreakingProxy, tmp_path: Path
) -> None:
    """A case listed as `failed` (an old entry, no finding) that now errors fails the gate."""
    baseline = write_baseline(
        tmp_path / "b.json", [{"case": FAILING, "expected": "failed", "reason": "moto#1"}]
    )
    proxy.fault = "lax-submit-timeout-59"
    try:
        status, out, result = _gate_on(proxy, baseline, tmp_path / "known")
        assert (status, result["outcome"], result["baseline"]) == (0, "failed", "known"), out
        proxy.html_500 = True
        status, out, result = _gate_on(proxy, baseline, tmp_path / "error")
    finally:
        proxy.fault, proxy.html_500 = None, False
    assert (status, result["outcome"], result["baseline"]) == (1, "error", "changed"), out
    assert result["baseline_reason"].startswith("baseline expects failed; now error for")
    assert f"CHANGED  {FAILING}: now " in out


def test_failure_for_another_finding_is_a_change(proxy: BreakingProxy, tmp_path: Path) -> None:
    """A case whose entry recorded its finding, failing for another one, fails the gate."""
    entry = {"case": FAILING, "finding": REFUSAL_EXPECTED, "expected": "failed", "reason": "m#1"}
    baseline = write_baseline(tmp_path / "b.json", [entry])
    proxy.fault = "lax-submit-timeout-59"
    try:
        status, out, result = _gate_on(proxy, baseline, tmp_path / "known")
        assert (status, result["findings"], result["baseline"]) == (
            0,
            [REFUSAL_EXPECTED],
            "known",
        ), out
        proxy.fault = "server-exception"  # refuses, but with HTTP 500 ServerException
        status, out, result = _gate_on(proxy, baseline, tmp_path / "changed")
    finally:
        proxy.fault = None
    assert (status, result["outcome"], result["baseline"]) == (1, "failed", "changed"), out
    assert result["findings"] != [REFUSAL_EXPECTED]
    assert result["baseline_reason"].startswith(f"baseline expects failed for {REFUSAL_EXPECTED};")
    assert f"CHANGED  {FAILING}: now " in out


def test_finding_entry_through_the_cli(proxy: BreakingProxy, tmp_path: Path) -> None:
    """A `{"finding": ...}` entry keeps its cases known; the run checks its rule exists."""
    baseline = write_baseline(
        tmp_path / "b.json",
        [{"finding": REFUSAL_EXPECTED, "expected": "failed", "reason": "moto#1"}],
    )
    proxy.fault = "lax-submit-timeout-59"
    try:
        status, out, result = _gate_on(proxy, baseline, tmp_path / "r")
    finally:
        proxy.fault = None
    assert (status, result["baseline"], result["baseline_reason"]) == (0, "known", "moto#1"), out


@pytest.mark.parametrize(("strict", "status"), [(False, 0), (True, 1)])
def test_fixed_entry_reported_and_strict_fails(tmp_path: Path, strict: bool, status: int) -> None:
    """A listed case that passes is reported fixed; --strict-baseline then fails the run."""
    entry = {"case": PASSING, "expected": "failed", "reason": "old bug"}
    extra = ["--strict-baseline"] if strict else []
    done = gate_case(tmp_path, PASSING, [entry], *extra)
    assert done.returncode == status, done.stdout + done.stderr
    (result,) = report(tmp_path / "r")["results"]
    assert result["baseline"] == "fixed"
    assert f"{PASSING}: remove it from the baseline" in done.stdout


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("bad.json", "{not json", "bad.json"),
        ("bad.toml", "version = 1\n[[entries]\n", "bad.toml"),
        ("keys.json", '{"version": 1, "entries": [], "extra": 1}', "extra"),
        (
            "entry.json",
            '{"version": 1, "entries": [{"case": "x", "expected": "failed",'
            ' "reason": "r", "reson": "typo"}]}',
            "reson",
        ),
        (
            "noreason.json",
            f'{{"version": 1, "entries": [{{"case": "{FAILING}", "expected": "failed"}}]}}',
            "reason",
        ),
        (
            "unknown.json",
            '{"version": 1, "entries": [{"case": "no::such[case]",'
            ' "expected": "failed", "reason": "r"}]}',
            "no::such[case]",
        ),
        (
            "finding.json",
            '{"version": 1, "entries": [{"finding": "No.such.rule#value",'
            ' "expected": "failed", "reason": "r"}]}',
            "No.such.rule",
        ),
    ],
)
def test_broken_baseline_is_a_usage_error(
    tmp_path: Path, name: str, content: str, fragment: str
) -> None:
    """Each kind of broken baseline file exits 2 with one line naming file and entry."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    done = cli(
        "run",
        "--case",
        FAILING,
        "--baseline",
        str(path),
        "--report-dir",
        str(tmp_path / "r"),
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert name in lines[0]
    assert fragment in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "r").exists(), "a usage error must not write reports"


def _masked_requests(folder: Path) -> dict[str, tuple[str, str]]:
    """Per case: its outcome and message, and its requests with the run's prefix and job
    IDs masked."""
    masked = {}
    for result in report(folder)["results"]:
        text = json.dumps([e["request"] for e in result["exchanges"]])
        text = re.sub(r"bc[0-9a-f]{8}", "PREFIX", text)
        text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", text)
        masked[result["id"]] = (f"{result['outcome']}: {result['message']}", text)
    return masked


def test_same_seed_same_generated_cases(tmp_path: Path) -> None:
    """The same --seed gives the same generated requests; another seed, others.

    RegisterJobDefinition's cases: no job runs in moto's threads while they do (a SubmitJob
    racing a job thread can get an HTTP 500 from moto, which ends an example early).
    """
    runs = {}
    for label, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        cli(
            "run",
            "-k",
            "generated and RegisterJobDefinition",
            "--seed",
            seed,
            "--examples",
            "5",
            "--report-dir",
            str(tmp_path / label),
            cwd=tmp_path,
        )
        runs[label] = _masked_requests(tmp_path / label)
    assert len(runs["a"]) == 2, runs["a"]
    for case, (outcome, requests) in runs["a"].items():
        other_outcome, other_requests = runs["b"][case]
        assert (outcome, requests) == (other_outcome, other_requests), (
            f"{case}: {outcome} / {other_outcome}"
        )
    sent = {label: [r for _, r in run.values()] for label, run in runs.items()}
    assert sent["a"] != sent["c"]


# ---------------------------------------------------------------------------------------
# One gate, worded alike by the console and every report

REGRESSION = FAILING  # a must rule: one new failure
SHOULD_REGRESSIONS = (  # a should rule: two new warnings
    "request_limits::test_limit[RegisterJobDefinition.containerProperties.image.charset:outside:space]",
    "request_limits::test_limit[RegisterJobDefinition.containerProperties.image.charset:outside:bang]",
)
STILL_KNOWN = (
    "request_limits::test_limit[SubmitJob.jobName.length:outside:129chars]",  # must
    "request_limits::test_limit[SubmitJob.dependsOn.type.enum:outside:BOGUS]",  # should
)
GATE_CASES = (REGRESSION, *SHOULD_REGRESSIONS, *STILL_KNOWN, PASSING)
COUNTS = "{verdict}: {new} new, {changed} changed, {fixed} fixed, {known} known"


def regressed_baseline(path: Path) -> Path:
    """moto's committed baseline without the entries of the regressions, and an entry for
    PASSING (so it is fixed): one new failure, two new warnings, one fixed."""
    doc = json.loads(MOTO_BASELINE.read_text(encoding="utf-8"))
    dropped = {REGRESSION, *SHOULD_REGRESSIONS}
    assert dropped | set(STILL_KNOWN) <= {e.get("case") for e in doc["entries"]}
    doc["entries"] = [e for e in doc["entries"] if e.get("case") not in dropped]
    doc["entries"].append({"case": PASSING, "expected": "failed", "reason": "listed by the test"})
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


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
    argv = [sys.executable, "-m", "pytest", "--pyargs", "conformance.cases", "-p"]
    argv += ["no:cacheprovider", "--batch-target", "moto", "--batch-report-dir", "r", "-rfExX"]
    done = subprocess.run(
        [*argv, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=RUN_TIMEOUT_S,
        check=False,
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
