"""Throttling as AWS answers it: HTTP 429 TooManyRequestsException for a seeded share of calls."""

from __future__ import annotations

import random
import threading

from tests.proxy_core import error_answer

THROTTLED = error_answer(429, "TooManyRequestsException", "Too Many Requests")


class Throttle:
    """Throttles `rate` of the calls it is asked about, drawn from `random.Random(seed)`.

    The draws are taken one at a time under a lock, so over N calls the number throttled
    depends only on the seed, whatever order concurrent callers arrive in.
    """

    def __init__(self, rate: float, seed: int) -> None:
        self._rate = rate
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.throttled = 0

    def hit(self) -> bool:
        """Throttle this call?"""
        if self._rate <= 0:
            return False
        with self._lock:
            hit = self._random.random() < self._rate
            self.throttled += hit
        return hit
