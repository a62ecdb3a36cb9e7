"""Delete everything a run created: its ledger, and what carries its prefix but never reached it.

The ledger keeps what the run made, by catalogue kind, as soon as it exists. The cleanup
sweeps the endpoint for what carries the run's prefix (a call cut off in flight can create
something whose answer never arrived), then removes each kind in the catalogue's cleanup
order: what names another kind first. What AWS deletes only once DISABLED is disabled all
at once, every kind together, and awaited in one bounded poll; then each kind is deleted
together and awaited gone in one poll, so that the cost is that of the slowest resource,
not the sum of all of them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import botocore

from conformance import catalogue
from conformance.attribution import named_by_run
from conformance.catalogue import Kind
from conformance.sdk_errors import SDK_ERRORS, already_gone, describe_error
from conformance.waiting import poll

SWEEP_PAGES = 20
GONE = frozenset({None, "DELETED"})  # not listed, or listed as no more
DESCRIBED_AT_ONCE = 100
Action = tuple[str, str, Callable[[], Any]]
Batches = list[tuple[Kind, list[str]]]  # resources of each kind, removed together


@dataclass
class Ledger:
    """What this run created, by catalogue kind and in creation order; and its IAM roles."""

    made: dict[str, list[str]] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    attached: dict[str, list[str]] = field(default_factory=dict)  # role name -> policy ARNs

    def add(self, kind: Kind, reference: str) -> None:
        """`reference` (an ARN, a name or an id) names something of `kind` the run made."""
        kept = self.made.setdefault(kind.name, [])
        if reference and reference not in kept:
            kept.append(reference)

    def of(self, kind: Kind) -> list[str]:
        """What the run made of `kind`, in creation order."""
        return list(self.made.get(kind.name, []))

    def knows(self, kind: Kind, entry: Mapping[str, Any]) -> bool:
        """Is the described or listed `entry` something the ledger has?"""
        return any(kind.is_entry_of(entry, reference) for reference in self.of(kind))


def client_call(client: Any, operation: str) -> Callable[..., Any]:
    """The SDK method of `operation` (`DescribeJobQueues` -> `describe_job_queues`)."""
    return getattr(client, botocore.xform_name(operation))  # type: ignore[no-any-return]


class Cleanup:
    """Removes a ledger's resources (and, when it `sweeps`, the run's strays) from an
    endpoint; `errors` names what the endpoint refused to delete.

    `swept`: the kinds whose strays are looked for; `queue`: the queue whose jobs are;
    `settle_s`: how long a resource may take to be disabled or deleted; `parallel`: how
    many calls at once (latency-bound on a remote endpoint).
    """

    def __init__(self, batch: Any, iam: Any, prefix: str, ledger: Ledger) -> None:
        self._batch = batch
        self._iam = iam
        self.prefix = prefix
        self.ledger = ledger
        self.swept: tuple[Kind, ...] = ()
        self.queue: str | None = None
        self.sweeps = True
        self.sweeps_roles = False
        self.touched = True  # False: nothing was ever sent that could make anything
        self.settle_s = 30.0
        self.parallel = 1
        self._failed: dict[tuple[str, str], list[str]] = {}
        self._left: list[tuple[Kind, str, dict[str, Any]]] = []  # not gone after the wait
        self._kept: list[str] = []  # roles kept for what is left
        self._lock = threading.Lock()

    def run(self) -> None:
        """Remove what the ledger holds, kind by kind; swept twice (a call cut off in flight
        may still be landing while the first pass runs); roles last. Nothing to do for a
        run that never sent anything that makes a resource (an endpoint that never
        answered its first call)."""
        if not self.touched:
            return
        done: set[tuple[str, str]] = set()
        for _pass in range(2 if self.sweeps else 1):
            if self.sweeps:
                self._sweep()
            fresh: Batches = []
            for kind in catalogue.cleanup_order():
                made = [r for r in self.ledger.of(kind) if (kind.name, r) not in done]
                done.update((kind.name, r) for r in made)
                if made and kind.delete:
                    fresh.append((kind, list(reversed(made))))
            self._disable([(k, refs) for k, refs in fresh if k.disabled_first and k.update])
            for kind, references in fresh:
                self._delete(kind, references)
        if self.sweeps_roles:
            self._sweep_roles()
        for role in self.ledger.roles:
            self._delete_role(role)

    # -- sweeps -------------------------------------------------------------------------
    def _sweep(self) -> None:
        """Add to the ledger what carries the run's prefix but was never recorded."""
        for kind in self.swept:
            listing = kind.listing
            if listing is None or (listing.in_queue and not self.queue):
                continue
            for entry in self._listed(kind):
                name = str(entry.get(kind.name_member) or "")
                reference = str(
                    entry.get(kind.id_member or kind.arn_member)
                    or entry.get(kind.name_member)
                    or ""
                )
                name = name or reference.rsplit("/", 1)[-1]
                if (
                    reference
                    and named_by_run(self.prefix, name)
                    and not self.ledger.knows(kind, entry)
                ):
                    self.ledger.add(kind, reference)

    def _listed(self, kind: Kind) -> list[dict[str, Any]]:
        """Every entry of a kind's listing (bounded; one status at a time where it says)."""
        listing = kind.listing
        assert listing is not None
        call = client_call(self._batch, listing.operation)
        base: dict[str, Any] = dict(listing.params)
        if listing.in_queue:
            base[listing.in_queue] = self.queue
        entries: list[dict[str, Any]] = []
        for status in listing.statuses or (None,):
            params = {**base, **({"jobStatus": status} if status else {})}
            if listing.page_size:
                params["maxResults"] = listing.page_size
            entries += self._pages(call, params, listing.listed)
        return entries

    def _pages(self, call: Callable[..., Any], params: dict[str, Any], key: str) -> list[Any]:
        """Entries of a paginated listing; what was listed before a refusal."""
        entries: list[dict[str, Any]] = []
        token: str | None = None
        for _page in range(SWEEP_PAGES):
            try:
                page = call(**params, **({"nextToken": token} if token else {}))
            except SDK_ERRORS:
                break
            entries += [e for e in page.get(key, []) if isinstance(e, dict)]
            token = page.get("nextToken")
            if not token:
                break
        return entries

    def _sweep_roles(self) -> None:
        """Roles with the run's prefix that a cut-off CreateRole left out of the ledger."""
        marker: str | None = None
        for _page in range(SWEEP_PAGES):
            try:
                page = self._iam.list_roles(MaxItems=100, **({"Marker": marker} if marker else {}))
            except SDK_ERRORS:
                return
            for role in page.get("Roles", []):
                name = str(role.get("RoleName", ""))
                if named_by_run(self.prefix, name) and name not in self.ledger.roles:
                    self.ledger.roles.append(name)
            marker = page.get("Marker") if page.get("IsTruncated") else None
            if not marker:
                return

    # -- removal ------------------------------------------------------------------------
    def _disable(self, kinds: Batches) -> None:
        """Disable every resource AWS deletes only once DISABLED, of every kind at once (a
        compute environment may be disabled while its queue is): each settled first (AWS
        refuses to update one still busy), all awaited in one bounded poll."""
        if not kinds:
            return
        self._await(kinds, lambda kind, status: status not in kind.busy)
        actions: list[Action] = []
        for kind, references in kinds:
            assert kind.update is not None
            target = _member(kind, kind.update)
            disable = client_call(self._batch, kind.update)
            actions += [
                (f"disable {kind.label}", r, partial(disable, **{target: r, "state": "DISABLED"}))
                for r in references
            ]
        self._try_all(actions)
        self._await(kinds, lambda kind, status: status not in kind.busy)

    def _delete(self, kind: Kind, references: list[str]) -> None:
        """Delete every resource of a kind, together; one that AWS deletes only once
        DISABLED is awaited gone (one bounded poll) before what it needs goes (the queue
        before its compute environments, these before their role)."""
        assert kind.delete is not None
        member = _member(kind, kind.delete)
        delete = client_call(self._batch, kind.delete)
        extra = dict(kind.delete_with)
        self._try_all(
            [
                (f"delete {kind.label}", r, partial(delete, **{member: r}, **extra))
                for r in references
            ]
        )
        if kind.disabled_first:  # gone before what it needed goes: its role
            seen = self._await([(kind, references)], lambda kind, status: status not in kind.busy)
            for (_, reference), entry in seen.items():
                if entry is not None and kind.status_of(entry) not in GONE:
                    self._left.append((kind, reference, entry))

    def _await(
        self, kinds: Batches, done: Callable[[Kind, str | None], bool]
    ) -> dict[tuple[str, str], dict[str, Any] | None]:
        """Wait (one bounded poll for all of them) until every resource's status is `done`;
        what was described last (by kind name and reference; None: not listed). An endpoint
        that cannot describe them ends the wait (and nothing is known of them)."""
        Seen = dict[tuple[str, str], tuple[Kind, dict[str, Any] | None]]

        def look() -> Seen | None:
            try:
                return {
                    (kind.name, reference): (kind, entry)
                    for kind, references in kinds
                    for reference, entry in self._described(kind, references).items()
                }
            except SDK_ERRORS:
                return None

        def all_done(seen: Seen | None) -> bool:
            return seen is None or all(
                done(kind, kind.status_of(entry) if entry else None)
                for kind, entry in seen.values()
            )

        last = poll(look, all_done, self.settle_s).value or {}
        return {key: entry for key, (_, entry) in last.items()}

    def _described(self, kind: Kind, references: list[str]) -> dict[str, dict[str, Any] | None]:
        """Each resource's entry (None: not listed), described many at a time."""
        lookup = kind.describe
        assert lookup is not None
        assert lookup.many
        call = client_call(self._batch, lookup.operation)
        found: dict[str, dict[str, Any] | None] = dict.fromkeys(references)
        for start in range(0, len(references), DESCRIBED_AT_ONCE):
            chunk = references[start : start + DESCRIBED_AT_ONCE]
            entries = lookup.entries(call(**{lookup.member: chunk}))
            for reference in chunk:
                found[reference] = next(
                    (e for e in entries if kind.is_entry_of(e, reference)), None
                )
        return found

    def _still_needs(self, role: str) -> tuple[Kind, str, dict[str, Any]] | None:
        """A resource not gone (still DELETING when the wait ran out, or its delete refused)
        that names `role`: deleting the role under it can leave it INVALID for good."""
        for kind, reference, entry in self._left:
            if any(_names_role(value, role) for value in entry.values()):
                return kind, reference, entry
        return None

    def _delete_role(self, role: str) -> None:
        """Detach its policies (AWS refuses to delete a role with any), then delete it; kept
        while a resource that names it is not gone, and said so."""
        needed = self._still_needs(role)
        if needed is not None:
            kind, reference, entry = needed
            with self._lock:
                self._kept.append(
                    f"kept the IAM role {role} (left on the endpoint): the {kind.label}"
                    f" {reference} that names it is still {kind.status_of(entry)} after"
                    f" {self.settle_s:.0f} s, and deleting its role first can leave it INVALID"
                    " for good"
                )
            return
        policies = list(self.ledger.attached.get(role, []))
        try:
            listed = self._iam.list_attached_role_policies(RoleName=role)
            more = [str(p.get("PolicyArn")) for p in listed.get("AttachedPolicies", [])]
            policies += [p for p in more if p not in policies]
        except SDK_ERRORS:
            pass  # the ledger's policies are detached all the same
        for policy in policies:
            detach = partial(self._iam.detach_role_policy, RoleName=role, PolicyArn=policy)
            self._try("detach policy from role", role, detach)
        self._try("delete role", role, partial(self._iam.delete_role, RoleName=role))

    def _try_all(self, actions: list[Action]) -> None:
        """Run cleanup calls, `parallel` at a time."""
        if self.parallel <= 1 or len(actions) <= 1:
            for what, resource, action in actions:
                self._try(what, resource, action)
            return
        with ThreadPoolExecutor(min(self.parallel, len(actions))) as pool:
            list(pool.map(lambda item: self._try(*item), actions))

    def _try(self, what: str, resource: str, action: Callable[[], Any]) -> None:
        try:
            action()
        except SDK_ERRORS as exc:
            if already_gone(exc):  # a case deleted it itself (a lifecycle): cleaned up
                return
            with self._lock:
                self._failed.setdefault((what, describe_error(exc)), []).append(resource)

    @property
    def errors(self) -> list[str]:
        """One line per kind of cleanup the endpoint refused: what remains on it, and why."""
        lines = []
        for (what, cause), resources in self._failed.items():
            more = f" and {len(resources) - 1} more" if len(resources) > 1 else ""
            lines.append(f"cannot {what} {resources[0]}{more} (left on the endpoint): {cause}")
        return lines + self._kept


def _names_role(value: Any, role: str) -> bool:
    """Does a described member name the IAM role `role` (its ARN, or the name alone)?"""
    if isinstance(value, str):
        return value == role or (":role/" in value and value.rsplit("/", 1)[-1] == role)
    if isinstance(value, Mapping):
        return any(_names_role(v, role) for v in value.values())
    return isinstance(value, list) and any(_names_role(v, role) for v in value)


def _member(kind: Kind, operation: str) -> str:
    """The request member of `operation` that names the resource it acts on."""
    ref = kind.target(operation)
    assert ref is not None, f"the catalogue names no member of {operation} for {kind.name}"
    return ref.path
