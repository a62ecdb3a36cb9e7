"""`batch-conformance replay REPORT.json CASE_ID`: run one case of a report again.

The case is re-run in the report's scope, with its seed, against the same kind of target
(or another one), on freshly provisioned resources: recorded requests name queues, definitions and
jobs that the original run deleted, so the case rebuilds the same requests on new ones.
It prints what was sent and received then and now, and whether the case passes now.
Everything printed is redacted (an endpoint may echo credentials); the new run's reports
go to a temporary folder that is removed afterwards, also when the replay fails.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from conformance.case_select import unknown
from conformance.errors import UsageError
from conformance.options import RunOptions
from conformance.redact import redact_text
from conformance.results import CaseResult, Exchange, ReportError, RunResult, load_report
from conformance.runner import run_suite
from conformance.scopes import SCOPE_NAMES, Scope, scope_named
from conformance.targets import TargetOptions

SHOWN_BODY = 600


def load_run(path: Path) -> RunResult:
    """Read a report.json, or raise UsageError with one line."""
    try:
        return load_report(path)
    except ReportError as exc:
        raise UsageError(str(exc)) from exc


def scope_of(run: RunResult, report: Path) -> Scope:
    """The scope the report's cases were judged in (their ids name cases of that scope)."""
    try:
        return scope_named(run.scope)
    except ValueError:
        raise UsageError(
            f"{report}: unknown scope {run.scope!r} (known: {', '.join(SCOPE_NAMES)})"
        ) from None


def _target_for(run: RunResult, target: str | None, endpoint_url: str | None) -> TargetOptions:
    name = target or ("endpoint" if endpoint_url else run.target.name)
    url = endpoint_url or (run.target.endpoint if name == "endpoint" else None)
    return TargetOptions(name=name, endpoint_url=url, region=run.target.region)


def show_exchange(exchange: Exchange, out: TextIO) -> None:
    """Print one request and its answer (redacted)."""
    request = redact_text(json.dumps(exchange.request, sort_keys=True))
    out.write(f"  > {exchange.operation} {request[:800]}\n")
    if exchange.transport_error:
        out.write(redact_text(f"  < no usable answer: {exchange.transport_error}") + "\n")
        return
    if exchange.rejected_by == "client":
        out.write(redact_text(f"  < refused by botocore: {exchange.error_message}") + "\n")
        return
    status = f"  < HTTP {exchange.http_status}"
    if exchange.error_code:
        status += f" {exchange.error_code}: {exchange.error_message}"
    out.write(redact_text(status) + "\n")
    out.write(f"    {redact_text(exchange.body or '')[:SHOWN_BODY]}\n")


def show_case(title: str, case: CaseResult, out: TextIO) -> None:
    """Print a case's outcome (redacted) and exchanges."""
    out.write(redact_text(f"{title}: {case.outcome.upper()} {case.message}") + "\n")
    for exchange in case.exchanges:
        show_exchange(exchange, out)


def replay_main(
    report: Path,
    case_id: str,
    target: str | None,
    endpoint_url: str | None,
    out: TextIO = sys.stdout,
) -> int:
    """Re-run `case_id` of `report`; 0 if it passes now, 1 if not, 2/3 as for `run`."""
    run = load_run(report)
    recorded = next((r for r in run.results if r.id == case_id), None)
    if recorded is None:
        raise unknown(f"case of {report}", case_id, [r.id for r in run.results])
    scope = scope_of(run, report)
    show_case(f"recorded ({run.target.name}, scope {scope})", recorded, out)
    scratch = Path(tempfile.mkdtemp(prefix="batch-conformance-replay-"))
    try:
        options = RunOptions(
            target=_target_for(run, target, endpoint_url),
            report_dir=scratch,
            seed=run.seed or 0,
            step_summary=False,  # a replay's scratch report is no CI step's summary
            scope=scope,
        )
        # its summary would name the scratch folder, removed below: the replay shows its own
        status, state = run_suite(options, None, [case_id], verbose=False, summary=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    now = next((r for r in state.results if r.id == case_id), None) if state else None
    if now is None:
        out.write(f"replay: the case did not run (exit {status})\n")
        return status
    show_case(f"replayed ({options.target.name}, scope {scope})", now, out)
    verdict = "passes now" if now.outcome == "passed" else f"still {now.outcome}"
    out.write(f"replay: {case_id} {verdict}\n")
    return 0 if now.outcome == "passed" else 1
