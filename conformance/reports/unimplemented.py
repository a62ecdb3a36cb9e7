"""The operations an endpoint does not implement (current scope): which, and in words.

Each is one finding (`<Operation>.implemented#not-implemented`) that the reports name once,
in one paragraph, and not again as a row (`listed`) unless the baseline calls it news.
"""

from __future__ import annotations

from conformance.reports.evidence import FindingView
from conformance.results import RunResult

IMPLEMENTED = ".implemented"  # the rule of each operation's probe (where the scope has one)
NOT_IMPLEMENTED_FINDING = f"{IMPLEMENTED}#not-implemented"
NOT_IMPLEMENTED = "not implemented"  # what the matrix shows for such an operation


def probed_operations(run: RunResult) -> set[str]:
    """The operations whose implementation the run probed (none in the seed scope)."""
    return {
        r.operation for r in run.results if (r.rule or "").endswith(IMPLEMENTED) and r.operation
    }


def lacking_operations(run: RunResult) -> set[str]:
    """The operations the target answered as not implemented (one finding each)."""
    return {f.operation or f.rule for f in run.findings if f.id.endswith(NOT_IMPLEMENTED_FINDING)}


def not_implemented_text(run: RunResult) -> str | None:
    """`3 of 48 operations are not implemented: CancelJobs, ...` (current scope), or None."""
    lacking = sorted(lacking_operations(run))
    if not lacking:
        return None
    probes = len(probed_operations(run))
    of = f" of {probes}" if probes else ""
    return (
        f"{len(lacking)}{of} operations are not implemented (one finding each; their other"
        f" cases are skipped): {', '.join(lacking)}"
    )


def listed(views: list[FindingView]) -> list[FindingView]:
    """The findings the reports list one by one: not an operation's not-implemented one
    (the paragraph names it), unless the baseline calls a case of it new or changed."""
    return [
        view
        for view in views
        if not view.finding.id.endswith(NOT_IMPLEMENTED_FINDING)
        or any(case.baseline in {"new", "changed"} for case in view.cases)
    ]


def listed_title(views: list[FindingView]) -> str:
    """`Findings (119)`, or `Findings (95 of 119; the other 24: operations not implemented,
    named above)`."""
    shown = len(listed(views))
    if shown == len(views):
        return f"Findings ({shown:,})"
    named = len(views) - shown
    return (
        f"Findings ({shown:,} of {len(views):,}; the other {named:,}: operations not"
        " implemented, named above)"
    )


def unlisted_note(views: list[FindingView]) -> str | None:
    """`24 of them are the operations not implemented, named above`, or None."""
    named = len(views) - len(listed(views))
    if not named:
        return None
    return f"{named:,} of them are the operations not implemented, named above"
