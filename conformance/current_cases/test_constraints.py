"""What today's API states across a request's members, or about what it names, both ways.

Each constraint of the current scope's list (`conformance.documented`, a rule of
`specs/current/constraints.json`) has two cases derived from its `Witness`: a request that
keeps to it must be accepted, and one that breaks exactly it must be refused (400
ClientException). A request whose compute resources need a real network is skipped without
one (`--subnets`), as are the requests that need a resource the run cannot make honestly.
Beside them, the refusal of a compute environment a job queue still names.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance import documented, reads, run_resources
from conformance.boundaries import apply_edit
from conformance.case_record import SuiteDefect
from conformance.casekit import Batch
from conformance.catalogue import COMPUTE_ENVIRONMENT, GONE_STATUSES, JOB_QUEUE
from conformance.documented import Constraint
from conformance.requests import RequestBuilder, needs_network
from conformance.rulebook import all_rules, behaviour
from conformance.scopes import CURRENT

NEEDS_NETWORK = "needs a real network for MANAGED compute resources: run with --subnets"


def _cases() -> list[Any]:
    return [
        pytest.param(c, id=c.id, marks=pytest.mark.batch_rule(behaviour(c.id, CURRENT)))
        for c in documented.shown(CURRENT)
    ]


def kept_request(constraint: Constraint, builder: RequestBuilder) -> dict[str, Any]:
    """The smallest request with the witness's edits that keep to the constraint, settled."""
    assert constraint.witness is not None
    request = builder.build()
    for edit in constraint.witness.kept:
        apply_edit(builder, request, edit)
    return builder.settle(request)


def broken_request(constraint: Constraint, builder: RequestBuilder) -> dict[str, Any]:
    """The smallest request with the witness's edits that break exactly the constraint (not
    settled: settling would mend it)."""
    assert constraint.witness is not None
    request = builder.build()
    for edit in constraint.witness.broken:
        apply_edit(builder, request, edit)
    return request


def _why(constraint: Constraint) -> str:
    return all_rules(CURRENT)[constraint.id].summary


@pytest.mark.parametrize("constraint", _cases())
def test_kept(batch: Batch, constraint: Constraint) -> None:
    """A request that keeps to the documented constraint is accepted."""
    builder = RequestBuilder(constraint.operation, batch.context(), CURRENT)
    request = kept_request(constraint, builder)
    if needs_network(request):
        pytest.skip(NEEDS_NETWORK)
    batch.accept(constraint.operation, request, f"{_why(constraint)} [kept]")


@pytest.mark.parametrize("constraint", _cases())
def test_broken(batch: Batch, constraint: Constraint) -> None:
    """A request that breaks the documented constraint, and only it, is refused."""
    builder = RequestBuilder(constraint.operation, batch.context(), CURRENT)
    request = broken_request(constraint, builder)
    if needs_network(request):
        pytest.skip(NEEDS_NETWORK)
    found = documented.violations(constraint.operation, request, CURRENT, batch.known())
    if not any(line.startswith(f"{constraint.id}: ") for line in found):
        raise SuiteDefect(f"the request meant to break {constraint.id} keeps to it: {request}")
    batch.reject(constraint.operation, request, f"{_why(constraint)} [broken]")


@pytest.mark.batch_rule(behaviour("DeleteComputeEnvironment.behaviour.queue-refused", CURRENT))
def test_compute_environment_named_by_a_queue_is_not_deleted(batch: Batch) -> None:
    """DeleteComputeEnvironment of a DISABLED environment a job queue still names is
    refused; the environment stays listed."""
    request, body = run_resources.make(
        batch, COMPUTE_ENVIRONMENT, "an UNMANAGED environment", type="UNMANAGED", state="ENABLED"
    )
    environment = COMPUTE_ENVIRONMENT.made(request, body)
    reads.wait_valid(batch, COMPUTE_ENVIRONMENT, environment, "ENABLED")
    order = [{"order": 1, "computeEnvironment": environment}]
    request, body = run_resources.make(
        batch, JOB_QUEUE, "a queue naming it", computeEnvironmentOrder=order
    )
    reads.wait_valid(batch, JOB_QUEUE, JOB_QUEUE.made(request, body), "ENABLED")
    batch.accept(
        "UpdateComputeEnvironment",
        {"computeEnvironment": environment, "state": "DISABLED"},
        "disabling the compute environment",
    )
    reads.wait_valid(batch, COMPUTE_ENVIRONMENT, environment, "DISABLED")
    batch.reject(
        "DeleteComputeEnvironment",
        {"computeEnvironment": environment},
        "a job queue still names the compute environment",
    )
    status, state, _reason = reads.status(reads.entries(batch, COMPUTE_ENVIRONMENT, environment))
    kept = status not in (None, *GONE_STATUSES)
    batch.check("still-listed", kept, f"status {status!r}, state {state!r}")
    assert kept, f"the compute environment a queue names was deleted anyway (status {status!r})"
