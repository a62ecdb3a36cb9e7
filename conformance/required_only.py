"""What is optional stays optional: each operation's request with only its required members.

For every operation of a scope, one case sends the model's required members and what a
documented dependency needs (the scope's `also_required`: a container definition's
containerProperties, a queue's computeEnvironmentOrder, an UNMANAGED environment's service
role, ListJobs' queue), and nothing else: not what the other cases send anyway (`explicit`:
`state`), not any member the documentation calls optional. It must be accepted. Another
documented shape of the request (`variants`: a MANAGED compute environment, which needs
computeResources and no service role) gets a case of its own. What the request names is
the run's own, or made for it (what it updates, deletes or terminates); a resource AWS
deletes only once DISABLED is disabled first, as documented.

Operations the run cannot send an honest request of are left out, with why (`left_out`):
those of the scope's `left_out_operations`, and those whose request must name a resource
the run cannot make (service jobs, quota shares: a placeholder would be refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance import catalogue, reads
from conformance.requests import RequestBuilder
from conformance.schemas import load_schema
from conformance.scopes import Scope
from conformance.scopes._tables import Variant


@dataclass(frozen=True)
class Shape:
    """One case: `operation`'s request with only its required members, in `variant`'s
    shape (None: the smallest request's)."""

    operation: str
    variant: Variant | None = None

    @property
    def id(self) -> str:
        """`CreateJobQueue`, or `CreateComputeEnvironment:MANAGED` for a variant."""
        return f"{self.operation}:{self.variant.label}" if self.variant else self.operation

    @property
    def rule(self) -> str:
        """`CreateJobQueue.required-only`."""
        return required_only_rule(self.operation)

    def request(self, builder: RequestBuilder) -> dict[str, Any]:
        """The request: required members, documented dependencies, nothing else."""
        request = builder.build(explicit=False)
        if self.variant is not None:
            request.update(self.variant.set)
            for member in self.variant.filled:
                request[member] = builder.fill([member])
            for member in self.variant.dropped:
                request.pop(member, None)
        return builder.settle(request)

    def sent(self, request: dict[str, Any]) -> str:
        """What the case sends, for its checks: `jobQueueName, priority, ...`."""
        return f"{self.id} with only {', '.join(request) or 'no member'}"


def required_only_rule(operation: str) -> str:
    """The rule of `operation`'s required-only request."""
    return f"{operation}.required-only"


def left_out(scope: Scope) -> dict[str, str]:
    """The operations of `scope` without a required-only case, and why."""
    why = {op: reason for op, reason in scope.tables.left_out_operations.items()}
    for kind, ref in catalogue.refs(scope.operations):
        schema = load_schema(scope.schema_name(ref.operation, "request"))
        required = schema.get("required", [])
        if not kind.makeable and ref.steps[0] in required and ref.operation not in why:
            why[ref.operation] = (
                f"its request names a {kind.label}, which the run cannot make honestly"
            )
    return {op: reason for op, reason in why.items() if op in scope.operations}


def derived_shapes(scope: Scope) -> list[Shape]:
    """Every required-only case of `scope`, in the scope's operation order."""
    skipped = left_out(scope)
    return [
        shape
        for operation in scope.operations
        if operation not in skipped
        for shape in (
            Shape(operation),
            *(Shape(operation, v) for v in scope.tables.variants.get(operation, ())),
        )
    ]


def acted_on(operation: str, request: dict[str, Any]) -> tuple[catalogue.Kind, str] | None:
    """The resource of the run `operation` changes or ends in `request`, with its kind."""
    for kind, ref in catalogue.refs((operation,)):
        if ref.acts and len(ref.steps) == 1 and isinstance(request.get(ref.path), str):
            return kind, str(request[ref.path])
    return None


def ready(batch: Any, operation: str, request: dict[str, Any]) -> None:
    """Make what `request` acts on ready for it, as documented: no longer CREATING (AWS
    changes a resource once it has settled), and DISABLED before a delete of a kind AWS
    deletes only then ("Before you can delete a compute environment, you must set its state
    to DISABLED"). A resource its description does not list (by the ARN its create
    answered) is not waited for: that is its lifecycle rule's verdict, not this case's."""
    target = acted_on(operation, request)
    if target is None:
        return
    kind, reference = target
    listed = kind.describe is not None and bool(reads.listed(batch, kind, reference))
    if listed and kind.busy:
        reads.settled(batch, kind, reference)
    if operation == kind.delete and kind.disabled_first and kind.update:
        update = kind.target(kind.update)
        assert update is not None, f"the catalogue names no reference of {kind.update}"
        batch.accept(kind.update, {update.path: reference, "state": "DISABLED"}, "disabling it")
        if listed:
            reads.wait_valid(batch, kind, reference, "DISABLED")
