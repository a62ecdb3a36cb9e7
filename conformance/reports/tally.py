"""The run's counts in words, each on one basis: findings (distinct deviations) or cases."""

from __future__ import annotations

from conformance.reports.evidence import failing, findings
from conformance.results import RunResult


def headline(run: RunResult) -> str:
    """`34 deviations across 50 failing cases (6 of them warnings, 2 known)`."""
    views = findings(run)
    cases = len(failing(run))
    text = f"{_count(len(views), 'deviation')} across {_count(cases, 'failing case')}"
    extra = []
    if warnings := sum(1 for v in views if v.warning and not v.known):
        extra.append(f"{warnings:,} of them " + ("a warning" if warnings == 1 else "warnings"))
    known = sum(1 for v in views if v.known)
    if known and known == len(views):
        extra.append("all known: nothing new")
    elif known:
        extra.append(f"{known:,} known")
    return f"{text} ({', '.join(extra)})" if extra else text


def tally_note(run: RunResult) -> str:
    """What the run's warning count means: `7 of the failures are warnings of should rules…`."""
    warnings = run.summary["warnings"]
    if run.strict:
        return f"{warnings:,} of the failures are of should rules, failing this run (--strict)"
    return (
        f"{warnings:,} of the failures are warnings of should rules,"
        " failing a run only with --strict"
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
