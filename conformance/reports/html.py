"""report.html: one self-contained page (inline CSS, no scripts, no external resources).

It opens on the findings ("N deviations across M failing cases": one row each, linking to
its details) and the failing rules (each linking to its cases); then each finding in
detail (its rule's evidence, its cases, one replay command); then the failing cases by
rule, with every exchange; then, folded, every rule, where each comes from, every result.

Every table fits a 1,400 px window: fixed layout, columns sized by `<col>`, and long ids,
paths and bodies wrap anywhere (`_CSS`; checked by tests/test_reports.py and, in headless
Chromium, by scripts/screenshots.py). Every string from the endpoint or the run passes
through `html.escape` (via `_e`); anchors are built from the page's own counters and rule
ids reduced to `[A-Za-z0-9._-]`.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from conformance.reports import evidence as ev
from conformance.reports import run_notes
from conformance.results import CaseResult, Exchange, RunResult

BODY_LIMIT = 5000
REQUEST_LIMIT = 20_000
CASES_NAMED = 12
MAX_REQUEST_LINES = 40
_COUNT_ORDER = ("failed", "error", "passed", "skipped")
_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1340px;padding:0 1em;
color:#222}
h1{font-size:1.5em;margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
h3{margin:1.2em 0 .3em}h1,h2,h3,h4,p,li,summary{overflow-wrap:anywhere}
table{border-collapse:collapse;margin:.5em 0;width:100%;table-layout:fixed}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:#f4f4f4}td.n,th.n{text-align:right}
table.facts th{width:12em}
code,pre{font:12px/1.4 ui-monospace,monospace;overflow-wrap:anywhere}
pre{background:#f7f7f7;padding:.5em;margin:.3em 0;white-space:pre-wrap;max-height:40em;
overflow-y:auto;overflow-x:hidden}
details{margin:.4em 0;border:1px solid #ddd;border-radius:4px;padding:.3em .6em}
details.fold>summary{font-weight:600}summary{cursor:pointer}
.o{display:inline-block;padding:0 .5em;border-radius:3px;color:#fff;font-weight:600}
.o-failed{background:#c62828}.o-error{background:#6a1b9a}
.o-passed{background:#2e7d32}.o-skipped{background:#757575}
.o-warning{background:#ef6c00}.o-known{background:#546e7a}
tr.warning td{background:#fff8e1}tr.known td{color:#555;background:#f5f5f5}
.headline{font-size:1.25em;font-weight:600;margin:.6em 0 .2em}
.meta{color:#444;margin:.2em 0}.meta b{color:#222}
.banner{border:2px solid #c62828;background:#fdecea;padding:.6em;font-weight:600}
.banner.interrupted{border-color:#ef6c00;background:#fff3e0}
.cut{color:#b71c1c;font-style:italic}
.finding{border:1px solid #ddd;border-left:4px solid #c62828;border-radius:4px;
padding:.1em .8em .3em;margin:.6em 0}.finding h3{margin:.4em 0 .1em;font-size:1.05em}
.finding details{border:0;padding:0;margin:0}
.finding.warning{border-left-color:#ef6c00}.finding.known{border-left-color:#90a4ae}
.p-seed{color:#1565c0}.p-botocore{color:#6a1b9a}.p-observed{color:#ad1457}
"""
_SLUG = re.compile(r"[^A-Za-z0-9._-]")


def render(run: RunResult, report_json: Path) -> str:
    """The whole report.html; `report_json` is the path the replay commands name."""
    title = f"AWS Batch conformance: {run.target.name}"
    anchors = _Anchors(run)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
    ]
    if run.interrupted:
        said = run.interrupted[:1].upper() + run.interrupted[1:]  # "Interrupted after 88 ..."
        parts.append(f'<p class="banner interrupted">{_e(said)}</p>')
    if run.fatal:
        parts.append(f'<p class="banner">Fatal: the run stopped early. {_e(run.fatal)}</p>')
    parts += _summary(run)
    parts += _findings_table(run, anchors)
    parts += _failing_rules(run, anchors)
    if run.cleanup:
        parts.append('<h2 id="left-on-endpoint">Left on the endpoint</h2><ul>')
        parts += [f"<li>{_e(note)}</li>" for note in run.cleanup]
        parts.append("</ul>")
    parts += _findings_detail(run, anchors, report_json)
    parts += _fixed(run, anchors)
    parts += _cases(run, anchors, report_json)
    parts += _all_rules(run, anchors)
    parts += _rule_sources(run)
    parts += _all_results(run, anchors)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


class _Anchors:
    """The page's link targets: `case-N` (run order; failing and fixed cases have one),
    `rule-<id>` (a failing rule's cases), `finding-N`."""

    def __init__(self, run: RunResult) -> None:
        self.case = {
            r.id: f"case-{n}"
            for n, r in enumerate(run.results, 1)
            if r.outcome in ev.FAILING or r.baseline == "fixed"
        }
        self.finding = {
            view.finding.id: f"finding-{n}" for n, view in enumerate(ev.findings(run), 1)
        }
        self.failing_rules = {row.rule for row in ev.failing_rules(run)}

    @staticmethod
    def rule(rule: str) -> str:
        return "rule-" + _SLUG.sub("-", rule)

    def rule_link(self, rule: str) -> str:
        """The rule's code, linked to its failing cases when it has any."""
        code = f"<code>{_e(rule)}</code>"
        return f'<a href="#{self.rule(rule)}">{code}</a>' if rule in self.failing_rules else code

    def case_link(self, case_id: str) -> str:
        code = f"<code>{_e(case_id)}</code>"
        anchor = self.case.get(case_id)
        return f'<a href="#{anchor}">{code}</a>' if anchor else code


def _summary(run: RunResult) -> list[str]:
    counts = run.summary
    views = ev.findings(run)
    badges = " ".join(f"{_badge(o)} {counts[o]:,}" for o in _COUNT_ORDER)
    headline = ev.headline(run) if views else "No deviations"
    seed = "none" if run.seed is None else str(run.seed)
    meta = [
        ("Target", run.target.name),
        ("Scope", ev.scope_text(run)),
        ("Endpoint", run.target.endpoint or "in-process"),
        ("Region", run.target.region),
        ("SDK", ev.sdk_text(run)),
        ("Seed", seed),
        ("Started", run.started_at),
        ("Duration", f"{run.duration_s:.1f} s"),
    ]
    facts = " · ".join(f"<b>{_e(k)}</b> {_e(v)}" for k, v in meta)
    out = [
        f'<p class="headline">{_e(headline)}</p>',
        f"<p>{badges} — {counts['total']:,} cases; {_e(ev.tally_note(run))};"
        f" {counts['retries']:,} throttled calls retried</p>",
    ]
    out.append(f"<p><b>Gate:</b> {_e(ev.gate_text(run))}</p>")
    for label, note in run_notes.run_notes(run):
        out.append(f"<p><b>{_e(label)}:</b> {_e(note)}</p>")
    out.append(f'<p class="meta">{facts}</p>')
    if run.cleanup:
        out.append(
            f'<p><a href="#left-on-endpoint">{len(run.cleanup):,} cleanup note(s)</a> name'
            " what may be left on the endpoint.</p>"
        )
    return out


def _findings_table(run: RunResult, anchors: _Anchors) -> list[str]:
    views = ev.findings(run)
    if not views:
        return []
    out = [
        f"<h2>Findings ({len(views):,})</h2>",
        "<p>Each finding is one distinct deviation: a rule and what broke, with the cases "
        "that show it. Blocking ones first, then warnings, then known deviations.</p>",
        '<table><colgroup><col style="width:3em"><col style="width:36%">'
        '<col style="width:11em"><col style="width:5em"><col></colgroup>',
        "<tr><th>#</th><th>Finding (rule # what broke)</th><th>Strength</th>"
        '<th class="n">Cases</th><th>Message</th></tr>',
    ]
    for number, view in enumerate(views, 1):
        finding = view.finding
        link = f'<a href="#{anchors.finding[finding.id]}"><code>{_e(finding.id)}</code></a>'
        out.append(
            f"<tr{_row_class(view)}><td>{number}</td><td>{link}<br>"
            f"<small>{_e(ev.what_text(finding))}</small></td><td>{_strength(view)}</td>"
            f'<td class="n">{len(view.cases):,}</td>'
            f"<td>{_e(ev.preview(finding.message, 200))}</td></tr>"
        )
    return [*out, "</table>"]


def _failing_rules(run: RunResult, anchors: _Anchors) -> list[str]:
    rows = ev.failing_rules(run)
    if not rows:
        return []
    out = [
        f"<h2>Failing rules ({len(rows):,})</h2>",
        *_rule_table_head(),
    ]
    out += [_rule_row(row, anchors) for row in rows]
    return [*out, "</table>"]


def _rule_table_head() -> list[str]:
    counts = "".join(f'<th class="n">{o}</th>' for o in _COUNT_ORDER)
    cols = '<col style="width:5.5em">' * len(_COUNT_ORDER)
    return [
        '<table><colgroup><col><col style="width:13em"><col style="width:8.5em">'
        f'<col style="width:6em">{cols}</colgroup>',
        f"<tr><th>Rule</th><th>Operation</th><th>Provenance</th><th>Strength</th>{counts}</tr>",
    ]


def _rule_row(row: ev.RuleRow, anchors: _Anchors) -> str:
    counts = "".join(
        f'<td class="n">{_badge(o, f"{n:,}") if n else 0}</td>'
        for o in _COUNT_ORDER
        for n in [row.counts[o]]
    )
    return (
        f"<tr><td>{anchors.rule_link(row.rule)}</td><td>{_e(row.operation)}</td>"
        f"<td>{_prov(row.provenance)}</td><td>{_e(row.strength)}</td>{counts}</tr>"
    )


def _findings_detail(run: RunResult, anchors: _Anchors, report_json: Path) -> list[str]:
    views = ev.findings(run)
    if not views:
        return []
    out = ["<h2>Findings in detail</h2>"]
    for number, view in enumerate(views, 1):
        finding = view.finding
        info = run.rules.get(finding.rule)
        cases = ", ".join(anchors.case_link(c.id) for c in view.cases[:CASES_NAMED])
        if (more := len(view.cases) - CASES_NAMED) > 0:
            cases += f" and {more:,} more (under the rule's cases below)"
        line = [
            f"rule {anchors.rule_link(finding.rule)}",
            _strength(view) + _why_warning(view),
            _e(ev.what_text(finding)),
        ]
        if finding.operation:
            line.append(_e(finding.operation))
        if info is not None:
            line.append(f"provenance {_prov(info.provenance)}")
        facts = [
            ("Message", _e(finding.message)),
            (f"Cases ({len(view.cases):,})", cases or "(none recorded)"),
        ]
        if view.known and view.first and view.first.baseline_reason:
            facts.append(("Known deviation", _e(view.first.baseline_reason)))
        if items := ev.rule_evidence(run, finding.rule):
            facts.append(
                (
                    "Rule's evidence",
                    f"<details><summary>{_e(_evidence_kinds(items))}</summary>"
                    f"{_evidence_list(run, finding.rule)}</details>",
                )
            )
        if view.first is not None:
            replay = ev.replay_command(report_json, view.first.id)
            facts.append(("Replay (first case)", f"<pre>{_e(replay)}</pre>"))
        kind = " known" if view.known else " warning" if view.warning else ""
        out.append(
            f'<section class="finding{kind}" id="{anchors.finding[finding.id]}">'
            f"<h3>{number}. <code>{_e(finding.id)}</code></h3>"
            f'<p class="meta">{" · ".join(line)}</p>{_facts(facts)}</section>'
        )
    return out


def _why_warning(view: ev.FindingView) -> str:
    if view.warning:
        new = ", not in the baseline" if view.new else ""
        return f" — a <code>should</code> rule{new}: reported, fails a run only with --strict"
    return ""


def _evidence_kinds(items: list[tuple[str, str, str]]) -> str:
    """The first quote, and what else the folded evidence holds (`and 2 more (doc, note)`)."""
    kind, quote, _ = items[0]
    text = f"{kind}: \u201c{ev.preview(quote, 160)}\u201d"
    if rest := items[1:]:
        kinds = ", ".join(dict.fromkeys(k for k, _, _ in rest))
        text += f" and {len(rest)} more ({kinds})"
    return text


def _evidence_list(run: RunResult, rule: str) -> str:
    items = "".join(
        f"<li><b>{_e(kind)}</b>: {_e(quote)}{_where(where)}</li>"
        for kind, quote, where in ev.rule_evidence(run, rule)
    )
    return f"<ul>{items}</ul>" if items else ""


def _fixed(run: RunResult, anchors: _Anchors) -> list[str]:
    fixed = ev.fixed_cases(run)
    if not fixed:
        return []
    out = [
        f"<h2>{_e(ev.FIXED_TITLE)} ({len(fixed):,})</h2>",
        '<table><colgroup><col style="width:45%"><col style="width:25%"><col></colgroup>',
        "<tr><th>Case</th><th>Rule</th><th>Baseline reason</th></tr>",
    ]
    out += [
        f'<tr id="{anchors.case[r.id]}"><td><code>{_e(r.id)}</code></td>'
        f"<td><code>{_e(r.rule or ev.NO_RULE)}</code></td><td>{_e(r.baseline_reason or '')}</td>"
        "</tr>"
        for r in fixed
    ]
    return [*out, "</table>"]


def _cases(run: RunResult, anchors: _Anchors, report_json: Path) -> list[str]:
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
            f'<h3 id="{anchors.rule(rule)}"><code>{_e(rule)}</code> — '
            f"{len(results):,} failing case{'s' if len(results) != 1 else ''}</h3>"
        )
        out += [_case(r, run, anchors, report_json) for r in results]
    return out


def _case(result: CaseResult, run: RunResult, anchors: _Anchors, report_json: Path) -> str:
    warning = ev.warning(run, result)
    facts = [
        ("Outcome", _badge(result.outcome) + (" " + _badge("warning") if warning else "")),
        ("Strength", _e(ev.strength(result, run.strict))),
        ("Message", _e(result.message)),
    ]
    if result.findings:
        links = ", ".join(
            f'<a href="#{anchors.finding[f]}"><code>{_e(f)}</code></a>'
            if f in anchors.finding
            else f"<code>{_e(f)}</code>"
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
        facts.append(("Schema path", f"<code>{_e(result.schema_path)}</code>"))
    checks = "".join(
        f"<li><code>{_e(c.name)}</code>: {_e(c.detail)}</li>" for c in ev.failing_checks(result)
    )
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
        f'<details id="{anchors.case[result.id]}"><summary>{_badge(result.outcome)} '
        f"<code>{_e(result.id)}</code> — {_e(ev.preview(result.message, 200))}</summary>"
        f"{_facts(facts)}{exchanges}</details>"
    )


def _exchange(index: int, exchange: Exchange, sent: bool) -> str:
    status = "none" if exchange.http_status is None else str(exchange.http_status)
    if exchange.rejected_by:
        status += f" (rejected by {exchange.rejected_by})"
    facts = [("HTTP status", _e(status))]
    if exchange.error_code or exchange.error_message:
        error = f"{exchange.error_code or '-'}: {exchange.error_message or ''}"
        facts.append(("Error", _e(error)))
    if exchange.transport_error:
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
        f"{_facts(facts)}"
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


def _all_rules(run: RunResult, anchors: _Anchors) -> list[str]:
    rows = ev.rule_rows(run)
    if not rows:
        return []
    out = [
        f'<details class="fold"><summary>Outcomes of every rule ({len(rows):,})</summary>',
        *_rule_table_head(),
    ]
    out += [_rule_row(row, anchors) for row in rows]
    return [*out, "</table></details>"]


def _rule_sources(run: RunResult) -> list[str]:
    if not run.rules:
        return []
    out = [
        f'<details class="fold"><summary>Rules and where they come from ({len(run.rules):,})'
        "</summary>",
        '<table><colgroup><col style="width:30%"><col style="width:7em">'
        '<col style="width:25%"><col></colgroup>',
        "<tr><th>Rule</th><th>Provenance</th><th>Summary</th><th>Source</th></tr>",
    ]
    for rid, info in sorted(run.rules.items()):
        out.append(
            f"<tr><td><code>{_e(rid)}</code></td><td>{_prov(info.provenance)}</td>"
            f"<td>{_e(info.summary)}</td><td>{_e(info.source)}</td></tr>"
        )
    return [*out, "</table></details>"]


def _all_results(run: RunResult, anchors: _Anchors) -> list[str]:
    if not run.results:
        return []
    out = [
        f'<details class="fold"><summary>All results ({len(run.results):,})</summary>',
        '<table><colgroup><col style="width:6em"><col style="width:34%">'
        '<col style="width:22%"><col><col style="width:6em"></colgroup>',
        "<tr><th>Outcome</th><th>Case</th><th>Rule</th><th>Message</th>"
        '<th class="n">Time</th></tr>',
    ]
    for r in run.results:
        out.append(
            f"<tr><td>{_badge(r.outcome)}</td><td>{anchors.case_link(r.id)}</td>"
            f"<td><code>{_e(r.rule or '')}</code></td>"
            f"<td>{_e(ev.preview(r.message, 300))}</td>"
            f'<td class="n">{r.duration_s:.3f} s</td></tr>'
        )
    return [*out, "</table></details>"]


def _facts(facts: list[tuple[str, str]]) -> str:
    """A two-column table of label and (already escaped) HTML."""
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in facts)
    return f'<table class="facts">{rows}</table>'


def _row_class(view: ev.FindingView) -> str:
    if view.known:
        return ' class="known"'
    return ' class="warning"' if view.warning else ""


def _strength(view: ev.FindingView) -> str:
    if view.known:
        return f"{_e(view.finding.strength)} {_badge('known')}"
    if view.warning:
        return f"should {_badge('warning', 'new warning' if view.new else None)}"
    if view.finding.outcome == "error":
        return f"{_e(view.finding.strength)} {_badge('error')}"
    return _e(view.finding.strength)


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
