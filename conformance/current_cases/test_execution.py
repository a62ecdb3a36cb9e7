"""The job lifecycle of today's API where the endpoint runs jobs as their command says: the
seed's timeouts, retries and dependencies, and TerminateJob of a RUNNING job
(`conformance.execution` holds what each checks).

Where the run decided the endpoint does not model job execution (`conformance.lifecycle`),
every case here is skipped with that reason: not testable on this endpoint.
"""

from __future__ import annotations

import pytest

from conformance import execution
from conformance.casekit import Batch
from conformance.cases.test_execution import (  # the seed's cases, of rules both scopes have
    test_array_children_time_out,
    test_dependent_job_fails_with_its_dependency,
    test_dependent_job_waits_for_its_dependency,
    test_failing_job_is_retried_up_to_its_attempts,
    test_job_past_its_timeout_is_terminated,
    test_submit_timeout_overrides_the_definition_s,
    test_timed_out_job_is_not_retried,
)
from conformance.rulebook import behaviour
from conformance.scopes import CURRENT

__all__ = [
    "test_array_children_time_out",
    "test_dependent_job_fails_with_its_dependency",
    "test_dependent_job_waits_for_its_dependency",
    "test_failing_job_is_retried_up_to_its_attempts",
    "test_job_past_its_timeout_is_terminated",
    "test_submit_timeout_overrides_the_definition_s",
    "test_terminated_running_job_fails_with_the_reason",
    "test_timed_out_job_is_not_retried",
]


def rule(rule_id: str) -> pytest.MarkDecorator:
    """The case's rule, a behaviour of the current scope."""
    return pytest.mark.batch_rule(behaviour(rule_id, CURRENT))


@rule("TerminateJob.behaviour.fails-running-job")
def test_terminated_running_job_fails_with_the_reason(batch: Batch) -> None:
    """TerminateJob of a RUNNING job: FAILED, with the reason given."""
    batch.needs_lifecycle()
    execution.terminate_running(batch)
