"""The console summary: the run's last words, agreeing with report.json and junit.xml.

The header (what was tested) first, what the baseline says (new, changed, fixed, new
warnings), then the findings (distinct deviations, each once with its replay command),
counts per operation and rule, the totals, and last the gate's verdict (`conformance.gate`,
as every report words it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from conformance.gate import Tally, by_standing, standing, tally
from conformance.redact import redact_text
from conformance.reports import unimplemented
from conformance.reports.counts import cases_note, count, headline
from conformance.reports.evidence import FindingView, findings, replay_command
from conformance.results import OUTCOMES, CaseResult, RunResult, TargetInfo

WIDTH = 60
SHOWN_CASES = 3


def header_text(target: TargetInfo, botocore: str, seed: int | None, scope: str) -> str:
    """What a run tests, in one line: `target moto 5.2.5 in-process (us-east-1), ...`.

    The run's first line on the console, and the first of its summary.
    """
    name = f"{target.name} {target.version}" if target.version else target.name
    where = target.endpoint or ("in-process" if target.name == "moto" else "")
    return " ".join(
        f"target {name} {where} ({target.region}), botocore {botocore}, scope {scope},"
        f" seed {seed}".split()
    )


def _counts(results: Iterable[CaseResult]) -> str:
    counter = Counter(r.outcome for r in results)
    return "  ".join(f"{o} {counter[o]}" for o in OUTCOMES)


def _kind(view: FindingView, run: RunResult, gate: Tally) -> str:
    """KNOWN, NEW, CHANGED, NEW WARN against a baseline; else FAILED, ERROR or WARN."""
    standings = {standing(case, run.strict) for case in view.cases}
    if standings and standings <= {"known"}:
        return "KNOWN"  # every case of it is a listed deviation of the baseline
    if not gate.baselined:
        return "WARN" if standings <= {"warning", "known"} else view.finding.outcome.upper()
    for kind in ("changed", "new"):
        if kind in standings:
            return kind.upper()
    return "NEW WARN"


def _finding_lines(
    view: FindingView, report_json: Path | None, run: RunResult, gate: Tally
) -> list[str]:
    finding = view.finding
    kind = _kind(view, run, gate)
    shown = ", ".join(finding.cases[:SHOWN_CASES])
    more = f" and {len(finding.cases) - SHOWN_CASES} more" if len(finding.cases) > 3 else ""
    lines = [
        f"  {kind:8} {finding.id} [{finding.strength}]",
        f"           {finding.message}",
        f"           {count(len(finding.cases), 'case')}: {shown}{more}",
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
    out.append(header_text(run.target, run.sdk.get("botocore", "?"), run.seed, run.scope))
    out += [f"note: {note}" for note in run.notes]
    if run.lifecycle:
        out.append(f"job lifecycle: {run.lifecycle}")
    if run.fatal:
        out.append(f"FATAL: {run.fatal}")
    if run.interrupted:
        out.append(f"INTERRUPTED: {run.interrupted}")
    failing = [r for r in run.results if r.outcome in {"failed", "error"}]
    gate = tally(run)
    out += _baseline_lines(run, gate)  # what the gate counts first, its verdict last
    if (lacking := unimplemented.not_implemented_text(run)) is not None:
        out.append(lacking)
    if views := findings(run):
        # an operation not implemented is named in the line above, not repeated one by one
        # (unless the baseline calls it new or changed: that is the gate's news)
        unlisted = unimplemented.unlisted_note(views)
        out.append(headline(run) + (f"; {unlisted}" if unlisted else "") + ":")
        shown = unimplemented.listed(views)
        warnings = [v for v in shown if v.warning and not v.known]
        for view in (v for v in shown if not (v.warning and not v.known)):
            out += _finding_lines(view, report_json, run, gate)
        if warnings:
            out.append(
                f"warnings ({count(len(warnings), 'deviation')}): `should` rules (AWS has been"
                " seen not to enforce them, or the evidence conflicts); they fail the run only"
                " with --strict:"
            )
            for view in warnings:
                out += _finding_lines(view, report_json, run, gate)
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
        f"total: {_counts(run.results)} of {counts['total']} cases; {headline(run)};"
        f" {cases_note(run)}; throttled calls retried {counts['retries']};"
        f" {run.duration_s:.1f} s"
    )
    out.append(f"gate: {gate.text()}")
    return redact_text("\n".join(out) + "\n")
