"""The AWS-like endpoint (`tests/awslike/`) in front of a tiny fake upstream: nulls,
throttling, latency, hiding, IAM (the whole suite through it: test_awslike_acceptance.py)."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pytest

from conformance.schemas import load_schema
from tests.awslike import AwsLikeProxy
from tests.awslike.iam import IamChecks
from tests.awslike.nulls import answer_with_nulls
from tests.awslike.throttle import Throttle
from tests.awslike.visibility import Visibility
from tests.faulty.proxy import FaultyProxy
from tests.proxy_core import HTTPServer

Json = dict[str, Any]
JOB = {
    "jobName": "j",
    "jobQueue": "q",
    "status": "SUBMITTED",
    "jobDefinition": "d",
    "parameters": {"p": "v"},
    "arrayProperties": {"statusSummary": {"PENDING": 2}},
    "container": {"image": "busybox", "environment": [{"name": "A"}], "command": ["echo"]},
    "dependsOn": [{"jobId": "other"}],
}


# ---- a fake upstream -----------------------------------------------------------------


class FakeBatch:
    """An upstream that answers the Batch calls the tests make, and counts what reaches it."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self.server = HTTPServer(self._respond)

    def _respond(self, handler: Any, body: bytes) -> tuple[int, Mapping[str, str], bytes]:
        with self._lock:
            self.calls.append(handler.path)
        request = json.loads(body or b"{}") if handler.path.startswith("/v1/") else {}
        answer: Json
        if handler.path == "/v1/submitjob":
            answer = {"jobName": request.get("jobName"), "jobId": f"id-{request.get('jobName')}"}
        elif handler.path == "/v1/describejobs":
            answer = {"jobs": [{**JOB, "jobId": job_id} for job_id in request.get("jobs", [])]}
        elif handler.path == "/v1/registerjobdefinition":
            answer = {"jobDefinitionName": "d", "jobDefinitionArn": "arn:d:1", "revision": 1}
        elif handler.path == "/v1/describejobdefinitions":
            error = {"__type": "ClientException", "message": "no"}
            return 400, {"Content-Type": "application/json"}, json.dumps(error).encode()
        elif handler.path.startswith("/v1/"):
            answer = {"done": True}
        else:
            return 200, {"Content-Type": "text/xml"}, b"<ok/>"
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()


@pytest.fixture
def upstream() -> Iterator[FakeBatch]:
    """The fake upstream, serving."""
    fake = FakeBatch()
    with fake.server:
        yield fake


@pytest.fixture
def proxies(upstream: FakeBatch) -> Iterator[list[AwsLikeProxy]]:
    """AwsLikeProxy instances in front of the fake upstream: append, they are stopped."""
    made: list[AwsLikeProxy] = []
    yield made
    for proxy in made:
        proxy.stop()


def _proxy(proxies: list[AwsLikeProxy], upstream: FakeBatch, **switches: Any) -> AwsLikeProxy:
    proxy = AwsLikeProxy(upstream.server.url, **switches)
    proxy.start()
    proxies.append(proxy)
    return proxy


def post(url: str, path: str, body: Json | None = None) -> tuple[int, dict[str, str], bytes]:
    """POST `body` as JSON; status, headers (lower-case names) and raw body."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("POST", path, json.dumps(body or {}), {"Content-Type": "application/json"})
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        conn.close()


# ---- nulls -----------------------------------------------------------------------------


def _check_nulls(before: Any, after: Any, schema: Mapping[str, Any], path: str = "$") -> int:
    """Assert `after` is `before` plus a null for each optional known member it lacked, at
    every object level, and nothing else; return how many nulls were added."""
    if isinstance(before, dict):
        known = schema.get("properties", {})
        optional = set(known) - set(schema.get("required", ()))
        assert set(after) == set(before) | optional, f"{path}: members {sorted(after)}"
        added = 0
        for key in set(after) - set(before):
            assert after[key] is None, f"{path}.{key} added as {after[key]!r}"
            added += 1
        for key, value in before.items():
            extra = schema.get("additionalProperties")
            inner = known.get(key, extra if isinstance(extra, dict) else {})
            added += _check_nulls(value, after[key], inner, f"{path}.{key}")
        return added
    if isinstance(before, list):
        assert isinstance(after, list), f"{path}: {after!r}"
        assert len(after) == len(before), f"{path}: {after!r}"
        items = schema.get("items", {})
        return sum(
            _check_nulls(b, a, items, f"{path}[{i}]")
            for i, (b, a) in enumerate(zip(before, after, strict=True))
        )
    assert after == before, f"{path}: {after!r} is not {before!r}"
    return 0


@pytest.mark.parametrize(
    ("operation", "answer"),
    [
        ("DescribeJobs", {"jobs": [{**JOB, "jobId": "a"}, {**JOB, "jobId": "b:0"}]}),
        ("DescribeJobs", {}),
        ("DescribeJobs", {"jobs": []}),
        (
            "DescribeJobDefinitions",
            {"jobDefinitions": [{"jobDefinitionName": "d", "containerProperties": {}}]},
        ),
        (
            "RegisterJobDefinition",
            {"jobDefinitionName": "d", "jobDefinitionArn": "a", "revision": 1},
        ),
        ("SubmitJob", {"jobId": "a"}),  # jobName is required: it stays missing
    ],
)
def test_nulls_only_for_optional_known_members(operation: str, answer: Json) -> None:
    """Every optional member the schema knows and the answer lacks comes as null; required
    members, list items and map values are never added."""
    _check_nulls(answer, answer_with_nulls(operation, answer), load_schema(f"{operation}.response"))


def test_nulls_reach_objects_inside_lists_but_never_pad_lists_or_maps() -> None:
    """Objects inside lists get their nulls; lists and maps keep exactly their entries."""
    job = answer_with_nulls("DescribeJobs", {"jobs": [{**JOB, "jobId": "a"}]})["jobs"][0]
    assert job["retryStrategy"] is None
    assert job["timeout"] is None
    assert job["container"]["environment"] == [{"name": "A", "value": None}]
    assert job["container"]["command"] == ["echo"]
    assert job["dependsOn"] == [{"jobId": "other", "type": None}]
    assert job["parameters"] == {"p": "v"}
    assert job["arrayProperties"] == {"statusSummary": {"PENDING": 2}, "index": None, "size": None}
    assert answer_with_nulls("DescribeJobs", {}) == {"jobs": None}


def test_nulls_through_the_proxy(proxies: list[AwsLikeProxy], upstream: FakeBatch) -> None:
    """Only 200 answers of the four operations get nulls; errors and other calls pass as sent."""
    proxy = _proxy(proxies, upstream, nulls=True)
    status, _, body = post(proxy.url, "/v1/describejobs", {"jobs": ["a"]})
    assert status == 200
    assert json.loads(body)["jobs"][0]["retryStrategy"] is None
    _, _, body = post(proxy.url, "/v1/registerjobdefinition", {})
    assert json.loads(body) == {
        "jobDefinitionName": "d",
        "jobDefinitionArn": "arn:d:1",
        "revision": 1,
    }
    assert post(proxy.url, "/v1/describejobdefinitions")[0] == 400
    assert post(proxy.url, "/v1/createjobqueue")[2] == b'{"done": true}'
    assert post(proxy.url, "/")[2] == b"<ok/>"
    assert proxy.nulled == 1


def test_faulty_proxy_sends_nulls_when_asked(upstream: FakeBatch) -> None:
    """The reference endpoint with `nulls` on sends moto's nulls, with the same null logic."""
    faulty = FaultyProxy(upstream.server.url, nulls=True)
    faulty.start()
    try:
        _, _, body = post(faulty.url, "/v1/describejobs", {"jobs": ["a"]})
        faulty.nulls = False
        _, _, plain = post(faulty.url, "/v1/describejobs", {"jobs": ["a"]})
    finally:
        faulty.stop()
    job = json.loads(body)["jobs"][0]
    assert job["retryStrategy"] is None
    assert job["timeout"] is None
    assert json.loads(body) == answer_with_nulls("DescribeJobs", json.loads(plain))
    assert "retryStrategy" not in json.loads(plain)["jobs"][0]


# ---- throttling ------------------------------------------------------------------------


def test_throttle_is_seeded() -> None:
    """About 10 % throttled; the count over N calls is the seed's, and the same seed repeats."""
    draws = random.Random(7)
    expected = sum(draws.random() < 0.1 for _ in range(1000))
    throttle = Throttle(0.1, 7)
    hits = [throttle.hit() for _ in range(1000)]
    assert sum(hits) == throttle.throttled == expected
    assert 70 <= expected <= 130
    again = Throttle(0.1, 7)
    assert [again.hit() for _ in range(1000)] == hits
    never = Throttle(0.0, 7)
    assert not any(never.hit() for _ in range(100))


BATCH_PATHS = ("/v1/describejobs", "/v1/submitjob", "/v1/createcomputeenvironment")


def test_throttled_calls_never_reach_upstream(
    proxies: list[AwsLikeProxy], upstream: FakeBatch
) -> None:
    """A seeded 10 % of Batch calls (any operation) answer 429 TooManyRequestsException and
    are not forwarded; concurrent callers do not change the count; other calls pass."""
    calls = 300
    draws = random.Random(7)
    expected = sum(draws.random() < 0.1 for _ in range(calls))
    proxy = _proxy(proxies, upstream, throttle_rate=0.1, seed=7)
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(lambda i: post(proxy.url, BATCH_PATHS[i % 3], {"jobs": []}), range(calls))
        )
    throttled = [a for a in answers if a[0] == 429]
    assert len(throttled) == proxy.throttle.throttled == expected
    assert len(upstream.calls) == proxy.forwarded == calls - expected
    for _, headers, body in throttled:
        assert headers["x-amzn-errortype"] == "TooManyRequestsException"
        assert json.loads(body) == {
            "__type": "TooManyRequestsException",
            "message": "Too Many Requests",
        }
    assert {a[0] for a in answers} == {200, 429}
    throttled_paths = {BATCH_PATHS[i % 3] for i, a in enumerate(answers) if a[0] == 429}
    assert len(throttled_paths) > 1, "only one operation was ever throttled"
    assert all(post(proxy.url, "/")[0] == 200 for _ in range(30)), "a non-Batch call throttled"


# ---- latency ---------------------------------------------------------------------------


def test_latency_added(proxies: list[AwsLikeProxy], upstream: FakeBatch) -> None:
    """Every call, Batch or not, waits `latency_s` more."""
    slow = _proxy(proxies, upstream, latency_s=0.2)
    for path in ("/v1/describejobs", "/"):
        started = time.monotonic()
        assert post(slow.url, path)[0] == 200
        assert time.monotonic() - started >= 0.2


# ---- hiding ----------------------------------------------------------------------------


def test_visibility_hides_jobs_then_children_for_their_times() -> None:
    """A submitted job shows after `job_s`, its children after `child_s`; others at once."""
    now = [100.0]
    seen = Visibility(0.5, 2.0, clock=lambda: now[0])
    seen.submitted({"jobName": "j", "jobId": "p"})
    jobs = {"jobs": [{"jobId": i} for i in ("p", "p:0", "p:1", "old", "old:0")]}

    def shown() -> list[str]:
        return [j["jobId"] for j in seen.describe_jobs(jobs)["jobs"]]

    assert shown() == ["old", "old:0"]
    now[0] += 0.5
    assert shown() == ["p", "old", "old:0"]
    now[0] += 1.5
    assert shown() == ["p", "p:0", "p:1", "old", "old:0"]
    assert seen.hidden == 5


def test_visibility_hides_made_resources_for_their_time() -> None:
    """A compute environment, queue or policy just made is left out of the answers that
    describe or list it for `resource_s`; older ones show at once."""
    now = [100.0]
    seen = Visibility(0.0, 0.0, resource_s=0.5, clock=lambda: now[0])
    seen.made("CreateComputeEnvironment", {"computeEnvironmentArn": "ce:new"})
    seen.made("CreateSchedulingPolicy", {"arn": "sp:new"})
    envs = {"computeEnvironments": [{"computeEnvironmentArn": a} for a in ("ce:new", "ce:old")]}
    policies = {"schedulingPolicies": [{"arn": "sp:new"}, {"arn": "sp:old"}]}

    def shown() -> tuple[list[str], list[str]]:
        found = seen.read("DescribeComputeEnvironments", envs)["computeEnvironments"]
        listed = seen.read("ListSchedulingPolicies", policies)["schedulingPolicies"]
        return [e["computeEnvironmentArn"] for e in found], [p["arn"] for p in listed]

    assert shown() == (["ce:old"], ["sp:old"])
    now[0] += 0.5
    assert shown() == (["ce:new", "ce:old"], ["sp:new", "sp:old"])
    assert seen.hidden == 2


def test_job_hidden_then_visible(proxies: list[AwsLikeProxy], upstream: FakeBatch) -> None:
    """Through the proxy: the job is real upstream at once, DescribeJobs shows it only later."""
    proxy = _proxy(proxies, upstream, hide_job_s=0.8, hide_child_s=1.6)
    _, _, body = post(proxy.url, "/v1/submitjob", {"jobName": "late"})
    job_id = json.loads(body)["jobId"]
    submitted = time.monotonic()
    assert "/v1/submitjob" in upstream.calls

    def shown() -> list[str]:
        _, _, answer = post(proxy.url, "/v1/describejobs", {"jobs": [job_id, f"{job_id}:0"]})
        return [j["jobId"] for j in json.loads(answer)["jobs"]]

    assert shown() == []
    time.sleep(max(0.0, submitted + 1.1 - time.monotonic()))
    assert shown() == [job_id]
    time.sleep(max(0.0, submitted + 1.9 - time.monotonic()))
    assert shown() == [job_id, f"{job_id}:0"]


def test_every_switch_off_by_default(proxies: list[AwsLikeProxy], upstream: FakeBatch) -> None:
    """With no switch on, the proxy answers exactly what the upstream answers."""
    proxy = _proxy(proxies, upstream)
    direct = post(upstream.server.url, "/v1/submitjob", {"jobName": "x"})
    through = post(proxy.url, "/v1/submitjob", {"jobName": "x"})
    assert through[:1] + through[2:] == direct[:1] + direct[2:]
    assert (
        post(proxy.url, "/v1/describejobs", {"jobs": ["id-x"]})[2]
        == post(upstream.server.url, "/v1/describejobs", {"jobs": ["id-x"]})[2]
    )
    assert proxy.throttle.throttled == proxy.visibility.hidden == proxy.nulled == 0


def test_iam_checks_refuse_what_aws_refuses() -> None:
    """A non-ARN jobRoleArn is a 400 ClientException, a role never created a 403 on
    iam:PassRole; a role created through the endpoint passes, as does no role at all."""
    checks = IamChecks()
    checks.note_iam_call(b"Action=CreateRole&RoleName=bc1-job-role&Version=2010-05-08")

    def register(role: str | None) -> dict[str, object]:
        container: dict[str, object] = {"image": "busybox", "vcpus": 1, "memory": 128}
        if role is not None:
            container["jobRoleArn"] = role
        return {"jobDefinitionName": "x", "type": "container", "containerProperties": container}

    refused = checks.judge(register("jy1"))
    assert refused is not None
    assert refused[0] == 400
    assert b"ClientException" in refused[2]
    unknown = checks.judge(register("arn:aws:iam::123456789012:role/bc-never-created"))
    assert unknown is not None
    assert unknown[0] == 403
    assert b"AccessDeniedException" in unknown[2]
    assert checks.judge(register("arn:aws:iam::123456789012:role/bc1-job-role")) is None
    assert checks.judge(register(None)) is None
    assert checks.refused == 2
