"""The gate's verdict in one place: what a run counts as new, changed, fixed and known.

`standing(run, result)` says how one case weighs on the gate; `tally(run)` counts them for
the whole run. The exit status (`run_finish`), the console's last line, report.json's
`gate`, the `Gate` line of report.md and report.html, junit.xml's `gate.*` properties and
pytest's outcomes in plugin mode all read these two, so they cannot disagree.

- `new`: a failure or error no baseline entry covers (every one, without a baseline);
- `changed`: covered, but now another outcome or another finding than the entry says;
- `known`: covered as it stands;
- `fixed`: a covered case that passes now (it fails the gate with --strict-baseline);
- `warning`: a failure of a `should` rule, new or changed, without --strict: shown as a
  new warning, never failing the gate. A listed one is `known`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from conformance.results import CaseResult, RunResult

Standing = Literal["new", "changed", "fixed", "known", "warning"]
STANDINGS: tuple[Standing, ...] = ("new", "changed", "fixed", "known", "warning")
Verdict = Literal["passed", "failed", "no verdict"]


def standing(result: CaseResult, strict: bool) -> Standing | None:
    """How this case weighs on the gate (None: it passed or was skipped, nothing listed)."""
    if result.outcome in ("failed", "error"):
        if result.baseline == "known":
            return "known"
        if not result.blocks(strict):
            return "warning"
        return "changed" if result.baseline == "changed" else "new"
    return "fixed" if result.baseline == "fixed" else None


def by_standing(run: RunResult) -> dict[Standing, list[CaseResult]]:
    """The run's cases by standing, in run order; every standing present."""
    groups: dict[Standing, list[CaseResult]] = {key: [] for key in STANDINGS}
    for result in run.results:
        if (key := standing(result, run.strict)) is not None:
            groups[key].append(result)
    return groups


@dataclass(frozen=True)
class Tally:
    """The gate's counts and verdict for one run."""

    new: int
    changed: int
    fixed: int
    known: int
    warnings: int
    baselined: bool  # a baseline was applied (else every failure is new)
    baseline: str | None  # its file, when the run recorded it
    strict_baseline: bool
    stopped: str | None  # why the run has no verdict: fatal, interrupted

    @property
    def failed(self) -> bool:
        """Does the gate fail: a new or changed failure, or (--strict-baseline) a fixed entry?"""
        return bool(self.new or self.changed or (self.strict_baseline and self.fixed))

    @property
    def verdict(self) -> Verdict:
        """`passed`, `failed`, or `no verdict` (the run stopped before its cases were judged)."""
        if self.stopped:
            return "no verdict"
        return "failed" if self.failed else "passed"

    def counts(self) -> str:
        """`1 new, 0 changed, 2 fixed, 49 known` (and `, 2 new warnings` when there are)."""
        text = f"{self.new} new, {self.changed} changed, {self.fixed} fixed, {self.known} known"
        if self.warnings:
            text += f", {self.warnings} new warning" + ("" if self.warnings == 1 else "s")
        return text

    def text(self) -> str:
        """`FAILED — 1 new, 0 changed, 2 fixed, 49 known (baseline FILE)`: the gate in words."""
        if self.stopped:
            return f"NO VERDICT — {self.stopped}"
        if not self.baselined:
            against = "no baseline: every failure is new"
        else:
            against = f"baseline {self.baseline}" if self.baseline else "baseline"
        if self.strict_baseline:
            against += ", --strict-baseline"
        return f"{self.verdict.upper()} — {self.counts()} ({against})"

    def to_dict(self) -> dict[str, Any]:
        """report.json's `gate`."""
        return {
            "verdict": self.verdict,
            "new": self.new,
            "changed": self.changed,
            "fixed": self.fixed,
            "known": self.known,
            "warnings": self.warnings,
            "baseline": self.baseline,
            "text": self.text(),
        }


def tally(run: RunResult) -> Tally:
    """The gate of a finished run, from its cases' baseline marks and its --strict flags."""
    groups = by_standing(run)
    stopped = None
    if run.fatal:
        stopped = "the run stopped early (see the fatal line): its cases were not judged"
    elif run.interrupted:
        stopped = "the run was interrupted: its cases were not judged"
    return Tally(
        new=len(groups["new"]),
        changed=len(groups["changed"]),
        fixed=len(groups["fixed"]),
        known=len(groups["known"]),
        warnings=len(groups["warning"]),
        baselined=run.baseline is not None or any(r.baseline for r in run.results),
        baseline=run.baseline,
        strict_baseline=run.strict_baseline,
        stopped=stopped,
    )
