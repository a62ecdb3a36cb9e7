"""Send one Batch operation and record exactly what went out and what came back.

Requests reach the server with botocore's client-side validation off: server-side
validation is what the suite tests. The raw response body is kept (and parsed as JSON
here, not by botocore, so the schemas judge what the endpoint really sent).
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import botocore.client
import botocore.config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ParamValidationError,
    ReadTimeoutError,
)

from conformance.endpoint_errors import internal_error, raised_in_process
from conformance.results import Exchange

BODY_LIMIT = 4000
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_ENV = "BATCH_CONFORMANCE_READ_TIMEOUT"


def _seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from the environment, else `default`."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


READ_TIMEOUT_S = _seconds_from_env(READ_TIMEOUT_ENV, 30.0)
# Throttling is how AWS says "slow down", not a verdict: such answers are retried.
THROTTLING_CODES = frozenset(
    {"TooManyRequestsException", "ThrottlingException", "Throttling", "RequestLimitExceeded"}
)
DEFAULT_THROTTLE_RETRIES = 8
BACKOFF_BASE_S = 0.05
BACKOFF_CAP_S = 2.0
# What botocore raises on an answer it cannot read: no usable answer, not the suite's crash.
GARBLED = (BotoCoreError, ValueError, KeyError, TypeError)
# What botocore's standard retry mode calls transient (botocore/retries/standard.py,
# `_TRANSIENT_STATUS_CODES`), retried as it does: at most twice (3 attempts in all).
TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
TRANSIENT_RETRIES = 2


class EndpointUnusable(Exception):
    """The endpoint gave no usable answer (unreachable, timeout, garbage); str() is one line."""


class OperationNotImplemented(EndpointUnusable):
    """The endpoint says it does not implement `operation` at all; str() is one line."""

    def __init__(self, operation: str, detail: str) -> None:
        super().__init__(f"{operation} is not implemented by this endpoint ({detail})")
        self.operation = operation


# AWS Batch answers a missing resource with 400 ClientException, never 404 or 501: those,
# and these codes or messages, are an endpoint saying it does not serve the call, whatever
# the status and code it says it with (ministack answers a GET or DELETE it has no route for
# with 400 ClientException "Unsupported method GET", and an unknown path with 400
# InvalidAction "Unsupported batch path: /v1/...").
NOT_IMPLEMENTED_STATUSES = frozenset({404, 501})
NOT_IMPLEMENTED_CODES = frozenset(
    {
        "NotImplemented",
        "NotImplementedError",
        "NotImplementedException",
        "UnknownOperationException",
        "UnknownOperation",
        "InvalidAction",
    }
)
_NOT_IMPLEMENTED_TEXT = re.compile(
    r"not (?:yet )?implemented|unknown operation|unsupported operation|unknown action"
    r"|unsupported method\b|unsupported (?:batch )?path\b",
    re.I,
)


def not_implemented(exchange: Exchange) -> str | None:
    """Why `exchange` says its operation is not implemented (one line), or None."""
    status = exchange.http_status
    if status is None or status < 400:
        return None
    text = f"{exchange.error_message or ''} {exchange.body or ''}"
    if (
        status in NOT_IMPLEMENTED_STATUSES
        or exchange.error_code in NOT_IMPLEMENTED_CODES
        or _NOT_IMPLEMENTED_TEXT.search(text[:500])
    ):
        detail = exchange.error_code or _one_line(exchange.error_message or exchange.body or "", 80)
        return f"HTTP {status} {detail}".strip()
    return None


def client_config(validate: bool) -> botocore.config.Config:
    """Bounded timeouts, a single attempt (no retry hides a fault), validation as asked."""
    return botocore.config.Config(
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=READ_TIMEOUT_S,
        retries={"total_max_attempts": 1, "mode": "standard"},
        parameter_validation=validate,
    )


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class Answer:
    """What one call produced: the exchange for the record and the parsed JSON body."""

    exchange: Exchange
    body: dict[str, Any] | None


class Caller:
    """Calls operations on one botocore client and hands every exchange to `record`."""

    def __init__(
        self,
        client: botocore.client.BaseClient,
        record: Callable[[Exchange, dict[str, Any] | None], None],
        throttle_retries: int = DEFAULT_THROTTLE_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._record = record
        self._throttle_retries = throttle_retries
        self._sleep = sleep
        self._jitter = random.Random()
        self._raw = threading.local()
        # before-parse sees the raw answer even when parsing then fails; botocore releases
        # older than the event (1.20.x) still emit after-call with the HTTP response.
        client.meta.events.register("before-parse.batch.*", self._capture)
        client.meta.events.register("after-call.batch.*", self._capture_after_call)

    def _capture(self, response_dict: dict[str, Any], **_: Any) -> None:
        self._raw.status = response_dict.get("status_code")
        self._raw.headers = dict(response_dict.get("headers") or {})
        self._raw.body = response_dict.get("body") or b""

    def _capture_after_call(self, http_response: Any = None, **_: Any) -> None:
        if http_response is None or self._raw.status is not None:
            return
        self._raw.status = http_response.status_code
        self._raw.headers = dict(http_response.headers or {})
        self._raw.body = http_response.content or b""

    def call(self, operation: str, params: dict[str, Any]) -> Answer:
        """Send `operation` with `params`; never raises for an HTTP error answer.

        A throttling answer (HTTP 429, or a throttling error code) is retried with
        exponential backoff and full jitter, at most `throttle_retries` times. A transient
        server error (HTTP 500, 502, 503, 504) is retried as botocore's standard mode does,
        at most TRANSIENT_RETRIES times: the answers retried are kept on the exchange
        (`server_errors`), a finding when a retry cured them; one that persists is the
        verdict. A refusal (400) is a verdict and never retried. Raises EndpointUnusable
        when there is no usable answer at all, or the throttling budget is spent.
        """
        retries = 0
        server_errors: list[str] = []
        started = time.perf_counter()
        while True:
            exchange, body = self._send(operation, params)
            if throttled(exchange.http_status, exchange.error_code):
                if retries - len(server_errors) >= self._throttle_retries:
                    exchange.retries = retries - len(server_errors)
                    exchange.server_errors = server_errors
                    exchange.duration_s = time.perf_counter() - started
                    self._record(exchange, body)
                    raise EndpointUnusable(
                        f"{operation}: still throttled (HTTP {exchange.http_status}"
                        f" {exchange.error_code}) after {exchange.retries} retries with backoff"
                    )
            elif exchange.http_status in TRANSIENT_STATUSES and (
                len(server_errors) < TRANSIENT_RETRIES
            ):
                server_errors.append(server_error_text(exchange))
            else:
                break
            self._sleep(backoff_s(retries, self._jitter))
            retries += 1
        exchange.retries = retries - len(server_errors)  # throttled calls retried
        exchange.server_errors = server_errors
        exchange.duration_s = time.perf_counter() - started  # backoff included
        self._record(exchange, body)
        missing = not_implemented(exchange)
        if missing:
            raise OperationNotImplemented(operation, missing)
        if exchange.transport_error:
            raise EndpointUnusable(f"{operation}: {exchange.transport_error}")
        return Answer(exchange, body)

    def _send(self, operation: str, params: dict[str, Any]) -> tuple[Exchange, Any]:
        """One attempt: the exchange and the parsed body (None when unusable)."""
        sent = copy.deepcopy(params)
        method = getattr(self._client, botocore.xform_name(operation))
        self._raw.status, self._raw.headers, self._raw.body = None, {}, b""
        exchange = Exchange(operation=operation, request=sent)
        start = time.perf_counter()
        try:
            method(**params)
        except NotImplementedError as exc:  # an emulator running in this process (moto)
            exchange.duration_s = time.perf_counter() - start
            exchange.http_status = 501
            exchange.rejected_by = "server"
            exchange.error_code = "NotImplementedError"
            exchange.error_message = _one_line(str(exc))
            return exchange, None
        except ClientError:
            pass  # an HTTP error answer: graded below from the raw body
        except ParamValidationError as exc:
            exchange.rejected_by = "client"
            exchange.error_code = "ParamValidationError"
            exchange.error_message = _one_line(str(exc))
        except (EndpointConnectionError, ConnectTimeoutError) as exc:
            exchange.transport_error = f"cannot connect: {_one_line(str(exc))}"
        except ReadTimeoutError as exc:
            exchange.transport_error = f"no answer in time: {_one_line(str(exc))}"
        except ConnectionClosedError as exc:
            exchange.transport_error = f"connection dropped: {_one_line(str(exc))}"
        except Exception as exc:  # an emulator in this process (moto) raises its own here
            raised = raised_in_process(exc)
            if raised is None and not isinstance(exc, GARBLED):
                raise
            if self._raw.status is None:
                exchange.transport_error = raised or f"{type(exc).__name__}: {_one_line(str(exc))}"
        finally:
            exchange.duration_s = time.perf_counter() - start
        return exchange, self._read_answer(exchange)

    def _read_answer(self, exchange: Exchange) -> dict[str, Any] | None:
        """Fill status/code/message/body from the raw answer; flag garbage as transport error."""
        if exchange.transport_error or exchange.rejected_by == "client":
            return None
        status = self._raw.status
        raw: bytes = self._raw.body
        exchange.http_status = int(status) if status is not None else None
        text = raw.decode("utf-8", errors="replace")
        exchange.body = text[:BODY_LIMIT]
        if status is None:
            exchange.transport_error = "no HTTP answer"
            return None
        if int(status) in NOT_IMPLEMENTED_STATUSES:
            exchange.rejected_by = "server"
            exchange.error_message = _one_line(text, 200)
            try:
                parsed = json.loads(text)
            except ValueError:
                return None
            return parsed if isinstance(parsed, dict) else None
        try:
            body = json.loads(text) if text.strip() else {}
        except ValueError:
            kind = self._raw.headers.get("content-type", "unknown content type")
            exchange.transport_error = internal_error(exchange) or (
                f"HTTP {status} with a body that is not JSON ({kind}): {_one_line(text, 80)!r}"
            )
            return None
        if not isinstance(body, dict):
            exchange.transport_error = f"HTTP {status} with a JSON body that is not an object"
            return None
        if not exchange.accepted:
            exchange.rejected_by = "server"
            exchange.error_code = _error_code(body, self._raw.headers)
            message = body.get("message", body.get("Message", ""))
            exchange.error_message = str(message) if message is not None else ""
        return body


def retry_throttling(client: botocore.client.BaseClient, retries: int) -> None:
    """Make an SDK client retry throttling answers (only those), with backoff and jitter.

    For the clients that provision and clean up: whatever their retry mode, a 429 or a
    throttling code is retried up to `retries` times; other errors keep their fate.
    """
    jitter = random.Random()

    def needs_retry(response: Any = None, attempts: int = 1, **_: Any) -> float | None:
        if response is None or attempts > retries:
            return None
        http, parsed = response
        code = (parsed or {}).get("Error", {}).get("Code")
        if throttled(getattr(http, "status_code", None), code):
            return backoff_s(attempts, jitter)
        return None

    client.meta.events.register("needs-retry", needs_retry)


def server_error_text(exchange: Exchange) -> str:
    """`HTTP 500 ServerException: Failed to create shareIdentifier default` (one line)."""
    code = f" {exchange.error_code}" if exchange.error_code else ""
    message = _one_line(exchange.error_message or "", 160)
    return f"HTTP {exchange.http_status}{code}" + (f": {message}" if message else "")


def cured(exchange: Exchange) -> bool:
    """Did a retry get a proper answer after transient server errors (not another 5xx)?"""
    return bool(exchange.server_errors) and (
        exchange.http_status is not None and exchange.http_status not in TRANSIENT_STATUSES
    )


def throttled(status: int | None, code: str | None) -> bool:
    """Is this answer AWS asking the caller to slow down (never a 400 refusal or a 5xx)?"""
    return status == 429 or (status == 400 and code in THROTTLING_CODES)


def backoff_s(retry: int, jitter: random.Random) -> float:
    """How long to wait before retry `retry`: exponential, capped, full jitter."""
    return jitter.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**retry))


def _error_code(body: dict[str, Any], headers: dict[str, str]) -> str | None:
    """The error code as AWS JSON protocols carry it (header, `__type` or `code`)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    raw = lowered.get("x-amzn-errortype") or body.get("__type") or body.get("code")
    raw = raw or body.get("Code")
    if not raw:
        return None
    code = str(raw).split(":", 1)[0]
    return code.rsplit("#", 1)[-1]


def json_dump(value: Any) -> str:
    """Compact, stable JSON for messages."""
    return json.dumps(value, sort_keys=True, default=str)
