"""What the human-readable formats show of a run: one-line text, evidence, counts, replay.

Shared by `markdown`, `html` and `junit`, so every format tells the same story.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from conformance import calls, case_record
from conformance.endpoint_errors import internal_error
from conformance.findings import find
from conformance.gate import by_standing, tally
from conformance.results import (
    OUTCOMES,
    CaseResult,
    Check,
    Exchange,
    Finding,
    Outcome,
    RunResult,
    Strength,
)
from conformance.scopes import scope_named

BODY_LIMIT = 500
REQUEST_LIMIT = 1000
# Where the run cut evidence when it captured it, without a marker. A text of exactly this
# length was cut there: how long the original was is not known.
CAPTURE_LIMIT = calls.BODY_LIMIT
EXAMPLE_CAPTURE_LIMIT = case_record.EXAMPLE_LIMIT
NO_RULE = "(no rule)"
FAILING: tuple[Outcome, ...] = ("failed", "error")
FIXED_TITLE = "Fixed (remove from the baseline)"


@dataclass
class RuleRow:
    """One rule's line in the outcomes-per-rule table."""

    rule: str
    operation: str
    provenance: str
    strength: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))


def one_line(text: str | None, limit: int = BODY_LIMIT) -> str:
    """`text` on one line, whitespace collapsed, cut at `limit` characters (with a marker)."""
    return truncate(" ".join(str(text or "").split()), limit)


def preview(text: str | None, limit: int) -> str:
    """A one-line preview cut at `limit` with `…`, for a summary whose full text follows."""
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def cut(text: str, limit: int, captured_at: int | None = None) -> tuple[str, str]:
    """`text` cut at `limit` characters, and the marker saying where and by how much.

    The marker is empty when nothing was cut. `captured_at` is where the run itself cut
    this kind of text when it captured it: a text that long says so, as what is left off
    there is unknown.
    """
    at_capture = captured_at is not None and len(text) >= captured_at
    parts = []
    if len(text) > limit:
        parts.append(
            f"cut here at {limit:,} of {len(text):,} characters, {len(text) - limit:,} left out"
        )
    if at_capture:
        parts.append(f"cut at {captured_at:,} characters when captured; the rest was not kept")
    return (text[:limit], f"[{'; '.join(parts)}]") if parts else (text, "")


def truncate(text: str, limit: int, captured_at: int | None = None) -> str:
    """`text` cut at `limit` characters, the marker of `cut` after it."""
    shown, marker = cut(text, limit, captured_at)
    if not marker:
        return shown
    return f"{shown}… {marker}" if len(shown) < len(text) else f"{shown} {marker}"


def body_text(body: str, limit: int = BODY_LIMIT) -> str:
    """An answer's body, cut at `limit`, saying also when it was cut at capture."""
    return truncate(body, limit, CAPTURE_LIMIT)


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


def warning(run: RunResult, result: CaseResult) -> bool:
    """A failed `should` case that does not fail this run (it was not run with --strict)."""
    return result.warning and not run.strict


def strength(result: CaseResult, strict: bool = False) -> str:
    """`must`, or `should (warning)` for a failure that fails a run only with --strict."""
    return f"{result.strength} (warning)" if result.warning and not strict else result.strength


def rule_evidence(run: RunResult, result: CaseResult | str) -> list[tuple[str, str, str]]:
    """The rule's public evidence: (kind, quote, where) per item; its note as kind `note`.

    `result` is a case (its rule) or a rule id.
    """
    rule = result if isinstance(result, str) else result.rule or ""
    info = run.rules.get(rule)
    if info is None:
        return []
    items = [
        (str(e.get("kind", "")), str(e.get("quote", "")), str(e.get("where", "")))
        for e in getattr(info, "evidence", [])
    ]
    note = getattr(info, "note", None)
    return [*items, ("note", str(note), "")] if note else items


def request_json(exchange: Exchange, limit: int | None = None) -> str:
    """The request sent, as compact JSON with sorted keys (cut at `limit`, with a marker)."""
    text = json.dumps(exchange.request, sort_keys=True, ensure_ascii=False, default=str)
    return text if limit is None else truncate(text, limit)


def sent_exchange(result: CaseResult) -> tuple[int, Exchange] | None:
    """The exchange a verdict is about: the last one of the case's operation (1-based index).

    A generated case's failing example is the last request hypothesis replayed: what was
    actually sent, with the run's names and resources bound into it.
    """
    found = [
        (index, x) for index, x in enumerate(result.exchanges, 1) if x.operation == result.operation
    ]
    if not found:
        found = list(enumerate(result.exchanges, 1))
    return found[-1] if found else None


def example_text(result: CaseResult, limit: int = BODY_LIMIT) -> str:
    """Hypothesis's falsifying example, cut at `limit` (and marked if cut at capture)."""
    return truncate(result.example or "", limit, EXAMPLE_CAPTURE_LIMIT)


def exchange_lines(
    index: int,
    exchange: Exchange,
    body_limit: int = BODY_LIMIT,
    request_limit: int | None = REQUEST_LIMIT,
) -> list[str]:
    """Plain-text evidence of one exchange."""
    lines = [f"#{index} {exchange.operation} request: {request_json(exchange, request_limit)}"]
    lines.append(f"   status: {status_text(exchange)}")
    if exchange.error_code or exchange.error_message:
        code = exchange.error_code or "-"
        lines.append(f"   error: {code}: {one_line(exchange.error_message)}")
    if raised := internal_error(exchange):
        lines.append(f"   {one_line(raised)}")
    elif exchange.transport_error:
        lines.append(f"   transport error: {one_line(exchange.transport_error)}")
    if exchange.body:
        lines.append(f"   body: {body_text(exchange.body, body_limit)}")
    return lines


def status_text(exchange: Exchange) -> str:
    """`400 (rejected by server)`, `500`, `none`, `none (the endpoint raised in-process: ...)`."""
    if exchange.http_status is None:
        return (
            "none (the endpoint raised in-process: no HTTP)" if internal_error(exchange) else "none"
        )
    by = f" (rejected by {exchange.rejected_by})" if exchange.rejected_by else ""
    return f"{exchange.http_status}{by}"


def evidence_lines(
    result: CaseResult,
    body_limit: int = BODY_LIMIT,
    *,
    checks: bool = True,
    last_exchanges: int | None = None,
    request_limit: int | None = REQUEST_LIMIT,
) -> list[str]:
    """Plain-text evidence of a case: failing checks, notes, schema path, example, exchanges.

    A generated case shows first its failing example as sent (the request of its last
    exchange of the operation, with the run's names and resources bound into it), then
    hypothesis's example (what hypothesis generated, before binding) as a reference.
    `last_exchanges` keeps only that many of the other exchanges (the last ones), saying
    how many were left out.
    """
    lines = [f"check {c.name}: {one_line(c.detail)}" for c in failing_checks(result) if checks]
    lines += [f"note: {one_line(note)}" for note in result.notes]
    if result.seen_by:
        lines.append(f"seen by: {', '.join(result.seen_by)}")
    if result.retries:
        lines.append(f"throttled calls retried: {result.retries}")
    if result.schema_path:
        lines.append(f"schema path: {result.schema_path}")
    exchanges = list(enumerate(result.exchanges, 1))
    if result.example:
        if sent := sent_exchange(result):
            lines.append(f"example as sent (exchange #{sent[0]} of {len(exchanges)}):")
            lines += exchange_lines(*sent, body_limit, request_limit)
            exchanges = [x for x in exchanges if x[0] != sent[0]]
            if last_exchanges is not None:
                last_exchanges = max(0, last_exchanges - 1)
        lines.append(
            "hypothesis's example (as generated, before the run's names were bound): "
            + example_text(result, body_limit)
        )
    if last_exchanges is not None and len(exchanges) > last_exchanges:
        left = len(exchanges) - last_exchanges
        exchanges = exchanges[left:]
        lines.append(f"({left} more exchange(s) of this case in report.html)")
    for index, exchange in exchanges:
        lines += exchange_lines(index, exchange, body_limit, request_limit)
    return lines


def evidence_text(
    result: CaseResult,
    body_limit: int = BODY_LIMIT,
    *,
    checks: bool = True,
    last_exchanges: int | None = None,
    request_limit: int | None = REQUEST_LIMIT,
) -> str:
    """`evidence_lines` joined into one block."""
    return "\n".join(
        evidence_lines(
            result,
            body_limit,
            checks=checks,
            last_exchanges=last_exchanges,
            request_limit=request_limit,
        )
    )


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


def fixed_cases(run: RunResult) -> list[CaseResult]:
    """The cases a baseline lists that pass now (as the gate counts them)."""
    return by_standing(run)["fixed"]


def gate_text(run: RunResult) -> str:
    """`FAILED — 1 new, 0 changed, 0 fixed, 47 known, 2 new warnings (baseline FILE)`."""
    return tally(run).text()


def sdk_text(run: RunResult) -> str:
    """`boto3 1.x, botocore 1.y`, or `unknown`."""
    return ", ".join(f"{name} {ver}" for name, ver in sorted(run.sdk.items())) or "unknown"


WHAT_REFUSAL = {
    "http-status-400": "not HTTP 400",
    "error-code-ClientException": "not ClientException",
    "error-message-present": "no message",
}
_SUFFIX = re.compile(r"^(?P<key>[a-z-]+)(?:\[(?P<param>.*)\])?$")


@dataclass
class FindingView:
    """A finding as the reports show it: its cases resolved, and how it weighs on the run."""

    finding: Finding
    cases: list[CaseResult]
    blocking: bool
    warning: bool
    known: bool
    new: bool = False  # a baseline was applied and does not list it as it stands

    @property
    def first(self) -> CaseResult | None:
        """The case its replay command replays."""
        return self.cases[0] if self.cases else None

    @property
    def label(self) -> str:
        """`must`, `should (warning)`, `must, known` ...: how the finding counts."""
        kind = "new warning" if self.new else "warning"
        text = f"{self.finding.strength} ({kind})" if self.warning else self.finding.strength
        return f"{text}, known" if self.known else text


def findings(run: RunResult) -> list[FindingView]:
    """The run's findings: blocking first, then warnings, then known deviations.

    A report.json written before findings existed gets them derived from its cases
    (on copies: the run is not changed).
    """
    found = run.findings
    failing_cases = failing(run)
    if not found and failing_cases:
        strengths = {rid: info.strength for rid, info in run.rules.items()}

        def rule_strength(rule: str) -> Strength:
            return "should" if strengths.get(rule) == "should" else "must"

        found = find(copy.deepcopy(run.results), rule_strength)
    by_id = {r.id: r for r in run.results}
    baselined = tally(run).baselined
    views = []
    for finding in found:
        cases = [by_id[c] for c in finding.cases if c in by_id]
        known = bool(cases) and all(c.baseline == "known" for c in cases)
        blocking = any(c.blocks(run.strict) and c.baseline != "known" for c in cases)
        warning = (
            not run.strict
            and finding.strength == "should"
            and finding.outcome == "failed"
            and not blocking
        )
        views.append(FindingView(finding, cases, blocking, warning, known, baselined and not known))
    order = sorted(enumerate(views), key=lambda iv: (iv[1].known, not iv[1].blocking, iv[0]))
    return [view for _, view in order]


def what_text(finding: Finding) -> str:
    """What broke, in words: `accepted a request it must refuse`, `answer breaks $.x` ..."""
    what = finding.what
    if what.startswith("$") or what.startswith("/"):
        return f"the answer breaks the response schema at {what}"
    if what.startswith("refused-badly:"):
        wrong = [WHAT_REFUSAL.get(n, n) for n in what.split(":", 1)[1].split("+")]
        return "refused, but " + ", ".join(wrong)
    match = _SUFFIX.match(what)
    key, param = (match.group("key"), match.group("param")) if match else (what, None)
    text = {
        "refusal-expected": "accepted a request it must refuse",
        "valid-request-refused": "refused a valid request",
        "value": "a wrong value in a behaviour",
        "no-result": "no usable result (error)",
    }.get(key, what)
    return f"{text} [{param}]" if param else text


def failing_rules(run: RunResult) -> list[RuleRow]:
    """The rules with a failed or errored case, in rule order."""
    return [row for row in rule_rows(run) if row.counts["failed"] or row.counts["error"]]


def scope_text(run: RunResult) -> str:
    """What the run's scope judged, in a few words."""
    try:
        return scope_named(run.scope).title
    except ValueError:  # a report of a scope this version does not know
        return run.scope
