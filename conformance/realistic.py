"""Realistic values for request members, and the members a round-trip case sets.

The list of members comes from the request schemas: a member added there gets its
round-trip case without new code (falling back to a value sampled from its schema when
no realistic value is written in the scope's tables). Which operations have round trips,
and which operation describes what each made or changed, is the catalogue's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance import catalogue
from conformance.requests import RequestBuilder
from conformance.schemas import load_schema
from conformance.scopes import Scope


@dataclass(frozen=True)
class Member:
    """A request member a round-trip case sets, and where the answer carries it."""

    operation: str
    path: tuple[str, ...]
    scope: Scope

    @property
    def dotted(self) -> str:
        """`containerProperties.image`."""
        return ".".join(self.path)

    @property
    def answered_at(self) -> tuple[str, ...]:
        """The path of the member in the describe answer's entry."""
        tables = self.scope.tables
        head = tables.lookup(tables.answered_as, self.operation, self.path[0]) or self.path[0]
        return (head, *self.path[1:])


def round_trip_kind(operation: str) -> catalogue.Kind | None:
    """The kind `operation` makes or changes, so that its round trip describes it."""
    return catalogue.made_by(operation) or catalogue.changed_by(operation)


def round_trips(scope: Scope) -> list[str]:
    """Every operation of `scope` that makes or changes something it can describe, in the
    scope's order, but those its tables leave out (with their reasons)."""
    return [
        op
        for op in scope.operations
        if (kind := round_trip_kind(op)) is not None
        and kind.describe is not None
        and op not in scope.tables.left_out_operations
    ]


def describer(operation: str) -> str:
    """The operation that describes what `operation` made or changed."""
    kind = round_trip_kind(operation)
    assert kind is not None, f"{operation} makes nothing"
    assert kind.describe is not None, f"nothing describes what {operation} makes"
    return kind.describe.operation


def identifying(operation: str, scope: Scope) -> set[str]:
    """Members that only identify what a request makes or acts on: its new name, what it
    updates, the references it requires, and what the scope's tables add."""
    found = set(scope.tables.identifying.get(operation, ()))
    kind = round_trip_kind(operation)
    if kind is not None and kind.create == operation:
        found.add(kind.named_by)
    required = set(load_schema(scope.schema_name(operation, "request")).get("required", []))
    for _kind, ref in catalogue.refs((operation,)):
        top = ref.steps[0]
        if ref.acts or top in required:
            found.add(top)
    return found


def members(operation: str, schema: dict[str, Any], scope: Scope) -> list[Member]:
    """Every settable member of a request schema, one level into container objects.

    What the scope's tables leave out (a member, or a whole object) has no case.
    """
    tables = scope.tables
    left_out = tables.left_out.get(operation, {})
    skip = identifying(operation, scope)
    found: list[Member] = []
    for name, node in sorted(schema.get("properties", {}).items()):
        if name in skip or name in left_out:
            continue
        inner = node.get("properties")
        if inner and name not in tables.whole:
            found.extend(
                Member(operation, (name, sub), scope)
                for sub in sorted(inner)
                if f"{name}.{sub}" not in left_out
            )
        else:
            found.append(Member(operation, (name,), scope))
    return found


def value_for(member: Member, builder: RequestBuilder) -> Any:
    """A realistic value for the member (else the builder's: the run's context or the schema)."""
    tables = member.scope.tables
    value = tables.lookup(tables.realistic, member.operation, member.dotted)
    if callable(value):
        return value(builder.ctx)
    if value is not None:
        return value
    return builder.fill(list(member.path))


def request_setting(member: Member, builder: RequestBuilder) -> tuple[dict[str, Any], Any]:
    """The smallest valid request with `member` (and its companions) set; and the value.

    The values that name the run's things (its roles, compute environment, scheduling
    policy, ...) come from the builder's context.
    """
    tables = member.scope.tables
    request = builder.build()
    for companion in tables.lookup(tables.companions, member.operation, member.dotted) or ():
        other = Member(member.operation, tuple(companion.split(".")), member.scope)
        builder.set_at(request, list(other.path), value_for(other, builder))
    value = value_for(member, builder)
    builder.set_at(request, list(member.path), value)
    builder.settle(request)  # with what else the member needs (the scope's `adjusts`)
    return request, value


def full_request(operation: str, builder: RequestBuilder) -> dict[str, Any]:
    """A valid request with every settable member set to its realistic value."""
    request = builder.build()
    for member in members(operation, builder.schema, builder.scope):
        builder.set_at(request, list(member.path), value_for(member, builder))
    return request


def dig(entry: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` in an answer's entry, or None."""
    for part in path:
        if not isinstance(entry, dict):
            return None
        entry = entry.get(part)
    return entry


def came_back(sent: Any, got: Any) -> bool:
    """Did a sent value come back? Additions and defaults are not changes.

    Objects: every sent key comes back equal (extra keys allowed). Lists of objects: every
    sent item comes back (order free, extras allowed). Other values: equal.
    """
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(
            key in got and came_back(sent[key], got[key]) for key in sent
        )
    if isinstance(sent, list) and sent and all(isinstance(item, dict) for item in sent):
        return isinstance(got, list) and all(
            any(came_back(item, other) for other in got) for item in sent
        )
    return bool(sent == got) or same_resource(sent, got)


def same_resource(sent: Any, got: Any) -> bool:
    """A resource sent by name comes back as the ARN AWS answers for it (a queue's
    `computeEnvironmentOrder[].computeEnvironment`: `arn:aws:batch:...:compute-environment/<name>`):
    the same resource, not a changed value."""
    return (
        isinstance(sent, str)
        and isinstance(got, str)
        and not sent.startswith("arn:")
        and got.startswith("arn:")
        and got.rsplit("/", 1)[-1] == sent
    )
