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
  (400), one naming a role never created through this endpoint too (403, iam:PassRole);
- `execution`: jobs run as their command says (`tests/awslike/execution.py`): timelines,
  timeouts, retries, dependencies, termination, shown in DescribeJobs and ListJobs.
- `settle_s`: a compute environment, job queue or service environment made, updated or
  deleted is CREATING, UPDATING or DELETING for that long (a deleted one is then gone), and
  an update or a delete of it meanwhile is refused (`settling.py`).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler

from conformance.scopes import CURRENT, SEED, Scope
from tests.awslike.execution import Execution
from tests.awslike.iam import IamChecks
from tests.awslike.nulls import answer_with_nulls
from tests.awslike.settling import Settling
from tests.awslike.throttle import THROTTLED, Throttle
from tests.awslike.visibility import MADE, READS, Visibility
from tests.proxy_core import Answer, HTTPServer, Upstream, json_answer

BATCH_PREFIX = "/v1/"
MOTO_API = "/moto-api"  # moto's own page: not passed on (calls are serialized: no bare moto)
NO_MOTO_API = json_answer({"message": "no /moto-api here"}, 404)


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
        execution: Execution | None = None,
        settle_s: float = 0.0,
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
        self.execution = execution
        self.settling = Settling(settle_s)
        self._lock = threading.Lock()
        self.nulled = 0  # answers given at least one null
        super().__init__(self._respond)

    @classmethod
    def like_aws(
        cls,
        upstream: str,
        seed: int = 7,
        scope: Scope = SEED,
        execution: Execution | None = None,
    ) -> AwsLikeProxy:
        """Every condition on: nulls, 10 % throttled, 100 ms latency, hiding 0.5 s (jobs and
        made resources) / 2 s (array children), IAM; and jobs that run, given `execution`."""
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
            execution=execution,
        )

    @property
    def forwarded(self) -> int:
        """Calls passed to the upstream."""
        return self.upstream.forwarded

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        if self._latency_s > 0:
            time.sleep(self._latency_s)
        route = handler.path.split("?", 1)[0].rstrip("/").lower()
        if route.startswith(MOTO_API):  # workers are safe here, as on any endpoint not moto
            return NO_MOTO_API
        if route.startswith(BATCH_PREFIX) and self.throttle.hit():
            return THROTTLED
        operation = self._routes.get(route)
        if self.iam is not None:
            if not route.startswith(BATCH_PREFIX):
                self.iam.note_iam_call(body)
            elif operation == "RegisterJobDefinition" and (refusal := self._iam_refusal(body)):
                return refusal
        sent = body
        request = _json_object(body) if self.settling.on else {}
        if operation is not None and (refusal := self.settling.refusal(operation, request)):
            return refusal
        if self.execution is not None and operation is not None:
            body = self.execution.request(operation, body)
        answer = self.upstream.pass_on(handler, body)
        if operation is not None and handler.command == "POST" and answer.status == 200:
            return answer._replace(body=self._reshape(operation, answer.body, sent, request))
        return answer

    def _iam_refusal(self, body: bytes) -> Answer | None:
        assert self.iam is not None
        return self.iam.judge(_json_object(body))

    def _reshape(
        self, operation: str, payload: bytes, sent: bytes, request: dict[str, object]
    ) -> bytes:
        """The upstream's answer, with jobs run, hidden, resources settling and nulls added
        as switched on."""
        try:
            answer = json.loads(payload)
        except ValueError:
            return payload
        if not isinstance(answer, dict):
            return payload
        shaped = answer
        if self.execution is not None:
            shaped = answer = self.execution.answered(operation, sent, answer)
        if operation == "SubmitJob":
            self.visibility.submitted(answer)
        elif operation == "DescribeJobs":
            shaped = self.visibility.describe_jobs(shaped)
        elif operation in MADE:
            self.visibility.made(operation, answer)
        elif operation in READS:
            shaped = self.visibility.read(operation, shaped)
        if self.settling.on:
            self.settling.changed(operation, request, answer)
            shaped = self.settling.read(operation, request, shaped)
        if self._nulls and operation in self._nulled_operations:
            filled = answer_with_nulls(operation, shaped, self._scope)
            if filled != shaped:
                with self._lock:
                    self.nulled += 1
            shaped = filled
        changed = shaped != answer or self.execution is not None
        return json.dumps(shaped).encode() if changed else payload


def _json_object(body: bytes) -> dict[str, object]:
    """A request body as a JSON object ({} when it is not one)."""
    try:
        parsed = json.loads(body or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
