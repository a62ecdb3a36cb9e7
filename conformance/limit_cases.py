"""The limit cases of a scope: every request rule's boundaries, as pytest parameters, and
how one is judged. Each scope's `test_request_limits` module holds them (same ids, one logic).

Derived from the schemas' `x-rules`: just inside must be accepted (and its answer must
validate), just outside must be refused with HTTP 400 `ClientException` and a message.
"""

from __future__ import annotations

import pytest

from conformance.boundaries import Boundary, derived_boundaries
from conformance.casekit import Batch
from conformance.requests import RequestBuilder, needs_network
from conformance.scopes import Scope

NEEDS_NETWORK = "needs a real network for MANAGED compute resources: run with --subnets"


def limit_params(scope: Scope) -> list[object]:
    """One pytest parameter per boundary of `scope`'s request rules, id `<rule>:<side>:<label>`."""
    return [
        pytest.param(boundary, id=boundary.id, marks=pytest.mark.batch_rule(boundary.rule.id))
        for boundary in derived_boundaries(scope)
    ]


def judge_limit(batch: Batch, boundary: Boundary) -> None:
    """Send the boundary's request: accepted inside the limit, refused outside it."""
    operation = boundary.rule.operation
    request = boundary.request(RequestBuilder(operation, batch.context(), batch.scope))
    why = f"{boundary.rule.summary} [{boundary.label}]"
    if boundary.expect_accepted and needs_network(request):
        pytest.skip(NEEDS_NETWORK)
    if boundary.expect_accepted:
        batch.accept(operation, request, why)
    else:
        batch.reject(operation, request, why)
