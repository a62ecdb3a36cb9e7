"""The current scope's constraints: what today's API states about a request across its
members, or about the resources it names, beyond the limits of `specs/current/`.

Each one is a rule of the current scope (`specs/current/constraints.json`: its strength,
citation and public evidence) with a `Witness`: the edits that make a request keeping to it
(a case expects it accepted) and the edits that break exactly it (a case expects it
refused). A constraint on what a request names asks `Known` (what the run made, by kind).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from conformance.boundaries import Edit
from conformance.documented._model import Basis, Constraint, Known, KnownCheck, Witness, at
from conformance.documented._model import entries as listed
from conformance.requests import OTHER_PLATFORM, STAR
from conformance.scopes import CURRENT

CURRENT_CONSTRAINTS: list[Constraint] = []
FAIR_SHARE_QUEUE = "fair-share-queue"
FARGATE = ("FARGATE", "FARGATE_SPOT")
EC2 = ("EC2", "SPOT")


def _constraint(
    id_: str, basis: Basis, kept: tuple[Edit, ...], broken: tuple[Edit, ...]
) -> Callable[[KnownCheck], KnownCheck]:
    def register(check: KnownCheck) -> KnownCheck:
        CURRENT_CONSTRAINTS.append(Constraint(id_, basis, "", check, Witness(kept, broken)))
        return check

    return register


# ---- jobs on a fair-share queue ----------------------------------------------------------

_SHARED = (Edit("set", ("shareIdentifier",), "bcshare"),)  # settled: a fair-share queue


@_constraint(
    "SubmitJob.shareIdentifier.fair-share-queue",
    "documented",
    _SHARED,
    (
        Edit("set", ("shareIdentifier",), "bcshare"),
        Edit("set", ("schedulingPriorityOverride",), 1),
    ),
)
def _fair_share_queue(request: dict[str, Any], known: Known) -> Iterator[str]:
    given = [m for m in ("shareIdentifier", "schedulingPriorityOverride") if m in request]
    if given and known.kind_of(request.get("jobQueue")) != FAIR_SHARE_QUEUE:
        yield f"{' and '.join(given)} on a job queue without a fair-share policy"


@_constraint(
    "SubmitJob.shareIdentifier.required-on-fair-share",
    "documented",
    _SHARED,
    (Edit("resource", ("jobQueue",), FAIR_SHARE_QUEUE),),
)
def _share_on_fair_share(request: dict[str, Any], known: Known) -> Iterator[str]:
    fair_share = known.kind_of(request.get("jobQueue")) == FAIR_SHARE_QUEUE
    if fair_share and "shareIdentifier" not in request:
        yield "a job on a fair-share queue without a shareIdentifier"


@_constraint(
    "SubmitJob.shareIdentifier.scheduling-priority",
    "reported",
    _SHARED,
    (
        Edit("resource", ("jobQueue",), FAIR_SHARE_QUEUE),
        Edit("set", ("shareIdentifier",), "bcshare"),
    ),
)
def _share_priority(request: dict[str, Any], _known: Known) -> Iterator[str]:
    # the run's definitions carry no schedulingPriority: the job's must be the override
    if "shareIdentifier" in request and "schedulingPriorityOverride" not in request:
        yield "a shareIdentifier without a schedulingPriorityOverride (nor a definition's)"


@_constraint(
    "UpdateJobQueue.schedulingPolicyArn.fair-share-only",
    "documented",
    (
        Edit("fresh", ("jobQueue",), FAIR_SHARE_QUEUE),
        Edit("resource", ("schedulingPolicyArn",), "fair-share-policy"),
    ),
    (Edit("resource", ("schedulingPolicyArn",), "fair-share-policy"),),
)
def _policy_on_fifo(request: dict[str, Any], known: Known) -> Iterator[str]:
    fifo = known.kind_of(request.get("jobQueue")) != FAIR_SHARE_QUEUE
    if "schedulingPolicyArn" in request and fifo:
        yield "a scheduling policy for a job queue created without one (FIFO)"


# ---- listings --------------------------------------------------------------------------

LISTINGS = ("jobQueue", "arrayJobId", "multiNodeJobId")
FILTER_NAMES = (
    *("JOB_NAME", "JOB_DEFINITION", "BEFORE_CREATED_AT", "AFTER_CREATED_AT"),
    "SHARE_IDENTIFIER",
)


@_constraint("ListJobs.listing.one-of", "documented", (), (Edit("drop", (), "jobQueue"),))
def _one_listing(request: dict[str, Any], _known: Known) -> Iterator[str]:
    given = [member for member in LISTINGS if member in request]
    if len(given) != 1:
        yield f"{len(given)} of {', '.join(LISTINGS)} ({', '.join(given) or 'none'})"


@_constraint(
    "ListJobs.filters.name.valid-values",
    "documented",
    (Edit("items", ("filters",), 1),),
    (Edit("items", ("filters",), 1), Edit("set", ("filters", STAR, "name"), "BC_FILTER")),
)
def _filter_names(request: dict[str, Any], _known: Known) -> Iterator[str]:
    for entry in listed(request.get("filters")):
        if entry.get("name") not in FILTER_NAMES:
            yield f"filter name {entry.get('name')!r} is not one of {', '.join(FILTER_NAMES)}"


def _names_with_max_results(member: str) -> KnownCheck:
    def check(request: dict[str, Any], _known: Known) -> Iterator[str]:
        if member in request and "maxResults" in request:
            yield f"{member} together with maxResults"

    return check


for _operation, _member in (
    ("DescribeComputeEnvironments", "computeEnvironments"),
    ("DescribeJobQueues", "jobQueues"),
    ("DescribeJobDefinitions", "jobDefinitions"),  # the seed's `alone` says so too
):
    _constraint(
        f"{_operation}.{_member}.not-with-maxResults",
        "reported",
        (Edit("items", (_member,), 1),),
        (Edit("items", (_member,), 1), Edit("set", ("maxResults",), 1)),
    )(_names_with_max_results(_member))


# ---- job definitions and jobs ----------------------------------------------------------

EKS_POD = ("eksProperties", "podProperties")


@_constraint(
    "RegisterJobDefinition.eksProperties.podProperties.containers.name.unique",
    "documented",
    (Edit("items", (*EKS_POD, "containers"), 2),),
    (
        Edit("items", (*EKS_POD, "containers"), 2),
        Edit("set", (*EKS_POD, "containers", STAR, "name"), "bcmain1"),
    ),
)
def _eks_names(request: dict[str, Any], _known: Known) -> Iterator[str]:
    pod = at(request, *EKS_POD)
    containers = [*listed(at(pod, "containers")), *listed(at(pod, "initContainers"))]
    names = [str(c.get("name", "Default")) for c in containers]
    for name in sorted({n for n in names if names.count(n) > 1}):
        yield f"{names.count(name)} containers of the pod are named {name!r}"


def _padded(entries: int) -> dict[str, str]:
    """Parameters of about `entries` KiB."""
    return {f"bcpad{i}": "x" * 1000 for i in range(entries)}


def _under(limit_kib: int) -> KnownCheck:
    def check(request: dict[str, Any], _known: Known) -> Iterator[str]:
        size = len(json.dumps(request, separators=(",", ":")).encode())
        if size >= limit_kib * 1024:
            yield f"the request is {size} bytes, not under {limit_kib} KiB"

    return check


_constraint(
    "SubmitJob.size.30KiB",
    "documented",
    (Edit("set", ("parameters",), _padded(24)),),
    (Edit("set", ("parameters",), _padded(31)),),
)(_under(30))
_constraint(
    "RegisterJobDefinition.size.24KiB",
    "documented",
    (Edit("set", ("parameters",), _padded(18)),),
    (Edit("set", ("parameters",), _padded(25)),),
)(_under(24))


# ---- compute environments --------------------------------------------------------------

_MANAGED = (Edit("set", ("type",), "MANAGED"), Edit("fill", ("computeResources",)))


@cache
def not_for_fargate() -> tuple[str, ...]:
    """The compute resources the model says "Don't specify" for Fargate (its own text)."""
    model = json.loads(CURRENT.model.read_text(encoding="utf-8"))
    sentence = "This parameter isn't applicable to jobs that are running on Fargate resources."
    found = []
    for name, ref in model["shapes"]["ComputeResource"]["members"].items():
        text = " ".join(
            html.unescape(re.sub(r"<[^>]+>", " ", ref.get("documentation", ""))).split()
        )
        if sentence in text:
            found.append(name)
    return tuple(sorted(found))


@_constraint(
    "CreateComputeEnvironment.computeResources.fargate-not-applicable",
    "documented",
    _MANAGED,
    (*_MANAGED, Edit("set", ("computeResources", "minvCpus"), 0)),
)
def _fargate_members(request: dict[str, Any], _known: Known) -> Iterator[str]:
    resources = at(request, "computeResources")
    if at(resources, "type") in FARGATE:
        for member in not_for_fargate():
            if member in resources:
                yield f"computeResources.{member} on {resources['type']} resources"


_EC2 = (
    *_MANAGED,
    Edit("set", ("computeResources", "type"), "EC2"),
    Edit("set", ("computeResources", "minvCpus"), 0),
    Edit("set", ("computeResources", "instanceTypes"), ["optimal"]),
    Edit("set", ("computeResources", "instanceRole"), "ecsInstanceRole"),
)


@_constraint(
    "CreateComputeEnvironment.computeResources.instanceRole.ec2-required",
    "documented",
    _EC2,
    (*_EC2, Edit("drop", ("computeResources",), "instanceRole")),
)
def _instance_role(request: dict[str, Any], _known: Known) -> Iterator[str]:
    resources = at(request, "computeResources")
    if at(resources, "type") in EC2 and "instanceRole" not in resources:
        yield f"{resources['type']} compute resources without an instanceRole"


NETWORKED = (*EC2, *FARGATE)


@_constraint(
    "CreateComputeEnvironment.computeResources.subnets.required",
    "documented",
    _MANAGED,
    (*_MANAGED, Edit("drop", ("computeResources",), "subnets")),
)
def _subnets(request: dict[str, Any], _known: Known) -> Iterator[str]:
    resources = at(request, "computeResources")
    if at(resources, "type") in NETWORKED and not resources.get("subnets"):
        yield f"{resources['type']} compute resources without subnets"


@_constraint(
    "CreateComputeEnvironment.computeResources.securityGroupIds.required",
    "documented",
    _MANAGED,
    (*_MANAGED, Edit("drop", ("computeResources",), "securityGroupIds")),
)
def _security_groups(request: dict[str, Any], _known: Known) -> Iterator[str]:
    resources = at(request, "computeResources")
    kind = at(resources, "type")
    if kind not in NETWORKED or resources.get("securityGroupIds"):
        return
    if kind in FARGATE or "launchTemplate" not in resources:  # Fargate takes no template
        yield f"{kind} compute resources without security groups"


@_constraint(
    "CreateComputeEnvironment.computeResources.managed-required",
    "documented",
    _MANAGED,
    (Edit("set", ("type",), "MANAGED"),),
)
def _managed_resources(request: dict[str, Any], _known: Known) -> Iterator[str]:
    if request.get("type") == "MANAGED" and "computeResources" not in request:
        yield "a MANAGED compute environment without computeResources"


@_constraint(
    "CreateComputeEnvironment.state.created-enabled",
    "documented",
    (),
    (Edit("set", ("state",), "DISABLED"),),
)
def _created_enabled(request: dict[str, Any], _known: Known) -> Iterator[str]:
    if "state" in request and request["state"] != "ENABLED":
        yield f"a compute environment created {request['state']!r}"


@_constraint(
    "CreateComputeEnvironment.unmanagedvCpus.unmanaged-only",
    "documented",
    (Edit("set", ("unmanagedvCpus",), 4),),
    (Edit("set", ("unmanagedvCpus",), 4), *_MANAGED),
)
def _unmanaged_vcpus(request: dict[str, Any], _known: Known) -> Iterator[str]:
    if "unmanagedvCpus" in request and request.get("type") != "UNMANAGED":
        yield f"unmanagedvCpus on a {request.get('type')} compute environment"


CHANGES = ("state", "computeResources", "serviceRole", "unmanagedvCpus")


@_constraint(
    "UpdateComputeEnvironment.changes.one-of", "reported", (), (Edit("drop", (), "state"),)
)
def _one_change(request: dict[str, Any], _known: Known) -> Iterator[str]:
    if not any(member in request for member in CHANGES):
        yield f"none of {', '.join(CHANGES)}"


@_constraint(
    "UpdateComputeEnvironment.updatePolicy.managed-ec2",
    "documented",
    (Edit("fill", ("updatePolicy",)),),  # settled: on a MANAGED EC2 environment
    (Edit("fill", ("updatePolicy",)),),  # on the UNMANAGED one made for the request
)
def _update_policy(request: dict[str, Any], known: Known) -> Iterator[str]:
    kind = known.kind_of(request.get("computeEnvironment"))
    if "updatePolicy" in request and kind != "ec2-compute-environment":
        yield f"updatePolicy for a {kind or 'compute environment'} (not a MANAGED EC2 one)"


def platform(kind: str | None) -> str | None:
    """EC2 or FARGATE: the platform of a compute environment of this catalogue kind."""
    if kind in ("compute-environment", "ec2-compute-environment"):
        return "EC2"  # an UNMANAGED environment runs on EC2 instances
    return "FARGATE" if kind == "fargate-compute-environment" else None


def _order(request: dict[str, Any], known: Known) -> Iterator[str]:
    order = listed(request.get("computeEnvironmentOrder"))
    platforms = {platform(known.kind_of(e.get("computeEnvironment"))) for e in order} - {None}
    if len(platforms) > 1:
        yield "EC2 and Fargate compute environments in one job queue"


def _distinct(request: dict[str, Any], _known: Known) -> Iterator[str]:
    order = listed(request.get("computeEnvironmentOrder"))
    for member in ("order", "computeEnvironment"):
        values = [e.get(member) for e in order]
        if len(set(map(str, values))) < len(values):
            yield f"two computeEnvironmentOrder entries with one {member}"


_TWO = (Edit("items", ("computeEnvironmentOrder",), 2),)
for _operation in ("CreateJobQueue", "UpdateJobQueue"):
    _constraint(
        f"{_operation}.computeEnvironmentOrder.same-platform",
        "documented",
        _TWO,
        (
            *_TWO,
            Edit(
                "resource", ("computeEnvironmentOrder", STAR, "computeEnvironment"), OTHER_PLATFORM
            ),
        ),
    )(_order)
    _constraint(
        f"{_operation}.computeEnvironmentOrder.distinct",
        "reported",
        _TWO,
        (*_TWO, Edit("set", ("computeEnvironmentOrder", STAR, "order"), 2)),
    )(_distinct)
