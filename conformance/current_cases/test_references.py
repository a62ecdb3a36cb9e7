"""A reference to nothing (current scope): every request member that names a resource,
naming one that does not exist (`conformance.references`, derived from the catalogue).

Every operation of today's API: a refusal (HTTP 400 ClientException) unless the rule says
what AWS does instead (a delete of nothing is a no-op, a description lists nothing for it, a
bulk operation reports it among its errors).
"""

from __future__ import annotations

import pytest

from conformance.casekit import Batch
from conformance.reference_cases import judge_reference, reference_params
from conformance.references import Absence
from conformance.scopes import CURRENT


@pytest.mark.parametrize("absence", reference_params(CURRENT))
def test_reference_to_nothing(batch: Batch, absence: Absence) -> None:
    """A request naming a resource that does not exist gets what AWS answers it."""
    judge_reference(batch, absence)
