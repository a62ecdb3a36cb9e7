"""report.html's failing cases, by rule: each with its facts and every exchange."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.endpoint_errors import internal_error
from conformance.reports import evidence as ev
from conformance.reports.html_parts import Anchors, badge, facts_table
from conformance.reports.html_text import escape as _e
from conformance.reports.html_text import ident_code as _id
from conformance.results import CaseResult, Exchange, RunResult

BODY_LIMIT = 5000
REQUEST_LIMIT = 20_000
MAX_REQUEST_LINES = 40


def failing_cases(run: RunResult, anchors: Anchors, report_json: Path) -> list[str]:
    failing = ev.failing(run)
    if not failing:
        return []
    by_rule: dict[str, list[CaseResult]] = {}
    for result in failing:
        by_rule.setdefault(result.rule or ev.NO_RULE, []).append(result)
    out = [f"<h2>Failing cases, by rule ({len(failing):,})</h2>"]
    for rule in sorted(by_rule, key=lambda r: (r == ev.NO_RULE, r)):
        results = by_rule[rule]
        out.append(
            f'<h3 id="{anchors.rule(rule)}">{_id(rule)} — '
            f"{len(results):,} failing case{'s' if len(results) != 1 else ''}</h3>"
        )
        out += [_case(r, run, anchors, report_json) for r in results]
    return out


def _case(result: CaseResult, run: RunResult, anchors: Anchors, report_json: Path) -> str:
    warning = ev.warning(run, result)
    facts = [
        ("Outcome", badge(result.outcome) + (" " + badge("warning") if warning else "")),
        ("Strength", _e(ev.strength(result, run.strict))),
        ("Message", _e(result.message)),
    ]
    if result.findings:
        links = ", ".join(
            f'<a href="#{anchors.finding[f]}">{_id(f)}</a>' if f in anchors.finding else _id(f)
            for f in result.findings
        )
        facts.append(("Findings", links))
    if result.baseline:
        reason = f" — {_e(result.baseline_reason)}" if result.baseline_reason else ""
        facts.append(("Baseline", _e(result.baseline) + reason))
    if result.notes:
        facts.append(
            ("Notes", "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in result.notes) + "</ul>")
        )
    if result.seen_by:
        facts.append(("Seen by", ", ".join(anchors.case_link(c) for c in result.seen_by)))
    if result.retries:
        facts.append(("Throttled calls retried", str(result.retries)))
    if result.schema_path:
        facts.append(("Schema path", _id(result.schema_path)))
    checks = "".join(f"<li>{_id(c.name)}: {_e(c.detail)}</li>" for c in ev.failing_checks(result))
    if checks:
        facts.append(("Failing checks", f"<ul>{checks}</ul>"))
    sent = ev.sent_exchange(result) if result.example else None
    if sent is not None:
        facts.append(
            (
                "Example as sent",
                f"exchange #{sent[0]} below (the request hypothesis's example became, with the"
                f" run's names and resources)<pre>{_cut(_request(sent[1]), REQUEST_LIMIT)}</pre>",
            )
        )
    if result.example:
        label = "Hypothesis's example (as generated, before binding)" if sent else "Example"
        facts.append(
            (label, f"<pre>{_cut(result.example, BODY_LIMIT, ev.EXAMPLE_CAPTURE_LIMIT)}</pre>")
        )
    facts.append(("Replay", f"<pre>{_e(ev.replay_command(report_json, result.id))}</pre>"))
    exchanges = "".join(
        _exchange(i, x, sent is not None and sent[0] == i)
        for i, x in enumerate(result.exchanges, 1)
    )
    return (
        f'<details id="{anchors.case[result.id]}"><summary>{badge(result.outcome)} '
        f"{_id(result.id)} — {_e(ev.preview(result.message, 200))}</summary>"
        f"{facts_table(facts)}{exchanges}</details>"
    )


def _exchange(index: int, exchange: Exchange, sent: bool) -> str:
    facts = [("HTTP status", _e(ev.status_text(exchange)))]
    if exchange.error_code or exchange.error_message:
        error = f"{exchange.error_code or '-'}: {exchange.error_message or ''}"
        facts.append(("Error", _e(error)))
    if raised := internal_error(exchange):
        facts.append(("Internal error", _e(raised)))
    elif exchange.transport_error:
        facts.append(("Transport error", _e(exchange.transport_error)))
    if exchange.retries:
        facts.append(("Throttled, retried", str(exchange.retries)))
    facts.append(("Request sent", f"<pre>{_cut(_request(exchange), REQUEST_LIMIT)}</pre>"))
    if exchange.body:
        body = _cut(exchange.body, BODY_LIMIT, ev.CAPTURE_LIMIT)
        facts.append(("Body received", f"<pre>{body}</pre>"))
    label = " — the example as sent" if sent else ""
    return (
        f"<h4>#{index} {_e(exchange.operation)} ({exchange.duration_s:.3f} s){label}</h4>"
        f"{facts_table(facts)}"
    )


def _request(exchange: Exchange) -> str:
    """The request as indented JSON, or on one (wrapping) line when that would be long."""
    text = json.dumps(exchange.request, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    if text.count("\n") <= MAX_REQUEST_LINES:
        return text
    return ev.request_json(exchange)


def _cut(text: str, limit: int, captured_at: int | None = None) -> str:
    """Escaped `text` cut at `limit`, the marker (where, by how much) set apart."""
    shown, marker = ev.cut(text, limit, captured_at)
    if not marker:
        return _e(shown)
    dots = "…" if len(shown) < len(text) else ""
    return f'{_e(shown)}{dots}\n<span class="cut">{_e(marker)}</span>'
