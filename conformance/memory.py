"""What one process of a run keeps from case to case.

Jobs to depend on and resources made on first need (reused by later cases), the jobs the
lifecycle cases submit together (`conformance.execution`), work done
once, the operations it has read an accepted answer of, the response violations it has
seen (judged by their own rules at the end), and what its reads taught it of the
endpoint's eventual consistency.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.results import Observation
from conformance.waiting import Consistency


@dataclass
class RunMemory:
    """One process's memory of the run (a worker has its own)."""

    consistency: Consistency = field(default_factory=Consistency)
    anchor_jobs: list[str] = field(default_factory=list)  # submitted to depend on
    array_jobs: list[str] = field(default_factory=list)  # array jobs, for N_TO_N
    shared_resources: dict[str, str] = field(default_factory=dict)  # by catalogue kind
    made_kinds: dict[str, str] = field(default_factory=dict)  # reference -> catalogue kind
    done_once: set[str] = field(default_factory=set)
    answered: set[str] = field(default_factory=set)  # operations with an accepted answer
    observations: list[Observation] = field(default_factory=list)  # response violations
    network: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # an emulator's, once looked
    jobs_run: dict[str, str] = field(default_factory=dict)  # lifecycle jobs by role
    running_since: dict[str, float] = field(default_factory=dict)  # job id -> first seen RUNNING
