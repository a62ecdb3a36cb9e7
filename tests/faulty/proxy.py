"""A faulty AWS Batch endpoint: an HTTP proxy on 127.0.0.1 in front of a moto server.

With no fault it is the reference: it refuses what the seed forbids (`request_rules.py`,
written by hand), repairs where moto deviates (`repairs.py`), and passes everything else (IAM,
compute environments, queues) through untouched. `FaultyProxy.fault = "<name>"` switches on
one fault of `FAULTS` (`seed_faults.py`), each breaking one documented behaviour; the registry
says which cases must then fail, for which rule ids, and which neighbouring cases must still
pass. `FaultyProxy.nulls = True` sends a JSON null for every optional member an answer lacks,
as moto does (a fault with `nulls` runs so, to show it is caught with such nulls in the same
answer).

Every operation of today's API reaches it (`route`); beyond the seed's four, the reference
refuses a job queue priority outside 0..1000 and SubmitJob with a deregistered definition, and
`FaultyProxy.hold_jobs = True` keeps the jobs cases submit RUNNABLE until TerminateJob or
CancelJob fails them with their reason, as AWS does on a compute environment without
instances (moto runs every job at once). `CURRENT_FAULTS` (`current_faults.py`) break those,
caught by `--scope current` runs (tests/test_detection_current.py). References to nothing
that moto lets through are refused, and what moto needlessly requires is supplied
(`existence.py`); the faults that break those are in `absent_faults.py`. It serves no
`/moto-api` (it is not a bare moto server).

The HTTP plumbing, and forwarding to moto one request at a time, is `tests/proxy_core.py`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler

import botocore.session

from tests.awslike.nulls import answer_with_nulls
from tests.faulty.current_faults import CURRENT_FAULTS
from tests.faulty.existence import InMoto, as_json, refusal, repair, substitute
from tests.faulty.fault import REFERENCE, Fault, Refusal
from tests.faulty.repairs import (
    Memory,
    answer_without_moto,
    compute_environment_arns,
    describe_job_definitions,
    repair_answer,
)
from tests.faulty.request_rules import Invalid, Json, check_request, limits_for
from tests.faulty.seed_faults import FAULTS
from tests.proxy_core import (
    Answer,
    HTTPServer,
    Upstream,
    error_answer,
    forwarded_headers,
    json_answer,
)

SEED_OPERATIONS = frozenset(
    {"SubmitJob", "RegisterJobDefinition", "DescribeJobs", "DescribeJobDefinitions"}
)
TAGS_PATH = "/v1/tags/"
TAGS_OPERATIONS = {"GET": "ListTagsForResource", "POST": "TagResource", "DELETE": "UntagResource"}
# Every other operation of today's API: POST /v1/<operation lowercased> (botocore's model).
OPERATIONS = {
    f"/v1/{name.lower()}": name
    for name in botocore.session.get_session().get_service_model("batch").operation_names
    if name not in TAGS_OPERATIONS.values()
}
IAM_REPLACED = frozenset({"authorization", "content-type"})  # a Batch call's, not IAM's
# Names the suite gives its own setup: the base definition (conformance/provision.py), the
# job lifecycle probe (conformance/lifecycle.py) and the anchor jobs (conformance/session.py).
# Faults leave them alone, so that a fault shows in the cases, not as a provisioning error
# (exit 3).
SETUP_NAME = re.compile(r"-(base|anchor-\d+|array-\d+|lifecycle-probe)$")


class UpstreamError(Exception):
    """moto answered one of the proxy's own requests with an error: passed on as it is."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(f"moto answered HTTP {answer.status}")
        self.answer = answer


class FaultyProxy(HTTPServer):
    """The endpoint: `start()`, `url`, `fault = name | None`, `nulls`, `stop()`."""

    def __init__(self, upstream: str, nulls: bool = False) -> None:
        self.upstream = Upstream(upstream)  # moto, one request at a time
        self._fault = REFERENCE
        self.nulls = nulls  # a null for every optional member an answer lacks
        self.hold_jobs = False  # cases' jobs stay RUNNABLE until terminated or cancelled
        self.jobs = Jobs()
        self.memory = Memory()
        self.memo: dict[str, str] = {}  # what the reference made in moto (a service role)
        super().__init__(self._respond, keep_alive=True)

    @property
    def fault(self) -> str | None:
        """The fault switched on, or None for the reference."""
        return None if self._fault is REFERENCE else self._fault.name

    @fault.setter
    def fault(self, name: str | None) -> None:
        self._fault = REFERENCE if name is None else {**FAULTS, **CURRENT_FAULTS}[name]

    def behave(self, fault: Fault) -> None:
        """Behave as `fault` says, one that is not in the registries (a conformant variant
        of the reference, e.g. AWS's own leniency)."""
        self._fault = fault

    def _respond(self, handler: BaseHTTPRequestHandler, raw: bytes) -> Answer:
        headers = forwarded_headers(handler)
        operation = route(handler.command, handler.path)
        if operation in SEED_OPERATIONS:
            return self.batch(operation, handler.path, headers, raw)
        if operation:
            return self.current(operation, handler.command, handler.path, headers, raw)
        if handler.path.startswith("/moto-api"):  # it serializes calls: not a bare moto
            return error_answer(404, "NotFound", "the reference endpoint has no /moto-api")
        return self.upstream.forward(handler.command, handler.path, headers, raw)

    def batch(self, operation: str, path: str, headers: Mapping[str, str], raw: bytes) -> Answer:
        """One of the four operations: rules, moto, repairs, and the fault on top."""
        fault = self._fault
        read = _request(operation, raw, fault)
        if isinstance(read, Answer):
            return read
        request, hooked = read
        problem = check_request(operation, request, limits_for(fault.limits, operation))
        if problem:
            return fault.refuse(problem)
        if operation == "SubmitJob" and fault.inactive_refused:
            definition = str(request.get("jobDefinition"))
            if definition in self.jobs.inactive:
                return fault.refuse(f"JobDefinition {definition} is not in ACTIVE status")
        if operation == "SubmitJob":
            moto = self.in_moto(headers)
            if message := refusal(operation, request, moto, fault.accepts_absent):
                return fault.refuse(message)
            request = substitute(operation, request, moto, fault.accepts_absent)
        if operation == "DescribeJobDefinitions":
            try:
                answer = describe_job_definitions(
                    request, lambda body: self._fetch(path, headers, body), fault.pages
                )
            except Invalid as exc:
                return fault.refuse(str(exc))
            except UpstreamError as exc:
                return exc.answer
        elif (ready := answer_without_moto(operation, request)) is not None:
            answer = ready
        else:
            upstream = self.upstream.forward("POST", path, headers, json.dumps(request).encode())
            if upstream.status != 200:
                return upstream
            answer = repair_answer(operation, request, json.loads(upstream.body), self.memory)
        if self.hold_jobs:
            self.jobs.hold(operation, request, answer)
        return self._answer(hooked, fault, request, answer, nulls_for=operation)

    def in_moto(self, headers: Mapping[str, str]) -> InMoto:
        """What exists in moto, asked with the headers of the request being served (its
        region); IAM is asked with the same credential scope, for IAM."""

        def ask(operation: str, request: Json | str) -> Json | str | None:
            path, sent, body = f"/v1/{operation.lower()}", dict(headers), json.dumps(request)
            if operation == "iam":
                sent = {k: v for k, v in headers.items() if k.lower() not in IAM_REPLACED}
                auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
                sent["Authorization"] = auth.replace("/batch/aws4_request", "/iam/aws4_request")
                sent["Content-Type"] = "application/x-www-form-urlencoded"
                path, body = "/", f"{request}&Version=2010-05-08"
            answer = self.upstream.forward("POST", path, sent, body.encode())
            return as_json(answer.body) if answer.status == 200 else None

        return InMoto(ask, self.memo)

    def _fetch(self, path: str, headers: Mapping[str, str], body: Json) -> list[Json]:
        upstream = self.upstream.forward("POST", path, headers, json.dumps(body).encode())
        if upstream.status != 200:
            raise UpstreamError(upstream)
        return list(json.loads(upstream.body).get("jobDefinitions", []))

    def current(
        self, operation: str, method: str, path: str, headers: Mapping[str, str], raw: bytes
    ) -> Answer:
        """Any other operation of today's API: the current rules, moto, and the fault."""
        fault = self._fault
        read = _request(operation, raw, fault)
        if isinstance(read, Answer):
            return read
        request, hooked = read
        if hooked and fault.missing:
            return fault.refuse("not found")
        if hooked and fault.request:
            raw = json.dumps(request).encode()
        priority = request.get("priority")
        low, high = fault.priority
        queue = operation in ("CreateJobQueue", "UpdateJobQueue")
        if queue and isinstance(priority, int) and not low <= priority <= high:
            return fault.refuse(f"priority must be between {low} and {high}")
        moto = self.in_moto(headers)
        if message := refusal(operation, request, moto, fault.accepts_absent):
            return fault.refuse(message)
        repaired = substitute(operation, request, moto, fault.accepts_absent)
        repaired = repair(operation, repaired, moto, fault.unrepaired)
        if repaired != request:
            request, raw = repaired, json.dumps(repaired).encode()
        upstream = self.upstream.forward(method, path, headers, raw)
        if upstream.status != 200:
            return upstream
        answer = json.loads(upstream.body or b"{}")
        if operation == "DescribeJobQueues":
            answer = compute_environment_arns(answer)
        if operation == "DeregisterJobDefinition":
            self.jobs.deregistered(str(request.get("jobDefinition")))
        if operation in ("TerminateJob", "CancelJob") and (fault.stops_jobs or not hooked):
            self.jobs.stop(str(request.get("jobId")), str(request.get("reason")))
        return self._answer(hooked, fault, request, answer, nulls_for=None)

    def _answer(
        self, hooked: bool, fault: Fault, request: Json, answer: Json, nulls_for: str | None
    ) -> Answer:
        """The fault's answer hook on top, then moto's nulls if switched on (seed's four)."""
        if hooked and fault.response:
            result = fault.response(request, answer)
            if isinstance(result, Refusal):
                return fault.refuse(result.message)
            answer = result
        if self.nulls and nulls_for is not None:
            answer = answer_with_nulls(nulls_for, answer)
        return json_answer(answer)


def _request(operation: str, raw: bytes, fault: Fault) -> tuple[Json, bool] | Answer:
    """The request's JSON object as the fault's request hook leaves it, and whether the fault
    applies to it (its operation, not the suite's own setup); or the fault's refusal of a
    body that is no JSON object."""
    try:
        request = json.loads(raw) if raw else {}
    except ValueError:
        return fault.refuse("the request body is not JSON")
    if not isinstance(request, dict):
        return fault.refuse("the request body is not a JSON object")
    hooked = fault.operation == operation and not is_setup(request)
    if hooked and fault.request:
        request = fault.request(request)
    return request, hooked


class Jobs:
    """What the reference remembers of today's API: deregistered definitions, held jobs."""

    def __init__(self) -> None:
        self.inactive: set[str] = set()  # ARNs and name:revision of deregistered definitions
        self.held: dict[str, str | None] = {}  # job ID -> the reason it was stopped with
        self._lock = threading.Lock()

    def deregistered(self, reference: str) -> None:
        """A definition was deregistered: remember its ARN and its name:revision."""
        with self._lock:
            self.inactive.add(reference)
            if ":job-definition/" in reference:
                self.inactive.add(reference.split(":job-definition/", 1)[1])

    def hold(self, operation: str, request: Json, answer: Json) -> None:
        """A case's job submitted is held; DescribeJobs shows held jobs RUNNABLE (or FAILED
        with their reason once stopped), as AWS does without instances to run them."""
        with self._lock:
            if operation == "SubmitJob" and answer.get("jobId") and not is_setup(request):
                self.held.setdefault(str(answer["jobId"]), None)
            if operation == "DescribeJobs":
                for job in answer.get("jobs", []):
                    if str(job.get("jobId")) in self.held:
                        _held(job, self.held[str(job.get("jobId"))])

    def stop(self, job_id: str, reason: str) -> None:
        """TerminateJob or CancelJob of a held job: it fails with `reason`."""
        with self._lock:
            if job_id in self.held and self.held[job_id] is None:
                self.held[job_id] = reason


def _held(job: Json, reason: str | None) -> None:
    for member in ("startedAt", "stoppedAt", "statusReason", "attempts"):
        job.pop(member, None)
    job["status"] = "RUNNABLE" if reason is None else "FAILED"
    if reason is not None:
        job["statusReason"] = reason


def route(method: str, path: str) -> str | None:
    """The Batch operation a request is, by method and path; None for anything else (IAM)."""
    plain = path.split("?", 1)[0].rstrip("/").lower()
    if plain.startswith(TAGS_PATH):
        return TAGS_OPERATIONS.get(method)
    return OPERATIONS.get(plain) if method == "POST" else None


def is_setup(request: Json) -> bool:
    """Is `request` the suite's own setup (SETUP_NAME), which faults leave alone?"""
    name = request.get("jobName", request.get("jobDefinitionName"))
    return isinstance(name, str) and bool(SETUP_NAME.search(name))
