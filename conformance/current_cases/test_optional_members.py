"""What is optional stays optional (current scope): each operation's request with only its
required members, and what a documented dependency needs, must be accepted
(`conformance.required_only`: the members the other cases send anyway, such as `state`, are
left out; a MANAGED compute environment goes without a service role).
"""

from __future__ import annotations

import pytest

from conformance.casekit import Batch
from conformance.requests import RequestBuilder, needs_network
from conformance.required_only import Shape, derived_shapes, ready
from conformance.rulebook import behaviour
from conformance.scopes import CURRENT


def _cases() -> list[object]:
    return [
        pytest.param(
            shape, id=shape.id, marks=pytest.mark.batch_rule(behaviour(shape.rule, CURRENT))
        )
        for shape in derived_shapes(CURRENT)
    ]


@pytest.mark.parametrize("shape", _cases())
def test_only_required_members(batch: Batch, shape: Shape) -> None:
    """A request with only its required members (and documented dependencies) is accepted."""
    request = shape.request(RequestBuilder(shape.operation, batch.context(), CURRENT))
    if needs_network(request):
        pytest.skip("needs a real network for MANAGED compute resources: run with --subnets")
    ready(batch, shape.operation, request)
    batch.accept(shape.operation, request, shape.sent(request))
