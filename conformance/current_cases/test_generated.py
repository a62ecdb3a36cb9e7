"""Generated requests of today's operations with one documented limit broken: refused.

The seed's derivation (`conformance.generation`, hypothesis-jsonschema) over
`specs/current/`: for each operation with limits, a generated request (its references
pointed at the run's own resources) with exactly one limit broken must be refused with HTTP
400 `ClientException`. The same `--seed` gives the same requests. One that is accepted
fails as the limit it broke: at that rule's strength, as that rule's finding.

A refusal only tells something if it is the broken limit that is refused. For the
operations that only read (Describe*, List*), each example is first sent unbroken: an
example the endpoint refuses even so tells nothing and is set aside (hypothesis `reject`),
and if none of the first examples is accepted unbroken the case is skipped, saying so.
Operations that make or change something are not sent twice (their refusal may have
another cause: the boundary cases, which change only the limit, are the sharp ones).

There is no "generated valid request accepted" case in this scope: today's model leaves
too much free (filter names, opaque tokens, SageMaker payloads, mutually exclusive
properties) for a generated request to be one AWS takes, and a suite that blames an
endpoint for refusing what AWS refuses too would cry wolf. The inside cases of every limit
(`request_limits`) and the round trips are this scope's acceptance checks.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, reject, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import FlakyFailure

from conformance.boundaries import Boundary, apply_edit, derived_boundaries, request_rules
from conformance.casekit import Batch
from conformance.generation import bind_references, first_answer, requests_of
from conformance.requests import RequestBuilder
from conformance.rulebook import behaviour
from conformance.scopes import CURRENT

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
READS = ("Describe", "List")  # operations that change nothing: their examples are sent twice
UNTOLD = 5  # examples refused even unbroken, none accepted: the case is skipped


def _outside(operation: str) -> list[Boundary]:
    return [b for b in derived_boundaries(CURRENT, operation=operation) if not b.expect_accepted]


def _operations() -> list[object]:
    operations = sorted({rule.operation for rule in request_rules(CURRENT)})
    return [
        pytest.param(
            op, id=op, marks=pytest.mark.batch_rule(behaviour(f"{op}.generated.refused", CURRENT))
        )
        for op in operations
    ]


@pytest.mark.parametrize("operation", _operations())
def test_generated_request_with_one_broken_limit_refused(batch: Batch, operation: str) -> None:
    """A generated request with exactly one documented limit broken is refused."""
    outside = {boundary.id: boundary for boundary in _outside(operation)}
    told = {"accepted": 0, "refused": 0}  # examples sent unbroken, by answer

    @seed(batch.seed)
    @settings(
        max_examples=batch.examples,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(request=requests_of(operation, CURRENT), broken=st.sampled_from(sorted(outside)))
    def refused(request: dict[str, Any], broken: str) -> None:
        boundary = outside[broken]
        builder = RequestBuilder(operation, batch.context(), CURRENT)
        bind_references(operation, request, builder)
        if operation.startswith(READS):
            _accepted_unbroken(batch, operation, builder.settle(copy.deepcopy(request)), told)
        for edit in boundary.edits:
            apply_edit(builder, request, edit)
        why = f"{boundary.rule.summary} [{broken}]"
        batch.reject_breaking(boundary.rule, operation, builder.settle(request), why)

    try:
        refused()
    except FlakyFailure as exc:
        raise first_answer(exc) from None


def _accepted_unbroken(
    batch: Batch, operation: str, unbroken: dict[str, Any], told: dict[str, int]
) -> None:
    """Send the example before its limit is broken; set it aside if that is refused too."""
    if batch.call(operation, unbroken).exchange.accepted:
        told["accepted"] += 1
        return
    told["refused"] += 1
    if not told["accepted"] and told["refused"] >= UNTOLD:
        pytest.skip(
            f"the first {UNTOLD} generated {operation} requests were refused even before a"
            " limit was broken: a refusal of a broken one would tell nothing"
        )
    reject()
