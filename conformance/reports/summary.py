"""The console summary: the run's last words, agreeing with report.json and junit.xml.

What the baseline says first (new, changed, fixed, new warnings), then the findings
(distinct deviations, each once with its replay command), counts per operation and rule,
the totals, and last the gate's verdict (`conformance.gate`, as every report words it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from conformance.gate import Tally, by_standing, standing, tally
from conformance.redact import redact_text
from conformance.reports.evidence import (
    NOT_IMPLEMENTED_FINDING,
    not_implemented_text,
    replay_command,
)
from conformance.results import OUTCOMES, CaseResult, Finding, RunResult

WIDTH = 60
SHOWN_CASES = 3


def _counts(results: Iterable[CaseResult]) -> str:
    counter = Counter(r.outcome for r in results)
    return "  ".join(f"{o} {counter[o]}" for o in OUTCOMES)


def _kind(finding: Finding, run: RunResult, gate: Tally) -> str:
    """KNOWN, NEW, CHANGED, NEW WARN against a baseline; else FAILED, ERROR or WARN."""
    by_id = {r.id: r for r in run.results}
    standings = {standing(by_id[c], run.strict) for c in finding.cases if c in by_id}
    if standings and standings <= {"known"}:
        return "KNOWN"  # every case of it is a listed deviation of the baseline
    if not gate.baselined:
        return "WARN" if standings <= {"warning", "known"} else finding.outcome.upper()
    for kind in ("changed", "new"):
        if kind in standings:
            return kind.upper()
    return "NEW WARN"


def _finding_lines(
    finding: Finding, report_json: Path | None, run: RunResult, gate: Tally
) -> list[str]:
    kind = _kind(finding, run, gate)
    shown = ", ".join(finding.cases[:SHOWN_CASES])
    more = f" and {len(finding.cases) - SHOWN_CASES} more" if len(finding.cases) > 3 else ""
    lines = [
        f"  {kind:8} {finding.id} [{finding.strength}]",
        f"           {finding.message}",
        f"           {len(finding.cases)} case(s): {shown}{more}",
    ]
    if report_json is not None:
        lines.append(f"           replay: {replay_command(report_json, finding.cases[0])}")
    return lines


def _baseline_lines(run: RunResult, gate: Tally) -> list[str]:
    if not gate.baselined:
        return []
    groups = by_standing(run)
    out = [f"baseline: {gate.counts()}" + ("" if gate.failed else ": no new failures")]
    out += [f"  NEW      {r.id}: {r.message}" for r in groups["new"]]
    out += [f"  CHANGED  {r.id}: now {r.outcome}; {r.baseline_reason}" for r in groups["changed"]]
    out += [f"  FIXED    {r.id}: remove it from the baseline" for r in groups["fixed"]]
    out += [
        f"  NEW WARN {r.id}: {r.message} (a `should` rule: fails the run only with --strict)"
        for r in groups["warning"]
    ]
    return out


def summary_text(run: RunResult, written: Iterable[Path] = (), notes: Iterable[str] = ()) -> str:
    """The console summary of a run (redacted: endpoints may echo secrets in messages)."""
    written = list(written)
    report_json = next((p for p in written if p.name == "report.json"), None)
    out: list[str] = []
    target = run.target
    out.append(
        f"target {target.name} {target.endpoint or ''} ({target.region}),"
        f" botocore {run.sdk.get('botocore')}, seed {run.seed}, scope {run.scope}".replace(
            "  ", " "
        )
    )
    if run.lifecycle:
        out.append(f"job lifecycle: {run.lifecycle}")
    if run.fatal:
        out.append(f"FATAL: {run.fatal}")
    if run.interrupted:
        out.append(f"INTERRUPTED: {run.interrupted}")
    failing = [r for r in run.results if r.outcome in {"failed", "error"}]
    gate = tally(run)
    out += _baseline_lines(run, gate)  # what the gate counts first, its verdict last
    if (lacking := not_implemented_text(run)) is not None:
        out.append(lacking)
    if run.findings:
        # an operation not implemented is named in the line above, not repeated one by one
        # (unless the baseline calls it new or changed: that is the gate's news)
        news = {r.id for r in run.results if r.baseline in ("new", "changed")}
        shown = [
            f
            for f in run.findings
            if not f.id.endswith(NOT_IMPLEMENTED_FINDING) or news.intersection(f.cases)
        ]
        blocking = [f for f in shown if f.strength != "should" or run.strict]
        warnings = [f for f in shown if f not in blocking]
        named = len(run.findings) - len(shown)
        of_which = (
            f" ({named} of them the operations not implemented, named above)" if named else ""
        )
        out.append(f"{len(run.findings)} deviations across {len(failing)} cases{of_which}:")
        for finding in blocking:
            out += _finding_lines(finding, report_json, run, gate)
        if warnings:
            out.append(
                f"warnings ({len(warnings)}): `should` rules (AWS has been seen not to enforce"
                " them, or the evidence conflicts); they fail the run only with --strict:"
            )
            for finding in warnings:
                out += _finding_lines(finding, report_json, run, gate)
    by_operation: dict[str, list[CaseResult]] = defaultdict(list)
    by_rule: dict[str, list[CaseResult]] = defaultdict(list)
    for result in run.results:
        by_operation[result.operation or "-"].append(result)
        by_rule[result.rule or "-"].append(result)
    out.append("per operation:")
    out.extend(f"  {op:{WIDTH}} {_counts(rs)}" for op, rs in sorted(by_operation.items()))
    bad_rules = sorted((rule, rs) for rule, rs in by_rule.items() if any(r in failing for r in rs))
    if bad_rules:
        out.append("rules with failures or errors:")
        out.extend(f"  {rule:{WIDTH}} {_counts(rs)}" for rule, rs in bad_rules)
    provenance = Counter(
        run.rules[r.rule].provenance if r.rule in run.rules else "no rule" for r in failing
    )
    if provenance:
        out.append(
            "failures by provenance: "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(provenance.items()))
        )
    out.extend(f"cleanup: {note}" for note in notes)
    out.extend(f"report: {path}" for path in written)
    counts = run.summary
    out.append(
        f"total: {_counts(run.results)} of {counts['total']} cases; {len(run.findings)} findings"
        f" ({counts['warnings']} failed cases are warnings); throttled calls retried"
        f" {counts['retries']}; {run.duration_s:.1f} s"
    )
    out.append(f"gate: {gate.text()}")
    return redact_text("\n".join(out) + "\n")
