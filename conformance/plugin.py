"""The pytest plugin: `--batch-*` options, one RunState, fixtures, the gate in one place.

Registered through the `pytest11` entry point, so an emulator project can run
`pytest --pyargs conformance.cases --batch-target moto-server` in its own suite. It stays
inert in a session that collects none of the cases.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from conformance.calls import EndpointUnusable
from conformance.casekit import Batch
from conformance.grading import CaseFailure
from conformance.results import CaseResult, Outcome, RunResult
from conformance.session import DEFAULT_EXAMPLES, RunOptions, RunState
from conformance.targets import TARGET_NAMES, TargetError, TargetOptions, UsageError

CASES_PACKAGE = "conformance.cases"
STATE_KEY = pytest.StashKey[RunState | None]()
RUN_KEY = pytest.StashKey[RunResult]()
CASE_KEY = pytest.StashKey[dict[str, Any]]()
ALL_IDS_KEY = pytest.StashKey[set[str]]()


def check_baseline(path: Path, case_ids: set[str]) -> None:
    """Refuse a broken baseline before anything runs (pytest usage error, exit 2)."""
    from conformance.baseline import BaselineError, load_baseline
    from conformance.rulebook import all_rules

    try:
        load_baseline(path).check_ids(case_ids, set(all_rules()))
    except BaselineError as exc:
        raise pytest.UsageError(str(exc)) from exc


def pytest_addoption(parser: pytest.Parser) -> None:
    """One options group, one prefix."""
    group = parser.getgroup("batch-conformance", "AWS Batch conformance suite")
    group.addoption(
        "--batch-target",
        dest="batch_target",
        default="moto",
        help=f"endpoint to test: {', '.join(TARGET_NAMES)} (default moto)",
    )
    group.addoption(
        "--batch-endpoint-url",
        dest="batch_endpoint_url",
        default=None,
        help="URL of an emulator (implies --batch-target endpoint)",
    )
    group.addoption("--batch-region", dest="batch_region", default="us-east-1")
    group.addoption(
        "--batch-report-dir",
        dest="batch_report_dir",
        default=None,
        help="folder for report.json/.md/.html and junit.xml",
    )
    group.addoption(
        "--batch-job-queue",
        dest="batch_job_queue",
        default=None,
        help="reuse this job queue instead of creating one",
    )
    group.addoption(
        "--batch-seed",
        dest="batch_seed",
        type=int,
        default=0,
        help="seed of the generated cases (same seed, same cases)",
    )
    group.addoption(
        "--batch-examples",
        dest="batch_examples",
        type=int,
        default=DEFAULT_EXAMPLES,
        help="examples per generated case",
    )
    group.addoption(
        "--batch-allow-real-aws",
        dest="batch_allow_real_aws",
        action="store_true",
        help="opt in to --batch-target aws",
    )
    group.addoption(
        "--batch-case",
        dest="batch_case",
        action="append",
        default=[],
        help="run only the case with this id (repeatable)",
    )
    group.addoption(
        "--batch-baseline",
        dest="batch_baseline",
        default=None,
        help="known deviations: listed failures do not fail the run",
    )
    group.addoption(
        "--batch-strict-baseline",
        dest="batch_strict_baseline",
        action="store_true",
        help="fail on baseline entries that now pass",
    )


def options_from_config(config: pytest.Config) -> RunOptions:
    """RunOptions from the `--batch-*` options (UsageError on bad values)."""
    opt = config.option
    if opt.batch_examples < 1:
        raise UsageError("--batch-examples must be at least 1")
    return RunOptions(
        target=TargetOptions(
            name=opt.batch_target,
            endpoint_url=opt.batch_endpoint_url,
            region=opt.batch_region,
            allow_real_aws=opt.batch_allow_real_aws,
        ),
        report_dir=Path(opt.batch_report_dir) if opt.batch_report_dir else None,
        job_queue=opt.batch_job_queue,
        seed=opt.batch_seed,
        examples=opt.batch_examples,
        baseline=Path(opt.batch_baseline) if opt.batch_baseline else None,
        strict_baseline=opt.batch_strict_baseline,
    )


def case_id(item: pytest.Item) -> str:
    """A stable id, independent of where the package is installed: `module::test[param]`."""
    module = getattr(item, "module", None)
    name = module.__name__ if module is not None else item.nodeid.split("::")[0]
    short = name.removeprefix(CASES_PACKAGE + ".").removeprefix("test_")
    return f"{short}::{item.name}"


def is_case(item: pytest.Item) -> bool:
    """Is this item one of the suite's cases (not the host project's own test)?"""
    module = getattr(item, "module", None)
    return module is not None and module.__name__.startswith(CASES_PACKAGE + ".")


def get_state(config: pytest.Config) -> RunState | None:
    """The run's state, if this session runs cases."""
    return config.stash.get(STATE_KEY, None)


class BatchPlugin:
    """Hooks bound to one RunState (the CLI passes one in; pytest mode makes its own)."""

    def __init__(self, state: RunState | None = None) -> None:
        self.state = state

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Keep only --batch-case ids when given; start the run if any case is collected."""
        wanted = set(config.option.batch_case)
        if wanted:
            keep = [i for i in items if not is_case(i) or case_id(i) in wanted]
            found = {case_id(i) for i in keep if is_case(i)}
            missing = sorted(wanted - found)
            if missing:
                raise pytest.UsageError(f"--batch-case names no case: {missing[0]}")
            config.hook.pytest_deselected(items=[i for i in items if i not in keep])
            items[:] = keep
        if not any(is_case(i) for i in items):
            return
        if self.state is None:
            try:
                self.state = RunState(options_from_config(config))
            except UsageError as exc:
                raise pytest.UsageError(str(exc)) from exc
        config.stash[STATE_KEY] = self.state
        if self.state.options.baseline is not None:
            check_baseline(self.state.options.baseline, config.stash.get(ALL_IDS_KEY, set()))
        try:
            self.state.start()
        except TargetError as exc:
            pytest.exit(str(exc), returncode=3)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        """Gather each case's evidence from its first call to its last."""
        if self.state is not None and is_case(item):
            self.state.begin_case()
            item.stash[CASE_KEY] = {"t0": time.perf_counter(), "phases": []}
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """Turn each phase's outcome and exception into the case's result."""
        report = yield
        if self.state is None or not is_case(item):
            return report
        info = item.stash[CASE_KEY]
        info["phases"].append((report, call.excinfo.value if call.excinfo else None))
        if report.when == "call" and report.failed:
            item._batch_call_failed = True  # type: ignore[attr-defined]
        if report.when == "teardown":
            self.state.results.append(self._result(item, info))
        return report

    def _result(self, item: pytest.Item, info: dict[str, Any]) -> CaseResult:
        assert self.state is not None
        record = self.state.current
        outcome: Outcome = "passed"
        message = ""
        result = CaseResult(id=case_id(item), outcome="passed")
        for report, exc in info["phases"]:
            if report.passed:
                continue
            if report.skipped:
                if outcome == "passed":
                    outcome = "skipped"
                    message = _skip_reason(report)
                continue
            kind, text = classify(exc, report)
            if outcome in {"passed", "skipped"} or (outcome == "failed" and kind == "error"):
                outcome, message = kind, text
            if isinstance(exc, CaseFailure):
                result.checks.extend(exc.checks)
                result.schema_path = exc.schema_path
                result.rule = exc.rule or result.rule
        batch = item.funcargs.get("batch") if hasattr(item, "funcargs") else None
        if isinstance(batch, Batch):
            result.checks[:0] = batch.checks
        result.checks = list({(c.name, c.passed, c.detail): c for c in result.checks}.values())
        result.outcome = outcome
        result.message = message
        result.rule = _rule_of(item) or result.rule
        result.operation = _operation_of(item, result.rule)
        result.exchanges = list(record.exchanges)
        result.duration_s = time.perf_counter() - info["t0"]
        result.call_s = record.call_s
        result.example = _example(info)
        return result

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Clean up, write the reports, decide the exit status (baseline gate)."""
        if self.state is None:
            return
        from conformance.run_finish import finish_run

        run, status = finish_run(self.state, int(exitstatus))
        session.config.stash[RUN_KEY] = run
        session.exitstatus = status

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """The suite's own summary: per operation and rule, failures first."""
        run = terminalreporter.config.stash.get(RUN_KEY, None)
        if run is None or self.state is None or not (run.results or run.fatal):
            return
        from conformance.summary import summary_text

        terminalreporter.write_sep("=", "batch-conformance")
        terminalreporter.write(summary_text(run, self.state.written, self.state.cleanup_notes))


def classify(exc: BaseException | None, report: pytest.TestReport) -> tuple[Outcome, str]:
    """failed (the endpoint misbehaved) or error (no usable result), with one line."""
    if isinstance(exc, EndpointUnusable | TargetError):
        return "error", str(exc)
    if isinstance(exc, AssertionError):
        text = str(exc).strip().splitlines()
        return "failed", text[0] if text else "assertion failed"
    if exc is not None:
        return "error", f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    return "error", str(report.longreprtext).strip().splitlines()[-1][:300]


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return "skipped"


def _marker_arg(item: pytest.Item, name: str) -> str | None:
    marker = item.get_closest_marker(name)
    return str(marker.args[0]) if marker and marker.args else None


def _rule_of(item: pytest.Item) -> str | None:
    return _marker_arg(item, "batch_rule")


def _operation_of(item: pytest.Item, rule: str | None) -> str | None:
    return _marker_arg(item, "batch_operation") or (rule.split(".", 1)[0] if rule else None)


def _example(info: dict[str, Any]) -> str | None:
    for _report, exc in info["phases"]:
        notes = getattr(exc, "__notes__", None)
        if notes:
            return "\n".join(str(n) for n in notes)[:2000]
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Note every case id before -k deselects any (baselines name cases of a full run)."""
    config.stash[ALL_IDS_KEY] = {case_id(i) for i in items if is_case(i)}


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers and, in plain pytest mode, the hooks object."""
    config.addinivalue_line("markers", "batch_rule(id): the rule (from specs/) a case checks")
    config.addinivalue_line("markers", "batch_operation(name): the operation a case exercises")
    plugins = config.pluginmanager.get_plugins()
    if not any(isinstance(plugin, BatchPlugin) for plugin in plugins):
        config.pluginmanager.register(BatchPlugin(), "batch-conformance-run")


@pytest.fixture
def batch(request: pytest.FixtureRequest) -> Generator[Batch, None, None]:
    """The endpoint under test, bound to the current case.

    At the end of a case whose own checks passed, a response that broke its schema fails it.
    """
    state = get_state(request.config)
    if state is None or state.resources is None:
        pytest.fail("batch-conformance: the run was not started", pytrace=False)
    kit = Batch(state)
    yield kit
    if not getattr(request.node, "_batch_call_failed", False):
        kit.raise_deferred()
