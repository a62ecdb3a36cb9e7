"""What the catalogue says of each kind of resource: `Kind`, its references (`Ref`), how
one is described (`Lookup`) and how all are listed (`Listing`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

By = Literal["name-or-arn", "arn", "id", "revision", "exact-revision", "name"]
# How a reference names its resource: a name or an ARN; an ARN only; an id; a job
# definition's `name`, `name:revision` or ARN ("revision"), or only its `name:revision` or
# ARN ("exact-revision"); a name only.
Absent = Literal["refused", "accepted", "not-listed", "reported"]
# What AWS does with a request whose reference names nothing: refuses it (HTTP 400
# ClientException); accepts it as a no-op (HTTP 200); answers it without an entry for it
# (a description); answers HTTP 200 and reports that id in its `errors` (a bulk operation).
FORMS: dict[By, tuple[str, ...]] = {
    "name-or-arn": ("name", "arn"),
    "arn": ("arn",),
    "id": ("id",),
    "revision": ("name", "name-revision", "arn"),
    "exact-revision": ("name-revision", "arn"),
    "name": ("name",),
}


@dataclass(frozen=True)
class Ref:
    """A request member that names a resource: `path` is dotted, `*` for list items.

    `acts`: the operation changes or ends what it names (update, delete, deregister,
    cancel, terminate), so a request of its own gets a resource made for it alone.
    `absent`: what AWS does with the request when the reference names nothing (its rule,
    `rule_id`, says on what evidence); `untested`: why no case sends a reference to nothing
    here (empty: one does); `rule`: the rule that states it where a hand-written one
    already does (empty: `<Operation>.<path>.exists`).
    """

    operation: str
    path: str
    by: By
    acts: bool = False
    absent: Absent = "refused"
    untested: str = ""
    rule: str = ""

    @property
    def steps(self) -> list[str]:
        """`["computeEnvironmentOrder", "*", "computeEnvironment"]`."""
        return self.path.split(".")

    @property
    def rule_id(self) -> str:
        """The rule of a reference to nothing: `CreateJobQueue.computeEnvironmentOrder.
        computeEnvironment.exists` (list items are not named)."""
        if self.rule:
            return self.rule
        return ".".join([self.operation, *(s for s in self.steps if s != "*"), "exists"])

    @property
    def forms(self) -> tuple[str, ...]:
        """The forms a reference takes (`name`, `name-revision`, `arn`, `id`): each gets a
        case of a reference to nothing."""
        return FORMS[self.by]


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
    request (a variant of another kind; a callable value takes the run's `Context`: it
    names something of the run's); `made_without`: members it drops; `made_filled`:
    members it fills. `unmade`: why the run cannot make one honestly (a case that needs
    one is skipped, saying so).
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
    unmade: str = ""
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


def refs_of(
    operation: str,
    *paths: str,
    by: By = "name-or-arn",
    acts: bool = False,
    absent: Absent = "refused",
    untested: str = "",
    rule: str = "",
) -> list[Ref]:
    """One `Ref` per request member `paths` of `operation`, alike in all else."""
    return [Ref(operation, path, by, acts, absent, untested, rule) for path in paths]
