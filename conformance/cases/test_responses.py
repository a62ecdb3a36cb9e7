"""Response structure: rich answers of each operation against the response schemas.

One case per response rule and one per operation for everything else the schema states
(types, required members). They read answers that carry as many documented members as
possible; a violation seen in ANY case's answer is judged here, by the case of the rule it
breaks (see `conformance.verdicts`), once per rule and JSON path. They run after every
other case (`batch_order("last")`), so they have seen every answer of the run.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.answer_check import structure_rule
from conformance.casekit import SETTLED, Batch
from conformance.realistic import full_request
from conformance.requests import RequestBuilder
from conformance.rulebook import behaviour
from conformance.schemas import Rule, iter_rules
from conformance.scopes import SEED
from conformance.waiting import poll

SETTLE_S = 5.0


def rich_answers(batch: Batch, operation: str) -> list[dict[str, Any]]:
    """Answers of `operation` that carry as many documented members as possible."""
    definition_request = full_request(
        "RegisterJobDefinition", RequestBuilder("RegisterJobDefinition", batch.context(), SEED)
    )
    registered = batch.register(**definition_request)
    if operation == "RegisterJobDefinition":
        return [registered]
    arn = registered["jobDefinitionArn"]
    if operation == "DescribeJobDefinitions":
        return [batch.accept(operation, {"jobDefinitions": [arn]})]
    job_request = full_request("SubmitJob", RequestBuilder("SubmitJob", batch.context(), SEED))
    job_request["jobDefinition"] = arn
    job_request.pop("arrayProperties", None)
    submitted = batch.accept("SubmitJob", job_request)
    if operation == "SubmitJob":
        return [submitted]
    parent = batch.accept(
        "SubmitJob", {**job_request, "arrayProperties": {"size": 2}, "dependsOn": []}
    )
    ids = [str(submitted.get("jobId")), str(parent.get("jobId"))]
    ids.append(f"{ids[1]}:0")
    settled = poll(  # settled jobs only make the answer richer: not waited for long
        lambda: batch.describe_jobs(ids, expected=ids[:2]),  # the child too
        lambda jobs: all(j.get("status") in SETTLED for j in jobs.values()),
        SETTLE_S,
        first_s=0.2,
        cap_s=0.2,
    )
    return [{"jobs": list(settled.value.values())}]


def _response_rules() -> list[object]:
    return [
        pytest.param(rule, id=rule.id, marks=pytest.mark.batch_rule(rule.id))
        for rule in iter_rules(SEED)
        if rule.direction == "response"
    ]


def ensure_rich_answers(batch: Batch) -> None:
    """Rich answers of every operation, made once, before the first response case judges.

    So every answer the run makes exists before any response case judges (in one process,
    each case's verdict is final when it runs: pytest's counts are the suite's).
    """
    if batch.done("rich-answers"):
        return
    for operation in SEED.operations:
        assert rich_answers(batch, operation), f"no rich answer of {operation}"
    batch.mark_done("rich-answers")


@pytest.mark.batch_order("last")
@pytest.mark.parametrize("rule", _response_rules())
def test_response_rule(batch: Batch, rule: Rule) -> None:
    """Answers keep to one documented response rule (judged over every answer of the run)."""
    ensure_rich_answers(batch)
    batch.judge_rule(rule.id)


@pytest.mark.batch_order("last")
@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(
            op, id=op, marks=pytest.mark.batch_rule(behaviour(f"{op}.response.structure", SEED))
        )
        for op in SEED.operations
    ],
)
def test_response_structure(batch: Batch, operation: str) -> None:
    """Answers have every required member, each of its documented type (over the whole run)."""
    ensure_rich_answers(batch)
    batch.judge_rule(structure_rule(operation))
