"""What requests name besides the run's queue and definition, made on need.

`shared(maker, kind)` is one resource of the run, made on first need and reused;
`fresh(maker, kind)` is made for one request alone (the one that updates, deletes or
terminates it), and settled first (`settled`: AWS refuses to change one still CREATING);
`anchors(maker, count)` are jobs submitted once for cases to depend on.
Each is made through the case's own `Batch` (the `Maker` here), so the calls are in the
case's evidence, an operation the endpoint lacks skips the case where the scope judges
that once, and the run's ledger cleans up whatever was made. How each kind is made is the
catalogue's; a kind the run cannot make honestly is named by a placeholder of its shape, or
the case that needs one is skipped, saying why (`Kind.unmade`, or a MANAGED compute
environment without --subnets). What is made is VALID before a request names it ("Compute
environments must be in the VALID state before you can associate them with a job queue"),
and the run remembers its kind (`RunMemory.made_kinds`: the documented constraints ask).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

import pytest

from conformance import catalogue, reads
from conformance.calls import EndpointUnusable
from conformance.context import Context, placeholder_resource
from conformance.errors import TargetError
from conformance.grading import CaseFailure
from conformance.memory import RunMemory
from conformance.provision import Resources
from conformance.requests import RequestBuilder, needs_network
from conformance.scopes import Scope

if TYPE_CHECKING:
    from conformance.casekit import Batch

NEEDS_NETWORK = "needs a real network for MANAGED compute resources: run with --subnets"


class Maker(Protocol):
    """What makes resources for a case: `conformance.casekit.Batch`."""

    @property
    def resources(self) -> Resources: ...

    @property
    def memory(self) -> RunMemory: ...

    @property
    def scope(self) -> Scope: ...

    def context(self) -> Context: ...

    def name(self, kind: str) -> str: ...

    def accept(self, operation: str, params: dict[str, Any], why: str = "") -> dict[str, Any]: ...

    def submit(self, **extra: Any) -> dict[str, Any]: ...

    def register(self, **extra: Any) -> dict[str, Any]: ...


def shared(maker: Maker, kind: str) -> str:
    """The run's one resource of `kind` (made once per process, on first need)."""
    kept = maker.memory.shared_resources
    if kind not in kept:
        kept[kind] = _existing(maker, kind) or fresh(maker, kind)
    return kept[kind]


def _existing(maker: Maker, kind: str) -> str:
    """The run's provisioned resource of `kind`, if it has one."""
    if kind == catalogue.JOB_QUEUE.name:
        return maker.resources.job_queue
    if kind == catalogue.JOB_DEFINITION.name:
        return maker.resources.job_definition
    if kind == catalogue.COMPUTE_ENVIRONMENT.name:
        if maker.resources.compute_environment:
            return maker.resources.compute_environment
        queues = maker.accept("DescribeJobQueues", {"jobQueues": [maker.resources.job_queue]})
        for queue in queues.get("jobQueues", []):
            for entry in queue.get("computeEnvironmentOrder", []):
                return str(entry.get("computeEnvironment", ""))
    return ""


def fresh(maker: Maker, kind: str) -> str:
    """A new resource of `kind`, for one request; its name, ARN or id.

    A resource the endpoint refuses to make leaves the case without a result: an error
    naming what could not be made, never a failure of the rule the case checks.
    """
    try:
        return _make(maker, catalogue.kind(kind))
    except CaseFailure as exc:  # a refusal, or a resource never described (reads.settled)
        raise EndpointUnusable(f"cannot make a {kind} for the case: {exc}") from None


def _make(maker: Maker, kind: catalogue.Kind) -> str:
    if kind.unmade:
        pytest.skip(kind.unmade)
    if not kind.makeable or kind.create is None:
        return placeholder_resource(kind.name)
    if kind is catalogue.JOB:
        made = str(maker.submit()["jobId"])
    elif kind is catalogue.JOB_DEFINITION:
        made = str(maker.register()["jobDefinitionArn"])
    else:
        request, body = make(maker, kind)
        made = kind.made(request, body)
        assert made, f"{kind.create} answered no {kind.arn_member}: {body}"
    maker.memory.made_kinds[made] = kind.name
    if kind.settled == catalogue.VALID_STATUSES:
        _settled(maker, kind, made)
    return made


def _settled(maker: Maker, kind: catalogue.Kind, made: str) -> None:
    """Wait until what was just made is no longer CREATING (bounded). One its describe
    operation never lists by the reference it answered is left as it is: that deviation
    is judged by the lifecycle rules, not by each case that needs one."""
    batch = cast("Batch", maker)  # the kit is the one Maker
    found = reads.listed(batch, kind, made)
    if found and reads.status(found)[0] in kind.busy:
        reads.settled(batch, kind, made)


def make(
    maker: Maker, kind: catalogue.Kind, why: str = "", **extra: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Make a resource of `kind` with the smallest request its operation takes (as the
    catalogue shapes its variants), with `extra` on top: the request and the answer."""
    assert kind.create is not None, f"the run cannot make a {kind.label}"
    ctx = maker.context()
    builder = RequestBuilder(kind.create, ctx, maker.scope)
    request = builder.build()
    for member in kind.made_without:
        request.pop(member, None)
    request.update({k: v(ctx) if callable(v) else v for k, v in kind.made_with.items()})
    for member in kind.made_filled:
        request[member] = builder.items([member], 1)
    request.update(extra)
    if needs_network(request):
        pytest.skip(f"{NEEDS_NETWORK} (a {kind.label} for the case)")
    body = maker.accept(kind.create, request, why or f"making a {kind.label} for the case")
    return request, body


def anchors(maker: Maker, count: int, array: bool = False) -> list[str]:
    """`count` jobs submitted once by this process for cases to depend on (array jobs of
    size 2 when `array`, for N_TO_N dependencies)."""
    kept = maker.memory.array_jobs if array else maker.memory.anchor_jobs
    label = "array" if array else "anchor"
    extra: dict[str, Any] = {"arrayProperties": {"size": 2}} if array else {}
    while len(kept) < count:
        try:
            body = maker.submit(jobName=maker.name(label), **extra)
        except CaseFailure as exc:
            raise TargetError(f"cannot submit a job to depend on: {exc}") from None
        if not body.get("jobId"):
            raise TargetError(f"cannot submit a job to depend on: no jobId in {body}")
        kept.append(str(body["jobId"]))
    return kept[:count]
