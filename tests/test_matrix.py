"""The committed compatibility matrix: each divergence of moto and ministack shows in its row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.reports.compare import build_matrix
from conformance.reports.matrix_render import render_markdown
from conformance.results import RunResult, load_report

LATEST = Path(__file__).resolve().parent.parent / "reports" / "latest"
TARGETS = ("moto", "moto-server", "ministack")


@pytest.fixture(scope="module")
def runs() -> list[RunResult]:
    """The committed reports of the three targets."""
    return [load_report(LATEST / target / "report.json") for target in TARGETS]


def test_every_case_divergence_is_a_disagreeing_row(runs: list[RunResult]) -> None:
    """A case whose outcome differs between moto and ministack is a disagreeing row."""
    matrix = build_matrix(runs, list(TARGETS))
    rows = {row.id: row for row in matrix.cases}
    moto = {r.id: r.outcome for r in runs[0].results}
    ministack = {r.id: r.outcome for r in runs[2].results}
    diverging = {case for case in moto if moto[case] != ministack.get(case)}
    assert diverging, "the committed runs show no divergence at all"
    for case in diverging:
        assert rows[case].disagrees, case
        assert rows[case].cells[0] != rows[case].cells[2]
    agreeing = [row for row in matrix.cases if not row.disagrees]
    first_agreeing = matrix.cases.index(agreeing[0]) if agreeing else len(matrix.cases)
    assert all(row.disagrees for row in matrix.cases[:first_agreeing])


@pytest.mark.parametrize(
    ("rule", "moto", "ministack"),
    [
        ("SubmitJob.behaviour.parameters", "pass", "fail"),
        ("RegisterJobDefinition.containerProperties.vcpus.minimum", "pass", "fail"),
        ("DescribeJobDefinitions.behaviour.status-filter", "pass", "error"),
        # moto answers a SubmitJob without jobDefinition with HTTP 500: an error, not hidden
        ("SubmitJob.required", "fail 1 · error 1 /4", "fail 2/4"),
    ],
)
def test_known_divergences_in_their_rule_rows(
    runs: list[RunResult], rule: str, moto: str, ministack: str
) -> None:
    """Known differences between moto and ministack read as such in the rules section."""
    matrix = build_matrix(runs, list(TARGETS))
    row = next(r for r in matrix.rules if r.id == rule)
    assert row.disagrees
    assert row.cells[0].startswith(moto)
    assert row.cells[2].startswith(ministack)
    assert f"| {rule} |" in render_markdown(matrix)


def test_committed_matrix_is_current(runs: list[RunResult]) -> None:
    """reports/matrix/matrix.md is what `compare` makes of the committed reports."""
    matrix_md = LATEST.parent / "matrix" / "matrix.md"
    committed = matrix_md.read_text(encoding="utf-8")
    labels = [
        json.loads((LATEST / t / "report.json").read_text())["target"]["name"] for t in TARGETS
    ]
    assert labels == list(TARGETS)
    assert committed == render_markdown(build_matrix(runs, None))


def test_committed_matrix_states_versions_and_dates(runs: list[RunResult]) -> None:
    """Each column names its target's version and botocore; each run its date; a legend."""
    committed = (LATEST.parent / "matrix" / "matrix.md").read_text(encoding="utf-8")
    for run in runs:
        assert run.target.version, run.target.name
        label = f"{run.target.name} {run.target.version} (botocore {run.sdk['botocore']})"
        assert f"| {label} | {run.target.name} | {run.target.version} |" in committed
        assert run.started_at[:10] in committed
    for section in ("## Targets", "## Per operation", "## Legend", "## Rules", "## Cases"):
        assert section in committed


def test_committed_current_matrix_covers_every_operation() -> None:
    """reports/matrix/current/ is `compare` of the committed current-scope runs, with a row
    for every operation of today's model on each of the three targets."""
    from conformance.scopes import CURRENT

    current = [load_report(LATEST / "current" / target / "report.json") for target in TARGETS]
    assert {run.scope for run in current} == {"current"}
    matrix = build_matrix(current, None)
    committed = (LATEST.parent / "matrix" / "current" / "matrix.md").read_text(encoding="utf-8")
    assert committed == render_markdown(matrix)
    rows = {row.id: row for row in matrix.operations}
    for operation in CURRENT.operations:
        assert operation in rows, operation
        assert all(cell != "—" for cell in rows[operation].cells), operation
