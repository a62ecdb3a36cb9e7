"""Which cases an id names: `--case` / `--batch-case` and `batch-conformance cases --rule`.

An id is a case id (`request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]`),
a rule id (`SubmitJob.timeout.minimum`: every case of that rule) or a finding id, as the
reports put it first (`SubmitJob.timeout.minimum#refusal-expected`: the cases of its rule).
An id that names nothing is refused in one line with the closest ids there are.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from conformance.targets import UsageError

CLOSEST = 3
LISTING = "`batch-conformance cases` lists them"


def closest(ident: str, known: Iterable[str]) -> list[str]:
    """The ids of `known` that look most like `ident` (at most CLOSEST, best first)."""
    return difflib.get_close_matches(ident, sorted(set(known)), n=CLOSEST, cutoff=0.5)


def unknown(what: str, ident: str, known: Iterable[str]) -> UsageError:
    """`no case, rule or finding has the id 'X'; closest: 'a', 'b'` as one line."""
    near = closest(ident, known)
    hint = f"closest: {', '.join(repr(n) for n in near)}" if near else LISTING
    return UsageError(f"no {what} has the id {ident!r}; {hint}")


def choose(wanted: Sequence[str], cases: Sequence[tuple[str, str | None]]) -> set[str]:
    """The case ids that `wanted` names among `cases` ((case id, rule id) pairs).

    Raises UsageError naming the first id that names no case, rule or finding's rule.
    """
    by_rule: dict[str, set[str]] = {}
    for case, rule in cases:
        by_rule.setdefault(rule or "", set()).add(case)
    case_ids = {case for case, _ in cases}
    chosen: set[str] = set()
    for ident in wanted:
        rule = ident.split("#", 1)[0]  # a finding id names the cases of its rule
        if ident in case_ids:
            chosen.add(ident)
        elif rule and rule in by_rule:
            chosen |= by_rule[rule]
        else:
            raise unknown("case, rule or finding", ident, [*case_ids, *by_rule])
    return chosen
