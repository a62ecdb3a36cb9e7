"""Progress on the console while a run goes: cases done of the total, failures so far."""

from __future__ import annotations

import sys
from typing import TextIO

from conformance.redact import redact_text
from conformance.results import CaseResult

STEPS = 10  # lines printed over a run when the console is not a terminal


class Progress:
    """Counts case results as they arrive (from this process or from workers)."""

    def __init__(self, verbose: bool = False, stream: TextIO | None = None) -> None:
        self.total = 0
        self.done = 0
        self.failed = 0
        self.errors = 0
        self._verbose = verbose
        self._stream = stream or sys.stderr
        self._live = self._stream.isatty()
        self._next_step = 1

    def case_done(self, result: CaseResult) -> None:
        """One more case finished."""
        self.done += 1
        self.failed += result.outcome == "failed"
        self.errors += result.outcome == "error"
        if self._verbose:
            self._write(f"[{self.done}/{self.total or '?'}] {result.outcome.upper()} {result.id}")
            if result.message and result.outcome != "passed":
                self._write(f"    {result.message}")
        elif self._live:
            self._stream.write(f"\r{self.line()}")
            self._stream.flush()
        elif self.total and self.done * STEPS >= self._next_step * self.total:
            self._next_step = self.done * STEPS // self.total + 1
            self._write(self.line())

    def line(self) -> str:
        """`batch-conformance: 40/158 cases, 12 failed, 0 errors so far`."""
        return (
            f"batch-conformance: {self.done}/{self.total or '?'} cases,"
            f" {self.failed} failed, {self.errors} errors so far"
        )

    def end(self) -> None:
        """Leave the live line behind before the summary."""
        if self._live and not self._verbose and self.done:
            self._stream.write("\n")
            self._stream.flush()

    def _write(self, text: str) -> None:
        self._stream.write(redact_text(text) + "\n")
        self._stream.flush()
