"""Generated requests (hypothesis-jsonschema): valid ones accepted, one broken limit refused.

The same `--seed` gives the same requests; the failing example is in the report. A broken
request that is accepted fails as the limit it broke (`Batch.reject_breaking`): at that
rule's strength, and as that rule's finding, the one its boundary case shows too.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from conformance.boundaries import Boundary, apply_edit, derived_boundaries
from conformance.casekit import Batch
from conformance.generation import bind, requests_of
from conformance.requests import RequestBuilder
from conformance.rulebook import behaviour
from conformance.scopes import SEED

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")


def _settings(batch: Batch) -> settings:
    return settings(
        max_examples=batch.examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )


def _per_operation(kind: str) -> list[object]:
    return [
        pytest.param(
            op, id=op, marks=pytest.mark.batch_rule(behaviour(f"{op}.generated.{kind}", SEED))
        )
        for op in SEED.operations
    ]


@pytest.mark.parametrize("operation", _per_operation("accepted"))
def test_generated_valid_request_accepted(batch: Batch, operation: str) -> None:
    """Requests generated inside every limit are accepted and their answers validate."""

    @seed(batch.seed)
    @_settings(batch)
    @given(request=requests_of(operation, SEED))
    def accepted(request: dict[str, Any]) -> None:
        bound = bind(operation, request, batch.context(), SEED)
        batch.accept(operation, bound, "a generated request inside every documented limit")

    accepted()


def _outside(operation: str) -> list[Boundary]:
    return [b for b in derived_boundaries(SEED, operation=operation) if not b.expect_accepted]


@pytest.mark.parametrize("operation", _per_operation("refused"))
def test_generated_request_with_one_broken_limit_refused(batch: Batch, operation: str) -> None:
    """A generated valid request with exactly one limit broken is refused (400 ClientException)."""
    outside = {boundary.id: boundary for boundary in _outside(operation)}

    @seed(batch.seed)
    @_settings(batch)
    @given(request=requests_of(operation, SEED), broken_limit=st.sampled_from(sorted(outside)))
    def refused(request: dict[str, Any], broken_limit: str) -> None:
        boundary = outside[broken_limit]
        builder = RequestBuilder(operation, batch.context(), SEED)
        broken = bind(operation, request, batch.context(), SEED)
        for edit in boundary.edits:
            apply_edit(builder, broken, edit)
        why = f"{boundary.rule.summary} [{boundary.id}]"
        batch.reject_breaking(boundary.rule, operation, broken, why)

    refused()
