"""An endpoint's own internal error is told as such: the endpoint raised it, and what it sent.

The outcome stays what it was (an `error`: no usable answer; or a 5xx failure); only the
words change, in the case's message and in every exchange the reports print.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.calls import Answer, Caller, EndpointUnusable, client_config
from conformance.endpoint_errors import INTERNAL_ERROR, internal_error
from conformance.grading import CaseFailure, negative_data_rejection, positive_data_acceptance
from conformance.reports import evidence as ev
from conformance.reports import html
from conformance.results import CaseResult, Exchange, RunResult, TargetInfo
from conformance.targets.base import dummy_session
from conformance.targets.moto_embedded import MotoEmbedded
from tests.proxy_core import HTTPServer

MOTO_TYPE_ERROR = (
    f"{INTERNAL_ERROR}: TypeError: argument of type 'NoneType' is not iterable (moto, in-process)"
)
FLASK_500 = (
    b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
    b"<h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>\n"
)


def _caller(client: Any) -> tuple[Caller, list[Exchange]]:
    seen: list[Exchange] = []
    return Caller(client, lambda exchange, _body: seen.append(exchange)), seen


@pytest.fixture
def embedded_moto() -> Iterator[Any]:
    """A Batch client on moto in this process (as `--target moto` runs it)."""
    target = MotoEmbedded("us-east-1")
    target.start()
    yield target.session().client("batch", config=client_config(False))
    target.stop()


def test_exception_raised_inside_embedded_moto_is_the_endpoints(embedded_moto: Any) -> None:
    """moto raising TypeError inside botocore's call: the endpoint raised it, in-process."""
    caller, seen = _caller(embedded_moto)
    with pytest.raises(EndpointUnusable) as raised:  # still no usable answer: an error
        caller.call("SubmitJob", {"jobName": "j", "jobQueue": "q"})
    assert str(raised.value) == f"SubmitJob: {MOTO_TYPE_ERROR}"
    (exchange,) = seen
    assert exchange.http_status is None
    assert internal_error(exchange) == MOTO_TYPE_ERROR
    lines = ev.exchange_lines(1, exchange)
    assert "   status: none (the endpoint raised in-process: no HTTP)" in lines
    assert f"   {MOTO_TYPE_ERROR}" in lines
    assert not any("transport error" in line for line in lines)


def test_the_suites_own_errors_are_not_the_endpoints(embedded_moto: Any) -> None:
    """An exception of the suite's own code (here a handler of ours) is never blamed on the
    endpoint: a TypeError stays a plain unusable answer, anything else is raised."""

    def ours(**_: Any) -> None:
        raise TypeError("the suite's own bug")

    embedded_moto.meta.events.register_first("before-call.batch.ListJobs", ours)
    caller, seen = _caller(embedded_moto)
    with pytest.raises(EndpointUnusable, match="ListJobs: TypeError: the suite's own bug"):
        caller.call("ListJobs", {"jobQueue": "q"})
    assert internal_error(seen[0]) is None

    def crash(**_: Any) -> None:
        raise RuntimeError("boom")

    embedded_moto.meta.events.register_first("before-call.batch.DescribeJobs", crash)
    with pytest.raises(RuntimeError, match="boom"):
        caller.call("DescribeJobs", {"jobs": ["x"]})


def _served(status: int, content_type: str, payload: bytes) -> HTTPServer:
    return HTTPServer(lambda _h, _b: (status, {"Content-Type": content_type}, payload))


def _client(url: str) -> Any:
    session = dummy_session("us-east-1")
    return session.client("batch", endpoint_url=url, config=client_config(False))


def test_http_500_page_is_the_endpoints_internal_error() -> None:
    """An HTTP 500 with an HTML page (moto's server): the endpoint raised an internal error,
    and the page's text is shown; it stays an error (no usable answer)."""
    with _served(500, "text/html", FLASK_500) as server:
        caller, seen = _caller(_client(server.url))
        with pytest.raises(EndpointUnusable) as raised:
            caller.call("DescribeJobs", {"jobs": ["x"]})
    said = (
        f"{INTERNAL_ERROR} (HTTP 500): 500 Internal Server Error Internal Server Error The"
        " server encountered an internal error."
    )
    assert str(raised.value) == f"DescribeJobs: {said}"
    assert seen[0].http_status == 500
    assert seen[0].transport_error == said
    page = html.render(_run([seen[0]]), Path("report.json"))
    assert f"<tr><th>Internal error</th><td>{said}</td></tr>" in page
    assert "Transport error" not in page


def test_traceback_in_a_refusal_is_the_endpoints_internal_error() -> None:
    """A 400 whose message is a Python traceback: the endpoint's crash, its last line shown."""
    body = {
        "__type": "ClientException",
        "message": 'Traceback (most recent call last):\n  File "x.py", line 1\n'
        "KeyError: 'jobDefinition'",
    }
    with _served(400, "application/json", json.dumps(body).encode()) as server:
        caller, _ = _caller(_client(server.url))
        answer = caller.call("SubmitJob", {"jobName": "j", "jobQueue": "q", "jobDefinition": "d"})
    said = f"{INTERNAL_ERROR} (HTTP 400): KeyError: 'jobDefinition'"
    assert internal_error(answer.exchange) == said
    with pytest.raises(CaseFailure) as failed:  # a valid request refused: a failure, as ever
        positive_data_acceptance(answer, "a valid job")
    assert str(failed.value) == f"rejected a valid request (a valid job): {said}"


def test_http_500_json_stays_a_failure_in_words_of_the_endpoint() -> None:
    """A JSON 500 where a refusal was due: the same failing checks, words naming the crash."""
    exchange = Exchange(
        "SubmitJob",
        {},
        http_status=500,
        error_code="InternalFailure",
        error_message="boom",
        rejected_by="server",
        body='{"__type": "InternalFailure", "message": "boom"}',
    )
    with pytest.raises(CaseFailure) as failed:
        negative_data_rejection(Answer(exchange, {}), "a broken limit")
    assert [c.name for c in failed.value.checks if not c.passed] == [
        "http-status-400",
        "error-code-ClientException",
    ]
    assert str(failed.value).startswith(
        f"broke instead of refusing: {INTERNAL_ERROR} (HTTP 500): InternalFailure: boom;"
        " http-status-400 (got HTTP 500)"
    )


def _run(exchanges: list[Exchange]) -> RunResult:
    case = CaseResult("c", "error", message="x", exchanges=exchanges)
    return RunResult(TargetInfo("moto", None, "us-east-1"), {}, "2026", 1.0, [case])


def test_moto_server_crash_is_the_endpoints_internal_error(moto_url: str) -> None:
    """A real moto server raising on a request answers HTTP 500: told as its own error."""
    caller, _ = _caller(_client(moto_url))
    with pytest.raises(EndpointUnusable) as raised:
        caller.call("SubmitJob", {"jobName": "j", "jobQueue": "q"})
    assert str(raised.value).startswith(
        f"SubmitJob: {INTERNAL_ERROR} (HTTP 500): 500 Internal Server Error"
    )
