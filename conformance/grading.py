"""Named checks: each answers one question about one exchange and can fail.

A failed check raises `CaseFailure` (an AssertionError, so pytest counts it as a
failure) carrying the graded checks and the schema path that did not validate.
"""

from __future__ import annotations

from collections.abc import Iterable

from conformance.calls import Answer
from conformance.endpoint_errors import internal_error
from conformance.results import Check, Strength

EXPECTED_ERROR_CODE = "ClientException"


class CaseFailure(AssertionError):
    """The endpoint did not behave as documented; str() is the one-line reason."""

    def __init__(
        self,
        message: str,
        checks: Iterable[Check] = (),
        schema_path: str | None = None,
        rule: str | None = None,
        strength: Strength | None = None,
    ) -> None:
        super().__init__(message)
        self.checks = list(checks)
        self.schema_path = schema_path
        self.rule = rule  # the rule the failure is judged by (None: the case's own)
        self.strength = strength  # that rule's strength (None: the case's own)


def json_path(path: Iterable[str | int]) -> str:
    """`$.jobs[0].status` from a jsonschema error path."""
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def positive_data_acceptance(answer: Answer, why: str) -> list[Check]:
    """Was a request AWS documents as valid accepted (2xx)? (Its answer is checked apart.)"""
    ex = answer.exchange
    if ex.rejected_by == "client":
        raise CaseFailure(f"botocore refused to send the request: {ex.error_message}")
    if not ex.accepted:
        check = Check(
            "accepted",
            False,
            f"HTTP {ex.http_status} {ex.error_code}: {(ex.error_message or '')[:200]}",
        )
        said = f"HTTP {ex.http_status} {ex.error_code} {(ex.error_message or '')[:160]}".rstrip()
        raised = internal_error(ex)  # the same words, when it is the endpoint's own crash
        raise CaseFailure(f"rejected a valid request ({why}): {raised or said}", [check])
    return [Check("accepted", True, f"HTTP {ex.http_status}")]


def negative_data_rejection(answer: Answer, why: str) -> list[Check]:
    """Was a request AWS documents as invalid refused: HTTP 400, ClientException, a message?

    The three points are graded separately; exact message text is never required.
    """
    ex = answer.exchange
    if ex.rejected_by == "client":
        raise CaseFailure(
            f"botocore refused the request client-side, the server was never asked: "
            f"{ex.error_message}"
        )
    status_ok = ex.http_status == 400
    code_ok = ex.error_code == EXPECTED_ERROR_CODE
    message_ok = bool((ex.error_message or "").strip())
    checks = [
        Check("http-status-400", status_ok, f"got HTTP {ex.http_status}"),
        Check("error-code-ClientException", code_ok, f"got {ex.error_code!r}"),
        Check("error-message-present", message_ok, repr((ex.error_message or "")[:120])),
    ]
    if ex.accepted:
        raise CaseFailure(
            f"accepted (HTTP {ex.http_status}) a request AWS documents as invalid: {why}", checks
        )
    if not all(c.passed for c in checks):
        broken = ", ".join(f"{c.name} ({c.detail})" for c in checks if not c.passed)
        kind = "broke instead of refusing" if (ex.http_status or 0) >= 500 else "refused badly"
        raised = internal_error(ex)
        raise CaseFailure(f"{kind}: {raised}; {broken}" if raised else f"{kind}: {broken}", checks)
    return checks
