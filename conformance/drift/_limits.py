"""Documented limits in botocore docstrings: a heuristic, not a parser.

botocore's model states few limits (`min`/`max` on some shapes); the rest are prose in the
members' docstrings ("between 1 and 10", "up to 128 letters long", "The minimum value for the
timeout is 60 seconds"). A documented limit here is a sentence of a member's docstring with a
number near a limit word ("up to 128", "255 max", "63 characters or less"); two sides are
compared by the numbers their sentences hold, so a reworded sentence with the same numbers is
no change. It finds what a reader would
look at, and misses a limit written in words ("one task element"); examples ("For example,
...") and Docker API versions are not limits.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
_NUMBER = re.compile(
    r"(?<![\w.,/:$-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/:%-]|[.,]\d|\s?%|\s?percent)"
)
_LIMIT_WORDS = re.compile(
    r"\b(between|minimum|maximum|min|max|up to|at most|at least|no more than|limited to|"
    r"limit of|less than|greater than|more than|fewer than|exceed|exceeds|range|through|"
    r"or less|or fewer|characters long|letters long)\b",
    re.IGNORECASE,
)
_NOT_LIMITS = re.compile(
    r"\bversion \S+|\S+ of the Docker Remote API|\bAPI version\b|\b\d+(?:\.\d+)? or later\b",
    re.IGNORECASE,
)
_BEFORE, _AFTER = 40, 25  # how near a number a limit word must be (characters)
_EXAMPLE = re.compile(r"^(for example|for instance|e\.g\.|example:)", re.IGNORECASE)


@dataclass(frozen=True)
class Limit:
    """One sentence that states a limit, and the numbers in it (`10,000` is `10000`)."""

    text: str
    numbers: tuple[str, ...]


def plain_text(doc: str | None) -> str:
    """A docstring without HTML, on one line."""
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", doc or ""))).strip()
    return re.sub(r" ([.,;:)])", r"\1", text)


def limits_in(doc: str | None) -> tuple[Limit, ...]:
    """The limits a member's docstring states, in order."""
    found: list[Limit] = []
    for sentence in _SENTENCE.split(plain_text(doc)):
        if _EXAMPLE.match(sentence):
            continue
        searched = _NOT_LIMITS.sub(" ", sentence)
        numbers = tuple(
            number.group(1).replace(",", "")
            for number in _NUMBER.finditer(searched)
            if _LIMIT_WORDS.search(searched[max(0, number.start() - _BEFORE) : number.start()])
            or _LIMIT_WORDS.search(searched[number.end() : number.end() + _AFTER])
        )
        if numbers:
            found.append(Limit(sentence.rstrip(), numbers))
    return tuple(found)


def numbers_of(limits: Iterable[Limit]) -> frozenset[str]:
    """Every number the limits state."""
    return frozenset(n for limit in limits for n in limit.numbers)


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE.sub(" ", text).strip().rstrip(".").strip().lower()


def quotes(sentence: str, quote: str) -> bool:
    """Whether an overlay rule's `quote` quotes `sentence` (or a part of it, or it whole).

    A quote may join parts with `...`; each part is compared on its own.
    """
    said = _normal(sentence)
    for piece in quote.split("..."):
        part = _normal(piece)
        if (len(part) >= 12 and part in said) or (len(said) >= 12 and said in part):
            return True
    return False


def snippet(sentence: str, width: int = 90) -> str:
    """`sentence`, or the part of it around its first limit word, at most `width` long."""
    if len(sentence) <= width:
        return sentence
    found = _LIMIT_WORDS.search(sentence)
    start = max(0, (found.start() if found else 0) - width // 3)
    start = sentence.rfind(" ", 0, start) + 1 if start else 0
    if start + width - 2 >= len(sentence):
        return "…" + sentence[start:]
    end = sentence.rfind(" ", start, start + width - 2)
    end = end if end > start else start + width - 2
    return ("…" if start else "") + sentence[start:end].strip() + "…"
