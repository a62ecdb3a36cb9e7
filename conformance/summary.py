"""The short text summary printed at the end of a run."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from conformance.reports.redact import redact_text
from conformance.results import OUTCOMES, CaseResult, RunResult

WIDTH = 60


def _counts(results: Iterable[CaseResult]) -> str:
    counter = Counter(r.outcome for r in results)
    return "  ".join(f"{o} {counter[o]}" for o in OUTCOMES)


def _line(result: CaseResult) -> str:
    rule = f" [{result.rule}, {result.strength}]" if result.rule else ""
    kind = "WARN" if result.warning else result.outcome.upper()
    return f"  {kind:6} {result.id}{rule}\n         {result.message}"


def summary_text(run: RunResult, written: Iterable[Path] = (), notes: Iterable[str] = ()) -> str:
    """Failures first with a one-line reason each, then counts per operation and per rule."""
    out: list[str] = []
    target = run.target
    out.append(
        f"target {target.name} {target.endpoint or ''} ({target.region}),"
        f" botocore {run.sdk.get('botocore')}, seed {run.seed}".replace("  ", " ")
    )
    if run.fatal:
        out.append(f"FATAL: {run.fatal}")
    bad = [r for r in run.results if r.outcome in {"failed", "error"}]
    known = [r for r in bad if r.baseline == "known"]
    fixed = [r for r in run.results if r.baseline == "fixed"]
    new = [r for r in bad if r.baseline != "known" and r.blocks(run.strict)]
    warnings = [r for r in bad if r.baseline != "known" and not r.blocks(run.strict)]
    if new:
        title = "new failures" if known or fixed else "failures"
        out.append(f"{title} ({len(new)}):")
        out.extend(_line(r) for r in new)
    if warnings:
        out.append(
            f"warnings ({len(warnings)}): `should` rules (AWS has been seen not to enforce them,"
            " or the evidence conflicts); they fail the run only with --strict:"
        )
        out.extend(_line(r) for r in warnings)
    if known:
        out.append(f"known deviations ({len(known)}), listed in the baseline:")
        out.extend(f"  {r.id}: {r.baseline_reason}" for r in known)
    if fixed:
        out.append(f"fixed ({len(fixed)}): remove them from the baseline:")
        out.extend(f"  {r.id}" for r in fixed)
    by_operation: dict[str, list[CaseResult]] = defaultdict(list)
    by_rule: dict[str, list[CaseResult]] = defaultdict(list)
    for result in run.results:
        by_operation[result.operation or "-"].append(result)
        by_rule[result.rule or "-"].append(result)
    out.append("per operation:")
    out.extend(f"  {op:{WIDTH}} {_counts(rs)}" for op, rs in sorted(by_operation.items()))
    out.append("per rule (rules with failures or errors first):")
    ordered = sorted(by_rule.items(), key=lambda kv: (not any(r in bad for r in kv[1]), kv[0]))
    out.extend(f"  {rule:{WIDTH}} {_counts(rs)}" for rule, rs in ordered)
    provenance = Counter(
        run.rules[r.rule].provenance if r.rule in run.rules else "no rule" for r in bad
    )
    if provenance:
        out.append(
            "failures by provenance: "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(provenance.items()))
        )
    retries = run.summary["retries"]
    extra = f"  (warnings {run.summary['warnings']}, throttled calls retried {retries})"
    out.append(f"total: {_counts(run.results)}{extra}  in {run.duration_s:.1f} s")
    out.extend(f"cleanup: {note}" for note in notes)
    for path in written:
        out.append(f"report: {path}")
    return redact_text("\n".join(out) + "\n")  # endpoints may echo secrets in messages
