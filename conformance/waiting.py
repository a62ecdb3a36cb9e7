"""The one bounded wait on Batch state: look again, backing off, until done or out of time.

Every wait of the suite goes through `poll`: a case reading what it just made (bounded by
--consistency-wait), a job or a resource reaching a settled status (bounded by the run's
settle bound), provisioning and cleanup waiting for many resources at once. What a wait
means, and what it does when time runs out, is its caller's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
FIRST_S = 0.1
CAP_S = 1.0


@dataclass(frozen=True)
class Waited(Generic[T]):
    """What a wait saw last, whether it was what it waited for, and whether it had to wait."""

    value: T
    done: bool
    waited: bool


def poll(
    look: Callable[[], T],
    done: Callable[[T], bool],
    bound_s: float,
    *,
    first_s: float = FIRST_S,
    cap_s: float = CAP_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Waited[T]:
    """`look()` until `done` holds of its value or `bound_s` runs out; what was seen last.

    The first look is immediate; then the delay doubles from `first_s` up to `cap_s`, and
    never sleeps past the bound (the last look is at the bound).
    """
    deadline = clock() + bound_s
    delay = first_s
    waited = False
    while True:
        seen = look()
        if done(seen):
            return Waited(seen, True, waited)
        left = deadline - clock()
        if left <= 0:
            return Waited(seen, False, waited)
        sleep(min(delay, left))
        waited = True
        delay = min(delay * 2, cap_s)


SHORT_WAIT_S = 0.5


@dataclass
class Consistency:
    """What a run learnt of the endpoint's eventual consistency, to bound its reads.

    The full wait is kept while a wait has ever paid off (something showed late) or none
    has run out yet. An emulator that never shows what it was asked for (array children it
    does not create), and never shows anything late, gets short waits after the first one
    ran out: the verdict is the same, minutes are not spent on it. Real AWS (`learns`
    False) always gets the full wait: one deviation must not shorten the wait for a
    resource that AWS shows late.
    """

    late: int = 0
    missing: int = 0
    learns: bool = True

    def wait_s(self, full_s: float) -> float:
        """How long the next read may wait."""
        if not self.learns or self.late or not self.missing:
            return full_s
        return min(full_s, SHORT_WAIT_S)

    def learn(self, waited: Waited[Any]) -> None:
        """What one read showed: everything awaited (after waiting, or not), or a wait that
        ran out."""
        if waited.done:
            self.late += int(waited.waited)
        else:
            self.missing += 1
