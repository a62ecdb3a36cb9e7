"""Run the cases with pytest against one RunState: the engine behind `run` and `replay`."""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Sequence
from pathlib import Path

import botocore.session
import pytest

from conformance.baseline import BaselineError, load_baseline
from conformance.errors import TargetError
from conformance.options import RunOptions
from conformance.plugin import BatchPlugin
from conformance.progress import Progress
from conformance.redact import redact_text
from conformance.reports.atomic import folder_problem
from conformance.reports.summary import header_text, summary_text
from conformance.run_finish import EXIT_INTERRUPTED, EXIT_USAGE, finish_run
from conformance.scopes import Scope
from conformance.session import RunState
from conformance.targets import not_thread_safe
from conformance.targets.moto_server import serves_moto

PLUGIN_MODULE = "conformance.plugin"
PYTEST_INI = Path(__file__).parent / "cases" / "pytest.ini"  # both scopes' cases


def pytest_args(
    state: RunState, keyword: str | None, cases: Sequence[str], verbose: bool
) -> list[str]:
    """The pytest command line that runs the cases with this state."""
    cases_dir = state.options.scope.cases_dir
    args = [
        str(cases_dir),
        "-c",
        str(PYTEST_INI),
        "--rootdir",
        str(cases_dir),
        "-p",
        "no:cacheprovider",
        "-p",  # the run's own progress and summary are what the console shows
        "no:terminal",
        "-p",  # gc.collect() rounds for unraisable exceptions no terminal would show
        "no:unraisableexception",
        "-p",  # log records captured around every phase, for a terminal that is not there
        "no:logging",
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        "-W",  # the suite loads hypothesis before pytest does, on purpose (see run_suite)
        "ignore::hypothesis.errors.HypothesisSideeffectWarning",
    ]
    if state.options.workers > 1:  # pytest-xdist; each worker joins this run (plugin.py)
        args += ["-n", str(state.options.workers)]
    if not plugin_from_entry_point():
        args += ["-p", PLUGIN_MODULE]
    if keyword:
        args += ["-k", keyword]
    for case in cases:
        args += ["--batch-case", case]
    return args


def plugin_from_entry_point() -> bool:
    """Does pytest load the plugin by itself (the package is installed with its entry point)?"""
    entry_points = importlib.metadata.entry_points(group="pytest11")
    return any(ep.value == PLUGIN_MODULE for ep in entry_points)


def run_suite(
    options: RunOptions,
    keyword: str | None,
    cases: Sequence[str],
    verbose: bool,
    *,
    summary: bool = True,
) -> tuple[int, RunState | None]:
    """Start the target, run the selected cases, finish; the exit status and the state.

    `summary=False` leaves the console summary out (`replay` shows its own).
    """
    if options.baseline is not None:
        try:
            # a broken file, or one of the other scope, costs no provisioning
            load_baseline(options.baseline).check_scope(options.scope)
        except BaselineError as exc:
            print(f"batch-conformance: {exc}", file=sys.stderr)
            return EXIT_USAGE, None
    missing = missing_operations(options.scope)
    if missing:
        print(
            f"batch-conformance: --scope {options.scope} needs every operation of"
            f" {options.scope.model.name}; the installed botocore"
            f" {botocore.__version__} lacks {len(missing)} ({', '.join(missing[:4])}"
            f"{', ...' if len(missing) > 4 else ''}): upgrade boto3/botocore",
            file=sys.stderr,
        )
        return EXIT_USAGE, None
    import conformance.generation  # noqa: F401 - load hypothesis before anything can be interrupted

    if cases:  # a handful of named cases: workers would cost more than they save
        options.workers = 1
    if not one_worker_for_moto(options):
        return EXIT_USAGE, None
    state = RunState(options)
    if problem := folder_problem(state.report_dir):  # before anything is made or run
        print(f"batch-conformance: --report-dir {state.report_dir} {problem}", file=sys.stderr)
        return EXIT_USAGE, None
    _say(header_text(state.target.info, botocore.__version__, options.seed, options.scope.name))
    try:
        state.start()
    except TargetError as exc:
        status = finish_run(state, 0)[1]
        _say_notes(state)
        print(f"batch-conformance: {exc}", file=sys.stderr)
        return status, state
    except KeyboardInterrupt:
        return _interrupted(state), state
    _say_notes(state)
    try:
        plugin = BatchPlugin(state, Progress(verbose))
        code = int(pytest.main(pytest_args(state, keyword, cases, verbose), plugins=[plugin]))
    except KeyboardInterrupt:  # before pytest's session began, or after it ended
        return _interrupted(state), state
    if not state.finished:  # pytest stopped before its session could finish the run
        code = finish_run(state, code)[1]
        if code == EXIT_INTERRUPTED:
            return _interrupted(state), state
    if code == pytest.ExitCode.USAGE_ERROR:  # raised during collection; pytest printed it
        return EXIT_USAGE, state
    plugin.progress_end()
    if summary:
        print_summary(state)
    if code == EXIT_INTERRUPTED:
        print(f"batch-conformance: {state.interrupted_text()}", file=sys.stderr)
    return code, state


def one_worker_for_moto(options: RunOptions) -> bool:
    """An endpoint that is a moto server (not thread-safe) runs with one worker: refused
    in one line when --workers asked for more (False), else the default becomes one."""
    url = options.target.endpoint_url
    if options.workers <= 1 or not url or not serves_moto(url):
        return True
    if options.workers_given:
        print(
            f"batch-conformance: {not_thread_safe(options.workers, url)}",
            file=sys.stderr,
        )
        return False
    print(
        f"batch-conformance: {url} is a moto server (not thread-safe): one worker", file=sys.stderr
    )
    options.workers = 1
    return True


def missing_operations(scope: Scope) -> list[str]:
    """The operations of `scope` the installed botocore cannot call."""
    known = set(botocore.session.get_session().get_service_model("batch").operation_names)
    return [op for op in scope.operations if op not in known]


def _say(line: str) -> None:
    """One line on the console, now (a piped CI log shows it before what follows)."""
    sys.stdout.write(redact_text(line) + "\n")
    sys.stdout.flush()


def _say_notes(state: RunState) -> None:
    """What the target's start noticed that may change verdicts (a moto server with Docker)."""
    for note in state.target.notes:
        _say(f"note: {note}")


def cleanup_lines(state: RunState) -> list[str]:
    """The cleanup notes; on a target the run started and stopped, whose end takes all it
    held, what it refused to delete is one line that says nothing was left."""
    refused = state.provisioner.cleanup_errors if state.provisioner is not None else []
    if not refused or not state.target.discards_on_stop:
        return state.cleanup_notes
    name = state.target.info.name
    return [
        *state.cleanup_notes,
        f"{name} refused {len(refused)} kind(s) of cleanup call; nothing is left: this run"
        f" started {name} and stopped it, with all it held",
    ]


def print_summary(state: RunState) -> None:
    """The run's own summary, the last thing on the console (it agrees with report.json)."""
    if state.run is not None and (state.run.results or state.run.fatal or state.run.interrupted):
        sys.stdout.write(summary_text(state.run, state.written, cleanup_lines(state)))
        sys.stdout.flush()


def _interrupted(state: RunState) -> int:
    """Ctrl-C outside pytest's session: clean up, write what there is, say so in one line."""
    if not state.finished:
        finish_run(state, pytest.ExitCode.INTERRUPTED)
    print_summary(state)
    print(f"batch-conformance: {state.interrupted_text()}", file=sys.stderr)
    return EXIT_INTERRUPTED
