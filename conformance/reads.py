"""How a case reads a Batch resource back, for any kind of the catalogue.

`entries` describes one resource and keeps only the entries that are it (a case judges the
answer it asked for, not another one); `listed` reads until the resource shows (a resource
just made may be missing for a moment: bounded by --consistency-wait); `settled` waits until
it is no longer busy (CREATING, UPDATING: bounded by the run's settle bound); `pages` follows
a listing's nextToken. Every wait is the kit's (`Batch.read_until`, `Batch.settle_until`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from conformance.calls import EndpointUnusable
from conformance.catalogue import GONE_STATUSES, Kind

if TYPE_CHECKING:  # the kit imports what imports this module
    from conformance.casekit import Batch

MAX_PAGES = 50  # pages followed before a listing counts as endless
T = TypeVar("T")


def entries(batch: Batch, kind: Kind, reference: str) -> list[dict[str, Any]]:
    """The described entries that are the resource `reference` names (its ARN or name).

    A kind described one at a time (its answer is the resource) gives that answer.
    """
    lookup = kind.describe
    assert lookup is not None, f"the catalogue says no way to describe a {kind.label}"
    found = lookup.entries(batch.accept(lookup.operation, lookup.request(reference)))
    if lookup.listed is None:
        return found
    return [entry for entry in found if kind.is_entry_of(entry, reference)]


def listed(batch: Batch, kind: Kind, reference: str) -> list[dict[str, Any]]:
    """The resource's entries once it shows (a bounded read); empty if it never does."""
    return batch.read_until(lambda: entries(batch, kind, reference), bool)


def status(found: list[dict[str, Any]]) -> tuple[str | None, str | None, str]:
    """(status, state, statusReason) of the one resource described, or Nones if unlisted."""
    if not found:
        return None, None, ""
    first = found[0]
    return first.get("status"), first.get("state"), str(first.get("statusReason") or "")


def settled(batch: Batch, kind: Kind, reference: str) -> dict[str, Any]:
    """The resource's entry once it shows and is no longer busy (CREATING, UPDATING): AWS
    may apply a create or an update while the resource is busy. An error of the case if it
    never shows, or is still busy when the settle bound runs out."""
    if not listed(batch, kind, reference):
        raise AssertionError(
            f"{kind.describe.operation if kind.describe else kind.label}"
            f" of {reference} did not return it"
        )
    found = batch.settle_until(
        lambda: entries(batch, kind, reference),
        lambda seen: not seen or status(seen)[0] not in kind.busy,
        f"{reference} waited to settle",
        lambda seen: status(seen)[0],
    )
    assert found, f"{reference} is no longer described"
    return found[0]


def wait_valid(batch: Batch, kind: Kind, arn: str, state: str) -> dict[str, Any]:
    """Wait until the resource is VALID in `state`; INVALID is an error naming its reason,
    and so is a resource its describe operation never lists by its ARN."""
    if not listed(batch, kind, arn):
        raise EndpointUnusable(f"{arn} is not listed when described by its ARN")

    def done(seen: tuple[str | None, str | None, str]) -> bool:
        if seen[0] == "INVALID":
            raise EndpointUnusable(f"{arn} is INVALID: {seen[2] or '(no statusReason)'}")
        return seen[0] == "VALID" and seen[1] == state

    batch.settle_until(
        lambda: status(entries(batch, kind, arn)),
        done,
        f"{arn} waited for VALID and {state}",
    )
    return entries(batch, kind, arn)[0]


def begun(batch: Batch, kind: Kind, arn: str) -> None:
    """The check of a resource just made: listed by its ARN, CREATING or VALID."""
    found = listed(batch, kind, arn)
    batch.check("listed", bool(found), f"{arn} listed when described by its ARN: {bool(found)}")
    assert found, f"the new {kind.label} {arn} is not listed when described by its ARN"
    first = status(found)[0]
    begun = first in ("CREATING", "VALID")
    batch.check("created-status", begun, f"status {first!r} right after creation")
    assert begun, f"a new {kind.label} is {first!r}, expected CREATING or VALID"


def wait_gone(batch: Batch, kind: Kind, arn: str) -> None:
    """Wait until the resource is no longer listed, or listed DELETING/DELETED."""
    batch.settle_until(
        lambda: status(entries(batch, kind, arn))[0],
        lambda status: status is None or status in GONE_STATUSES,
        f"{arn} waited to be deleted",
    )


def pages(batch: Batch, operation: str, params: dict[str, Any], key: str) -> Iterator[list[Any]]:
    """Each page of a listing, following nextToken (at most MAX_PAGES)."""
    request = dict(params)
    for _ in range(MAX_PAGES):
        body = batch.accept(operation, request)
        yield list(body.get(key, []))
        token = body.get("nextToken")
        if not token:
            return
        request = {**params, "nextToken": token}
    batch.check("pagination-ends", False, f"{operation} still sent a nextToken after {MAX_PAGES}")
    raise AssertionError(f"{operation} still sent a nextToken after {MAX_PAGES} pages")
