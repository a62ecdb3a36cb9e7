"""The run's IAM roles: given by the user, made through the endpoint's IAM, or none at all
when the endpoint serves Batch only.

A role given (`--service-role-arn`, `--job-role-arn`, `--execution-role-arn`) is used as it
is and never deleted. The others are made as `<prefix>-<kind>` and written into the ledger
as soon as they exist. An endpoint whose IAM answers 404 or 501, or says it does not
implement the call, has no IAM: the run says so once and goes on without the roles it
could not make (what needs them is skipped or refused with that reason, never failed).
"""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from conformance.cleanup import Cleanup, Ledger
from conformance.sdk_errors import SDK_ERRORS

SERVICE_POLICY = "arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole"
EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
BATCH_PRINCIPAL = "batch.amazonaws.com"
TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com"
SERVICE_ROLE, JOB_ROLE, EXECUTION_ROLE = "service-role", "job-role", "execution-role"
FLAGS = {
    SERVICE_ROLE: "--service-role-arn",
    JOB_ROLE: "--job-role-arn",
    EXECUTION_ROLE: "--execution-role-arn",
}
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+")
# IAM's own codes for a call it knows; any other answer of 404 or 501 is no IAM at all.
_NOT_SERVED_STATUSES = frozenset({404, 501})
_NOT_SERVED_CODES = frozenset(
    {"NotImplemented", "NotImplementedException", "UnknownOperationException", "InvalidAction"}
)
_NOT_SERVED_TEXT = re.compile(
    r"not (?:yet )?implemented|unknown operation|unsupported operation|unknown action"
    r"|could not find operation|not a valid (?:action|operation)",
    re.I,
)


@dataclass(frozen=True)
class GivenRoles:
    """Role ARNs the user gave: used as they are (and never deleted)."""

    service: str | None = None
    job: str | None = None
    execution: str | None = None

    def of(self, kind: str) -> str | None:
        """The ARN given for a role of `kind` (`service-role`, ...), or None."""
        found = {SERVICE_ROLE: self.service, JOB_ROLE: self.job, EXECUTION_ROLE: self.execution}
        return found.get(kind)


def trust_policy(service: str) -> str:
    """A role trust policy that lets `service` assume the role."""
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class NoIam(Exception):
    """The endpoint has no IAM; str() is one line saying why."""


class AnswerStatus:
    """The HTTP status of the last answer a client parsed, in this thread (botocore does
    not say it when an answer is not the protocol it expects: a 404 page, a JSON 501)."""

    def __init__(self, client: Any) -> None:
        self._seen = threading.local()
        client.meta.events.register("before-parse", self._capture)

    def _capture(self, response_dict: dict[str, Any] | None = None, **_: Any) -> None:
        self._seen.status = (response_dict or {}).get("status_code")

    def clear(self) -> None:
        """Forget the last status (before a call)."""
        self._seen.status = None

    @property
    def last(self) -> int | None:
        """The last answer's HTTP status (None: no answer)."""
        return getattr(self._seen, "status", None)


def not_served(exc: BaseException, status: int | None) -> str | None:
    """Why this failure of an IAM call says the endpoint has no IAM (one line), or None."""
    code, message = "", ""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = str(error.get("Code") or ""), str(error.get("Message") or "")
        status = status or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in _NOT_SERVED_CODES or _NOT_SERVED_TEXT.search(message):
        return f"IAM answers HTTP {status} {code}".rstrip()
    known = bool(code) and not code.isdigit() and code != "Unknown"
    if status in _NOT_SERVED_STATUSES and not (status == 404 and known):
        return f"IAM answers HTTP {status}"  # (a 404 with an IAM code: NoSuchEntity)
    return None


class RoleMaker:
    """Makes the run's roles through `iam`, or takes them as given; `missing` says why there
    is no IAM (None: there is), once known."""

    def __init__(
        self, iam: Any, prefix: str, ledger: Ledger, cleaner: Cleanup, real_aws: bool
    ) -> None:
        self._iam = iam
        self._status = AnswerStatus(iam)
        self.prefix = prefix
        self.ledger = ledger
        self._cleaner = cleaner
        self._real_aws = real_aws
        self.step = ""
        self.missing: str | None = None

    def provide(
        self, wanted: list[tuple[str, str, str | None]], given: GivenRoles
    ) -> dict[str, str]:
        """The ARNs of the roles `wanted` ((kind, principal, policy) each), by kind: those
        given, and the others made together; without IAM, only those given."""
        arns = {kind: arn for kind, _p, _pol in wanted if (arn := given.of(kind))}
        to_make = [role for role in wanted if role[0] not in arns]
        if not to_make:
            return arns
        self._cleaner.sweeps_roles = True
        with ThreadPoolExecutor(len(to_make)) as pool:
            made = list(pool.map(lambda role: self._made_or_none(*role), to_make))
        arns.update({role[0]: arn for role, arn in zip(to_make, made, strict=True) if arn})
        return arns

    def _made_or_none(self, kind: str, principal: str, policy: str | None) -> str | None:
        try:
            return self._create_role(kind, principal, policy)
        except NoIam as exc:
            self.missing = self.missing or str(exc)
            return None

    def _create_role(self, kind: str, principal: str, policy: str | None = None) -> str:
        """A role named `<prefix>-<kind>` that `principal` may assume, with `policy` attached."""
        name = f"{self.prefix}-{kind}"
        self.step = f"create the IAM role {name}"
        self._status.clear()
        try:
            role = self._iam.create_role(
                RoleName=name, AssumeRolePolicyDocument=trust_policy(principal)
            )
        except SDK_ERRORS as exc:
            why = None if self._real_aws else not_served(exc, self._status.last)
            if why:
                raise NoIam(why) from exc
            raise
        self.ledger.roles.append(name)
        if policy is not None:
            self.step = f"attach {policy} to the IAM role {name}"
            try:
                self._iam.attach_role_policy(RoleName=name, PolicyArn=policy)
            except ClientError as exc:
                # Emulators may not know AWS's managed policies (moto unless told to load
                # them); on AWS a refusal is fatal: the role would be useless.
                if self._real_aws or exc.response.get("Error", {}).get("Code") != "NoSuchEntity":
                    raise
            else:
                self.ledger.attached.setdefault(name, []).append(policy)
        return str(role["Role"]["Arn"])

    def notice(self, endpoint: str, lacking: list[str]) -> str:
        """The one line that says the run goes on without IAM, and what it lacks."""
        roles = " and ".join(lacking)
        flags = " ".join(f"{FLAGS[kind]} ARN" for kind in lacking)
        return (
            f"{endpoint}: {self.missing}: going on without IAM (no {roles}; what needs one"
            f" is skipped: pass {flags} to name yours)"
        )
