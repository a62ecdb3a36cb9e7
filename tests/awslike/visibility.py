"""Eventual consistency as AWS shows it: a just-submitted job is missing from DescribeJobs.

A job is hidden for `job_s` after its SubmitJob answer, its array children
(`<jobId>:<index>`) for `child_s`. The job exists upstream all along.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

Json = dict[str, Any]


class Visibility:
    """Remembers when each job was submitted and leaves it out of answers until it shows."""

    def __init__(
        self, job_s: float, child_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._job_s = job_s
        self._child_s = child_s
        self._clock = clock
        self._lock = threading.Lock()
        self._submitted: dict[str, float] = {}
        self.hidden = 0

    def submitted(self, answer: Json) -> None:
        """SubmitJob answered with `answer`: its job starts hidden now."""
        job_id = answer.get("jobId")
        if isinstance(job_id, str) and max(self._job_s, self._child_s) > 0:
            with self._lock:
                self._submitted[job_id] = self._clock()

    def _shown(self, job: Any) -> bool:
        job_id = str(job.get("jobId", "")) if isinstance(job, dict) else ""
        parent, child, _index = job_id.partition(":")
        since = self._submitted.get(parent)
        if since is None:
            return True
        return self._clock() - since >= (self._child_s if child else self._job_s)

    def describe_jobs(self, answer: Json) -> Json:
        """A DescribeJobs answer without the jobs still hidden."""
        jobs = answer.get("jobs")
        if not isinstance(jobs, list):
            return answer
        with self._lock:
            shown = [job for job in jobs if self._shown(job)]
            self.hidden += len(jobs) - len(shown)
        return {**answer, "jobs": shown}
