"""report.md's budget: blocks of text added whole while they fit a number of characters,
and a note of what did not fit, for the footer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

LIST_OVERHEAD = 200
LIST_SHARE = 0.8


class Budget:
    """Blocks of text added whole, while they fit in `limit` characters."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.blocks: list[str] = []
        self.size = 0

    def room(self) -> int:
        """Characters still free."""
        return self.limit - self.size

    def add(self, lines: Iterable[str]) -> bool:
        """Add the lines as one block (a blank line after it) if the block fits."""
        block = "\n".join(lines) + "\n"
        if len(block) + 1 > self.room():
            return False
        self.blocks.append(block)
        self.size += len(block) + 1
        return True

    def text(self) -> str:
        """The blocks, a blank line between them."""
        return "\n".join(self.blocks)

    @contextmanager
    def capped(self, share: float) -> Iterator[None]:
        """Within the block, use at most `share` of what is still free."""
        limit = self.limit
        self.limit = self.size + int(self.room() * share)
        try:
            yield
        finally:
            self.limit = limit

    def detail(self, blocks: Iterator[list[str]], listing: list[int]) -> int:
        """Add detail blocks while the items after each still fit as a list; how many.

        `listing[i]` is what item i costs as one line. At most `LIST_SHARE` of the room is
        kept for the list, so some details come first even when the list could never fit.
        """
        keep = int(self.room() * LIST_SHARE)
        after = [sum(listing[i + 1 :]) + LIST_OVERHEAD for i in range(len(listing))]
        added = 0
        for index, block in enumerate(blocks):
            reserve = min(after[index], keep) if index + 1 < len(listing) else 0
            if len("\n".join(block)) + 2 + reserve > self.room() or not self.add(block):
                break
            added += 1
        return added


class Left:
    """What did not fit, per section, for the footer."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def note(self, shown: int, total: int, what: str) -> None:
        """`shown` of `total` items of a section made it in."""
        if shown < total:
            self.items.append(f"{total - shown:,} of {total:,} {what}")
