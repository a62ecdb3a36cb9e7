"""One case's evidence, in one place: exchanges, checks, notes, observations, phases, timing.

The pytest hooks only hand pytest's reports to a `CaseRecord`; the record classifies them
and builds the `CaseResult` (see `result()`), which is the only thing that leaves the
process that ran the case (as a plain dict, also across pytest-xdist workers).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from conformance.calls import EndpointUnusable
from conformance.errors import TargetError
from conformance.results import CaseResult, Check, Exchange, Observation, Outcome, Strength

MAX_EXCHANGES_KEPT = 6
EXAMPLE_LIMIT = 2000


class SuiteDefect(Exception):
    """The suite itself is wrong (it would send what AWS documents as invalid): an error."""


@dataclass
class Phase:
    """How one of setup, call, teardown ended."""

    outcome: Outcome
    message: str = ""


@dataclass
class CaseRecord:
    """Everything one case gathers, from its first call to its result."""

    case_id: str = ""
    index: int = 0
    rule: str | None = None
    operation: str | None = None
    strength: Strength = "must"
    t0: float = field(default_factory=time.perf_counter)
    exchanges: list[Exchange] = field(default_factory=list)
    total_exchanges: int = 0
    call_s: float = 0.0
    retries: int = 0
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    observed: list[Observation] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    example: str | None = None
    schema_path: str | None = None
    answered: set[str] = field(default_factory=set)  # operations with an accepted answer read
    judged_by: str | None = None  # the rule a failure names, when not the case's own

    def add_exchange(self, exchange: Exchange) -> None:
        """Keep the last few exchanges; count all of them, their time and their retries."""
        self.total_exchanges += 1
        self.call_s += exchange.duration_s
        self.retries += exchange.retries
        self.exchanges.append(exchange)
        if len(self.exchanges) > MAX_EXCHANGES_KEPT:
            del self.exchanges[0]

    def add_checks(self, checks: list[Check]) -> None:
        """Graded checks; one entry per distinct (name, passed, detail). A check that does not
        say whose answer it judged judged the last one the case read."""
        known = {(c.name, c.passed, c.detail) for c in self.checks}
        last = self.exchanges[-1].operation if self.exchanges else None
        for check in checks:
            if (check.name, check.passed, check.detail) not in known:
                known.add((check.name, check.passed, check.detail))
                judged = check.operation or last
                self.checks.append(dataclasses.replace(check, operation=judged))

    def add_notes(self, notes: list[str]) -> None:
        """Notes on the evidence (e.g. nulls where AWS omits a member), each once."""
        self.notes.extend(n for n in notes if n not in self.notes)

    def add_observations(self, found: list[Observation]) -> list[Observation]:
        """Response violations seen here, judged by their own rule; returns the new ones."""
        seen = {(o.rule, o.where, o.message) for o in self.observed}
        new: list[Observation] = []
        for item in found:
            if (item.rule, item.where, item.message) not in seen:
                seen.add((item.rule, item.where, item.message))
                item.case = self.case_id
                self.observed.append(item)
                new.append(item)
        return new

    def add_phase(self, report: pytest.TestReport, exc: BaseException | None) -> None:
        """Classify how a phase ended (failed: the endpoint misbehaved; error: no result)."""
        if report.passed:
            self.phases.append(Phase("passed"))
            return
        if report.skipped:
            self.phases.append(Phase("skipped", _skip_reason(report)))
            return
        outcome, message = classify(exc, report)
        self.phases.append(Phase(outcome, message))
        failure_checks = getattr(exc, "checks", None)
        if isinstance(failure_checks, list):
            self.add_checks(failure_checks)
        self.schema_path = getattr(exc, "schema_path", None) or self.schema_path
        self._judge_by(getattr(exc, "rule", None), getattr(exc, "strength", None))
        notes = getattr(exc, "__notes__", None)
        if notes and self.example is None:
            self.example = "\n".join(str(n) for n in notes)[:EXAMPLE_LIMIT]

    def _judge_by(self, rule: str | None, strength: Strength | None) -> None:
        """A failure that names another rule than the case's (a generated request that broke
        one limit) is judged by that rule: at its strength, as its finding."""
        if rule and rule != self.rule:
            self.judged_by = rule
            self.strength = strength or self.strength

    def outcome(self) -> tuple[Outcome, str]:
        """The case's outcome: an error beats a failure beats a skip beats a pass."""
        order: dict[Outcome, int] = {"error": 3, "failed": 2, "skipped": 1, "passed": 0}
        worst = Phase("passed")
        for phase in self.phases:
            if order[phase.outcome] > order[worst.outcome]:
                worst = phase
        return worst.outcome, worst.message

    def result(self) -> CaseResult:
        """The CaseResult of this case."""
        outcome, message = self.outcome()
        return CaseResult(
            id=self.case_id,
            outcome=outcome,
            rule=self.rule,
            operation=self.operation,
            message=message,
            duration_s=time.perf_counter() - self.t0,
            call_s=self.call_s,
            checks=list(self.checks),
            exchanges=list(self.exchanges),
            schema_path=self.schema_path,
            example=self.example,
            strength=self.strength,
            retries=self.retries,
            notes=list(self.notes),
            observed=list(self.observed),
            answered=sorted(self.answered),
            judged_by=self.judged_by,
        )


def classify(exc: BaseException | None, report: pytest.TestReport) -> tuple[Outcome, str]:
    """failed (the endpoint misbehaved) or error (no usable result), with one line."""
    if isinstance(exc, EndpointUnusable | TargetError):
        return "error", str(exc)
    if isinstance(exc, SuiteDefect):
        return "error", f"suite defect: {exc}"
    if isinstance(exc, AssertionError):
        text = str(exc).strip().splitlines()
        return "failed", text[0] if text else "assertion failed"
    if exc is not None:
        return "error", f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    return "error", str(report.longreprtext).strip().splitlines()[-1][:300]


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr: Any = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return "skipped"
