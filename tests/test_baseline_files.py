"""Baseline files: loading (JSON and TOML), broken files in one line, regeneration from a
report, `baseline` main, and the tally."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conformance.baseline import (
    TODO_REASON,
    BaselineError,
    apply_baseline,
    load_baseline,
)
from conformance.baseline_writer import baseline_from_report, baseline_main
from conformance.gate import tally
from conformance.scopes import SEED
from tests.baseline_kit import CASE_A, FINDING_F, RULE_R, case, entries, gate, load, run, write


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
        "entry 1 (case 'a'): needs exactly one of 'case', 'rule' or 'finding'",
    ),
    "neither-id": (
        json.dumps(entries({"expected": "failed", "reason": "r"})),
        "base.json",
        "entry 1: needs exactly one of 'case', 'rule' or 'finding'",
    ),
    "bad-finding": (
        json.dumps(entries({**CASE_A, "finding": "no-hash"})),
        "base.json",
        "entry 1 (case 'a'): finding must be a finding id '<rule>#<what broke>', not 'no-hash'",
    ),
    "empty-findings": (
        json.dumps(entries({**CASE_A, "finding": []})),
        "base.json",
        "entry 1 (case 'a'): finding must not be an empty list",
    ),
    "finding-list-alone": (
        json.dumps(entries({**FINDING_F, "finding": ["R#a", "R#b"]})),
        "base.json",
        "entry 1: finding must be a non-empty string",
    ),
    "rule-and-finding": (
        json.dumps(entries({**RULE_R, "finding": "R#value"})),
        "base.json",
        "entry 1 (rule 'R'): a rule entry covers all its cases",
    ),
    "duplicate-finding": (
        json.dumps(entries(FINDING_F, FINDING_F)),
        "base.json",
        "entry 2 (finding 'R#refusal-expected'): repeats entry 1",
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
        base.check_ids({"a"}, {"R"}, SEED)
    expected = f"baseline {base.path}: entry 2 (case 'ghost'): names no case of this run"
    assert str(info.value) == expected


def test_rule_naming_no_rule(tmp_path: Path) -> None:
    """A rule id that is not in the run is named with its entry."""
    base = load(tmp_path, CASE_A, {**RULE_R, "rule": "Nope"})
    with pytest.raises(BaselineError, match=r"entry 2 \(rule 'Nope'\): names no rule of this run$"):
        base.check_ids({"a"}, {"R"}, SEED)
    base.check_ids({"a"}, {"Nope"}, SEED)


def test_finding_naming_no_rule(tmp_path: Path) -> None:
    """A finding entry must name a finding of one of the run's rules."""
    base = load(tmp_path, {**FINDING_F, "finding": "Nope#value"})
    with pytest.raises(BaselineError, match=r"entry 1 \(finding 'Nope#value'\): names a finding"):
        base.check_ids({"a"}, {"R"}, SEED)
    load(tmp_path, FINDING_F).check_ids(set(), {"R"}, SEED)


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


def test_from_report_records_findings(tmp_path: Path) -> None:
    """Case entries record their findings; finding entries that cover a case are kept."""
    report = run(
        case("a", "failed", "R", "R#refusal-expected"),
        case("b", "failed", "S", "S#$.x", "S#$.y"),
        case("c", "failed", "T", "T#value"),
    )
    existing = load(tmp_path, CASE_A, {**FINDING_F, "finding": "T#value"})
    doc = json.loads(baseline_from_report(report, existing))
    assert doc["entries"] == [
        {**FINDING_F, "finding": "T#value"},
        {
            "case": "a",
            "finding": "R#refusal-expected",
            "expected": "failed",
            "reason": CASE_A["reason"],
        },
        {"case": "b", "finding": ["S#$.x", "S#$.y"], "expected": "failed", "reason": TODO_REASON},
    ]


def test_from_report_changed_case_gets_a_todo(tmp_path: Path) -> None:
    """A case that changed gets a TODO reason quoting the change and the old reason."""
    report = run(case("a", "error", "R", "R#no-result"))
    doc = json.loads(baseline_from_report(report, load(tmp_path, RULE_R)))
    (entry,) = doc["entries"]
    assert entry["case"] == "a"
    assert entry["expected"] == "error"
    assert entry["reason"].startswith(TODO_REASON)
    assert "now error for R#no-result" in entry["reason"]
    assert RULE_R["reason"] in entry["reason"]


def test_from_report_without_existing() -> None:
    """Without an existing baseline every failing case gets a TODO reason."""
    text = baseline_from_report(run(case("b", "failed"), case("a", "passed")), None)
    assert text.endswith("}\n")
    assert json.loads(text)["entries"] == [
        {"case": "b", "expected": "failed", "reason": TODO_REASON},
    ]


def test_from_report_observed_reasons_and_scope() -> None:
    """With `observed`, a new entry's reason says what was seen; a current-scope report
    gives a baseline of that scope, which a seed run refuses."""
    failing = case("b", "failed")
    failing.message = "accepted (HTTP 200) a request AWS documents as invalid: x"
    report = run(failing)
    report.scope = "current"
    doc = json.loads(baseline_from_report(report, None, observed=True))
    assert doc["scope"] == "current"
    assert doc["entries"][0]["reason"] == (
        "observed on moto: accepted (HTTP 200) a request AWS documents as invalid: x"
    )


def test_a_baseline_of_another_scope_names_nothing_of_this_run(tmp_path: Path) -> None:
    path = write(tmp_path, {"version": 1, "scope": "current", "entries": []})
    with pytest.raises(BaselineError, match="scope current, this run's scope is seed"):
        load_baseline(path).check_ids(set(), set(), SEED)


def test_from_report_round_trips(tmp_path: Path) -> None:
    """A generated baseline loads, and applied to its report makes the gate pass."""
    report = run(case("a", "failed"), case("b", "error", "R"), case("c", "failed", "S", "S#v"))
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


def test_tally_counts_should_regressions_as_warnings(tmp_path: Path) -> None:
    """A new failure of a should rule is a new warning, not new; the text says each count."""
    result = run(
        case("a", "failed", "R"),  # known
        case("b", "failed", "S", "S#value"),  # new
        case("c", "failed", "W", "W#value", strength="should"),  # new warning
        case("d", "error", "W", "W#no-result", strength="should"),  # an error is never a warning
        case("e", "passed", "P"),  # fixed
    )
    result.baseline = str(tmp_path / "base.json")
    apply_baseline(result, load(tmp_path, CASE_A, {**CASE_A, "case": "e"}))
    gate_ = tally(result)
    assert (gate_.new, gate_.changed, gate_.fixed, gate_.known, gate_.warnings) == (2, 0, 1, 1, 1)
    assert gate_.text() == (
        f"FAILED — 2 new, 0 changed, 1 fixed, 1 known, 1 new warning (baseline {result.baseline})"
    )
    result.strict = True  # --strict: the should failure is new
    assert (tally(result).new, tally(result).warnings) == (3, 0)


def test_tally_without_baseline_and_without_verdict() -> None:
    """Without a baseline every failure is new; a run that stopped early has no verdict."""
    plain = run(case("a", "failed"), case("b", "passed"))
    assert tally(plain).text() == (
        "FAILED — 1 new, 0 changed, 0 fixed, 0 known (no baseline: every failure is new)"
    )
    assert tally(run(case("b", "passed"))).verdict == "passed"
    plain.interrupted = "interrupted after 2 of 9 cases"
    assert tally(plain).verdict == "no verdict"
    assert tally(plain).text().startswith("NO VERDICT — the run was interrupted")
