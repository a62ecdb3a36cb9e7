"""How a run obeys Ctrl-C and SIGTERM: at once during the cases, not during its cleanup.

During the cases both raise `KeyboardInterrupt`, so the run stops, cleans up and says so.
During the cleanup the first one is noted and the cleanup goes on (what the run created
must not be left behind, on real AWS above all); a second one stops it at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

WATCHED = (signal.SIGINT, signal.SIGTERM)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def sigterm_as_interrupt() -> None:
    """SIGTERM behaves like Ctrl-C, so cleanup runs when CI cancels a job."""
    try:
        signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread
        print("batch-conformance: cannot watch SIGTERM outside the main thread", file=sys.stderr)


def _say(line: str) -> None:
    """Write `line` to stderr from a signal handler: os.write, as print() may be in the
    middle of a write of the main thread; fd 2 where stderr is no file (pytest's capture),
    and never an exception (it would cut the cleanup short)."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        fd = 2
    with contextlib.suppress(OSError):
        os.write(fd, line.encode())


@dataclass
class Deferred:
    """The interrupts that arrived while they were deferred."""

    count: int = 0


@contextmanager
def deferred_interrupts(notice: str) -> Iterator[Deferred]:
    """Inside: the first Ctrl-C or SIGTERM prints `notice` and is counted, not obeyed; the
    second raises `KeyboardInterrupt`. Outside the main thread nothing is deferred."""
    deferred = Deferred()

    def note(signum: int, frame: FrameType | None) -> None:
        deferred.count += 1
        if deferred.count > 1:
            raise KeyboardInterrupt(f"signal {signum}")
        _say(f"batch-conformance: {notice}\n")

    try:
        previous = {signum: signal.signal(signum, note) for signum in WATCHED}
    except ValueError:  # not the main thread: signals are not ours to handle
        yield deferred
        return
    try:
        yield deferred
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@dataclass
class Interruption:
    """Whether and when a run was interrupted, and what that did to its cleanup."""

    happened: bool = False
    in_cleanup: bool = False  # the (first) interrupt came during the cleanup
    cleanup_stopped: bool = False  # a second interrupt stopped the cleanup

    def during_cleanup(self, count: int) -> None:
        """`count` interrupts arrived while the cleanup ran."""
        self.in_cleanup = count > 0 and not self.happened
        self.happened = self.happened or count > 0

    def text(self, done: int, total: int, cleanup_notes: list[str]) -> str:
        """`interrupted after 88 of 158 cases; what the run created was cleaned up`: when the
        interrupt came and what the cleanup left."""
        of = f" of {total}" if total else ""
        if self.cleanup_stopped:
            cleaned = "the cleanup was stopped too: see the cleanup notes"
        elif cleanup_notes:
            cleaned = "the cleanup left some on the endpoint: see the cleanup notes"
        else:
            cleaned = "what the run created was cleaned up"
        during = " during the cleanup" if self.in_cleanup else ""
        return f"interrupted{during} after {done}{of} cases; {cleaned}"
