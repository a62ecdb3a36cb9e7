"""Both scopes' references to nothing, judged alike (`conformance.references` derives them
from the catalogue; `cases/` and `current_cases/` each hold one `test_reference_to_nothing`
over their scope's)."""

from __future__ import annotations

import pytest

from conformance.casekit import Batch
from conformance.references import Absence, derived_absences
from conformance.rulebook import behaviour
from conformance.scopes import Scope


def reference_params(scope: Scope) -> list[object]:
    """One case per reference of the scope's operations and per form it takes."""
    return [
        pytest.param(
            absence,
            id=absence.id,
            marks=pytest.mark.batch_rule(behaviour(absence.ref.rule_id, scope)),
        )
        for absence in derived_absences(scope)
    ]


def judge_reference(batch: Batch, absence: Absence) -> None:
    """Send the request naming a resource that does not exist; judge what the endpoint did."""
    ctx = batch.context()
    absence.judge(batch, absence.request(ctx, batch.scope), absence.reference(ctx))
