"""Resources that take time to settle, as on AWS: CREATING, UPDATING, DELETING for a while.

On AWS a compute environment or a job queue made, updated (disabled) or deleted is busy
for seconds to minutes before it is VALID again, or gone. `Settling(settle_s)` gives each
kind of the catalogue whose busy statuses are CREATING, UPDATING and DELETING (compute
environments, job queues, service environments) that life: for `settle_s` after the answer
of the operation that made, updated or deleted it, the answers that describe or list it
show it CREATING, UPDATING or DELETING (a deleted one is still listed, DELETING, then gone),
and an update or a delete of it is refused as AWS refuses one of a resource being modified.
Everything else is the upstream's: it applied the change at once. Which operations make,
update, delete and read each kind is the catalogue's (`conformance.catalogue`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conformance.catalogue import BUSY_STATUSES, KINDS, Kind
from tests.proxy_core import Answer, client_exception

Json = dict[str, Any]
CREATING, UPDATING, DELETING = BUSY_STATUSES


def settling_kinds() -> tuple[Kind, ...]:
    """The kinds AWS shows CREATING, UPDATING and DELETING (each variant once)."""
    return tuple(
        kind
        for kind in KINDS
        if set(BUSY_STATUSES) <= set(kind.busy)
        and kind.describe is not None
        and kind.describe.listed
        and not kind.made_with
    )


@dataclass
class _Change:
    """A resource's last change: its status until `until`, and its entry as last read."""

    kind: Kind
    arn: str
    status: str
    until: float
    entry: Json


class Settling:
    """Remembers each resource's last change and shows it busy until it settles.

    `changed` takes every answered request; `refusal` says whether AWS would refuse one
    now; `read` rewrites the answers that describe or list the settling kinds.
    """

    def __init__(self, settle_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._settle_s = settle_s
        self._clock = clock
        self._lock = threading.Lock()
        self._kinds = settling_kinds()
        self._read_by = {k.describe.operation: k for k in self._kinds if k.describe}
        self._arns: dict[tuple[str, str], str] = {}  # (kind, name) -> ARN
        self._changes: dict[str, _Change] = {}  # ARN -> last change
        self.shown_busy = 0  # entries shown busy
        self.refused = 0

    @property
    def on(self) -> bool:
        """Does anything take time to settle?"""
        return self._settle_s > 0

    def _acted_on(self, operation: str, request: Json) -> tuple[Kind, str, str] | None:
        """(kind, reference, status it takes) of an update or a delete, else None."""
        for kind in self._kinds:
            for acting, status in ((kind.update, UPDATING), (kind.delete, DELETING)):
                ref = kind.target(acting) if acting == operation else None
                if ref is not None and isinstance(request.get(ref.path), str):
                    return kind, request[ref.path], status
        return None

    def _arn(self, kind: Kind, reference: str) -> str:
        return self._arns.get((kind.name, reference), reference)

    def refusal(self, operation: str, request: Json) -> Answer | None:
        """AWS's refusal of an update or a delete of a resource still busy, or None."""
        acted = self._acted_on(operation, request) if self.on else None
        if acted is None:
            return None
        kind, reference, _status = acted
        with self._lock:
            change = self._changes.get(self._arn(kind, reference))
            busy = change is not None and self._clock() < change.until
            if not busy or change is None:
                return None
            self.refused += 1
            status = change.status
        return client_exception(f"Cannot {operation}: the {kind.label} {reference} is {status}")

    def changed(self, operation: str, request: Json, answer: Json) -> None:
        """An accepted request: what it made, updated or deleted starts settling now."""
        if not self.on:
            return
        until = self._clock() + self._settle_s
        for kind in self._kinds:
            if operation == kind.create and isinstance(answer.get(kind.arn_member), str):
                arn = answer[kind.arn_member]
                name = request.get(kind.named_by) or answer.get(kind.name_member) or arn
                entry = {kind.arn_member: arn, kind.name_member: name}
                with self._lock:
                    self._arns[(kind.name, str(name))] = arn
                    self._changes[arn] = _Change(kind, arn, CREATING, until, entry)
                return
        acted = self._acted_on(operation, request)
        if acted is None:
            return
        kind, reference, status = acted
        with self._lock:
            arn = self._arn(kind, reference)
            before = self._changes.get(arn)
            entry = dict(before.entry) if before else {kind.arn_member: arn}
            self._changes[arn] = _Change(kind, arn, status, until, entry)

    def read(self, operation: str, request: Json, answer: Json) -> Json:
        """A describe or list answer with each settling resource as it is now: busy, and a
        deleted one still listed DELETING until it settles."""
        kind = self._read_by.get(operation)
        if kind is None or not self.on or kind.describe is None or not kind.describe.listed:
            return answer
        listed = kind.describe.listed
        entries = answer.get(listed)
        if not isinstance(entries, list):
            return answer
        asked = request.get(kind.describe.member) or []
        now = self._clock()
        shown: list[Any] = []
        with self._lock:
            seen: set[str] = set()
            for entry in entries:
                arn = str(entry.get(kind.arn_member)) if isinstance(entry, dict) else ""
                change = self._changes.get(arn)
                if change is None:
                    shown.append(entry)
                    continue
                seen.add(arn)
                change.entry = {k: v for k, v in entry.items() if k != "status"}
                shown.append(self._as_now(change, entry, now))
            if not answer.get("nextToken"):  # the last page: the deleted, still DELETING
                shown += [
                    self._as_now(change, change.entry, now)
                    for arn, change in self._changes.items()
                    if change.kind is kind
                    and change.status == DELETING
                    and now < change.until
                    and arn not in seen
                    and (not asked or arn in asked or change.entry.get(kind.name_member) in asked)
                ]
        return {**answer, listed: shown}

    def _as_now(self, change: _Change, entry: Json, now: float) -> Json:
        """`entry` with its status now (the caller holds the lock)."""
        if now >= change.until:
            return entry
        self.shown_busy += 1
        return {**entry, "status": change.status}
