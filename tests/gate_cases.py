"""The cases, baselines and regressions the gate's tests run with, and what a green gate is."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import report

ROOT = Path(__file__).resolve().parent.parent
MOTO_BASELINE = ROOT / "reports" / "baselines" / "moto.json"
FAILING = "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]"
PASSING = "request_limits::test_limit[SubmitJob.timeout.minimum:inside:60]"


def write_baseline(path: Path, entries: list[dict[str, str]]) -> Path:
    """A JSON baseline file."""
    path.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    return path


REGRESSION = FAILING  # a must rule: one new failure
SHOULD_REGRESSIONS = (  # a should rule: two new warnings
    "request_limits::test_limit[RegisterJobDefinition.containerProperties.image.charset:outside:space]",
    "request_limits::test_limit[RegisterJobDefinition.containerProperties.image.charset:outside:bang]",
)
STILL_KNOWN = (
    "request_limits::test_limit[SubmitJob.jobName.length:outside:129chars]",  # must
    "request_limits::test_limit[SubmitJob.dependsOn.type.enum:outside:BOGUS]",  # should
)
GATE_CASES = (REGRESSION, *SHOULD_REGRESSIONS, *STILL_KNOWN, PASSING)


def regressed_baseline(path: Path) -> Path:
    """moto's committed baseline without the entries of the regressions, and an entry for
    PASSING (so it is fixed): one new failure, two new warnings, one fixed."""
    doc = json.loads(MOTO_BASELINE.read_text(encoding="utf-8"))
    dropped = {REGRESSION, *SHOULD_REGRESSIONS}
    assert dropped | set(STILL_KNOWN) <= {e.get("case") for e in doc["entries"]}
    doc["entries"] = [e for e in doc["entries"] if e.get("case") not in dropped]
    doc["entries"].append({"case": PASSING, "expected": "failed", "reason": "listed by the test"})
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def committed_baseline(scope: str, target: str) -> Path:
    """The committed baseline of `target` in `scope` (what tox's gates used)."""
    folder = ROOT / "reports" / "baselines"
    return (folder / "current" if scope == "current" else folder) / f"{target}.json"


def assert_gate_green(code: int, output: str, folder: Path) -> None:
    """A gated run: exit 0; failures known to the baseline, none new or changed."""
    assert code == 0, output
    results = report(folder)["results"]
    assert any(r["baseline"] == "known" for r in results), "the baseline names nothing"
    assert not [r["id"] for r in results if r["baseline"] in ("new", "changed")]
