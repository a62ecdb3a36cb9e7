"""The job lifecycle where the endpoint runs jobs as their command says: timeouts (the seed's
headline), retries and dependencies (`conformance.execution` holds what each checks).

Where the run decided the endpoint does not model job execution (`conformance.lifecycle`),
every case here is skipped with that reason: not testable on this endpoint.
"""

from __future__ import annotations

import pytest

from conformance import execution
from conformance.casekit import Batch
from conformance.rulebook import behaviour
from conformance.scopes import SEED


def rule(rule_id: str) -> pytest.MarkDecorator:
    """The case's rule, a behaviour of the seed scope."""
    return pytest.mark.batch_rule(behaviour(rule_id, SEED))


@rule("SubmitJob.behaviour.depends-on-waits")
def test_dependent_job_waits_for_its_dependency(batch: Batch) -> None:
    """A job waits in PENDING until the job it depends on SUCCEEDED, then runs."""
    batch.needs_lifecycle()
    execution.dependency_waited_for(batch)


@rule("SubmitJob.behaviour.depends-on-failed")
def test_dependent_job_fails_with_its_dependency(batch: Batch) -> None:
    """A job whose dependency fails fails too, and never starts."""
    batch.needs_lifecycle()
    execution.dependency_failed(batch)


@rule("SubmitJob.behaviour.retries")
def test_failing_job_is_retried_up_to_its_attempts(batch: Batch) -> None:
    """A job that exits non-zero runs its 3 attempts, each with its exit code."""
    batch.needs_lifecycle()
    execution.retries(batch)


@rule("SubmitJob.behaviour.timeout-enforced")
def test_job_past_its_timeout_is_terminated(batch: Batch) -> None:
    """A job that runs past its 60 s timeout is FAILED about 60 s after it started."""
    batch.needs_lifecycle()
    execution.timeout_enforced(batch, "timeout", "job")


@rule("SubmitJob.behaviour.timeout-not-retried")
def test_timed_out_job_is_not_retried(batch: Batch) -> None:
    """A timed-out job with 3 attempts fails once."""
    batch.needs_lifecycle()
    execution.timeout_not_retried(batch)


@rule("SubmitJob.behaviour.timeout-override-enforced")
def test_submit_timeout_overrides_the_definition_s(batch: Batch) -> None:
    """SubmitJob's 60 s timeout, not its definition's 3600 s, terminates the job."""
    batch.needs_lifecycle()
    execution.timeout_enforced(batch, "override", "job (definition timeout 3600 s)")


@rule("SubmitJob.behaviour.array-timeout-enforced")
def test_array_children_time_out(batch: Batch) -> None:
    """Each child of an array job with a 60 s timeout is terminated after about 60 s."""
    batch.needs_lifecycle()
    execution.array_children_time_out(batch)
