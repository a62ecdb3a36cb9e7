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

from collections.abc import Callable, Mapping, Sequence
from typing import cast

from conformance.answer_check import BODY_KEPT, STRUCTURE, structure_rule
from conformance.results import (
    RESPONSE_SCHEMA,
    SERVER_ERROR_RETRIED,
    CaseResult,
    Check,
    Exchange,
    Observation,
    RuleInfo,
    Strength,
)

NAMED_CASES = 5
TRANSIENT_WHERE = "transient-5xx-retried"  # what broke: the finding's key
UNJUDGED = "judged::{rule}"  # the id of a verdict no collected case gives


def owner_case(observation: Observation, judges: Mapping[str, str]) -> str:
    """The id of the case that judges this observation's rule (rule id -> case id): its
    own, else (a response-schema violation) its operation's response structure's."""
    rules = [observation.rule]
    if observation.check == RESPONSE_SCHEMA:
        rules.append(structure_rule(observation.operation))
    for rule in rules:
        if rule in judges:
            return judges[rule]
    return UNJUDGED.format(rule=observation.rule)


def transient_rule(operation: str) -> str:
    """`SubmitJob.behaviour.transient-server-error`: the rule of 5xx answers a retry cured."""
    return f"{operation}.behaviour.transient-server-error"


def retried(exchange: Exchange) -> Observation:
    """The transient server errors a retry cured, as an observation of their rule."""
    statuses = sorted({e.split(":", 1)[0] for e in exchange.server_errors})
    answer = f"HTTP {exchange.http_status}" + (
        f" {exchange.error_code}" if exchange.error_code else ""
    )
    return Observation(
        operation=exchange.operation,
        rule=transient_rule(exchange.operation),
        path=", ".join(statuses),
        where=TRANSIENT_WHERE,
        message=f"{'; '.join(exchange.server_errors)}; then {answer} on retry",
        body=(exchange.body or "")[:BODY_KEPT],
        check=SERVER_ERROR_RETRIED,
    )


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
        Check(RESPONSE_SCHEMA, False, _detail(where, seen), seen[0].operation)
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
    results: list[CaseResult],
    strength: Callable[[str], Strength],
    judges: Mapping[str, str],
    outside: Sequence[Observation] = (),
) -> list[CaseResult]:
    """`results` with every observation judged by its rule's case (in place; returned);
    `judges`: which case judges each rule, by rule id; `outside`: what the run saw outside
    its cases (while provisioning), each naming who saw it."""
    groups: dict[tuple[str, str, str], list[Observation]] = {}
    seen_in_cases = [(item, result.id) for result in results for item in result.observed]
    for item, seen_by in [*seen_in_cases, *((item, item.case) for item in outside)]:
        item.case = item.case or seen_by
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
        judged = [c for c in owner.checks if c.name == first.check and not c.passed]
        owner.checks = [c for c in owner.checks if not c.detail.startswith(f"{where}: ")]
        owner.checks.append(Check(first.check, False, detail, first.operation))
        owner.seen_by = sorted({*owner.seen_by, *cases})
        if any(c.detail.startswith(f"{where}: ") for c in judged):
            continue  # the case already failed on it while it ran
        if first not in owner.observed:
            owner.observed.append(first)
        if owner.outcome in {"passed", "skipped"}:
            owner.outcome = "failed"
            owner.message = f"{first.operation} answer at {where}: {first.message}"
            if first.check == SERVER_ERROR_RETRIED:
                owner.message = f"{first.operation}: transient 5xx, retried: {first.message}"
            else:
                owner.schema_path = first.path
        elif owner.outcome == "failed" and "more response deviation" not in owner.message:
            owner.message += " (and more response deviations: see checks)"
    return results
