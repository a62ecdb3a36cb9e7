"""The pytest plugin: `--batch-*` options, one RunState, fixtures, the gate in one place.

Registered through the `pytest11` entry point, so an emulator project can run
`pytest --pyargs conformance.cases --batch-target moto-server` in its own suite. It stays
inert in a session that collects none of the cases.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from conformance.calls import DEFAULT_THROTTLE_RETRIES
from conformance.case_record import CaseRecord
from conformance.case_select import choose
from conformance.casekit import Batch
from conformance.progress import Progress
from conformance.provision import fargate_network
from conformance.pytest_outcomes import PytestOutcomes
from conformance.reports.evidence import PROBE_CASES
from conformance.results import CaseResult, RunResult
from conformance.schemas import SCOPES, Scope
from conformance.session import (
    DEFAULT_CONSISTENCY_WAIT_S,
    DEFAULT_EXAMPLES,
    RunOptions,
    RunState,
    check_tuning,
)
from conformance.targets import TARGET_NAMES, TargetError, TargetOptions, UsageError

CASES_PACKAGE = "conformance.cases"
CURRENT_CASES_PACKAGE = "conformance.current_cases"
SCOPE_OF_PACKAGE: dict[str, Scope] = {CASES_PACKAGE: "seed", CURRENT_CASES_PACKAGE: "current"}
PACKAGE_OF_SCOPE: dict[Scope, str] = {scope: pkg for pkg, scope in SCOPE_OF_PACKAGE.items()}
PLUGIN_FLAGS = ("--batch-subnets", "--batch-security-groups", "--batch-job-queue")
STATE_KEY = pytest.StashKey[RunState | None]()
RUN_KEY = pytest.StashKey[RunResult]()
RESULT_PROPERTY = "batch_conformance_result"
RESPONSE_CASES = "responses::"
SHARED_KEY = "batch_conformance_run"
ALL_IDS_KEY = pytest.StashKey[set[str]]()
NO_PLAIN_XDIST = (
    "pytest -n cannot share one run between workers: run the cases"
    " concurrently with `batch-conformance run --workers N`"
)


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
        "--batch-scope",
        dest="batch_scope",
        default="seed",
        choices=SCOPES,
        help="seed: the 2018 operations (conformance.cases); current: every operation"
        " of today's API (conformance.current_cases)",
    )
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
        "--batch-subnets",
        dest="batch_subnets",
        default=None,
        help="comma-separated subnet IDs: a Fargate compute environment whose jobs run",
    )
    group.addoption(
        "--batch-security-groups",
        dest="batch_security_groups",
        default=None,
        help="comma-separated security group IDs (with --batch-subnets)",
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
        help="run only this case id, or the cases of this rule id or finding id (repeatable)",
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
    group.addoption(
        "--batch-strict",
        dest="batch_strict",
        action="store_true",
        help="fail on `should` rules too (they are warnings otherwise)",
    )
    group.addoption(
        "--batch-consistency-wait",
        dest="batch_consistency_wait",
        type=float,
        default=DEFAULT_CONSISTENCY_WAIT_S,
        help="seconds a read waits for a just-created job to show (default %(default)s)",
    )
    group.addoption(
        "--batch-throttle-retries",
        dest="batch_throttle_retries",
        type=int,
        default=DEFAULT_THROTTLE_RETRIES,
        help="retries of a throttled call, with backoff (default %(default)s)",
    )


def options_from_config(config: pytest.Config) -> RunOptions:
    """RunOptions from the `--batch-*` options (UsageError on bad values)."""
    opt = config.option
    if opt.batch_examples < 1:
        raise UsageError("--batch-examples must be at least 1")
    check_tuning(opt.batch_consistency_wait, opt.batch_throttle_retries)
    return RunOptions(
        target=TargetOptions(
            name=opt.batch_target,
            endpoint_url=opt.batch_endpoint_url,
            region=opt.batch_region,
            allow_real_aws=opt.batch_allow_real_aws,
        ),
        report_dir=Path(opt.batch_report_dir) if opt.batch_report_dir else None,
        job_queue=opt.batch_job_queue,
        fargate=fargate_network(
            opt.batch_subnets, opt.batch_security_groups, opt.batch_job_queue, PLUGIN_FLAGS
        ),
        seed=opt.batch_seed,
        examples=opt.batch_examples,
        baseline=Path(opt.batch_baseline) if opt.batch_baseline else None,
        strict_baseline=opt.batch_strict_baseline,
        strict=opt.batch_strict,
        consistency_wait_s=opt.batch_consistency_wait,
        throttle_retries=opt.batch_throttle_retries,
        scope=opt.batch_scope,
    )


def case_id(item: pytest.Item) -> str:
    """A stable id, independent of where the package is installed: `module::test[param]`."""
    module = getattr(item, "module", None)
    name = module.__name__ if module is not None else item.nodeid.split("::")[0]
    for package in SCOPE_OF_PACKAGE:
        name = name.removeprefix(package + ".")
    return f"{name.removeprefix('test_')}::{item.name}"


def scope_of(item: pytest.Item) -> Scope | None:
    """The scope whose case this item is (None: the host project's own test)."""
    module = getattr(item, "module", None)
    if module is None:
        return None
    package = module.__name__.rpartition(".")[0]
    return SCOPE_OF_PACKAGE.get(package)


def is_case(item: pytest.Item) -> bool:
    """Is this item one of the suite's cases (not the host project's own test)?"""
    return scope_of(item) is not None


def get_state(config: pytest.Config) -> RunState | None:
    """The run's state, if this session runs cases."""
    return config.stash.get(STATE_KEY, None)


class BatchPlugin:
    """Hooks bound to one RunState (the CLI passes one in; pytest mode makes its own).

    The hooks only wire pytest to the state: each case's evidence lives in its
    `CaseRecord`; its `CaseResult` travels on the teardown report (so pytest-xdist brings
    it from a worker), and the run's own process collects it from there.
    """

    def __init__(self, state: RunState | None = None, progress: Progress | None = None) -> None:
        self.state = state
        self.progress = progress  # the CLI's own console; pytest's terminal is off there
        self.outcomes: PytestOutcomes | None = None  # pytest told each case's standing
        self._index: dict[str, int] = {}

    def progress_end(self) -> None:
        """End the progress line before the summary."""
        if self.progress is not None:
            self.progress.end()

    def _expect(self, total: int) -> None:
        if self.state is not None:
            self.state.total_cases = total
        if self.progress is not None:
            self.progress.total = total

    @property
    def worker(self) -> bool:
        """Is this a pytest-xdist worker (cases run here, the run is decided elsewhere)?"""
        return self.state is not None and self.state.worker is not None

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Keep only --batch-case ids when given; start the run if any case is collected."""
        select_cases(config, items)
        items.sort(key=judged_last)  # stable: response cases see every answer before them
        self._index = {item.nodeid: i for i, item in enumerate(items)}
        if not any(is_case(i) for i in items) or self.worker or config.option.collectonly:
            return  # --collect-only (`batch-conformance cases`): no endpoint
        self._expect(sum(1 for i in items if is_case(i)))
        if self.state is None:
            if hasattr(config, "workerinput"):  # `pytest -n` in plain pytest mode
                raise pytest.UsageError(NO_PLAIN_XDIST)
            try:
                self.state = RunState(options_from_config(config))
            except UsageError as exc:
                raise pytest.UsageError(str(exc)) from exc
        config.stash[STATE_KEY] = self.state
        scope = self.state.options.scope
        other = sorted({str(scope_of(i)) for i in items if is_case(i) and scope_of(i) != scope})
        if other:
            raise pytest.UsageError(
                f"cases of scope {', '.join(other)} collected in a run of scope {scope}:"
                f" run {PACKAGE_OF_SCOPE[scope]} (or pass --batch-scope {other[0]})"
            )
        self.outcomes = PytestOutcomes.of_run(
            self.state.options, config.stash.get(ALL_IDS_KEY, None)
        )
        try:
            self.state.start()
        except TargetError as exc:
            pytest.exit(str(exc), returncode=3)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        """Give each case a fresh record of its evidence."""
        if self.state is not None and is_case(item):
            self.state.begin_case(
                record_for(item, self._index.get(item.nodeid, 0), self.state.options.scope)
            )
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """Hand each phase to the record; the teardown report carries the case's result."""
        report = yield
        if self.state is None or not is_case(item):
            return report
        record = self.state.current
        record.add_phase(report, call.excinfo.value if call.excinfo else None)
        if self.outcomes is not None:
            self.outcomes.tell(report, record)
        if report.when == "teardown":
            payload = {"index": record.index, "result": record.result().to_dict()}
            report.user_properties.append((RESULT_PROPERTY, payload))
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """The run's own process collects every case's result, wherever it ran."""
        if self.state is None or self.worker or report.when != "teardown":
            return
        for name, payload in report.user_properties:
            if name == RESULT_PROPERTY and isinstance(payload, dict):
                result = CaseResult.from_dict(payload["result"])
                self.state.collect(payload["index"], result)
                if self.progress is not None:
                    self.progress.case_done(result)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """pytest-xdist: the run's own process learns the number of cases from a worker."""
        self._expect(len(ids))

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """pytest-xdist: each worker joins this run (same endpoint and queue, own prefix)."""
        if self.state is not None:
            node.workerinput[SHARED_KEY] = json.dumps(self.state.shared())

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Clean up, write the reports, decide the exit status (baseline gate)."""
        if self.state is None:
            return
        if self.worker:
            self.state.finish()  # what this worker created; no reports, no verdict
            return
        from conformance.run_finish import finish_run

        run, status = finish_run(self.state, int(exitstatus))
        if self.outcomes is not None:
            self.outcomes.settle(session.config, run)
        session.config.stash[RUN_KEY] = run
        session.exitstatus = status

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """The suite's own summary: per operation and rule, failures first."""
        run = terminalreporter.config.stash.get(RUN_KEY, None)
        if run is None or self.state is None or not (run.results or run.fatal):
            return
        from conformance.reports.summary import summary_text

        terminalreporter.write_sep("=", "batch-conformance")
        terminalreporter.write(summary_text(run, self.state.written, self.state.cleanup_notes))


def select_cases(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep only the cases --batch-case names: case, rule or finding ids (case_select.py)."""
    if not config.option.batch_case:
        return
    cases = [(case_id(i), _marker_arg(i, "batch_rule")) for i in items if is_case(i)]
    try:
        chosen = choose(config.option.batch_case, cases)
    except UsageError as exc:
        raise pytest.UsageError(str(exc)) from exc
    keep = [i for i in items if not is_case(i) or case_id(i) in chosen]
    config.hook.pytest_deselected(items=[i for i in items if i not in keep])
    items[:] = keep


def judged_last(item: pytest.Item) -> int:
    """Sort key: whether operations are implemented is judged first (current scope); the
    response cases, which judge every answer of the run, go last."""
    if not is_case(item):
        return 1
    ident = case_id(item)
    return 0 if ident.startswith(PROBE_CASES) else 2 if ident.startswith(RESPONSE_CASES) else 1


def record_for(item: pytest.Item, index: int, scope: Scope = "seed") -> CaseRecord:
    """A fresh record for this case: its id, rule, operation and strength."""
    from conformance.rulebook import all_rules
    from conformance.verdicts import strength_of

    rule = _marker_arg(item, "batch_rule")
    operation = _marker_arg(item, "batch_operation") or (rule.split(".", 1)[0] if rule else None)
    return CaseRecord(
        case_id=case_id(item),
        rule=rule,
        operation=operation,
        strength=strength_of(all_rules(scope), rule),
        index=index,
    )


def _marker_arg(item: pytest.Item, name: str) -> str | None:
    marker = item.get_closest_marker(name)
    return str(marker.args[0]) if marker and marker.args else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Note every case id before -k deselects any (baselines name cases of a full run)."""
    config.stash[ALL_IDS_KEY] = {case_id(i) for i in items if is_case(i)}


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers and, in plain pytest mode, the hooks object."""
    config.addinivalue_line("markers", "batch_rule(id): the rule (from specs/) a case checks")
    config.addinivalue_line("markers", "batch_operation(name): the operation a case exercises")
    plugins = config.pluginmanager.get_plugins()
    if any(isinstance(plugin, BatchPlugin) for plugin in plugins):
        return
    workerinput = getattr(config, "workerinput", {})
    if not workerinput and getattr(config.option, "numprocesses", None) and _names_cases(config):
        raise pytest.UsageError(NO_PLAIN_XDIST)
    state = None
    if SHARED_KEY in workerinput:
        state = RunState.joining(json.loads(workerinput[SHARED_KEY]), _worker_suffix(workerinput))
        config.stash[STATE_KEY] = state
    config.pluginmanager.register(BatchPlugin(state), "batch-conformance-run")


def _names_cases(config: pytest.Config) -> bool:
    """Does the command line ask for this suite's cases (`--pyargs conformance.cases`)?"""
    names = [name for pkg in SCOPE_OF_PACKAGE for name in (pkg, pkg.replace(".", "/"))]
    return any(name in str(arg) for arg in config.args for name in names)


def _worker_suffix(workerinput: dict[str, Any]) -> str:
    """`gw3` -> `w3`: appended to the run's prefix, so each worker names its own resources."""
    return "w" + str(workerinput.get("workerid", "gw0")).removeprefix("gw")


@pytest.fixture
def batch(request: pytest.FixtureRequest) -> Batch:
    """The endpoint under test, bound to the current case."""
    state = get_state(request.config)
    if state is None or state.resources is None:
        pytest.fail("batch-conformance: the run was not started", pytrace=False)
    return Batch(state)
