"""What the human-readable formats show of a run: one-line text, evidence, counts, replay.

Shared by `markdown`, `html` and `junit`, so every format tells the same story.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from conformance.results import OUTCOMES, CaseResult, Check, Exchange, Outcome, RunResult

BODY_LIMIT = 500
PROVENANCES = ("seed", "documented", "botocore", "observed")
NO_RULE = "(no rule)"
FAILING: tuple[Outcome, ...] = ("failed", "error")
BASELINE_TITLES = {
    "new": "New failures",
    "known": "Known deviations",
    "fixed": "Fixed (remove from the baseline)",
}


@dataclass
class RuleRow:
    """One rule's line in the outcomes-per-rule table."""

    rule: str
    operation: str
    provenance: str
    strength: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))


def one_line(text: str | None, limit: int = BODY_LIMIT) -> str:
    """`text` on one line, whitespace collapsed, cut at `limit` characters."""
    return truncate(" ".join(str(text or "").split()), limit)


def truncate(text: str, limit: int) -> str:
    """`text` cut at `limit` characters, saying how much was left off."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def failing(run: RunResult) -> list[CaseResult]:
    """Failed and errored cases, failed first, run order kept within each."""
    return [r for outcome in FAILING for r in run.results if r.outcome == outcome]


def failing_checks(result: CaseResult) -> list[Check]:
    """The checks that did not pass."""
    return [c for c in result.checks if not c.passed]


def provenance(run: RunResult, result: CaseResult) -> str:
    """Where the case's rule comes from: seed, botocore, observed, `unknown` or `(no rule)`."""
    if result.rule is None:
        return NO_RULE
    info = run.rules.get(result.rule)
    return info.provenance if info else "unknown"


def source(run: RunResult, result: CaseResult) -> str:
    """The rule's one-line source citation, or empty."""
    info = run.rules.get(result.rule or "")
    return info.source if info else ""


def strength(result: CaseResult) -> str:
    """`must`, or `should (warning)` for a failure that fails a run only with --strict."""
    return f"{result.strength} (warning)" if result.warning else result.strength


def rule_evidence(run: RunResult, result: CaseResult) -> list[tuple[str, str, str]]:
    """The rule's public evidence: (kind, quote, where) per item; its note as kind `note`."""
    info = run.rules.get(result.rule or "")
    if info is None:
        return []
    items = [
        (str(e.get("kind", "")), str(e.get("quote", "")), str(e.get("where", "")))
        for e in getattr(info, "evidence", [])
    ]
    note = getattr(info, "note", None)
    return [*items, ("note", str(note), "")] if note else items


def evidence_summary(run: RunResult, result: CaseResult) -> list[str]:
    """One line per evidence item: `doc: "quote" (where)`."""
    return [
        f'{kind}: "{one_line(quote, 300)}"' + (f" ({where})" if where else "")
        for kind, quote, where in rule_evidence(run, result)
    ]


def request_json(exchange: Exchange) -> str:
    """The request sent, as compact JSON with sorted keys."""
    return json.dumps(exchange.request, sort_keys=True, ensure_ascii=False, default=str)


def exchange_lines(index: int, exchange: Exchange, body_limit: int = BODY_LIMIT) -> list[str]:
    """Plain-text evidence of one exchange."""
    lines = [f"#{index} {exchange.operation} request: {request_json(exchange)}"]
    status = "none" if exchange.http_status is None else str(exchange.http_status)
    by = f" (rejected by {exchange.rejected_by})" if exchange.rejected_by else ""
    lines.append(f"   status: {status}{by}")
    if exchange.error_code or exchange.error_message:
        code = exchange.error_code or "-"
        lines.append(f"   error: {code}: {one_line(exchange.error_message)}")
    if exchange.transport_error:
        lines.append(f"   transport error: {one_line(exchange.transport_error)}")
    if exchange.body:
        lines.append(f"   body: {truncate(exchange.body, body_limit)}")
    return lines


def evidence_lines(
    result: CaseResult, body_limit: int = BODY_LIMIT, *, checks: bool = True
) -> list[str]:
    """Plain-text evidence of a case: failing checks, schema path, example, exchanges."""
    lines = [f"check {c.name}: {one_line(c.detail)}" for c in failing_checks(result) if checks]
    lines += [f"note: {one_line(note)}" for note in result.notes]
    if result.seen_by:
        lines.append(f"seen by: {', '.join(result.seen_by)}")
    if result.retries:
        lines.append(f"throttled calls retried: {result.retries}")
    if result.schema_path:
        lines.append(f"schema path: {result.schema_path}")
    if result.example:
        lines.append(f"example: {truncate(result.example, body_limit)}")
    for index, exchange in enumerate(result.exchanges, 1):
        lines += exchange_lines(index, exchange, body_limit)
    return lines


def evidence_text(result: CaseResult, body_limit: int = BODY_LIMIT, *, checks: bool = True) -> str:
    """`evidence_lines` joined into one block."""
    return "\n".join(evidence_lines(result, body_limit, checks=checks))


def replay_command(report_json: Path, case_id: str) -> str:
    """The shell command that replays one case from `report_json`."""
    quoted_id = "'" + case_id.replace("'", "'\"'\"'") + "'"
    return f"batch-conformance replay {shlex.quote(str(report_json))} {quoted_id}"


def rule_rows(run: RunResult) -> list[RuleRow]:
    """Every known or referenced rule with its outcome counts; `(no rule)` last if any."""
    rows = {
        rid: RuleRow(rid, info.operation, info.provenance, getattr(info, "strength", ""))
        for rid, info in run.rules.items()
    }
    for result in run.results:
        key = result.rule or NO_RULE
        if key not in rows:
            prov = NO_RULE if result.rule is None else "unknown"
            op = "" if result.rule is None else result.operation or ""
            rows[key] = RuleRow(key, op, prov)
        rows[key].counts[result.outcome] += 1
    return sorted(rows.values(), key=lambda row: (row.rule == NO_RULE, row.rule))


def provenance_counts(run: RunResult) -> dict[str, int]:
    """Failed and errored cases per provenance; seed, botocore, observed always present."""
    counts = dict.fromkeys(PROVENANCES, 0)
    for result in failing(run):
        key = provenance(run, result)
        counts[key] = counts.get(key, 0) + 1
    return counts


def baseline_groups(run: RunResult) -> dict[str, list[CaseResult]] | None:
    """Cases as new / known / fixed when a baseline was applied, else None.

    A failing case without a mark counts as new, as the gate counts it.
    """
    if all(r.baseline is None for r in run.results):
        return None
    groups: dict[str, list[CaseResult]] = {key: [] for key in BASELINE_TITLES}
    for result in failing(run):
        groups["known" if result.baseline == "known" else "new"].append(result)
    groups["fixed"] = [r for r in run.results if r.baseline == "fixed"]
    return groups


def sdk_text(run: RunResult) -> str:
    """`boto3 1.x, botocore 1.y`, or `unknown`."""
    return ", ".join(f"{name} {ver}" for name, ver in sorted(run.sdk.items())) or "unknown"


def summary_text(run: RunResult) -> str:
    """`2 failed, 1 error, 10 passed, 3 skipped (16 total)`."""
    counts = run.summary
    parts = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES)
    return f"{parts} ({counts['total']} total; {counts['warnings']} of the failures are warnings)"
