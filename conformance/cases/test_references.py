"""A reference to nothing: every request member that names a resource, naming one that does
not exist (`conformance.references`, derived from the catalogue's references).

AWS refuses such a request with HTTP 400 ClientException ("JobQueue X not found.",
"JobDefinition name X does not exist or is not in ACTIVE status"), unless its rule says what
AWS does instead: DescribeJobs and DescribeJobDefinitions answer without an entry for it.
"""

from __future__ import annotations

import pytest

from conformance.casekit import Batch
from conformance.references import Absence, derived_absences
from conformance.rulebook import behaviour
from conformance.scopes import SEED


def _cases() -> list[object]:
    return [
        pytest.param(
            absence,
            id=absence.id,
            marks=pytest.mark.batch_rule(behaviour(absence.ref.rule_id, SEED)),
        )
        for absence in derived_absences(SEED)
    ]


@pytest.mark.parametrize("absence", _cases())
def test_reference_to_nothing(batch: Batch, absence: Absence) -> None:
    """A request naming a resource that does not exist gets what AWS answers it."""
    ctx = batch.context()
    absence.judge(batch, absence.request(ctx, SEED), absence.reference(ctx))
