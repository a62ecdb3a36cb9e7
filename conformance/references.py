"""References to nothing, derived from the catalogue: every member that names a resource.

For every reference of the catalogue (`Ref`) whose operation a scope judges and whose member
the scope's request schema has, and every form the member takes (`name`, `name:revision`,
`arn`, `id`), one case: the operation's smallest valid request, naming the run's own
resources, with that member naming a resource that does not exist: `<prefix>-absent-<kind>`,
an ARN of the endpoint's region and account, or an id made from the run's prefix, which no
endpoint has. What AWS does with it is the reference's `absent` (refused with HTTP 400
ClientException, accepted as a no-op, answered without an entry for it, or reported among a
bulk answer's errors); its rule (`Ref.rule_id`, in the scope's behaviour files) says on what
evidence. A reference whose answer the suite cannot hold an endpoint to says why
(`Ref.untested`) and gets no case. A reference added to the catalogue gets its cases here.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from conformance import catalogue
from conformance.catalogue import Kind, Ref
from conformance.context import PLACEHOLDER_ACCOUNT, Context
from conformance.requests import RequestBuilder, schema_at
from conformance.schemas import load_schema
from conformance.scopes import Scope

DEFAULT_REGION = "us-east-1"


class Judge(Protocol):
    """What sends a case's request and records its checks: `conformance.casekit.Batch`."""

    def accept(self, operation: str, params: dict[str, Any], why: str = "") -> dict[str, Any]: ...

    def reject(self, operation: str, params: dict[str, Any], why: str) -> None: ...

    def check(self, name: str, passed: bool, detail: str = "") -> None: ...


@dataclass(frozen=True)
class Absence:
    """One case: `ref` (of a resource of `kind`) names nothing, in the form `form`."""

    kind: Kind
    ref: Ref
    form: str

    @property
    def id(self) -> str:
        """`SubmitJob.jobDefinition.exists:name-revision`."""
        return f"{self.ref.rule_id}:{self.form}"

    @property
    def operation(self) -> str:
        """The operation the request is of."""
        return self.ref.operation

    @property
    def why(self) -> str:
        """What the case sends, for its checks."""
        return f"{self.ref.path} names a {self.kind.label} that does not exist (by {self.form})"

    def reference(self, ctx: Context) -> str:
        """The reference to nothing this case sends."""
        return absent_reference(self.kind, self.form, ctx)

    def request(self, ctx: Context, scope: Scope) -> dict[str, Any]:
        """The smallest valid request of the operation, with the member naming nothing.

        Whatever else names a resource of the same kind is never made for it (the member is
        filled with the reference to nothing from the start); the rest is the run's own.
        """
        absent = self.reference(ctx)
        local = dataclasses.replace(
            ctx,
            resource=_instead(ctx.resource, self.kind.name, absent),
            fresh=_instead(ctx.fresh, self.kind.name, absent),
            jobs=(lambda count: [absent] * count) if self.kind is catalogue.JOB else ctx.jobs,
        )
        builder = RequestBuilder(self.operation, local, scope)
        request = builder.build()
        top = self.ref.steps[0]
        for adjust in scope.tables.lookup(scope.tables.adjusts, self.operation, top) or ():
            adjust(request, local)
        builder.set_at(request, self.ref.steps, absent)
        return builder.settle(request)

    def judge(self, judge: Judge, request: dict[str, Any], absent: str) -> None:
        """Send `request` and hold the answer to what AWS does with a reference to nothing."""
        if self.ref.absent == "refused":
            judge.reject(self.operation, request, self.why)
            return
        body = judge.accept(self.operation, request, self.why)
        if self.ref.absent == "not-listed":
            listed = self.kind.describe.entries(body) if self.kind.describe else []
            judge.check("not-listed", not listed, f"{len(listed)} entries for {absent}")
            assert not listed, f"{self.operation} described {len(listed)} entries for {absent}"
        elif self.ref.absent == "reported":
            errors = [e for e in body.get("errors") or [] if absent in _values(e)]
            ok = bool(errors) and absent not in (body.get("successful") or [])
            judge.check("reported-as-error", ok, f"errors {body.get('errors')!r}")
            assert ok, f"{self.operation} did not report {absent} among its errors: {body}"


def _instead(named: Callable[[str], str], kind: str, absent: str) -> Callable[[str], str]:
    return lambda wanted: absent if wanted == kind else named(wanted)


def _values(entry: Any) -> list[Any]:
    return list(entry.values()) if isinstance(entry, dict) else []


def arn_home(ctx: Context) -> tuple[str, str, str]:
    """(partition, region, account) of the endpoint, read from the run's own ARNs."""
    account = PLACEHOLDER_ACCOUNT
    for known in (ctx.job_definition, ctx.job_queue, ctx.service_role_arn, ctx.job_role_arn):
        parts = known.split(":")
        if known.startswith("arn:") and len(parts) >= 6:
            if parts[3] and parts[4]:
                return parts[1], parts[3], parts[4]
            account = parts[4] or account
    return "aws", DEFAULT_REGION, account


def absent_reference(kind: Kind, form: str, ctx: Context) -> str:
    """A well-formed reference in `form` to a resource of `kind` that does not exist."""
    stem = f"{ctx.prefix}-absent-{kind.short}"
    if form == "id":
        return str(uuid.uuid5(uuid.NAMESPACE_OID, stem))
    if form == "name-revision":
        return f"{stem}:1"
    if form == "arn":
        partition, region, account = arn_home(ctx)
        base = catalogue.made_by(kind.create) if kind.create else None
        revision = ":1" if kind is catalogue.JOB_DEFINITION else ""
        return f"arn:{partition}:batch:{region}:{account}:{(base or kind).name}/{stem}{revision}"
    return stem


def _has_member(scope: Scope, ref: Ref) -> bool:
    schema = load_schema(scope.schema_name(ref.operation, "request"))
    try:
        schema_at(schema, ref.steps)
    except KeyError:
        return False
    return True


def derived_absences(scope: Scope) -> list[Absence]:
    """Every case of a reference to nothing in `scope`, in the catalogue's order."""
    return [
        Absence(kind, ref, form)
        for kind, ref in catalogue.refs(scope.operations)
        if not ref.untested and _has_member(scope, ref)
        for form in ref.forms
    ]
