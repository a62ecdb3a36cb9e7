"""Tiny misbehaving HTTP endpoints on 127.0.0.1 (port 0), each served from a daemon thread.

- `html_server()`: HTTP 200 with an HTML page to every request.
- `garbage_server()`: bytes that are not HTTP at all, then the connection closes.
- `silent_server()`: accepts the connection, reads the request, never answers.
- `dropping_server()`: reads the request and closes the connection without a word.
- `not_implemented_server()`: HTTP 501 to every call, as LocalStack community answers Batch
  (`not_implemented_json_server()`: the same with a JSON body even where XML is spoken).
- `HostileProxy`: passes everything to a real endpoint (a moto server) but rewrites the
  message of every `ClientException` (default: a `<script>` tag), can refuse chosen
  requests with such a message, and can answer chosen requests like the servers above.

Every server is a context manager: `with html_server() as server: server.url`.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler

from tests.proxy_core import (
    LOOPBACK,
    Answer,
    HTTPServer,
    Served,
    Upstream,
    client_exception,
    speaks_query,
    xml_error,
)

SCRIPT = "<script>alert(1)</script>"
HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Welcome</title></head>"
    b"<body><h1>It works!</h1><p>This is not the API you are looking for.</p></body></html>\n"
)
GARBAGE = bytes(range(256)) + b"\x00\xff\xfe GARBAGE \x1b[31m\r\n\r\n" * 4
LOCALSTACK_501 = {
    "__type": "InternalFailure",
    "message": "API for service 'batch' not yet implemented or pro feature"
    " - please check https://docs.localstack.cloud/references/coverage/",
}


# ---------------------------------------------------------------------------------------
# Raw socket servers: garbage, silence, dropped connections.

ConnectionHandler = Callable[[socket.socket, threading.Event], None]


def _read_head(conn: socket.socket) -> bytes:
    """Read until the end of the request head (or the peer stops sending)."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class RawServer(Served):
    """Accepts TCP connections and hands each one to `handle` in its own thread."""

    def __init__(self, handle: ConnectionHandler) -> None:
        self._handle = handle
        self._listener = socket.create_server((LOOPBACK, 0))
        self._listener.settimeout(0.1)
        self.port = int(self._listener.getsockname()[1])
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.connections = 0

    def start(self) -> None:
        """Accept connections in a daemon thread."""
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self._handle(conn, self._stopping)

    def stop(self) -> None:
        """Stop accepting; handlers waiting for the stop return and close."""
        self._stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()


def _answer_garbage(conn: socket.socket, _stopping: threading.Event) -> None:
    _read_head(conn)
    conn.sendall(GARBAGE)


def _never_answer(conn: socket.socket, stopping: threading.Event) -> None:
    _read_head(conn)
    stopping.wait()


def _drop(conn: socket.socket, _stopping: threading.Event) -> None:
    _read_head(conn)
    conn.shutdown(socket.SHUT_RDWR)


def garbage_server() -> RawServer:
    """Answers every request with bytes that are not HTTP, then closes."""
    return RawServer(_answer_garbage)


def silent_server() -> RawServer:
    """Accepts, reads the request, and never answers (until stopped)."""
    return RawServer(_never_answer)


def dropping_server() -> RawServer:
    """Reads the request and closes the connection without answering."""
    return RawServer(_drop)


# ---------------------------------------------------------------------------------------
# HTTP servers: HTML, 501, and the hostile proxy.


def html_server() -> HTTPServer:
    """HTTP 200 with a web page, whatever the request."""
    return HTTPServer(lambda _h, _b: (200, {"Content-Type": "text/html"}, HTML_PAGE))


def _not_implemented(handler: BaseHTTPRequestHandler, _body: bytes) -> Answer:
    """501 in the caller's protocol: XML for query calls (IAM), JSON for the others (Batch)."""
    if speaks_query(handler):
        xml = xml_error("InternalFailure", LOCALSTACK_501["message"])
        return Answer(501, {"Content-Type": "text/xml"}, xml)
    body = json.dumps(LOCALSTACK_501).encode()
    headers = {"Content-Type": "application/json", "x-amzn-ErrorType": "InternalFailure"}
    return Answer(501, headers, body)


def not_implemented_server() -> HTTPServer:
    """HTTP 501 to every call, as LocalStack community answers the services it lacks."""
    return HTTPServer(_not_implemented)


def not_implemented_json_server() -> HTTPServer:
    """HTTP 501 with a JSON body to every call, even to IAM's XML protocol."""
    body = json.dumps(LOCALSTACK_501).encode()
    return HTTPServer(lambda _h, _b: (501, {"Content-Type": "application/json"}, body))


Message = Callable[[Mapping[str, str]], str]
RefusePredicate = Callable[[str, bytes], bool]
# "html", "garbage", "silent" or "drop" for a request to misbehave on, else None.
Sabotage = Callable[[str, bytes], "str | None"]
SABOTAGE_KINDS = ("html", "garbage", "silent", "drop")
# A sabotage beyond those: the request reaches the endpoint, its answer never comes back
# (a call in flight when the client gave up: the endpoint made what it was asked to).
LOST = "lost"
# And one more: the request waits, unanswered, until `HostileProxy.released` is set, then goes
# through (a slow call, held for as long as a test needs).
HELD = "held"


class HostileProxy(HTTPServer):
    """A proxy to `upstream` that puts `message(request_headers)` in every ClientException.

    `refuse(path, body)` picks requests the proxy itself refuses (HTTP 400 ClientException
    with that message) instead of forwarding them; `refused` counts them.
    `sabotage(path, body)` picks requests it answers with HTML, garbage, silence or a
    dropped connection (one of SABOTAGE_KINDS), or forwards them and loses the answer
    (`LOST`); `sabotaged` counts them. `holding` is set once a request gets silence or
    loses its answer: its connection is then held open, unanswered, until the proxy stops;
    and once a request is `HELD`, which goes through when `released` is set.
    `rewrite=False` leaves the endpoint's own errors as they are.
    """

    def __init__(
        self,
        upstream: str,
        message: Message | None = None,
        refuse: RefusePredicate | None = None,
        sabotage: Sabotage | None = None,
        rewrite: bool = True,
    ) -> None:
        self._upstream = Upstream(upstream)
        self._message = message or (lambda _headers: f"hostile {SCRIPT} endpoint")
        self._refuse = refuse
        self._sabotage = sabotage
        self._rewrite = rewrite
        self.holding = threading.Event()
        self.released = threading.Event()
        self.rewritten = 0
        self.refused = 0
        self.sabotaged = 0
        self._lock = threading.Lock()
        super().__init__(self._respond)

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> Answer | None:
        kind = self._sabotage(handler.path, body) if self._sabotage is not None else None
        if kind is not None:
            with self._lock:
                self.sabotaged += 1
            if kind == HELD:
                self.holding.set()
                self.released.wait(timeout=120)
                return self._upstream.pass_on(handler, body)
            if kind == LOST:
                self._upstream.pass_on(handler, body)
                return self._misbehave("silent", handler)
            return self._misbehave(kind, handler)
        text = self._message(dict(handler.headers.items()))
        if self._refuse is not None and self._refuse(handler.path, body):
            with self._lock:
                self.refused += 1
            if speaks_query(handler):  # IAM: an error in its XML protocol
                return Answer(400, {"Content-Type": "text/xml"}, xml_error("AccessDenied", text))
            return client_exception(text)
        answer = self._upstream.pass_on(handler, body)
        if self._rewrite and answer.status >= 400 and _is_client_exception(answer):
            with self._lock:
                self.rewritten += 1
            return client_exception(text, answer.status)
        return answer

    def _misbehave(self, kind: str, handler: BaseHTTPRequestHandler) -> Answer | None:
        if kind == "html":
            return Answer(200, {"Content-Type": "text/html"}, HTML_PAGE)
        if kind == "garbage":
            handler.wfile.write(GARBAGE)
            handler.wfile.flush()
        elif kind == "silent":
            self.holding.set()
            self.stopping.wait()
        elif kind == "drop":
            handler.connection.shutdown(socket.SHUT_RDWR)
        else:
            raise ValueError(f"unknown sabotage {kind!r}: one of {SABOTAGE_KINDS}")
        return None


def _is_client_exception(answer: Answer) -> bool:
    kind = {k.lower(): v for k, v in answer.headers.items()}.get("x-amzn-errortype", "")
    if kind.startswith("ClientException"):
        return True
    try:
        doc = json.loads(answer.body)
    except ValueError:
        return False
    return isinstance(doc, dict) and str(doc.get("__type", "")).endswith("ClientException")
