"""The three questions a user asks of an endpoint, per operation, and in one line per target.

Will my valid Batch code behave here as on AWS? That is three questions, answered apart:
- valid calls: accepted, answers complete and correct, behaviour as documented;
- invalid input: refused as AWS refuses it (a case that expects a refusal grades it);
- job lifecycle: modelled by the endpoint (jobs run, time out, retry, wait), or not testable.

A finding answers the invalid-input question when what broke is a refusal (the request was
accepted, or refused with the wrong status, code or message); every other finding, a
no-result included, answers the valid-calls one, under the operation whose answer was
wrong. must and should findings are counted apart: a should finding is a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from conformance.findings import REFUSAL_CHECKS
from conformance.reports import unimplemented
from conformance.results import CaseResult, Finding, RunResult

INVALID_INPUT = ("refusal-expected", "refused-badly")
NONE = "—"
NOT_RUN = "not run"
LIFECYCLE_UNKNOWN = "not recorded"


def is_invalid_input(finding: Finding) -> bool:
    """Does this finding say the endpoint does not refuse as AWS does?"""
    return finding.what.startswith(INVALID_INPUT)


def expects_refusal(result: CaseResult) -> bool:
    """Did the case send a request AWS refuses (its refusal was graded)?"""
    return any(check.name == REFUSAL_CHECKS[0] for check in result.checks)


@dataclass(frozen=True)
class Tally:
    """Findings of one question, must and should apart."""

    must: int = 0
    should: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Tally:
        """Count `findings` by strength."""
        found = list(findings)
        should = sum(1 for f in found if f.strength == "should")
        return cls(len(found) - should, should)

    @property
    def total(self) -> int:
        """must and should together."""
        return self.must + self.should

    def text(self) -> str:
        """`2 must · 1 should`."""
        parts = [f"{n} {kind}" for n, kind in ((self.must, "must"), (self.should, "should")) if n]
        return " · ".join(parts)


def _of_operation(run: RunResult, operation: str) -> list[Finding]:
    return [f for f in run.findings if f.operation == operation]


def valid_cell(run: RunResult, operation: str) -> str:
    """`as AWS`, `deviates: 2 must · 1 should`, `not implemented`, `not run`."""
    if operation in unimplemented.lacking_operations(run):
        return unimplemented.NOT_IMPLEMENTED
    ran = [
        r
        for r in run.results
        if r.operation == operation and r.outcome != "skipped" and not expects_refusal(r)
    ]
    found = Tally.of(f for f in _of_operation(run, operation) if not is_invalid_input(f))
    if found.total:
        return f"deviates: {found.text()}"
    return "as AWS" if ran else NOT_RUN


def invalid_cell(run: RunResult, operation: str) -> str:
    """`refused as AWS`, `not refused: 3 must · 1 should`, `—` (no such case)."""
    if operation in unimplemented.lacking_operations(run):
        return unimplemented.NOT_IMPLEMENTED
    graded = [r for r in run.results if r.operation == operation and expects_refusal(r)]
    found = Tally.of(f for f in _of_operation(run, operation) if is_invalid_input(f))
    if found.total:
        return f"not refused: {found.text()}"
    return "refused as AWS" if graded else NONE


def lifecycle_text(run: RunResult) -> str:
    """What the run decided of the job lifecycle (`modelled`, `not modelled: ...`)."""
    return run.lifecycle or LIFECYCLE_UNKNOWN


def target_line(run: RunResult) -> str:
    """Will valid Batch code work here? `valid calls: 19 of 24 implemented operations behave
    as AWS; 5 deviate (...); invalid input: accepts 28 kinds of request AWS refuses; job
    lifecycle: not modelled`."""
    operations = sorted({r.operation for r in run.results if r.operation})
    implemented = [op for op in operations if op not in unimplemented.lacking_operations(run)]
    deviate = [op for op in implemented if valid_cell(run, op).startswith("deviates")]
    shown = ", ".join(deviate[:6]) + (", …" if len(deviate) > 6 else "")
    valid = (
        f"valid calls: {len(implemented) - len(deviate)} of {len(implemented)} implemented"
        f" operations behave as AWS" + (f"; {len(deviate)} deviate ({shown})" if deviate else "")
    )
    accepts = Tally.of(f for f in run.findings if f.what.startswith(INVALID_INPUT[0]))
    badly = Tally.of(f for f in run.findings if f.what.startswith(INVALID_INPUT[1]))
    said = [
        f"{verb} {tally.total} kinds of request AWS refuses ({tally.text()})"
        for verb, tally in (("accepts", accepts), ("refuses badly", badly))
        if tally.total
    ]
    refusals = "; ".join(said) or "refused as AWS"
    return f"{valid}; invalid input: {refusals}; job lifecycle: {lifecycle_text(run)}"
