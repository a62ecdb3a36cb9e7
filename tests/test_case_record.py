"""The case-evidence object, the null reading, one verdict per fault, and findings."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.answer_check import observe, read_answer, strip_nulls, structure_rule
from conformance.calls import EndpointUnusable
from conformance.case_record import MAX_EXCHANGES_KEPT, CaseRecord, SuiteDefect, classify
from conformance.findings import find
from conformance.grading import CaseFailure
from conformance.results import CaseResult, Check, Exchange, Observation
from conformance.scopes import SEED
from conformance.verdicts import fold_observations, judge

STRUCTURE_CASE = "responses::test_response_structure[{operation}]"


class Report:
    """The parts of a pytest TestReport that a record reads."""

    def __init__(self, outcome: str, longrepr: Any = None) -> None:
        self.passed = outcome == "passed"
        self.skipped = outcome == "skipped"
        self.failed = outcome == "failed"
        self.longrepr = longrepr
        self.longreprtext = str(longrepr or "")


def _phase(record: CaseRecord, outcome: str, exc: BaseException | None = None) -> None:
    longrepr = ("f", 1, "Skipped: not here") if outcome == "skipped" else "E  boom"
    record.add_phase(Report(outcome, longrepr), exc)  # type: ignore[arg-type]


def test_record_keeps_the_last_exchanges_but_counts_all() -> None:
    """Only the last few exchanges are kept; every call's time and retries are counted."""
    record = CaseRecord(case_id="c")
    for index in range(MAX_EXCHANGES_KEPT + 3):
        record.add_exchange(Exchange("SubmitJob", {"i": index}, duration_s=0.5, retries=1))
    assert record.total_exchanges == MAX_EXCHANGES_KEPT + 3
    assert len(record.exchanges) == MAX_EXCHANGES_KEPT
    assert record.exchanges[-1].request == {"i": MAX_EXCHANGES_KEPT + 2}
    assert record.call_s == pytest.approx(0.5 * (MAX_EXCHANGES_KEPT + 3))
    result = record.result()
    assert result.retries == MAX_EXCHANGES_KEPT + 3
    assert result.call_s == pytest.approx(record.call_s)


def test_record_deduplicates_checks_notes_and_observations() -> None:
    """The same check, note or violation seen twice is kept once; observations name the case."""
    record = CaseRecord(case_id="jobs::x")
    record.add_checks([Check("accepted", True, "HTTP 200"), Check("accepted", True, "HTTP 200")])
    record.add_notes(["n1", "n1", "n2"])
    seen = Observation("DescribeJobs", "DescribeJobs.response.structure", "$.a", "$.a", "bad")
    new = record.add_observations([seen, Observation(**{**seen.__dict__})])
    assert len(record.checks) == 1
    assert record.notes == ["n1", "n2"]
    assert len(new) == 1
    assert record.observed[0].case == "jobs::x"


@pytest.mark.parametrize(
    ("phases", "outcome"),
    [
        (["passed", "passed", "passed"], "passed"),
        (["passed", "skipped", "passed"], "skipped"),
        (["passed", "failed", "passed"], "failed"),
        (["passed", "failed", "error"], "error"),
    ],
)
def test_record_outcome_is_the_worst_phase(phases: list[str], outcome: str) -> None:
    """An error beats a failure beats a skip beats a pass."""
    record = CaseRecord(case_id="c")
    for phase in phases:
        exc: BaseException | None = None
        if phase == "failed":
            exc = AssertionError("value wrong")
        elif phase == "error":
            exc = EndpointUnusable("SubmitJob: cannot connect")
        _phase(record, "failed" if phase in {"failed", "error"} else phase, exc)
    assert record.result().outcome == outcome


def test_classify_names_the_kind_of_no_result() -> None:
    """An endpoint failure or a suite defect is an error; an assertion a failure."""
    report = Report("failed", "E  x")
    assert classify(EndpointUnusable("gone"), report)[0] == "error"  # type: ignore[arg-type]
    kind, text = classify(SuiteDefect("sends a bad role"), report)  # type: ignore[arg-type]
    assert (kind, text) == ("error", "suite defect: sends a bad role")
    assert classify(AssertionError("x\ny"), report) == ("failed", "x")  # type: ignore[arg-type]
    kind, text = classify(KeyError("k"), report)  # type: ignore[arg-type]
    assert kind == "error"
    assert "KeyError" in text


def test_failure_checks_and_hypothesis_example_reach_the_result() -> None:
    """A CaseFailure's checks and a hypothesis note end up in the result."""
    record = CaseRecord(case_id="generated::x", rule="r", strength="should")
    failure = CaseFailure("refused badly", [Check("http-status-400", False, "got HTTP 500")])
    failure.add_note("Falsifying example: request={...}")
    _phase(record, "failed", failure)
    result = record.result()
    assert result.outcome == "failed"
    assert result.warning
    assert not result.blocks(strict=False)
    assert result.blocks(strict=True)
    assert [c.name for c in result.checks] == ["http-status-400"]
    assert result.example is not None
    assert "Falsifying example" in result.example


def test_optional_nulls_are_absent_required_and_list_nulls_stay() -> None:
    """A null for an optional member is dropped and noted; in a list, or required, it stays."""
    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "retry": {"type": "object"},
            "items": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    body = {"name": None, "retry": None, "items": [None], "tags": {"k": None}}
    clean, removed = strip_nulls(body, schema)
    assert removed == ["$.retry"]
    assert clean == {"name": None, "items": [None], "tags": {"k": None}}


def test_moto_like_null_is_a_note_and_a_missing_member_an_observation() -> None:
    """`retryStrategy: null` in a job is a note; a job without jobId is a structure violation."""
    arn = "arn:aws:batch:us-east-1:123456789012:{}"
    job = {
        "jobName": "j",
        "jobId": "1",
        "jobQueue": arn.format("job-queue/q"),
        "status": "RUNNABLE",
        "jobDefinition": arn.format("job-definition/d:1"),
        "createdAt": 1_700_000_000_000,
        "retryStrategy": None,
    }
    body, notes = read_answer("DescribeJobs", {"jobs": [job]}, SEED)
    assert "retryStrategy" not in body["jobs"][0]
    assert notes == ["sends null where AWS omits the member: $.jobs[*].retryStrategy"]
    assert observe("DescribeJobs", body, "", SEED) == []
    del job["jobId"]
    body, _ = read_answer("DescribeJobs", {"jobs": [job]}, SEED)
    found = observe("DescribeJobs", body, "", SEED)
    assert [(o.rule, o.where) for o in found] == [
        (structure_rule("DescribeJobs"), "$.jobs[*].jobId")
    ]


def _observation(case: str, where: str = "$.jobs[*].jobId") -> Observation:
    return Observation("DescribeJobs", "DescribeJobs.response.structure", where, where, "m", case)


def test_judge_fails_once_per_path_naming_the_cases() -> None:
    """Two cases seeing one missing member: one failed check naming both."""
    seen = [_observation("a"), _observation("b"), _observation("a", "$.x")]
    checks = judge("DescribeJobs.response.structure", seen)
    assert len(checks) == 2
    assert "seen by 2 cases: a, b" in checks[0].detail or "seen by 2 cases: a, b" in (
        checks[1].detail
    )
    assert judge("DescribeJobs.response.createdAt.epoch-ms", seen) == []


def test_fold_gives_the_verdict_to_the_rule_case_not_the_observer() -> None:
    """The observer keeps its own verdict; the structure case fails (added if not run)."""
    observer = CaseResult(id="jobs::test_echo", outcome="passed", rule="SubmitJob.behaviour.echo")
    observer.observed = [_observation("jobs::test_echo")]
    owner_id = STRUCTURE_CASE.format(operation="DescribeJobs")
    judges = {"DescribeJobs.response.structure": owner_id}
    results = fold_observations([observer], lambda _rule: "must", judges)
    by_id = {r.id: r for r in results}
    assert by_id["jobs::test_echo"].outcome == "passed"
    assert by_id[owner_id].outcome == "failed"
    assert by_id[owner_id].seen_by == ["jobs::test_echo"]


def test_findings_group_cases_by_rule_and_what_broke() -> None:
    """Four refusals expected of one rule are one finding; each case names it."""
    results = [
        CaseResult(
            id=f"request_limits::test_limit[SubmitJob.jobName.charset:outside:{label}]",
            outcome="failed",
            rule="SubmitJob.jobName.charset",
            message="accepted (HTTP 200) a request the seed forbids: ...",
        )
        for label in ("dot", "space", "bang", "leading-hyphen")
    ]
    results.append(
        CaseResult(id="jobs::test_retry", outcome="failed", rule="r2", message="value wrong")
    )
    findings = find(results, lambda _rule: "must")
    assert [f.id for f in findings] == [
        "SubmitJob.jobName.charset#refusal-expected",
        "r2#value",
    ]
    assert len(findings[0].cases) == 4
    assert all(r.findings == [findings[0].id] for r in results[:4])


def test_a_finding_is_filed_under_the_operation_whose_answer_was_wrong() -> None:
    """A check judges the last answer read: a lifecycle that made a compute environment and
    found DescribeComputeEnvironments not listing it is a finding of DescribeComputeEnvironments."""
    record = CaseRecord(
        case_id="lifecycles::test_compute_environment_lifecycle",
        rule="CreateComputeEnvironment.behaviour.lifecycle",
        operation="CreateComputeEnvironment",
    )
    record.add_exchange(Exchange(operation="CreateComputeEnvironment", request={}))
    record.add_checks([Check("accepted", True)])
    record.add_exchange(Exchange(operation="DescribeComputeEnvironments", request={}))
    record.add_checks([Check("listed", False, "not listed")])
    result = record.result()
    result.outcome, result.message = "failed", "not listed"
    assert [c.operation for c in result.checks] == [
        "CreateComputeEnvironment",
        "DescribeComputeEnvironments",
    ]
    (finding,) = find([result], lambda _rule: "must")
    assert finding.operation == "DescribeComputeEnvironments"
    result.checks = [Check("listed", False, "not listed")]  # nothing says whose answer
    (finding,) = find([result], lambda _rule: "must")
    assert finding.operation == "CreateComputeEnvironment"
