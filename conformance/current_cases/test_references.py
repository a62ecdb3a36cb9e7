"""A reference to nothing (current scope): every request member that names a resource,
naming one that does not exist (`conformance.references`, derived from the catalogue).

Every operation of today's API: a refusal (HTTP 400 ClientException) unless the rule says
what AWS does instead (a delete of nothing is a no-op, a description lists nothing for it, a
bulk operation reports it among its errors).
"""

from __future__ import annotations

import pytest

from conformance.casekit import Batch
from conformance.references import Absence, derived_absences
from conformance.rulebook import behaviour
from conformance.scopes import CURRENT


def _cases() -> list[object]:
    return [
        pytest.param(
            absence,
            id=absence.id,
            marks=pytest.mark.batch_rule(behaviour(absence.ref.rule_id, CURRENT)),
        )
        for absence in derived_absences(CURRENT)
    ]


@pytest.mark.parametrize("absence", _cases())
def test_reference_to_nothing(batch: Batch, absence: Absence) -> None:
    """A request naming a resource that does not exist gets what AWS answers it."""
    ctx = batch.context()
    absence.judge(batch, absence.request(ctx, CURRENT), absence.reference(ctx))
