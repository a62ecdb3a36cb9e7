"""Every limit in the seed's request schemas, on both sides of its boundary
(`conformance.limit_cases`)."""

from __future__ import annotations

import pytest

from conformance.boundaries import Boundary
from conformance.casekit import Batch
from conformance.limit_cases import judge_limit, limit_params
from conformance.scopes import SEED


@pytest.mark.parametrize("boundary", limit_params(SEED))
def test_limit(batch: Batch, boundary: Boundary) -> None:
    """A request just inside a documented limit is accepted; just outside, refused."""
    judge_limit(batch, boundary)
