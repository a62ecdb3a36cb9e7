"""Baselines: loading, classification, the gate, regeneration from a report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conformance.baseline import (
    TODO_REASON,
    Baseline,
    BaselineError,
    apply_baseline,
    baseline_from_report,
    baseline_main,
    gate,
    load_baseline,
    summarize_baseline,
    summary_lines,
)
from conformance.results import CaseResult, Outcome, RunResult, TargetInfo


def case(cid: str, outcome: Outcome, rule: str | None = None) -> CaseResult:
    """A bare case result."""
    return CaseResult(id=cid, outcome=outcome, rule=rule)


def run(*results: CaseResult) -> RunResult:
    """A run of moto with the given results."""
    target = TargetInfo(name="moto", endpoint=None, region="us-east-1")
    return RunResult(target, {"botocore": "1.34.0"}, "2024-01-01T00:00:00Z", 1.0, list(results))


def write(tmp_path: Path, doc: object, name: str = "base.json") -> Path:
    """Write a JSON baseline file and return its path."""
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def entries(*items: dict[str, str]) -> dict[str, object]:
    """A version-1 baseline document."""
    return {"version": 1, "entries": list(items)}


def load(tmp_path: Path, *items: dict[str, str]) -> Baseline:
    """Write and load a baseline with these entries."""
    return load_baseline(write(tmp_path, entries(*items)))


CASE_A = {"case": "a", "expected": "failed", "reason": "https://example.com/1"}
RULE_R = {"rule": "R", "expected": "failed", "reason": "https://example.com/2"}


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


def test_other_failing_outcome_still_known(tmp_path: Path) -> None:
    """An entry expecting `failed` still covers a case that errored."""
    result = run(case("a", "error"))
    apply_baseline(result, load(tmp_path, CASE_A))
    assert result.results[0].baseline == "known"


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
    """One new failure fails the gate and is named as new."""
    result = run(case("a", "failed"), case("b", "failed"))
    apply_baseline(result, load(tmp_path, CASE_A))
    assert gate(result, strict_baseline=False) == 1
    assert [r.id for r in summarize_baseline(result)["new"]] == ["b"]
    assert "new failure: b (failed)" in summary_lines(result)


def test_fixed_fails_only_under_strict(tmp_path: Path) -> None:
    """A fixed entry is reported, and fails the gate only with strict."""
    result = run(case("a", "passed"))
    apply_baseline(result, load(tmp_path, CASE_A))
    assert [r.id for r in summarize_baseline(result)["fixed"]] == ["a"]
    assert summary_lines(result) == ["fixed: a: remove it from the baseline"]
    assert gate(result, strict_baseline=False) == 0
    assert gate(result, strict_baseline=True) == 1


def test_gate_without_baseline() -> None:
    """Without a baseline any failure or error fails the gate."""
    assert gate(run(case("a", "passed"), case("b", "skipped")), strict_baseline=False) == 0
    assert gate(run(case("a", "error")), strict_baseline=False) == 1


def test_summary_keys_always_present() -> None:
    """summarize_baseline has new, known and fixed even when empty."""
    assert summarize_baseline(run()) == {"new": [], "known": [], "fixed": []}


def test_json_and_toml_load_alike(tmp_path: Path) -> None:
    """The same baseline in TOML and JSON loads to the same entries."""
    toml = tmp_path / "base.toml"
    toml.write_text(
        'version = 1\ntarget = "moto"\n\n[[entries]]\ncase = "a"\nexpected = "failed"\n'
        'reason = "https://example.com/1"\n\n[[entries]]\nrule = "R"\nexpected = "failed"\n'
        'reason = "https://example.com/2"\n',
        encoding="utf-8",
    )
    from_toml = load_baseline(toml)
    from_json = load_baseline(write(tmp_path, {"target": "moto", **entries(CASE_A, RULE_R)}))
    assert from_toml.entries == from_json.entries
    assert from_toml.target == "moto"


BROKEN = {
    "bad-json": ('{"version": 1,\n "entries": [}', "base.json", "invalid JSON at line 2"),
    "bad-toml": ("version = 1\n[[entries]\n", "base.toml", "invalid TOML"),
    "top-shape": ("[]", "base.json", "top level must be a table"),
    "unknown-top": (
        '{"version": 1, "entries": [], "tagret": "x"}',
        "base.json",
        "unknown top-level key 'tagret'",
    ),
    "bad-version": ('{"version": 2, "entries": []}', "base.json", "version must be 1"),
    "unknown-entry-key": (
        json.dumps(entries({**CASE_A, "reson": "x"})),
        "base.json",
        "entry 1 (case 'a'): unknown key 'reson'",
    ),
    "missing-reason": (
        json.dumps(entries(CASE_A, {"case": "b", "expected": "failed"})),
        "base.json",
        "entry 2 (case 'b'): needs a non-empty reason",
    ),
    "empty-reason": (
        json.dumps(entries({**CASE_A, "reason": " "})),
        "base.json",
        "entry 1 (case 'a'): needs a non-empty reason",
    ),
    "bad-expected": (
        json.dumps(entries({**CASE_A, "expected": "passed"})),
        "base.json",
        "entry 1 (case 'a'): expected must be 'failed' or 'error'",
    ),
    "missing-expected": (
        json.dumps(entries({"case": "a", "reason": "r"})),
        "base.json",
        "entry 1 (case 'a'): expected must be",
    ),
    "both-ids": (
        json.dumps(entries({**CASE_A, "rule": "R"})),
        "base.json",
        "entry 1 (case 'a'): needs exactly one of 'case' or 'rule'",
    ),
    "neither-id": (
        json.dumps(entries({"expected": "failed", "reason": "r"})),
        "base.json",
        "entry 1: needs exactly one of 'case' or 'rule'",
    ),
    "duplicate": (
        json.dumps(entries(CASE_A, CASE_A)),
        "base.json",
        "entry 2 (case 'a'): repeats entry 1",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_file_one_line(tmp_path: Path, kind: str) -> None:
    """Each kind of broken file raises one line naming the file and the entry."""
    text, name, expected = BROKEN[kind]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError) as info:
        load_baseline(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"baseline {path}: ")
    assert expected in message


def test_unreadable_path(tmp_path: Path) -> None:
    """A missing file is a one-line BaselineError naming it."""
    path = tmp_path / "missing.json"
    with pytest.raises(BaselineError, match=r"^baseline .*missing\.json: cannot read: "):
        load_baseline(path)


def test_id_naming_no_case(tmp_path: Path) -> None:
    """A case id that is not in the run is named with its entry."""
    base = load(tmp_path, RULE_R, {**CASE_A, "case": "ghost"})
    with pytest.raises(BaselineError) as info:
        base.check_ids({"a"}, {"R"})
    expected = f"baseline {base.path}: entry 2 (case 'ghost'): names no case of this run"
    assert str(info.value) == expected


def test_rule_naming_no_rule(tmp_path: Path) -> None:
    """A rule id that is not in the run is named with its entry."""
    base = load(tmp_path, CASE_A, {**RULE_R, "rule": "Nope"})
    with pytest.raises(BaselineError, match=r"entry 2 \(rule 'Nope'\): names no rule of this run$"):
        base.check_ids({"a"}, {"R"})
    base.check_ids({"a"}, {"Nope"})


def test_from_report_keeps_reasons(tmp_path: Path) -> None:
    """Regenerating keeps existing case and rule entries' reasons, sorted by id."""
    report = run(
        case("c", "error"),
        case("a", "failed"),
        case("x", "failed", "R"),
        case("y", "failed", "R"),
        case("p", "passed"),
    )
    doc = json.loads(baseline_from_report(report, load(tmp_path, RULE_R, CASE_A)))
    assert doc == {
        "version": 1,
        "target": "moto",
        "entries": [
            RULE_R,
            CASE_A,
            {"case": "c", "expected": "error", "reason": TODO_REASON},
        ],
    }


def test_from_report_without_existing() -> None:
    """Without an existing baseline every failing case gets a TODO reason."""
    text = baseline_from_report(run(case("b", "failed"), case("a", "passed")), None)
    assert text.endswith("}\n")
    assert json.loads(text)["entries"] == [
        {"case": "b", "expected": "failed", "reason": TODO_REASON},
    ]


def test_from_report_round_trips(tmp_path: Path) -> None:
    """A generated baseline loads, and applied to its report makes the gate pass."""
    report = run(case("a", "failed"), case("b", "error", "R"))
    path = tmp_path / "gen.json"
    path.write_text(baseline_from_report(report, None), encoding="utf-8")
    apply_baseline(report, load_baseline(path))
    assert gate(report, strict_baseline=True) == 0


def test_baseline_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """baseline_main writes the baseline, or exits 2 with one line for a broken input."""
    report = tmp_path / "report.json"
    report.write_text(json.dumps(run(case("a", "failed")).to_dict()), encoding="utf-8")
    out = io.StringIO()
    assert baseline_main(report, write(tmp_path, entries(CASE_A)), out) == 0
    assert json.loads(out.getvalue())["entries"] == [CASE_A]
    assert baseline_main(report, tmp_path / "nope.json", io.StringIO()) == 2
    assert baseline_main(write(tmp_path, {"x": 1}, "r.json"), None, io.StringIO()) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith("baseline ")
    assert err[1].startswith("report ")
