"""A proxy before a moto server that answers what a test scripts, and what the robustness
tests read of a run (tests/test_robustness.py, tests/test_real_endpoints.py).

`ScriptedProxy(upstream, script)` passes every request to moto (one at a time, through
`tests/proxy_core.Upstream`) unless `script(path, body, forward)` answers it otherwise;
`paths` lists what reached it, IAM's calls (query protocol) as `iam:<Action>`; `count` counts
the cases' requests, the run's own setup (its base definition, anchor jobs, job lifecycle
probe: `setup_call`) aside.

Against a bare moto server a run is gated by moto-server's committed baseline (`GATED`), so
that what moto is known to get wrong in the cases' answers does not fail it.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from conformance.targets.base import dummy_session
from tests.cli import CliRun
from tests.faulty.proxy import is_setup
from tests.proxy_core import Answer, HTTPServer, Upstream, error_answer, speaks_query

REGION = "us-east-1"
ECHO = "jobs::test_submit_answers_name_and_id"  # one SubmitJob; passes on moto
BASELINE = Path(__file__).parent.parent / "reports" / "baselines" / "moto-server.json"
GATED = ("--baseline", str(BASELINE))
PROGRESS = re.compile(r"batch-conformance: \d+/\d+ cases, ")
NOT_FOUND = Answer(404, {"Content-Type": "text/html"}, b"<html><h1>404 Not Found</h1></html>")
Forward = Callable[[], Answer]
Script = Callable[[str, bytes, Forward], Answer]


class ScriptedProxy(HTTPServer):
    """Passes every request to `upstream` unless `script` answers it otherwise."""

    def __init__(self, upstream: str, script: Script) -> None:
        self.upstream = Upstream(upstream)
        self._script = script
        self._lock = threading.Lock()
        self.paths: list[str] = []
        self._cases: list[str] = []  # the paths of the requests that are not the run's setup
        super().__init__(self._respond)

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        path = iam_action(handler, body) or handler.path.split("?", 1)[0]
        with self._lock:
            self.paths.append(path)
            if not setup_call(body):
                self._cases.append(path)
        return self._script(path, body, lambda: self.upstream.pass_on(handler, body))

    def count(self, path: str) -> int:
        """How many of the cases' requests to `path` (or `iam:<Action>`) reached the proxy."""
        return sum(1 for seen in self._cases if seen == path)


def setup_call(body: bytes) -> bool:
    """Is this request the run's own setup (base definition, anchor jobs, lifecycle probe)?"""
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return False
    return isinstance(request, dict) and is_setup(request)


def iam_action(handler: BaseHTTPRequestHandler, body: bytes) -> str | None:
    """`iam:CreateRole` for a call in IAM's query protocol, else None."""
    if not speaks_query(handler):
        return None
    fields = dict(part.split("=", 1) for part in body.decode().split("&") if "=" in part)
    return f"iam:{fields.get('Action', '?')}"


def server_exception(message: str, status: int = 500) -> Answer:
    """What AWS Batch answers when it breaks: HTTP 500 ServerException."""
    return error_answer(status, "ServerException", message)


def batch(url: str) -> Any:
    """A Batch client straight to the moto server."""
    return dummy_session(REGION).client("batch", endpoint_url=url)


def role(url: str, trusts: str) -> str:
    """A role made straight on the moto server (what the user names with --*-role-arn)."""
    iam = dummy_session(REGION).client("iam", endpoint_url=url)
    trust = {"Effect": "Allow", "Principal": {"Service": trusts}, "Action": "sts:AssumeRole"}
    made = iam.create_role(
        RoleName=f"given-{uuid.uuid4().hex[:8]}",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}),
    )
    return str(made["Role"]["Arn"])


def result(run: CliRun, case: str) -> dict[str, Any]:
    """The result of `case` in the run's report.json."""
    found = [r for r in run.report["results"] if r["id"] == case]
    assert found, [r["id"] for r in run.report["results"]]
    return dict(found[0])


def findings(run: CliRun) -> dict[str, dict[str, Any]]:
    """The run's findings, by id."""
    return {f["id"]: f for f in run.report["findings"]}


def folder(tmp_path: Path, name: str) -> Path:
    """A folder of its own for one run."""
    made = tmp_path / name
    made.mkdir()
    return made


def said(run: CliRun) -> list[str]:
    """What the run said on stderr besides its progress lines."""
    return [line for line in run.stderr.splitlines() if line.strip() and not PROGRESS.match(line)]


def verdicts(run: CliRun) -> dict[str, tuple[str, list[str]]]:
    """Each case's outcome and findings."""
    return {r["id"]: (r["outcome"], r["findings"]) for r in run.report["results"]}
