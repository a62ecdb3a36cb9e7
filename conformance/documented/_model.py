"""What a documented constraint is: its id, how firm, where it is stated, how to find it
broken (`Constraint`), what the run knows of the resources a request names (`Known`), and
how a case shows it on an endpoint (`Witness`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from conformance.context import placeholder_kind

if TYPE_CHECKING:
    from conformance.boundaries import Edit

Basis = Literal["documented", "reported", "unverified"]
Check = Callable[[dict[str, Any]], Iterator[str]]  # one detail per place it is broken
KnownCheck = Callable[[dict[str, Any], "Known"], Iterator[str]]


def _none() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Known:
    """What the run knows of the resources a request names: the catalogue kind of each one
    it made (by the reference it gave), so that a constraint on what a request names (a
    share identifier only on a fair-share queue) can be checked before it is sent. The
    placeholders of offline derivation say their kind themselves; anything else is unknown
    (None), and a constraint treats it as the kind that breaks nothing it could check."""

    kinds: Mapping[str, str] = field(default_factory=_none)

    def kind_of(self, reference: Any) -> str | None:
        """The catalogue kind `reference` names, or None when the run does not know it."""
        if not isinstance(reference, str):
            return None
        return self.kinds.get(reference) or placeholder_kind(reference)


OFFLINE = Known()


@dataclass(frozen=True)
class Witness:
    """How a case shows a constraint on an endpoint: `kept`, edits of the operation's
    smallest request (then settled: what else its members need) that make a request keeping
    to it, which must be accepted; `broken`, edits of the smallest request (not settled)
    that break exactly this constraint, which must be refused."""

    kept: tuple[Edit, ...]
    broken: tuple[Edit, ...]


@dataclass(frozen=True)
class Constraint:
    """One thing AWS states about a request beyond the schemas' limits, and how to find it
    broken. A constraint with a `witness` is a rule of its scope's rulebook (the rule of the
    same id: its strength, evidence and citation), whose cases show it both ways."""

    id: str
    basis: Basis
    source: str  # a one-line citation with the quote
    check: KnownCheck  # yields one detail per place the request breaks it
    witness: Witness | None = None

    @property
    def operation(self) -> str:
        """`SubmitJob` for `SubmitJob.dependsOn.N_TO_N`."""
        return self.id.split(".", 1)[0]


def at(value: Any, *path: str) -> Any:
    """The member at `path`, or None (also when a parent is not an object)."""
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def entries(value: Any) -> list[dict[str, Any]]:
    """The object entries of a list member (none when it is not a list)."""
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []
