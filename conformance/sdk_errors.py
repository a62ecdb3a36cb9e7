"""What an SDK call raises when the endpoint refuses or misbehaves, said in one line."""

from __future__ import annotations

import re

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from conformance.redact import redact_text

# What a botocore call raises when the endpoint misbehaves: its parsers let
# ResponseParserError (not a BotoCoreError) and KeyError (HTML that parses as XML) escape.
SDK_ERRORS = (BotoCoreError, ClientError, ResponseParserError, KeyError, ValueError, TypeError)
_GONE = re.compile(r"does not exist|not found|no such|doesn't exist", re.IGNORECASE)


def describe_error(exc: BaseException) -> str:
    """One line for an SDK exception (redacted: endpoints may echo credentials)."""
    return redact_text(_describe_error(exc))


def _describe_error(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        text = f"{err.get('Code', '?')}: {err.get('Message', '')}".strip()
        if status == 501:
            return f"HTTP 501 Not Implemented: the endpoint does not serve this call ({text})"[:400]
        return f"HTTP {status} {text}"
    if isinstance(exc, BotoCoreError):
        return " ".join(str(exc).split())[:300]
    detail = " ".join(str(exc).split())[:200]
    return f"an answer that is not the AWS protocol ({type(exc).__name__}: {detail})"


def already_gone(exc: BaseException) -> bool:
    """Does this cleanup refusal say the resource is not there any more (nothing is left)?"""
    if not isinstance(exc, ClientError):
        return False
    err = exc.response.get("Error", {})
    code = str(err.get("Code", ""))
    return code in {"NoSuchEntity", "ResourceNotFoundException"} or bool(
        _GONE.search(str(err.get("Message", "")))
    )
