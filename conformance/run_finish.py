"""The end of a run, in one place: cleanup, baseline, reports, exit status."""

from __future__ import annotations

import sys

import pytest

from conformance.baseline import BaselineError, apply_baseline, load_baseline
from conformance.gate import tally
from conformance.reports import write_reports
from conformance.results import RunResult
from conformance.rulebook import all_rules
from conformance.session import RunState

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TARGET, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def finish_run(state: RunState, pytest_status: int) -> tuple[RunResult, int]:
    """Clean up the endpoint, write the reports, and say how the run ends."""
    if pytest_status == pytest.ExitCode.INTERRUPTED:
        state.interruption.happened = True
    run = state.finish(rules=all_rules(state.options.scope))
    run.notes = list(state.target.notes)
    status = _status(state, run, pytest_status)
    state.run = run
    if status != EXIT_USAGE:  # bad input loses nothing
        try:
            env: dict[str, str] | None = None if state.options.step_summary else {}
            state.written = write_reports(run, state.report_dir, env)
        except OSError as exc:
            print(
                f"batch-conformance: cannot write reports to {state.report_dir}: {exc}",
                file=sys.stderr,
            )
            status = EXIT_USAGE
    return run, status


def _status(state: RunState, run: RunResult, pytest_status: int) -> int:
    if run.fatal:
        return EXIT_TARGET
    if state.interruption.happened:  # during the cases, or the cleanup that followed them
        return EXIT_INTERRUPTED
    if pytest_status == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("batch-conformance: no case selected", file=sys.stderr)
        return EXIT_USAGE
    if pytest_status == pytest.ExitCode.USAGE_ERROR:  # pytest has printed the one line
        return EXIT_USAGE
    if pytest_status == pytest.ExitCode.INTERNAL_ERROR:
        return EXIT_FAILED
    if state.options.baseline is not None:
        try:
            baseline = load_baseline(state.options.baseline)
        except BaselineError as exc:
            print(f"batch-conformance: {exc}", file=sys.stderr)
            return EXIT_USAGE
        apply_baseline(run, baseline)
        run.baseline = str(state.options.baseline)
    return EXIT_FAILED if tally(run).failed else EXIT_OK
