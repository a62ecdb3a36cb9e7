"""What a run can call its own on an endpoint others use too.

Everything a run makes carries its prefix (`bc` + 8 hex digits, and `w<n>` for a worker).
An answer that lists the whole account (DescribeJobDefinitions without a name, the current
scope's DescribeComputeEnvironments, ...) also lists what other runs left: on a moto server
used twice, the first run's INACTIVE definitions. A verdict must not depend on them, so only
the run's own entries of such a listing are judged; the others make a note that the
endpoint is not fresh, never a failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from conformance import catalogue
from conformance.catalogue import Kind

Owned = Callable[[Kind, Mapping[str, Any]], bool]


def named_by_run(prefix: str, name: str) -> bool:
    """`<prefix>-...`, or `<prefix>w<n>-...` of one of the run's xdist workers."""
    return re.match(rf"{re.escape(prefix)}(?:w[0-9]+)?-", name) is not None


def entry_name(kind: Kind, entry: Mapping[str, Any]) -> str:
    """The name a listed entry gives its resource: its name member, else its ARN's tail."""
    name = entry.get(kind.name_member) if kind.name_member else None
    if isinstance(name, str) and name:
        return name
    arn = entry.get(kind.arn_member) if kind.arn_member else None
    return arn.rsplit("/", 1)[-1] if isinstance(arn, str) else ""


def owned_by(prefix: str, known: Owned | None = None) -> Owned:
    """Is an entry the run's: named with its prefix, or known to it (its ledger)? An entry
    that names nothing cannot be told apart: it counts as the run's (it is judged)."""

    def owned(kind: Kind, entry: Mapping[str, Any]) -> bool:
        name = entry_name(kind, entry)
        if not name or named_by_run(prefix, name):
            return True
        return known is not None and known(kind, entry)

    return owned


def own_listing(
    operation: str, body: dict[str, Any], owned: Owned
) -> tuple[dict[str, Any], str | None]:
    """The answer with only the run's own entries of an account-wide listing, and a note
    when others were left out (None: nothing was)."""
    kind = catalogue.listed_by(operation)
    if kind is None or kind.listing is None:
        return body, None
    key = kind.listing.listed
    entries = body.get(key)
    if not isinstance(entries, list):
        return body, None
    own = [e for e in entries if not isinstance(e, Mapping) or owned(kind, e)]
    others = len(entries) - len(own)
    if not others:
        return body, None
    note = (
        f"not a fresh endpoint: {operation} listed {len(entries)} {kind.label}s, {others} of"
        f" them not made by this run (other runs left them); only the run's own {len(own)}"
        " are judged"
    )
    return {**body, key: own}, note
