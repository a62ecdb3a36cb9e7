"""Selecting and listing cases: `--case` / `--batch-case` take case, rule and finding ids;
`batch-conformance cases` lists them without an endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.case_select import choose
from conformance.targets import UsageError
from conformance.targets.process import free_port
from tests.cli import cli, plugin, report

RULE = "SubmitJob.jobName.length"
FINDING = f"{RULE}#refusal-expected"
TIMEOUT_59 = "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]"
CASES = [
    (TIMEOUT_59, "SubmitJob.timeout.minimum"),
    (
        "request_limits::test_limit[SubmitJob.timeout.minimum:inside:60]",
        "SubmitJob.timeout.minimum",
    ),
    ("jobs::test_array_job", "SubmitJob.behaviour.array-job"),
]


def listed(tmp_path: Path, *args: str) -> list[dict[str, Any]]:
    """`batch-conformance cases --format json ARGS`: its cases."""
    done = cli("cases", "--format", "json", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    return list(json.loads(done.stdout)["cases"])


def test_choose_takes_case_rule_and_finding_ids() -> None:
    """A case id names itself, a rule id its cases, a finding id its rule's cases."""
    timeout = {CASES[0][0], CASES[1][0]}
    assert choose([TIMEOUT_59], CASES) == {TIMEOUT_59}
    assert choose(["SubmitJob.timeout.minimum"], CASES) == timeout
    assert choose(["SubmitJob.timeout.minimum#refusal-expected"], CASES) == timeout
    assert choose(["jobs::test_array_job", TIMEOUT_59], CASES) == {TIMEOUT_59, CASES[2][0]}


@pytest.mark.parametrize(
    ("ident", "near"),
    [
        ("SubmitJob.timeout.minimun", "'SubmitJob.timeout.minimum'"),
        ("request_limits::test_limit[SubmitJob.timeout.minimum:outside:58]", repr(TIMEOUT_59)),
        ("no.such#thing", "`batch-conformance cases` lists them"),
    ],
)
def test_unknown_id_names_the_closest(ident: str, near: str) -> None:
    """An id that names nothing: one line, with the closest ids there are (or the listing)."""
    with pytest.raises(UsageError) as caught:
        choose([ident], CASES)
    message = str(caught.value)
    assert message.startswith(f"no case, rule or finding has the id {ident!r}; "), message
    assert near in message
    assert "\n" not in message


def test_listing_is_every_case_with_rule_and_strength(tmp_path: Path) -> None:
    """`cases` lists what a run collects, with rule and strength, and filters by rule or
    finding id; the text form ends with the count."""
    every = listed(tmp_path)
    ids = [c["id"] for c in every]
    assert len(ids) == len(set(ids)) > 100
    assert TIMEOUT_59 in ids
    assert all(c["strength"] in {"must", "should"} for c in every)
    assert all(c["rule"] for c in every)
    of_rule = listed(tmp_path, "--rule", RULE)
    assert {c["rule"] for c in of_rule} == {RULE}
    assert of_rule == listed(tmp_path, "--rule", FINDING) == [c for c in every if c["rule"] == RULE]
    current = [c["id"] for c in listed(tmp_path, "--scope", "current")]
    assert "request_limits::test_limit[CreateJobQueue.priority.range:outside:1001]" in current
    text = cli("cases", "--rule", RULE, cwd=tmp_path).stdout.splitlines()
    assert text[-1] == f"{len(of_rule)} cases of 1 rule (scope seed)"
    assert text[0].split() == [of_rule[0]["id"], RULE, of_rule[0]["strength"]]


def test_collect_only_starts_no_endpoint(tmp_path: Path) -> None:
    """`--collect-only` (what `cases` runs) lists the cases without starting the target:
    an endpoint nobody answers at is never called, and no report is written."""
    url = f"http://127.0.0.1:{free_port()}"
    done = plugin("--collect-only", "-q", "--batch-endpoint-url", url, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "test_limit[SubmitJob.timeout.minimum:outside:59]" in done.stdout
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("ident", [RULE, FINDING])
def test_run_case_takes_a_rule_or_finding_id(tmp_path: Path, ident: str) -> None:
    """`run --case <rule id>` (or the finding id the reports put first) runs exactly the
    cases the listing gives for that rule."""
    expected = [c["id"] for c in listed(tmp_path, "--rule", RULE)]
    done = cli("run", "--case", ident, "--report-dir", "r", cwd=tmp_path)
    assert done.returncode in {0, 1}, done.stdout + done.stderr
    assert [r["id"] for r in report(tmp_path / "r")["results"]] == expected


def test_run_unknown_case_says_the_closest_in_one_line(tmp_path: Path) -> None:
    """A mistyped rule id: exit 2, one line naming the closest ids, nothing run."""
    done = cli("run", "--case", "SubmitJob.jobName.lenght", "--report-dir", "r", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert f"closest: {RULE!r}" in lines[0]


def test_plugin_batch_case_takes_a_rule_id(tmp_path: Path) -> None:
    """`pytest --pyargs conformance.cases --batch-case <rule id>` runs that rule's cases."""
    expected = [c["id"] for c in listed(tmp_path, "--rule", RULE)]
    done = plugin("--batch-case", RULE, "--batch-report-dir", "r", cwd=tmp_path)
    assert done.returncode in {0, 1}, done.stdout + done.stderr
    assert [r["id"] for r in report(tmp_path / "r")["results"]] == expected


def test_replay_of_an_unknown_id_names_the_closest(tmp_path: Path) -> None:
    """`replay REPORT <mistyped id>`: exit 2, one line naming the report's closest case ids."""
    recorded = Path(__file__).resolve().parent.parent / "reports/latest/moto/report.json"
    mistyped = TIMEOUT_59.replace(":59]", ":58]")
    done = cli("replay", str(recorded), mistyped, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith(f"batch-conformance: no case of {recorded} has the id {mistyped!r}")
    assert f"closest: {TIMEOUT_59!r}" in line
