"""Short plain-text descriptions from botocore's HTML documentation strings."""

from __future__ import annotations

import html
import re

MAX_CHARS = 160
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])[.!?](?=\s|$)")


def short_doc(text: str | None) -> str | None:
    """The first sentence of `text` without HTML, at most `MAX_CHARS` characters."""
    if not text:
        return None
    plain = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()
    plain = re.sub(r" ([.,;:)])", r"\1", plain)
    end = _SENTENCE_END.search(plain)
    if end:
        plain = plain[: end.end()]
    if len(plain) > MAX_CHARS:
        plain = plain[: MAX_CHARS - 1].rstrip() + "…"
    return plain or None
