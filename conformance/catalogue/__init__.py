"""The catalogue of AWS Batch resources: every kind declared once, with how it is handled.

A `Kind` says how a resource is made (the operation, the answer member of its ARN, the
member of its name), described one at a time, listed (for the cleanup's sweeps), updated,
disabled and deleted; its busy and settled statuses; whether it takes tags; and which
request members of which operations refer to it (`Ref`: by name, ARN or id). Everything
that makes, reads, fills in or cleans up a Batch resource reads it from here: provisioning,
the cleanup's ledger and sweeps, the requests' fills, the round trips, the lifecycles, the
reference cases and the tests' AWS-like endpoint. Nothing else keeps a table of kinds.

Adding a kind is one declaration here (and its rules in `specs/`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from graphlib import TopologicalSorter

from conformance.catalogue._kinds import (
    COMPUTE_ENVIRONMENT,
    CONSUMABLE_RESOURCE,
    EC2_COMPUTE_ENVIRONMENT,
    FAIR_SHARE_POLICY,
    FAIR_SHARE_QUEUE,
    FARGATE_COMPUTE_ENVIRONMENT,
    IAM_ROLE,
    JOB,
    JOB_DEFINITION,
    JOB_QUEUE,
    KINDS,
    QUOTA_SHARE,
    SCHEDULING_POLICY,
    SERVICE_ENVIRONMENT,
    SERVICE_JOB,
    SERVICE_QUEUE,
)
from conformance.catalogue._model import (
    ARN_HEAD,
    BUSY_STATUSES,
    FORMS,
    GONE_STATUSES,
    VALID_STATUSES,
    Absent,
    By,
    Kind,
    Listing,
    Lookup,
    Ref,
)

__all__ = [
    "ARN_HEAD",
    "BUSY_STATUSES",
    "COMPUTE_ENVIRONMENT",
    "CONSUMABLE_RESOURCE",
    "EC2_COMPUTE_ENVIRONMENT",
    "FAIR_SHARE_POLICY",
    "FAIR_SHARE_QUEUE",
    "FARGATE_COMPUTE_ENVIRONMENT",
    "FORMS",
    "GONE_STATUSES",
    "IAM_ROLE",
    "JOB",
    "JOB_DEFINITION",
    "JOB_QUEUE",
    "KINDS",
    "QUOTA_SHARE",
    "SCHEDULING_POLICY",
    "SERVICE_ENVIRONMENT",
    "SERVICE_JOB",
    "SERVICE_QUEUE",
    "VALID_STATUSES",
    "Absent",
    "By",
    "Kind",
    "Listing",
    "Lookup",
    "Ref",
]

_BY_NAME = {kind.name: kind for kind in KINDS}


def kind(name: str) -> Kind:
    """The kind called `name` (`compute-environment`, ...); KeyError naming the known ones."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown resource kind {name!r}: {', '.join(_BY_NAME)}") from None


def made_by(operation: str) -> Kind | None:
    """The kind `operation` makes (its variants aside), or None."""
    return next((k for k in KINDS if k.create == operation and not k.made_with), None)


def described_by(operation: str) -> Kind | None:
    """The kind whose one-at-a-time description `operation` is, or None."""
    return next(
        (k for k in KINDS if k.describe and k.describe.operation == operation and not k.made_with),
        None,
    )


def listed_by(operation: str) -> Kind | None:
    """The kind `operation` lists across the account (not within one queue), or None."""
    return next(
        (
            k
            for k in KINDS
            if k.listing and k.listing.operation == operation and not k.listing.in_queue
        ),
        None,
    )


def changed_by(operation: str) -> Kind | None:
    """The kind `operation` updates, or None."""
    return next((k for k in KINDS if k.update == operation and not k.made_with), None)


def refs(operations: tuple[str, ...] | None = None) -> Iterator[tuple[Kind, Ref]]:
    """Every reference of the catalogue (of `operations` only, if given), with its kind."""
    for k in KINDS:
        for ref in k.refs:
            if operations is None or ref.operation in operations:
                yield k, ref


def ref_at(operation: str, path: str) -> tuple[Kind, Ref] | None:
    """The reference at `path` (dotted) of `operation`'s request, or None."""
    return next(((k, r) for k, r in refs() if r.operation == operation and r.path == path), None)


def taggable() -> tuple[Kind, ...]:
    """The kinds TagResource takes, each made by an operation of its own."""
    return tuple(k for k in KINDS if k.taggable and k.create and not k.made_with)


@cache
def cleanup_order() -> tuple[Kind, ...]:
    """Every kind in the order the cleanup removes them, derived from the references: what
    names another kind when it is made (a job its queue, a queue its compute environments)
    goes first."""
    after: dict[str, set[str]] = {k.name: set() for k in KINDS}
    for made in KINDS:
        for ref in creation_refs(made):
            named = next(k for k, r in refs() if r is ref)
            if named is not made:
                after[named.name].add(made.name)
    order = TopologicalSorter(after).static_order()
    return tuple(_BY_NAME[name] for name in order)


def creation_refs(made: Kind) -> tuple[Ref, ...]:
    """What making `made` names (a queue its compute environments, ...)."""
    return tuple(r for _k, r in refs() if r.operation == made.create)
