"""Does the endpoint implement each operation of today's API? One case per operation.

Judged first, so an operation the endpoint lacks is one finding (`<Op>.implemented`), and
every other case that needs it is skipped, naming this case, instead of failing too. The
request is the operation's smallest valid one; what it names (a compute environment, a
job to terminate, ...) is a placeholder of the right shape, so the probe changes nothing of
the run's (a create does create, and the run cleans it up): a 4xx refusal with an error
code counts as implemented.
"""

from __future__ import annotations

import pytest

from conformance.calls import OperationNotImplemented
from conformance.casekit import Batch
from conformance.context import placeholder_array_jobs, placeholder_jobs, placeholder_resource
from conformance.requests import RequestBuilder
from conformance.rulebook import behaviour
from conformance.scopes import CURRENT


def _operations() -> list[object]:
    return [
        pytest.param(
            op, id=op, marks=pytest.mark.batch_rule(behaviour(f"{op}.implemented", CURRENT))
        )
        for op in CURRENT.operations
    ]


@pytest.mark.batch_order("first")
@pytest.mark.parametrize("operation", _operations())
def test_operation_implemented(batch: Batch, operation: str) -> None:
    """A well-formed request gets a Batch answer: 2xx, or 4xx with an error code."""
    ctx = batch.context()
    ctx.resource = ctx.fresh = placeholder_resource
    ctx.jobs, ctx.array_jobs = placeholder_jobs, placeholder_array_jobs
    request = RequestBuilder(operation, ctx, CURRENT).build()
    try:
        answer = batch.probe(operation, request)
    except OperationNotImplemented as exc:
        batch.check("implemented", False, str(exc))
        raise AssertionError(str(exc)) from None
    batch.check("implemented", True, f"HTTP {answer.exchange.http_status}")
    exchange = answer.exchange
    status = exchange.http_status or 0
    if exchange.accepted:
        batch.read(operation, answer)
        return
    proper = 400 <= status < 500 and bool(exchange.error_code)
    detail = f"HTTP {status} {exchange.error_code or '(no error code)'}"
    batch.check("answered-properly", proper, detail)
    assert proper, f"{operation}: a well-formed request got {detail}, not a Batch answer"
