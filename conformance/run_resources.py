"""What requests name besides the run's queue and definition, made on need.

`shared(maker, kind)` is one resource of the run, made on first need and reused;
`fresh(maker, kind)` is made for one request alone (the one that updates, deletes or
terminates it), and settled first (`settled`: AWS refuses to change one still CREATING);
`anchors(maker, count)` are jobs submitted once for cases to depend on.
Each is made through the case's own `Batch` (the `Maker` here), so the calls are in the
case's evidence, an operation the endpoint lacks skips the case where the scope judges
that once, and the run's ledger cleans up whatever was made. How each kind is made is the
catalogue's; a kind the run cannot make honestly is named by a placeholder of its shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from conformance import catalogue
from conformance.calls import EndpointUnusable
from conformance.context import Context, placeholder_resource
from conformance.errors import TargetError
from conformance.grading import CaseFailure
from conformance.memory import RunMemory
from conformance.provision import Resources
from conformance.requests import RequestBuilder
from conformance.scopes import Scope

T = TypeVar("T")


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

    def read_until(self, look: Callable[[], T], done: Callable[[T], bool]) -> T: ...

    def settle_until(
        self,
        look: Callable[[], T],
        done: Callable[[T], bool],
        what: str,
        show: Callable[[T], Any] = repr,
    ) -> T: ...


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
        made = _make(maker, catalogue.kind(kind))
    except CaseFailure as exc:
        raise EndpointUnusable(f"cannot make a {kind} for the case: {exc}") from None
    settled(maker, catalogue.kind(kind), made)
    return made


def settled(maker: Maker, kind: catalogue.Kind, reference: str) -> None:
    """Wait until a resource just made is no longer CREATING: AWS refuses to update or
    delete one still being modified (and a request that names it may need it VALID).

    Only kinds with that lifecycle (compute environments, job queues, ...): a job is never
    waited for here. One its describe operation does not show (bounded read) is not waited
    for; one still busy when the run's settle bound runs out is an error of the case.
    """
    lookup = kind.describe
    if "CREATING" not in kind.busy or lookup is None or lookup.listed is None:
        return

    def status() -> list[str | None]:
        body = maker.accept(lookup.operation, lookup.request(reference))
        entries = [e for e in lookup.entries(body) if kind.is_entry_of(e, reference)]
        return [kind.status_of(entry) for entry in entries]

    if maker.read_until(status, bool):
        maker.settle_until(
            status,
            lambda seen: not seen or seen[0] not in kind.busy,
            f"the {kind.label} {reference} made for the case waited to settle",
            lambda seen: seen[0] if seen else "not listed",
        )


def _make(maker: Maker, kind: catalogue.Kind) -> str:
    if not kind.makeable or kind.create is None:
        return placeholder_resource(kind.name)
    if kind is catalogue.JOB:
        return str(maker.submit()["jobId"])
    if kind is catalogue.JOB_DEFINITION:
        return str(maker.register()["jobDefinitionArn"])
    request, body = make(maker, kind)
    made = kind.made(request, body)
    assert made, f"{kind.create} answered no {kind.arn_member}: {body}"
    return made


def make(
    maker: Maker, kind: catalogue.Kind, why: str = "", **extra: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Make a resource of `kind` with the smallest request its operation takes (as the
    catalogue shapes its variants), with `extra` on top: the request and the answer."""
    assert kind.create is not None, f"the run cannot make a {kind.label}"
    builder = RequestBuilder(kind.create, maker.context(), maker.scope)
    request = builder.build()
    for member in kind.made_without:
        request.pop(member, None)
    request.update(kind.made_with)
    for member in kind.made_filled:
        request[member] = builder.items([member], 1)
    request.update(extra)
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
