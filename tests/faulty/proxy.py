"""A faulty AWS Batch endpoint: an HTTP proxy on 127.0.0.1 in front of a moto server.

With no fault it is the reference: it refuses what the seed forbids (`reference.py`, written
by hand), repairs where moto deviates, and passes everything else (IAM, compute environments,
queues) through untouched. `FaultyProxy.fault = "<name>"` switches on one fault of `FAULTS`,
each breaking one documented behaviour; the registry says which cases must then fail, for
which rule ids, and which neighbouring cases must still pass. `FaultyProxy.nulls = True`
sends a JSON null for every optional member an answer lacks, as moto does (a fault with
`nulls` runs so, to show it is caught with such nulls in the same answer).

Every operation of today's API reaches it (`route`); beyond the seed's four, the reference
refuses a job queue priority outside 0..1000 and SubmitJob with a deregistered definition, and
`FaultyProxy.hold_jobs = True` keeps the jobs cases submit RUNNABLE until TerminateJob or
CancelJob fails them with their reason, as AWS does on a compute environment without
instances (moto runs every job at once). `CURRENT_FAULTS` break those, caught by
`--scope current` runs (tests/test_detection_current.py).
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

import botocore.session

from conformance.targets.moto_server import MotoServer
from tests.awslike.nulls import answer_with_nulls
from tests.faulty.existence import (
    SERVICE_ROLE,
    STATE,
    Upstream,
    as_json,
    refusal,
    repair,
    substitute,
)
from tests.faulty.reference import (
    SEED,
    Invalid,
    Json,
    Limits,
    Memory,
    Paginate,
    answer_without_moto,
    check_request,
    compute_environment_arns,
    describe_job_definitions,
    limits_for,
    paginate,
    repair_answer,
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
PRIORITY = (0, 1000)  # AWS::Batch::JobQueue › Priority: minimum 0, maximum 1000
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "te", "upgrade"}
)
SET_BY_US = frozenset({"server", "date"})  # http.server sends its own
IAM_REPLACED = frozenset({"authorization", "content-type"})  # a Batch call's, not IAM's
# Names the suite gives its own setup: the base definition (conformance/provision.py), the
# job lifecycle probe (conformance/lifecycle.py) and the anchor jobs (conformance/session.py).
# Faults leave them alone, so that a fault shows in the cases, not as a provisioning error
# (exit 3).
SETUP_NAME = re.compile(r"-(base|anchor-\d+|array-\d+|lifecycle-probe)$")
# moto's server is not thread-safe (DescribeJobs iterates its jobs while a SubmitJob adds
# one: "dictionary changed size during iteration", HTTP 500): every proxy in front of one
# moto server sends it one request at a time.
_UPSTREAM_LOCKS: dict[tuple[str, int], threading.Lock] = {}
_UPSTREAM_LOCKS_LOCK = threading.Lock()


def _upstream_lock(address: tuple[str, int]) -> threading.Lock:
    with _UPSTREAM_LOCKS_LOCK:
        return _UPSTREAM_LOCKS.setdefault(address, threading.Lock())


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, headers, body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class UpstreamError(Exception):
    """moto answered one of the proxy's own requests with an error: passed on as it is."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(f"moto answered HTTP {reply.status}")
        self.reply = reply


@dataclass(frozen=True)
class Refusal:
    """A response hook's way of answering with an error instead of the body."""

    message: str


def error_reply(status: int, code: str, message: str) -> Reply:
    """An AWS REST-JSON error, shaped like moto's own (`x-amzn-errortype` and `__type`)."""
    body = json.dumps({"__type": code, "message": message}).encode()
    headers = (("Content-Type", "application/json"), ("x-amzn-errortype", code))
    return Reply(status, headers, body)


def client_exception(message: str) -> Reply:
    """The seed's refusal: HTTP 400 `ClientException` with a message."""
    return error_reply(400, "ClientException", message)


def json_reply(body: Json) -> Reply:
    """HTTP 200 with a JSON body."""
    return Reply(200, (("Content-Type", "application/json"),), json.dumps(body).encode())


RequestHook = Callable[[Json], Json]
ResponseHook = Callable[[Json, Json], "Json | Refusal"]


@dataclass(frozen=True)
class Fault:
    """One broken behaviour, and how the suite must notice it."""

    name: str
    breaks: str  # what it breaks, one line
    rules: frozenset[str]  # rule ids that must fail, and the only ones that may
    fail: tuple[str, ...]  # case ids that must fail
    keep: tuple[str, ...] = ()  # neighbouring case ids that must still pass
    evidence: tuple[str, str] | None = None  # (check name, text in its detail) among failures
    limits: Mapping[str, Limits] = field(default_factory=dict)  # per operation
    operation: str | None = None  # the operation `request` and `response` apply to
    request: RequestHook | None = None  # rewrites the request before the rules and moto
    response: ResponseHook | None = None  # rewrites (or refuses) the repaired answer
    refuse: Callable[[str], Reply] = client_exception
    pages: Paginate = paginate
    nulls: bool = False  # run with FaultyProxy.nulls on
    priority: tuple[int, int] = PRIORITY  # CreateJobQueue/UpdateJobQueue priority allowed
    inactive_refused: bool = True  # SubmitJob refuses a deregistered definition
    stops_jobs: bool = True  # its operation (TerminateJob/CancelJob) fails a held job
    hold_jobs: bool = False  # run with FaultyProxy.hold_jobs on
    accepts_absent: frozenset[str] = frozenset()  # `<Op>.<member>` naming nothing, accepted
    unrepaired: frozenset[str] = frozenset()  # what moto needlessly requires, left as it is
    missing: bool = False  # no route for its operation: every request of it gets `refuse`

    @property
    def cases(self) -> tuple[str, ...]:
        """Every case id this fault's run selects."""
        return (*self.fail, *self.keep)


REFERENCE = Fault("reference", "nothing: the seed's rules and moto repaired", frozenset(), ())


class FaultyProxy:
    """The endpoint: `start()`, `url`, `fault = name | None`, `nulls`, `stop()`."""

    def __init__(self, upstream: str, nulls: bool = False) -> None:
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._fault = REFERENCE
        self.nulls = nulls  # a null for every optional member an answer lacks
        self.hold_jobs = False  # cases' jobs stay RUNNABLE until terminated or cancelled
        self.jobs = Jobs()
        self._serial = _upstream_lock(self._upstream)
        self.memory = Memory()
        self.memo: dict[str, str] = {}  # what the reference made in moto (a service role)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.proxy = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

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

    def start(self) -> None:
        """Serve in a daemon thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def forward(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Send one request to moto (one at a time) and return its answer."""
        conn = http.client.HTTPConnection(*self._upstream, timeout=60)
        try:
            with self._serial:
                conn.request(method, path, body, dict(headers))
                answer = conn.getresponse()
                data = answer.read()
        finally:
            conn.close()
        return Reply(answer.status, tuple(answer.getheaders()), data)

    def batch(self, operation: str, path: str, headers: Mapping[str, str], raw: bytes) -> Reply:
        """One of the four operations: rules, moto, repairs, and the fault on top."""
        fault = self._fault
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            return fault.refuse("the request body is not JSON")
        if not isinstance(request, dict):
            return fault.refuse("the request body is not a JSON object")
        hooked = fault.operation == operation and not _is_setup(request)
        if hooked and fault.request:
            request = fault.request(request)
        problem = check_request(operation, request, limits_for(fault.limits, operation))
        if problem:
            return fault.refuse(problem)
        if operation == "SubmitJob" and fault.inactive_refused:
            definition = str(request.get("jobDefinition"))
            if definition in self.jobs.inactive:
                return fault.refuse(f"JobDefinition {definition} is not in ACTIVE status")
        if operation == "SubmitJob":
            moto = self.upstream(headers)
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
                return exc.reply
        elif (ready := answer_without_moto(operation, request)) is not None:
            answer = ready
        else:
            upstream = self.forward("POST", path, headers, json.dumps(request).encode())
            if upstream.status != 200:
                return upstream
            answer = repair_answer(operation, request, json.loads(upstream.body), self.memory)
        if self.hold_jobs:
            self.jobs.hold(operation, request, answer)
        if hooked and fault.response:
            result = fault.response(request, answer)
            if isinstance(result, Refusal):
                return fault.refuse(result.message)
            answer = result
        return json_reply(answer_with_nulls(operation, answer) if self.nulls else answer)

    def upstream(self, headers: Mapping[str, str]) -> Upstream:
        """What exists in moto, asked with the headers of the request being served (its
        region); IAM is asked with the same credential scope, for IAM."""

        def ask(operation: str, request: Json | str) -> Json | str | None:
            if operation == "iam":
                sent = {k: v for k, v in headers.items() if k.lower() not in IAM_REPLACED}
                auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
                sent["Authorization"] = auth.replace("/batch/aws4_request", "/iam/aws4_request")
                sent["Content-Type"] = "application/x-www-form-urlencoded"
                body = f"{request}&Version=2010-05-08".encode()
                reply = self.forward("POST", "/", sent, body)
            else:
                body = json.dumps(request).encode()
                reply = self.forward("POST", f"/v1/{operation.lower()}", headers, body)
            return as_json(reply.body) if reply.status == 200 else None

        return Upstream(ask, self.memo)

    def _fetch(self, path: str, headers: Mapping[str, str], body: Json) -> list[Json]:
        upstream = self.forward("POST", path, headers, json.dumps(body).encode())
        if upstream.status != 200:
            raise UpstreamError(upstream)
        return list(json.loads(upstream.body).get("jobDefinitions", []))

    def current(
        self, operation: str, method: str, path: str, headers: Mapping[str, str], raw: bytes
    ) -> Reply:
        """Any other operation of today's API: the current rules, moto, and the fault."""
        fault = self._fault
        try:
            request = json.loads(raw) if raw else {}
        except ValueError:
            return fault.refuse("the request body is not JSON")
        if not isinstance(request, dict):
            return fault.refuse("the request body is not a JSON object")
        hooked = fault.operation == operation and not _is_setup(request)
        if hooked and fault.missing:
            return fault.refuse("not found")
        if hooked and fault.request:
            request = fault.request(request)
            raw = json.dumps(request).encode()
        priority = request.get("priority")
        low, high = fault.priority
        queue = operation in ("CreateJobQueue", "UpdateJobQueue")
        if queue and isinstance(priority, int) and not low <= priority <= high:
            return fault.refuse(f"priority must be between {low} and {high}")
        moto = self.upstream(headers)
        if message := refusal(operation, request, moto, fault.accepts_absent):
            return fault.refuse(message)
        repaired = substitute(operation, request, moto, fault.accepts_absent)
        repaired = repair(operation, repaired, moto, fault.unrepaired)
        if repaired != request:
            request, raw = repaired, json.dumps(repaired).encode()
        upstream = self.forward(method, path, headers, raw)
        if upstream.status != 200:
            return upstream
        answer = json.loads(upstream.body or b"{}")
        if operation == "DescribeJobQueues":
            answer = compute_environment_arns(answer)
        if operation == "DeregisterJobDefinition":
            self.jobs.deregistered(str(request.get("jobDefinition")))
        if operation in ("TerminateJob", "CancelJob") and (fault.stops_jobs or not hooked):
            self.jobs.stop(str(request.get("jobId")), str(request.get("reason")))
        if hooked and fault.response:
            result = fault.response(request, answer)
            if isinstance(result, Refusal):
                return fault.refuse(result.message)
            answer = result
        return json_reply(answer)


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
            if operation == "SubmitJob" and answer.get("jobId") and not _is_setup(request):
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


P = TypeVar("P", bound="FaultyProxy")


@contextmanager
def faulty_endpoint(kind: type[P]) -> Iterator[P]:
    """A real moto server and a proxy of `kind` in front of it, both stopped afterwards."""
    server = MotoServer("us-east-1")
    server.start()
    try:
        assert server.endpoint_url
        proxy = kind(server.endpoint_url)
        proxy.start()
        try:
            yield proxy
        finally:
            proxy.stop()
    finally:
        server.stop()


def route(method: str, path: str) -> str | None:
    """The Batch operation a request is, by method and path; None for anything else (IAM)."""
    plain = path.split("?", 1)[0].rstrip("/").lower()
    if plain.startswith(TAGS_PATH):
        return TAGS_OPERATIONS.get(method)
    return OPERATIONS.get(plain) if method == "POST" else None


def _is_setup(request: Json) -> bool:
    name = request.get("jobName", request.get("jobDefinitionName"))
    return isinstance(name, str) and bool(SETUP_NAME.search(name))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        proxy: FaultyProxy = self.server.proxy  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        operation = route(self.command, self.path)
        try:
            if operation in SEED_OPERATIONS:
                reply = proxy.batch(operation, self.path, headers, raw)
            elif operation:
                reply = proxy.current(operation, self.command, self.path, headers, raw)
            elif self.path.startswith("/moto-api"):  # it serializes calls: not a bare moto
                reply = error_reply(404, "NotFound", "the reference endpoint has no /moto-api")
            else:
                reply = proxy.forward(self.command, self.path, headers, raw)
        except Exception as exc:  # a bug of the proxy: show it to the suite, do not hang up
            reply = error_reply(500, "ProxyError", f"{type(exc).__name__}: {exc}")
        self.send_response(reply.status)
        for name, value in reply.headers:
            if name.lower() not in HOP_BY_HOP | SET_BY_US:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


# ---- the faults ----------------------------------------------------------------------


def limit_case(rule: str, side: str, label: str) -> str:
    """The id of a derived boundary case."""
    return f"request_limits::test_limit[{rule}:{side}:{label}]"


class MovedLimit(NamedTuple):
    """A fault that moves one limit of one operation by one."""

    name: str  # "lax-..." accepts just outside; "strict-..." refuses just inside
    breaks: str
    rule: str
    operation: str
    limits: Limits
    fail: str  # label of the boundary case that must fail
    keep: str  # label of its neighbour on the other side, which must still pass

    def fault(self) -> Fault:
        """The registry entry."""
        lax = self.name.startswith("lax-")
        side_fail, side_keep = ("outside", "inside") if lax else ("inside", "outside")
        return Fault(
            self.name,
            self.breaks,
            frozenset({self.rule}),
            (limit_case(self.rule, side_fail, self.fail),),
            (limit_case(self.rule, side_keep, self.keep),),
            limits={self.operation: self.limits},
        )


def _without(member: str) -> RequestHook:
    def hook(request: Json) -> Json:
        return {k: v for k, v in request.items() if k != member}

    return hook


def _clamp_vcpus(request: Json) -> Json:
    props = request.get("containerProperties")
    if isinstance(props, dict) and isinstance(props.get("vcpus"), int) and props["vcpus"] < 1:
        request = {**request, "containerProperties": {**props, "vcpus": 1}}
    return request


def _name_revision_as_name(request: Json) -> Json:
    entries = request.get("jobDefinitions")
    if isinstance(entries, list) and entries:
        names = {str(e).split(":", 1)[0] for e in entries if not str(e).startswith("arn:")}
        if len(names) == 1:
            request = {k: v for k, v in request.items() if k != "jobDefinitions"}
            request["jobDefinitionName"] = names.pop()
    return request


def _drop_answer(member: str) -> ResponseHook:
    def hook(_request: Json, answer: Json) -> Json:
        return {k: v for k, v in answer.items() if k != member}

    return hook


def _revision_as_string(_request: Json, answer: Json) -> Json:
    return {**answer, "revision": str(answer.get("revision"))}


def _each_job(change: Callable[[Json], None]) -> ResponseHook:
    def hook(_request: Json, answer: Json) -> Json:
        for job in answer.get("jobs", []):
            change(job)
        return answer

    return hook


def _status_done(job: Json) -> None:
    job["status"] = "DONE"


def _created_at_seconds(job: Json) -> None:
    if isinstance(job.get("createdAt"), int):
        job["createdAt"] //= 1000


def _drop_index(job: Json) -> None:
    (job.get("arrayProperties") or {}).pop("index", None)


def _drop_depends_on(job: Json) -> None:
    job.pop("dependsOn", None)


def _unknown_id_error(request: Json, answer: Json) -> Json | Refusal:
    known = {job.get("jobId") for job in answer.get("jobs", [])}
    for job_id in request.get("jobs", []):
        if job_id not in known:
            return Refusal(f"Job {job_id} not found")
    return answer


def _drop_timeouts(_request: Json, answer: Json) -> Json:
    for definition in answer.get("jobDefinitions", []):
        definition.pop("timeout", None)
    return answer


def _whole_list(items: list[Json], offset: int, _size: int) -> tuple[list[Json], int | None]:
    return items[offset:], None


def _overlapping(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    end = offset + size
    return items[offset:end], (offset + max(size - 1, 1) if end < len(items) else None)


def _endless(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    return items[offset : offset + size], offset + size


def _skipping(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    end = offset + size
    return items[offset:end], (end + 1 if end + 1 < len(items) else None)


def _first_page_only(items: list[Json], offset: int, size: int) -> tuple[list[Json], int | None]:
    return paginate(items, offset, size) if offset == 0 else _whole_list(items, offset, size)


TIMEOUT_MIN = "SubmitJob.timeout.minimum"
JOB_IDS_MAX = "DescribeJobs.jobs.maxItems"
ERROR_CASES = (
    limit_case(TIMEOUT_MIN, "outside", "59"),
    limit_case(JOB_IDS_MAX, "outside", "101items"),
)
ERROR_KEEP = (limit_case(TIMEOUT_MIN, "inside", "60"),)
PAGINATION = "DescribeJobDefinitions.behaviour.pagination"
PAGINATION_KEEP = ("job_definitions::test_lookup[name]",)
STATUS_ENUM = "DescribeJobs.response.status.enum"
CREATED_AT_MS = "DescribeJobs.response.createdAt.epoch-ms"
CHILD_INDEX = "DescribeJobs.response.arrayProperties.index.for-children"


def structure(operation: str) -> str:
    """The rule of everything in `operation`'s answers that no response rule states."""
    return f"{operation}.response.structure"


def structure_case(operation: str) -> str:
    """The case judging `operation`'s answers against their schema's structure."""
    return f"responses::test_response_structure[{operation}]"


def response_rule_case(rule: str) -> str:
    """The case judging one response rule."""
    return f"responses::test_response_rule[{rule}]"


def reference_cases(rule: str, *forms: str) -> tuple[str, ...]:
    """The ids of the cases of a reference to nothing, one per form."""
    return tuple(f"references::test_reference_to_nothing[{rule}:{form}]" for form in forms)


def optional_case(shape: str) -> str:
    """The id of an operation's required-only case (`CreateComputeEnvironment:MANAGED`)."""
    return f"optional_members::test_only_required_members[{shape}]"


def _needs(member: str) -> ResponseHook:
    """Refuse a request without `member`, which AWS documents as optional."""

    def hook(request: Json, answer: Json) -> Json | Refusal:
        return answer if member in request else Refusal(f"{member} is required")

    return hook


SUBMIT_ECHO = "jobs::test_submit_answers_name_and_id"
QUEUE_ORDER_RULE = "CreateJobQueue.computeEnvironmentOrder.computeEnvironment.exists"


def _faults() -> list[Fault]:
    seed = SEED
    return [
        # ---- too lax -------------------------------------------------------------------
        MovedLimit(
            "lax-submit-timeout-59",
            "SubmitJob accepts a timeout of 59 s",
            TIMEOUT_MIN,
            "SubmitJob",
            replace(seed, timeout_min=59),
            "59",
            "60",
        ).fault(),
        MovedLimit(
            "lax-submit-attempts-11",
            "SubmitJob accepts retryStrategy.attempts 11",
            "SubmitJob.retryStrategy.attempts.range",
            "SubmitJob",
            replace(seed, attempts=(1, 11)),
            "11",
            "10",
        ).fault(),
        MovedLimit(
            "lax-array-size-1",
            "SubmitJob accepts an array of size 1",
            "SubmitJob.arrayProperties.size.range",
            "SubmitJob",
            replace(seed, array_size=(1, 10_000)),
            "1",
            "2",
        ).fault(),
        MovedLimit(
            "lax-depends-on-21",
            "SubmitJob accepts 21 dependencies",
            "SubmitJob.dependsOn.maxItems",
            "SubmitJob",
            replace(seed, depends_on_max=21),
            "21items",
            "20items",
        ).fault(),
        MovedLimit(
            "lax-describe-jobs-101",
            "DescribeJobs accepts 101 job IDs",
            JOB_IDS_MAX,
            "DescribeJobs",
            replace(seed, job_ids_max=101),
            "101items",
            "100items",
        ).fault(),
        MovedLimit(
            "lax-max-results-0",
            "DescribeJobDefinitions accepts maxResults 0",
            "DescribeJobDefinitions.maxResults.range",
            "DescribeJobDefinitions",
            replace(seed, max_results=(0, 100)),
            "0",
            "1",
        ).fault(),
        MovedLimit(
            "lax-job-name-leading-hyphen",
            "SubmitJob accepts a jobName starting with a hyphen",
            "SubmitJob.jobName.charset",
            "SubmitJob",
            replace(seed, job_name_first_alnum=False),
            "leading-hyphen",
            "valid-chars",
        ).fault(),
        MovedLimit(
            "lax-env-aws-batch",
            "RegisterJobDefinition accepts an AWS_BATCH_ environment name",
            "RegisterJobDefinition.containerProperties.environment.name.reserved",
            "RegisterJobDefinition",
            replace(seed, reserved_env_prefix=None),
            "AWS_BATCH_TEST",
            "ordinary-name",
        ).fault(),
        MovedLimit(
            "lax-describe-jobs-without-jobs",
            "DescribeJobs accepts a request without jobs",
            "DescribeJobs.required",
            "DescribeJobs",
            replace(seed, jobs_required=False),
            "without-jobs",
            "all-present",
        ).fault(),
        Fault(
            "lax-vcpus-0",
            "RegisterJobDefinition accepts vcpus 0 (and quietly registers 1)",
            frozenset({"RegisterJobDefinition.containerProperties.vcpus.minimum"}),
            (
                limit_case(
                    "RegisterJobDefinition.containerProperties.vcpus.minimum", "outside", "0"
                ),
            ),
            (limit_case("RegisterJobDefinition.containerProperties.vcpus.minimum", "inside", "1"),),
            operation="RegisterJobDefinition",
            request=_clamp_vcpus,
        ),
        # ---- too strict by one ---------------------------------------------------------
        MovedLimit(
            "strict-submit-timeout-60",
            "SubmitJob refuses a timeout of 60 s",
            TIMEOUT_MIN,
            "SubmitJob",
            replace(seed, timeout_min=61),
            "60",
            "59",
        ).fault(),
        MovedLimit(
            "strict-register-attempts-10",
            "RegisterJobDefinition refuses attempts 10",
            "RegisterJobDefinition.retryStrategy.attempts.range",
            "RegisterJobDefinition",
            replace(seed, attempts=(1, 9)),
            "10",
            "11",
        ).fault(),
        MovedLimit(
            "strict-array-size-10000",
            "SubmitJob refuses an array of size 10,000",
            "SubmitJob.arrayProperties.size.range",
            "SubmitJob",
            replace(seed, array_size=(2, 9_999)),
            "10000",
            "10001",
        ).fault(),
        MovedLimit(
            "strict-job-name-128",
            "SubmitJob refuses a jobName of 128 characters",
            "SubmitJob.jobName.length",
            "SubmitJob",
            replace(seed, name_max=127),
            "128chars",
            "129chars",
        ).fault(),
        # ---- refusals of the wrong shape -----------------------------------------------
        Fault(
            "server-exception",
            "refuses with HTTP 500 ServerException instead of 400 ClientException",
            frozenset({TIMEOUT_MIN, JOB_IDS_MAX}),
            ERROR_CASES,
            ERROR_KEEP,
            evidence=("http-status-400", "500"),
            refuse=lambda message: error_reply(500, "ServerException", message),
        ),
        Fault(
            "validation-exception",
            "refuses with HTTP 400 ValidationException instead of ClientException",
            frozenset({TIMEOUT_MIN, JOB_IDS_MAX}),
            ERROR_CASES,
            ERROR_KEEP,
            evidence=("error-code-ClientException", "ValidationException"),
            refuse=lambda message: error_reply(400, "ValidationException", message),
        ),
        Fault(
            "empty-message",
            "refuses with 400 ClientException but an empty message",
            frozenset({TIMEOUT_MIN, JOB_IDS_MAX}),
            ERROR_CASES,
            ERROR_KEEP,
            evidence=("error-message-present", "''"),
            refuse=lambda _message: client_exception(""),
        ),
        # ---- answers of the wrong shape: one verdict, for the rule the answer breaks ----
        Fault(
            "missing-job-definition-arn",
            "RegisterJobDefinition answers without jobDefinitionArn",
            frozenset({structure("RegisterJobDefinition")}),
            (structure_case("RegisterJobDefinition"),),
            # they read that answer, then find the definition as name:revision
            ("job_definitions::test_timeout_kept", "job_definitions::test_lookup[arn]"),
            evidence=("response-schema", "'jobDefinitionArn' is a required property"),
            operation="RegisterJobDefinition",
            response=_drop_answer("jobDefinitionArn"),
            nulls=True,
        ),
        Fault(
            "missing-job-id",
            "SubmitJob answers without jobId",
            frozenset({structure("SubmitJob")}),
            (structure_case("SubmitJob"),),
            evidence=("response-schema", "'jobId' is a required property"),
            operation="SubmitJob",
            response=_drop_answer("jobId"),
        ),
        Fault(
            "revision-as-string",
            "RegisterJobDefinition answers revision as a string",
            frozenset({structure("RegisterJobDefinition")}),
            (structure_case("RegisterJobDefinition"),),
            ("job_definitions::test_timeout_kept",),  # reads that answer, needs only the ARN
            evidence=("response-schema", "$.revision"),
            operation="RegisterJobDefinition",
            response=_revision_as_string,
        ),
        Fault(
            "status-done",
            "DescribeJobs reports job status DONE, not a documented status",
            frozenset({STATUS_ENUM}),
            (response_rule_case(STATUS_ENUM),),
            ("jobs::test_timeout_override",),  # reads such answers, asks only for the timeout
            evidence=("response-schema", STATUS_ENUM),
            operation="DescribeJobs",
            response=_each_job(_status_done),
        ),
        Fault(
            "created-at-seconds",
            "DescribeJobs reports createdAt in seconds, not milliseconds",
            frozenset({CREATED_AT_MS}),
            (response_rule_case(CREATED_AT_MS),),
            ("jobs::test_timeout_override",),
            evidence=("response-schema", CREATED_AT_MS),
            operation="DescribeJobs",
            response=_each_job(_created_at_seconds),
        ),
        # ---- pagination ----------------------------------------------------------------
        Fault(
            "pagination-ignores-max-results",
            "DescribeJobDefinitions returns everything in one page despite maxResults",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=_whole_list,
        ),
        Fault(
            "pagination-repeats",
            "DescribeJobDefinitions pages overlap: each page repeats the last item",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=_overlapping,
        ),
        Fault(
            "pagination-endless",
            "DescribeJobDefinitions always sends a nextToken, even after the last page",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=_endless,
        ),
        Fault(
            "pagination-skips",
            "DescribeJobDefinitions pages skip the item after each page",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=_skipping,
            nulls=True,
        ),
        Fault(
            "max-results-first-page-only",
            "DescribeJobDefinitions ignores maxResults after the first page",
            frozenset({PAGINATION}),
            ("job_definitions::test_pagination",),
            PAGINATION_KEEP,
            pages=_first_page_only,
            nulls=True,
        ),
        # ---- ignored overrides ---------------------------------------------------------
        Fault(
            "ignored-timeout-override",
            "SubmitJob's timeout is ignored: the job keeps the definition's",
            frozenset({"SubmitJob.behaviour.timeout-override"}),
            ("jobs::test_timeout_override",),
            ("job_definitions::test_timeout_kept",),
            operation="SubmitJob",
            request=_without("timeout"),
        ),
        Fault(
            "ignored-parameters",
            "SubmitJob's parameters are ignored: the job keeps the definition's defaults",
            frozenset({"SubmitJob.behaviour.parameters"}),
            ("jobs::test_parameters_override",),
            operation="SubmitJob",
            request=_without("parameters"),
        ),
        Fault(
            "ignored-container-overrides",
            "SubmitJob's containerOverrides are ignored",
            frozenset({"SubmitJob.behaviour.container-overrides"}),
            ("jobs::test_container_overrides",),
            operation="SubmitJob",
            request=_without("containerOverrides"),
        ),
        Fault(
            "ignored-retry-strategy",
            "SubmitJob's retryStrategy is ignored: the job keeps the definition's",
            frozenset({"SubmitJob.behaviour.retry-strategy"}),
            ("jobs::test_retry_strategy",),
            operation="SubmitJob",
            request=_without("retryStrategy"),
        ),
        Fault(
            "timeout-not-kept",
            "DescribeJobDefinitions leaves out the registered timeout",
            frozenset({"RegisterJobDefinition.behaviour.timeout-kept"}),
            ("job_definitions::test_timeout_kept",),
            operation="DescribeJobDefinitions",
            response=_drop_timeouts,
        ),
        Fault(
            "timeout-null",
            "DescribeJobDefinitions answers the registered timeout as null",
            frozenset({"RegisterJobDefinition.behaviour.timeout-kept"}),
            ("job_definitions::test_timeout_kept",),
            ("job_definitions::test_lookup[arn]",),
            operation="DescribeJobDefinitions",
            response=_drop_timeouts,  # and nulls put null where it was
            nulls=True,
        ),
        # ---- jobs and lookups ----------------------------------------------------------
        Fault(
            "array-child-without-index",
            "array children come without arrayProperties.index",
            # the case that reads the children, and the answer rule every child breaks
            frozenset({"SubmitJob.behaviour.array-job", CHILD_INDEX}),
            ("jobs::test_array_job", response_rule_case(CHILD_INDEX)),
            ("jobs::test_array_children_timeout",),
            operation="DescribeJobs",
            response=_each_job(_drop_index),
        ),
        Fault(
            "unknown-id-error",
            "DescribeJobs refuses a list holding an unknown job ID",
            frozenset({"DescribeJobs.behaviour.unknown-id"}),
            ("jobs::test_unknown_id_absent",),
            ("jobs::test_submit_answers_name_and_id",),
            operation="DescribeJobs",
            response=_unknown_id_error,
        ),
        Fault(
            "depends-on-dropped",
            "DescribeJobs leaves out dependsOn",
            frozenset({"SubmitJob.behaviour.depends-on"}),
            tuple(f"jobs::test_depends_on_echoed[{k}]" for k in ("plain", "N_TO_N", "SEQUENTIAL")),
            operation="DescribeJobs",
            response=_each_job(_drop_depends_on),
        ),
        Fault(
            "lookup-ignores-revision",
            "DescribeJobDefinitions by name:revision returns every revision",
            frozenset({"DescribeJobDefinitions.behaviour.lookup"}),
            ("job_definitions::test_lookup[name-revision]",),
            ("job_definitions::test_lookup[name]", "job_definitions::test_lookup[arn]"),
            operation="DescribeJobDefinitions",
            request=_name_revision_as_name,
        ),
        Fault(
            "status-filter-ignored",
            "DescribeJobDefinitions ignores the status filter",
            frozenset({"DescribeJobDefinitions.behaviour.status-filter"}),
            ("job_definitions::test_active_filter",),
            operation="DescribeJobDefinitions",
            request=_without("status"),
        ),
        # ---- references to nothing and optional members ---------------------------------
        Fault(
            "submit-to-absent-queue",
            "SubmitJob to a job queue that does not exist is accepted (as ministack does)",
            frozenset({"SubmitJob.jobQueue.exists"}),
            reference_cases("SubmitJob.jobQueue.exists", "name", "arn"),
            (*reference_cases("SubmitJob.jobDefinition.exists", "name"), SUBMIT_ECHO),
            accepts_absent=frozenset({"SubmitJob.jobQueue"}),
        ),
        Fault(
            "submit-with-absent-definition",
            "SubmitJob with a job definition that does not exist is accepted (as ministack does)",
            frozenset({"SubmitJob.jobDefinition.exists"}),
            reference_cases("SubmitJob.jobDefinition.exists", "name", "name-revision", "arn"),
            reference_cases("SubmitJob.jobQueue.exists", "name"),
            accepts_absent=frozenset({"SubmitJob.jobDefinition"}),
        ),
        Fault(
            "depends-on-absent-job",
            "SubmitJob depending on a job that does not exist is accepted (as moto does)",
            frozenset({"SubmitJob.dependsOn.jobId.exists"}),
            reference_cases("SubmitJob.dependsOn.jobId.exists", "id"),
            ("jobs::test_depends_on_echoed[plain]",),
            accepts_absent=frozenset({"SubmitJob.dependsOn"}),
        ),
        Fault(
            "definitions-need-status",
            "DescribeJobDefinitions refuses a request without status, an optional member",
            frozenset({"DescribeJobDefinitions.required-only"}),
            (optional_case("DescribeJobDefinitions"),),
            ("job_definitions::test_active_filter",),
            operation="DescribeJobDefinitions",
            response=_needs("status"),
        ),
    ]


FAULTS: dict[str, Fault] = {fault.name: fault for fault in _faults()}


# ---- faults of today's API, caught by `--scope current` runs --------------------------

PRIORITY_RULE = "CreateJobQueue.priority.range"


def lifecycle_case(test: str) -> str:
    """The id of a case of conformance/current_cases/test_lifecycles.py."""
    return f"lifecycles::{test}"


def _no_tags(_request: Json, answer: Json) -> Json:
    return {**answer, "tags": {}}


def _not_by_arn(request: Json, answer: Json) -> Json:
    """Leave out the compute environments the request named by ARN (found by name only)."""
    named = {str(n) for n in request.get("computeEnvironments") or [] if str(n).startswith("arn:")}
    found = answer.get("computeEnvironments") or []
    kept = [
        e for e in found if not (isinstance(e, dict) and e.get("computeEnvironmentArn") in named)
    ]
    return {**answer, "computeEnvironments": kept}


def not_found_page(_message: str) -> Reply:
    """What a web framework answers for a route it does not know: 404 and an HTML page."""
    page = b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1>"
    return Reply(404, (("Content-Type", "text/html; charset=utf-8"),), page)


IMPLEMENTED_CASE = "operations::test_operation_implemented[{operation}]"


def _current_faults() -> list[Fault]:
    return [
        Fault(
            "lax-queue-priority-1001",
            "CreateJobQueue accepts a priority of 1001",
            frozenset({PRIORITY_RULE}),
            (limit_case(PRIORITY_RULE, "outside", "1001"),),
            (limit_case(PRIORITY_RULE, "inside", "1000"),),
            priority=(0, 1001),
        ),
        Fault(
            "submit-inactive-definition",
            "SubmitJob accepts a deregistered (INACTIVE) job definition",
            frozenset({"SubmitJob.behaviour.inactive-definition-refused"}),
            (lifecycle_case("test_submit_with_deregistered_definition_refused"),),
            (lifecycle_case("test_deregistered_definition_is_inactive"),),
            inactive_refused=False,
        ),
        Fault(
            "list-jobs-ignores-status",
            "ListJobs ignores jobStatus: a job is listed under every status",
            frozenset({"ListJobs.behaviour.status-filter"}),
            (lifecycle_case("test_list_jobs_by_status"),),
            (lifecycle_case("test_list_jobs_by_name"),),
            operation="ListJobs",
            request=_without("jobStatus"),
        ),
        Fault(
            "terminate-leaves-runnable",
            "TerminateJob answers 200 but leaves the job RUNNABLE",
            frozenset({"TerminateJob.behaviour.fails-job"}),
            (lifecycle_case("test_stop_job_fails_it_with_reason[TerminateJob]"),),
            (lifecycle_case("test_stop_job_fails_it_with_reason[CancelJob]"),),
            operation="TerminateJob",
            stops_jobs=False,
            hold_jobs=True,
        ),
        Fault(
            "list-tags-empty",
            "ListTagsForResource answers no tags, whatever the resource has",
            frozenset({"ListTagsForResource.behaviour.creation-tags"}),
            tuple(
                lifecycle_case(f"test_tags_given_at_creation[{kind}]")
                for kind in ("job-queue", "job-definition", "job")
            ),
            (lifecycle_case("test_scheduling_policy_lifecycle"),),
            operation="ListTagsForResource",
            response=_no_tags,
        ),
        Fault(
            "compute-environment-not-by-arn",
            "DescribeComputeEnvironments finds compute environments by name only, not by ARN",
            frozenset({"CreateComputeEnvironment.behaviour.lifecycle"}),
            (lifecycle_case("test_compute_environment_lifecycle"),),
            (lifecycle_case("test_tags_given_at_creation[compute-environment]"),),
            evidence=("listed", "listed when described by its ARN: False"),
            operation="DescribeComputeEnvironments",
            response=_not_by_arn,
        ),
        Fault(
            "list-jobs-not-implemented",
            "ListJobs answers 404 with an HTML page, as an emulator without the route does",
            frozenset({"ListJobs.implemented"}),
            (IMPLEMENTED_CASE.format(operation="ListJobs"),),
            (IMPLEMENTED_CASE.format(operation="DescribeJobs"),),
            operation="ListJobs",
            missing=True,
            refuse=not_found_page,
        ),
        Fault(
            "queue-orders-absent-environment",
            "CreateJobQueue accepts a computeEnvironmentOrder naming a compute environment that"
            " does not exist (as ministack does)",
            frozenset({QUEUE_ORDER_RULE}),
            reference_cases(QUEUE_ORDER_RULE, "name", "arn"),
            (optional_case("CreateJobQueue"),),
            accepts_absent=frozenset({"CreateJobQueue.computeEnvironmentOrder"}),
        ),
        Fault(
            "current-submit-to-absent-queue",
            "SubmitJob of today's API to a job queue that does not exist is accepted (as"
            " ministack does)",
            frozenset({"SubmitJob.jobQueue.exists"}),
            reference_cases("SubmitJob.jobQueue.exists", "name", "arn"),
            reference_cases("SubmitJob.jobDefinition.exists", "name"),
            accepts_absent=frozenset({"SubmitJob.jobQueue"}),
        ),
        Fault(
            "managed-environment-needs-service-role",
            "CreateComputeEnvironment refuses a MANAGED environment without serviceRole (as moto"
            " does)",
            frozenset({"CreateComputeEnvironment.required-only"}),
            (optional_case("CreateComputeEnvironment:MANAGED"),),
            (optional_case("CreateComputeEnvironment"),),
            unrepaired=frozenset({SERVICE_ROLE}),
        ),
        Fault(
            "queue-needs-state",
            "CreateJobQueue refuses a request without state (as moto does)",
            frozenset({"CreateJobQueue.required-only"}),
            (optional_case("CreateJobQueue"),),
            (limit_case(PRIORITY_RULE, "inside", "0"),),
            unrepaired=frozenset({STATE}),
        ),
    ]


CURRENT_FAULTS: dict[str, Fault] = {fault.name: fault for fault in _current_faults()}
