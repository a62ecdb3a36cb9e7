"""The matrix's vocabulary: what its cells say beside outcomes, and the legend that says
what each means (`conformance.reports.compare` lays the matrix out)."""

from __future__ import annotations

from conformance.lifecycle import NOT_TESTABLE
from conformance.reports import unimplemented
from conformance.results import CaseResult

__all__ = ["ABSENT", "LEGEND", "LIFECYCLE_ROW", "NOT_IMPLEMENTED", "NOT_TESTABLE"]
ABSENT = "—"
NOT_IMPLEMENTED = unimplemented.NOT_IMPLEMENTED
LIFECYCLE_ROW = "job lifecycle"
DISAGREE = "≠"
LEGEND = (
    ("pass n/n", "every case of the rule that ran passed (skipped cases are not counted)"),
    ("fail f/n", "f of the n cases that ran failed: the endpoint misbehaved"),
    (
        "error e/n",
        "e of the n cases that ran gave no usable result (unreachable, a crash, HTML or"
        " garbage, a job that never settled); an error is never a pass",
    ),
    ("fail f · error e /n", "f cases failed and e errored, of the n that ran"),
    ("skip, skipped", "the case did not run on that target (all of the rule's cases, for a rule)"),
    (ABSENT, "the target's report has no such rule or case"),
    (
        NOT_IMPLEMENTED,
        "the target answers the operation with 'not implemented' (404, 501 or such a code):"
        " one finding, and its other cases are skipped",
    ),
    (DISAGREE, "the targets disagree on this row (rows that disagree come first)"),
    ("as AWS", "valid calls of the operation were accepted and answered as AWS documents"),
    (
        "deviates: m must · s should",
        "findings about valid calls (refused, answered wrong, behaved otherwise, no result),"
        " filed under the operation whose answer was wrong; should findings are warnings",
    ),
    (
        "refused as AWS",
        "every request AWS refuses that the run sent was refused: 400 ClientException",
    ),
    (
        "not refused: m must · s should",
        "kinds of request AWS refuses that the endpoint accepted or refused otherwise",
    ),
    ("not run", "no case of the question ran on that target (skipped or none)"),
    ("must", "a rule AWS documents and nothing public contradicts: a failure fails the run"),
    (
        "should",
        "AWS has been seen not to enforce the rule, or the evidence conflicts: a failure is a"
        " warning, and fails the run only with --strict",
    ),
    (
        "findings",
        "distinct deviations (a rule and what broke); many failing cases can show one finding",
    ),
)
# Said only where a matrix shows them (reports written before the job lifecycle have none).
LIFECYCLE_LEGEND = (
    (
        NOT_TESTABLE,
        "the case needs jobs that run as their command says (timeouts, retries, dependencies,"
        " the termination of a running job), and this target does not run them: see its"
        " job lifecycle row; it is neither passed nor failed",
    ),
    (
        LIFECYCLE_ROW,
        "does the target run jobs as AWS does? Decided once per run by a job whose command"
        " sleeps: modelled, not modelled (jobs complete at submission) or not testable (the"
        " run's queue runs no job)",
    ),
)


def legend(cells: set[str]) -> tuple[tuple[str, str], ...]:
    """The legend of a matrix whose cells are `cells` (its lifecycle terms, after the
    outcomes, where it shows them)."""
    if LIFECYCLE_ROW not in cells and NOT_TESTABLE not in cells:
        return LEGEND
    at = [term for term, _ in LEGEND].index(DISAGREE)
    return LEGEND[:at] + LIFECYCLE_LEGEND + LEGEND[at:]


def not_testable(case: CaseResult) -> bool:
    """Was the case skipped because the target does not run jobs as AWS does?"""
    return case.outcome == "skipped" and case.message.startswith(NOT_TESTABLE)
