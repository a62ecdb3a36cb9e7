"""References to nothing and optional members, as the reference endpoint treats them.

Written by hand, not read from the catalogue: an independent view of what AWS does, so a
wrong `absent` in the catalogue shows as a failing reference run instead of agreeing with
itself. moto already refuses a job queue, a job definition and a compute environment that
do not exist; the reference refuses, on top, what moto lets through (`refusal`): a
dependency, a scheduling policy, an array or multi-node job that does not exist. It also
repairs what moto requires though AWS does not (`repair`): a job queue's `state` (ENABLED by
default) and a MANAGED compute environment's service role (AWS uses its service-linked
role, which the reference makes in moto's IAM on first need).

A fault may accept a reference to nothing (as ministack does) or leave a repair out (as
moto is): `ACCEPTS` names the members, `substitute` names something that exists instead, so
that moto takes the request as the faulty endpoint would.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Collection
from typing import Any

Json = dict[str, Any]
# (operation, request) -> moto's answer as JSON, or None when moto refused or failed
Ask = Callable[[str, Json | str], Json | str | None]
SERVICE_LINKED = "AWSServiceRoleForBatch"
SERVICE_LINKED_NAMES = (SERVICE_LINKED, "AWSServiceRoleForbatch")  # AWS's, and moto's spelling
_MEMO_LOCK = threading.Lock()
IAM_ARN = re.compile(r"<Arn>([^<]+)</Arn>")


class InMoto:
    """What exists in moto, asked through the proxy's own calls to it."""

    def __init__(self, ask: Ask, memo: dict[str, str]) -> None:
        self._ask = ask
        self._memo = memo  # the proxy's, from request to request: the service-linked role

    def _listed(self, operation: str, request: Json, member: str) -> list[Json]:
        answer = self._ask(operation, request)
        found = answer.get(member) if isinstance(answer, dict) else None
        return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []

    def queues(self, named: list[str] | None = None) -> list[Json]:
        """The job queues `named` (all when None)."""
        return self._listed("DescribeJobQueues", {"jobQueues": named} if named else {}, "jobQueues")

    def environments(self, named: list[str] | None = None) -> list[Json]:
        """The compute environments `named` (all when None)."""
        request = {"computeEnvironments": named} if named else {}
        return self._listed("DescribeComputeEnvironments", request, "computeEnvironments")

    def definitions(self, named: str | None = None) -> list[Json]:
        """The ACTIVE job definitions `named` (all when None), as SubmitJob looks them up."""
        request: Json = {"status": "ACTIVE"}
        if named and named.startswith("arn:"):
            request = {"jobDefinitions": [named]}
        elif named:
            name, _, revision = named.partition(":")
            found = self._listed(
                "DescribeJobDefinitions", {**request, "jobDefinitionName": name}, "jobDefinitions"
            )
            return [d for d in found if not revision or str(d.get("revision")) == revision]
        return self._listed("DescribeJobDefinitions", request, "jobDefinitions")

    def job(self, job_id: str) -> bool:
        """Does moto know the job?"""
        return bool(self._listed("DescribeJobs", {"jobs": [job_id]}, "jobs"))

    def policy(self, arn: str) -> bool:
        """Does moto know the scheduling policy?"""
        return bool(
            self._listed("DescribeSchedulingPolicies", {"arns": [arn]}, "schedulingPolicies")
        )

    def service_linked_role(self) -> str:
        """The Batch service-linked role's ARN, made in moto's IAM on first need."""
        with _MEMO_LOCK:
            if SERVICE_LINKED not in self._memo:
                made = self._ask(
                    "iam", "Action=CreateServiceLinkedRole&AWSServiceName=batch.amazonaws.com"
                )
                found = IAM_ARN.search(made if isinstance(made, str) else "")
                for name in SERVICE_LINKED_NAMES:  # made already (by another reference)
                    if found is None:
                        got = self._ask("iam", f"Action=GetRole&RoleName={name}")
                        found = IAM_ARN.search(got if isinstance(got, str) else "")
                self._memo[SERVICE_LINKED] = found.group(1) if found else ""
            return self._memo[SERVICE_LINKED]


def _dependencies(request: Json) -> list[str]:
    found = request.get("dependsOn")
    items = found if isinstance(found, list) else []
    return [str(d["jobId"]) for d in items if isinstance(d, dict) and d.get("jobId")]


def refusal(
    operation: str, request: Json, upstream: InMoto, accepts: Collection[str]
) -> str | None:
    """The message AWS refuses `request` with for naming nothing moto lets through, or None.

    `accepts`: `<Operation>.<member>` a fault accepts a reference to nothing in.
    """
    if operation == "SubmitJob" and "SubmitJob.dependsOn" not in accepts:
        for job_id in _dependencies(request):
            if not upstream.job(job_id):
                return f"Job {job_id} not found."
    if operation in ("CreateJobQueue", "UpdateJobQueue") and request.get("schedulingPolicyArn"):
        arn = str(request["schedulingPolicyArn"])
        if f"{operation}.schedulingPolicyArn" not in accepts and not upstream.policy(arn):
            return f"SchedulingPolicy {arn} not found."
    if operation == "UpdateSchedulingPolicy" and not upstream.policy(str(request.get("arn"))):
        return f"SchedulingPolicy {request.get('arn')} not found."
    if operation == "ListJobs":
        for member in ("arrayJobId", "multiNodeJobId"):
            if request.get(member) and not upstream.job(str(request[member])):
                return f"Job {request[member]} not found."
    return None


# The members a fault may accept a reference to nothing in, and how: an existing one instead.
ACCEPTS = frozenset(
    {
        "SubmitJob.jobQueue",
        "SubmitJob.jobDefinition",
        "SubmitJob.dependsOn",
        "CreateJobQueue.computeEnvironmentOrder",
        "CreateJobQueue.schedulingPolicyArn",
        "UpdateJobQueue.schedulingPolicyArn",
    }
)


def substitute(operation: str, request: Json, upstream: InMoto, accepts: Collection[str]) -> Json:
    """`request` naming something that exists where it names nothing, in the members a fault
    accepts a reference to nothing in (moto takes it then, as the faulty endpoint would)."""
    if not accepts:
        return request
    request = dict(request)
    queue, definition = request.get("jobQueue"), request.get("jobDefinition")
    if f"{operation}.jobQueue" in accepts and queue and not upstream.queues([str(queue)]):
        request["jobQueue"] = next(iter(_arns(upstream.queues(), "jobQueueArn")), "")
    wanted = f"{operation}.jobDefinition" in accepts and definition
    if wanted and not upstream.definitions(str(definition)):
        request["jobDefinition"] = next(iter(_arns(upstream.definitions(), "jobDefinitionArn")), "")
    if f"{operation}.computeEnvironmentOrder" in accepts:
        existing = _arns(upstream.environments(), "computeEnvironmentArn")
        order = [
            dict(e) for e in request.get("computeEnvironmentOrder") or [] if isinstance(e, dict)
        ]
        for entry in order:
            if existing and not upstream.environments([str(entry.get("computeEnvironment"))]):
                entry["computeEnvironment"] = existing[0]
        request["computeEnvironmentOrder"] = order
    if f"{operation}.schedulingPolicyArn" in accepts:
        request.pop("schedulingPolicyArn", None)  # moto ignores one that does not exist
    return request


def _arns(entries: list[Json], member: str) -> list[str]:
    return [str(e[member]) for e in entries if e.get(member)]


# What moto requires though AWS does not, and the reference repairs; a fault may leave one.
STATE = "CreateJobQueue.state"
SERVICE_ROLE = "CreateComputeEnvironment.serviceRole"


def repair(operation: str, request: Json, upstream: InMoto, unrepaired: Collection[str]) -> Json:
    """`request` with what moto needs and AWS defaults: a queue's state (ENABLED), a MANAGED
    environment's service role (the service-linked role), unless a fault leaves it out."""
    if operation == "CreateJobQueue" and "state" not in request and STATE not in unrepaired:
        return {**request, "state": "ENABLED"}
    roleless = request.get("type") == "MANAGED" and "serviceRole" not in request
    if operation == "CreateComputeEnvironment" and roleless and SERVICE_ROLE not in unrepaired:
        return {**request, "serviceRole": upstream.service_linked_role()}
    return request


def as_json(body: bytes) -> Json | str | None:
    """An upstream answer: JSON, else text (IAM's XML)."""
    try:
        found = json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")
    return found if isinstance(found, dict) else None
