"""What a scope's requests and round trips read beyond its schemas and the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from conformance.context import Context

Fill = Callable[[Context, int], Any]  # a valid value of a member (item `i` of a list)
Adjust = Callable[[dict[str, Any], Context], None]  # what else a member needs in its request


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Variant:
    """Another documented shape of an operation's smallest request (a MANAGED compute
    environment instead of an UNMANAGED one): members `set` to these values, members
    `filled` with the builder's valid values, members `dropped` (what that shape does
    not need)."""

    label: str
    set: Mapping[str, Any] = field(default_factory=_empty)
    filled: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Tables:
    """A scope's tables; `extended` gives a scope that adds to another's.

    - `fills`: `<Operation>:<member path>` -> a valid value of a member that names nothing
      (what names a resource is filled from the catalogue's references).
    - `also_required`: members the model does not mark required but a request needs on AWS,
      as the documentation says (a documented dependency: each required-only rule quotes it).
    - `explicit`: optional members the smallest request sends anyway, so that a limit case
      tests its limit and not a default (`state`); the required-only cases leave them out.
    - `variants`: other documented shapes of an operation's smallest request, each with
      what it needs instead (a MANAGED compute environment: computeResources, no service
      role); each gets a required-only case of its own.
    - `realistic`: `<Operation>:<member>` or `<member>` -> a realistic value for a round trip
      (a callable takes the run's `Context`: it names something of the run's).
    - `identifying`: members that only identify what a request acts on, beyond the names
      and the required references the catalogue gives (no round trip of their own).
    - `whole`: objects sent as one value (their parts are not separate round trips).
    - `answered_as`: `<Operation>:<member>` or `<member>` -> where the answer carries it.
    - `companions`: members that only make sense with others (a mount point names a volume).
    - `adjusts`: what else a member needs in its request (a Fargate definition, a
      fair-share queue, ...): `RequestBuilder.settle` applies them to any request that
      holds the member, whoever built it.
    - `left_out`: by operation, the members a round trip cannot check honestly, and why;
      `left_out_operations`: whole operations the run cannot send an honest request of
      (no round trip, no required-only case), and why.
    """

    fills: Mapping[str, Fill] = field(default_factory=_empty)
    also_required: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)
    explicit: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)
    variants: Mapping[str, tuple[Variant, ...]] = field(default_factory=_empty)
    realistic: Mapping[str, Any] = field(default_factory=_empty)
    identifying: Mapping[str, frozenset[str]] = field(default_factory=_empty)
    whole: frozenset[str] = frozenset()
    answered_as: Mapping[str, str] = field(default_factory=_empty)
    companions: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)
    adjusts: Mapping[str, tuple[Adjust, ...]] = field(default_factory=_empty)
    left_out: Mapping[str, Mapping[str, str]] = field(default_factory=_empty)
    left_out_operations: Mapping[str, str] = field(default_factory=_empty)

    def extended(self, more: Tables) -> Tables:
        """These tables with `more`'s added (its entries win where both have one)."""
        merged: dict[str, Any] = {}
        for item in fields(self):
            mine, theirs = getattr(self, item.name), getattr(more, item.name)
            if isinstance(mine, frozenset):
                merged[item.name] = mine | theirs
            else:
                merged[item.name] = MappingProxyType({**mine, **theirs})
        return Tables(**merged)

    def lookup(self, table: Mapping[str, Any], operation: str, member: str) -> Any:
        """`table`'s entry for `<operation>:<member>`, else for `<member>`, else None."""
        return table.get(f"{operation}:{member}", table.get(member))
