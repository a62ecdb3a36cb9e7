"""The CI gate through the command line: baselines, fixed entries, broken files, seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli import cli, report

ROOT = Path(__file__).resolve().parent.parent
MOTO_BASELINE = ROOT / "reports" / "baselines" / "moto.json"
FAILING = "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]"
PASSING = "request_limits::test_limit[SubmitJob.timeout.minimum:inside:60]"


def write_baseline(path: Path, entries: list[dict[str, str]]) -> Path:
    """A JSON baseline file."""
    path.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    return path


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
    baseline = write_baseline(tmp_path / "b.json", [])
    done = cli(
        "run",
        "--case",
        FAILING,
        "--baseline",
        str(baseline),
        "--report-dir",
        str(tmp_path / "r"),
        cwd=tmp_path,
    )
    assert done.returncode == 1
    (result,) = report(tmp_path / "r")["results"]
    assert (result["id"], result["baseline"]) == (FAILING, "new")
    assert FAILING in done.stdout


def test_listed_failure_is_known(tmp_path: Path) -> None:
    """A listed failure does not fail the run; its reason shows."""
    baseline = write_baseline(
        tmp_path / "b.json", [{"case": FAILING, "expected": "failed", "reason": "moto#1"}]
    )
    done = cli(
        "run",
        "--case",
        FAILING,
        "--baseline",
        str(baseline),
        "--report-dir",
        str(tmp_path / "r"),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (result,) = report(tmp_path / "r")["results"]
    assert (result["baseline"], result["baseline_reason"]) == ("known", "moto#1")
    assert "moto#1" in done.stdout


@pytest.mark.parametrize(("strict", "status"), [(False, 0), (True, 1)])
def test_fixed_entry_reported_and_strict_fails(tmp_path: Path, strict: bool, status: int) -> None:
    """A listed case that passes is reported fixed; --strict-baseline then fails the run."""
    baseline = write_baseline(
        tmp_path / "b.json", [{"case": PASSING, "expected": "failed", "reason": "old bug"}]
    )
    extra = ["--strict-baseline"] if strict else []
    done = cli(
        "run",
        "--case",
        PASSING,
        "--baseline",
        str(baseline),
        *extra,
        "--report-dir",
        str(tmp_path / "r"),
        cwd=tmp_path,
    )
    assert done.returncode == status, done.stdout + done.stderr
    (result,) = report(tmp_path / "r")["results"]
    assert result["baseline"] == "fixed"
    assert "remove them from the baseline" in done.stdout


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


def _masked_requests(folder: Path) -> list[str]:
    text = json.dumps([e["request"] for r in report(folder)["results"] for e in r["exchanges"]])
    text = re.sub(r"bc[0-9a-f]{8}", "PREFIX", text)
    return [re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", text)]


def test_same_seed_same_generated_cases(tmp_path: Path) -> None:
    """The same --seed gives the same generated requests; another seed, others."""
    runs = {}
    for label, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        cli(
            "run",
            "-k",
            "generated and SubmitJob",
            "--seed",
            seed,
            "--examples",
            "5",
            "--report-dir",
            str(tmp_path / label),
            cwd=tmp_path,
        )
        runs[label] = _masked_requests(tmp_path / label)
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]
