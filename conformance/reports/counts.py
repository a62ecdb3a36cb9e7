"""The run's counts in words, each on a basis it names: deviations (findings) or cases.

A deviation is a finding: one rule and what broke, shown by one or more failing cases. So
"6 of the deviations are warnings" and "7 of the 50 failing cases are warnings" are both
true of one run; every format says both in these words, and nothing else.
"""

from __future__ import annotations

from conformance.reports.evidence import failing, findings, warning
from conformance.results import CaseResult, RunResult

NO_DEVIATIONS = "No deviations"


def headline(run: RunResult) -> str:
    """`34 deviations across 50 failing cases (6 of the deviations are warnings, 2 known)`."""
    views = findings(run)
    if not views:
        return NO_DEVIATIONS
    text = f"{count(len(views), 'deviation')} across {count(len(failing(run)), 'failing case')}"
    extra = []
    if warnings := sum(1 for v in views if v.warning and not v.known):
        are = "is a warning" if warnings == 1 else "are warnings"
        extra.append(f"{warnings:,} of the deviations {are}")
    known = sum(1 for v in views if v.known)
    if known and known == len(views):
        extra.append("all known: nothing new")
    elif known:
        extra.append(f"{known:,} known")
    return f"{text} ({', '.join(extra)})" if extra else text


def warning_cases(run: RunResult) -> list[CaseResult]:
    """The failing cases that are warnings (of `should` rules, not --strict), known ones aside
    as in `headline`."""
    return [r for r in failing(run) if warning(run, r) and r.baseline != "known"]


def cases_note(run: RunResult) -> str:
    """`7 of the 50 failing cases are warnings (should rules: ...)`: the same, per case."""
    cases = len(failing(run))
    if not cases:
        return "no failing case"
    if run.strict:
        should = sum(1 for r in failing(run) if r.outcome == "failed" and r.strength == "should")
        return (
            f"{should:,} of the {count(cases, 'failing case')} are of should rules,"
            " failing this run (--strict)"
        )
    warnings = len(warning_cases(run))
    if not warnings:
        return "no failing case is a warning"
    are = "is a warning" if warnings == 1 else "are warnings"
    return (
        f"{warnings:,} of the {count(cases, 'failing case')} {are}"
        " (should rules: they fail a run only with --strict)"
    )


def count(number: int, noun: str) -> str:
    """`1 case`, `2 cases`, `1,204 cases`."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
