"""Every limit in the request schemas, on both sides of its boundary.

Derived from the schemas' `x-rules`: just inside must be accepted (and its answer must
validate), just outside must be refused with HTTP 400 `ClientException` and a message.
"""

from __future__ import annotations

import pytest

from conformance.boundaries import Boundary, derived_boundaries
from conformance.casekit import Batch
from conformance.requests import RequestBuilder
from conformance.scopes import SEED


def _cases() -> list[object]:
    return [
        pytest.param(boundary, id=boundary.id, marks=pytest.mark.batch_rule(boundary.rule.id))
        for boundary in derived_boundaries(SEED)
    ]


@pytest.mark.parametrize("boundary", _cases())
def test_limit(batch: Batch, boundary: Boundary) -> None:
    """A request just inside a documented limit is accepted; just outside, refused."""
    operation = boundary.rule.operation
    request = boundary.request(RequestBuilder(operation, batch.context(), SEED))
    why = f"{boundary.rule.summary} [{boundary.label}]"
    if boundary.expect_accepted:
        batch.accept(operation, request, why)
    else:
        batch.reject(operation, request, why)
