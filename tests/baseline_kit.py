"""Made-up results and baseline files for the baseline tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from conformance.baseline import (
    Baseline,
    load_baseline,
)
from conformance.gate import tally
from conformance.results import CaseResult, Outcome, RunResult, Strength, TargetInfo


def case(
    cid: str, outcome: Outcome, rule: str | None = None, *findings: str, strength: Strength = "must"
) -> CaseResult:
    """A bare case result, failing for these findings."""
    return CaseResult(
        id=cid, outcome=outcome, rule=rule, findings=list(findings), strength=strength
    )


def run(*results: CaseResult) -> RunResult:
    """A run of moto with the given results."""
    target = TargetInfo(name="moto", endpoint=None, region="us-east-1")
    return RunResult(target, {"botocore": "1.34.0"}, "2024-01-01T00:00:00Z", 1.0, list(results))


def gate(result: RunResult, strict_baseline: bool, strict: bool = False) -> int:
    """The gate's exit status of a run with these flags (1: it fails)."""
    result.strict, result.strict_baseline = strict, strict_baseline
    return int(tally(result).failed)


def write(tmp_path: Path, doc: object, name: str = "base.json") -> Path:
    """Write a JSON baseline file and return its path."""
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def entries(*items: Mapping[str, object]) -> dict[str, object]:
    """A version-1 baseline document."""
    return {"version": 1, "entries": list(items)}


def load(tmp_path: Path, *items: Mapping[str, object]) -> Baseline:
    """Write and load a baseline with these entries."""
    return load_baseline(write(tmp_path, entries(*items)))


CASE_A = {"case": "a", "expected": "failed", "reason": "https://example.com/1"}
RULE_R = {"rule": "R", "expected": "failed", "reason": "https://example.com/2"}
FINDING_F = {"finding": "R#refusal-expected", "expected": "failed", "reason": "moto#3"}
