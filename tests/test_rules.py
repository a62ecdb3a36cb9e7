"""Every rule carries a strength and public evidence; loaders refuse a rule without them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main
from conformance.results import RuleInfo, RunResult, TargetInfo
from conformance.rulebook import RulebookError, all_rules, load_behaviours
from conformance.schemas import EVIDENCE_KINDS, PROVENANCES, SPECS_DIR, STRENGTHS, iter_rules
from conformance.scopes import BEHAVIOURS_FILE, SEED, scope_named
from conformance.specgen._overlay import OverlayError, load_overlay

OVERLAY = SPECS_DIR / "overlay.json"

# The audit's verdicts: documented, but seen not enforced or contradicted by public evidence.
SHOULD = {
    "RegisterJobDefinition.containerProperties.environment.name.reserved",
    "SubmitJob.containerOverrides.environment.name.reserved",
    "RegisterJobDefinition.containerProperties.image.charset",
    "DescribeJobs.response.container.reason.maxLength",
    "DescribeJobs.response.attempts.container.reason.maxLength",
    "SubmitJob.behaviour.parameters",
    "SubmitJob.behaviour.container-overrides",
}
# Documented and never contradicted: a failure here is a real deviation.
MUST = {
    "SubmitJob.timeout.minimum",
    "RegisterJobDefinition.timeout.minimum",
    "SubmitJob.retryStrategy.attempts.range",
    "RegisterJobDefinition.retryStrategy.attempts.range",
    "SubmitJob.arrayProperties.size.range",
    "SubmitJob.dependsOn.maxItems",
    "DescribeJobs.jobs.maxItems",
}


def _overlay_rules() -> list[dict[str, Any]]:
    return list(json.loads(OVERLAY.read_text(encoding="utf-8"))["rules"])


def _write_overlay(tmp_path: Path, rules: list[dict[str, Any]]) -> Path:
    path = tmp_path / "overlay.json"
    path.write_text(json.dumps({"rules": rules}), encoding="utf-8")
    return path


@pytest.mark.parametrize("info", all_rules(SEED).values(), ids=lambda i: i.id)
def test_every_rule_has_strength_and_evidence(info: RuleInfo) -> None:
    """Each rule of the rulebook: a strength, at least one well-formed evidence item."""
    assert info.strength in STRENGTHS
    assert info.provenance in PROVENANCES
    assert info.evidence
    for item in info.evidence:
        assert set(item) == {"kind", "quote", "where"}
        assert item["kind"] in EVIDENCE_KINDS
        assert item["quote"].strip()
        assert item["where"].strip()
        if item["kind"] == "seed":
            assert item["where"].startswith("seed: ")
        if item["kind"] == "doc":
            assert item["where"].startswith("https://docs.aws.amazon.com/batch/latest/")


def test_strength_is_consistent_with_evidence() -> None:
    """A `should` rule says why in a note; a `must` rule has no evidence against it."""
    for info in all_rules(SEED).values():
        kinds = {item["kind"] for item in info.evidence}
        if info.strength == "should":
            assert info.note, info.id
        else:
            assert "contradicts" not in kinds, info.id


def test_named_rules_have_their_strength() -> None:
    """The audit's false alarms are `should`; the firm limits are `must`."""
    rules = all_rules(SEED)
    assert {rid: rules[rid].strength for rid in SHOULD} == dict.fromkeys(SHOULD, "should")
    assert {rid: rules[rid].strength for rid in MUST} == dict.fromkeys(MUST, "must")


def test_schema_rules_carry_the_overlay_fields() -> None:
    """What the committed schemas' x-rules say equals the overlay (strength, evidence, note)."""
    by_id = {rule["id"]: rule for rule in _overlay_rules()}
    rules = iter_rules(SEED)
    assert {rule.id for rule in rules} == set(by_id)
    for rule in rules:
        entry = by_id[rule.id]
        assert rule.strength == entry["strength"]
        assert list(rule.evidence) == entry["evidence"]
        assert rule.note == entry.get("note")


def test_provenance_corrections() -> None:
    """The corrections of the evidence audit (section 8) are in the rules."""
    rules = all_rules(SEED)
    for rid in (
        "DescribeJobDefinitions.response.revision.minimum",
        "RegisterJobDefinition.response.revision.minimum",
    ):
        assert rules[rid].provenance == "documented"
        assert any(e["kind"] == "doc" for e in rules[rid].evidence)
    unknown = rules["DescribeJobs.behaviour.unknown-id"]
    assert {e["where"] for e in unknown.evidence} >= {
        "Netflix/metaflow#543",
        "apache/airflow#37552",
    }
    assert "aws-batch-facts" not in unknown.source
    lookup = rules["DescribeJobDefinitions.jobDefinitions.maxItems"]
    assert any("${Revision}" in e["quote"] for e in lookup.evidence if e["kind"] == "doc")
    assert "aws/aws-sdk#94" in {e["where"] for e in lookup.evidence}
    assert lookup.note


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("strength"), "missing strength"),
        (lambda r: r.update(strength="may"), "strength must be one of must, should"),
        (lambda r: r.pop("evidence"), "missing evidence"),
        (lambda r: r.update(evidence=[]), "evidence must be a non-empty list"),
        (
            lambda r: r.update(evidence=[{"kind": "rumour", "quote": "q", "where": "w"}]),
            "evidence\\[0\\].kind must be one of seed, doc, observed, contradicts",
        ),
        (lambda r: r.update(evidence=[{"kind": "doc", "quote": "q"}]), "evidence\\[0\\]"),
        (lambda r: r.update(note=""), "note"),
    ],
)
def test_overlay_loader_refuses_rule_without_evidence(
    tmp_path: Path, change: Any, message: str
) -> None:
    """A rule without a strength, with empty evidence or a bad kind: one line naming it."""
    rules = _overlay_rules()
    change(rules[3])
    with pytest.raises(OverlayError, match=f"overlay rule {rules[3]['id']}: {message}") as err:
        load_overlay(_write_overlay(tmp_path, rules))
    assert "\n" not in str(err.value)


def test_overlay_loader_accepts_the_committed_overlay(tmp_path: Path) -> None:
    """The committed overlay loads; a rule without a note is fine."""
    rules = load_overlay(OVERLAY)
    assert any("note" not in rule for rule in rules)
    assert load_overlay(_write_overlay(tmp_path, rules)) == rules


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("strength", None, "missing strength"),
        ("evidence", None, "missing evidence"),
        ("evidence", [], "evidence must be a non-empty list"),
        ("strength", "could", "strength must be one of"),
        ("provenance", "rumour", "provenance must be one of"),
    ],
)
def test_behaviours_without_evidence_are_refused(field: str, value: Any, message: str) -> None:
    """A behaviour lacking a strength or evidence is an error naming it."""
    data = json.loads((SPECS_DIR / BEHAVIOURS_FILE).read_text(encoding="utf-8"))
    entry = data["behaviours"][2]
    if value is None:
        del entry[field]
    else:
        entry[field] = value
    with pytest.raises(RulebookError, match=f"behaviour {entry['id']}: {message}") as err:
        load_behaviours(json.dumps(data))
    assert "\n" not in str(err.value)


def test_rules_command_json_lists_every_rule(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`batch-conformance rules --format json`: valid JSON, every rule with its fields."""
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path))
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rules = all_rules(SEED)
    assert [r["id"] for r in data["rules"]] == sorted(rules)
    for entry in data["rules"]:
        info = rules[entry["id"]]
        assert list(entry) == [
            "id",
            "operation",
            "summary",
            "provenance",
            "strength",
            "evidence",
            "note",
            "source",
        ]
        assert (entry["strength"], entry["evidence"], entry["note"]) == (
            info.strength,
            info.evidence,
            info.note,
        )


@pytest.mark.parametrize("width", [100, 140])
@pytest.mark.parametrize("scope", ["seed", "current"])
def test_rules_command_table_says_what_each_rule_checks(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    width: int,
    scope: str,
) -> None:
    """The default table fits the terminal: each rule's whole id, strength, provenance and
    what it checks (its summary, cut with … to fit), then a count."""
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path))
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["rules", "--scope", scope]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= width for line in lines)
    assert lines[0].split() == ["rule", "strength", "provenance", "what", "it", "checks"]
    checks_at = lines[0].index("what it checks")
    rules = all_rules(scope_named(scope))
    starts = [n for n, line in enumerate(lines[1:-1], 1) if not line.startswith(" ")]
    assert [lines[n].split()[0] for n in starts] == sorted(rules)
    for n in starts:
        info = rules[lines[n].split()[0]]
        row = lines[n + 1] if lines[n] == info.id else lines[n]  # an id alone: cells below
        assert row[:checks_at].split()[-2:] == [info.strength, info.provenance]
        checks = row[checks_at:]
        assert checks == info.summary or (
            checks.endswith("…") and info.summary.startswith(checks[:-1])
        )
    should = sum(i.strength == "should" for i in rules.values())
    assert lines[-1] == f"{len(rules)} rules: {len(rules) - should} must, {should} should"


def test_rules_command_refuses_an_unknown_format(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An unknown --format is a usage error (exit 2), in one line."""
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path))
    with pytest.raises(SystemExit) as exit_info:
        main(["rules", "--format", "yaml"])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def _run(rules: dict[str, RuleInfo]) -> RunResult:
    target = TargetInfo("moto", None, "us-east-1")
    return RunResult(target, {}, "2026-01-01T00:00:00Z", 1.0, [], rules)


def test_report_json_keeps_strength_and_evidence() -> None:
    """report.json carries each rule's strength, evidence and note, and reads them back."""
    rule = all_rules(SEED)["SubmitJob.containerOverrides.environment.name.reserved"]
    data = json.loads(json.dumps(_run({rule.id: rule}).to_dict()))
    assert data["rules"][rule.id]["strength"] == "should"
    assert RunResult.from_dict(data).rules[rule.id] == rule


def test_old_reports_load_without_strength_or_evidence() -> None:
    """A report.json written before strength/evidence existed loads with the defaults."""
    data = _run({}).to_dict()
    old = {"id": "R", "operation": "SubmitJob", "summary": "s", "provenance": "seed"}
    data["rules"] = {"R": {**old, "source": "seed: SubmitJob › timeout — q"}}
    info = RunResult.from_dict(data).rules["R"]
    assert (info.strength, info.evidence, info.note) == ("must", [], None)
