"""Baselines classify a run: known, new, fixed, changed (by case, rule or finding), and
the gate's exit status."""

from __future__ import annotations

from pathlib import Path

from conformance.baseline import (
    apply_baseline,
    changed_cases,
)
from tests.baseline_kit import CASE_A, FINDING_F, RULE_R, case, gate, load, run


def test_known_new_fixed(tmp_path: Path) -> None:
    """Covered failures are known, uncovered ones new, covered passes fixed."""
    result = run(case("a", "failed"), case("b", "error"), case("c", "passed"), case("d", "passed"))
    base = load(tmp_path, CASE_A, {"case": "c", "expected": "error", "reason": "why"})
    apply_baseline(result, base)
    marks = {r.id: (r.baseline, r.baseline_reason) for r in result.results}
    assert marks == {
        "a": ("known", "https://example.com/1"),
        "b": ("new", None),
        "c": ("fixed", "why"),
        "d": (None, None),
    }


def test_failure_that_became_an_error_is_a_change(tmp_path: Path) -> None:
    """An entry expecting `failed` for a case that now errors: changed, and the gate fails."""
    result = run(case("a", "error", None, "(no rule)#no-result"), case("b", "passed"))
    apply_baseline(result, load(tmp_path, CASE_A))
    (changed,) = changed_cases(result)
    assert (changed.id, changed.baseline) == ("a", "changed")
    assert changed.baseline_reason == (
        "baseline expects failed; now error for (no rule)#no-result"
        " (listed because: https://example.com/1)"
    )
    assert gate(result, strict_baseline=False) == 1


def test_expected_error_for_a_failure_is_a_change(tmp_path: Path) -> None:
    """An entry saying `expected: error` for a case that fails: changed, the gate fails."""
    result = run(case("a", "failed", "R", "R#refusal-expected"))
    apply_baseline(result, load(tmp_path, {**CASE_A, "expected": "error"}))
    assert [r.id for r in changed_cases(result)] == ["a"]
    assert result.results[0].baseline_reason is not None
    assert result.results[0].baseline_reason.startswith(
        "baseline expects error; now failed for R#refusal-expected"
    )
    assert gate(result, strict_baseline=False) == 1


def test_another_finding_is_a_change(tmp_path: Path) -> None:
    """A case entry that recorded its finding: the same finding is known, another a change."""
    base = load(tmp_path, {**CASE_A, "finding": "R#refusal-expected"})
    same = run(case("a", "failed", "R", "R#refusal-expected"))
    apply_baseline(same, base)
    assert same.results[0].baseline == "known"
    assert gate(same, strict_baseline=False) == 0
    other = run(case("a", "failed", "R", "R#refused-badly:http-status-400"))
    apply_baseline(other, base)
    assert other.results[0].baseline == "changed"
    assert other.results[0].baseline_reason == (
        "baseline expects failed for R#refusal-expected;"
        " now failed for R#refused-badly:http-status-400 (listed because: https://example.com/1)"
    )
    assert gate(other, strict_baseline=False) == 1


def test_fewer_findings_is_not_a_change(tmp_path: Path) -> None:
    """A case that now fails for only one of the findings its entry recorded is still known."""
    base = load(tmp_path, {**CASE_A, "finding": ["R#$.a", "R#$.b"]})
    result = run(case("a", "failed", "R", "R#$.b"))
    apply_baseline(result, base)
    assert result.results[0].baseline == "known"


def test_entry_without_finding_keeps_working(tmp_path: Path) -> None:
    """A baseline written before findings existed: any finding of the expected outcome."""
    result = run(case("a", "failed", "R", "R#refusal-expected"))
    apply_baseline(result, load(tmp_path, CASE_A))
    assert result.results[0].baseline == "known"


def test_finding_entry_covers_its_cases(tmp_path: Path) -> None:
    """A finding entry covers every case showing it; a case with one more finding changed."""
    result = run(
        case("x1", "failed", "R", "R#refusal-expected"),
        case("x2", "failed", "R", "R#refusal-expected", "R#$.jobs"),
        case("x3", "failed", "R", "R#value"),
        case("y", "passed", "R"),
    )
    apply_baseline(result, load(tmp_path, FINDING_F))
    marks = {r.id: (r.baseline, r.baseline_reason) for r in result.results}
    assert marks["x1"] == ("known", "moto#3")
    assert marks["x2"][0] == "changed"
    assert "now failed also for R#$.jobs" in str(marks["x2"][1])
    assert marks["x3"] == ("new", None)
    assert marks["y"] == (None, None)
    assert gate(result, strict_baseline=False) == 1


def test_rule_entry_covers_a_case_with_unlisted_findings(tmp_path: Path) -> None:
    """A rule entry still covers its cases, whatever finding entries list."""
    result = run(case("x", "failed", "R", "R#refusal-expected", "R#$.jobs"))
    apply_baseline(result, load(tmp_path, FINDING_F, RULE_R))
    assert result.results[0].baseline == "known"
    assert gate(result, strict_baseline=False) == 0


def test_rule_entry_outcome_is_checked(tmp_path: Path) -> None:
    """A rule entry expecting `failed` for a case of its rule that now errors: changed."""
    result = run(case("x1", "failed", "R"), case("x2", "error", "R"))
    apply_baseline(result, load(tmp_path, RULE_R))
    assert [r.baseline for r in result.results] == ["known", "changed"]


def test_finding_entry_fixed_when_its_rule_passes(tmp_path: Path) -> None:
    """A finding entry whose rule no longer fails marks the rule's passing cases fixed."""
    result = run(case("x1", "passed", "R"), case("y", "failed", "S", "S#value"))
    apply_baseline(result, load(tmp_path, FINDING_F))
    assert [r.baseline for r in result.results] == ["fixed", "new"]
    still = run(case("x1", "passed", "R"), case("x2", "failed", "R", "R#value"))
    apply_baseline(still, load(tmp_path, FINDING_F))
    assert [r.baseline for r in still.results] == [None, "new"]


def test_changed_should_failure_is_a_warning(tmp_path: Path) -> None:
    """A changed failure of a `should` rule fails the gate only with strict, like a new one."""
    result = run(case("a", "failed", "R", "R#value", strength="should"))
    apply_baseline(result, load(tmp_path, {**CASE_A, "finding": "R#refusal-expected"}))
    assert result.results[0].baseline == "changed"
    assert gate(result, strict_baseline=False) == 0
    assert gate(result, strict_baseline=False, strict=True) == 1


def test_skipped_covered_case_is_not_fixed(tmp_path: Path) -> None:
    """A covered case that was skipped is neither known nor fixed."""
    result = run(case("a", "skipped"))
    apply_baseline(result, load(tmp_path, CASE_A))
    assert result.results[0].baseline is None


def test_rule_entry_covers_its_cases(tmp_path: Path) -> None:
    """A rule entry makes its failing cases known and passes fixed only when none fails."""
    result = run(case("x1", "failed", "R"), case("x2", "passed", "R"), case("y", "failed", "S"))
    apply_baseline(result, load(tmp_path, RULE_R))
    assert [r.baseline for r in result.results] == ["known", None, "new"]
    healed = run(case("x1", "passed", "R"), case("x2", "passed", "R"))
    apply_baseline(healed, load(tmp_path, RULE_R))
    assert [r.baseline for r in healed.results] == ["fixed", "fixed"]


def test_case_entry_wins_over_rule_entry(tmp_path: Path) -> None:
    """A case entry's reason is used over its rule's entry."""
    result = run(case("a", "failed", "R"))
    apply_baseline(result, load(tmp_path, RULE_R, CASE_A))
    assert result.results[0].baseline_reason == "https://example.com/1"


def test_gate_zero_when_all_failures_known(tmp_path: Path) -> None:
    """Only known failures: the gate passes."""
    result = run(case("a", "failed"), case("b", "passed"))
    apply_baseline(result, load(tmp_path, CASE_A))
    assert gate(result, strict_baseline=True) == 0


def test_gate_one_on_new_failure_naming_it(tmp_path: Path) -> None:
    """One new failure fails the gate and is marked new; nothing changed."""
    result = run(case("a", "failed"), case("b", "failed"))
    apply_baseline(result, load(tmp_path, CASE_A))
    assert gate(result, strict_baseline=False) == 1
    assert [r.baseline for r in result.results] == ["known", "new"]
    assert changed_cases(result) == []


def test_fixed_fails_only_under_strict(tmp_path: Path) -> None:
    """A fixed entry is reported, and fails the gate only with strict."""
    result = run(case("a", "passed"))
    apply_baseline(result, load(tmp_path, CASE_A))
    assert (result.results[0].baseline, result.results[0].baseline_reason) == (
        "fixed",
        "https://example.com/1",
    )
    assert gate(result, strict_baseline=False) == 0
    assert gate(result, strict_baseline=True) == 1


def test_gate_without_baseline() -> None:
    """Without a baseline any failure or error fails the gate."""
    assert gate(run(case("a", "passed"), case("b", "skipped")), strict_baseline=False) == 0
    assert gate(run(case("a", "error")), strict_baseline=False) == 1
