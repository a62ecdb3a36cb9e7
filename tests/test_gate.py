"""The CI gate through the command line: baselines, fixed entries, broken files, seeds."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.cli import cli, report, run_case
from tests.faulty.proxy import FaultyProxy
from tests.gate_cases import (
    FAILING,
    PASSING,
    write_baseline,
)
from tests.proxy_core import Answer


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

    def batch(self, operation: str, path: str, headers: Mapping[str, str], raw: bytes) -> Answer:
        """An HTML page with HTTP 500 for that one request when `html_500`, else as usual."""
        timeout = json.loads(raw or b"{}").get("timeout") or {}
        if (
            self.html_500
            and operation == "SubmitJob"
            and timeout.get("attemptDurationSeconds") == 59
        ):
            page = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
            return Answer(500, {"Content-Type": "text/html"}, page)
        return super().batch(operation, path, headers, raw)


@pytest.fixture
def proxy(moto_url: str) -> Iterator[BreakingProxy]:
    """tests/faulty's endpoint in front of the shared moto server."""
    with BreakingProxy(moto_url) as faulty:
        yield faulty


def _gate_on(proxy: BreakingProxy, baseline: Path, folder: Path) -> tuple[int, str, dict[str, Any]]:
    """FAILING on `proxy`, gated by `baseline`: exit code, output, its one result."""
    done = run_case(proxy.url, FAILING, folder, "--baseline", str(baseline))
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
