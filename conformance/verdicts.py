"""One fault, one verdict: a response violation is judged by the rule it breaks.

Any case may read a broken answer (a lookup reads DescribeJobDefinitions, a round trip reads
DescribeJobs). What it saw is an `Observation`; the case's own verdict judges only its own
rule. At the end of a run every observation is handed to the case that judges the rule it
breaks (the judges are named by the cases themselves, see `conformance.plugin`): the case
of a response rule, else the operation's response-structure case. That case fails once per
distinct (rule, JSON path), naming the cases that saw it. If the run did not select that
case, its result is added, so that a deviation seen is never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

from conformance.answer_check import STRUCTURE, structure_rule
from conformance.results import CaseResult, Check, Observation, RuleInfo, Strength

NAMED_CASES = 5
UNJUDGED = "judged::{rule}"  # the id of a verdict no collected case gives


def owner_case(observation: Observation, judges: Mapping[str, str]) -> str:
    """The id of the case that judges this observation's rule (rule id -> case id): its
    own, else its operation's response structure's."""
    for rule in (observation.rule, structure_rule(observation.operation)):
        if rule in judges:
            return judges[rule]
    return UNJUDGED.format(rule=observation.rule)


def strength_of(rules: Mapping[str, RuleInfo], rule_id: str | None) -> Strength:
    """A rule's strength (`must` when the rule is unknown)."""
    info = rules.get(rule_id or "")
    return cast(Strength, getattr(info, "strength", "must"))


def _cases_text(cases: list[str]) -> str:
    shown = ", ".join(cases[:NAMED_CASES])
    more = f" and {len(cases) - NAMED_CASES} more" if len(cases) > NAMED_CASES else ""
    return f"seen by {len(cases)} case{'s' if len(cases) > 1 else ''}: {shown}{more}"


def _detail(where: str, seen: list[Observation]) -> str:
    cases = sorted({s.case for s in seen})
    return f"{where}: {seen[0].message} ({_cases_text(cases)})"


def judge(rule: str, observations: list[Observation]) -> list[Check]:
    """One failed `response-schema` check per JSON path where `rule` was broken."""
    by_where: dict[str, list[Observation]] = {}
    for item in observations:
        if item.rule == rule:
            by_where.setdefault(item.where, []).append(item)
    return [
        Check("response-schema", False, _detail(where, seen))
        for where, seen in sorted(by_where.items())
    ]


NO_ANSWER = "no accepted answer of "


def fold_answered(results: list[CaseResult]) -> list[CaseResult]:
    """Structure and response-rule cases judged over the whole run's answers (in place;
    returned).

    Such a case skips when its process read no accepted answer of its operation; with
    workers, another process may have: then it stands as judged (passed, unless an
    observation folded in fails it). One that passed with no answer anywhere is skipped.
    """
    answered = {op for result in results for op in result.answered}
    for result in results:
        operation = result.operation or ""
        rule = result.rule or ""
        if f"{operation}.response." not in rule:  # the judges of answers: structure, rules
            continue
        if result.outcome == "skipped" and result.message.startswith(NO_ANSWER):
            if operation in answered:
                result.outcome, result.message = "passed", ""
        elif result.outcome == "passed" and operation not in answered:
            what = "its structure" if rule.endswith(f".{STRUCTURE}") else f"rule {rule}"
            result.outcome = "skipped"
            result.message = f"{NO_ANSWER}{operation} in this run: {what} is not judged"
    return results


def fold_observations(
    results: list[CaseResult], strength: Callable[[str], Strength], judges: Mapping[str, str]
) -> list[CaseResult]:
    """`results` with every observation judged by its rule's case (in place; returned);
    `judges`: which case judges each rule, by rule id."""
    groups: dict[tuple[str, str, str], list[Observation]] = {}
    for result in results:
        for item in result.observed:
            item.case = item.case or result.id
            groups.setdefault((owner_case(item, judges), item.rule, item.where), []).append(item)
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
        detail = _detail(where, seen)
        judged = [c for c in owner.checks if c.name == "response-schema" and not c.passed]
        owner.checks = [c for c in owner.checks if not c.detail.startswith(f"{where}: ")]
        owner.checks.append(Check("response-schema", False, detail))  # with every case now
        owner.seen_by = sorted({*owner.seen_by, *cases})
        if any(c.detail.startswith(f"{where}: ") for c in judged):
            continue  # the case already failed on it while it ran
        if first not in owner.observed:
            owner.observed.append(first)
        if owner.outcome in {"passed", "skipped"}:
            owner.outcome = "failed"
            owner.schema_path = first.path
            owner.message = f"{first.operation} answer at {where}: {first.message}"
        elif owner.outcome == "failed" and "more response deviation" not in owner.message:
            owner.message += " (and more response deviations: see checks)"
    return results
