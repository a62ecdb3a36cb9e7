"""One fault, one verdict: a response violation is judged by the rule it breaks.

Any case may read a broken answer (a lookup reads DescribeJobDefinitions, a round trip reads
DescribeJobs). What it saw is an `Observation`; the case's own verdict judges only its own
rule. At the end of a run every observation is handed to the case of the rule it breaks:
`responses::test_response_rule[<rule>]` for a response rule, else
`responses::test_response_structure[<Operation>]`. That case fails once per distinct
(rule, JSON path), naming the cases that saw it. If the run did not select that case, its
result is added, so that a deviation seen is never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

from conformance.answer_check import STRUCTURE
from conformance.results import CaseResult, Check, Observation, RuleInfo, Strength

RULE_CASE = "responses::test_response_rule[{rule}]"
STRUCTURE_CASE = "responses::test_response_structure[{operation}]"
NAMED_CASES = 5


def owner_case(observation: Observation) -> str:
    """The id of the case that judges this observation's rule."""
    if observation.rule.endswith(f".{STRUCTURE}"):
        return STRUCTURE_CASE.format(operation=observation.operation)
    return RULE_CASE.format(rule=observation.rule)


def strength_of(rules: Mapping[str, RuleInfo], rule_id: str | None) -> Strength:
    """A rule's strength (`must` when the rule is unknown)."""
    info = rules.get(rule_id or "")
    return cast(Strength, getattr(info, "strength", "must"))


def _cases_text(cases: list[str]) -> str:
    shown = ", ".join(cases[:NAMED_CASES])
    more = f" and {len(cases) - NAMED_CASES} more" if len(cases) > NAMED_CASES else ""
    return f"seen by {len(cases)} case{'s' if len(cases) > 1 else ''}: {shown}{more}"


def fold_observations(
    results: list[CaseResult], strength: Callable[[str], Strength]
) -> list[CaseResult]:
    """`results` with every observation judged by its rule's case (in place; returned)."""
    groups: dict[tuple[str, str, str], list[Observation]] = {}
    for result in results:
        for item in result.observed:
            item.case = item.case or result.id
            groups.setdefault((owner_case(item), item.rule, item.where), []).append(item)
    by_id = {r.id: r for r in results}
    for (owner_id, rule, where), seen in sorted(groups.items()):
        first = seen[0]
        owner = by_id.get(owner_id)
        if owner is None:
            owner = CaseResult(
                id=owner_id,
                outcome="passed",
                rule=rule,
                operation=first.operation,
                strength=strength(rule),
            )
            results.append(owner)
            by_id[owner_id] = owner
        cases = sorted({s.case for s in seen})
        detail = f"{where}: {first.message} ({_cases_text(cases)})"
        owner.checks.append(Check("response-schema", False, detail))
        owner.seen_by = sorted({*owner.seen_by, *cases})
        if first not in owner.observed:
            owner.observed.append(first)
        if owner.outcome in {"passed", "skipped"}:
            owner.outcome = "failed"
            owner.schema_path = first.path
            owner.message = f"{first.operation} answer at {where}: {first.message}"
        elif owner.outcome == "failed" and "more response deviation" not in owner.message:
            owner.message += " (and more response deviations: see checks)"
    return results
