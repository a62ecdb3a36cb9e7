"""The CI gates: each target's committed baseline keeps its gate green, in both scopes.

`batch-conformance run --target T --baseline reports/baselines/[current/]T.json` exits 0 on
embedded moto and on ministack (tox ran these after pytest; as tests, xdist runs them beside
the others). The moto server's gates are the whole runs of tests/test_cleanup.py (a fresh
moto server each, which must be left empty too); embedded moto's current-scope gate is the
run tests/test_scope_current.py reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import cli
from tests.gate_cases import assert_gate_green, committed_baseline

GATE_TIMEOUT_S = 900


@pytest.mark.parametrize(
    ("scope", "target"),
    [("seed", "moto"), ("seed", "ministack"), ("current", "ministack")],
)
def test_committed_baseline_keeps_the_gate_green(tmp_path: Path, scope: str, target: str) -> None:
    """The committed baseline covers every deviation of today's target: exit 0."""
    done = cli(
        "run",
        "--scope",
        scope,
        "--target",
        target,
        "--baseline",
        str(committed_baseline(scope, target)),
        "--report-dir",
        str(tmp_path / "r"),
        cwd=tmp_path,
        timeout=GATE_TIMEOUT_S,
    )
    assert_gate_green(done.returncode, done.stdout[-3000:] + done.stderr[-2000:], tmp_path / "r")
