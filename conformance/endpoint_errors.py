"""An endpoint's own internal error, told apart from the suite's and put in words.

An emulator that crashes on a request answers HTTP 500 (moto's server: an HTML error
page), puts a Python traceback in its body, or, running in this process (embedded moto),
raises the exception inside botocore's call. Each is the endpoint's fault, not the suite's:
`raised_in_process` and `internal_error` say "the endpoint raised an internal error" and
show what it sent (the exception, or the gist of the body).
"""

from __future__ import annotations

import re
from types import TracebackType

from conformance.results import Exchange

INTERNAL_ERROR = "the endpoint raised an internal error"
IN_PROCESS_PACKAGES = ("moto",)  # emulators that run inside the suite's own process
GIST_LIMIT = 200
_TRACEBACK = "Traceback (most recent call last)"
_EXCEPTION_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b.*)$")
_TAG = re.compile(r"<[^>]*>")


def raised_in_process(exc: BaseException) -> str | None:
    """`the endpoint raised an internal error: TypeError: ... (moto, in-process)` when `exc`
    was raised inside an emulator running in this process, else None (the suite's own)."""
    package = _in_process_package(exc.__traceback__)
    if package is None:
        return None
    return f"{INTERNAL_ERROR}: {type(exc).__name__}: {_one_line(str(exc))} ({package}, in-process)"


def _in_process_package(tb: TracebackType | None) -> str | None:
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        top = module.split(".", 1)[0]
        if top in IN_PROCESS_PACKAGES:
            return top
        tb = tb.tb_next
    return None


def internal_error(exchange: Exchange) -> str | None:
    """What the endpoint sent when its answer is its own internal error, else None.

    An HTTP 5xx, or a Python traceback in an error answer's body or message: `the endpoint
    raised an internal error (HTTP 500): TypeError: ...`; an exception raised in-process
    is already told that way in `transport_error`.
    """
    told = exchange.transport_error or ""
    if told.startswith(INTERNAL_ERROR):
        return told
    status = exchange.http_status
    if status is None or status < 400:
        return None
    # the message first: in the body it is JSON-quoted
    raised = _raised_in_traceback(exchange.error_message or "")
    raised = raised or _raised_in_traceback(exchange.body or "")
    if raised is None and status < 500:
        return None
    return f"{INTERNAL_ERROR} (HTTP {status}): {raised or _gist(exchange)}"


def _raised_in_traceback(text: str) -> str | None:
    """The last `SomeError: message` line of a Python traceback in `text`, if any."""
    if _TRACEBACK not in text:
        return None
    lines = text.replace("\\n", "\n").splitlines()
    found = [m.group(1) for line in lines if (m := _EXCEPTION_LINE.match(line))]
    return _one_line(found[-1]) if found else "a Python traceback"


def _gist(exchange: Exchange) -> str:
    """The error code and message, else the body as text (an HTML page's tags dropped)."""
    if exchange.error_code or exchange.error_message:
        code = exchange.error_code or "no error code"
        return _one_line(f"{code}: {exchange.error_message or ''}".rstrip(": "))
    body = exchange.body or ""
    return _one_line(_TAG.sub(" ", body)) or "an empty body"


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= GIST_LIMIT else flat[: GIST_LIMIT - 1] + "…"
