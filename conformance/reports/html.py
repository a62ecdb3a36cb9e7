"""report.html: one self-contained page (inline CSS, no scripts, no external resources).

Every string from the endpoint or the run passes through `html.escape` (via `_e`).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from conformance.reports import evidence as ev
from conformance.results import OUTCOMES, CaseResult, Exchange, RunResult

BODY_LIMIT = 5000
_COUNT_ORDER = ("passed", "failed", "error", "skipped")
_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;width:100%}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right}
code,pre{font:12px/1.4 ui-monospace,monospace}
pre{background:#f7f7f7;padding:.5em;white-space:pre-wrap;word-break:break-all}
details{margin:.4em 0;border:1px solid #ddd;border-radius:4px;padding:.3em .6em}
summary{cursor:pointer}
.o{display:inline-block;padding:0 .5em;border-radius:3px;color:#fff;font-weight:600}
.o-failed{background:#c62828}.o-error{background:#ef6c00}
.o-passed{background:#2e7d32}.o-skipped{background:#757575}
.fatal{background:#fdecea;border:2px solid #c62828;padding:.6em;font-weight:600}
.p-seed{color:#1565c0}.p-botocore{color:#6a1b9a}.p-observed{color:#ad1457}
"""


def render(run: RunResult, report_json: Path) -> str:
    """The whole report.html; `report_json` is the path the replay commands name."""
    title = f"AWS Batch conformance: {run.target.name}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
    ]
    if run.fatal:
        parts.append(f'<p class="fatal">Fatal: the run stopped early. {_e(run.fatal)}</p>')
    parts += _summary(run)
    if run.cleanup:
        parts.append("<h2>Left on the endpoint</h2><ul>")
        parts += [f"<li>{_e(note)}</li>" for note in run.cleanup]
        parts.append("</ul>")
    parts += _rules_table(run)
    parts += _failures(run, report_json)
    parts += _rule_sources(run)
    parts += _all_results(run)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _summary(run: RunResult) -> list[str]:
    counts = run.summary
    badges = " ".join(f"{_badge(o)} {counts[o]}" for o in OUTCOMES)
    seed = "none" if run.seed is None else str(run.seed)
    rows = [
        ("Target", run.target.name),
        ("Endpoint", run.target.endpoint or "in-process"),
        ("Region", run.target.region),
        ("SDK", ev.sdk_text(run)),
        ("Seed", seed),
        ("Started", run.started_at),
        ("Duration", f"{run.duration_s:.1f} s"),
    ]
    cells = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    by_prov = ", ".join(f"{k} {v}" for k, v in ev.provenance_counts(run).items())
    return [
        "<h2>Summary</h2>",
        f"<p>{badges} — {counts['total']} total; {counts['warnings']} of the failures are"
        f" warnings (<code>should</code> rules, failing a run only with --strict);"
        f" {counts['retries']} throttled calls retried</p>",
        f"<table>{cells}</table>",
        f"<p><b>Failures by provenance:</b> {_e(by_prov)}</p>",
    ]


def _rules_table(run: RunResult) -> list[str]:
    rows = ev.rule_rows(run)
    if not rows:
        return []
    head = "".join(f"<th>{o}</th>" for o in _COUNT_ORDER)
    out = [
        "<h2>Outcomes per rule</h2>",
        "<table><tr><th>Rule</th><th>Operation</th><th>Provenance</th><th>Strength</th>"
        f"{head}</tr>",
    ]
    for row in rows:
        counts = "".join(
            f'<td class="n">{_badge(o, str(n)) if n else 0}</td>'
            for o in _COUNT_ORDER
            for n in [row.counts[o]]
        )
        out.append(
            f"<tr><td><code>{_e(row.rule)}</code></td><td>{_e(row.operation)}</td>"
            f"<td>{_prov(row.provenance)}</td><td>{_e(row.strength)}</td>{counts}</tr>"
        )
    return [*out, "</table>"]


def _failures(run: RunResult, report_json: Path) -> list[str]:
    groups = ev.baseline_groups(run)
    if groups is None:
        sections = [("Failures", ev.failing(run))]
    else:
        sections = [(ev.BASELINE_TITLES[k], groups[k]) for k in ("new", "known", "fixed")]
    out: list[str] = []
    for title, results in sections:
        if results:
            out.append(f"<h2>{_e(title)} ({len(results)})</h2>")
            out += [_failure(r, run, report_json) for r in results]
    return out


def _failure(result: CaseResult, run: RunResult, report_json: Path) -> str:
    cite = ev.source(run, result)
    facts = [
        ("Rule", f"<code>{_e(result.rule or ev.NO_RULE)}</code>"),
        ("Operation", _e(result.operation or "")),
        ("Provenance", _prov(ev.provenance(run, result))),
        ("Strength", _e(ev.strength(result))),
        ("Source", _e(cite)),
        ("Message", _e(result.message)),
    ]
    evidence = "".join(
        f"<li><b>{_e(kind)}</b>: {_e(quote)}{_where(where)}</li>"
        for kind, quote, where in ev.rule_evidence(run, result)
    )
    if evidence:
        facts.append(("Evidence", f"<ul>{evidence}</ul>"))
    if result.notes:
        facts.append(
            ("Notes", "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in result.notes) + "</ul>")
        )
    if result.seen_by:
        facts.append(("Seen by", _e(", ".join(result.seen_by))))
    if result.baseline_reason:
        facts.append(("Baseline reason", _e(result.baseline_reason)))
    if result.schema_path:
        facts.append(("Schema path", f"<code>{_e(result.schema_path)}</code>"))
    if result.example:
        facts.append(("Example", f"<pre>{_e(ev.truncate(result.example, BODY_LIMIT))}</pre>"))
    checks = "".join(
        f"<li><code>{_e(c.name)}</code>: {_e(c.detail)}</li>" for c in ev.failing_checks(result)
    )
    if checks:
        facts.append(("Failing checks", f"<ul>{checks}</ul>"))
    facts.append(("Replay", f"<pre>{_e(ev.replay_command(report_json, result.id))}</pre>"))
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
    exchanges = "".join(_exchange(i, x) for i, x in enumerate(result.exchanges, 1))
    return (
        f"<details><summary>{_badge(result.outcome)} <code>{_e(result.id)}</code> — "
        f"{_prov(ev.provenance(run, result))} — {_e(ev.one_line(result.message, 200))}</summary>"
        f"<table>{rows}</table>{exchanges}</details>"
    )


def _exchange(index: int, exchange: Exchange) -> str:
    request = json.dumps(
        exchange.request, indent=2, sort_keys=True, ensure_ascii=False, default=str
    )
    status = "none" if exchange.http_status is None else str(exchange.http_status)
    if exchange.rejected_by:
        status += f" (rejected by {exchange.rejected_by})"
    facts = [("HTTP status", status)]
    if exchange.error_code or exchange.error_message:
        facts.append(("Error", f"{exchange.error_code or '-'}: {exchange.error_message or ''}"))
    if exchange.transport_error:
        facts.append(("Transport error", exchange.transport_error))
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
    body = ev.truncate(exchange.body, BODY_LIMIT) if exchange.body else ""
    return (
        f"<h4>#{index} {_e(exchange.operation)} ({exchange.duration_s:.3f} s)</h4>"
        f"<table>{rows}</table><p>Request sent:</p><pre>{_e(request)}</pre>"
        + (f"<p>Body received:</p><pre>{_e(body)}</pre>" if body else "")
    )


def _rule_sources(run: RunResult) -> list[str]:
    if not run.rules:
        return []
    out = [
        "<h2>Rules and where they come from</h2>",
        "<table><tr><th>Rule</th><th>Provenance</th><th>Summary</th><th>Source</th></tr>",
    ]
    for rid, info in sorted(run.rules.items()):
        out.append(
            f"<tr><td><code>{_e(rid)}</code></td><td>{_prov(info.provenance)}</td>"
            f"<td>{_e(info.summary)}</td><td>{_e(info.source)}</td></tr>"
        )
    return [*out, "</table>"]


def _all_results(run: RunResult) -> list[str]:
    if not run.results:
        return []
    out = [
        f"<h2>All results ({len(run.results)})</h2>",
        "<table><tr><th>Outcome</th><th>Case</th><th>Rule</th><th>Operation</th>"
        "<th>Message</th><th>Time</th></tr>",
    ]
    for r in run.results:
        out.append(
            f"<tr><td>{_badge(r.outcome)}</td><td><code>{_e(r.id)}</code></td>"
            f"<td><code>{_e(r.rule or '')}</code></td><td>{_e(r.operation or '')}</td>"
            f"<td>{_e(ev.one_line(r.message, 300))}</td>"
            f'<td class="n">{r.duration_s:.3f} s</td></tr>'
        )
    return [*out, "</table>"]


def _badge(outcome: str, label: str | None = None) -> str:
    return f'<span class="o o-{_e(outcome)}">{_e(label or outcome)}</span>'


def _prov(provenance: str) -> str:
    slug = "".join(ch for ch in provenance if ch.isalnum())
    return f'<span class="p-{slug}">{_e(provenance)}</span>'


def _where(where: str) -> str:
    """A source: a link when it is a web address, else plain text (escaped either way)."""
    if not where:
        return ""
    if where.startswith("https://"):
        return f' (<a href="{_e(where)}">{_e(where)}</a>)'
    return f" ({_e(where)})"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
