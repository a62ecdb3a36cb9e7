"""What a request may reference on the endpoint: `Context`, and placeholders of the right
shape for deriving requests before any endpoint exists (and for references to nothing)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

PLACEHOLDER_PREFIX = "bc00000000"
PLACEHOLDER_ACCOUNT = "000000000000"
PLACEHOLDER_JOB_ROLE_ARN = f"arn:aws:iam::{PLACEHOLDER_ACCOUNT}:role/{PLACEHOLDER_PREFIX}-job-role"
PLACEHOLDER_SUBNET = "subnet-0000000000000000b"
PLACEHOLDER_SECURITY_GROUP = "sg-0000000000000000b"


def placeholder_jobs(count: int) -> list[str]:
    """IDs of the right shape for `count` plain jobs (no endpoint knows them)."""
    return [f"00000000-0000-0000-0000-{i:012d}" for i in range(count)]


def placeholder_array_jobs(count: int) -> list[str]:
    """IDs of the right shape for `count` array jobs (no endpoint knows them)."""
    return [f"00000000-0000-0000-0001-{i:012d}" for i in range(count)]


def placeholder_resource(kind: str) -> str:
    """A reference of the right shape to a resource of `kind` that no endpoint has."""
    if kind in {"job", "service-job"}:
        return placeholder_jobs(1)[0]
    return f"arn:aws:batch:us-east-1:{PLACEHOLDER_ACCOUNT}:{kind}/{PLACEHOLDER_PREFIX}-{kind}"


_PLACEHOLDER = re.compile(
    rf"arn:aws:batch:us-east-1:{PLACEHOLDER_ACCOUNT}:([a-z0-9-]+)/{PLACEHOLDER_PREFIX}-\1(?:-[0-9]+)?"
)


def placeholder_kind(reference: str) -> str | None:
    """The catalogue kind a placeholder reference stands for (None: not a placeholder)."""
    found = _PLACEHOLDER.fullmatch(reference)
    return found.group(1) if found else None


def numbered_placeholders() -> Callable[[str], str]:
    """Placeholders of resources made one per request: a new one each time (`-1`, `-2`)."""
    count = itertools.count(1)
    return lambda kind: f"{placeholder_resource(kind)}-{next(count)}"


def map_key(index: int) -> str:
    """The key of a map's `index`-th entry in the requests the suite builds."""
    return f"bckey{index}"


@dataclass
class Context:
    """What requests may reference: a name maker, the queue, the base definition, jobs.

    `jobs(n)` gives `n` plain jobs of the run; `array_jobs(n)` gives `n` array jobs of the
    run, each of the smallest documented size, for N_TO_N dependencies; `job_role_arn` is
    an IAM role of the account the run may pass to a job definition (AWS checks
    iam:PassRole at registration). `resource(kind)` is one of the run's resources of a
    catalogue kind, made on first need; `fresh(kind)` one made for this request alone (what
    the request updates, deletes or terminates). `compute_kind` is the catalogue kind of
    the run's own compute environment (MANAGED FARGATE when the run has a network), so
    that what a queue orders with it is of the same platform. The defaults are
    placeholders of the right shape, for deriving cases without an endpoint.
    """

    name: Callable[[str], str]
    job_queue: str
    job_definition: str
    prefix: str
    jobs: Callable[[int], list[str]]
    array_jobs: Callable[[int], list[str]] = field(default=placeholder_array_jobs)
    job_role_arn: str = PLACEHOLDER_JOB_ROLE_ARN
    resource: Callable[[str], str] = field(default=placeholder_resource)
    fresh: Callable[[str], str] = field(default=placeholder_resource)
    service_role_arn: str = ""
    subnets: tuple[str, ...] = ()  # --subnets: a real network for MANAGED compute resources
    security_groups: tuple[str, ...] = ()
    # else the endpoint's own, looked up on first need (an emulator's default network)
    look_up_network: Callable[[], tuple[tuple[str, ...], tuple[str, ...]]] | None = None
    compute_kind: str = "compute-environment"

    def network(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(subnets, security groups) a MANAGED compute environment names; empty: none."""
        if self.subnets or self.look_up_network is None:
            return self.subnets, self.security_groups
        return self.look_up_network()

    def taggable(self) -> str:
        """An ARN of the run that takes tags: its job queue's, else a scheduling policy's."""
        if self.job_queue.startswith("arn:"):
            return self.job_queue
        return self.resource("scheduling-policy")


def placeholder_context() -> Context:
    """A context of the right shapes, for deriving cases before any endpoint exists."""
    prefix = PLACEHOLDER_PREFIX
    return Context(
        name=lambda kind: f"{prefix}-{kind}-1",
        job_queue="queue",
        job_definition="definition",
        prefix=prefix,
        jobs=placeholder_jobs,
        array_jobs=placeholder_array_jobs,
        job_role_arn=PLACEHOLDER_JOB_ROLE_ARN,
        fresh=numbered_placeholders(),
    )
