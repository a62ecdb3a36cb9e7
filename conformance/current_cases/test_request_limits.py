"""Every limit of today's request schemas, on both sides of its boundary (current scope):
the same derivation as the seed's (`conformance.limit_cases`), over `specs/current/`. A limit
added to `specs/current/overlay.json` gets its cases here without new code."""

from __future__ import annotations

import pytest

from conformance.boundaries import Boundary
from conformance.casekit import Batch
from conformance.limit_cases import judge_limit, limit_params
from conformance.scopes import CURRENT


@pytest.mark.parametrize("boundary", limit_params(CURRENT))
def test_limit(batch: Batch, boundary: Boundary) -> None:
    """A request just inside a documented limit is accepted; just outside, refused."""
    judge_limit(batch, boundary)
