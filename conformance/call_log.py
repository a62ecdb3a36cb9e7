"""Every call a run sends, appended to a file: what the benchmark replays bare.

`BATCH_CONFORMANCE_CALL_LOG=FILE` makes each of the run's SDK clients (the cases',
provisioning's, the cleanup's; in every worker) append one JSON line per call it sends:
`{"service", "operation", "params"}` as given to the SDK, then, once answered,
`{"answer_of": n, "answer": ...}` (the parsed answer, so that `scripts/bare_calls.py` can
follow the identifiers the endpoint chose). Off unless set; it records nothing secret (the
requests are the suite's own, the answers the endpoint's).
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from typing import Any

CALL_LOG_ENV = "BATCH_CONFORMANCE_CALL_LOG"
_KEY = "batch_conformance_call"
_numbers = itertools.count()
_lock = threading.Lock()


def attach(client: Any, path: str | None = None) -> None:
    """Log every call `client` sends into `path` (default: the environment's file; none:
    nothing is logged)."""
    path = path or os.environ.get(CALL_LOG_ENV)
    if not path:
        return
    service = client.meta.service_model.service_name
    tag = f"{os.getpid()}."

    def sent(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        number = f"{tag}{next(_numbers)}"
        context[_KEY] = number
        _append(path, {"n": number, "service": service, "operation": model.name, "params": params})

    def answered(parsed: Any = None, context: Any = None, **_: Any) -> None:
        number = (context or {}).get(_KEY)
        if number is not None and isinstance(parsed, dict):
            answer = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
            _append(path, {"answer_of": number, "answer": answer})

    client.meta.events.register("provide-client-params", sent)
    client.meta.events.register("after-call", answered)


def _append(path: str, entry: dict[str, Any]) -> None:
    """One line, in one write (workers append to the same file)."""
    line = (json.dumps(entry, default=str) + "\n").encode()
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
