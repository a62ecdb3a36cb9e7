"""Eventual consistency as AWS shows it: what was just made is missing from reads for a while.

A job is hidden from DescribeJobs for `job_s` after its SubmitJob answer, its array children
(`<jobId>:<index>`) for `child_s`. A compute environment, job queue or scheduling policy is
hidden from the operations that describe and list it for `resource_s` after the answer that
made it. Everything exists upstream all along.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from conformance.catalogue import COMPUTE_ENVIRONMENT, JOB_QUEUE, SCHEDULING_POLICY

Json = dict[str, Any]
HIDDEN = (COMPUTE_ENVIRONMENT, JOB_QUEUE, SCHEDULING_POLICY)  # hidden a while once made
# The operation that makes a resource: the member of its answer that holds its ARN.
MADE = {kind.create: kind.arn_member for kind in HIDDEN if kind.create}
# The operations that read such resources: the list in their answer and its entries' ARN.
READS = {
    lookup.operation: (lookup.listed, kind.arn_member)
    for kind in HIDDEN
    for lookup in (kind.describe, kind.listing)
    if lookup is not None and lookup.listed
}


class Visibility:
    """Remembers when each job was submitted (each resource made) and leaves it out of
    answers until it shows."""

    def __init__(
        self,
        job_s: float,
        child_s: float,
        resource_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._job_s = job_s
        self._child_s = child_s
        self._resource_s = resource_s
        self._made: dict[str, float] = {}  # ARN -> when its create was answered
        self.hidden_made = 0  # entries of compute environments, queues, policies left out
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

    def made(self, operation: str, answer: Json) -> None:
        """A create of `MADE` answered with `answer`: its resource starts hidden now."""
        arn = answer.get(MADE[operation])
        if isinstance(arn, str) and self._resource_s > 0:
            with self._lock:
                self._made[arn] = self._clock()

    def read(self, operation: str, answer: Json) -> Json:
        """An answer of `READS` without the resources still hidden."""
        listed, arn_member = READS[operation]
        entries = answer.get(listed)
        if not isinstance(entries, list):
            return answer
        now = self._clock()
        with self._lock:
            shown = [
                entry
                for entry in entries
                if not isinstance(entry, dict)
                or now - self._made.get(str(entry.get(arn_member)), -1e9) >= self._resource_s
            ]
            self.hidden += len(entries) - len(shown)
            self.hidden_made += len(entries) - len(shown)
        return {**answer, listed: shown}
