"""A reference to nothing: every request member that names a resource, naming one that does
not exist (`conformance.references`, derived from the catalogue's references).

AWS refuses such a request with HTTP 400 ClientException ("JobQueue X not found.",
"JobDefinition name X does not exist or is not in ACTIVE status"), unless its rule says what
AWS does instead: DescribeJobs and DescribeJobDefinitions answer without an entry for it.
"""

from __future__ import annotations

import pytest

from conformance.casekit import Batch
from conformance.reference_cases import judge_reference, reference_params
from conformance.references import Absence
from conformance.scopes import SEED


@pytest.mark.parametrize("absence", reference_params(SEED))
def test_reference_to_nothing(batch: Batch, absence: Absence) -> None:
    """A request naming a resource that does not exist gets what AWS answers it."""
    judge_reference(batch, absence)
