"""Response structure and response rules of every operation of today's API, over every
answer of the run.

One case per operation, and one per response rule (what a job that ran carries, the shape
of every ARN, epoch milliseconds, ...); they run after every other case
(`batch_order("last")`) and judge what any case read from that operation
(`conformance.verdicts`). An operation whose every call was refused, or that the endpoint
lacks, has no answer to judge: the case is skipped with that reason, never passed.
"""

from __future__ import annotations

import pytest

from conformance.answer_check import structure_rule
from conformance.casekit import Batch, implemented_rule
from conformance.rulebook import behaviour
from conformance.schemas import Rule, iter_rules
from conformance.scopes import CURRENT
from conformance.verdicts import NO_ANSWER


@pytest.mark.batch_order("last")
@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(
            op,
            id=op,
            marks=pytest.mark.batch_rule(behaviour(f"{op}.response.structure", CURRENT)),
        )
        for op in CURRENT.operations
    ],
)
def test_response_structure(batch: Batch, operation: str) -> None:
    """Answers have every required member, each of its documented type (over the whole run)."""
    batch.judge_rule(structure_rule(operation))
    if not batch.answered(operation):
        pytest.skip(
            f"{NO_ANSWER}{operation} in this run: its structure is not judged"
            f" (see rule {implemented_rule(operation)} and the cases of {operation})"
        )


@pytest.mark.batch_order("last")
@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(rule, id=rule.id, marks=pytest.mark.batch_rule(rule.id))
        for rule in iter_rules(CURRENT)
        if rule.direction == "response"
    ],
)
def test_response_rule(batch: Batch, rule: Rule) -> None:
    """Answers keep to one documented response rule (judged over every answer of the run)."""
    batch.judge_rule(rule.id)
    if not batch.answered(rule.operation):
        pytest.skip(f"{NO_ANSWER}{rule.operation} in this run: rule {rule.id} is not judged")
