"""Remove credentials from text before it reaches a report.

`redact_text` replaces secret environment values and the shapes AWS credentials take
(Authorization headers, security tokens, signatures, access key ids) with `***`;
`redact_obj` does the same through nested dicts and lists.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

MASK = "***"
MIN_SECRET_LEN = 6
_AWS_NAMES = frozenset(
    {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECURITY_TOKEN"}
)
_NAME_PARTS = ("SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL")
# Emulators' well-known dummy credentials are not secrets; masking them would mangle every
# report word that contains them ("testing").
PUBLIC_DUMMIES = frozenset({"testing", "foobar", "dummy-secret", "dummy-access-key"})
# A header-like value runs to its closing quote, or else to the end of the line or a quote.
_VALUE = r"""(?:"[^"\r\n]*"|'[^'\r\n]*'|[^\r\n"'\\]*)"""
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"""(?i)(\bauthorization["']?\s*[:=]\s*)""" + _VALUE), rf"\1{MASK}"),
    (
        re.compile(r"""(?i)(x-amz-security-token["']?\s*[:=]\s*["']?)[^\s"'&,;]+"""),
        rf"\1{MASK}",
    ),
    (re.compile(r"AWS4-HMAC-SHA256\s+Credential=[^\r\n\"'\\]*"), MASK),
    (re.compile(r"(?i)(\bx-amz-signature=)[^\s\"'&,;]+"), rf"\1{MASK}"),
    (re.compile(r"(?i)(\bsignature=)[0-9a-f]+"), rf"\1{MASK}"),
    (re.compile(r"(?i)(\bcredential=)[A-Za-z0-9]+/[^\s\"'&,;]*"), rf"\1{MASK}"),
    (re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), MASK),
)


# Every pattern above needs one of these (case aside): a text without any is left as it is,
# unread by the patterns (most of a report's strings).
_ANY_PATTERN = re.compile(
    r"(?i)authorization|x-amz-security-token|aws4-hmac-sha256|signature=|credential=|akia|asia"
)


def secret_values(env: Mapping[str, str] | None = None) -> list[str]:
    """Values of secret-named variables in `env` (default os.environ), longest first."""
    source = os.environ if env is None else env
    found = {
        value
        for name, value in source.items()
        if len(value) >= MIN_SECRET_LEN and _is_secret_name(name) and value not in PUBLIC_DUMMIES
    }
    return sorted(found, key=lambda v: (-len(v), v))


def redact_text(text: str, env: Mapping[str, str] | None = None) -> str:
    """`text` with every secret value and credential pattern replaced by `***`."""
    return _redact(text, secret_values(env))


def redact_obj(obj: Any, env: Mapping[str, str] | None = None) -> Any:
    """A copy of `obj` with every string (keys too) redacted, through dicts, lists, tuples."""
    return _walk(obj, secret_values(env))


def _is_secret_name(name: str) -> bool:
    upper = name.upper()
    return (
        upper in _AWS_NAMES or upper.endswith("_KEY") or any(part in upper for part in _NAME_PARTS)
    )


def _redact(text: str, secrets: list[str]) -> str:
    for value in secrets:
        text = text.replace(value, MASK)
    if not _ANY_PATTERN.search(text):
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _walk(obj: Any, secrets: list[str]) -> Any:
    if isinstance(obj, str):
        return _redact(obj, secrets)
    if isinstance(obj, Mapping):
        return {_walk(k, secrets): _walk(v, secrets) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk(item, secrets) for item in obj]
    if isinstance(obj, tuple):
        return tuple(_walk(item, secrets) for item in obj)
    return obj
