"""What the catalogue says of each kind of resource: `Kind`, its references (`Ref`), how
one is described (`Lookup`) and how all are listed (`Listing`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

By = Literal["name-or-arn", "arn", "id", "revision", "name"]
# How a reference names its resource: a name or an ARN; an ARN only; an id; a job
# definition's `name`, `name:revision` or ARN ("revision"); a name only.


@dataclass(frozen=True)
class Ref:
    """A request member that names a resource: `path` is dotted, `*` for list items.

    `acts`: the operation changes or ends what it names (update, delete, deregister,
    cancel, terminate), so a request of its own gets a resource made for it alone.
    """

    operation: str
    path: str
    by: By
    acts: bool = False

    @property
    def steps(self) -> list[str]:
        """`["computeEnvironmentOrder", "*", "computeEnvironment"]`."""
        return self.path.split(".")


@dataclass(frozen=True)
class Lookup:
    """How one resource is described: the operation and its request member (a list of
    references when `many`), and the answer's list of entries (None: the answer is the
    resource itself)."""

    operation: str
    member: str
    many: bool = True
    listed: str | None = None

    def request(self, reference: str) -> dict[str, Any]:
        """The request that describes the resource `reference` names."""
        return {self.member: [reference] if self.many else reference}

    def entries(self, body: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The described entries of an answer (the answer itself for a single resource)."""
        if self.listed is None:
            return [dict(body)] if body else []
        found = body.get(self.listed)
        return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


@dataclass(frozen=True)
class Listing:
    """How every resource of a kind is listed, page by page (the cleanup's sweeps)."""

    operation: str
    listed: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    page_size: int | None = 100
    statuses: tuple[str, ...] = ()  # listed one status at a time (each of these)
    in_queue: str = ""  # the request member naming the job queue to list in


VALID_STATUSES = ("VALID", "INVALID")
# What every Batch ARN starts with: partition (aws, aws-cn, aws-us-gov, ...), the service,
# a region (us-east-1, us-gov-west-1, ...) and a 12-digit account id.
ARN_HEAD = r"arn:aws[a-z-]*:batch:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:"
BUSY_STATUSES = ("CREATING", "UPDATING", "DELETING")
GONE_STATUSES = ("DELETING", "DELETED")


@dataclass(frozen=True)
class Kind:
    """One kind of Batch resource, and everything the suite does with it.

    `name_member` and `arn_member` name the resource in the create answer and in the
    entries that describe it (`name_member` is the create request's name member too,
    unless `request_name` says otherwise). `disabled_first`: AWS deletes it only once
    DISABLED (through `update` with `state`). `makeable`: the run can make one honestly
    (service jobs and quota shares need SageMaker: references to them are placeholders).
    `delete_with`: what the delete request needs besides the reference (a job's reason).
    `arn_shape`: what follows `arn:<partition>:batch:<region>:<account>:` in its ARNs, as
    AWS documents them or real answers show them (`job-queue/<name>`); answers are held to
    it (`arn_pattern`, through the overlays' `{"arn-of": kind}`).
    `made_with`: what a request that makes this kind sets beyond its operation's smallest
    request (a variant of another kind); `made_without`: members it drops; `made_filled`:
    members it fills.
    """

    name: str
    label: str
    short: str
    create: str | None = None
    name_member: str = ""
    arn_member: str = ""
    id_member: str = ""
    request_name: str = ""
    describe: Lookup | None = None
    listing: Listing | None = None
    update: str | None = None
    delete: str | None = None
    delete_with: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    disabled_first: bool = False
    busy: tuple[str, ...] = BUSY_STATUSES
    settled: tuple[str, ...] = VALID_STATUSES
    taggable: bool = False
    makeable: bool = True
    refs: tuple[Ref, ...] = ()
    made_with: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    made_without: tuple[str, ...] = ()
    made_filled: tuple[str, ...] = ()
    arn_shape: str = ""  # the regular expression of the ARN's resource part ("": unknown)

    @property
    def arn_pattern(self) -> str:
        """The regular expression every ARN of this kind matches, anchored (`arn_shape`
        after `ARN_HEAD`); "" when the kind's ARN shape is not documented."""
        return f"^{ARN_HEAD}{self.arn_shape}$" if self.arn_shape else ""

    @property
    def named_by(self) -> str:
        """The create request's member that names the new resource."""
        return self.request_name or self.name_member

    def target(self, operation: str) -> Ref | None:
        """The reference `operation` acts on or looks up (its first, if several)."""
        return next((r for r in self.refs if r.operation == operation), None)

    def made(self, request: Mapping[str, Any], body: Mapping[str, Any]) -> str:
        """How to name what a create made: its id (jobs), else the ARN it answered, else
        `name:revision` (a definition), else the name it was asked to give ("": none)."""
        if self.id_member:
            return str(body.get(self.id_member) or "")
        if body.get(self.arn_member):
            return str(body[self.arn_member])
        name = body.get(self.name_member) or request.get(self.named_by)
        revision = body.get("revision")
        if name and isinstance(revision, int):
            return f"{name}:{revision}"
        return str(name or "")

    def status_of(self, entry: Mapping[str, Any]) -> str | None:
        """The status a described entry gives (None: none)."""
        status = entry.get("status")
        return str(status) if status is not None else None

    def is_entry_of(self, entry: Mapping[str, Any], reference: str) -> bool:
        """Does a described entry stand for the resource `reference` names (name, ARN, id)?"""
        names = {entry.get(self.arn_member), entry.get(self.name_member)}
        if self.id_member:
            names.add(entry.get(self.id_member))
        return reference in names
