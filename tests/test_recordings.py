"""Real AWS is the judge: every recorded answer passes every response schema and rule.

`specs/recorded/` holds public recordings of real AWS Batch answers (conformance/recorded.py).
Each is read as an SDK reads it (optional nulls dropped) and held against its operation's
current response schema, and for the four seed operations the seed's too. A recording that
fails means a schema or response rule is wrong about real AWS: fix the rule, not the file.

Two things excuse a recording from a rule, each named here: the rule's era (`since`: AWS
answers so since that day; an answer recorded before it is not held to it), and a hand edit
the recording's provenance declares (`HAND_EDITED`: an account id a source replaced by a
placeholder is no account id).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conformance import answer_check
from conformance.recorded import (
    EVIDENCE_PREFIX,
    RECORDED_DIR,
    Recording,
    load_recording,
    recordings,
)
from conformance.rulebook import all_rules
from conformance.schemas import rule_index
from conformance.scopes import CURRENT, SEED, Scope

RECORDINGS = recordings()
BY_ID = {recording.id: recording for recording in RECORDINGS}
SEED_RECORDINGS = [r for r in RECORDINGS if r.operation in SEED.operations]
GOOD = {
    "operation": "TerminateJob",
    "provenance": {"source": "o/r", "url": "https://example.org", "what": "x", "edited": None},
    "answer": {},
}


# (recording id, rule id, JSON path) -> the hand edit, as the recording's `edited` words it
HAND_EDITED: dict[tuple[str, str, str], str] = {
    ("SubmitJob/llmd-eks-readme", "SubmitJob.response.arns", "$.jobArn"): (
        "the account id in jobArn replaced by '<acct-id>' by the source"
    ),
}


def violations(recording_answer: dict[str, Any], operation: str, scope: Scope) -> list[str]:
    """The answer's schema violations in `scope`, after the null rule, one line each."""
    return [
        f"{o.rule} at {o.path}: {o.message}" for o in _observed(recording_answer, operation, scope)
    ]


def _observed(answer: dict[str, Any], operation: str, scope: Scope) -> list[Any]:
    body, _ = answer_check.read_answer(operation, answer, scope)
    return answer_check.observe(operation, body, "", scope)


def held_violations(recording: Recording, scope: Scope) -> list[str]:
    """What the recording breaks, but for the rules of a later era and its declared edits."""
    rules = rule_index(scope)
    return [
        f"{o.rule} at {o.path}: {o.message}"
        for o in _observed(recording.answer, recording.operation, scope)
        if not recording.predates(getattr(rules.get(o.rule), "since", None))
        and (recording.id, o.rule, o.path) not in HAND_EDITED
    ]


def write(tmp_path: Path, operation: str, data: Any) -> Path:
    """`data` written as `<tmp>/<operation>/case.json`."""
    file = tmp_path / operation / "case.json"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(data), encoding="utf-8")
    return file


def test_recordings_exist_and_load() -> None:
    """Every file under specs/recorded/ loads as a recording of a current operation."""
    files = sorted(RECORDED_DIR.glob("*/*.json"))
    assert len(RECORDINGS) == len(files) >= 40
    assert {r.operation for r in RECORDINGS} <= set(CURRENT.operations)
    assert {r.operation for r in SEED_RECORDINGS} == set(SEED.operations)


def test_recording_ids_are_stable_names() -> None:
    """A recording's id is `<Operation>/<file stem>`, unique, and names its file."""
    assert len(BY_ID) == len(RECORDINGS)
    for recording in RECORDINGS:
        assert recording.file == RECORDED_DIR / f"{recording.id}.json"


@pytest.mark.parametrize("recording_id", sorted(BY_ID))
def test_recording_has_provenance(recording_id: str) -> None:
    """Every recording says where it comes from, what call it was, and whether it was edited."""
    recording = BY_ID[recording_id]
    assert recording.url.startswith("https://")
    assert recording.source.strip()
    assert recording.what.strip()
    raw = json.loads(recording.file.read_text(encoding="utf-8"))
    assert "edited" in raw["provenance"]
    assert recording.edited is None or recording.edited.strip()


@pytest.mark.parametrize("recording_id", sorted(BY_ID))
def test_recording_passes_current_schema(recording_id: str) -> None:
    """A recorded answer passes its operation's current response schema (after the null rule)."""
    recording = BY_ID[recording_id]
    assert held_violations(recording, CURRENT) == []


@pytest.mark.parametrize("recording_id", sorted(r.id for r in SEED_RECORDINGS))
def test_recording_passes_seed_schema(recording_id: str) -> None:
    """A recorded answer of a seed operation passes the seed response schema and its rules."""
    recording = BY_ID[recording_id]
    assert held_violations(recording, SEED) == []


def test_hand_edits_excused_are_declared_and_still_needed() -> None:
    """Each excused hand edit is one the recording's provenance declares, and the recording
    still breaks that rule there (an excuse nothing needs is removed)."""
    for (recording_id, rule, path), edit in HAND_EDITED.items():
        recording = BY_ID[recording_id]
        assert recording.edited is not None, recording_id
        assert edit in recording.edited, recording_id
        found = _observed(recording.answer, recording.operation, CURRENT)
        assert any(o.rule == rule and o.path == path for o in found), (recording_id, rule)


def test_era_excuses_only_answers_recorded_before_the_rule() -> None:
    """A rule with an era excuses only recordings made surely before it: every recording
    it excuses breaks it, and every later one of its operation passes it."""
    for scope in (SEED, CURRENT):
        for rule in rule_index(scope).values():
            if rule.since is None:
                continue
            for recording in (r for r in RECORDINGS if r.operation == rule.operation):
                broken = any(
                    o.rule == rule.id
                    for o in _observed(recording.answer, recording.operation, scope)
                )
                if not recording.predates(rule.since):
                    assert not broken, (rule.id, recording.id)


def _recording_evidence() -> list[tuple[str, str, str]]:
    """(rule id, recording id, quote) of every evidence item that cites a recording."""
    return [
        (info.id, item["where"].removeprefix(EVIDENCE_PREFIX), item["quote"])
        for scope in (SEED, CURRENT)
        for info in all_rules(scope).values()
        for item in info.evidence
        if item["where"].startswith(EVIDENCE_PREFIX)
    ]


def test_rules_cite_recordings_verbatim() -> None:
    """Evidence that cites a recording names one that exists, quotes its file verbatim, and
    is `observed` evidence of a rule that recording passes."""
    cited = _recording_evidence()
    assert len(cited) >= 20
    for rule_id, recording_id, quote in cited:
        assert recording_id in BY_ID, (rule_id, recording_id)
        recording = BY_ID[recording_id]
        assert quote in recording.file.read_text(encoding="utf-8"), (rule_id, quote)
        for scope in (SEED, CURRENT):
            if recording.operation in scope.operations:
                broken = [line for line in held_violations(recording, scope) if rule_id in line]
                assert not broken, (rule_id, broken)


def _first(operation: str) -> Recording:
    return next(r for r in RECORDINGS if r.operation == operation and r.answer.get("jobs"))


def test_check_catches_a_missing_required_member() -> None:
    """A real recording with jobs[0].jobId removed fails both schemas at that path."""
    answer = copy.deepcopy(_first("DescribeJobs").answer)
    del answer["jobs"][0]["jobId"]
    for scope in (CURRENT, SEED):
        found = violations(answer, "DescribeJobs", scope)
        assert any("$.jobs[0].jobId" in line for line in found), (scope, found)


def test_check_catches_a_wrong_type_and_a_broken_rule() -> None:
    """A string createdAt breaks the structure; a createdAt in seconds breaks the seed's rule."""
    answer = copy.deepcopy(_first("DescribeJobs").answer)
    answer["jobs"][0]["createdAt"] = str(answer["jobs"][0]["createdAt"])
    assert violations(answer, "DescribeJobs", CURRENT)
    answer["jobs"][0]["createdAt"] = 1559237299
    assert violations(answer, "DescribeJobs", SEED) == [
        "DescribeJobs.response.createdAt.epoch-ms at $.jobs[0].createdAt: "
        "1559237299 is less than the minimum of 1000000000000"
    ]


def test_check_applies_the_null_rule() -> None:
    """A null for an optional member counts as absent; a null for a required one still fails."""
    answer = copy.deepcopy(_first("DescribeJobs").answer)
    answer["jobs"][0]["jobArn"] = "arn:aws:batch:us-east-1:653949452088:job/6abf3ecd"
    answer["jobs"][0]["retryStrategy"] = None
    assert violations(answer, "DescribeJobs", CURRENT) == []
    answer["jobs"][0]["jobName"] = None
    assert violations(answer, "DescribeJobs", CURRENT)


def test_check_catches_what_a_job_that_ran_lacks() -> None:
    """A real SUCCEEDED job without its exit code or log stream, or FAILED without a
    reason, breaks the DescribeJobs rules that say so (in both scopes), at that path."""
    answer = BY_ID["DescribeJobs/pcf-5"].answer
    for change, rule, path in (
        (lambda j: j["container"].pop("exitCode"), "exitCode.when-succeeded", "container.exitCode"),
        (lambda j: j["container"].pop("logStreamName"), "container.logStreamName", "logStreamName"),
        (
            lambda j: (j.update(status="FAILED"), j.pop("statusReason")),
            "statusReason",
            "statusReason",
        ),
        (lambda j: j.update(jobQueue="test-queue"), "arns", "jobQueue"),
    ):
        job = copy.deepcopy(answer)
        change(job["jobs"][0])
        for scope in (SEED, CURRENT):
            found = violations(job, "DescribeJobs", scope)
            assert any(
                f"DescribeJobs.response.{rule}" in line and path in line for line in found
            ), (
                scope,
                rule,
                found,
            )


def test_loader_accepts_a_minimal_recording(tmp_path: Path) -> None:
    """A file with operation, source, url, what, edited and an answer object loads."""
    recording = load_recording(write(tmp_path, "TerminateJob", GOOD))
    assert (recording.id, recording.edited, recording.commit) == ("TerminateJob/case", None, None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["provenance"].pop("source"), "non-empty source"),
        (lambda d: d["provenance"].update(url=" "), "non-empty url"),
        (lambda d: d["provenance"].pop("what"), "non-empty what"),
        (lambda d: d["provenance"].pop("edited"), "whether it was edited"),
        (lambda d: d["provenance"].update(edited=""), "edited must be null"),
        (lambda d: d["provenance"].update(commit=3), "commit, when given"),
        (lambda d: d.pop("provenance"), "no provenance"),
        (lambda d: d.update(operation="DescribeJob"), "not an operation of the current scope"),
        (lambda d: d.update(answer=[]), "answer must be a JSON object"),
    ],
)
def test_loader_refuses_in_one_line_naming_the_file(
    tmp_path: Path, change: Any, message: str
) -> None:
    """A file without provenance, or of an unknown operation, is refused naming the file."""
    data = copy.deepcopy(GOOD)
    change(data)
    file = write(tmp_path, "TerminateJob", data)
    with pytest.raises(ValueError, match=message) as caught:
        load_recording(file)
    assert str(file) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_loader_refuses_a_file_in_another_operations_folder(tmp_path: Path) -> None:
    """A recording's folder is its operation, so its id cannot lie."""
    with pytest.raises(ValueError, match="does not match its folder"):
        load_recording(write(tmp_path, "CancelJob", GOOD))


def test_loader_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    """A broken file is named, not a traceback."""
    file = tmp_path / "TerminateJob" / "case.json"
    file.parent.mkdir()
    file.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="not JSON"):
        recordings(tmp_path)
