"""What is optional stays optional: each operation's request with only its required members,
and what a documented dependency needs (a container definition's containerProperties), must
be accepted (`conformance.required_only`).
"""

from __future__ import annotations

import pytest

from conformance.casekit import Batch
from conformance.requests import RequestBuilder
from conformance.required_only import Shape, derived_shapes
from conformance.rulebook import behaviour
from conformance.scopes import SEED


def _cases() -> list[object]:
    return [
        pytest.param(shape, id=shape.id, marks=pytest.mark.batch_rule(behaviour(shape.rule, SEED)))
        for shape in derived_shapes(SEED)
    ]


@pytest.mark.parametrize("shape", _cases())
def test_only_required_members(batch: Batch, shape: Shape) -> None:
    """A request with only its required members (and documented dependencies) is accepted."""
    request = shape.request(RequestBuilder(shape.operation, batch.context(), SEED))
    batch.accept(shape.operation, request, shape.sent(request))
