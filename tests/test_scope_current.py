"""`--scope current`: every operation of today's API, the scope carried everywhere.

The run on embedded moto is checked for what the engine guarantees whatever moto does:
a probe and a structure case for every operation, every current limit on both sides, an
operation the endpoint lacks judged once (its other cases skipped, never failed), all four
reports written with their scope. What today's moto gets wrong is in the committed
baselines, never asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.baseline import load_baseline
from conformance.boundaries import request_rules
from conformance.calls import not_implemented
from conformance.reports.compare import build_matrix
from conformance.reports.matrix_legend import NOT_IMPLEMENTED
from conformance.reports.matrix_render import render_markdown
from conformance.results import CaseResult, Exchange, Finding, RunResult, TargetInfo
from conformance.rulebook import all_rules
from conformance.scopes import CURRENT
from conformance.waiting import SHORT_WAIT_S, Consistency, Waited
from tests.cli import cli, report
from tests.gate_cases import assert_gate_green, committed_baseline

pytestmark = pytest.mark.xdist_group("scope-current")  # its tests read one whole run

ROOT = Path(__file__).resolve().parent.parent


def _exchange(
    status: int | None, code: str | None = None, message: str = "", body: str = ""
) -> Exchange:
    return Exchange("CancelJobs", {}, status, code, message, body)


@pytest.mark.parametrize(
    ("exchange", "lacking"),
    [
        (_exchange(404, None, "", "Not yet implemented"), True),
        (
            _exchange(501, "NotImplementedError", "The canceljobs action has not been implemented"),
            True,
        ),
        (_exchange(400, "InvalidAction", "Unknown action CancelJobs"), True),
        (_exchange(400, "UnknownOperationException"), True),
        (_exchange(500, "InternalFailure", "this operation is not implemented yet"), True),
        # ministack: a GET or DELETE it has no route for, an unknown path (issue 19 §3)
        (_exchange(400, "ClientException", "Unsupported method GET"), True),
        (_exchange(400, "ClientException", "Unsupported method DELETE"), True),
        (_exchange(400, "InvalidAction", "Unsupported batch path: /v1/tags/arn"), True),
        (_exchange(400, "ClientException", "", '{"message": "Unsupported method GET"}'), True),
        (_exchange(400, "ClientException", "Unsupported instance type c9.huge"), False),
        (_exchange(400, "ClientException", "Unsupported value for state: JUNK"), False),
        (_exchange(400, "ClientException", "Job queue q does not exist"), False),
        (_exchange(500, "InternalFailure", "boom"), False),
        (_exchange(200, None, "", "{}"), False),
        (_exchange(None), False),
    ],
)
def test_not_implemented_is_told_apart_from_a_refusal(exchange: Exchange, lacking: bool) -> None:
    assert (not_implemented(exchange) is not None) is lacking


def test_every_current_rule_has_evidence_and_every_operation_two_behaviours() -> None:
    rules = all_rules(CURRENT)
    for operation in CURRENT.operations:
        assert f"{operation}.implemented" in rules
        assert f"{operation}.response.structure" in rules
    assert all(info.evidence for info in rules.values())
    assert len(request_rules(CURRENT)) >= 40


@pytest.fixture(scope="module")
def current_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any], Path]:
    """The whole current scope on embedded moto, gated by its committed baseline (the CI
    gate, tests/test_baseline_gates.py names it); exit code, report.json, folder."""
    folder = tmp_path_factory.mktemp("current")
    baseline = str(committed_baseline("current", "moto"))
    done = cli(
        "run", "--scope", "current", "--baseline", baseline, "--report-dir", str(folder), cwd=ROOT
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.returncode, report(folder), folder


def test_current_moto_baseline_keeps_the_gate_green(
    current_run: tuple[int, dict[str, Any], Path],
) -> None:
    """The committed current-scope baseline covers every deviation of today's moto: exit 0."""
    code, data, folder = current_run
    assert_gate_green(code, data["gate"]["text"], folder)


def test_current_run_covers_every_operation_and_writes_every_report(
    current_run: tuple[int, dict[str, Any], Path],
) -> None:
    _, data, folder = current_run
    assert data["scope"] == "current"
    for name in ("report.json", "report.md", "report.html", "junit.xml"):
        assert (folder / name).is_file(), name
    assert "current" in (folder / "report.md").read_text(encoding="utf-8")
    ids = {r["id"] for r in data["results"]}
    for operation in CURRENT.operations:
        assert f"operations::test_operation_implemented[{operation}]" in ids
        assert f"responses::test_response_structure[{operation}]" in ids
    limited = {r["rule"] for r in data["results"] if r["id"].startswith("request_limits::")}
    assert limited == {rule.id for rule in request_rules(CURRENT)}
    defects = [r["id"] for r in data["results"] if "suite defect" in r["message"]]
    assert not defects


def test_an_operation_the_endpoint_lacks_is_one_finding(
    current_run: tuple[int, dict[str, Any], Path],
) -> None:
    _, data, _ = current_run
    lacking = {
        f["operation"] for f in data["findings"] if f["id"].endswith(".implemented#not-implemented")
    }
    for finding in data["findings"]:
        if finding["id"].endswith("#not-implemented"):
            assert finding["cases"] == [
                f"operations::test_operation_implemented[{finding['operation']}]"
            ]
    for result in data["results"]:
        if result["id"].startswith("operations::") or result["operation"] not in lacking:
            continue
        assert result["outcome"] in ("skipped", "passed"), result["id"]
    skipped = [r for r in data["results"] if r["message"].startswith("not implemented:")]
    assert all(r["outcome"] == "skipped" for r in skipped)


def test_a_baseline_of_the_other_scope_is_refused(tmp_path: Path) -> None:
    done = cli(
        "run",
        "--scope",
        "current",
        "--baseline",
        str(ROOT / "reports" / "baselines" / "moto.json"),
        "--report-dir",
        str(tmp_path),
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "scope seed" in done.stderr
    assert "current" in done.stderr
    assert not (tmp_path / "report.json").exists()


def test_a_baseline_says_its_scope(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"version": 1, "scope": "current", "entries": []}))
    assert load_baseline(path).scope == "current"
    path.write_text(json.dumps({"version": 1, "scope": "2018", "entries": []}))
    with pytest.raises(Exception, match="scope must be one of"):
        load_baseline(path)


def _run(scope: str, findings: list[Finding], results: list[CaseResult]) -> RunResult:
    return RunResult(
        target=TargetInfo(name="x", endpoint=None, region="us-east-1"),
        sdk={"botocore": "1"},
        started_at="2026-11-24T00:00:00+00:00",
        duration_s=1.0,
        results=results,
        findings=findings,
        scope=scope,
    )


def _cancel_jobs_lacking(message: str = "") -> tuple[CaseResult, Finding]:
    """CancelJobs's probe failed as not implemented, and its one finding."""
    probe = CaseResult(
        id="operations::test_operation_implemented[CancelJobs]",
        outcome="failed",
        rule="CancelJobs.implemented",
        operation="CancelJobs",
        message=message,
    )
    finding = Finding(
        id="CancelJobs.implemented#not-implemented",
        rule="CancelJobs.implemented",
        strength="must",
        operation="CancelJobs",
        what="not-implemented",
        outcome="failed",
        message=message,
        cases=[probe.id],
    )
    return probe, finding


def test_the_matrix_compares_one_scope_and_names_what_is_not_implemented() -> None:
    probe, finding = _cancel_jobs_lacking()
    other = CaseResult(
        id="operations::test_operation_implemented[ListJobs]",
        outcome="passed",
        rule="ListJobs.implemented",
        operation="ListJobs",
    )
    matrix = build_matrix([_run("current", [finding], [probe, other])])
    assert [row.cells for row in matrix.operations] == [
        (NOT_IMPLEMENTED,),
        ("pass 1 · 0 findings",),
    ]
    text = render_markdown(matrix)
    assert "scope current): implements 1 of 2 operations, 1 of them without a finding" in text
    with pytest.raises(ValueError, match="different scopes"):
        build_matrix([_run("current", [], []), _run("seed", [], [])])


def test_an_sdk_without_todays_operations_is_told_to_upgrade(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import dataclasses

    from conformance import runner
    from conformance.options import RunOptions
    from conformance.targets import TargetOptions

    made_up = dataclasses.replace(CURRENT, fixed_operations=("SubmitJob", "MadeUpOperation"))
    target = TargetOptions(name="moto", endpoint_url=None, region="us-east-1")
    options = RunOptions(target=target, scope=made_up)
    status, state = runner.run_suite(options, None, [], verbose=False)
    assert status == 2
    assert state is None
    assert "lacks 1 (MadeUpOperation)" in capsys.readouterr().err


def test_an_example_answered_two_ways_keeps_its_first_answer() -> None:
    """Accepted, then refused on hypothesis's replay (the name now exists): the verdict is
    the first answer's failure, with the example, without the replay's notes."""
    from hypothesis.errors import FlakyFailure

    from conformance.generation import first_answer
    from conformance.grading import CaseFailure

    accepted = CaseFailure("accepted (HTTP 200) a request AWS documents as invalid: x")
    flaky = FlakyFailure("unreliable", [accepted])  # type: ignore[no-untyped-call]
    flaky.add_note("Failing test case: refused(request={'jobQueueName': '0'})")
    flaky.add_note("Failed to reproduce exception. Expected: Traceback ...")
    first = first_answer(flaky)
    assert first is accepted
    assert getattr(first, "__notes__", []) == [
        "Failing test case: refused(request={'jobQueueName': '0'})"
    ]


def test_console_names_lacking_operations_once_unless_they_are_news() -> None:
    """The console's one line names the operations not implemented; their findings are not
    listed again one by one, but one the baseline calls new is."""
    from conformance.reports.summary import summary_text

    probe, finding = _cancel_jobs_lacking(
        "CancelJobs is not implemented by this endpoint (HTTP 404)"
    )
    text = summary_text(_run("current", [finding], [probe]))
    assert "1 operations are not implemented" in text
    assert "; 1 of them are the operations not implemented, named above:" in text
    assert "FAILED CancelJobs.implemented#not-implemented" not in text
    probe.baseline = "new"
    listed = summary_text(_run("current", [finding], [probe])).split("deviation across", 1)[1]
    assert "CancelJobs.implemented#not-implemented [must]" in listed


@pytest.mark.parametrize("learns", [True, False], ids=["emulator", "aws"])
def test_waits_shorten_after_a_miss_on_an_emulator_never_on_aws(learns: bool) -> None:
    """A read that ran out, none ever late: an emulator's later reads wait 2 s; AWS's keep
    the full wait (one deviation must not shorten the wait for what AWS shows late)."""
    seen = Consistency(learns=learns)
    assert seen.wait_s(20.0) == 20.0
    seen.learn(Waited(None, done=False, waited=True))
    assert seen.wait_s(20.0) == (SHORT_WAIT_S if learns else 20.0)
    seen.learn(Waited(None, done=True, waited=True))  # once a wait paid off, all are full
    assert seen.wait_s(20.0) == 20.0
