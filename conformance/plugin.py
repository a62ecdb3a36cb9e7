"""The pytest plugin: `--batch-*` options, one RunState, fixtures, the gate in one place.

Registered through the `pytest11` entry point, so an emulator project can run
`pytest --pyargs conformance.cases --batch-target moto-server` in its own suite. It stays
inert in a session that collects none of the cases.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any

import pytest

from conformance.case_record import CaseRecord
from conformance.case_select import choose
from conformance.casekit import Batch
from conformance.errors import TargetError, UsageError
from conformance.options import PLUGIN_PREFIX, RunOptions, add_plugin_options, run_options
from conformance.progress import Progress
from conformance.pytest_outcomes import PytestOutcomes
from conformance.results import CaseResult, RunResult
from conformance.scopes import SCOPES, Scope, scope_of_package
from conformance.session import RunState

STATE_KEY = pytest.StashKey[RunState | None]()
RUN_KEY = pytest.StashKey[RunResult]()
RESULT_PROPERTY = "batch_conformance_result"
SHARED_KEY = "batch_conformance_run"
MADE_KEY = "batch_conformance_made"  # what a worker made, for the run's own cleanup
ALL_IDS_KEY = pytest.StashKey[set[str]]()
JUDGES_KEY = pytest.StashKey[dict[str, str]]()
NO_PLAIN_XDIST = (
    "pytest -n cannot share one run between workers: run the cases"
    " concurrently with `batch-conformance run --workers N`"
)
# Where a case runs: `batch_order("first")` (the probes of each operation: what is not
# implemented is known before the other cases need it), `batch_order("last")` (the judges
# of a rule over every answer of the run).
ORDER = {"first": 0, "last": 2}


def pytest_addoption(parser: pytest.Parser) -> None:
    """One options group, one prefix: the run's options (`conformance.options`)."""
    add_plugin_options(parser.getgroup("batch-conformance", "AWS Batch conformance suite"))


def options_from_config(config: pytest.Config) -> RunOptions:
    """RunOptions from the `--batch-*` options (UsageError on bad values)."""
    opt = config.option
    prefix = PLUGIN_PREFIX.replace("-", "_")
    values = {
        name.removeprefix(prefix): value
        for name, value in vars(opt).items()
        if name.startswith(prefix)
    }
    return run_options(values, PLUGIN_PREFIX)


def case_id(item: pytest.Item) -> str:
    """A stable id, independent of where the package is installed: `module::test[param]`
    (a module that holds part of another's cases says whose: `CASE_MODULE`)."""
    module = getattr(item, "module", None)
    name = module.__name__ if module is not None else item.nodeid.split("::")[0]
    name = name.rpartition(".")[2].removeprefix("test_")
    name = getattr(module, "CASE_MODULE", None) or name
    return f"{name}::{item.name}"


def scope_of(item: pytest.Item) -> Scope | None:
    """The scope whose case this item is (None: the host project's own test)."""
    module = getattr(item, "module", None)
    if module is None:
        return None
    return scope_of_package(module.__name__.rpartition(".")[0])


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

    def pytest_configure(self, config: pytest.Config) -> None:
        """The CLI's run shows no pytest terminal (a case's message is its record's): a
        failure's pytest report is its exception's text, not a traceback with the source
        of every frame (which took a few percent of a run)."""
        if self.progress is not None and getattr(config.option, "tbstyle", None) is None:
            config.option.tbstyle = "value"

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Keep only --batch-case ids when given; start the run if any case is collected."""
        select_cases(config, items)
        items.sort(key=run_order)  # stable: the judges see every answer before them
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
        self.state.judges = config.stash.get(JUDGES_KEY, {})
        scope = self.state.options.scope
        other = sorted({str(scope_of(i)) for i in items if is_case(i) and scope_of(i) is not scope})
        if other:
            raise pytest.UsageError(
                f"cases of scope {', '.join(other)} collected in a run of scope {scope}:"
                f" run {scope.cases_package} (or pass --batch-scope {other[0]})"
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
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist: what a worker made joins the run's ledger (one cleanup for all)."""
        made = getattr(node, "workeroutput", {}).get(MADE_KEY)
        if self.state is not None and not self.worker and made:
            self.state.take_over(json.loads(made))

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
            output = getattr(session.config, "workeroutput", None)
            if output is not None:  # removed by the run's own process, with the rest
                output[MADE_KEY] = json.dumps(self.state.hand_over())
            self.state.finish()  # what is left of this worker's; no reports, no verdict
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


def run_order(item: pytest.Item) -> int:
    """Sort key: the cases marked `batch_order("first")` (whether each operation is
    implemented), then the rest, then those marked `batch_order("last")` (the judges of a
    rule over every answer of the run)."""
    return ORDER.get(_marker_arg(item, "batch_order") or "", 1) if is_case(item) else 1


def judges(items: list[pytest.Item]) -> dict[str, str]:
    """Rule id -> the id of the case that judges it over every answer of the run (those
    marked `batch_order("last")`)."""
    return {
        rule: case_id(item)
        for item in items
        if is_case(item) and _marker_arg(item, "batch_order") == "last"
        if (rule := _marker_arg(item, "batch_rule"))
    }


def record_for(item: pytest.Item, index: int, scope: Scope) -> CaseRecord:
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
    """Note every case id before -k deselects any (baselines name cases of a full run), and
    which case judges which rule (a deselected judge still gives its verdict)."""
    config.stash[ALL_IDS_KEY] = {case_id(i) for i in items if is_case(i)}
    config.stash[JUDGES_KEY] = judges(items)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers and, in plain pytest mode, the hooks object."""
    config.addinivalue_line("markers", "batch_rule(id): the rule (from specs/) a case checks")
    config.addinivalue_line("markers", "batch_operation(name): the operation a case exercises")
    config.addinivalue_line(
        "markers", "batch_order(when): 'first' or 'last' among the cases (see plugin.ORDER)"
    )
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
    packages = [scope.cases_package for scope in SCOPES]
    names = [name for pkg in packages for name in (pkg, pkg.replace(".", "/"))]
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
