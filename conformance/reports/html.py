"""report.html: one self-contained page (inline CSS, no scripts, no external resources).

It opens on the findings ("N deviations across M failing cases": one row each, linking to
its details) and the failing rules (each linking to its cases); then each finding in
detail (its rule's evidence, its cases, one replay command); then the failing cases by
rule, with every exchange; then, folded, every rule, where each comes from, every result.

Every table fits a 1,400 px window: fixed layout, columns sized by `<col>`; bodies and
messages wrap anywhere, ids and paths only after their separators (`html_text.ident`;
checked by tests/test_reports.py and, in headless Chromium, by scripts/screenshots.py).
Every string from the endpoint or the run is escaped (`html_text.escape`, as `_e`, or
`ident`); anchors are built from the page's own counters and rule ids reduced to
`[A-Za-z0-9._-]`.
"""

from __future__ import annotations

import re
from pathlib import Path

from conformance.reports import counts as words
from conformance.reports import evidence as ev
from conformance.reports import run_notes, unimplemented
from conformance.reports.html_cases import failing_cases
from conformance.reports.html_parts import Anchors, badge, facts_table, prov, where_link
from conformance.reports.html_style import REPORT_CSS
from conformance.reports.html_text import escape as _e
from conformance.reports.html_text import ident as _ident
from conformance.reports.html_text import ident_code as _id
from conformance.results import RunResult

CASES_NAMED = 12
_COUNT_ORDER = ("failed", "error", "passed", "skipped")
_SLUG = re.compile(r"[^A-Za-z0-9._-]")


def render(run: RunResult, report_json: Path) -> str:
    """The whole report.html; `report_json` is the path the replay commands name."""
    title = f"AWS Batch conformance: {run.target.name}"
    anchors = Anchors(run)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{REPORT_CSS}</style></head><body>",
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
    parts += failing_cases(run, anchors, report_json)
    parts += _all_rules(run, anchors)
    parts += _rule_sources(run)
    parts += _all_results(run, anchors)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _summary(run: RunResult) -> list[str]:
    counts = run.summary
    badges = " ".join(f"{badge(o)} {counts[o]:,}" for o in _COUNT_ORDER)
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
        f'<p class="headline">{_e(words.headline(run))}</p>',
        f"<p>{badges} — {counts['total']:,} cases; {_e(words.cases_note(run))};"
        f" {counts['retries']:,} throttled calls retried</p>",
    ]
    out.append(f"<p><b>Gate:</b> {_e(ev.gate_text(run))}</p>")
    for label, note in run_notes.run_notes(run):
        out.append(f"<p><b>{_e(label)}:</b> {_e(note)}</p>")
    out.append(f'<p class="meta">{facts}</p>')
    out += [f"<p><b>Note:</b> {_e(note)}</p>" for note in run.notes]
    if run.cleanup:
        out.append(
            f'<p><a href="#left-on-endpoint">{len(run.cleanup):,} cleanup note(s)</a> name'
            " what may be left on the endpoint.</p>"
        )
    return out


def _findings_table(run: RunResult, anchors: Anchors) -> list[str]:
    views = unimplemented.listed(everything := ev.findings(run))
    if not views:
        return []
    out = [
        f"<h2>{_e(unimplemented.listed_title(everything))}</h2>",
        "<p>Each finding is one distinct deviation: a rule and what broke, with the cases "
        "that show it. Blocking ones first, then warnings, then known deviations.</p>",
        '<table><colgroup><col style="width:3em"><col style="width:36%">'
        '<col style="width:11em"><col style="width:5em"><col></colgroup>',
        "<tr><th>#</th><th>Finding (rule # what broke)</th><th>Strength</th>"
        '<th class="n">Cases</th><th>Message</th></tr>',
    ]
    for number, view in enumerate(views, 1):
        finding = view.finding
        link = f'<a href="#{anchors.finding[finding.id]}">{_id(finding.id)}</a>'
        out.append(
            f"<tr{_row_class(view)}><td>{number}</td><td>{link}<br>"
            f"<small>{_e(ev.what_text(finding))}</small></td><td>{_strength(view)}</td>"
            f'<td class="n">{len(view.cases):,}</td>'
            f"<td>{_e(ev.preview(finding.message, 200))}</td></tr>"
        )
    return [*out, "</table>"]


def _failing_rules(run: RunResult, anchors: Anchors) -> list[str]:
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
        '<table><colgroup><col><col style="width:16em"><col style="width:8.5em">'
        f'<col style="width:6em">{cols}</colgroup>',
        f"<tr><th>Rule</th><th>Operation</th><th>Provenance</th><th>Strength</th>{counts}</tr>",
    ]


def _rule_row(row: ev.RuleRow, anchors: Anchors) -> str:
    counts = "".join(
        f'<td class="n">{badge(o, f"{n:,}") if n else 0}</td>'
        for o in _COUNT_ORDER
        for n in [row.counts[o]]
    )
    return (
        f'<tr><td>{anchors.rule_link(row.rule)}</td><td class="id">{_ident(row.operation)}</td>'
        f"<td>{prov(row.provenance)}</td><td>{_e(row.strength)}</td>{counts}</tr>"
    )


def _findings_detail(run: RunResult, anchors: Anchors, report_json: Path) -> list[str]:
    views = unimplemented.listed(ev.findings(run))
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
            line.append(f"provenance {prov(info.provenance)}")
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
            f"<h3>{number}. {_id(finding.id)}</h3>"
            f'<p class="meta">{" · ".join(line)}</p>{facts_table(facts)}</section>'
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
        f"<li><b>{_e(kind)}</b>: {_e(quote)}{where_link(where)}</li>"
        for kind, quote, where in ev.rule_evidence(run, rule)
    )
    return f"<ul>{items}</ul>" if items else ""


def _fixed(run: RunResult, anchors: Anchors) -> list[str]:
    fixed = ev.fixed_cases(run)
    if not fixed:
        return []
    out = [
        f"<h2>{_e(ev.FIXED_TITLE)} ({len(fixed):,})</h2>",
        '<table><colgroup><col style="width:45%"><col style="width:25%"><col></colgroup>',
        "<tr><th>Case</th><th>Rule</th><th>Baseline reason</th></tr>",
    ]
    out += [
        f'<tr id="{anchors.case[r.id]}"><td>{_id(r.id)}</td>'
        f"<td>{_id(r.rule or ev.NO_RULE)}</td><td>{_e(r.baseline_reason or '')}</td>"
        "</tr>"
        for r in fixed
    ]
    return [*out, "</table>"]


def _all_rules(run: RunResult, anchors: Anchors) -> list[str]:
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
            f"<tr><td>{_id(rid)}</td><td>{prov(info.provenance)}</td>"
            f"<td>{_e(info.summary)}</td><td>{_e(info.source)}</td></tr>"
        )
    return [*out, "</table></details>"]


def _all_results(run: RunResult, anchors: Anchors) -> list[str]:
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
            f"<tr><td>{badge(r.outcome)}</td><td>{anchors.case_link(r.id)}</td>"
            f"<td>{_id(r.rule or '')}</td>"
            f"<td>{_e(ev.preview(r.message, 300))}</td>"
            f'<td class="n">{r.duration_s:.3f} s</td></tr>'
        )
    return [*out, "</table></details>"]


def _row_class(view: ev.FindingView) -> str:
    if view.known:
        return ' class="known"'
    return ' class="warning"' if view.warning else ""


def _strength(view: ev.FindingView) -> str:
    if view.known:
        return f"{_e(view.finding.strength)} {badge('known')}"
    if view.warning:
        return f"should {badge('warning', 'new warning' if view.new else None)}"
    if view.finding.outcome == "error":
        return f"{_e(view.finding.strength)} {badge('error')}"
    return _e(view.finding.strength)
