"""`AwsLikeProxy`: a conformant endpoint that behaves as real AWS does where SDKs shrug.

An HTTP proxy on 127.0.0.1 in front of an upstream endpoint (normally the reference
`FaultyProxy`, itself in front of a moto server). Each condition has its own switch, all
off by default; `AwsLikeProxy.like_aws(upstream)` switches every one on:

- `nulls`: a JSON null for every optional member an answer lacks (of the four operations,
  or with `scope=CURRENT` of every operation of today's model);
- `throttle_rate`, `seed`: that share of Batch calls (`/v1/...`) answered HTTP 429
  TooManyRequestsException without reaching the upstream;
- `latency_s`: added to every call;
- `hide_job_s`, `hide_child_s`: a just-submitted job (its array children) missing from
  DescribeJobs answers for that long; `hide_resource_s`: a just-made compute environment,
  job queue or scheduling policy missing from the answers that describe or list it;
- `iam_checks`: a RegisterJobDefinition whose `jobRoleArn` is not a role ARN is refused
  (400), one naming a role never created through this endpoint too (403, iam:PassRole).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler

from conformance.scopes import CURRENT, SEED, Scope
from tests.awslike.iam import IamChecks
from tests.awslike.nulls import answer_with_nulls
from tests.awslike.throttle import THROTTLED, Throttle
from tests.awslike.visibility import MADE, READS, Visibility
from tests.proxy_core import Answer, HTTPServer, Upstream

BATCH_PREFIX = "/v1/"


def routes(scope: Scope) -> dict[str, str]:
    """`/v1/submitjob` -> `SubmitJob`, for every operation of `scope`."""
    return {f"{BATCH_PREFIX}{name.lower()}": name for name in scope.operations}


class AwsLikeProxy(HTTPServer):
    """`start()`, `url`, `stop()`; counters `forwarded` (calls passed to the upstream),
    `nulled`, and those of `throttle` (`throttled`) and `visibility` (`hidden`,
    `hidden_made`)."""

    def __init__(
        self,
        upstream: str,
        *,
        nulls: bool = False,
        throttle_rate: float = 0.0,
        seed: int = 0,
        latency_s: float = 0.0,
        hide_job_s: float = 0.0,
        hide_child_s: float = 0.0,
        hide_resource_s: float = 0.0,
        iam_checks: bool = False,
        scope: Scope = SEED,
    ) -> None:
        self.upstream = Upstream(upstream)  # one request at a time reaches it
        self._nulls = nulls
        self._scope: Scope = scope
        self._routes = routes(CURRENT)  # every operation, for what they make and read
        self._nulled_operations = frozenset(scope.operations)
        self._latency_s = latency_s
        self.throttle = Throttle(throttle_rate, seed)
        self.visibility = Visibility(hide_job_s, hide_child_s, hide_resource_s)
        self.iam = IamChecks() if iam_checks else None
        self._lock = threading.Lock()
        self.nulled = 0  # answers given at least one null
        super().__init__(self._respond)

    @classmethod
    def like_aws(cls, upstream: str, seed: int = 7, scope: Scope = SEED) -> AwsLikeProxy:
        """Every condition on: nulls, 10 % throttled, 100 ms latency, hiding 0.5 s (jobs and
        made resources) / 2 s (array children), IAM."""
        return cls(
            upstream,
            nulls=True,
            throttle_rate=0.1,
            seed=seed,
            latency_s=0.1,
            hide_job_s=0.5,
            hide_child_s=2.0,
            hide_resource_s=0.5,
            iam_checks=True,
            scope=scope,
        )

    @property
    def forwarded(self) -> int:
        """Calls passed to the upstream."""
        return self.upstream.forwarded

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        if self._latency_s > 0:
            time.sleep(self._latency_s)
        route = handler.path.split("?", 1)[0].rstrip("/").lower()
        if route.startswith(BATCH_PREFIX) and self.throttle.hit():
            return THROTTLED
        operation = self._routes.get(route)
        if self.iam is not None:
            if not route.startswith(BATCH_PREFIX):
                self.iam.note_iam_call(body)
            elif operation == "RegisterJobDefinition" and (refusal := self._iam_refusal(body)):
                return refusal
        answer = self.upstream.pass_on(handler, body)
        if operation is not None and handler.command == "POST" and answer.status == 200:
            return answer._replace(body=self._reshape(operation, answer.body))
        return answer

    def _iam_refusal(self, body: bytes) -> Answer | None:
        assert self.iam is not None
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return None
        return self.iam.judge(request) if isinstance(request, dict) else None

    def _reshape(self, operation: str, payload: bytes) -> bytes:
        """The upstream's answer, with jobs hidden and nulls added as switched on."""
        try:
            answer = json.loads(payload)
        except ValueError:
            return payload
        if not isinstance(answer, dict):
            return payload
        shaped = answer
        if operation == "SubmitJob":
            self.visibility.submitted(answer)
        elif operation == "DescribeJobs":
            shaped = self.visibility.describe_jobs(shaped)
        elif operation in MADE:
            self.visibility.made(operation, answer)
        elif operation in READS:
            shaped = self.visibility.read(operation, shaped)
        if self._nulls and operation in self._nulled_operations:
            filled = answer_with_nulls(operation, shaped, self._scope)
            if filled != shaped:
                with self._lock:
                    self.nulled += 1
            shaped = filled
        return payload if shaped == answer else json.dumps(shaped).encode()
