"""Every limit of today's request schemas, on both sides of its boundary (current scope).

The same derivation as the seed's (`conformance.boundaries`), over `specs/current/`: a limit
added to `specs/current/overlay.json` gets its cases here without new code.
"""

from __future__ import annotations

import pytest

from conformance.boundaries import Boundary, derived_boundaries
from conformance.casekit import Batch
from conformance.requests import RequestBuilder, needs_network
from conformance.scopes import CURRENT


def _cases() -> list[object]:
    return [
        pytest.param(boundary, id=boundary.id, marks=pytest.mark.batch_rule(boundary.rule.id))
        for boundary in derived_boundaries(CURRENT)
    ]


@pytest.mark.parametrize("boundary", _cases())
def test_limit(batch: Batch, boundary: Boundary) -> None:
    """A request just inside a documented limit is accepted; just outside, refused."""
    operation = boundary.rule.operation
    request = boundary.request(RequestBuilder(operation, batch.context(), CURRENT))
    why = f"{boundary.rule.summary} [{boundary.label}]"
    if boundary.expect_accepted and needs_network(request):
        pytest.skip("needs a real network for MANAGED compute resources: run with --subnets")
    if boundary.expect_accepted:
        batch.accept(operation, request, why)
    else:
        batch.reject(operation, request, why)
