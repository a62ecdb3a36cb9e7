"""Write a baseline from a report: `batch-conformance baseline REPORT.json [--existing B]`.

Every failing case becomes an entry with the finding it fails for and its outcome; reasons of
an existing baseline are kept (a case that changed gets a TODO reason quoting the old one).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from conformance.baseline import (
    FAILING,
    TODO_REASON,
    Baseline,
    BaselineError,
    load_baseline,
    one_or_list,
)
from conformance.results import CaseResult, ReportError, RunResult, load_report
from conformance.scopes import DEFAULT, scope_named


def _findings_key(result: CaseResult) -> dict[str, Any]:
    return {"finding": one_or_list(result.findings)} if result.findings else {}


def observed_reason(report: RunResult, result: CaseResult) -> str:
    """`observed on moto 5.2.5: <the case's one-line message>`: a reason that says what was
    seen, for a maintainer to replace with why (a link to the emulator's issue)."""
    target = report.target.name + (f" {report.target.version}" if report.target.version else "")
    message = " ".join(result.message.split())[:300]
    return f"observed on {target}: {message}"


def baseline_from_report(
    report: RunResult, existing: Baseline | None, observed: bool = False
) -> str:
    """A JSON baseline covering every failed/errored case, keeping existing reasons.

    A case covered as it stands by an existing rule or finding entry keeps that entry
    instead of its own; a case entry records the case's current finding(s). A case that
    changed gets a TODO reason that quotes the old one. A new case gets a TODO reason, or
    with `observed` what was seen (`observed_reason`).
    """
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for result in report.results:
        if result.outcome not in FAILING:
            continue
        match = existing.match(result) if existing else None
        if match is not None and match.change is None and match.entries[0].kind != "case":
            for entry in match.entries:
                entries[(entry.ident, entry.kind)] = entry.to_dict()
            continue
        if match is None:
            reason = observed_reason(report, result) if observed else TODO_REASON
        elif match.change is None:
            reason = match.reason
        else:
            reason = f"{TODO_REASON} ({match.change}; it was: {match.reason})"
        entries[(result.id, "case")] = {
            "case": result.id,
            **_findings_key(result),
            "expected": result.outcome,
            "reason": reason,
        }
    target = existing.target if existing and existing.target else report.target.name
    doc: dict[str, Any] = {"version": 1, "target": target}
    if scope_named(report.scope) is not DEFAULT:  # the default's baselines keep a 2-key head
        doc["scope"] = report.scope
    doc["entries"] = [entries[k] for k in sorted(entries)]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def baseline_main(
    report_path: Path, existing: Path | None, out: TextIO, observed: bool = False
) -> int:
    """`batch-conformance baseline REPORT.json [--existing FILE] [--observed]`: to `out`."""
    try:
        report = load_report(report_path)
        old = load_baseline(existing) if existing is not None else None
    except (ReportError, BaselineError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    out.write(baseline_from_report(report, old, observed))
    return 0
