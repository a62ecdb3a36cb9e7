"""The forwarding core the test endpoints share: an HTTP server on 127.0.0.1 (port 0) whose
every answer comes from one `respond(handler, body)` hook, and the way to an upstream.

- `HTTPServer(respond)`: reads each request whole, answers what `respond` returns (or lets
  the hook misbehave on the socket itself by returning None); a hook that raises is a
  500 `ProxyError`, shown to the client instead of a hung-up connection.
- `Upstream(url)`: forwards a request, one at a time per upstream address (moto's server is
  not thread-safe: a DescribeJobs iterating its jobs while a SubmitJob adds one answers
  HTTP 500), and counts what it forwarded.
- The reply helpers: `json_answer`, `error_answer`, `client_exception`, `xml_error`.

The faulty, hostile and AWS-like endpoints keep only their own behaviour in their hooks.
Every server is a context manager: `with HTTPServer(respond) as server: server.url`.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple, Self
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

LOOPBACK = "127.0.0.1"
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "te", "upgrade"}
)
SET_BY_US = frozenset({"server", "date"})  # http.server sends its own
UPSTREAM_TIMEOUT_S = 60


class Answer(NamedTuple):
    """An HTTP answer: status, headers, body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


# A plain (status, headers, body) tuple is an answer too: fakes in tests return those.
AnyAnswer = Answer | tuple[int, Mapping[str, str], bytes]
Responder = Callable[[BaseHTTPRequestHandler, bytes], "AnyAnswer | None"]


def json_answer(body: Any, status: int = 200) -> Answer:
    """A JSON body."""
    return Answer(status, {"Content-Type": "application/json"}, json.dumps(body).encode())


def error_answer(status: int, code: str, message: str) -> Answer:
    """An AWS REST-JSON error, shaped like moto's own (`x-amzn-errortype` and `__type`)."""
    body = json.dumps({"__type": code, "message": message}).encode()
    return Answer(status, {"Content-Type": "application/json", "x-amzn-errortype": code}, body)


def client_exception(message: str, status: int = 400) -> Answer:
    """The seed's refusal: `ClientException` with a message (HTTP 400 unless said)."""
    return error_answer(status, "ClientException", message)


def xml_error(code: str, message: str) -> bytes:
    """An error in the query protocol (IAM), which wants XML."""
    return (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(code)}</Code>"
        f"<Message>{escape(message)}</Message></Error><RequestId>0</RequestId></ErrorResponse>"
    ).encode()


def speaks_query(handler: BaseHTTPRequestHandler) -> bool:
    """Does the request use the query protocol (IAM), which wants XML answers?"""
    return "x-www-form-urlencoded" in (handler.headers.get("Content-Type") or "")


def forwarded_headers(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    """The request's headers, less those of this one connection."""
    return {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}


# ---------------------------------------------------------------------------------------
# The upstream: one request at a time per address


_UPSTREAM_LOCKS: dict[tuple[str, int], threading.Lock] = {}
_UPSTREAM_LOCKS_LOCK = threading.Lock()


class Upstream:
    """Where a proxy forwards to; every proxy in front of one address takes turns."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.address = (parts.hostname or LOOPBACK, parts.port or 80)
        with _UPSTREAM_LOCKS_LOCK:
            self._turn = _UPSTREAM_LOCKS.setdefault(self.address, threading.Lock())
        self._count_lock = threading.Lock()
        self.forwarded = 0  # requests it answered

    def forward(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes | None
    ) -> Answer:
        """Send one request and return the upstream's answer (its hop-by-hop headers left out)."""
        conn = http.client.HTTPConnection(*self.address, timeout=UPSTREAM_TIMEOUT_S)
        try:
            with self._turn:
                conn.request(method, path, body=body or None, headers=dict(headers))
                answer = conn.getresponse()
                payload = answer.read()
        finally:
            conn.close()
        with self._count_lock:
            self.forwarded += 1
        kept = {k: v for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP | SET_BY_US}
        return Answer(answer.status, kept, payload)

    def pass_on(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer:
        """Forward the request `handler` read, as it came."""
        return self.forward(handler.command, handler.path, forwarded_headers(handler), body)


# ---------------------------------------------------------------------------------------
# The server


class _Handler(BaseHTTPRequestHandler):
    """Reads the whole request, then lets the server's `respond` decide the answer."""

    server: _Server

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            answer = self.server.respond(self, body)
        except Exception as exc:  # a bug of the proxy: show it to the client, do not hang up
            answer = error_answer(500, "ProxyError", f"{type(exc).__name__}: {exc}")
        if answer is None:  # the responder misbehaved on the socket itself
            self.close_connection = True
            return
        status, headers, payload = answer
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in HOP_BY_HOP | SET_BY_US:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _KeepAliveHandler(_Handler):
    """The same, over HTTP/1.1: one connection serves many requests."""

    protocol_version = "HTTP/1.1"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, respond: Responder, keep_alive: bool) -> None:
        super().__init__((LOOPBACK, 0), _KeepAliveHandler if keep_alive else _Handler)
        self.respond = respond
        self.stopping = threading.Event()


class Served:
    """Start on `__enter__`, stop on `__exit__`; `url` is http://127.0.0.1:PORT."""

    port: int

    @property
    def url(self) -> str:
        """Where clients connect."""
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        """Serve in a daemon thread."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop serving and close every connection."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class HTTPServer(Served):
    """An HTTP server whose every answer comes from `respond(handler, body)`.

    `keep_alive` speaks HTTP/1.1 (a client's connection serves many requests), else
    HTTP/1.0 (one request a connection).
    """

    def __init__(self, respond: Responder, keep_alive: bool = False) -> None:
        self._server = _Server(respond, keep_alive)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def stopping(self) -> threading.Event:
        """Set once `stop()` is called: a hook holding a connection open lets go then."""
        return self._server.stopping

    def start(self) -> None:
        """Serve in a daemon thread."""
        self._thread.start()

    def stop(self) -> None:
        """Shut down and close the socket (twice is fine)."""
        if self._server.stopping.is_set():
            return
        self._server.stopping.set()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
