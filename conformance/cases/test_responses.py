"""Response structure: rich answers of each operation against the response schemas.

One case per response rule (a violation of that rule fails it, named), and one case per
operation for everything else the schema states (types, required members).
"""

from __future__ import annotations

import time

import pytest

from conformance.calls import Answer
from conformance.casekit import SETTLED, Batch
from conformance.grading import CaseFailure, json_path
from conformance.realistic import full_request
from conformance.requests import RequestBuilder
from conformance.rulebook import behaviour
from conformance.schemas import OPERATIONS, Rule, iter_rules, nearest_rule, validator

SETTLE_S = 5.0


def _accepted(batch: Batch, operation: str, params: dict[str, object]) -> Answer:
    answer = batch.call(operation, params)
    if not answer.exchange.accepted:
        raise CaseFailure(
            f"{operation} refused a valid request: HTTP {answer.exchange.http_status}"
            f" {answer.exchange.error_code} {answer.exchange.error_message or ''}".rstrip()
        )
    return answer


def rich_answers(batch: Batch, operation: str) -> list[Answer]:
    """Answers of `operation` that carry as many documented members as possible."""
    definition_request = full_request(
        "RegisterJobDefinition", RequestBuilder("RegisterJobDefinition", batch.context())
    )
    registered = _accepted(batch, "RegisterJobDefinition", definition_request)
    if operation == "RegisterJobDefinition":
        return [registered]
    arn = (registered.body or {}).get("jobDefinitionArn")
    if operation == "DescribeJobDefinitions":
        return [_accepted(batch, operation, {"jobDefinitions": [arn]})]
    job_request = full_request("SubmitJob", RequestBuilder("SubmitJob", batch.context()))
    job_request["jobDefinition"] = arn
    job_request.pop("arrayProperties", None)
    submitted = _accepted(batch, "SubmitJob", job_request)
    if operation == "SubmitJob":
        return [submitted]
    parent = _accepted(
        batch, "SubmitJob", {**job_request, "arrayProperties": {"size": 2}, "dependsOn": []}
    )
    ids = [(submitted.body or {}).get("jobId"), (parent.body or {}).get("jobId")]
    ids.append(f"{ids[1]}:0")
    deadline = time.monotonic() + SETTLE_S
    answer = _accepted(batch, "DescribeJobs", {"jobs": ids})
    while time.monotonic() < deadline and not all(
        j.get("status") in SETTLED for j in (answer.body or {}).get("jobs", [])
    ):
        time.sleep(0.2)
        answer = _accepted(batch, "DescribeJobs", {"jobs": ids})
    return [answer]


def _violations(answer: Answer) -> list[tuple[str, str, Rule | None]]:
    name = f"{answer.exchange.operation}.response"
    return [
        (
            json_path(error.absolute_path),
            error.message[:200],
            nearest_rule(name, list(error.absolute_schema_path)),
        )
        for error in validator(name).iter_errors(answer.body or {})
    ]


def _response_rules() -> list[object]:
    return [
        pytest.param(rule, id=rule.id, marks=pytest.mark.batch_rule(rule.id))
        for rule in iter_rules()
        if rule.direction == "response"
    ]


@pytest.mark.parametrize("rule", _response_rules())
def test_response_rule(batch: Batch, rule: Rule) -> None:
    """Rich answers keep to one documented response rule."""
    for answer in rich_answers(batch, rule.operation):
        for where, message, blamed in _violations(answer):
            if blamed is not None and blamed.id == rule.id:
                raise CaseFailure(f"{where}: {message}", schema_path=where)


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(op, id=op, marks=pytest.mark.batch_rule(behaviour(f"{op}.response.structure")))
        for op in OPERATIONS
    ],
)
def test_response_structure(batch: Batch, operation: str) -> None:
    """Rich answers have every required member, each of its documented type."""
    for answer in rich_answers(batch, operation):
        found = _violations(answer)
        if found:
            where, message, blamed = found[0]
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            more += f" (rule {blamed.id})" if blamed else ""
            raise CaseFailure(
                f"{operation} answer at {where}: {message}{more}",
                schema_path=where,
                rule=blamed.id if blamed else None,
            )
