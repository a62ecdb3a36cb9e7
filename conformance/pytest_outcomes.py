"""pytest's own outcomes in plugin mode, as the suite's gate sees each case.

pytest counts and colours what it is told; the gate (`conformance.gate`) decides the run.
So that the two agree, each case's deciding report is told its standing:

- a known deviation (the baseline lists the failure or error as it stands): `xfailed`,
  reason `known deviation: <the entry's reason>`;
- a warning (a failed case of a `should` rule, without --batch-strict): `xfailed`, reason
  `warning (should rule, fails the run only with --batch-strict): <message>`;
- fixed (the baseline lists it, it passes now): `xpassed`; with --batch-strict-baseline
  it fails, `[XPASS(strict)]`, as the gate does;
- new or changed: failed (or error) as pytest had it; a change says what changed.

This is pytest's own vocabulary for a known bug (`xfail`: ran, failed, expected to).
Reports are told as they are made, from the case's own result; at the end of the run the
gate's final marks (a rule entry is fixed only once none of its cases fails; response
structure judged over the whole run) settle any report that was told otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from conformance.baseline import Baseline, BaselineError, load_baseline, mark
from conformance.case_record import CaseRecord
from conformance.findings import find
from conformance.gate import Standing, standing
from conformance.options import RunOptions
from conformance.results import CaseResult, RunResult

SECTION = "batch-conformance baseline"


@dataclass
class Told:
    """A case's deciding report, the standing it was told, and what pytest had made of it."""

    report: pytest.TestReport
    standing: Standing | None
    outcome: str
    wasxfail: str | None


class PytestOutcomes:
    """What each case's deciding report was told, and the means to settle it at the end."""

    def __init__(self, baseline: Baseline | None, strict: bool, strict_baseline: bool) -> None:
        self.baseline = baseline
        self.strict = strict
        self.strict_baseline = strict_baseline
        self.told: dict[str, Told] = {}

    @classmethod
    def of_run(cls, options: RunOptions, case_ids: set[str] | None) -> PytestOutcomes:
        """Outcomes for a run with these options; a broken baseline, or one that names no
        case (`case_ids`: every case collected) or rule of the run, is a pytest usage error
        before anything runs."""
        baseline = None
        if options.baseline is not None:
            from conformance.rulebook import all_rules  # loads every rule: only when needed

            try:
                baseline = load_baseline(options.baseline)
                rules = set(all_rules(options.scope))
                baseline.check_ids(case_ids or set(), rules, options.scope)
            except BaselineError as exc:
                raise pytest.UsageError(str(exc)) from exc
        return cls(baseline, options.strict, options.strict_baseline)

    def tell(self, report: pytest.TestReport, record: CaseRecord) -> None:
        """Give a failed phase, or a passed call, the standing of the case as it is now."""
        if not (report.failed or (report.when == "call" and report.passed)):
            return
        result = record.result()
        find([result], lambda _rule: result.strength)  # its finding ids, for the baseline
        if self.baseline is not None:
            result.baseline, result.baseline_reason = mark(self.baseline, result, None)
        kind = standing(result, self.strict)
        told = Told(report, kind, report.outcome, getattr(report, "wasxfail", None))
        self.told[result.id] = told
        _label(report, result, kind, self.strict_baseline)

    def settle(self, config: pytest.Config, run: RunResult) -> None:
        """Relabel the reports the gate's final marks disagree with (pytest's counts too)."""
        reporter: Any = config.pluginmanager.get_plugin("terminalreporter")
        for result in run.results:
            told = self.told.get(result.id)
            final = standing(result, run.strict)
            if told is None or told.standing == final:
                continue
            report = told.report
            before = _category(config, report)
            report.outcome = told.outcome  # type: ignore[assignment]
            if told.wasxfail is None:
                vars(report).pop("wasxfail", None)
            if final in ("new", "changed") and report.passed:
                report.outcome = "failed"
                report.longrepr = f"judged at the end of the run: {result.message}"
            _label(report, result, final, run.strict_baseline)
            after = _category(config, report)
            if reporter is not None and report in reporter.stats.get(before, []):
                reporter.stats[before].remove(report)
                reporter.stats.setdefault(after, []).append(report)


def _label(
    report: pytest.TestReport, result: CaseResult, kind: Standing | None, strict_baseline: bool
) -> None:
    """Tell one report its standing (see the module's docstring)."""
    if kind in ("known", "warning") and report.failed:
        report.outcome = "skipped"
        if kind == "known":
            reason = f"known deviation: {result.baseline_reason or 'listed in the baseline'}"
        else:
            reason = (
                f"warning (should rule, fails the run only with --batch-strict): {result.message}"
            )
        report.wasxfail = reason
    elif kind == "fixed" and report.passed:
        reason = f"fixed: the baseline lists it ({result.baseline_reason}); remove it"
        if strict_baseline:
            report.outcome = "failed"
            report.longrepr = f"[XPASS(strict)] {reason} (--batch-strict-baseline)"
        else:
            report.wasxfail = reason
    elif kind == "changed" and report.failed:
        report.sections.append((SECTION, f"changed: {result.baseline_reason}"))


def _category(config: pytest.Config, report: pytest.TestReport) -> str:
    """The terminal's category of a report: passed, failed, error, xfailed, xpassed ..."""
    category, _, _ = config.hook.pytest_report_teststatus(report=report, config=config)
    return str(category)
